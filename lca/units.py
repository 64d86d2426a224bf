"""The one pint unit registry of lca, loaded from ``factors/units.txt``.

Compute code never calls pint per row: it asks for the conversion *factor* between two unit
strings once (cached) and multiplies whole columns by it.
"""

from functools import lru_cache

import pint

from lca.paths import data_dir


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """Return the shared registry: pint's defaults plus the definitions in factors/units.txt."""
    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=None)
    ureg.load_definitions(str(data_dir("factors") / "units.txt"))
    return ureg


#: Spellings that people type and pint does not read as meant, mapped to pint's spelling.
#: ("kwh" would otherwise not parse; "litres" and "m3" do, but are listed for clarity.)
_SPELLINGS = {
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
    "wh": "Wh",
    "gj": "GJ",
    "mj": "MJ",
    "l": "liter",
    "litre": "liter",
    "litres": "liter",
    "liters": "liter",
    "m3": "meter**3",
    "m³": "meter**3",
    "t": "tonne",
    "tonnes": "tonne",
    "hrs": "hour",
    "hours": "hour",
    "gb-mo": "GB_month",
    "gb-month": "GB_month",
    "tb-month": "TB_month",
    "gb-h": "GB_hour",
    "gb-hours": "GB_hour",
    "vcpu-hours": "vcpu_hour",
    "gpu-hours": "gpu_hour",
    "kgco2e": "kgCO2e",
    "tco2e": "tCO2e",
}


def normalize_unit(text: str) -> str:
    """Return the pint spelling of a unit as a user typed it (case and common variants)."""
    stripped = text.strip()
    return _SPELLINGS.get(stripped.lower(), stripped)


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string (after ``normalize_unit``); raises pint errors on nonsense."""
    return registry().Unit(normalize_unit(text))


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Return ``k`` such that ``x [from_unit] == x * k [to_unit]``.

    Raises ``pint.DimensionalityError`` when the two units measure different things.
    """
    ureg = registry()
    return float(ureg.Quantity(1.0, parse_unit(from_unit)).to(parse_unit(to_unit)).magnitude)


@lru_cache(maxsize=4096)
def has_dimension(unit: str, reference: str) -> bool:
    """True when ``unit`` measures the same kind of quantity as ``reference``."""
    return parse_unit(unit).dimensionality == parse_unit(reference).dimensionality


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    """ISO 4217 codes defined as currency units in factors/units.txt."""
    text = (data_dir("factors") / "units.txt").read_text(encoding="utf-8")
    return frozenset(line.split("=")[0].strip() for line in text.splitlines()
                     if "[currency_" in line and not line.lstrip().startswith("#"))
