"""The Excel workpaper: LibreOffice recalculation equals results.json; no formula injection."""

from __future__ import annotations

import json
import shutil

import pytest
from openpyxl import load_workbook

from lca.pipeline import run
from lca.report.render import render_all
from tests.helpers import close, recalculate, report_inventory

pytestmark = pytest.mark.slow  # writes workbooks and recalculates them in LibreOffice


HOSTILE = [
    '=HYPERLINK("http://127.0.0.1:9/x","click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "=1+1",
    "bell\x07",
]
#: The reader removes control characters (a ``control-characters`` warning) before any writer
#: sees them: the bell is gone, the rest stays text.
SHOWN = [text.replace("\x07", "") for text in HOSTILE]
SERVICES = "supplier,description,category,spend,currency,spend_year\n" + "\n".join(
    '"{}","{}",saas,{},EUR,2024'.format(
        text.replace('"', '""'), text.replace('"', '""'), 1000 * (n + 1)
    )
    for n, text in enumerate(HOSTILE)
)


@pytest.fixture(scope="module")
def written(tmp_path_factory, fixture_library):
    folder = tmp_path_factory.mktemp("xlsx")
    result = run(report_inventory(folder / "inv", services=SERVICES), library=fixture_library)
    paths, found = render_all(result, folder / "out")
    assert found == []
    return {p.suffix: p for p in paths}


@pytest.fixture(scope="module")
def recalculated(written, tmp_path_factory):
    """Every sheet as LibreOffice computes it on load (the file has no cached values)."""
    return recalculate(written[".xlsx"], tmp_path_factory.mktemp("csv"))


def test_libreoffice_recalculation_gives_the_totals_of_results_json(written, recalculated):
    totals = json.loads(written[".json"].read_text())["totals"]
    summary = {row[0]: row for row in recalculated["Summary"][1:] if row and row[0]}
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
    expected.update(
        {f"Scope 3, category {k}": v for k, v in totals["scope3_by_category_kgco2e"].items()}
    )
    for label, value in expected.items():
        assert close(float(summary[label][1]), value), (label, summary[label][1], value)
    e1_6 = {row[0]: row[3] for row in recalculated["E1-6"] if row}
    assert close(
        float(e1_6["Total GHG emissions (location-based) (tCO2eq)"]) * 1000,
        totals["total_location_kgco2e"],
    )
    assert close(
        float(e1_6["Total GHG emissions (market-based) (tCO2eq)"]) * 1000,
        totals["total_market_kgco2e"],
    )
    other = {row[0]: row[1] for row in recalculated["Other indicators"] if row}
    assert close(float(other["Water consumption (ESRS E3-4 §28(a))"]), totals["water_m3"])


def test_every_ledger_line_recalculates_to_its_results_line(written, recalculated):
    lines = {line["line_id"]: line for line in json.loads(written[".json"].read_text())["lines"]}
    header, *rows = recalculated["Ledger"]
    kg = header.index("kgco2e (kgCO2e, location-based)")
    market = header.index("kgco2e_market (kgCO2e, market-based)")
    assert len(rows) == len(lines)
    for row in rows:
        line = lines[row[0]]
        assert close(float(row[kg]), line["kgco2e"]) and close(
            float(row[market]), line["kgco2e_market"]
        )


def test_untrusted_strings_are_text_never_formulas(written, recalculated):
    wb = load_workbook(written[".xlsx"])
    services = wb["In-services"]
    cells = [services.cell(row=r, column=c) for r in range(2, 2 + len(HOSTILE)) for c in (3, 4)]
    assert [c.value for c in cells] == [t for t in SHOWN for _ in (0, 1)]
    assert {c.data_type for c in cells} == {"s"}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert "HYPERLINK" not in c.value and "http" not in c.value, c.coordinate
    shown = [row[3] for row in recalculated["In-services"][1:]]
    assert shown == SHOWN


def test_sheets_headers_and_formats(written):
    wb = load_workbook(written[".xlsx"])
    assert wb.sheetnames[:5] == ["README", "Summary", "E1-6", "Ledger", "Factors"]
    assert {"Methods", "Quality", "Issues", "Offsets", "Other indicators", "In-energy"} <= set(
        wb.sheetnames
    )
    ledger = wb["Ledger"]
    assert ledger.freeze_panes == "A2"
    assert ledger.auto_filter.ref.startswith("A1:")
    headers = [c.value for c in ledger[1]]
    kg = headers.index("kgco2e (kgCO2e, location-based)") + 1
    assert ledger.cell(row=2, column=kg).number_format == "#,##0.000"
    assert ledger.cell(row=2, column=kg).value.startswith("=R2*T2*")
    ef = headers.index("ef_gwp (kgCO2e per activity_unit)") + 1
    assert ledger.cell(row=2, column=ef).value.startswith("=Factors!$D$")
    assert wb["Summary"]["B2"].value.startswith("=SUMIFS(Ledger!$AA$2:")
    settings = list(wb["In-settings"].iter_rows(min_row=2, max_col=4, values_only=True))
    assert settings[0] == (2, "settings.csv", "organization", "Acme Labs")
    assert [
        r[0] for r in wb["In-services"].iter_rows(min_row=2, max_col=1, values_only=True)
    ] == list(range(2, 2 + len(HOSTILE)))
    offsets = wb["Offsets"]
    assert "not deducted" in offsets["A1"].value
    assert not any(c.data_type == "f" for row in offsets.iter_rows() for c in row)


def test_in_settings_is_the_sheet_the_run_read(tmp_path, fixture_library):
    """In-settings shows the settings cells as the run read them, not the file as it is when
    the workbook is written: the inventory is not read again (here it is gone by then)."""
    folder = report_inventory(tmp_path / "inv")
    result = run(folder, library=fixture_library)
    typed = (folder / "settings.csv").read_text().splitlines()[1].split(",", 1)
    shutil.rmtree(folder)
    paths, found = render_all(result, tmp_path / "out")
    assert found == []
    workbook = next(p for p in paths if p.suffix == ".xlsx")
    rows = list(load_workbook(workbook)["In-settings"].iter_rows(min_row=2, values_only=True))
    assert rows[0][:4] == (2, "settings.csv", typed[0], typed[1])
