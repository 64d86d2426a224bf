"""Year two: priors recomputed, restatements, N/N-1 change and target progress.

Two inventories of consecutive years on the fixture library: one German data centre
(electricity 0.35 kgCO2e/kWh location-based, residual mix 0.6 market-based, upstream 0.06 in
scope 3 category 3) with an R-410A leak (AR6 GWP 2255.5), and a supplier-specific service
(scope 3 category 1).
"""

import json

import pytest
from click.testing import CliRunner
from helpers import codes, write_inventory

from lca.aggregate import comparatives
from lca.cli import main
from lca.pipeline import run
from lca.report.results import results_dict

PRIOR_KWH, CURRENT_KWH = 100_000, 80_000
PRIOR_LEAK_KG, CURRENT_LEAK_KG = 2, 1
PRIOR_SERVICE_KG, CURRENT_SERVICE_KG = 1_000, 1_500
PRIOR_REVENUE, CURRENT_REVENUE = 1_000_000, 1_250_000

# the prior year (2023), by hand
S1_23 = PRIOR_LEAK_KG * 2255.5
S2L_23, S2M_23 = PRIOR_KWH * 0.35, PRIOR_KWH * 0.6
C1_23, C3_23 = PRIOR_SERVICE_KG, PRIOR_KWH * 0.06
TOTAL_L_23, TOTAL_M_23 = S1_23 + S2L_23 + C1_23 + C3_23, S1_23 + S2M_23 + C1_23 + C3_23
# the reporting year (2024)
S1_24 = CURRENT_LEAK_KG * 2255.5
S2L_24, S2M_24 = CURRENT_KWH * 0.35, CURRENT_KWH * 0.6
C1_24, C3_24 = CURRENT_SERVICE_KG, CURRENT_KWH * 0.06
TOTAL_L_24, TOTAL_M_24 = S1_24 + S2L_24 + C1_24 + C3_24, S1_24 + S2M_24 + C1_24 + C3_24

TARGETS = """\
target_id,scope,scope2_method,kind,intensity_denominator,base_year,target_year,reduction_pct,science_based
ABS-12,1+2,market,absolute,,2023,2030,42,SBTi near-term
CAT-1,3.1,,absolute,,2023,2027,20,
INT-ALL,1+2+3,location,intensity,net_revenue,2023,2030,50,
"""


def inventory(
    folder, year, kwh, leak_kg, service_kg, revenue, settings="", hosting_kg=None, **sheets
):
    hosting = "" if hosting_kg is None else f"H,hosting,500,EUR,{hosting_kg},1\n"
    return write_inventory(
        folder,
        settings=f"key,value\norganization,Test Org\nreporting_year,{year}\n"
        f"net_revenue,{revenue}\n{settings}",
        sites="site_id,country,kind\nDC,DE,datacenter\n",
        energy=f"site_id,carrier,quantity,unit\nDC,electricity,{kwh},kWh\n",
        refrigerants=f"site_id,gas,leaked_kg\nDC,R-410A,{leak_kg}\n",
        services=f"supplier,category,spend,currency,supplier_kgco2e,scope3_category\n"
        f"S,saas,1000,EUR,{service_kg},1\n{hosting}",
        **sheets,
    )


@pytest.fixture
def prior(tmp_path):
    return inventory(
        tmp_path / "2023",
        2023,
        PRIOR_KWH,
        PRIOR_LEAK_KG,
        PRIOR_SERVICE_KG,
        PRIOR_REVENUE,
        "restatement_reason,grid factor corrected\n",
    )


def current(tmp_path, settings="base_year,2023\n", **sheets):
    return inventory(
        tmp_path / "2024",
        2024,
        CURRENT_KWH,
        CURRENT_LEAK_KG,
        CURRENT_SERVICE_KG,
        CURRENT_REVENUE,
        settings,
        **sheets,
    )


def reported(tmp_path, prior_result, **changes):
    """A results.json as first published for the prior year, some totals changed."""
    document = results_dict(prior_result)
    document["totals"] = {**document["totals"], **changes}
    path = tmp_path / "published-2023.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_prior_totals_are_hand_computed(prior, fixture_library):
    totals = run(prior, fixture_library).totals
    assert totals["scope1_kgco2e"] == pytest.approx(2 * 2255.5)
    assert totals["scope2_location_kgco2e"] == pytest.approx(100_000 * 0.35)
    assert totals["scope2_market_kgco2e"] == pytest.approx(100_000 * 0.6)
    assert totals["scope3_by_category_kgco2e"] == pytest.approx({"1": 1_000, "3": 100_000 * 0.06})
    assert totals["total_location_kgco2e"] == pytest.approx(TOTAL_L_23)


def test_comparatives_base_year_and_change_vs_prior(tmp_path, prior, fixture_library):
    result = run(current(tmp_path), fixture_library, priors=(prior,))
    assert [c["reporting_year"] for c in result.comparatives] == [2023]
    entry = result.comparatives[0]
    assert entry["restated"] is False and entry["reported_totals"] is None
    assert entry["restatement_reason"] == "grid factor corrected"
    assert result.base_year["year"] == 2023
    assert result.base_year["totals"]["total_market_kgco2e"] == pytest.approx(TOTAL_M_23)
    assert result.base_year["recalculation_threshold"] == pytest.approx(
        {"pct": 5.0, "location_kgco2e": 0.05 * TOTAL_L_23, "market_kgco2e": 0.05 * TOTAL_M_23}
    )
    change = result.change_vs_prior
    assert change["prior_year"] == 2023
    assert change["kgco2e"] == pytest.approx(
        {
            "scope1": S1_24 - S1_23,
            "scope2_location": S2L_24 - S2L_23,
            "scope2_market": S2M_24 - S2M_23,
            "scope3": (C1_24 + C3_24) - (C1_23 + C3_23),
            "total_location": TOTAL_L_24 - TOTAL_L_23,
            "total_market": TOTAL_M_24 - TOTAL_M_23,
            "scope3_category_1": 1_500 - 1_000,
            "scope3_category_3": (80_000 - 100_000) * 0.06,
        }
    )
    assert change["pct"]["scope1"] == pytest.approx((1 - 2) / 2 * 100)
    assert change["pct"]["scope3_category_1"] == pytest.approx(500 / 1000 * 100)
    assert change["pct"]["total_location"] == pytest.approx(
        (TOTAL_L_24 - TOTAL_L_23) / TOTAL_L_23 * 100
    )
    assert list(change["kgco2e"]) == [
        "scope1",
        "scope2_location",
        "scope2_market",
        "scope3",
        "total_location",
        "total_market",
        "scope3_category_1",
        "scope3_category_3",
    ]


def test_comparative_totals_equal_the_prior_run_on_its_own(tmp_path, prior, fixture_library):
    alone = run(prior, fixture_library)
    result = run(current(tmp_path), fixture_library, priors=(prior,))
    assert result.comparatives[0]["totals"] == alone.totals
    assert results_dict(result)["comparatives"][0]["totals"] == results_dict(alone)["totals"]


def test_a_restatement_above_the_threshold_is_marked(tmp_path, prior, fixture_library):
    published = reported(
        tmp_path,
        run(prior, fixture_library),
        scope1_kgco2e=S1_23 - 1_000,  # below 5 % of the base total
        scope2_location_kgco2e=S2L_23 - 5_000,
    )  # above it
    result = run(current(tmp_path), fixture_library, priors=(prior,), prior_reported=(published,))
    entry = result.comparatives[0]
    assert entry["reported_totals"]["scope2_location_kgco2e"] == S2L_23 - 5_000
    assert entry["difference_kgco2e"]["scope1"] == pytest.approx(1_000)
    assert entry["difference_kgco2e"]["scope2_location"] == pytest.approx(5_000)
    assert entry["difference_kgco2e"]["scope2_market"] == 0
    assert entry["difference_pct"]["scope2_location"] == pytest.approx(
        5_000 / (S2L_23 - 5_000) * 100
    )
    assert 1_000 < 0.05 * TOTAL_L_23 < 5_000
    assert entry["above_threshold"]["scope1"] is False
    assert entry["above_threshold"]["scope2_location"] is True
    assert entry["restated"] is True
    assert result.base_year["restated"] is True


def test_a_higher_threshold_keeps_the_same_difference_below_it(tmp_path, prior, fixture_library):
    published = reported(
        tmp_path, run(prior, fixture_library), scope2_location_kgco2e=S2L_23 - 5_000
    )
    result = run(
        current(tmp_path, "base_year,2023\nrecalculation_threshold,20\n"),
        fixture_library,
        priors=(prior,),
        prior_reported=(published,),
    )
    assert 0.20 * TOTAL_L_23 > 5_000
    assert result.comparatives[0]["restated"] is False
    assert result.base_year["recalculation_threshold"]["location_kgco2e"] == pytest.approx(
        0.20 * TOTAL_L_23
    )


def test_absolute_category_and_intensity_targets(tmp_path, prior, fixture_library):
    result = run(current(tmp_path, targets=TARGETS), fixture_library, priors=(prior,))
    assert codes(result) == []
    absolute, category, intensity = result.targets
    base, now = S1_23 + S2M_23, S1_24 + S2M_24
    goal = base * (1 - 0.42)
    path_2024 = base - (base - goal) * (2024 - 2023) / (2030 - 2023)
    assert absolute["base_kgco2e"] == pytest.approx(base)
    assert absolute["current_kgco2e"] == pytest.approx(now)
    assert absolute["target_kgco2e"] == pytest.approx(goal)
    assert absolute["linear_path_kgco2e"] == pytest.approx(path_2024)
    assert absolute["achieved_pct"] == pytest.approx((base - now) / (base - goal) * 100)
    assert absolute["reduction_to_date_pct"] == pytest.approx((base - now) / base * 100)
    assert absolute["on_track"] is (now <= path_2024) is True
    assert absolute["science_based"] == "SBTi near-term"
    # scope 3 category 1 grew by half: off track
    assert category["base_kgco2e"] == 1_000 and category["current_kgco2e"] == 1_500
    assert category["target_kgco2e"] == pytest.approx(1_000 * 0.8)
    assert category["linear_path_kgco2e"] == pytest.approx(1_000 - 200 * (1 / 4))
    assert category["achieved_pct"] == pytest.approx(-500 / 200 * 100)
    assert category["on_track"] is False
    # intensity per net revenue, location-based
    base_i, now_i = TOTAL_L_23 / PRIOR_REVENUE, TOTAL_L_24 / CURRENT_REVENUE
    assert intensity["base_intensity"] == pytest.approx(base_i)
    assert intensity["current_intensity"] == pytest.approx(now_i)
    assert intensity["target_intensity"] == pytest.approx(base_i * 0.5)
    assert intensity["linear_path_intensity"] == pytest.approx(base_i - base_i * 0.5 / 7)
    assert intensity["target_kgco2e"] == pytest.approx(base_i * 0.5 * CURRENT_REVENUE)
    assert intensity["achieved_pct"] == pytest.approx((base_i - now_i) / (base_i * 0.5) * 100)
    assert intensity["on_track"] is True


def test_a_target_on_the_reporting_year_alone(tmp_path, fixture_library):
    sheet = "target_id,scope,kind,base_year,target_year,reduction_pct\nT,1,absolute,2024,2030,30\n"
    result = run(current(tmp_path, "base_year,2024\n", targets=sheet), fixture_library)
    (target,) = result.targets
    assert target["base_kgco2e"] == target["current_kgco2e"] == pytest.approx(S1_24)
    assert target["achieved_pct"] == 0 and target["on_track"] is True
    assert result.comparatives == [] and result.change_vs_prior is None


def test_bad_target_rows_are_rejected_with_precise_issues(tmp_path, fixture_library):
    sheet = """\
    target_id,scope,scope2_method,kind,intensity_denominator,base_year,target_year,reduction_pct
    A,4,,absolute,,2024,2030,10
    B,3+3.1,,absolute,,2024,2030,10
    C,1+2,,absolute,,2024,2030,10
    D,1,,intensity,,2024,2030,10
    E,1,,absolute,,2024,2024,10
    F,1,,absolute,,2024,2030,120
    G,1,,absolute,,2024,2030,10
    G,1,,absolute,,2024,2030,10
    """
    result = run(current(tmp_path, "base_year,2024\n", targets=sheet), fixture_library)
    found = {(i.source.row, i.code, i.source.column) for i in result.issues}
    assert found == {
        (2, "invalid-choice", "scope"),
        (3, "invalid-choice", "scope"),
        (4, "missing-value", "scope2_method"),
        (5, "missing-value", "intensity_denominator"),
        (6, "date-order", "target_year"),
        (7, "out-of-range", "reduction_pct"),
        (9, "duplicate-key", "target_id"),
    }
    assert [t["target_id"] for t in result.targets] == ["G"]


def test_target_base_year_and_denominator_must_be_known(tmp_path, prior, fixture_library):
    sheet = """\
    target_id,scope,scope2_method,kind,intensity_denominator,base_year,target_year,reduction_pct
    OLD,1,,absolute,,2019,2030,10
    INT,1,,intensity,net_revenue,2023,2030,10
    """
    bare = inventory(tmp_path / "bare", 2023, PRIOR_KWH, PRIOR_LEAK_KG, PRIOR_SERVICE_KG, 0)
    result = run(current(tmp_path, targets=sheet), fixture_library, priors=(bare,))
    assert codes(result) == ["target-base-year-unknown", "target-denominator-missing"]
    assert "2019" in result.issues[0].message and "2023, 2024" in result.issues[0].message
    assert result.issues[0].source.row == 2 and result.issues[1].source.row == 3
    assert result.targets == []


def test_prior_issues_are_labelled_with_their_year(tmp_path, fixture_library):
    bad = inventory(tmp_path / "bad", 2023, -5, PRIOR_LEAK_KG, PRIOR_SERVICE_KG, PRIOR_REVENUE)
    result = run(current(tmp_path), fixture_library, priors=(bad,))
    (issue,) = [i for i in result.issues if i.code == "negative-value"]
    assert issue.message.startswith("prior year 2023: quantity: -5")
    assert issue.source.sheet == "energy" and issue.source.row == 2
    assert result.comparatives[0]["totals"]["scope2_location_kgco2e"] == 0


def test_year_problems_are_issues(tmp_path, prior, fixture_library):
    same_year = current(tmp_path / "again")
    published = reported(tmp_path, run(prior, fixture_library))
    unreadable = tmp_path / "not-results.json"
    unreadable.write_text("{}", encoding="utf-8")
    result = run(
        current(tmp_path, "base_year,2019\n"),
        fixture_library,
        priors=(prior, prior, same_year),
        prior_reported=(published, published, unreadable),
    )
    assert [i.code for i in result.issues if i.code.startswith(("prior", "base"))] == [
        "prior-year-order",
        "prior-year-order",
        "prior-reported-unreadable",
        "prior-reported-unmatched",
        "base-year-unknown",
    ]
    assert [c["reporting_year"] for c in result.comparatives] == [2023]
    assert result.base_year is None
    assert result.comparatives[0]["above_threshold"] is None


def test_priors_without_a_base_year_are_warned(tmp_path, prior, fixture_library):
    result = run(current(tmp_path, ""), fixture_library, priors=(prior,))
    assert codes(result) == ["base-year-missing"]


@pytest.mark.slow  # renders the PDF and the workbook
def test_report_command_writes_the_year_two_keys(tmp_path, prior, fixture_library):
    published = reported(tmp_path, run(prior, fixture_library))
    out = tmp_path / "out"
    cli = CliRunner().invoke(
        main,
        [
            "report",
            str(current(tmp_path, targets=TARGETS)),
            "--out",
            str(out),
            "--prior",
            str(prior),
            "--prior-reported",
            str(published),
        ],
    )
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert document["base_year"]["year"] == 2023, cli.output
    assert [c["reporting_year"] for c in document["comparatives"]] == [2023]
    assert document["change_vs_prior"]["prior_year"] == 2023
    assert [t["target_id"] for t in document["targets"]] == ["ABS-12", "CAT-1", "INT-ALL"]


def test_linear_path_is_clamped_to_the_target_years():
    assert comparatives.linear_path(100, 60, 2020, 2030, 2025) == pytest.approx(100 - 40 / 2)
    assert comparatives.linear_path(100, 60, 2020, 2030, 2035) == 60
    assert comparatives.linear_path(100, 60, 2020, 2030, 2019) == 100


def test_the_report_fills_e1_6_retrospective_targets_and_the_restatement_log(
    tmp_path, prior, fixture_library
):
    from lca.report.model import build

    published = reported(tmp_path, run(prior, fixture_library), total_location_kgco2e=90_000.0)
    result = run(
        current(tmp_path, targets=TARGETS),
        fixture_library,
        priors=(prior,),
        prior_reported=(published,),
    )
    model = build(result)
    rows = {r["key"]: r for r in model["e1_6"] if r["key"]}
    assert (rows["scope1"]["base"], rows["scope1"]["comparative"]) == (
        pytest.approx(S1_23),
        pytest.approx(S1_23),
    )
    assert rows["scope1"]["pct"] == pytest.approx((S1_24 - S1_23) / S1_23 * 100)
    assert rows["cat3"]["pct"] == pytest.approx((C3_24 - C3_23) / C3_23 * 100)
    assert rows["total_market"]["comparative"] == pytest.approx(TOTAL_M_23)
    # the AR 51 sub-line of the prior, as of N: a SaaS subscription is no data-centre service
    assert (rows["cat1_cloud"]["base"], rows["cat1_cloud"]["comparative"]) == (0.0, 0.0)
    assert rows["cat1_cloud"]["value"] == 0.0 and rows["cat1_cloud"]["pct"] is None
    assert model["e1_6_note"].startswith("Base year 2023 (restated); comparative 2023")
    assert [t["target_id"] for t in model["targets"]] == ["ABS-12", "CAT-1", "INT-ALL"]
    absolute = model["targets"][0]
    assert absolute["base"] == pytest.approx(S1_23 + S2M_23)
    assert absolute["current"] == pytest.approx(S1_24 + S2M_24)
    [log] = model["restatements"]
    assert (log["year"], log["base_year"], log["restated"]) == (2023, True, True)
    total = log["totals"]["total_location"]
    assert (total["reported_kgco2e"], total["above_threshold"]) == (90_000.0, True)
    assert total["restated_kgco2e"] == pytest.approx(TOTAL_L_23)
    assert total["difference_kgco2e"] == pytest.approx(TOTAL_L_23 - 90_000)
    assert total["difference_pct"] == pytest.approx((TOTAL_L_23 - 90_000) / 90_000 * 100)
    assert log["reason"] == log["why"] == "grid factor corrected"


#: As first published for 2023: scope 2 market-based 5,000 kgCO2e lower (an older residual
#: mix) and category 3 1,000 lower (a missed upstream factor); totals to match.
PUBLISHED = {
    "scope2_market_kgco2e": S2M_23 - 5_000,
    "scope3_kgco2e": C1_23 + C3_23 - 1_000,
    "scope3_by_category_kgco2e": {"1": C1_23, "3": C3_23 - 1_000},
    "total_location_kgco2e": TOTAL_L_23 - 1_000,
    "total_market_kgco2e": TOTAL_M_23 - 6_000,
}


def test_the_restatement_log_gives_each_scope_category_and_total(tmp_path, prior, fixture_library):
    """Per figure: restated, as first published, the difference in kgCO2e and % and whether it
    is above the 5 % threshold (2,325.55 kgCO2e location-based = 5 % × 46,511; 3,575.55
    market-based = 5 % × 71,511); the year is restated, for the reason its settings give; the
    policy states the base year and the threshold from the settings."""
    from lca.report.model import build

    published = reported(tmp_path, run(prior, fixture_library), **PUBLISHED)
    result = run(current(tmp_path), fixture_library, priors=(prior,), prior_reported=(published,))
    model = build(result)
    [log] = model["restatements"]
    rows = {r["key"]: r for r in log["rows"]}
    assert list(rows) == [
        "scope1", "scope2_location", "scope2_market", "scope3", "scope3_category_1",
        "scope3_category_3", "total_location", "total_market",
    ]  # fmt: skip
    location, market = 0.05 * TOTAL_L_23, 0.05 * TOTAL_M_23
    assert (location, market) == (pytest.approx(2_325.55), pytest.approx(3_575.55))
    expected = {  # difference (kgCO2e), % of the published figure, above the threshold
        "scope1": (0.0, 0.0, False),
        "scope2_location": (0.0, 0.0, False),
        "scope2_market": (5_000.0, 5_000 / 55_000 * 100, True),  # 9.09 % > 3,575.55
        "scope3": (1_000.0, 1_000 / 6_000 * 100, False),  # 1,000 < 2,325.55
        "scope3_category_1": (0.0, 0.0, False),
        "scope3_category_3": (1_000.0, 1_000 / 5_000 * 100, False),
        "total_location": (1_000.0, 1_000 / 45_511 * 100, False),
        "total_market": (6_000.0, 6_000 / 65_511 * 100, True),
    }
    for key, (kg, pct, above) in expected.items():
        row = rows[key]
        assert row["difference_kgco2e"] == pytest.approx(kg, abs=1e-9), key
        assert row["difference_pct"] == pytest.approx(pct, abs=1e-9), key
        assert row["above_threshold"] is above, key
        assert row["threshold_kgco2e"] == pytest.approx(market if "market" in key else location)
    assert rows["scope2_market"]["restated_kgco2e"] == pytest.approx(60_000)
    assert rows["scope2_market"]["reported_kgco2e"] == pytest.approx(55_000)
    assert log["restated"] is True and log["why"] == "grid factor corrected"
    assert log["above"] == ["Scope 2 (market-based)", "Total (market-based)"]
    policy = model["recalculation_policy"]
    assert (policy["base_year"], policy["threshold_pct"]) == (2023, 5.0)
    assert policy["threshold_location_kgco2e"] == pytest.approx(location)
    assert policy["threshold_market_kgco2e"] == pytest.approx(market)
    assert len(policy["triggers"]) == 3 and "Organic growth" in policy["not_triggers"]


def test_the_disclosure_index_follows_the_year_two_data(tmp_path, prior, fixture_library):
    """Without a base year and a prior, ISO 14064-1 k and l and the GHG Protocol base-year item
    are not disclosed and results.json has no base year and no comparative; g is not
    applicable (no fuel burned: biogenic CO2 0); f points at the summary (an R-410A leak:
    HFCs). With the figures first published, n points at the restatement log."""
    from helpers import index_denials

    from lca.report.model import build

    def index(result):
        model = build(result)
        assert index_denials(model["index"], results_dict(result)) == []
        return {e["item"] or e["text"]: e for e in model["index"]["iso"] + model["index"]["ghg"]}

    alone = index(run(current(tmp_path, settings=""), fixture_library))
    for item in ("k", "l", "n", "Base year and recalculation policy"):
        assert (alone[item]["status"], alone[item]["section"]) == ("not disclosed", None), item
    assert alone["g"]["status"] == "not applicable"
    assert alone["g"]["why"].startswith("no fuel is burned on site")
    assert (alone["f"]["status"], alone["f"]["section"]) == ("disclosed", "by-gas")
    published = reported(tmp_path, run(prior, fixture_library), **PUBLISHED)
    both = index(
        run(current(tmp_path), fixture_library, priors=(prior,), prior_reported=(published,))
    )
    for item, place in (
        ("k", "esrs"),
        ("l", "restatements"),
        ("n", "restatements"),
        ("Base year and recalculation policy", "base-year"),
    ):
        assert (both[item]["status"], both[item]["section"]) == ("disclosed", place), item


def test_without_a_reason_the_log_says_recomputed(tmp_path, fixture_library):
    from lca.report.model import build

    before = inventory(tmp_path / "2023", 2023, PRIOR_KWH, 2, 1_000, PRIOR_REVENUE)
    [log] = build(run(current(tmp_path), fixture_library, priors=(before,)))["restatements"]
    assert log["reason"] is None
    assert log["why"] == "recomputed with this year's methods and factors"
    assert log["reported_given"] is False and log["restated"] is False


def test_e1_6_target_year_columns_hold_the_absolute_targets(tmp_path, prior, fixture_library):
    """AR 48 milestone and target-year columns: CAT-1 (3.1, 2023 → 2027, −20 %) on the
    category 1 row, ABS-12 (1+2 market-based, 2023 → 2030, −42 %) on a row of its own for
    scopes 1 and 2 (market) together, never added to the totals; INT-ALL (intensity) only in
    E1-4."""
    from lca.report.model import build

    model = build(run(current(tmp_path, targets=TARGETS), fixture_library, priors=(prior,)))
    assert model["e1_6_targets"]["years"] == ["2027", "2030"]
    rows = {r["key"]: r for r in model["e1_6"] if r["key"]}
    cat1 = rows["cat1"]
    assert cat1["targets"] == {"2027": pytest.approx(C1_23 * (1 - 0.20))}  # 800 kgCO2e
    assert [a["pct"] for a in cat1["annual"]] == [pytest.approx(20 / (2027 - 2023))]  # 5 %/yr
    together = rows["scope1+scope2_market"]
    assert together["label"] == "Gross Scope 1 + market-based Scope 2 GHG emissions (tCO2eq)"
    assert together["value"] == pytest.approx(S1_24 + S2M_24)
    assert together["base"] == together["comparative"] == pytest.approx(S1_23 + S2M_23)
    assert together["pct"] == pytest.approx(
        (S1_24 + S2M_24 - S1_23 - S2M_23) / (S1_23 + S2M_23) * 100
    )
    assert together["targets"] == {"2030": pytest.approx((S1_23 + S2M_23) * (1 - 0.42))}
    assert [a["pct"] for a in together["annual"]] == [pytest.approx(42 / (2030 - 2023))]  # 6 %
    for key in ("scope1", "scope2_market", "scope3", "total_location", "total_market"):
        assert rows[key]["targets"] == {} and rows[key]["annual"] == [], key
    # the totals are still the last rows of the AR 48 table, the joint row after them
    keys = [r["key"] for r in model["e1_6"]]
    assert keys.index("scope1+scope2_market") > keys.index("total_market")
    note = model["e1_6_targets"]["note"]
    assert '"–" there: no absolute target covers the row' in note
    assert "intensity targets (INT-ALL): in E1-4 only" in note


def test_without_targets_the_e1_6_target_columns_are_the_ar48_template(
    tmp_path, prior, fixture_library
):
    from lca.report.model import build

    model = build(run(current(tmp_path), fixture_library, priors=(prior,)))
    assert model["e1_6_targets"]["years"] == ["2025", "2030", "(2050)"]
    assert all(r["targets"] == {} for r in model["e1_6"])
    assert model["e1_6_targets"]["note"] == (
        'Target-year columns: "–", no absolute target is given in the inventory.'
    )


def test_the_ar51_sub_line_has_its_base_year_comparative_and_change(tmp_path, fixture_library):
    """Hosting (a data-centre service, ESRS E1 AR 51) of 300 kgCO2e in 2023 and 450 in 2024,
    beside the SaaS subscription (category 1, not a data-centre service): the sub-line is the
    hosting alone in every year, computed for the prior as for N."""
    from lca.report.model import build

    before = inventory(tmp_path / "2023", 2023, PRIOR_KWH, 2, 1_000, PRIOR_REVENUE, hosting_kg=300)
    now = inventory(
        tmp_path / "2024", 2024, CURRENT_KWH, 1, 1_500, CURRENT_REVENUE, "base_year,2023\n",
        hosting_kg=450,
    )  # fmt: skip
    rows = {r["key"]: r for r in build(run(now, fixture_library, priors=(before,)))["e1_6"]}
    cloud = rows["cat1_cloud"]
    assert (cloud["base"], cloud["comparative"], cloud["value"]) == (300.0, 300.0, 450.0)
    assert cloud["pct"] == pytest.approx((450 - 300) / 300 * 100)  # +50 %
    assert rows["cat1"]["base"] == pytest.approx(1_000 + 300)  # the category holds both


def test_the_ar53_intensity_has_its_comparative_and_change(tmp_path, prior, fixture_library):
    from lca.report.years import intensity

    result = run(current(tmp_path), fixture_library, priors=(prior,))
    assert (result.comparatives[0]["net_revenue"], result.comparatives[0]["currency"]) == (
        PRIOR_REVENUE,
        "EUR",
    )
    block = intensity(result)
    assert block["location_kgco2e_per_unit"] == pytest.approx(TOTAL_L_24 / CURRENT_REVENUE)
    before = block["comparative"]
    assert before["year"] == 2023 and before["net_revenue"] == PRIOR_REVENUE
    assert before["location_kgco2e_per_unit"] == pytest.approx(TOTAL_L_23 / PRIOR_REVENUE)
    assert before["market_kgco2e_per_unit"] == pytest.approx(TOTAL_M_23 / PRIOR_REVENUE)
    now, then = TOTAL_M_24 / CURRENT_REVENUE, TOTAL_M_23 / PRIOR_REVENUE
    assert before["market_pct"] == pytest.approx((now - then) / then * 100)
    assert block["comparative_note"] is None


def test_an_intensity_comparative_needs_the_prior_revenue_in_the_same_currency(
    tmp_path, fixture_library
):
    from lca.report.years import intensity

    usd = inventory(tmp_path / "2023", 2023, PRIOR_KWH, 2, 1_000, PRIOR_REVENUE, "currency,USD\n")
    block = intensity(run(current(tmp_path), fixture_library, priors=(usd,)))
    assert block["comparative"] is None
    assert block["comparative_note"] == "2023's net revenue is in USD, not EUR"


def test_without_priors_the_report_says_so(tmp_path, fixture_library):
    from lca.report.model import build

    model = build(run(current(tmp_path, settings=""), fixture_library))
    assert all(r["base"] is None and r["pct"] is None for r in model["e1_6"])
    assert model["e1_6_note"] == (
        "No base year is given in the inventory; no prior year is given (no comparative); "
        "no target is given in the inventory."
    )
    assert model["targets"] == [] and model["restatements"] == []


@pytest.mark.slow  # renders the PDF
def test_the_pdf_shows_the_comparative_columns_and_the_targets(tmp_path, prior, fixture_library):
    import shutil
    import subprocess

    from lca.report.render import render_all

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    result = run(current(tmp_path, targets=TARGETS), fixture_library, priors=(prior,))
    paths, _ = render_all(result, tmp_path / "out")
    pdf = next(p for p in paths if p.suffix == ".pdf")
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "E1-4 GHG emission reduction targets" in text and "ABS-12" in text
    assert "Base year 2023" in text and "not given in the inventory (" not in text
    pct = f"{(S1_24 - S1_23) / S1_23 * 100:.1f} %".replace("-", "−")  # a minus sign
    assert pct in text  # scope 1: −50.0 %
    assert "Year-over-year bridge 2023 → 2024" in text
    assert "Activity Emission factors Method or boundary" in text


def test_a_prior_base_year_without_any_prior_is_a_warning(tmp_path, prior, fixture_library):
    """lca validate (no --prior option) and a report of the year alone: the base year and the
    targets are not measured, and say so, but the inventory is not in error; with a --prior of
    another year the same base year is an error."""
    alone = run(current(tmp_path, targets=TARGETS), fixture_library)
    found = {i.code: i for i in alone.issues}
    assert sorted(found) == ["base-year-unknown", "target-base-year-unknown"]
    assert {i.severity.value for i in alone.issues} == {"warning"}
    assert "no --prior inventory was given" in found["base-year-unknown"].message
    assert alone.targets == [] and alone.base_year is None
    other = inventory(tmp_path / "2022", 2022, 1, 1, 1, 1)
    wrong = run(current(tmp_path, targets=TARGETS), fixture_library, priors=(other,))
    assert {i.severity.value for i in wrong.issues if "base-year" in i.code} == {"error"}


@pytest.mark.slow  # renders the PDF and the workbook, recalculates it in LibreOffice
def test_the_summary_log_and_workbook_state_the_restatement(tmp_path, prior, fixture_library):
    """The PDF's summary states the base-year restatement (year, by how much, why), the policy
    its threshold and the log each scope; the workbook re-performs every derived number of the
    log, the policy, the targets and the E1-6 target columns as formulas, LibreOffice
    recalculating them to results.json's figures."""
    import shutil
    import subprocess

    from helpers import close, recalculate

    from lca.report.render import render_all

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    published = reported(tmp_path, run(prior, fixture_library), **PUBLISHED)
    result = run(
        current(tmp_path, targets=TARGETS),
        fixture_library,
        priors=(prior,),
        prior_reported=(published,),
    )
    paths, _ = render_all(result, tmp_path / "out")
    files = {p.suffix: p for p in paths}
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(files[".pdf"]), "-"], capture_output=True, text=True
        ).stdout.split()
    )
    # 45.511 → 46.511 t: +1 t = 1,000 / 45,511 = +2.2 %; 65.511 → 71.511 t: +6 t = +9.2 %
    assert (
        "Base year 2023 restated: total 45.511 → 46.511 tCO₂e location-based (+1.000 tCO₂e, "
        "+2.2 %) and 65.511 → 71.511 tCO₂e market-based (+6.000 tCO₂e, +9.2 %) against the "
        "figures first published; above the 5.0 % recalculation threshold in: Scope 2 "
        "(market-based); Total (market-based). Reason: grid factor corrected." in text
    )
    assert (
        "significance threshold of 5.0 % (setting recalculation_threshold), that is 2.326 "
        "tCO₂e location-based and 3.576 tCO₂e market-based" in text
    )
    assert "Scope 2 (market-based) 60.000 55.000 +5.000 +9.1 % yes" in text
    assert "3 Fuel- and energy-related activities 6.000 5.000 +1.000 +20.0 % no" in text
    assert "Base year and recalculation policy Base year and recalculation policy, p." in text

    document = json.loads(files[".json"].read_text(encoding="utf-8"))
    sheet = recalculate(files[".xlsx"], tmp_path / "csv")["E1-6"]
    start = next(n for n, row in enumerate(sheet) if row and row[0].startswith("Restatement log"))
    rows = {}  # the E1-6 table, the targets and the policy: first of each label
    for row in sheet[:start]:
        if row and row[0]:
            rows.setdefault(row[0].strip(), row)
    log = {row[0].strip(): row for row in sheet[start:] if row and row[0]}

    def number(row, column, where=rows):
        return float(where[row]["ABCDEFGHIJKL".index(column)])

    # E1-6 target-year columns 2027 (F) and 2030 (G), annual % (H)
    assert close(number("1 Purchased goods and services", "F"), C1_23 * 0.8 / 1000)
    assert close(number("1 Purchased goods and services", "H"), 20 / 4)
    joint = "Gross Scope 1 + market-based Scope 2 GHG emissions (tCO2eq)"
    assert close(number(joint, "G"), (S1_23 + S2M_23) * 0.58 / 1000)
    assert close(number(joint, "H"), 42 / 7)
    # the policy's thresholds: 5 % of the base-year totals of the E1-6 table
    limits = document["base_year"]["recalculation_threshold"]
    for method in ("location", "market"):
        label = f"Threshold, {method}-based (kgCO2e): % × the base year's total above"
        assert close(number(label, "B"), limits[f"{method}_kgco2e"]), method
    # the log: difference, % and above threshold per figure
    entry = document["comparatives"][0]
    for label, key in (
        ("Scope 2 (market-based)", "scope2_market"),
        ("Scope 3", "scope3"),
        ("3 Fuel- and energy-related activities", "scope3_category_3"),
        ("Total (location-based)", "total_location"),
        ("Total (market-based)", "total_market"),
    ):
        assert close(number(label, "D", log), entry["difference_kgco2e"][key]), label
        assert close(number(label, "E", log), entry["difference_pct"][key]), label
        assert log[label][5] == ("yes" if entry["above_threshold"][key] else "no"), label
    # the targets: target value, linear path, achieved % and on track
    for target in document["targets"]:
        kind = "intensity" if target["kind"] == "intensity" else "kgco2e"
        row = rows[target["target_id"]]
        assert close(float(row[8]), target[f"target_{kind}"]), target["target_id"]
        assert close(float(row[9]), target[f"linear_path_{kind}"]), target["target_id"]
        assert close(float(row[10]), target["achieved_pct"]), target["target_id"]
        assert row[11] == ("yes" if target["on_track"] else "no")
