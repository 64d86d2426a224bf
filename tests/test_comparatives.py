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


def inventory(folder, year, kwh, leak_kg, service_kg, revenue, settings="", **sheets):
    return write_inventory(
        folder,
        settings=f"key,value\norganization,Test Org\nreporting_year,{year}\n"
        f"net_revenue,{revenue}\n{settings}",
        sites="site_id,country,kind\nDC,DE,datacenter\n",
        energy=f"site_id,carrier,quantity,unit\nDC,electricity,{kwh},kWh\n",
        refrigerants=f"site_id,gas,leaked_kg\nDC,R-410A,{leak_kg}\n",
        services=f"supplier,category,spend,currency,supplier_kgco2e,scope3_category\n"
        f"S,saas,1000,EUR,{service_kg},1\n",
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
    assert rows["cat1_cloud"]["base"] is None  # the AR 51 sub-line has no prior figure
    assert model["e1_6_note"].startswith("Base year 2023 (restated); comparative 2023")
    assert [t["target_id"] for t in model["targets"]] == ["ABS-12", "CAT-1", "INT-ALL"]
    absolute = model["targets"][0]
    assert absolute["base"] == pytest.approx(S1_23 + S2M_23)
    assert absolute["current"] == pytest.approx(S1_24 + S2M_24)
    [log] = model["restatements"]
    assert (log["year"], log["reported_kgco2e"], log["above_threshold"]) == (2023, 90_000.0, True)
    assert log["restated_kgco2e"] == pytest.approx(TOTAL_L_23)
    assert log["difference_pct"] == pytest.approx((TOTAL_L_23 - 90_000) / 90_000 * 100)
    assert log["reason"] == "grid factor corrected"


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
