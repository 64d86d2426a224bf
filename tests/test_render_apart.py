"""Renderers run apart (forked processes on Linux): their values, their exceptions, and that
nothing outlives the block, neither a process nor a temporary file."""

import contextlib
import hashlib
import multiprocessing
import os
import signal
import sys
import tempfile
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


def _fails_to_load(*_args):
    raise TypeError("cannot be made again")


class _LoadsBadly:
    def __reduce__(self):
        return (_fails_to_load, ())


def _returns_what_does_not_load():
    return _LoadsBadly()


def _touched(path):
    path.touch()
    return path


def _dies(*_args):
    os._exit(3)


def _stopped_from_outside():
    os.kill(os.getpid(), signal.SIGTERM)  # as `kill <pid>` would, or a supervisor
    time.sleep(30)


def _ahead(marker):
    marker.write_text("drawn")
    return {"drawn": marker.read_text(), "in": os.getpid()}


def _ahead_fails(_marker):
    raise WorkbookLimitError("drawn ahead, failed")


def _slow_ahead(_marker):
    time.sleep(30)


def _written_after(drawn, path, text):
    path.write_text(f"{drawn['drawn']} {text}")
    return path, drawn["in"]


@pytest.fixture(params=[True, False], ids=["fork", "thread"])
def mode(request, monkeypatch):
    if request.param and not render_apart.FORK:
        pytest.skip("no fork here")
    monkeypatch.setattr(render_apart, "FORK", request.param)
    yield request.param
    assert not multiprocessing.active_children()  # every process stopped and joined


@pytest.fixture
def forked(monkeypatch):
    if not render_apart.FORK:
        pytest.skip("no fork here")
    yield
    assert not multiprocessing.active_children()


def test_the_value_and_the_file_come_back(tmp_path, mode):
    with render_apart.apart(_written, tmp_path / "a.txt", "text") as result:
        assert result() == tmp_path / "a.txt"
    assert (tmp_path / "a.txt").read_text() == "text"


def _niceness():
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's niceness: Linux")
def test_nice_lowers_the_priority_of_the_renderer_only(mode):
    """In the thread or the process that runs the renderer, not in the caller."""
    here = _niceness()
    with render_apart.apart(_niceness, nice=3) as result:
        assert result() == min(19, here + 3)
    with render_apart.apart(_niceness) as result:
        assert result() == here
    assert _niceness() == here


def test_the_exception_is_raised_again_with_its_type_and_traceback(mode):
    with render_apart.apart(_too_large) as result, pytest.raises(WorkbookLimitError) as raised:
        result()
    assert str(raised.value) == "a sheet past 1,048,576 rows"
    if mode:
        assert "in _too_large" in "".join(raised.value.__notes__)


@pytest.mark.parametrize(
    ("function", "said"),
    [
        (_unpicklable, "lock"),  # an exception that does not pickle: its text
        (_returns_what_does_not_load, "_LoadsBadly"),  # a value that does not load again
        (_dies, "exit code 3"),  # a process that dies: an error, not a hang
    ],
)
def test_what_cannot_come_back_is_a_renderer_failure(forked, function, said):
    with (
        render_apart.apart(function) as result,
        pytest.raises(render_apart.RendererFailed, match=said),
    ):
        result()


def test_leaving_early_stops_the_process(forked):
    start = time.perf_counter()
    with pytest.raises(OSError), render_apart.apart(time.sleep, 30):
        raise OSError("another writer failed")
    assert time.perf_counter() - start < render_apart.STOP_GRACE


def test_a_failed_fork_falls_back_on_a_thread(tmp_path, forked, monkeypatch):
    def no_fork(process):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", no_fork)
    with render_apart.apart(_written, tmp_path / "c.txt", "in a thread") as result:
        assert result() == tmp_path / "c.txt"
    early = render_apart.Early(f"{__name__}:_written")
    assert not early.forked
    with early, early.run(tmp_path / "d.txt", "in a thread") as result:
        assert result() == tmp_path / "d.txt"


def test_early_imports_its_target_and_runs_what_it_is_sent(tmp_path, mode):
    with render_apart.Early("pathlib:Path"):
        pass  # never sent anything: the process ends with the block
    target = tmp_path / "b.txt"
    early = render_apart.Early(f"{__name__}:_written")
    assert early.forked == mode
    with early, early.run(target, "sent later") as result:
        assert result() == target
    assert target.read_text() == "sent later"


def test_early_raises_its_exception_again(mode):
    early = render_apart.Early(f"{__name__}:_too_large")
    with early, early.run() as result, pytest.raises(WorkbookLimitError):
        result()


def test_what_is_sent_ahead_runs_first_and_gives_its_value_to_the_target(tmp_path, mode):
    """The step sent ahead runs in the early process as soon as it is sent, before the run's
    arguments come (without a fork, in the run's thread), and the target gets its value
    first."""
    marker, target = tmp_path / "marker.txt", tmp_path / "ahead.txt"
    early = render_apart.Early(f"{__name__}:_written_after", ahead=f"{__name__}:_ahead")
    with early:
        early.send_ahead(marker)
        deadline = time.monotonic() + 30
        while mode and not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists() == mode  # run ahead in the process; in the thread, not yet
        with early.run(target, "and the rest") as result:
            path, where = result()
    assert path == target and target.read_text() == "drawn and the rest"
    assert (where != os.getpid()) == mode


def test_a_step_ahead_that_fails_is_raised_when_the_target_is_run(tmp_path, mode):
    early = render_apart.Early(f"{__name__}:_written_after", ahead=f"{__name__}:_ahead_fails")
    with early:
        early.send_ahead(tmp_path / "marker.txt")
        with (
            early.run(tmp_path / "t.txt", "x") as result,
            pytest.raises(WorkbookLimitError, match="drawn ahead, failed") as raised,
        ):
            result()
    notes = getattr(raised.value, "__notes__", [])
    assert mode == any("in the step ahead" in note for note in notes)
    assert not (tmp_path / "t.txt").exists()


def test_leaving_while_the_step_ahead_runs_stops_the_process_at_once(forked):
    """results.json fails while the charts are drawn: the stop request ends the process in
    its step ahead, not after the grace period."""
    start = time.perf_counter()
    early = render_apart.Early(f"{__name__}:_written_after", ahead=f"{__name__}:_slow_ahead")
    with pytest.raises(OSError, match="disk full"), early:
        early.send_ahead("marker")
        time.sleep(0.5)  # asleep in the step ahead
        raise OSError("disk full")
    assert time.perf_counter() - start < render_apart.STOP_GRACE


def test_an_early_target_that_does_not_import_is_said_as_such_after_a_step_ahead(mode):
    early = render_apart.Early("lca.no_such_module:write", ahead="lca.no_such_module:draw")
    with early:
        early.send_ahead("a model")
        with early.run("its hash") as result, pytest.raises(ModuleNotFoundError) as raised:
            result()
    assert not any("step ahead" in n for n in getattr(raised.value, "__notes__", []))


def test_a_target_with_a_step_ahead_is_not_run_without_it(tmp_path, mode):
    """Sent nothing ahead, or twice: a bug of the caller, said at once."""
    early = render_apart.Early(f"{__name__}:_written_after", ahead=f"{__name__}:_ahead")
    with early:
        with pytest.raises(RuntimeError, match="not sent"), early.run(tmp_path / "t.txt", "x"):
            pass
        early.send_ahead(tmp_path / "marker.txt")
        with pytest.raises(RuntimeError, match="sent ahead already"):
            early.send_ahead(tmp_path / "marker.txt")
    with render_apart.Early(f"{__name__}:_written") as plain, pytest.raises(RuntimeError):
        plain.send_ahead("nothing runs ahead here")


def test_an_early_target_that_does_not_import_is_said_when_it_is_run(mode):
    early = render_apart.Early("lca.no_such_module:write")
    with early, early.run("a model") as result, pytest.raises(ModuleNotFoundError):
        result()


def test_an_early_process_that_dies_is_an_error(forked):
    early = render_apart.Early(f"{__name__}:_dies")
    with (
        early,
        early.run("x" * 1_000_000) as result,
        pytest.raises(render_apart.RendererFailed, match="exit code 3"),
    ):
        result()


def test_a_failure_before_the_run_stops_the_early_process(forked):
    with pytest.raises(SystemExit), render_apart.Early("pathlib:Path"):
        raise SystemExit(2)  # what run_or_exit does with an unreadable inventory


def test_a_failure_while_the_early_process_imports_stops_it_at_once(forked, tmp_path, monkeypatch):
    """An unreadable inventory fails in a second, while the PDF's process still imports
    WeasyPrint: the stop request ends it then, not after the grace period (it waited on the
    pipe for arguments that never came, ~10 s added to every failed ``lca report``)."""
    (tmp_path / "lca_test_slow_import.py").write_text("import time\ntime.sleep(30)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    start = time.perf_counter()
    with pytest.raises(SystemExit), render_apart.Early("lca_test_slow_import:write"):
        time.sleep(0.5)  # the process is importing its target
        raise SystemExit(2)
    assert time.perf_counter() - start < render_apart.STOP_GRACE / 2


def test_a_renderer_stopped_from_outside_is_said(forked):
    """SIGTERM from another process (a supervisor, `kill`): a renderer failure with its cause,
    not the child's SystemExit raised again here, which ended `lca report` without a word."""
    with (
        render_apart.apart(_stopped_from_outside) as result,
        pytest.raises(render_apart.RendererFailed, match=r"process was stopped \(SIGTERM\)\n"),
    ):
        result()


@pytest.mark.slow
@pytest.mark.parametrize("fork_lines", [0, 10**9], ids=["workbook-forked", "charts-ahead"])
def test_the_report_prints_its_pdf_in_the_early_process(tmp_path, monkeypatch, forked, fork_lines):
    """The report command's PDF comes from the early process (its charts drawn while
    results.json is written where the workbook is a thread, ``draws_ahead``) and its workbook
    from a process forked after the model or a thread: the same files as both written in the
    process, and no temporary file is left behind (WeasyPrint's font folder goes with the
    process's garbage, collected before it exits)."""
    from click.testing import CliRunner

    from lca.cli import main
    from lca.report import render
    from lca.report.model import HASH_LATER

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    sent = []
    run, ahead = render_apart.Early.run, render_apart.Early.send_ahead
    monkeypatch.setattr(render_apart.Early, "run", lambda self, *a: sent.append(a) or run(self, *a))
    monkeypatch.setattr(
        render_apart.Early, "send_ahead", lambda self, *a: sent.append(a) or ahead(self, *a)
    )
    monkeypatch.setattr(render, "WORKBOOK_FORK_LINES", fork_lines)
    runner = CliRunner()
    early = tmp_path / "early"
    assert runner.invoke(main, ["report", "examples/acme", "--out", str(early)]).exit_code in (0, 1)
    # the model went to the process (before results.json was hashed where the charts are
    # drawn meanwhile, else with its hash), then the SHA-256 of results.json
    digest = hashlib.sha256((early / "results.json").read_bytes()).hexdigest()
    ahead = HASH_LATER if fork_lines else digest
    assert len(sent) == 2 and sent[0][0]["meta"]["results_sha256"] == ahead
    assert sent[1][0] == digest
    assert not list(temporary.iterdir())
    monkeypatch.setattr(render, "early_pdf", contextlib.nullcontext)
    monkeypatch.setattr(render, "WORKBOOK_FORK_LINES", 10**9)
    here = tmp_path / "here"
    assert runner.invoke(main, ["report", "examples/acme", "--out", str(here)]).exit_code in (0, 1)
    assert len(sent) == 2
    assert sorted(p.name for p in early.iterdir()) == sorted(p.name for p in here.iterdir())
    for path in early.iterdir():
        assert path.read_bytes() == (here / path.name).read_bytes(), path.name


@pytest.mark.parametrize("pdf_forked", [True, False], ids=["pdf-forked", "pdf-in-a-thread"])
@pytest.mark.parametrize("lines", [10, 500_000])
def test_the_workbook_yields_to_the_pdf_where_it_is_a_thread(monkeypatch, lines, pdf_forked):
    """Below ``WORKBOOK_FORK_LINES`` the workbook is a thread, niced where the PDF has a
    process of its own; from there a forked process at its own priority."""
    from types import SimpleNamespace

    from lca.report import render

    asked = []

    @contextlib.contextmanager
    def apart(function, *args, **options):
        asked.append(options)
        yield lambda: function(*args)

    @contextlib.contextmanager
    def run(*_args):
        yield lambda: "pdf"

    monkeypatch.setattr(render_apart, "apart", apart)
    monkeypatch.setattr(render, "RENDERERS", (lambda *a: "csv", render._pdf, lambda *a: "xlsx"))
    pdf = SimpleNamespace(forked=pdf_forked, run=run, sent_ahead=True)
    result = SimpleNamespace(ledger=range(lines))
    model = {"meta": {"results_sha256": "0" * 64}}
    assert render.render_each(result, model, None, pdf) == ["csv", "pdf", "xlsx"]
    fork = lines >= render.WORKBOOK_FORK_LINES
    niced = pdf_forked and not fork
    assert asked == [{"fork": fork, "nice": render.WORKBOOK_THREAD_NICE if niced else 0}]


@contextlib.contextmanager
def _inline(function, *args, **_options):
    yield lambda: function(*args)


@pytest.mark.parametrize("lines", [10, 500_000])
def test_the_pdf_draws_its_charts_while_results_json_is_written_where_it_is_the_longest(
    monkeypatch, tmp_path, lines
):
    """Below ``WORKBOOK_FORK_LINES`` the model goes to the PDF's process before results.json
    is written (its charts drawn meanwhile); from there when the renderers start, with its
    SHA-256. Either way the run gets the SHA-256 of the results.json written."""
    from types import SimpleNamespace

    from lca.report import render
    from lca.report.model import HASH_LATER

    events = []

    class Pdf:
        forked, sent_ahead = True, False

        def send_ahead(self, model):
            events.append(("ahead", model["meta"]["results_sha256"]))
            self.sent_ahead = True

        @contextlib.contextmanager
        def run(self, sha, out_dir):
            events.append(("run", sha))
            yield lambda: _touched(out_dir / "report.pdf")

    def results(_result, out_dir):
        events.append(("results.json", None))
        return _touched(out_dir / "results.json"), "f" * 64

    monkeypatch.setattr(render.claims, "check_inventory", lambda *a: [])
    monkeypatch.setattr(render.figures, "overlap_issues", lambda *a: [])
    monkeypatch.setattr(
        render.report_model, "build", lambda r, sha: {"meta": {"results_sha256": sha}}
    )
    monkeypatch.setattr(render, "engine_claims", lambda m: [])
    monkeypatch.setattr(render, "write_results_hashed", results)
    renderers = (lambda *a: _touched(a[-1] / "l"), render._pdf, lambda *a: _touched(a[-1] / "x"))
    monkeypatch.setattr(render, "RENDERERS", renderers)
    monkeypatch.setattr(render_apart, "apart", _inline)
    result = SimpleNamespace(issues=[], inventory=None, ledger=range(lines))
    written, _ = render.render_all(result, tmp_path / "out", Pdf())
    assert [p.name for p in written] == ["results.json", "l", "report.pdf", "x"]
    if lines < render.WORKBOOK_FORK_LINES:
        assert events == [("ahead", HASH_LATER), ("results.json", None), ("run", "f" * 64)]
    else:
        assert events == [("results.json", None), ("ahead", "f" * 64), ("run", "f" * 64)]
