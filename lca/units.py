"""The one pint unit registry of lca, loaded from ``factors/units.txt``, and the unit grammar.

Compute code never calls pint per row: it asks for the conversion *factor* between two unit
strings once (cached) and multiplies whole columns by it.

Units are read as people write them (``m3/kWh``, ``m³ per kWh``, ``kg Sb eq/kWh``,
``litres``) by a small grammar, never by handing the text to pint's expression parser: a
unit is symbols joined by ``*``, ``·``, spaces, ``/`` or ``per``, each with an optional small
integer exponent (``m3``, ``m^3``, ``m**3``, ``m³``), and parentheses. Numbers are not units
and exponents are bounded, so no cell can ask for ``10**10**10`` of anything. Every symbol is
checked against the registry before pint sees the text.

pint's answers to the questions a usual run asks are stored (``lca.units_prebuilt``); each
function below asks pint, imported on first need, only for what the stored answers do not hold.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TYPE_CHECKING, Any

from lca import units_prebuilt
from lca.paths import data_dir

if TYPE_CHECKING:
    import pint

#: Longest unit text read; exponents allowed (in absolute value).
MAX_UNIT_LENGTH = 64
MAX_EXPONENT = 4


class UnitError(ValueError):
    """A unit text that the grammar refuses or whose symbols the registry does not know."""


#: What pint (and ``UnitError``) raise on text that is not a unit or units that do not convert:
#: every error pint raises is also one of these (``tests/test_units_prebuilt.py`` checks each
#: subclass of ``PintError``), so catching them needs no import of pint.
UNIT_ERRORS = (ValueError, TypeError, AttributeError)


#: The caches of a pint registry (``pint.facets.plain.registry.RegistryCache``).
_CACHES = (
    "dimensional_equivalents",
    "root_units",
    "dimensionality",
    "parse_unit",
    "conversion_factor",
)


#: The registry and its caches are shared: one question to pint at a time, whatever the thread
#: (``pint_factor`` puts the caches back as built, which another question must not see).
_ONE_AT_A_TIME = threading.RLock()


def _with_pint_alone(function: Callable) -> Callable:
    @wraps(function)
    def alone(*args):
        with _ONE_AT_A_TIME:
            return function(*args)

    return alone


@_with_pint_alone
def registry() -> pint.UnitRegistry:
    """Return the shared registry: pint's defaults plus the definitions in factors/units.txt.
    pint is imported here, on the first question ``lca.units_prebuilt`` cannot answer."""
    return _registry_as_built()[0]


@lru_cache(maxsize=1)
def _registry_as_built() -> tuple[pint.UnitRegistry, dict[str, dict]]:
    """The shared registry and a copy of its caches as built (see ``pint_factor``)."""
    ureg = new_registry()
    return ureg, {name: dict(getattr(ureg._cache, name)) for name in _CACHES}


def new_registry() -> pint.UnitRegistry:
    """A registry as ``registry`` builds it, of its own."""
    # pint's compat module imports dask when it is installed (~0.1 s), only to recognise dask
    # arrays, which lca never hands to pint. A None entry in sys.modules makes
    # find_spec("dask") answer "not installed" while pint is imported; it is removed
    # afterwards, so `import dask` works as before.
    hide_dask = "dask" not in sys.modules and "pint" not in sys.modules
    if hide_dask:
        sys.modules["dask"] = None  # type: ignore[assignment]
    try:
        import pint
    finally:
        if hide_dask:
            del sys.modules["dask"]
    ureg: pint.UnitRegistry = pint.UnitRegistry(
        autoconvert_offset_to_baseunit=True, cache_folder=None
    )
    ureg.load_definitions(str(data_dir("factors") / "units.txt"))
    return ureg


#: Spellings that people type and pint does not read as meant, mapped to pint's spelling
#: (matched ignoring case, as a whole unit or as one symbol of a compound unit).
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
    "therms": "therm",
    "gb-mo": "GB_month",
    "gb-month": "GB_month",
    "tb-month": "TB_month",
    "gb-h": "GB_hour",
    "gb-hours": "GB_hour",
    "vcpu-hours": "vcpu_hour",
    "gpu-hours": "gpu_hour",
    "kgco2e": "kgCO2e",
    "tco2e": "tCO2e",
    "gco2e": "gCO2e",
    "kgsbeq": "kgSbeq",
    "gsbeq": "gSbeq",
    "dimensionless": "dimensionless",
}

#: Impact units written in words: "kg CO2e", "kg CO2-eq", "t CO2 eq", "kg Sb eq", "kg Sb-eq".
_IMPACT = re.compile(
    r"(?i)(?<![A-Za-z0-9_])(k?g|t)[\s_-]*(co2[\s_-]*e(?:q)?|sb[\s_-]*eq?)"
    r"(?![A-Za-z0-9_])\.?"
)
_TOKEN = re.compile(
    r"\s*(?:(?P<per>per)(?![A-Za-z0-9_])|"
    r"(?P<symbol>[A-Za-zµμ][A-Za-z0-9_µμ]*(?:-[A-Za-z][A-Za-z0-9_]*)*)|"
    r"(?P<number>-?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?)|"
    r"(?P<power>\*\*|\^)|(?P<super>[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|"
    r"(?P<op>[*·⋅×/()]))"
)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def _impact(match: re.Match) -> str:
    mass = {"kg": "kg", "g": "g", "t": "t"}[match.group(1).lower()]
    return mass + ("CO2e" if match.group(2).lower().startswith("co2") else "Sbeq")


def _tokens(text: str) -> list[tuple[str, str]]:
    position, out = 0, []
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            rest = text[position:].strip()
            if not rest:
                break
            raise UnitError(f"{rest[0]!r} cannot be read in a unit")
        kind = match.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        out.append((kind, match.group(kind)))
        position = match.end()
    return out


@_with_pint_alone
def _symbol(name: str) -> str:
    """pint's spelling of one symbol (alias, registry name, or a name with a digit power)."""
    alias = _SPELLINGS.get(name.lower())
    if alias:
        return alias
    ureg = registry()
    if ureg.parse_unit_name(name):
        return name
    power = re.fullmatch(r"(.*[^\W\d_])([1-9])", name)
    if power and (_SPELLINGS.get(power.group(1).lower()) or ureg.parse_unit_name(power.group(1))):
        return f"{_symbol(power.group(1))}**{_exponent(power.group(2))}"
    raise UnitError(f"{name!r} is not a unit lca knows")


def _exponent(text: str) -> int:
    value = int(text)
    if value == 0 or abs(value) > MAX_EXPONENT:
        raise UnitError(f"exponent {value} is outside ±1…{MAX_EXPONENT}")
    return value


class _Parser:
    """unit := product (('/' | 'per') product)* ; product := factor (['*' | '·'] factor)* ;
    factor := (symbol | '(' unit ')') [power] ; power := ('^' | '**') ['-'] digit | superscript.
    Returns pint's spelling, each symbol checked."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.at, self.depth = tokens, 0, 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.at += 1
        return token

    def unit(self) -> str:
        text = self.product()
        while self.peek()[0] == "per" or self.peek() == ("op", "/"):
            self.take()
            text += "/" + self.factor()
        return text

    def product(self) -> str:
        parts = [self.factor()]
        while True:
            kind, value = self.peek()
            if kind == "op" and value in "*·⋅×":
                self.take()
            elif not (kind in ("symbol",) or (kind, value) == ("op", "(")):
                return "*".join(parts)
            parts.append(self.factor())

    def factor(self) -> str:
        kind, value = self.take()
        if (kind, value) == ("op", "("):
            self.depth += 1
            if self.depth > 4:
                raise UnitError("parentheses nested too deep")
            inner = self.unit()
            if self.take() != ("op", ")"):
                raise UnitError("a parenthesis is not closed")
            self.depth -= 1
            text = f"({inner})"
        elif kind == "symbol":
            text = _symbol(value)
        elif kind == "number":
            raise UnitError(f"{value!r}: a number is not a unit (give the value per one unit)")
        else:
            raise UnitError(f"a unit was expected where {value or 'the end'!r} is")
        kind, value = self.peek()
        if kind == "power":
            self.take()
            digits = self.take()
            if digits[0] != "number" or not re.fullmatch(r"-?\d{1,2}", digits[1]):
                raise UnitError("an exponent must be a small whole number")
            power = _exponent(digits[1])
        elif kind == "super":
            self.take()
            power = _exponent(value.translate(_SUPERSCRIPTS))
        else:
            return text
        if "**" in text and not text.startswith("("):
            raise UnitError("a symbol with two exponents")
        if self.peek()[0] in ("power", "super"):
            raise UnitError("an exponent of an exponent is not a unit")
        return f"{text}**{power}"


@lru_cache(maxsize=4096)
def _spelled(text: str) -> str:
    """pint's spelling of a unit text (raises ``UnitError``)."""
    return units_prebuilt.spelled(text) or _read(text)


def _read(text: str) -> str:
    """pint's spelling of a unit text by the grammar, each symbol checked by the registry."""
    stripped = text.strip()
    if not stripped:
        raise UnitError("the unit is blank")
    if len(stripped) > MAX_UNIT_LENGTH:
        raise UnitError(f"a unit of more than {MAX_UNIT_LENGTH} characters")
    whole = _SPELLINGS.get(stripped.lower())
    if whole:
        return whole
    tokens = _tokens(_IMPACT.sub(_impact, stripped))
    parser = _Parser(tokens)
    spelled = parser.unit()
    if parser.peek()[0] != "end":
        raise UnitError(f"{parser.peek()[1]!r} cannot follow a unit")
    return spelled


def normalize_unit(text: str) -> str:
    """Return the pint spelling of a unit as a user typed it (case and common variants); text
    that is not a unit is returned stripped (``parse_unit`` says why)."""
    try:
        return _spelled(text)
    except UnitError:
        return text.strip()


@lru_cache(maxsize=4096)
@_with_pint_alone
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit as people write it; raises ``UnitError`` on anything else."""
    return registry().Unit(_spelled(text))


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Return ``k`` such that ``x [from_unit] == x * k [to_unit]``.

    Raises ``pint.DimensionalityError`` (a ``TypeError``) when the two units measure different
    things and ``UnitError`` when one is not a unit.
    """
    known = units_prebuilt.factor(_spelled(from_unit), _spelled(to_unit))
    return pint_factor(from_unit, to_unit) if known is None else known


@_with_pint_alone
def pint_factor(from_unit: str, to_unit: str) -> float:
    """``conversion_factor`` as a new registry answers it (what ``lca.units_prebuilt`` stores).
    pint keeps the root factors of the units it has met and multiplies a later factor in
    another order, which can change its last bit (``kWh/GB`` in ``therm``): the registry's
    caches are put back as built before each factor, so that no answer depends on the
    questions asked before it."""
    ureg, built = _registry_as_built()
    quantity = ureg.Quantity(1.0, parse_unit(from_unit))
    target = parse_unit(to_unit)
    for name, items in built.items():
        cache = getattr(ureg._cache, name)
        cache.clear()
        cache.update(items)
    return float(quantity.to(target).magnitude)


def try_conversion(from_unit: str, to_unit: str) -> float | None:
    """``conversion_factor``, or None when either text is not a unit or the two measure
    different things (the one place such errors are caught)."""
    try:
        if not has_dimension(from_unit, to_unit):
            return None
        return conversion_factor(from_unit, to_unit)
    except UNIT_ERRORS:
        return None


def is_unit(text: str) -> bool:
    """True when ``parse_unit`` reads ``text``."""
    try:
        dimensionality(text)
    except UNIT_ERRORS:
        return False
    return True


def dimensionality(unit: str) -> dict[str, Any]:
    """What ``unit`` measures, in base dimensions (``{"[length]": 3}``); a new dict each call."""
    known = units_prebuilt.dimensionality(_spelled(unit))
    return pint_dimensionality(unit) if known is None else known


@_with_pint_alone
def pint_dimensionality(unit: str) -> dict[str, Any]:
    """``dimensionality`` as pint answers it (what ``lca.units_prebuilt`` stores)."""
    return dict(parse_unit(unit).dimensionality)


@lru_cache(maxsize=4096)
def has_dimension(unit: str, reference: str) -> bool:
    """True when ``unit`` measures the same kind of quantity as ``reference``."""
    return dimensionality(unit) == dimensionality(reference)


def unit_text(unit: str) -> str:
    """pint's text of ``unit`` (``gigabyte * second``)."""
    known = units_prebuilt.text(_spelled(unit))
    return pint_text(unit) if known is None else known


@_with_pint_alone
def pint_text(unit: str) -> str:
    """``unit_text`` as pint answers it (what ``lca.units_prebuilt`` stores)."""
    return str(parse_unit(unit))


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    """ISO 4217 codes defined as currency units in factors/units.txt."""
    text = (data_dir("factors") / "units.txt").read_text(encoding="utf-8")
    return frozenset(
        line.split("=")[0].strip()
        for line in text.splitlines()
        if "[currency_" in line and not line.lstrip().startswith("#")
    )
