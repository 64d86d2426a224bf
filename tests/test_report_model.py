"""The report model: every section's figures, hand-computed from the fixture library."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from lca.ledger import FACTOR_ID_COLUMNS, factor_id_lists
from lca.pipeline import run
from lca.report.model import build, slug
from lca.report.results import results_bytes
from lca.report.tables import lines_kgco2e, top_sources
from tests.helpers import report_inventory


@pytest.fixture(scope="module")
def result(tmp_path_factory, fixture_library):
    return run(report_inventory(tmp_path_factory.mktemp("inv")), library=fixture_library)


@pytest.fixture(scope="module")
def model(result):
    return build(result)


def by_key(rows, key="key"):
    return {r[key]: r for r in rows}


def test_e1_6_rows_are_the_gross_totals(model, result):
    rows = by_key(model["e1_6"])
    assert rows["scope1"]["value"] == pytest.approx(200 * 2.5 + 2 * 2255.5)
    assert rows["scope2_location"]["value"] == pytest.approx(120000 * 0.02 + 50000 * 0.35)
    assert rows["scope2_market"]["value"] == pytest.approx(120000 * 0.045 + 50000 * 0.0)
    cloud = result.ledger.query("activity == 'cloud'")["kgco2e"].sum()
    services = 48000 * 1.08 * 100 / 110 * 0.08
    assert rows["cat1"]["value"] == pytest.approx(cloud + services)
    assert rows["cat1_cloud"]["value"] == pytest.approx(cloud)
    assert rows["cat4"]["value"] is None
    assert rows["total_location"]["value"] == pytest.approx(
        rows["scope1"]["value"] + rows["scope2_location"]["value"] + rows["scope3"]["value"]
    )
    assert rows["total_market"]["value"] == pytest.approx(
        rows["scope1"]["value"] + rows["scope2_market"]["value"] + rows["scope3"]["value"]
    )
    assert [r["category"] for r in model["e1_6"] if r.get("category")] == list(range(1, 16))
    assert rows["cat1_cloud"]["kind"] == "sub"


def test_intensity_per_net_revenue(model):
    totals = model["totals"]
    assert model["intensity"]["location_kgco2e_per_unit"] == pytest.approx(
        totals["total_location_kgco2e"] / 12_000_000
    )
    assert model["intensity"]["market_kgco2e_per_unit"] == pytest.approx(
        totals["total_market_kgco2e"] / 12_000_000
    )


def test_e1_5_energy_rows(model):
    rows = by_key(model["e1_5"])
    assert rows["fossil_fuels"]["kwh"] == pytest.approx(200 * 10)
    assert rows["purchased_renewable"]["kwh"] == pytest.approx(50 * 1000)
    assert rows["purchased_unspecified"]["kwh"] == pytest.approx(120000)
    assert rows["total"]["kwh"] == pytest.approx(2000 + 50000 + 120000)
    assert rows["renewable_share"]["share"] == pytest.approx(50000 / 172000)


def test_water_is_e3_4_own_consumption_and_the_value_chain_apart(model):
    rows = by_key(model["e3_4"])
    # FRA-DC, a data centre: 50 MWh × the fixture's WUE 1.8 L/kWh ÷ PUE 1.5 (facility → IT kWh)
    assert rows["water_consumption"]["value"] == pytest.approx(50000 * 1.8 / 1000 / 1.5)
    assert rows["water_value_chain"]["value"] == pytest.approx(
        model["totals"]["water_m3"] - 50000 * 1.8 / 1000 / 1.5
    )


def test_capital_goods_views_side_by_side_never_added(model):
    cg = model["capital_goods"]
    assert (cg["chosen"], cg["other"]) == ("acquisition_year", "amortized")
    rows = {r["category"]: r for r in cg["rows"] if r["category"]}
    # Acquisition year (the default): only the laptops bought in 2024; amortized: 366 days of
    # the servers' 4-year lifetime and 306 days of the laptops'.
    assert rows[2]["chosen_kgco2e"] == pytest.approx(10 * 250)
    assert rows[2]["other_kgco2e"] == pytest.approx(4 * 1500 * 366 / 1461 + 10 * 250 * 306 / 1461)
    assert rows[5]["chosen_kgco2e"] == rows[5]["other_kgco2e"] == 0.0  # disposal in 2027
    total = next(r for r in cg["rows"] if r.get("label", "").endswith("(location-based)"))
    assert total["chosen_kgco2e"] == model["totals"]["total_location_kgco2e"]
    assert total["other_kgco2e"] == pytest.approx(
        total["chosen_kgco2e"] - 2500 + rows[2]["other_kgco2e"]
    )
    assert model["meta"]["capital_goods_departure"] is None


def test_amortized_headline_states_its_departure(tmp_path, fixture_library):
    settings = "key,value\norganization,Acme Labs\nreporting_year,2024\ncapital_goods,amortized\n"
    amortized = build(run(report_inventory(tmp_path, settings=settings), library=fixture_library))
    departure = amortized["meta"]["capital_goods_departure"]
    assert departure.startswith("Departure from the GHG Protocol Scope 3 Standard")
    stated = [e for e in amortized["index"]["ghg"] if e["departure"]]
    assert [e["section"] for e in stated] == ["capital-goods"]
    assert stated[0]["departure"] == departure


def test_quality_method_mix_and_exclusions(model):
    quality = model["quality"]
    measured = 120000 * 0.02 + 50000 * 0.35 + 200 * 2.5 + 2 * 2255.5
    assert quality["primary_share"] == pytest.approx(
        measured / model["totals"]["total_location_kgco2e"]
    )
    assert [e["category"] for e in quality["excluded_categories"]] == [4, *range(6, 16)]
    assert {(e["status"], e["reason"][:12]) for e in quality["excluded_categories"]} == {
        ("not_assessed", "not assessed")
    }  # no screening sheet: never "no activity"
    assert quality["reconciliation"]["rows_rejected"] == 0
    assert ("info", "market-based-fallback", 1) in [
        (c["severity"], c["code"], c["count"]) for c in quality["issue_counts"]
    ]


def test_breakdowns(model):
    sites = by_key(model["by_site"], "site_id")
    assert sites["PAR-HQ"]["scope1_kgco2e"] == pytest.approx(200 * 2.5)
    assert sites["FRA-DC"]["scope2_market_kgco2e"] == 0.0
    assert [(r["group"], r["region"]) for r in model["cloud"]] == [("aws", "eu-west-3")]
    assert [(r["group"], r["method"]) for r in model["services"]] == [("saas", "spend_based")]
    assert model["compute_jobs"] == []
    scope2 = {r["site_id"]: r["market_source"] for r in model["methodology"]["scope2"]}
    assert scope2 == {"FRA-DC": "renewable instrument (go)", "PAR-HQ": "residual mix"}
    sites = by_key(model["methodology"]["sites"], "site_id")
    assert (sites["FRA-DC"]["pue"], sites["FRA-DC"]["pue_source"]) == (
        1.5,
        "sites:datacenter:pue:2024",
    )


def test_factors_used_carry_their_provenance(model):
    factors = by_key(model["factors"], "factor_id")
    grid = factors["electricity:FR:gwp:2024"]
    assert (grid["values"], grid["publisher"], grid["year"], grid["licence"]) == (
        [(0.02, "kgCO2e/kWh")],
        "fixture",
        2024,
        "CC0-1.0",
    )  # the fixture names no publisher
    go = factors["instrument:go"]  # no library value: the one the lines used
    assert (go["values"], go["edition"]) == ([(0.0, "kgCO2e/kWh")], "the inventory")
    assert {d["ref"] for d in model["datasets"]} == {f["dataset"] for f in model["factors"]}


def test_offsets_are_a_memo(model, result):
    offsets = model["offsets"]
    assert offsets["deducted"] is False
    assert [(r["project"], r["quantity_tco2e"], r["row"]) for r in offsets["rows"]] == [
        ("Forest", 100.0, 2)
    ]
    assert "not deducted" in offsets["statement"]


def test_disclosure_index_covers_iso_a_to_t(model):
    iso = model["index"]["iso"]
    assert "".join(e["item"] for e in iso) == "abcdefghijklmnopqrst"
    for entry in iso + model["index"]["ghg"]:
        assert entry["section"] in model["places"] or entry["why"]


def test_meta_hashes(model, result):
    meta = model["meta"]
    assert meta["results_sha256"] == hashlib.sha256(results_bytes(result)).hexdigest()
    assert [i["path"] for i in meta["inputs"]] == sorted(i["path"] for i in meta["inputs"])
    assert (meta["slug"], meta["year"]) == ("acme-labs", 2024)
    assert slug("Ünïcode & Co. <b>") == "unicode-co-b"


def test_compute_share_parts_add_up_to_the_total(model, result):
    share = model["compute_share"]
    lines = result.ledger[result.ledger["counted"]]
    at_frankfurt = lines[(lines["activity"] == "energy") & (lines["site_id"] == "FRA-DC")]
    assert share["datacentre_energy_kgco2e"] == pytest.approx(at_frankfurt["kgco2e"].sum())
    # Scope 2 and its upstream (category 3) line of the 50 MWh bought for the data centre.
    assert share["datacentre_energy_kgco2e"] == pytest.approx(50000 * 0.35 + 50000 * 0.06)
    parts = (
        share["cloud_kgco2e"]
        + share["datacentre_hardware_kgco2e"]
        + share["datacentre_energy_kgco2e"]
        + share["other_kgco2e"]
    )
    assert parts == pytest.approx(model["totals"]["total_location_kgco2e"])


def test_base_year_items_follow_the_inventory(model):
    # this fixture gives no base year and no prior: the items say so
    iso = {e["item"]: e for e in model["index"]["iso"]}
    assert (iso["k"]["status"], iso["k"]["section"]) == ("not disclosed", None)
    assert "no base year" in iso["k"]["why"]
    assert "no prior year" in iso["l"]["why"]


def test_base_year_items_point_at_e1_6_when_given():
    """k: the E1-6 table's base-year column; l: the restatement log; the policy item: the
    paragraph that states the policy (all three in the ESRS section)."""
    root = Path(__file__).resolve().parents[1] / "examples"
    example = build(run(root / "acme", priors=(root / "acme-2024",)))
    assert example["base_year"] == 2024
    iso = {e["item"]: e for e in example["index"]["iso"]}
    ghg = {e["text"]: e for e in example["index"]["ghg"]}
    for entry, place in (
        (iso["k"], "esrs"),
        (iso["l"], "restatements"),
        (ghg["Base year and recalculation policy"], "base-year"),
    ):
        assert (entry["status"], entry["section"]) == ("disclosed", place)


def _factor_lines() -> pd.DataFrame:
    """Five lines naming factors a, b, c: one uncounted, one without a figure."""
    ids = {column: [None] * 5 for column in FACTOR_ID_COLUMNS}
    ids["factor_gwp"] = ["a", "a;b", "b", "c", "a"]
    ids["factor_water"] = ["b", None, "c", None, "c"]
    return pd.DataFrame(
        {
            **ids,
            "kgco2e": [1e16, 1.0, 0.3, float("nan"), 1.0],
            "counted": [True, True, False, True, True],
            "line_id": ["l1", "l2", "l3", "l4", "l5"],
        }
    )


def test_lines_kgco2e_adds_each_factors_counted_lines_in_ledger_order():
    codes, lists = factor_id_lists(_factor_lines())
    weights = lines_kgco2e(_factor_lines(), codes, lists)
    # a: lines 1, 2, 5; b: lines 1, 2 (line 3 is not counted); c: line 5 (line 4 has no figure)
    assert weights == {"a": 0.0 + 1e16 + 1.0 + 1.0, "b": 0.0 + 1e16 + 1.0, "c": 1.0}
    assert weights["a"] == 1e16 != 1e16 + (1.0 + 1.0)  # added line by line: each 1.0 is lost


def test_lines_kgco2e_of_an_empty_ledger():
    empty = _factor_lines().iloc[:0]
    assert lines_kgco2e(empty, *factor_id_lists(empty)) == {}


def test_top_sources_keep_ties_by_line_id_when_cut_short():
    lines = pd.DataFrame(
        {
            "kgco2e": [5.0, 7.0, 7.0, float("nan"), 7.0, 1.0],
            "line_id": ["e", "d", "b", "x", "c", "a"],
            "counted": True,
            "scope": 3,
            "category": 1,
            "label": "server",
            "stage": "use",
            "part": "",
            "sheet": "equipment",
            "row": [2, 3, 4, 5, 6, 7],
        }
    )
    top = top_sources(lines, {}, n=2)
    assert [(t["line_id"], t["kgco2e"]) for t in top] == [("b", 7.0), ("c", 7.0)]
    assert [t["line_id"] for t in top_sources(lines, {}, n=5)] == ["b", "c", "d", "e", "a"]
    assert [t["line_id"] for t in top_sources(lines, {}, n=9)][-1] == "x"  # NaN last
