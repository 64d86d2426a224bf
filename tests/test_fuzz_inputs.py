"""Fuzz (hypothesis): any CSV cell and any settings value end in issues, never a traceback;
every figure written is finite and rows read = accounted + rejected (issue 22)."""

import csv
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from lca.pipeline import run
from lca.report.results import json_text, results_bytes, results_dict

#: Cells a careless or hostile user types: numbers of every size, words, formulas, quotes,
#: line breaks, control and invisible characters, lookalike letters.
ODD = [
    "",
    " ",
    "n/a",
    "-",
    "inf",
    "-inf",
    "nan",
    "1e999",
    "-1e308",
    "1e308",
    "0",
    "-0",
    "1,5",
    "1.234.567,8",
    "0000-01-01",
    "9999-12-31",
    "2024-02-30",
    "45000",
    "1e10",
    '=HYPERLINK("x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    '"',
    'a"b',
    "line\nbreak",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "PAR\u200b",
    "Carb\u043en Neutral",
    "kWh",
    "MWh",
    "pounds",
    "global",
    "aws",
    "server",
    "electricity",
    "PAR",
    "EUR",
    "R-410A",
    "9" * 400,
]
cells = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**12), 10**12).map(str),
)
HEADERS = {
    "sites": ["site_id", "name", "country", "kind", "pue"],
    "equipment": [
        "asset_id",
        "category",
        "quantity",
        "acquired_on",
        "lifetime_years",
        "site_id",
        "power_w",
    ],
    "energy": ["site_id", "carrier", "quantity", "unit", "period_start", "period_end"],
    "cloud": ["provider", "region", "usage_type", "quantity", "unit"],
    "refrigerants": ["site_id", "gas", "leaked_kg", "charge_kg"],
    "services": ["supplier", "category", "spend", "currency", "spend_year"],
}
sheets = st.fixed_dictionaries(
    {
        name: st.lists(st.lists(cells, min_size=len(columns), max_size=len(columns)), max_size=3)
        for name, columns in HEADERS.items()
    }
)
setting_values = st.fixed_dictionaries(
    {
        "organization": st.one_of(st.text(max_size=30), st.sampled_from(ODD)),
        "reporting_year": st.one_of(
            st.sampled_from(["2024", "0", "1e10", "10000", "", "x"]), cells
        ),
        "currency": st.sampled_from(["EUR", "USD", "eur", "XXX", "", "\x00"]),
        # the numbers an audit found crashing or hanging the run (issue 22)
        "net_revenue": st.one_of(st.sampled_from(["1e-300", "1e-320", "1e308", "0", "-1"]), cells),
        "uncertainty_iterations": st.sampled_from(["100", "1e9", "1e300", "99", "1.5", "x", ""]),
        "uncertainty_seed": st.sampled_from(["0", "1e300", "-1", "4294967296"]),
        "recalculation_threshold": st.sampled_from(["5", "1e308", "-1", "100.5"]),
    }
)


def _write(folder: Path, rows: dict, values: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"settings": [["key", "value"]] + [[k, v] for k, v in values.items()]}
    tables |= {name: [HEADERS[name], *data] for name, data in rows.items()}
    tables["sites"] = tables["sites"] + [["PAR", "Paris", "FR", "office", ""]]
    for name, table in tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(table)
    return folder


def _numbers(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)


@pytest.mark.slow
@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(rows=sheets, values=setting_values)
def test_any_cells_end_in_issues_with_finite_balanced_results(fixture_library, rows, values):
    with tempfile.TemporaryDirectory() as folder:
        result = run(_write(Path(folder) / "inv", rows, values), library=fixture_library)
        for counts in result.reconciliation.get("by_sheet", {}).values():
            assert counts["rows_read"] == counts["rows_accounted"] + counts["rows_rejected"]
        if result.settings is not None:
            # raises on NaN or infinity (allow_nan=False); the fast lines are what json writes
            assert results_bytes(result) == json_text(results_dict(result)).encode("utf-8")
            assert all(math.isfinite(x) for x in _numbers(results_dict(result)))
