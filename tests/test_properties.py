"""Metamorphic properties of the engine (hypothesis), on the frozen fixture library."""

import math
import tempfile
from pathlib import Path

import pytest
from helpers import write_inventory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lca.pipeline import run

pytestmark = pytest.mark.slow  # hypothesis property tests

SITES = "site_id,name,country,kind,pue\nPAR,Paris,FR,office,\nFRA,Frankfurt,DE,datacenter,1.4\n"
TOTAL_KEYS = (
    "scope1_kgco2e",
    "scope2_location_kgco2e",
    "scope2_market_kgco2e",
    "scope3_kgco2e",
    "total_location_kgco2e",
    "total_market_kgco2e",
    "energy_kwh",
    "water_m3",
    "adpe_kgsbeq",
)

equipment_rows = st.lists(
    st.tuples(
        st.sampled_from(["server", "laptop"]),
        st.integers(1, 50),
        st.dates(
            min_value=__import__("datetime").date(2018, 1, 1),
            max_value=__import__("datetime").date(2024, 12, 31),
        ),
        st.integers(1, 8),
        st.sampled_from(["PAR", "FRA"]),
        st.integers(0, 800),
    ),
    max_size=5,
)
energy_rows = st.lists(
    st.tuples(st.sampled_from(["PAR", "FRA"]), st.integers(1, 1_000_000)), max_size=3
)
cloud_rows = st.lists(
    st.tuples(
        st.sampled_from(["eu-west-3", "us-east-1"]),
        st.integers(1, 100_000),
        st.integers(1, 100_000),
    ),
    max_size=3,
)
spend_rows = st.lists(st.integers(1, 1_000_000), max_size=3)
inventories = st.tuples(equipment_rows, energy_rows, cloud_rows, spend_rows, st.integers(0, 100))


def _sheets(inv, scale=1, energy_unit="kWh", storage_unit="GB_h", reverse=False):
    equipment, energy, cloud, spend, leaked = inv
    order = (lambda rows: list(reversed(rows))) if reverse else list
    eq = ["asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w"] + [
        f"A{i},{c},{q * scale},{d.isoformat()},{life},{site},{watts}"
        for i, (c, q, d, life, site, watts) in order(list(enumerate(equipment)))
    ]
    divisor = 1000 if energy_unit == "MWh" else 1
    en = ["site_id,carrier,quantity,unit"] + [
        f"{site},electricity,{q * scale / divisor!r},{energy_unit}" for site, q in order(energy)
    ]
    en += [f"FRA,diesel,{leaked * scale},L"]
    storage_divisor = 1000 if storage_unit == "TB_h" else 1
    cl = ["provider,region,resource,usage_type,quantity,unit"]
    for region, hours, gb_h in order(cloud):
        cl.append(f"aws,{region},m5.xlarge,compute,{hours * scale},h")
        cl.append(f"aws,{region},,storage_ssd,{gb_h * scale / storage_divisor!r},{storage_unit}")
    sv = ["supplier,description,category,spend,currency,spend_year"] + [
        f"S,D,saas,{s * scale},EUR,2024" for s in order(spend)
    ]
    rf = ["site_id,gas,leaked_kg", f"FRA,R-410A,{leaked * scale}"]
    return {
        "sites": SITES,
        "equipment": "\n".join(eq),
        "energy": "\n".join(en),
        "cloud": "\n".join(cl),
        "services": "\n".join(sv),
        "refrigerants": "\n".join(rf),
    }


def _totals(library, sheets):
    with tempfile.TemporaryDirectory() as folder:
        result = run(write_inventory(Path(folder), **sheets), library=library)
    assert not [i for i in result.issues if i.severity.value == "error"], result.issues
    return result


def _assert_same(a: dict, b: dict, factor: float = 1.0):
    for key in TOTAL_KEYS:
        assert math.isclose(a[key] * factor, b[key], rel_tol=1e-9, abs_tol=1e-9), key


PROPERTY = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(inventories)
def test_doubling_every_quantity_doubles_every_total(fixture_library, inv):
    once = _totals(fixture_library, _sheets(inv)).totals
    twice = _totals(fixture_library, _sheets(inv, scale=2)).totals
    _assert_same(once, twice, factor=2.0)


@PROPERTY
@given(inventories)
def test_mwh_and_tb_inputs_give_the_kwh_and_gb_totals(fixture_library, inv):
    base = _totals(fixture_library, _sheets(inv)).totals
    other = _totals(fixture_library, _sheets(inv, energy_unit="MWh", storage_unit="TB_h")).totals
    _assert_same(base, other)


@PROPERTY
@given(inventories)
def test_row_order_does_not_change_totals(fixture_library, inv):
    _assert_same(
        _totals(fixture_library, _sheets(inv)).totals,
        _totals(fixture_library, _sheets(inv, reverse=True)).totals,
    )


@PROPERTY
@given(inventories)
def test_totals_equal_the_sum_of_counted_lines(fixture_library, inv):
    result = _totals(fixture_library, _sheets(inv))
    counted = result.ledger[result.ledger["counted"]]
    by_scope = {s: math.fsum(counted.loc[counted["scope"] == s, "kgco2e"]) for s in (1, 2, 3)}
    totals = result.totals
    assert math.isclose(totals["scope1_kgco2e"], by_scope[1], rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(totals["scope2_location_kgco2e"], by_scope[2], rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(totals["scope3_kgco2e"], by_scope[3], rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(
        totals["total_location_kgco2e"], math.fsum(by_scope.values()), rel_tol=1e-12, abs_tol=1e-9
    )
