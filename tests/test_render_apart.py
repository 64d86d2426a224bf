"""The workbook's writer run apart (a forked process on Linux): its value, its exceptions."""

import os
import time

import pytest

from lca.report import render_apart
from lca.report.xlsx_cells import WorkbookLimitError


def _written(path, text):
    path.write_text(text)
    return path


def _too_large():
    raise WorkbookLimitError("a sheet past 1,048,576 rows")


class _Unpicklable(Exception):
    def __init__(self, a, b):  # pickles with one argument, loads with two: does not load
        super().__init__(f"{a} {b}")


def _unpicklable():
    raise _Unpicklable(1, 2)


def _dies():
    os._exit(3)


@pytest.fixture(params=[True, False], ids=["fork", "thread"])
def mode(request, monkeypatch):
    if request.param and not render_apart.FORK:
        pytest.skip("no fork here")
    monkeypatch.setattr(render_apart, "FORK", request.param)
    return request.param


def test_the_value_and_the_file_come_back(tmp_path, mode):
    with render_apart.apart(_written, tmp_path / "a.txt", "text") as result:
        assert result() == tmp_path / "a.txt"
    assert (tmp_path / "a.txt").read_text() == "text"


def test_the_exception_is_raised_again_with_its_type(mode):
    with render_apart.apart(_too_large) as result, pytest.raises(WorkbookLimitError) as raised:
        result()
    assert str(raised.value) == "a sheet past 1,048,576 rows"


def test_an_exception_that_does_not_load_comes_back_as_its_text():
    if not render_apart.FORK:
        pytest.skip("no fork here")
    with render_apart.apart(_unpicklable) as result, pytest.raises(RuntimeError, match="1 2"):
        result()


def test_a_process_that_dies_is_an_error_not_a_hang():
    if not render_apart.FORK:
        pytest.skip("no fork here")
    with render_apart.apart(_dies) as result, pytest.raises(RuntimeError, match="exit code 3"):
        result()


def test_leaving_early_stops_the_process(tmp_path):
    if not render_apart.FORK:
        pytest.skip("no fork here")
    with pytest.raises(OSError), render_apart.apart(time.sleep, 30):
        start = time.perf_counter()
        raise OSError("another writer failed")
    assert time.perf_counter() - start < 10
