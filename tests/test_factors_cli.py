"""``lca factors …`` with click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lca.cli.factors_cmd import command
from tests.helpers import write_inventory


def invoke(*args):
    return CliRunner().invoke(command, list(args))


def test_list_table_json():
    result = invoke("list", "--table", "fuels", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    diesel = [r for r in rows if r["factor_id"] == "fuels:diesel:gwp:per_L:2025"]
    assert diesel[0]["value"] == 2.57082 and diesel[0]["unit"] == "kgCO2e/L"


def test_list_search_and_mapping_table():
    assert "R-410A" in invoke("list", "--search", "r-410a").output
    regions = json.loads(invoke("list", "--table", "cloud_regions", "--json").output)
    assert {"provider": "aws", "region": "us-east-1"}.items() <= next(
        r for r in regions if r["region"] == "us-east-1"
    ).items()


def test_show_names_source_address():
    result = invoke("show", "spend:518210:gwp:2022", "--json")
    assert result.exit_code == 0
    record = json.loads(result.output)
    assert record["unit"] == "kgCO2e/USD"
    assert record["sources"]["epa_sef"]["url"].startswith("https://")


def test_unknown_id_and_table_are_usage_errors():
    assert invoke("show", "nope").exit_code == 2
    assert invoke("list", "--table", "nope").exit_code == 2


def test_licences_json():
    entries = json.loads(invoke("licences", "--json").output)
    assert any(
        e["path"] == "electricity_zones_odbl.csv" and e["licence"] == "ODbL-1.0" for e in entries
    )


def test_coverage_lists_rows_without_factor(tmp_path):
    inventory = write_inventory(
        tmp_path / "inv",
        sites="site_id,country,kind\nPAR,FR,office\nXX,ZZ,office\n",
        energy="site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh\nXX,electricity,50,kWh\n",
    )
    result = invoke("coverage", str(inventory), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [(m["sheet"], m["row"]) for m in report["missing"]] == [("energy", 3)]
    assert report["rows"] >= 2


def test_coverage_reports_the_grid_calibration_and_counts(tmp_path):
    inventory = write_inventory(
        tmp_path / "inv",
        sites="site_id,country,kind\nPAR,FR,office\n",
        energy="site_id,carrier,quantity,unit\nPAR,electricity,1,kWh\n",
    )
    report = json.loads(invoke("coverage", str(inventory), "--json").output)["library"]
    de = next(r for r in report["grid"]["calibration"] if (r["country"], r["year"]) == ("DE", 2020))
    assert de["published_kgco2e_per_kwh"] == 0.33866  # AIB production mix 2020
    assert abs(de["model_error"]) <= 0.10
    assert report["grid"]["countries_with_published_direct_factor"] == 33
    assert report["cloud"]["instance_types"]["gcp"] > 0
    text = invoke("coverage", str(inventory)).output
    assert "33 countries with a published direct grid factor" in text
