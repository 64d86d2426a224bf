"""Classes an independent red-team corpus still found open (issue 22): compare settings that
crashed the CLI, absurd quantities, lifetimes, years and periods accepted without a word, own
factors orders of magnitude from the library's, importers dividing by an infinite PUE."""

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import COMPARE_OPTIONS, COMPARE_SITES, compare_settings, write_inventory

from lca.cli import main
from lca.importers import ImportOptions, registry, write_sheets
from lca.pipeline import run

SITES = "site_id,name,country,kind\nPAR,Paris,FR,office\n"
EQUIPMENT = "asset_id,category,quantity,acquired_on,lifetime_years,site_id\n"


def _located(result, code):
    return {
        (i.source.sheet, i.source.row, i.source.column, i.severity.value)
        for i in result.issues
        if i.code == code
    }


@pytest.mark.parametrize(
    "settings, row, text",
    [
        (compare_settings(5).replace("horizon_years,5", "horizon_years,1e6"), 2, "1000000"),
        (compare_settings(5).replace("2025-01-01", "2250-01-01"), 3, "2250-01-01"),
        (compare_settings(5).replace("2025-01-01", "0001-01-01"), 3, "0001-01-01"),
        (compare_settings(5, per_year=0), 5, "at least 1e-06"),
        # positive, but its reciprocal is infinite: compare.json could not be written
        (compare_settings(5, per_year="1e-320"), 5, "at least 1e-06"),
    ],
)
def test_compare_settings_end_in_a_located_error_with_nothing_written(
    tmp_path, settings, row, text
):
    folder = write_inventory(
        tmp_path / "cmp",
        settings=settings,
        options=COMPARE_OPTIONS,
        sites=COMPARE_SITES,
        equipment="asset_id,category,quantity,acquired_on,site_id,option\n"
        "S1,server,1,2025-01-01,OFF,a\nS2,server,1,2025-01-01,OFF,b\n",
    )
    out = tmp_path / "out"
    outcome = CliRunner().invoke(main, ["compare", str(folder), "--out", str(out), "--json"])
    assert outcome.exit_code == 1, outcome.output
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
    assert '"invalid-setting"' in outcome.output and f'"row": {row}' in outcome.output
    assert text in outcome.output
    assert not out.exists()


@pytest.mark.parametrize(
    "sheets, code, where",
    [
        (  # a typing slip: a million million servers on one row
            {"equipment": EQUIPMENT + "A,server,1000000000000,2024-01-01,4,PAR\n"},
            "implausible-value",
            ("equipment", 2, "quantity", "warning"),
        ),
        (  # amortised over 0.001 years, manufacturing would count 1,000 times a year
            {"equipment": EQUIPMENT + "A,server,1,2024-01-01,0.001,PAR\n"},
            "implausible-value",
            ("equipment", 2, "lifetime_years", "warning"),
        ),
        (
            {
                "offsets": "project,standard,vintage,quantity_tco2e,kind,retired_on\n"
                "p,VCS,2023,1e12,reduction,2024-06-01\n"
            },
            "implausible-value",
            ("offsets", 2, "quantity_tco2e", "warning"),
        ),
        (  # year 0 was silently converted with the nearest year's exchange rates
            {"services": "supplier,category,spend,currency,spend_year\nX,saas,100,USD,0\n"},
            "out-of-range",
            ("services", 2, "spend_year", "error"),
        ),
        (
            {"services": "supplier,category,spend,currency,spend_year\nX,saas,100,USD,1e10\n"},
            "out-of-range",
            ("services", 2, "spend_year", "error"),
        ),
        (
            {
                "settings": "key,value\norganization,T\nperiod_start,1901-01-01\n"
                "period_end,2099-12-31\n"
            },
            "implausible-value",
            ("settings", 4, "value", "warning"),
        ),
    ],
)
def test_absurd_values_are_flagged_where_they_are(tmp_path, fixture_library, sheets, code, where):
    sheets.setdefault("sites", SITES)
    result = run(write_inventory(tmp_path, **sheets), library=fixture_library)
    assert where in _located(result, code)
    for counts in result.reconciliation["by_sheet"].values():
        assert counts["rows_read"] == counts["rows_accounted"] + counts["rows_rejected"]
    if where[3] == "error":
        assert result.reconciliation["by_sheet"][where[0]]["rows_rejected"] == 1


@pytest.mark.parametrize("value, times", [("20", "1,000 times"), ("0.00002", "1/1,000 of")])
def test_an_own_factor_far_from_the_library_is_warned_and_used(
    tmp_path, fixture_library, value, times
):
    # the fixture library's electricity:FR gwp for 2024 is 0.02 kgCO2e/kWh
    folder = write_inventory(
        tmp_path,
        sites=SITES,
        energy="site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh\n",
        factors="factor_id,sheet,key,indicator,value,unit,source,year,region\n"
        f"mine,energy,electricity:FR,gwp,{value},kgCO2e/kWh,me,2024,FR\n",
    )
    result = run(folder, library=fixture_library)
    [issue] = [i for i in result.issues if i.code == "implausible-value"]
    assert (issue.source.sheet, issue.source.row, issue.source.column) == ("factors", 2, "value")
    assert times in issue.message and "electricity:FR:gwp:2024" in issue.message
    assert result.totals["scope2_location_kgco2e"] == pytest.approx(1000 * float(value))


def test_an_own_factor_near_the_library_is_not_warned(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path,
        sites=SITES,
        energy="site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh\n",
        factors="factor_id,sheet,key,indicator,value,unit,source,year,region\n"
        "mine,energy,electricity:FR,gwp,1.9,kgCO2e/kWh,me,2024,FR\n",  # 95 times: kept quiet
    )
    result = run(folder, library=fixture_library)
    assert "implausible-value" not in [i.code for i in result.issues]


def test_an_infinite_pue_never_turns_a_measured_energy_into_zero(tmp_path, fixture_library):
    path = tmp_path / "emissions.csv"
    path.write_text(
        "project_name,run_id,duration,energy_consumed,pue\np,1,3600,2,1e999\np,2,3600,3,1.5\n"
    )
    imported = registry()["codecarbon"](
        path, ImportOptions(library=fixture_library, runs_on="cloud")
    )
    write_sheets(imported, tmp_path / "out")
    written = pd.read_csv(tmp_path / "out" / "compute_jobs.csv")
    assert written["measured_kwh"].isna().tolist() == [True, False]
    assert written.loc[1, "measured_kwh"] == pytest.approx(3 / 1.5)
    assert any("pue" in note and "source rows 2" in note for note in imported.notes)


@pytest.mark.parametrize("twin", ["\uff33\uff32\uff36-1", "srv-1", "SRV\u200b-1"])
def test_identifiers_equal_but_for_width_case_or_invisible_characters_are_one_asset(
    tmp_path, fixture_library, twin
):
    equipment = EQUIPMENT + f"SRV-1,server,1,2024-01-01,4,PAR\n{twin},server,1,2024-01-01,4,PAR\n"
    result = run(
        write_inventory(tmp_path, sites=SITES, equipment=equipment), library=fixture_library
    )
    assert ("equipment", 3, "asset_id", "error") in _located(result, "duplicate-key")
    assert result.reconciliation["by_sheet"]["equipment"]["rows_rejected"] == 1


def test_an_emissions_figure_without_its_unit_refuses_the_file(tmp_path):
    path = tmp_path / "carbon.csv"
    path.write_text(
        "usage_period_start,usage_account_id,product_code,region_code,"
        "total_lbm_emissions_value,total_lbm_emissions_unit\n"
        "2024-03-01,1,AmazonEC2,eu-west-3,5,MTCO2e\n2024-03-01,1,AmazonS3,eu-west-3,7,\n"
    )
    out = tmp_path / "out"
    outcome = CliRunner().invoke(main, ["import", "aws-carbon", str(path), "--out", str(out)])
    assert outcome.exit_code == 2 and "without a unit" in outcome.output
    assert "data row 2" in outcome.output
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
    assert not out.exists()
