"""The corpus of bad inventories (tests/bad_inventories.py): each case produces its exact issue
(code, sheet, row, column), no other error, and no traceback through the CLI either."""

from __future__ import annotations

import pytest
from bad_inventories import BASE, CASES, write_csv_folder, write_workbook
from click.testing import CliRunner

from lca.cli import main
from lca.issues import CODES
from lca.pipeline import run

pytestmark = pytest.mark.slow  # the import corpus of real-world files


def where(issue) -> tuple:
    return issue.code, issue.source.sheet, issue.source.row, issue.source.column


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_base_inventory_is_clean(tmp_path, fixture_library, form):
    path = (
        write_csv_folder(tmp_path / "inv", BASE)
        if form == "csv"
        else write_workbook(tmp_path / "inv.xlsx", BASE)
    )
    result = run(path, library=fixture_library)
    assert [str(i) for i in result.issues] == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_inventory_gives_its_issue(tmp_path, fixture_library, case):
    path = case.build(tmp_path / case.name)
    result = run(path, library=fixture_library)
    found = {where(i): i for i in result.issues}
    expected = (case.code, case.sheet, case.row, case.column)
    assert expected in found, [str(i) for i in result.issues]
    assert found[expected].severity.value == case.severity
    assert case.code in CODES
    other_errors = [
        str(i)
        for i in result.issues
        if i.severity.value == "error"
        and where(i)[0] != case.code
        and i.code not in ("missing-sheet", "missing-value")
    ]
    assert other_errors == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_cli_never_shows_a_traceback(tmp_path, fixture_library, monkeypatch, case):
    monkeypatch.setattr("lca.pipeline.load_library", lambda: fixture_library)
    path = case.build(tmp_path / case.name)
    outcome = CliRunner().invoke(
        main, ["validate", str(path), "--json", "--annotate", str(tmp_path / "annotated.xlsx")]
    )
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), outcome.output
    assert outcome.exit_code == (1 if case.severity == "error" else 0), outcome.output
    assert "Traceback" not in outcome.output
    assert (tmp_path / "annotated.xlsx").exists()
