"""The one unit registry: lca's units are unknown to stock pint, known to ours, right kind."""

import pint
import pytest

from lca.units import conversion_factor, currencies, has_dimension, normalize_unit, registry

ADDED = {"kgCO2e": "[carbon_dioxide_equivalent]", "kgSbeq": "[antimony_equivalent]",
         "vcpu_h": "[vcpu] * [time]", "gpu_h": "[gpu] * [time]", "GB_month": None,
         "EUR": "[currency_EUR]"}


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


@pytest.mark.parametrize("typed, pint_spelling", [("kwh", "kWh"), ("KWh", "kWh"),
                                                   ("litres", "liter"), ("m3", "meter**3")])
def test_user_spellings(typed, pint_spelling):
    assert normalize_unit(typed) == pint_spelling
