"""The validate and report commands: output, JSON and exit codes (0 clean, 1 errors, 2 usage)."""

import json
from pathlib import Path

from click.testing import CliRunner
from helpers import write_inventory

from lca.cli import main

EXAMPLE = str(Path(__file__).resolve().parents[1] / "examples" / "acme")


def test_validate_clean_example_exits_0():
    result = CliRunner().invoke(main, ["validate", EXAMPLE])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output
    assert "equipment      read       34" in result.output


def test_validate_json_lists_issues_with_locations(tmp_path):
    folder = write_inventory(
        tmp_path,
        sites="site_id,name,country,kind\nP,Paris,FR,office\n",
        energy="site_id,carrier,quantity,unit\nP,electricity,-1,kWh\n",
    )
    result = CliRunner().invoke(main, ["validate", str(folder), "--json"])
    assert result.exit_code == 1
    issues = json.loads(result.output)
    assert {"code": "negative-value", "severity": "error"}.items() <= issues[0].items()
    assert issues[0]["source"] == {
        "file": "energy.csv",
        "sheet": "energy",
        "row": 2,
        "column": "quantity",
    }


def test_missing_path_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_not_a_workbook_is_a_clear_error(tmp_path):
    fake = tmp_path / "inventory.xlsx"
    fake.write_text("this is not a zip file")
    result = CliRunner().invoke(main, ["validate", str(fake)])
    assert result.exit_code == 1
    assert "inventory.xlsx" in result.output and "Traceback" not in result.output


def test_report_writes_results_and_prints_the_summary(tmp_path):
    result = CliRunner().invoke(main, ["report", EXAMPLE, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Scope 2 (market-based)" in result.output
    doc = json.loads((tmp_path / "results.json").read_text())
    assert doc["schema"] == "lca.results/1"
    assert (tmp_path / "ledger.csv").read_text().startswith("line_id,")
