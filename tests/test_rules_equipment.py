"""Equipment rules: amortization, acquisition year, refurbished, use phase, metered sites."""

import pytest
from helpers import line, write_inventory

from lca.pipeline import run

SITES = """\
site_id,name,country,kind,pue
PAR,Paris office,FR,office,
FRA,Frankfurt DC,DE,datacenter,1.4
"""


def _run(tmp_path, fixture_library, equipment, settings=None, energy=None):
    sheets = {"sites": SITES, "equipment": equipment}
    if settings:
        sheets["settings"] = settings
    if energy:
        sheets["energy"] = energy
    return run(write_inventory(tmp_path, **sheets), library=fixture_library)


AMORTIZED = "key,value\norganization,T\nreporting_year,2024\ncapital_goods,amortized\n"


def test_amortized_by_days_of_lifetime_inside_the_period(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        """\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w
        S1,server,2,2022-07-01,5,FRA,0""",
        settings=AMORTIZED,
    )
    made = line(result, "equipment:2:manufacturing")
    # 2022-07-01 + 5 years = 2027-07-01: 1826 days; 2024 is a leap year: 366 days inside.
    assert made["allocation_share"] == pytest.approx(366 / 1826, rel=1e-12)
    assert made["kgco2e"] == pytest.approx(2 * 1000 * 366 / 1826, rel=1e-12)
    assert made["scope"] == 3 and made["category"] == 2
    eol = line(result, "equipment:2:end_of_life")
    assert eol["category"] == 5
    assert eol["kgco2e"] == 0.0  # disposed of at the end of its lifetime, in 2027
    # The other view: acquired in 2022, so nothing in 2024.
    assert made["kgco2e_alternative"] == 0.0


def test_retired_early_charged_at_retirement_and_nothing_after_lifetime(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        """\
        asset_id,category,quantity,acquired_on,lifetime_years,retired_on,site_id,power_w
        EARLY,server,1,2022-01-01,4,2023-06-30,FRA,0
        OLD,server,1,2019-01-01,4,,FRA,0
        HALF,server,1,2020-07-01,4,,FRA,0""",
        settings=AMORTIZED,
    )
    early = line(result, "equipment:2:manufacturing")
    # Retired in 2023: its remaining share was charged in 2023, nothing is left for 2024.
    assert early["kgco2e"] == 0.0
    old = line(result, "equipment:3:manufacturing")
    assert old["kgco2e"] == 0.0  # lifetime ended 2023-01-01, still in use: nothing charged
    half = line(result, "equipment:4:manufacturing")
    # 2020-07-01 → 2024-07-01 = 1461 days; 182 days of 2024 inside (Jan 1 → Jul 1).
    assert half["kgco2e"] == pytest.approx(1000 * 182 / 1461, rel=1e-12)


def test_acquisition_year_view_charges_everything_in_the_year_of_purchase(
    tmp_path, fixture_library
):
    settings = "key,value\norganization,T\nreporting_year,2024\ncapital_goods,acquisition_year\n"
    result = _run(
        tmp_path,
        fixture_library,
        """\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w
        NEW,laptop,10,2024-03-01,4,PAR,0
        OLD,laptop,10,2023-03-01,4,PAR,0""",
        settings=settings,
    )
    new = line(result, "equipment:2:manufacturing")
    assert new["kgco2e"] == 10 * 250
    assert line(result, "equipment:3:manufacturing")["kgco2e"] == 0.0
    # The amortized view is computed alongside: 2024-03-01 → 2028-03-01 = 1461 days,
    # 306 days inside 2024.
    assert new["kgco2e_alternative"] == pytest.approx(10 * 250 * 306 / 1461, rel=1e-12)
    alt = result.capital_goods_alternative
    assert alt["capital_goods"] == "amortized"
    old_share = 366 / 1461  # 2023-03-01 → 2027-03-01; all 366 days of 2024 inside
    assert alt["scope3_by_category_kgco2e"]["2"] == pytest.approx(
        10 * 250 * 306 / 1461 + 10 * 250 * old_share, rel=1e-12
    )
    assert alt["total_location_kgco2e"] == pytest.approx(
        result.totals["total_location_kgco2e"] - 2500 + alt["scope3_by_category_kgco2e"]["2"],
        rel=1e-12,
    )


def test_refurbished_and_supplier_specific_embodied(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        """\
        asset_id,category,model,quantity,acquired_on,lifetime_years,site_id,condition,embodied_kgco2e,embodied_source,power_w
        R1,server,,1,2024-01-01,1,FRA,refurbished,,,0
        M1,server,Dell PowerEdge R740,1,2024-01-01,1,FRA,new,,,0
        P1,server,,1,2024-01-01,1,FRA,new,1234,Dell PCF 2023,0""",
    )
    # One-year lifetime from 2024-01-01 is exactly the period: share 1.
    assert line(result, "equipment:2:manufacturing")["kgco2e"] == pytest.approx(1000 * 0.2)
    model = line(result, "equipment:3:manufacturing")
    assert model["kgco2e"] == 1500 and model["factor_gwp"].startswith("equipment_models:")
    supplier = line(result, "equipment:4:manufacturing")
    assert supplier["kgco2e"] == 1234 and supplier["method"] == "supplier_specific"


def test_use_phase_scope2_when_site_unmetered_else_attribution(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        """\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,annual_kwh
        S1,server,2,2020-01-01,10,FRA,500,
        L1,laptop,3,2020-01-01,10,PAR,,40""",
        energy="""\
        site_id,carrier,quantity,unit
        PAR,electricity,10,MWh""",
    )
    server = line(result, "equipment:2:use")
    # 2 × 500 W × 366 days × 24 h = 8784 kWh IT; × PUE 1.4; DE grid 0.35 kgCO2e/kWh.
    assert server["energy_it_kwh"] == pytest.approx(2 * 500 * 366 * 24 / 1000)
    assert server["kgco2e"] == pytest.approx(2 * 500 * 366 * 24 / 1000 * 1.4 * 0.35)
    assert server["kgco2e_market"] == pytest.approx(2 * 500 * 366 * 24 / 1000 * 1.4 * 0.6)
    assert server["scope"] == 2 and bool(server["counted"])
    # On-site water: IT kWh × WUE 1.8 L/kWh (fixture default for datacenters) + grid water.
    assert server["water_m3"] == pytest.approx(8784 * 1.4 * 0.002 + 8784 * 1.8 / 1000, rel=1e-12)
    laptop = line(result, "equipment:3:use")
    assert not bool(laptop["counted"])  # PAR has a metered electricity row
    assert laptop["kgco2e"] == pytest.approx(3 * 40 * 1.0 * 0.02)  # whole 2024 = 1 year
    assert result.attribution["equipment_use_in_metered_sites_kgco2e"] == pytest.approx(
        3 * 40 * 0.02
    )
    assert result.totals["scope2_location_kgco2e"] == pytest.approx(
        8784 * 1.4 * 0.35 + 10_000 * 0.02
    )


def test_default_power_is_estimated_and_service_days_are_prorated(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        """\
        asset_id,category,quantity,acquired_on,lifetime_years,retired_on,site_id
        S1,server,1,2024-07-01,5,2024-10-01,FRA""",
    )
    use = line(result, "equipment:2:use")
    assert use["method"] == "estimated"
    # 300 W default × 92 days × 24 h, × PUE 1.4.
    assert use["activity_amount"] == pytest.approx(300 * 92 * 24 / 1000 * 1.4)
