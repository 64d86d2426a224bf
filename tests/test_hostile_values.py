"""Hostile and careless values: a located issue, never a traceback, an infinite figure or an
absurd one accepted without a word (issue 22)."""

import csv
import json

import pytest
from click.testing import CliRunner
from helpers import REPORT_SHEETS, write_inventory

from lca.cli import main
from lca.issues import SourceRef
from lca.pipeline import run
from lca.report import render
from lca.report.claims import check_cells

SITES = "site_id,name,country,kind\nPAR,Paris,FR,office\n"


def _located(result, code):
    return {
        (i.source.sheet, i.source.row, i.source.column, i.severity.value)
        for i in result.issues
        if i.code == code
    }


@pytest.mark.parametrize(
    "sheets, code, where",
    [
        (
            {"energy": "site_id,carrier,quantity,unit\nPAR,electricity,1e999,kWh\n"},
            "invalid-number",
            ("energy", 2, "quantity", "error"),
        ),
        (
            {"energy": "site_id,carrier,quantity,unit\nPAR,electricity,inf,kWh\n"},
            "invalid-number",
            ("energy", 2, "quantity", "error"),
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id,power_w\n"
                "A,server,1,2024-01-01,PAR,1e308\n"
            },
            "out-of-range",
            ("equipment", 2, "power_w", "error"),
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A,server,1,0000-01-01,PAR\n"
            },
            "invalid-date",
            ("equipment", 2, "acquired_on", "error"),
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A,server,1,9999-12-31,PAR\n"
            },
            "invalid-date",
            ("equipment", 2, "acquired_on", "error"),
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id,lifetime_years\n"
                "A,server,1,2020-01-01,PAR,1000000\n"
            },
            "out-of-range",
            ("equipment", 2, "lifetime_years", "error"),
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id,lifetime_years\n"
                "A,server,1,2020-01-01,PAR,0\n"
            },
            "out-of-range",
            ("equipment", 2, "lifetime_years", "error"),
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id,lifetime_years\n"
                "A,server,1,2020-01-01,PAR,40\n"
            },
            "implausible-value",
            ("equipment", 2, "lifetime_years", "warning"),
        ),
        (
            {"sites": "site_id,name,country,kind,pue\nPAR,Paris,FR,datacenter,5\n"},
            "implausible-value",
            ("sites", 2, "pue", "warning"),
        ),
        (
            {"refrigerants": "site_id,gas,leaked_kg,charge_kg\nPAR,R-410A,5,1\n"},
            "implausible-value",
            ("refrigerants", 2, "leaked_kg", "warning"),
        ),
        (
            {
                "energy": "site_id,carrier,quantity,unit,period_start,period_end\n"
                "PAR,electricity,10,kWh,2020-01-01,2020-12-31\n"
            },
            "date-outside-period",
            ("energy", 2, "period_start", "error"),
        ),
        (
            {"offsets": "project,vintage,quantity_tco2e,retired_on\nX,2030,10,2024-06-30\n"},
            "out-of-range",
            ("offsets", 2, "vintage", "error"),
        ),
        (
            {
                "factors": "factor_id,sheet,key,indicator,value,unit,source\n"
                "f1,energy,electricity:FR,gwp,0.05,kgCO2e/kWh,x\n"
                "f2,energy,Electricity:FR,gwp,0.06,kgCO2e/kWh,y\n"
            },
            "duplicate-key",
            ("factors", 3, "key", "error"),
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A1,server,1,2024-01-01,PAR\na1\u200b,server,1,2024-01-01,PAR\n"
            },
            "duplicate-key",
            ("equipment", 3, "asset_id", "error"),
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A1,server,1,2024-01-01,PAR\u202e\n"
            },
            "invisible-characters",
            ("equipment", 2, "site_id", "warning"),
        ),
        (
            {"settings": "key,value\norganization,X\nreporting_year,10000000000\n"},
            "invalid-setting",
            ("settings", 3, "value", "error"),
        ),
        (
            {
                "settings": "key,value\norganization,X\nreporting_year,2023\n"
                "period_start,2024-01-01\n"
                "period_end,2024-12-31\n"
            },
            "inconsistent-columns",
            ("settings", 3, "value", "warning"),
        ),
    ],
)
def test_value_ends_in_a_located_issue(tmp_path, fixture_library, sheets, code, where):
    sheets.setdefault("sites", SITES)
    result = run(write_inventory(tmp_path, **sheets), library=fixture_library)
    assert where in _located(result, code)


@pytest.mark.parametrize("region", ["global", "mars-1"])
def test_unknown_or_global_cloud_region_is_an_issue(tmp_path, fixture_library, region):
    result = run(
        write_inventory(
            tmp_path,
            sites=SITES,
            cloud=(f"provider,region,usage_type,quantity,unit\naws,{region},compute,10,h\n"),
        ),
        library=fixture_library,
    )
    assert ("cloud", 2, "region", "error") in _located(result, "unknown-factor-key")
    assert result.reconciliation["by_sheet"]["cloud"] == {
        "rows_read": 1,
        "rows_accounted": 0,
        "rows_rejected": 1,
    }


@pytest.mark.parametrize("sites", [None, "site_id,name,country,kind\n"])
def test_missing_or_header_only_sites_sheet(tmp_path, fixture_library, sites):
    sheets = {
        "equipment": "asset_id,category,quantity,acquired_on,site_id\nA,server,1,2024-01-01,PAR\n"
    }
    if sites is not None:
        sheets["sites"] = sites
    result = run(write_inventory(tmp_path, **sheets), library=fixture_library)
    assert ("equipment", 2, "site_id", "error") in _located(result, "unknown-reference")


def test_homoglyph_claim_is_refused():
    source = SourceRef(file="x.csv", sheet="services", row=2, column="description")
    for text in (
        "our Carb\u043en Neutral cloud",
        "CARBON \u039d\u0395UTRAL",
        "carbon neu\u200btral",
        "carbon neu\u202etral",
    ):
        assert [i.code for i in check_cells([(source, text)])] == ["claim-refused"], text


def _report(tmp_path, **changes):
    return write_inventory(tmp_path / "inv", **{**REPORT_SHEETS, **changes})


def test_ledger_csv_neutralises_formulas(tmp_path):
    inventory = _report(
        tmp_path,
        sites="""\
    site_id,name,country,kind
    PAR-HQ,"=HYPERLINK(""http://x"",""y"")",FR,office
    FRA-DC,Frankfurt DC,DE,datacenter
    """,
        equipment="""\
    asset_id,category,model,quantity,acquired_on,lifetime_years,site_id,power_w
    +cmd|' /C calc'!A0,server,@SUM(1),4,2023-01-01,4,FRA-DC,300
    -2+3,laptop,,10,2024-03-01,4,PAR-HQ,
    """,
    )
    out = tmp_path / "out"
    CliRunner().invoke(main, ["report", str(inventory), "--out", str(out)])
    with (out / "ledger.csv").open(encoding="utf-8") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    assert "+cmd|' /C calc'!A0" not in cells and "'+cmd|' /C calc'!A0" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert "'-2+3" in cells and "-2+3" not in cells


def test_outputs_are_all_or_nothing(tmp_path, monkeypatch):
    inventory = _report(tmp_path)
    out = tmp_path / "out"

    def broken(result, model, out_dir):
        raise OSError("disk full")

    monkeypatch.setattr(render, "RENDERERS", (*render.RENDERERS[:2], broken))
    outcome = CliRunner().invoke(main, ["report", str(inventory), "--out", str(out)])
    assert outcome.exit_code == 1 and "nothing was written" in outcome.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["inv"]  # no staging folder left


def test_out_pointing_at_a_file_and_a_long_organisation_name(tmp_path):
    name = "Very Long Organisation " * 40
    inventory = _report(tmp_path, settings=f"key,value\norganization,{name}\nreporting_year,2024\n")
    (tmp_path / "file").write_text("x")
    outcome = CliRunner().invoke(
        main, ["report", str(inventory), "--out", str(tmp_path / "file" / "sub")]
    )
    assert outcome.exit_code == 1 and "nothing was written" in outcome.output
    out = tmp_path / "out"
    outcome = CliRunner().invoke(main, ["report", str(inventory), "--out", str(out)])
    assert outcome.exit_code in (0, 1), outcome.output
    names = sorted(p.name for p in out.iterdir())
    assert "results.json" in names and all(len(n) <= 100 for n in names)
    json.loads((out / "results.json").read_text())


def test_compare_work_is_bounded(tmp_path, fixture_library):
    from helpers import COMPARE_SITES, compare_settings

    from lca.compare.options import MAX_OPTION_YEARS, read_options

    options = "option,description\n" + "".join(f"o{i},option {i}\n" for i in range(300))
    folder = write_inventory(
        tmp_path, settings=compare_settings(50), options=options, sites=COMPARE_SITES
    )
    book = read_options(folder, fixture_library)
    [issue] = [i for i in book.issues if i.code == "invalid-setting"]
    assert (issue.source.file, issue.source.sheet, issue.source.row, issue.source.column) == (
        "settings.csv",
        "settings",
        2,
        "value",
    )
    assert f"{300 * 50:,}" in issue.message
    assert MAX_OPTION_YEARS < 300 * 50 and len(book.options) == 0 and not book.inventories
