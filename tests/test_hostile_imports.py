"""Hostile and careless provider files: importers never write an infinite or negative
quantity, never turn a missing figure into 0, and a malformed file is a clear error (issue 22)."""

import textwrap

import pandas as pd
import pytest
from click.testing import CliRunner

from lca.cli import main
from lca.errors import InputFileError
from lca.importers import ImportOptions, registry, write_sheets

AWS = (
    "usage_period_start,usage_account_id,product_code,region_code,"
    "total_lbm_emissions_value,total_lbm_emissions_unit\n"
)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_emissions_in_pounds_refuse_the_file(tmp_path, fixture_library):
    path = _write(tmp_path, "carbon.csv", AWS + "2024-03-01,111,AmazonEC2,eu-west-3,5,lbs\n")
    with pytest.raises(InputFileError, match="'lbs' is not a mass of CO2e"):
        registry()["aws-carbon"](path, ImportOptions(library=fixture_library))


def test_a_missing_figure_stays_missing(tmp_path, fixture_library):
    path = _write(tmp_path, "carbon.csv", AWS + "2024-03-01,111,AmazonEC2,eu-west-3,n/a,MTCO2e\n")
    imported = registry()["aws-carbon"](path, ImportOptions(library=fixture_library))
    assert imported.sheets["cloud"]["reported_kgco2e"].isna().all()


def test_infinite_and_negative_numbers_are_left_blank_with_a_note(tmp_path, fixture_library):
    path = _write(
        tmp_path,
        "emissions.csv",
        """\
        project_name,run_id,duration,energy_consumed,pue
        p,1,3600,inf,1
        p,2,3600,-5,1
        p,3,3600,2,1
        """,
    )
    imported = registry()["codecarbon"](
        path, ImportOptions(library=fixture_library, runs_on="cloud")
    )
    write_sheets(imported, tmp_path / "out")
    written = pd.read_csv(tmp_path / "out" / "compute_jobs.csv")
    assert written["measured_kwh"].isna().tolist() == [True, True, False]
    assert written.loc[2, "measured_kwh"] == pytest.approx(2.0)
    assert any("source rows 2, 3" in note for note in imported.notes)


def test_a_parquet_column_of_the_wrong_type_is_a_clear_error(tmp_path):
    path = tmp_path / "cur.parquet"
    pd.DataFrame(
        {"lineItem/UsageAmount": [{"a": 1}], "lineItem/UsageType": [b"\x00"], "product/region": [3]}
    ).to_parquet(path)
    outcome = CliRunner().invoke(
        main, ["import", "aws-cur", str(path), "--out", str(tmp_path / "out")]
    )
    assert outcome.exit_code == 2 and "error:" in outcome.output
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
    assert not (tmp_path / "out").exists()


def test_a_malformed_tracker_log_is_a_clear_error(tmp_path):
    path = _write(tmp_path, "emissions.csv", 'duration,energy_consumed\n"1,\x00\n')
    outcome = CliRunner().invoke(
        main, ["import", "codecarbon", str(path), "--out", str(tmp_path / "out")]
    )
    assert outcome.exit_code in (0, 2)
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)


CUR = (
    "lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/UsageType,"
    "lineItem/UsageAmount,lineItem/UnblendedCost,lineItem/CurrencyCode,product/region,"
    "product/instanceType,pricing/unit\n"
)


def test_an_unreadable_usage_amount_is_never_a_number_and_is_said(tmp_path):
    line = "Usage,2025-01-01T00:00:00Z,AmazonEC2,EUW3-BoxUsage:m5.large,{},1.5,USD,eu-west-3,"
    path = _write(tmp_path, "cur.csv", CUR + line.format("n/a") + "m5.large,Hrs\n"
                  + line.format("10") + "m5.large,Hrs\n")  # fmt: skip
    imported = registry()["aws-cur"](path, ImportOptions())  # the shipped library knows m5.large
    [row] = imported.sheets["cloud"].to_dict("records")
    assert (row["quantity"], row["spend"]) == (10.0, 1.5 + 1.5)  # the n/a line adds no hours
    assert any(
        note.startswith("1 billing row(s) have a blank or unreadable amount")
        for note in imported.notes
    )


def test_a_cur_whose_lines_are_all_dropped_imports_an_empty_sheet(tmp_path, fixture_library):
    path = _write(
        tmp_path,
        "cur.csv",
        CUR + "Tax,2025-01-01T00:00:00Z,AmazonEC2,EUW3-BoxUsage:m5.large,1,0.3,USD,eu-west-3,,\n",
    )
    imported = registry()["aws-cur"](path, ImportOptions(library=fixture_library))
    assert imported.sheets["cloud"].empty
    assert any("dropped 1 (spend 0.30)" in note for note in imported.notes)
