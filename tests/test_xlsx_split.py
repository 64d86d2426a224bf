"""Tables longer than a sheet continue on ``<name> (2)`` …; the sums stay live over every part.

The sheet limit (``xlsx_cells.MAX_SHEET_ROWS``, Excel's 1,048,576 rows) is lowered so that a
small inventory fills several sheets; the recalculation in LibreOffice is in the slow test.
"""

from __future__ import annotations

import json
import tempfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from lca.pipeline import run
from lca.report import render, xlsx_cells, xlsx_ledger
from lca.report.render import render_all
from lca.report.xlsx_cells import Formula, WorkbookLimitError
from lca.report.xlsx_ledger import Sums
from tests.helpers import close, recalculate, report_inventory

#: 12 cloud rows and 12 offsets: with 12 rows per sheet (11 data rows), 39 ledger lines fill 4
#: Ledger sheets, 43 applied factors 4 Factors sheets, In-cloud 2 and Offsets 2 (its
#: statement row comes first).
ROWS = 12
CLOUD = "provider,region,service,resource,usage_type,quantity,unit\n" + "\n".join(
    f"aws,eu-west-3,AmazonEC2,m5.xlarge,compute,{100 * (n + 1)},h" for n in range(12)
)
OFFSETS = "project,standard,vintage,quantity_tco2e,kind\n" + "\n".join(
    f"Forest {n},VCS,2022,{n + 1},reduction" for n in range(12)
)


@pytest.fixture
def small_sheets(monkeypatch):
    monkeypatch.setattr(xlsx_cells, "MAX_SHEET_ROWS", ROWS)
    monkeypatch.setattr(xlsx_ledger, "RECORDS", 5)  # ledger lines read 5 at a time


def _render(folder, library):
    inventory = report_inventory(folder / "inv", cloud=CLOUD, offsets=OFFSETS)
    paths, found = render_all(run(inventory, library=library), folder / "out")
    assert found == []
    return {p.suffix: p for p in paths}


@pytest.fixture
def split_report(small_sheets, tmp_path, fixture_library):
    return _render(tmp_path, fixture_library)


def test_split_names_and_sizes():
    assert xlsx_cells.split("Ledger", 0) == [("Ledger", 0)]
    size = xlsx_cells.MAX_SHEET_ROWS - 1
    assert xlsx_cells.split("Ledger", size) == [("Ledger", size)]
    assert xlsx_cells.split("Ledger", 2 * size + 1) == [
        ("Ledger", size),
        ("Ledger (2)", size),
        ("Ledger (3)", 1),
    ]
    # a name at the 31-character limit keeps its suffix
    assert xlsx_cells.part_name("In-" + "x" * 28, 2) == "In-" + "x" * 24 + " (2)"
    assert xlsx_cells.sheet_ref("Ledger") == "Ledger"
    assert xlsx_cells.sheet_ref("Ledger (2)") == "'Ledger (2)'"


def test_one_sheet_sums_are_unchanged_and_several_are_added_in_brackets(small_sheets):
    assert Sums(ROWS - 1)("kgco2e", scope=1) == Formula(
        f"SUMIFS(Ledger!$AA$2:$AA${ROWS},Ledger!$H$2:$H${ROWS},1)"
    )
    assert Sums(ROWS)("kgco2e", scope=1) == Formula(
        f"(SUMIFS(Ledger!$AA$2:$AA${ROWS},Ledger!$H$2:$H${ROWS},1)"
        "+SUMIFS('Ledger (2)'!$AA$2:$AA$2,'Ledger (2)'!$H$2:$H$2,1))"
    )


def test_every_row_is_on_exactly_one_sheet_with_its_own_formulas(split_report):
    results = json.loads(split_report[".json"].read_text())
    wb = load_workbook(split_report[".xlsx"])
    assert wb.sheetnames[:11] == [
        "README",
        "Summary",
        "E1-6",
        "Ledger",
        "Ledger (2)",
        "Ledger (3)",
        "Ledger (4)",
        "Factors",
        "Factors (2)",
        "Factors (3)",
        "Factors (4)",
    ]
    assert {"In-cloud", "In-cloud (2)", "Offsets", "Offsets (2)"} <= set(wb.sheetnames)
    tables = ("Ledger", "Factors", "In-", "Issues", "Offsets")
    assert all(ws.max_row <= ROWS for ws in wb.worksheets if ws.title.startswith(tables))
    ledger = [wb[name] for name in wb.sheetnames if name.startswith("Ledger")]
    header = [c.value for c in ledger[0][1]]
    kg = header.index("kgco2e (kgCO2e, location-based)")
    ef = header.index("ef_gwp (kgCO2e per activity_unit)")
    rows = []
    for ws in ledger:
        assert [c.value for c in ws[1]] == header and ws.freeze_panes == "A2"
        formulas = 0
        for n, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if row[kg] is not None:
                assert row[kg] == f"=R{n}*T{n}*V{n}"  # its own row, on its own sheet
                formulas += 1
            rows.append(row)
        assert formulas > 0
    assert [r[0] for r in rows] == [line["line_id"] for line in results["lines"]]
    # each ledger factor points at the row of its Factors sheet that holds that factor
    factors = {}
    for name in wb.sheetnames:
        if name.startswith("Factors"):
            for n, row in enumerate(wb[name].iter_rows(min_row=2, values_only=True), start=2):
                factors[xlsx_cells.sheet_ref(name) + f"!$D${n}"] = row
    assert [row[0] for row in factors.values()] == [f"F{n}" for n in range(2, len(factors) + 2)]
    csv = pd.read_csv(split_report[".csv"]).set_index("line_id")
    # one Factors row per distinct (indicator, factor id, activity unit, value) of the ledger
    distinct = set()
    for indicator, id_column in [
        ("ef_gwp", "factor_gwp"),
        ("ef_gwp_market", "factor_gwp_market"),
        ("ef_energy", None),
        ("ef_water", "factor_water"),
        ("ef_adpe", "factor_adpe"),
    ]:
        used = csv[csv[indicator].notna()]
        ids = used[id_column].fillna("") if id_column else [""] * len(used)
        values = zip(ids, used["activity_unit"], used[indicator], strict=True)
        distinct |= {(indicator, i, u, v) for i, u, v in values}
    assert len(factors) == len(distinct) > ROWS  # more than one Factors sheet
    pointed = 0
    for row in rows:
        if row[ef] is not None:
            indicator, factor_id, value = factors[row[ef][1:]][1:4]
            line = csv.loc[row[0]]
            assert (indicator, factor_id, value) == ("ef_gwp", line["factor_gwp"], line["ef_gwp"])
            pointed += 1
    assert pointed == csv["ef_gwp"].notna().sum()
    offsets = [wb["Offsets"], wb["Offsets (2)"]]
    assert all("not deducted" in ws["A1"].value for ws in offsets)
    assert [r[1] for ws in offsets for r in ws.iter_rows(min_row=3, values_only=True)] == [
        f"Forest {n}" for n in range(12)
    ]
    readme = {r[0]: r[1] for r in wb["README"].iter_rows(values_only=True)}
    assert readme["Ledger"].startswith(f"{len(rows)} rows on 4 sheets: Ledger (11); ")
    assert readme["In-cloud"] == "12 rows on 2 sheets: In-cloud (11); In-cloud (2) (1)"


def test_nothing_is_split_under_the_real_limit(tmp_path, fixture_library):
    wb = load_workbook(_render(tmp_path, fixture_library)[".xlsx"], read_only=True)
    assert not [name for name in wb.sheetnames if name.endswith(")")]


def test_a_formula_longer_than_a_workbook_accepts_writes_nothing(
    monkeypatch, tmp_path, fixture_library
):
    monkeypatch.setattr(xlsx_cells, "MAX_SHEET_ROWS", 3)  # 20 Ledger sheets: sums too long
    inventory = report_inventory(tmp_path / "inv", cloud=CLOUD, offsets=OFFSETS)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setattr(render, "WORKBOOK_FORK_LINES", 0)  # written in a forked process
    with pytest.raises(WorkbookLimitError, match="characters, more than the 8,192"):
        render_all(run(inventory, library=fixture_library), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    # the sheets' temporary files are removed now, not left to an exit the workbook's
    # process does not run (WeasyPrint's font folder, here, goes when it is collected)
    assert not list(temporary.glob("openpyxl.*"))


def test_a_workbook_that_fails_while_saved_leaves_no_temporary_file(
    monkeypatch, tmp_path, fixture_library
):
    """The disk fills up at the third sheet, in the workbook's forked process: its sheets'
    temporary files go with the failure, not at an exit that process does not run."""
    from openpyxl.writer.excel import ExcelWriter

    inventory = report_inventory(tmp_path / "inv", cloud=CLOUD, offsets=OFFSETS)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setattr(render, "WORKBOOK_FORK_LINES", 0)
    write_worksheet, written = ExcelWriter.write_worksheet, []

    def disk_full_at_the_third(self, ws):
        written.append(ws.title)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        write_worksheet(self, ws)

    monkeypatch.setattr(ExcelWriter, "write_worksheet", disk_full_at_the_third)
    with pytest.raises(OSError, match="No space left"):
        render_all(run(inventory, library=fixture_library), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not list(temporary.glob("openpyxl.*"))


@pytest.mark.slow
def test_libreoffice_sums_every_ledger_sheet_to_results_json(split_report, tmp_path):
    totals = json.loads(split_report[".json"].read_text())["totals"]
    sheets = recalculate(split_report[".xlsx"], tmp_path / "csv")
    summary = {row[0]: float(row[1]) for row in sheets["Summary"][1:] if row and row[1]}
    expected = {
        "Scope 1": totals["scope1_kgco2e"],
        "Scope 2, location-based": totals["scope2_location_kgco2e"],
        "Scope 2, market-based": totals["scope2_market_kgco2e"],
        "Scope 3": totals["scope3_kgco2e"],
        "Total, location-based": totals["total_location_kgco2e"],
        "Total, market-based": totals["total_market_kgco2e"],
        "Energy (kWh)": totals["energy_kwh"],
        "Water consumption (m³)": totals["water_m3"],
        "ADPe (kg Sb eq)": totals["adpe_kgsbeq"],
    }
    expected |= {
        f"Scope 3, category {k}": v for k, v in totals["scope3_by_category_kgco2e"].items()
    }
    assert totals["scope3_kgco2e"] > 0 and totals["total_location_kgco2e"] > 0
    for label, value in expected.items():
        assert close(summary[label], value), (label, summary[label], value)
    e1_6 = {row[0]: row[3] for row in sheets["E1-6"] if row}
    assert close(
        float(e1_6["Total GHG emissions (location-based) (tCO2eq)"]) * 1000,
        totals["total_location_kgco2e"],
    )
    other = {row[0]: row[1] for row in sheets["Other indicators"] if row}
    assert close(float(other["Energy, all counted lines"]), totals["energy_kwh"])
    # every line on every Ledger sheet recalculates to its results.json line
    lines = {
        line["line_id"]: line for line in json.loads(split_report[".json"].read_text())["lines"]
    }
    parts = sorted(name for name in sheets if name == "Ledger" or name.startswith("Ledger ("))
    assert len(parts) == 4
    header = sheets["Ledger"][0]
    kg = header.index("kgco2e (kgCO2e, location-based)")
    seen = []
    for name in parts:
        for row in sheets[name][1:]:
            seen.append(row[0])
            assert close(float(row[kg]), lines[row[0]]["kgco2e"]), (name, row[0])
    assert sorted(seen) == sorted(lines)


def test_the_report_command_says_why_and_writes_nothing(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from lca.cli import main

    monkeypatch.setattr(xlsx_cells, "MAX_SHEET_ROWS", 3)
    inventory = report_inventory(tmp_path / "inv", cloud=CLOUD, offsets=OFFSETS)
    out = tmp_path / "out"
    outcome = CliRunner().invoke(main, ["report", str(inventory), "--out", str(out)])
    assert outcome.exit_code == 1
    assert "more than the 8,192 a workbook accepts" in outcome.output
    assert "nothing was written" in outcome.output and not out.exists()
