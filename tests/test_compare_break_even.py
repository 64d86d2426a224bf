"""Break-even, ranking and the sensitivity table, computed by hand (fixture library)."""

from __future__ import annotations

import pytest

from lca.compare import compare
from lca.compare.summary import break_even_year
from tests.helpers import compare_settings, write_inventory


@pytest.mark.parametrize(
    "a, b, expected",
    [
        # cumulative a 100 110 120 130, b 0 50 100 150: a − b = 100 60 20 −20 → a below from 4
        ([100, 10, 10, 10], [0, 50, 50, 50], (4, -1)),
        # a below from year 1 on: no crossing
        ([1, 1, 1], [2, 2, 2], (None, -1)),
        # b below from year 1 on
        ([5, 5], [1, 1], (None, 1)),
        # equal at the end
        ([1, 2], [2, 1], (None, 0)),
        # a − b = +1, −1, +1, +2: crosses twice; b stays below from year 3
        ([1, 0, 4, 1], [0, 2, 0, 0], (3, 1)),
    ],
)
def test_break_even_year(a, b, expected):
    assert break_even_year(a, b) == expected


def _options(tmp_path, fixture_library):
    # Horizon 2025–2027 (365 days each), acquisition_year. "new": one server bought
    # 2025-01-01 (1000 kgCO2e charged in 2025; its end of life falls after the horizon),
    # 100 W. "keep": a server bought in 2020 (nothing charged in the horizon), 300 W.
    # Office in DE, PUE 1: 0.35 + 0.06 kgCO2e/kWh.
    folder = write_inventory(
        tmp_path,
        settings=compare_settings(3, capital_goods="acquisition_year"),
        options="""\
        option,description
        new,a new efficient server
        keep,keep the old one
        """,
        sites="""\
        site_id,country,kind,option
        OFF,DE,office,
        """,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,option
        NEW,server,1,2025-01-01,,OFF,100,new
        OLD,server,1,2020-01-01,10,OFF,300,keep
        """,
    )
    return compare(folder, fixture_library)


def test_break_even_ranking_and_sensitivity_by_hand(tmp_path, fixture_library):
    result = _options(tmp_path, fixture_library)
    e_new, e_old = 876 * 0.41, 2628 * 0.41  # kWh a year × kgCO2e/kWh
    new = next(o for o in result.options if o["option"] == "new")
    keep = next(o for o in result.options if o["option"] == "keep")
    assert new["by_year_kgco2e"] == pytest.approx([1000 + e_new, e_new, e_new])
    assert keep["by_year_kgco2e"] == pytest.approx([e_old, e_old, e_old])
    # cumulative new 1359.16 1718.32 2077.48, keep 1077.48 2154.96 3232.44 → new below from 2
    assert result.break_even == [{"a": "new", "b": "keep", "year": 2, "lower": "new"}]
    assert result.ranking == ["new", "keep"]
    cases = {case["case"]: case for case in result.sensitivity}
    assert list(cases) == [
        "lifetime_minus_1",
        "lifetime_plus_1",
        "grid_low_carbon",
        "grid_high_carbon",
        "utilization_minus_25",
        "utilization_plus_25",
    ]
    # FR grid, 0.02 + 0.01: new 1000 + 3 × 26.28 = 1078.84, keep 3 × 78.84 = 236.52 → flips
    low = cases["grid_low_carbon"]
    assert low["totals_kgco2e"] == pytest.approx(
        {"new": 1000 + 3 * 876 * 0.03, "keep": 3 * 2628 * 0.03}
    )
    assert low["ranking_kgco2e"] == ["keep", "new"] and low["ranking_changed"]
    # PL grid, 0.7 + 0.1: new 1000 + 3 × 700.8, keep 3 × 2102.4 → no flip
    high = cases["grid_high_carbon"]
    assert high["totals_kgco2e"] == pytest.approx(
        {"new": 1000 + 3 * 876 * 0.8, "keep": 3 * 2628 * 0.8}
    )
    assert not high["ranking_changed"]
    # utilisation ± 25 %: the draw of both devices × 0.75 / × 1.25
    for case, factor in (("utilization_minus_25", 0.75), ("utilization_plus_25", 1.25)):
        assert cases[case]["totals_kgco2e"] == pytest.approx(
            {"new": 1000 + 3 * e_new * factor, "keep": 3 * e_old * factor}
        )
        assert not cases[case]["ranking_changed"]
    # lifetimes 5 ± 1 and 10 ± 1 all end after the horizon: nothing changes
    for case in ("lifetime_minus_1", "lifetime_plus_1"):
        assert cases[case]["totals_kgco2e"] == pytest.approx(
            {"new": new["totals"]["kgco2e"], "keep": keep["totals"]["kgco2e"]}
        )


def test_shorter_lifetime_brings_a_replacement_into_the_horizon(tmp_path, fixture_library):
    # lifetime − 1: "keep" (bought 2020, 10 → 9 years) still ends 2029; "new" 5 → 4 years ends
    # 2029 too. With a 2-year lifetime, − 1 year gives a replacement bought 2026 (charged in
    # full, acquisition_year) and another in 2027. Each device's end of life (20) is charged
    # when it is disposed of: 2027-01-01 (lifetime 2), 2026 and 2027 (lifetime 1).
    folder = write_inventory(
        tmp_path,
        settings=compare_settings(3, capital_goods="acquisition_year"),
        options="""\
        option,description
        short,a server kept 2 years
        """,
        sites="""\
        site_id,country,kind,option
        OFF,DE,office,
        """,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,option
        S,server,1,2025-01-01,2,OFF,0,short
        """,
    )
    result = compare(folder, fixture_library)
    cases = {case["case"]: case["totals_kgco2e"]["short"] for case in result.sensitivity}
    assert result.options[0]["totals"]["kgco2e"] == pytest.approx(2 * 1000 + 20)
    assert cases["lifetime_minus_1"] == pytest.approx(3 * 1000 + 2 * 20)
    assert cases["lifetime_plus_1"] == pytest.approx(1000)


def test_utilization_case_scales_the_cloud_providers_average_utilization(tmp_path, fixture_library):
    # 1000 vCPU-hours in eu-west-3: kWh_IT = (0.74 + u × (3.5 − 0.74)) W × 1000 h / 1000,
    # × PUE 1.135 × 0.05 kgCO2e/kWh, + 1000 × 0.0005 embodied; u = 0.5, 0.375, 0.625.
    folder = write_inventory(
        tmp_path,
        settings=compare_settings(1, unit="job"),
        options="""\
        option,description
        cloud,in the cloud
        """,
        cloud="""\
        provider,region,usage_type,quantity,unit,option
        aws,eu-west-3,compute,1000,vcpu_h,cloud
        """,
    )
    result = compare(folder, fixture_library)

    def total(u):
        return (0.74 + u * (3.5 - 0.74)) * 1.135 * 0.05 + 0.5

    cases = {case["case"]: case["totals_kgco2e"]["cloud"] for case in result.sensitivity}
    assert result.options[0]["totals"]["kgco2e"] == pytest.approx(total(0.5))
    assert cases["utilization_minus_25"] == pytest.approx(total(0.375))
    assert cases["utilization_plus_25"] == pytest.approx(total(0.625))
    assert cases["grid_high_carbon"] == pytest.approx(total(0.5))
