"""A command's files land in its output folder all or none, readable as any folder's, through a
link, and a stop request leaves no staging folder (``lca.output_folder``; ``lca report`` and
``lca import``)."""

from __future__ import annotations

import os
import signal
import stat

import pytest
from click.testing import CliRunner
from helpers import REPORT_SHEETS, compare_settings, write_inventory

from lca import output_folder
from lca.cli import main
from lca.output_folder import stops_unwind, write_atomically
from lca.report import render

CODECARBON = (
    "timestamp,project_name,run_id,duration,emissions,energy_consumed,country_iso_code,"
    "cloud_provider,cloud_region\n"
    "2024-03-01T10:00:00,train,r1,3600,0.1,0.5,FRA,,\n"
)


def _writer(**files: str):
    def write(staging):
        for name, text in files.items():
            (staging / name).write_text(text)
        return [staging / name for name in files]

    return write


def _contents(folder):
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


def test_a_name_taken_by_a_folder_is_refused_before_anything_moves(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.json").write_text("last year's")
    (out / "report.xlsx").mkdir()
    with pytest.raises(IsADirectoryError, match=r"report\.xlsx is a folder"):
        write_atomically(out, _writer(**{"results.json": "new", "report.xlsx": "new"}))
    assert (out / "results.json").read_text() == "last year's"
    assert sorted(p.name for p in out.iterdir()) == ["report.xlsx", "results.json"]  # no staging


def test_a_move_that_fails_puts_back_what_it_replaced(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    before = {"a.csv": "old a", "b.csv": "old b", "notes.txt": "the user's"}
    for name, text in before.items():
        (out / name).write_text(text)
    replace = os.replace

    def fails_on_c(source, target):
        if str(target).endswith("c.csv"):
            raise OSError(28, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(output_folder.os, "replace", fails_on_c)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(out, _writer(**{"a.csv": "new a", "b.csv": "new b", "c.csv": "new c"}))
    assert _contents(out) == before  # and no staging folder left in it
    replace(out / "b.csv", out / "b.kept")  # the next time, one cannot be put back either

    def nothing_goes_back(source, target):
        if ".replaced" in str(source):
            raise OSError(13, "Permission denied")
        fails_on_c(source, target)

    monkeypatch.setattr(output_folder.os, "replace", nothing_goes_back)
    with pytest.raises(
        OSError, match=r"could not all be put back: they are in .*\.lca-staging\.\w+/\.replaced$"
    ):
        write_atomically(out, _writer(**{"a.csv": "new a", "c.csv": "new c"}))
    kept = next(out.glob(".lca-staging.*/.replaced"))
    assert _contents(kept) == {"a.csv": "old a"}  # the user's file, never deleted


def test_a_stop_request_during_the_moves_waits_for_them(tmp_path, monkeypatch):
    """SIGTERM while the files are moved in is held back until every move is done: the
    folder holds one run's files or the other's, never half of each."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.csv", "b.csv"):
        (out / name).write_text("old")
    replace = os.replace

    def stopped_on_the_first(source, target):
        replace(source, target)
        if str(target).endswith("a.csv") and ".replaced" not in str(target):
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(output_folder.os, "replace", stopped_on_the_first)
    with pytest.raises(SystemExit), stops_unwind():
        write_atomically(out, _writer(**{"a.csv": "new", "b.csv": "new"}))
    assert _contents(out) == {"a.csv": "new", "b.csv": "new"}


def test_the_staging_folder_is_private_and_a_loop_is_an_error(tmp_path):
    modes = []

    def write(staging):
        modes.append(stat.S_IMODE(staging.stat().st_mode))
        return _writer(**{"a.csv": "a"})(staging)

    write_atomically(tmp_path / "out", write)
    assert modes == [0o700]  # another user cannot read the outputs before they are moved in
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(OSError):
        write_atomically(loop, _writer(**{"a.csv": "a"}))


def test_a_signal_ignored_stays_ignored(tmp_path):
    """``nohup lca report …``: SIGHUP is ignored, and must stay so while the report runs."""
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with stops_unwind():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before)


def test_a_new_folder_is_made_as_any_folder_and_an_old_one_keeps_its_other_files(tmp_path):
    mask = os.umask(0o022)
    try:
        written = write_atomically(tmp_path / "new", _writer(**{"a.csv": "a"}))
    finally:
        os.umask(mask)
    assert written == [tmp_path / "new" / "a.csv"]
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o755  # not mkdtemp's 0o700
    (tmp_path / "new" / "mine.txt").write_text("kept")
    write_atomically(tmp_path / "new", _writer(**{"a.csv": "again"}))
    assert _contents(tmp_path / "new") == {"a.csv": "again", "mine.txt": "kept"}


def test_an_output_folder_given_as_a_link_is_written_where_it_leads(tmp_path):
    """The staging folder is made inside the output folder, on its file system: a move never
    crosses devices (a link to another disk, a mount point as Docker's `-v`, `--out .`)."""
    target = tmp_path / "disk" / "reports"
    target.mkdir(parents=True)
    (tmp_path / "here").mkdir()
    link = tmp_path / "here" / "out"
    link.symlink_to(target)
    staged = []

    def write(staging):
        staged.append(staging.parent)
        return _writer(**{"a.csv": "a"})(staging)

    assert write_atomically(link, write) == [link / "a.csv"]
    assert staged == [link]  # inside it: wherever it leads, whatever is mounted there
    assert _contents(target) == {"a.csv": "a"} and link.is_symlink()
    assert [p.name for p in (tmp_path / "disk").iterdir()] == ["reports"]
    assert [p.name for p in (tmp_path / "here").iterdir()] == ["out"]


def test_a_stop_request_unwinds_and_removes_the_staging_folder(tmp_path):
    def stopped(staging):
        (staging / "results.json").write_text("half")
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("not reached: the stop request ends the block")

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as stop, stops_unwind():
        write_atomically(tmp_path / "out", stopped)
    assert stop.value.code == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is before


def test_lca_import_writes_all_or_nothing_and_says_why(tmp_path):
    tracker = tmp_path / "emissions.csv"
    tracker.write_text(CODECARBON)
    out = tmp_path / "out"
    out.mkdir()
    (out / "compute_jobs.csv").mkdir()  # a folder where the sheet is to be written
    outcome = CliRunner().invoke(main, ["import", "codecarbon", str(tracker), "--out", str(out)])
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output
    assert (
        "compute_jobs.csv is a folder" in outcome.output and "nothing was written" in outcome.output
    )
    (out / "compute_jobs.csv").rmdir()
    (out / "compute_jobs.csv").write_text("last good import")
    blocked = tmp_path / "file"
    blocked.write_text("x")
    outcome = CliRunner().invoke(
        main, ["import", "codecarbon", str(tracker), "--out", str(blocked / "sub")]
    )
    assert outcome.exit_code == 1 and "nothing was written" in outcome.output
    outcome = CliRunner().invoke(main, ["import", "codecarbon", str(tracker), "--out", str(out)])
    assert outcome.exit_code == 0, outcome.output
    assert (out / "compute_jobs.csv").read_text().startswith("job_id,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["emissions.csv", "file", "out"]
    assert sorted(p.name for p in out.iterdir()) == ["compute_jobs.csv"]


def test_a_scheduler_without_dask_is_said_to_be_ignored(tmp_path):
    tracker = tmp_path / "emissions.csv"
    tracker.write_text(CODECARBON)
    args = ["import", "codecarbon", str(tracker), "--out", str(tmp_path / "o")]
    outcome = CliRunner().invoke(main, [*args, "--scheduler", "tcp://h:8786"])
    assert outcome.exit_code == 0
    assert "--scheduler tcp://h:8786 is ignored: it is for --engine dask" in outcome.output


def test_a_renderer_out_of_memory_is_said(tmp_path, monkeypatch):
    inventory = write_inventory(tmp_path / "inv", **REPORT_SHEETS)

    def out_of_memory(result, model, out_dir):
        raise MemoryError

    monkeypatch.setattr(render, "RENDERERS", (*render.RENDERERS[:2], out_of_memory))
    out = tmp_path / "out"
    outcome = CliRunner().invoke(main, ["report", str(inventory), "--out", str(out)])
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output
    assert "(MemoryError); nothing was written" in outcome.output and not out.exists()


def test_lca_compare_writes_all_or_nothing(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path / "in",
        settings=compare_settings(1, per_year=10, unit="user-year"),
        options="option,description\nonly,the one option\n",
        sites="site_id,country,kind,option\nOFF,FR,office,\n",
        equipment="asset_id,category,quantity,acquired_on,lifetime_years,site_id,annual_kwh,"
        "option\nL,laptop,10,2025-01-01,4,OFF,30,only\n",
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "compare.json").write_text("the last comparison")
    (out / "compare.xlsx").mkdir()  # a folder where the workbook is to be written
    args = ["compare", str(folder), "--out", str(out), "--factors", str(fixture_library.path)]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output
    assert "compare.xlsx is a folder" in outcome.output and "nothing was written" in outcome.output
    assert (out / "compare.json").read_text() == "the last comparison"
    assert sorted(p.name for p in out.iterdir()) == ["compare.json", "compare.xlsx"]


def test_lca_template_writes_whole_files_or_says_why(tmp_path):
    csv_dir = tmp_path / "inventory"
    csv_dir.mkdir()
    (csv_dir / "settings.csv").write_text("key,value\norganization,Kept\n")
    (csv_dir / "cloud.csv").mkdir()  # a folder where a sheet is to be written
    outcome = CliRunner().invoke(main, ["template", "--csv", str(csv_dir)])
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output
    assert "cloud.csv is a folder" in outcome.output and "nothing was written" in outcome.output
    assert (csv_dir / "settings.csv").read_text() == "key,value\norganization,Kept\n"
    assert sorted(p.name for p in csv_dir.iterdir()) == ["cloud.csv", "settings.csv"]
    blocked = tmp_path / "file"
    blocked.write_text("x")
    outcome = CliRunner().invoke(main, ["template", str(blocked / "template.xlsx")])
    assert outcome.exit_code == 1 and "nothing was written" in outcome.output
    book = tmp_path / "template.xlsx"
    outcome = CliRunner().invoke(main, ["template", str(book)])
    assert outcome.exit_code == 0, outcome.output
    assert book.read_bytes()[:2] == b"PK" and sorted(p.name for p in tmp_path.iterdir()) == [
        "file",
        "inventory",
        "template.xlsx",
    ]  # no part file left


def test_an_annotated_copy_that_cannot_be_written_is_said(tmp_path):
    inventory = write_inventory(tmp_path / "inv", **REPORT_SHEETS)
    blocked = tmp_path / "file"
    blocked.write_text("x")
    outcome = CliRunner().invoke(
        main, ["validate", str(inventory), "--annotate", str(blocked / "checked.xlsx")]
    )
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output
    assert "cannot write" in outcome.output and "nothing was written" in outcome.output


def test_a_stop_request_never_deletes_what_could_not_be_put_back(tmp_path, monkeypatch):
    """SIGTERM while the files move in, then the disk fills and one old file cannot go back:
    that file stays in the staging folder, the others are back, and the error that says where
    it is ends the command (the stop request held adds nothing to it, and is not let to
    replace its message)."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.csv", "b.csv", "c.csv"):
        (out / name).write_text(f"old {name}")
    replace = os.replace

    def unlucky(source, target):
        source, target = str(source), str(target)
        if target.endswith("out/a.csv") and "staging" in source and "replaced" not in source:
            os.kill(os.getpid(), signal.SIGTERM)
        if target.endswith("out/c.csv") and "replaced" not in source:
            raise OSError(28, "No space left on device")
        if "replaced" in source and source.endswith("a.csv"):
            raise OSError(5, "Input/output error")
        replace(source, target)

    monkeypatch.setattr(output_folder.os, "replace", unlucky)
    put_back = r"could not all be put back: they are in .*\.replaced"
    with pytest.raises(OSError, match=put_back), stops_unwind():
        write_atomically(out, _writer(**{n: "new" for n in ("a.csv", "b.csv", "c.csv")}))
    assert (out / "b.csv").read_text() == "old b.csv" and (out / "c.csv").read_text() == "old c.csv"
    assert not (out / "a.csv").exists()
    kept = next(out.glob(".lca-staging.*/.replaced"))
    assert _contents(kept) == {"a.csv": "old a.csv"}


def test_a_staging_folder_left_by_a_killed_command_is_named_by_validate(tmp_path):
    inventory = write_inventory(tmp_path / "inv", **REPORT_SHEETS)
    (inventory / ".lca-staging.k1ll3d").mkdir()
    (inventory / ".lca-staging.k1ll3d" / "cloud.csv").write_text("half")
    outcome = CliRunner().invoke(main, ["validate", str(inventory)])
    assert "'.lca-staging.k1ll3d' is the staging folder of an lca command killed" in outcome.output
    assert "remove it" in outcome.output


def test_the_writers_files_are_distinct_and_in_the_staging_folder(tmp_path):
    """Two files of one name would put the second over the first one's old file: refused
    before anything moves (a bug of the writers, said as such)."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("the user's")

    def twice(staging):
        (staging / "sub").mkdir()
        for path in (staging / "a.csv", staging / "sub" / "a.csv"):
            path.write_text("new")
        return [staging / "a.csv", staging / "sub" / "a.csv"]

    with pytest.raises(ValueError, match="not distinct files"):
        write_atomically(out, twice)
    assert _contents(out) == {"a.csv": "the user's"}


def test_a_new_folder_that_cannot_hold_the_staging_folder_is_removed(tmp_path, monkeypatch):
    def cannot(*args, **kwargs):
        raise OSError(36, "File name too long")

    monkeypatch.setattr(output_folder.tempfile, "mkdtemp", cannot)
    with pytest.raises(OSError, match="too long"):
        write_atomically(tmp_path / "new" / "deeper" / "out", _writer(**{"a.csv": "a"}))
    assert list(tmp_path.iterdir()) == []  # neither it nor the parents it made


def test_a_stop_request_while_the_hold_is_set_up_leaves_ctrl_c_working(tmp_path):
    """A signal that lands while the handlers are swapped (SIGINT's swapped, SIGTERM's not
    yet): every handler is put back, Ctrl-C is not left held for the rest of the process."""
    before = signal.getsignal(signal.SIGINT)
    swap, calls = signal.signal, []

    def stopped_at_the_second_swap(number, handler):
        calls.append(number)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return swap(number, handler)

    signal.signal = stopped_at_the_second_swap
    try:
        with pytest.raises(KeyboardInterrupt), output_folder._stops_held():
            pass
    finally:
        signal.signal = swap
    assert signal.getsignal(signal.SIGINT) is before
