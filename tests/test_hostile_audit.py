"""Findings of an audit after the first hostile-input pass (issue 22): each reproduced as the
audit found it, ending in a located issue, the exit code and all-or-nothing outputs."""

import json

import pytest
from click.testing import CliRunner
from helpers import REPORT_SHEETS, write_inventory

from lca.cli import main


def _report(tmp_path, **changes):
    return write_inventory(tmp_path / "inv", **{**REPORT_SHEETS, **changes})


def _cli_report(inventory, out, *extra):
    outcome = CliRunner().invoke(main, ["report", str(inventory), "--out", str(out), *extra])
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), outcome.output
    return outcome


def _settings(extra: str) -> str:
    return "key,value\norganization,Acme Labs\nreporting_year,2024\nnet_revenue,12000000\n" + extra


# --- settings that size the work ---------------------------------------------------------


@pytest.mark.parametrize(
    "key, value",
    [
        ("uncertainty_iterations", "1e9"),  # hung
        ("uncertainty_iterations", "1e300"),  # ValueError: Maximum allowed dimension exceeded
        ("uncertainty_iterations", "100000000"),  # MemoryError
        ("uncertainty_iterations", "99"),
        ("uncertainty_seed", "1e300"),
    ],
)
def test_settings_that_size_the_monte_carlo_are_bounded(tmp_path, key, value):
    inventory = _report(tmp_path, settings=_settings(f"{key},{value}\n"))
    out = tmp_path / "out"
    outcome = _cli_report(inventory, out)
    assert outcome.exit_code == 1, outcome.output
    assert not out.exists()
    outcome = CliRunner().invoke(main, ["validate", str(inventory), "--json"])
    issues = [i for i in json.loads(outcome.output) if i["code"] == "invalid-setting"]
    assert [(i["severity"], i["source"]) for i in issues] == [
        ("error", {"file": "settings.csv", "sheet": "settings", "row": 5, "column": "value"})
    ]
    limit = "from 100 to 1,000,000" if key == "uncertainty_iterations" else "to 4,294,967,295"
    assert limit in issues[0]["message"] and issues[0]["value"] == value


def test_a_million_iterations_is_accepted(tmp_path, fixture_library):
    from lca.pipeline import run

    inventory = write_inventory(
        tmp_path / "inv",
        settings="key,value\norganization,X\nreporting_year,2024\nuncertainty_iterations,1000000\n",
    )
    result = run(inventory, library=fixture_library)
    assert result.ok and result.valid_settings.uncertainty_iterations == 1_000_000
