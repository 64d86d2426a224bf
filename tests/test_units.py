"""The one unit registry: lca's units are unknown to stock pint, known to ours, right kind."""

import time

import pint
import pytest

from lca.units import (
    UnitError,
    conversion_factor,
    currencies,
    has_dimension,
    normalize_unit,
    parse_unit,
    registry,
)

ADDED = {
    "kgCO2e": "[carbon_dioxide_equivalent]",
    "kgSbeq": "[antimony_equivalent]",
    "vcpu_h": "[vcpu] * [time]",
    "gpu_h": "[gpu] * [time]",
    "GB_month": None,
    "EUR": "[currency_EUR]",
}


@pytest.mark.parametrize("unit", sorted(ADDED))
def test_added_units_are_ours(unit):
    with pytest.raises(pint.errors.UndefinedUnitError):
        pint.UnitRegistry().Unit(unit)
    parsed = registry().Unit(unit)
    if ADDED[unit]:
        assert parsed.dimensionality == registry().get_dimensionality(ADDED[unit])


def test_conversions_used_by_the_engine():
    assert conversion_factor("MWh", "kWh") == 1000
    assert conversion_factor("tCO2e", "kgCO2e") == 1000
    assert conversion_factor("GB_month", "GB_h") == pytest.approx(365.25 * 24 / 12)
    assert conversion_factor("TB_h", "GB_h") == pytest.approx(1000)
    assert conversion_factor("GJ", "kWh") == pytest.approx(1e9 / 3.6e6)


def test_currencies_never_convert_into_each_other():
    assert {"EUR", "USD", "GBP"} <= currencies()
    assert not has_dimension("EUR", "USD")
    with pytest.raises(pint.DimensionalityError):
        conversion_factor("kgCO2e/EUR", "kgCO2e/USD")


@pytest.mark.parametrize(
    "typed, pint_spelling",
    [("kwh", "kWh"), ("KWh", "kWh"), ("litres", "liter"), ("m3", "meter**3")],
)
def test_user_spellings(typed, pint_spelling):
    assert normalize_unit(typed) == pint_spelling


@pytest.mark.parametrize(
    "typed, reference, factor",
    [
        ("m3/kWh", "m**3/kWh", 1),
        ("m³ per kWh", "m**3/kWh", 1),
        ("m^3/kWh", "m**3/kWh", 1),
        ("L/kWh", "m**3/kWh", 1 / 1000),
        ("litres per kWh", "m**3/kWh", 1 / 1000),
        ("liter/MWh", "m**3/kWh", 1 / 1000 / 1000),
        ("therm", "kWh", 29.307111111111112),
        ("GJ", "kWh", 1e9 / 3.6e6),
        ("tCO2e per MWh", "kgCO2e/kWh", 1),
        ("gCO2e/kWh", "kgCO2e/kWh", 1 / 1000),
        ("kg CO2e/kWh", "kgCO2e/kWh", 1),
        ("kg CO2-eq per kWh", "kgCO2e/kWh", 1),
        ("kg Sb eq/kWh", "kgSbeq/kWh", 1),
        ("kgSbeq per device", "kgSbeq/device", 1),
        ("kgco2e/kwh", "kgCO2e/kWh", 1),
        ("m3", "L", 1000),
        ("(kgCO2e) / device", "kgCO2e/device", 1),
    ],
)
def test_units_as_people_write_them(typed, reference, factor):
    assert conversion_factor(typed, reference) == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        "10**10**10*kWh",
        "kWh**10**10",
        "kWh^9",
        "m3^2",
        "kgCO2e/1000 EUR",
        "((((((kWh))))))",
        "foo/kWh",
        "kWh/",
        "",
        "kWh" * 30,
        "2**2**2**2**2**2**2**2",
    ],
)
def test_units_that_are_not_units_fail_fast(text):
    start = time.perf_counter()
    with pytest.raises(UnitError):
        parse_unit(text)
    assert time.perf_counter() - start < 1
    assert normalize_unit(text) == text.strip()
