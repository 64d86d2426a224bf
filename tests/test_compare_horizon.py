"""Hand-computed rules of the comparison: amortization inside the horizon, replacements,
per-year split, per functional unit, cloud and services per year (fixture library)."""

from __future__ import annotations

import math

import pytest

from lca.compare import compare
from tests.helpers import COMPARE_OPTIONS, COMPARE_SITES, compare_settings, write_inventory

# Fixture factors used below: server manufacturing 1000 kgCO2e/device, end of life 20,
# water 10 m³/device, default lifetime 5 years; refurbished share 0.2; office PUE 1;
# grid FR 0.02 + upstream 0.01 kgCO2e/kWh; DE 0.35 + 0.06.


def settings(years: int, capital_goods: str = "amortized", per_year: int = 10) -> str:
    return compare_settings(years, capital_goods=capital_goods, per_year=per_year)


OPTIONS, SITES = COMPARE_OPTIONS, COMPARE_SITES


def option(result, name):
    return next(o for o in result.options if o["option"] == name)


def test_amortization_counts_only_the_part_of_the_lifetime_inside_the_horizon(
    tmp_path, fixture_library
):
    # acquired 2023-01-01, 4 years → end of life 2027-01-01 (1461 days, 2024 is a leap year);
    # the horizon 2025–2026 holds 365 + 365 of them. Its end of life is charged when it is
    # disposed of, in 2027: outside the horizon.
    folder = write_inventory(
        tmp_path,
        settings=settings(2),
        options=OPTIONS,
        sites=SITES,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,option
        S1,server,1,2023-01-01,4,OFF,0,a
        """,
    )
    result = compare(folder, fixture_library, sensitivity=False)
    a = option(result, "a")
    assert a["by_year_kgco2e"] == pytest.approx([1000 * 365 / 1461, 1000 * 365 / 1461])
    assert a["by_stage_kgco2e"]["manufacturing"] == pytest.approx(1000 * 730 / 1461)
    assert a["by_stage_kgco2e"].get("end_of_life", 0.0) == 0.0
    assert a["totals"]["water_m3"] == pytest.approx(10 * 730 / 1461)
    assert option(result, "b")["totals"]["kgco2e"] == 0.0
    assert not result.workbook.issues


def test_a_device_whose_lifetime_ends_inside_the_horizon_is_replaced(tmp_path, fixture_library):
    # 2 years from 2025-01-01: the original covers 2025–2026 (730 of 730 days), the
    # replacement #2 is acquired 2027-01-01 with lifetime 731 days (2028 is a leap year) and
    # has 365 of them in 2027. Use: 100 W × 24 h × 365 d = 876 kWh a year at one device at a
    # time, × (0.02 + 0.01) kgCO2e/kWh = 26.28 kgCO2e a year. The original is disposed of
    # on 2027-01-01: its end of life (20) is charged in 2027.
    folder = write_inventory(
        tmp_path,
        settings=settings(3),
        options=OPTIONS,
        sites=SITES,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,option
        S1,server,1,2025-01-01,2,OFF,100,a
        """,
    )
    result = compare(folder, fixture_library, sensitivity=False)
    a = option(result, "a")
    use = 876 * 0.03
    assert a["by_stage_kgco2e"]["manufacturing"] == pytest.approx(1000 + 1000 * 365 / 731)
    assert a["by_stage_kgco2e"]["use"] == pytest.approx(3 * use)
    assert a["by_year_kgco2e"] == pytest.approx(
        [1000 * 365 / 730 + use, 1000 * 365 / 730 + use, 1000 * 365 / 731 + 20 + use]
    )
    labels = set(result.ledger.loc[result.ledger["option"] == "a", "label"])
    assert "server · S1#2" in labels and "server · S1#3" not in labels


def test_acquisition_year_charges_each_acquisition_in_full_in_its_year(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path,
        settings=settings(3, "acquisition_year"),
        options=OPTIONS,
        sites=SITES,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,option
        S1,server,2,2025-01-01,2,OFF,0,a
        """,
    )
    result = compare(folder, fixture_library, sensitivity=False)
    # 2025: two bought; 2027: the two disposed of (end of life 2 × 20) and two bought
    assert option(result, "a")["by_year_kgco2e"] == pytest.approx([2 * 1000, 0, 2 * 1020])


def test_a_retired_device_is_not_replaced_and_stops_using_energy(tmp_path, fixture_library):
    # retired 2026-01-01: use in 2025 only; manufacturing amortized over 2025 (365 of 1826
    # days) and the remaining 1461 days charged at retirement, in 2026: all of it.
    folder = write_inventory(
        tmp_path,
        settings=settings(2),
        options=OPTIONS,
        sites=SITES,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,retired_on,site_id,power_w,option
        S1,server,1,2025-01-01,5,2026-01-01,OFF,100,a
        """,
    )
    a = option(compare(folder, fixture_library, sensitivity=False), "a")
    assert a["by_stage_kgco2e"]["use"] == pytest.approx(876 * 0.03)
    assert a["by_stage_kgco2e"]["manufacturing"] == pytest.approx(1000 * (365 + 1461) / 1826)
    assert a["by_year_kgco2e"] == pytest.approx(
        [1000 * 365 / 1826 + 876 * 0.03, 1000 * 1461 / 1826 + 20]
    )


def test_per_year_split_sums_to_the_total_and_per_functional_unit(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path,
        settings=settings(3, per_year=40),
        options=OPTIONS,
        sites=SITES,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,option
        S1,server,3,2024-07-01,2,OFF,250,a
        S2,server,2,2025-03-01,,OFF,,b
        """,
    )
    result = compare(folder, fixture_library, sensitivity=False)
    for o in result.options:
        assert sum(o["by_year_kgco2e"]) == o["totals"]["kgco2e"]
        assert math.isclose(
            sum(o["by_stage_kgco2e"].values()), o["totals"]["kgco2e"], rel_tol=1e-12
        )
        for indicator, total in o["totals"].items():
            assert o["per_functional_unit"][indicator] == total / (40 * 3)


def test_cloud_and_services_are_charged_every_year(tmp_path, fixture_library):
    # services: 1000 EUR of 2024 → × 1.08 USD/EUR = 1080 USD of 2024 → × 100/110 (US price
    # index 2022/2024) × 0.08 kgCO2e/USD of 2022 = 78.545… kgCO2e a year.
    # Cloud: 1000 vCPU-hours in eu-west-3 (FR):
    # kWh_IT = 1000 × (0.74 + 0.5 × (3.5 − 0.74)) / 1000 = 2.12; × PUE 1.135 × 0.05
    # lifecycle = 0.120310; embodied 1000 × 0.0005 = 0.5 kgCO2e.
    folder = write_inventory(
        tmp_path,
        settings=settings(2),
        options=OPTIONS,
        sites=SITES,
        services="""\
        supplier,description,category,spend,currency,spend_year,option
        Vendor,Licences,saas,1000,EUR,2024,a
        """,
        cloud="""\
        provider,region,usage_type,quantity,unit,option
        aws,eu-west-3,compute,1000,vcpu_h,b
        """,
    )
    result = compare(folder, fixture_library, sensitivity=False)
    services = 1000 * 1.08 * 100 / 110 * 0.08
    assert option(result, "a")["by_year_kgco2e"] == pytest.approx([services, services])
    assert option(result, "a")["by_stage_kgco2e"]["operation"] == pytest.approx(2 * services)
    cloud = 2.12 * 1.135 * 0.05 + 0.5
    assert option(result, "b")["by_year_kgco2e"] == pytest.approx([cloud, cloud])
