"""The workbook's writer run apart (a forked process on Linux): its value, its exceptions."""

import contextlib
import os
import threading
import time

import pytest

from lca.report import render_apart
from lca.report.xlsx_cells import WorkbookLimitError


def _written(path, text):
    path.write_text(text)
    return path


def _too_large():
    raise WorkbookLimitError("a sheet past 1,048,576 rows")


def _unpicklable():
    raise ValueError(threading.Lock())  # a lock does not pickle, whatever the reducers


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
    with render_apart.apart(_unpicklable) as result, pytest.raises(RuntimeError, match="lock"):
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


def test_early_imports_its_target_and_runs_what_it_is_sent(tmp_path, mode):
    with render_apart.Early("pathlib:Path"):
        pass  # never sent anything: the process ends with the block
    target = tmp_path / "b.txt"
    early = render_apart.Early(f"{__name__}:_written")
    with early, early.run(target, "sent later") as result:
        assert result() == target
    assert target.read_text() == "sent later"


def test_early_raises_its_exception_again(mode):
    early = render_apart.Early(f"{__name__}:_too_large")
    with early, early.run() as result, pytest.raises(WorkbookLimitError):
        result()


def test_the_report_prints_its_pdf_in_the_early_process(tmp_path, monkeypatch):
    """The report command's PDF comes from the early process and is the same file."""
    from click.testing import CliRunner

    from lca.cli import main
    from lca.report import render

    if not render_apart.FORK:
        pytest.skip("no fork here")
    runner = CliRunner()
    early = tmp_path / "early"
    assert runner.invoke(main, ["report", "examples/acme", "--out", str(early)]).exit_code in (0, 1)
    monkeypatch.setattr(render, "early_pdf", lambda: contextlib.nullcontext())
    here = tmp_path / "here"
    assert runner.invoke(main, ["report", "examples/acme", "--out", str(here)]).exit_code in (0, 1)
    assert sorted(p.name for p in early.iterdir()) == sorted(p.name for p in here.iterdir())
    for path in early.iterdir():
        assert path.read_bytes() == (here / path.name).read_bytes(), path.name
