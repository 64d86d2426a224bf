"""The year-over-year bridge (``lca.aggregate.bridge``): N-1 to N split into activity, factor
and method-or-boundary effects, worked out by hand on the fixture library.

One German data centre: electricity (0.35 kgCO2e/kWh location-based, residual mix 0.6
market-based, upstream 0.06 in scope 3 category 3), district heating at an own factor
``heat-dc`` (0.2 in 2023, 0.15 in 2024, both views; upstream 0.03 from the library), an R-410A
leak (AR6 GWP 2255.5) and supplier-specific services (scope 3 category 1): supplier S in both
years, T in 2023 only, U in 2024 only.
"""

import pytest
from helpers import write_inventory

from lca.aggregate import bridge
from lca.issues import SourceRef
from lca.pipeline import run

KWH_23, KWH_24 = 100_000, 80_000
HEAT_23, HEAT_24 = 10_000, 12_000
HEAT_EF_23, HEAT_EF_24 = 0.2, 0.15
LEAK_23, LEAK_24 = 2, 1
S_23, S_24, T_23, U_24 = 1_000, 1_500, 250, 300
TOTAL_23 = LEAK_23 * 2255.5 + KWH_23 * 0.35 + HEAT_23 * HEAT_EF_23 + S_23 + T_23
TOTAL_23 += (KWH_23 * 0.06) + (HEAT_23 * 0.03)


def inventory(folder, year, kwh, heat_kwh, heat_ef, leak_kg, services, settings=""):
    return write_inventory(
        folder,
        settings=f"key,value\norganization,Test Org\nreporting_year,{year}\n"
        f"net_revenue,1000000\n{settings}",
        sites="site_id,country,kind\nDC,DE,datacenter\n",
        energy=f"site_id,carrier,quantity,unit\nDC,electricity,{kwh},kWh\n"
        f"DC,district_heating,{heat_kwh},kWh\n",
        refrigerants=f"site_id,gas,leaked_kg\nDC,R-410A,{leak_kg}\n",
        factors="factor_id,sheet,key,indicator,stage,value,unit,source,year,region\n"
        f"heat-dc,energy,district_heating:DE,gwp,,{heat_ef},kgCO2e/kWh,Heat network,{year},DE\n",
        services="supplier,category,spend,currency,supplier_kgco2e,scope3_category\n" + services,
    )


PRIOR_SERVICES = f"S,saas,1000,EUR,{S_23},1\nT,it_consulting,1000,EUR,{T_23},1\n"
CURRENT_SERVICES = f"S,saas,1000,EUR,{S_24},1\nU,saas,500,EUR,{U_24},1\n"


@pytest.fixture
def prior(tmp_path):
    return inventory(tmp_path / "2023", 2023, KWH_23, HEAT_23, HEAT_EF_23, LEAK_23, PRIOR_SERVICES)


def current(tmp_path, services=CURRENT_SERVICES, **changes):
    values = {"kwh": KWH_24, "heat_kwh": HEAT_24, "heat_ef": HEAT_EF_24, "leak_kg": LEAK_24}
    values |= changes
    return inventory(tmp_path / "2024", 2024, **values, services=services)


def effects_of(entry):
    return entry["activity_kgco2e"], entry["factor_kgco2e"], entry["method_kgco2e"]


def test_the_bridge_is_hand_computed_and_adds_up(tmp_path, prior, fixture_library):
    result = run(current(tmp_path), fixture_library, priors=(prior,))
    assert [i.code for i in result.issues if i.severity.value == "error"] == []
    b = result.bridge
    assert (b["prior_year"], b["reporting_year"]) == (2023, 2024)
    f = b["figures"]
    # scope 1: one leak, one kg less, same GWP
    assert effects_of(f["scope1"]) == pytest.approx(((LEAK_24 - LEAK_23) * 2255.5, 0, 0))
    # scope 2 location: electricity (activity only), heating (activity at 0.2, factor at N)
    heat_activity = (HEAT_24 - HEAT_23) * HEAT_EF_23
    heat_factor = HEAT_24 * (HEAT_EF_24 - HEAT_EF_23)
    assert effects_of(f["scope2_location"]) == pytest.approx(
        ((KWH_24 - KWH_23) * 0.35 + heat_activity, heat_factor, 0), abs=1e-9
    )
    assert effects_of(f["scope2_market"]) == pytest.approx(
        ((KWH_24 - KWH_23) * 0.6 + heat_activity, heat_factor, 0), abs=1e-9
    )
    # category 3: the upstream of both carriers, factors unchanged
    assert effects_of(f["scope3_category_3"]) == pytest.approx(
        ((KWH_24 - KWH_23) * 0.06 + (HEAT_24 - HEAT_23) * 0.03, 0, 0), abs=1e-9
    )
    # category 1: S's own figure changed (supplier data: factor); T gone, U new (boundary)
    assert effects_of(f["scope3_category_1"]) == pytest.approx(
        (0, S_24 - S_23, U_24 - T_23), abs=1e-9
    )
    detail = f["scope3_category_1"]["method_detail"]
    assert (detail["added_kgco2e"], detail["removed_kgco2e"]) == (U_24, -T_23)
    assert (detail["keys_added"], detail["keys_removed"]) == (1, 1)
    assert f["total_location"]["prior_kgco2e"] == pytest.approx(TOTAL_23)
    change = result.change_vs_prior["kgco2e"]
    for name, entry in f.items():
        assert sum(effects_of(entry)) == pytest.approx(change[name], abs=1e-9), name
        assert entry["change_kgco2e"] == pytest.approx(change[name], abs=1e-9), name
    assert list(f) == [
        "scope1",
        "scope2_location",
        "scope2_market",
        "scope3",
        "total_location",
        "total_market",
        "scope3_category_1",
        "scope3_category_3",
    ]


def test_rows_are_matched_on_what_they_are_not_where_they_sit(tmp_path, prior, fixture_library):
    swapped = f"U,saas,500,EUR,{U_24},1\nS,saas,1000,EUR,{S_24},1\n"
    f = run(current(tmp_path, swapped), fixture_library, priors=(prior,)).bridge["figures"]
    assert effects_of(f["scope3_category_1"]) == pytest.approx(
        (0, S_24 - S_23, U_24 - T_23), abs=1e-9
    )


def test_a_sheet_absent_in_one_year_is_a_boundary_effect(tmp_path, fixture_library):
    bare = write_inventory(
        tmp_path / "2023",
        settings="key,value\norganization,Test Org\nreporting_year,2023\n",
        sites="site_id,country,kind\nDC,DE,datacenter\n",
        energy=f"site_id,carrier,quantity,unit\nDC,electricity,{KWH_23},kWh\n",
    )
    result = run(current(tmp_path), fixture_library, priors=(bare,))
    f = result.bridge["figures"]
    assert effects_of(f["scope1"]) == pytest.approx((0, 0, LEAK_24 * 2255.5))
    # the heating line is new: its whole kgCO2e is a boundary effect
    assert effects_of(f["scope2_location"]) == pytest.approx(
        ((KWH_24 - KWH_23) * 0.35, 0, HEAT_24 * HEAT_EF_24), abs=1e-9
    )
    assert f["scope1"]["method_detail"]["keys_added"] == 1


def test_a_line_that_is_not_activity_times_factor_goes_to_the_method_effect(
    tmp_path, prior, fixture_library
):
    before = run(prior, fixture_library).lines
    after = run(current(tmp_path), fixture_library).lines.copy()
    leak = after.index[after["sheet"] == "refrigerants"]
    after.loc[leak, "kgco2e"] = 3_000.0  # not 1 kg × 2255.5
    f = bridge.figures_bridge(before, after)
    assert effects_of(f["scope1"]) == pytest.approx((0, 0, 3_000 - LEAK_23 * 2255.5))
    assert f["scope1"]["method_detail"]["keys_not_activity_times_factor"] == 1


def test_a_new_edition_of_a_factor_is_the_same_factor_family():
    assert bridge.factor_family("electricity:DE:gwp:2024") == "electricity:DE:gwp"
    assert bridge.factor_family("supplier:equipment:12") == "supplier:equipment"
    assert bridge.factor_family("genai:gpu:gwp:2026;genai:server:gwp:2026") == (
        "genai:gpu:gwp;genai:server:gwp"
    )
    assert bridge.factor_family("heat-dc") == "heat-dc"


def test_a_bridge_that_does_not_close_is_an_error(tmp_path, prior, fixture_library):
    result = run(current(tmp_path), fixture_library, priors=(prior,))
    f = result.bridge["figures"]
    change = dict(result.change_vs_prior["kgco2e"])
    source = SourceRef(file="inventory")
    assert bridge.closure_issues(f, change, source) == []
    change["scope1"] += 1e-3
    (issue,) = bridge.closure_issues(f, change, source)
    assert (issue.code, issue.severity.value, issue.value) == (
        "bridge-does-not-close",
        "error",
        "scope1",
    )


def test_without_a_prior_there_is_no_bridge(tmp_path, fixture_library):
    assert run(current(tmp_path), fixture_library).bridge is None


TARGET = "target_id,scope,scope2_method,kind,base_year,target_year,reduction_pct\n"
TARGET += "S12,1+2,location,absolute,2023,2030,42\n"


def test_the_report_model_charts_and_workbook_show_the_bridge(tmp_path, prior, fixture_library):
    from openpyxl import load_workbook

    from lca.report.charts import year_two_charts
    from lca.report.model import build
    from lca.report.xlsx import write_xlsx

    folder = current(tmp_path)
    (folder / "targets.csv").write_text(TARGET, encoding="utf-8")
    (folder / "settings.csv").write_text(
        (folder / "settings.csv").read_text(encoding="utf-8") + "base_year,2023\n",
        encoding="utf-8",
    )
    result = run(folder, fixture_library, priors=(prior,))
    model = build(result)
    rows = {r["key"]: r for r in model["bridge"]}
    assert [r["key"] for r in model["bridge"]] == [
        "scope1",
        "scope2_location",
        "scope2_market",
        "scope3",
        "scope3_category_1",
        "scope3_category_3",
        "total_location",
        "total_market",
    ]
    assert rows["scope3_category_1"]["label"] == "1 Purchased goods and services"
    assert rows["scope3_category_1"]["method_kgco2e"] == pytest.approx(U_24 - T_23)
    assert model["bridge_years"] == (2023, 2024)
    # the trend: both years, and the target's scope (1 + 2 location-based) in each
    s12_23 = LEAK_23 * 2255.5 + KWH_23 * 0.35 + HEAT_23 * HEAT_EF_23
    s12_24 = LEAK_24 * 2255.5 + KWH_24 * 0.35 + HEAT_24 * HEAT_EF_24
    assert model["trend"]["years"] == [2023, 2024]
    assert model["trend"]["series"]["scope1"] == pytest.approx([2 * 2255.5, 2255.5])
    (path,) = model["trend"]["paths"]
    assert path["years"] == [2023, 2030]
    assert path["kgco2e"] == pytest.approx([s12_23, s12_23 * (1 - 0.42)])
    assert path["actual_kgco2e"] == pytest.approx([s12_23, s12_24])
    charts = year_two_charts(model)
    assert sorted(charts) == ["bridge", "trend"]
    assert charts == year_two_charts(model)  # deterministic bytes
    assert all(svg.lstrip().startswith("<?xml") and "<svg" in svg for svg in charts.values())
    ws = load_workbook(write_xlsx(result, model, tmp_path / "out"))["Bridge"]
    cells = {c.coordinate: c.value for row in ws.iter_rows(max_row=9) for c in row}
    assert cells["A2"] == "Scope 1" and cells["B2"] == pytest.approx(2 * 2255.5)
    assert (cells["G2"], cells["H2"], cells["I2"]) == ("=F2-B2", "=C2+D2+E2", "=H2-G2")
    assert cells["A6"] == "    1 Purchased goods and services"
    assert cells["E6"] == pytest.approx(U_24 - T_23)


def test_without_a_prior_the_report_has_no_bridge(tmp_path, fixture_library):
    from lca.report.charts import year_two_charts
    from lca.report.model import build

    model = build(run(current(tmp_path), fixture_library))
    assert model["bridge"] == [] and model["trend"] is None
    assert year_two_charts(model) == {}
