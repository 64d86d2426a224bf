"""The inventory's own factors (the ``factors`` sheet), checked once before matching.

Each row's unit must read (``lca.units`` grammar) and
measure what the sheet's factor is per:

=============  ==============================================================================
sheet          value per
=============  ==============================================================================
energy         gwp, gwp_upstream: a unit of the carrier (kWh, L, kg, m³); water, adpe: kWh
equipment      device (a bare amount, ``kgCO2e``, is read as per device)
refrigerants   kg of gas
services       a currency unit (``kgCO2e/EUR``)
cloud          kWh of the region's electricity
=============  ==============================================================================

with kgCO2e (gwp, gwp_upstream), m³ (water) or kg Sb eq (adpe) as numerator, in any unit of
that kind. A row that fails is an error at its unit cell, counted as rejected; it stays in
the table, flagged ``usable`` False, so that the rows it would have served are rejected too
(``lca.aggregate.own_factors``): never computed with the library's factor in its place, never
left at 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.issues import Issue, Severity, SourceRef
from lca.spec import FILE, ROW
from lca.units import UnitError, dimensionality, has_dimension, normalize_unit

SHEET = "factors"
#: Numerator each own-factor indicator must convert to.
NUMERATOR = {"gwp": "kgCO2e", "gwp_upstream": "kgCO2e", "water": "m**3", "adpe": "kgSbeq"}
#: What a value is per, by sheet (and indicator where it matters); services: per currency.
PER = {
    ("energy", "gwp"): ("kWh", "L", "kg"),
    ("energy", "gwp_upstream"): ("kWh", "L", "kg"),
    ("energy", "water"): ("kWh",),
    ("energy", "adpe"): ("kWh",),
    "equipment": ("device",),
    "refrigerants": ("kg",),
    "cloud": ("kWh",),
}


def _per(sheet: str, indicator: str) -> tuple[str, ...]:
    return PER.get((sheet, indicator)) or PER.get(sheet, ())


def unit_problem(unit: str, sheet: str, indicator: str) -> tuple[str | None, str, str]:
    """Why an own factor's unit cannot serve its sheet and indicator: (issue code, message,
    the unit as it will be matched), the code None when it can serve."""
    numerator = NUMERATOR[indicator]
    try:
        bare = has_dimension(unit, numerator)  # else per something, as it should be
    except UnitError as exc:
        return "unknown-unit", f"unit {unit!r} cannot be read: {exc}", unit
    if bare and sheet == "equipment":
        return None, "", f"({normalize_unit(unit)})/device"
    if sheet == "services":
        return (
            (None, "", normalize_unit(unit))
            if _per_currency(unit, numerator)
            else (
                "unit-dimension",
                f"unit {unit!r} is not {indicator} per currency unit (e.g. {numerator}/EUR)",
                unit,
            )
        )
    wanted = [f"{numerator}/{per}" for per in _per(sheet, indicator)]
    if any(has_dimension(unit, target) for target in wanted):
        return None, "", normalize_unit(unit)
    return (
        "unit-dimension",
        f"unit {unit!r} does not measure {indicator} per what a "
        f"{sheet} row is counted in (e.g. {' or '.join(wanted)})",
        unit,
    )


def _per_currency(unit: str, numerator: str) -> bool:
    """True when ``unit`` is ``numerator``'s kind per one currency (kgCO2e/EUR, gCO2e/USD)."""
    dimensions = dimensionality(unit)
    currencies = [d for d, power in dimensions.items() if d.startswith("[currency_")]
    if len(currencies) != 1 or dimensions.pop(currencies[0]) != -1:
        return False
    return dimensions == dimensionality(numerator)


def own_factors(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """The factors sheet, ready for ``lca.mapping.match``: units as matched, ``usable`` False
    where the unit cannot serve (each such row is an error issue at its unit cell)."""
    issues = []
    frame = frame.copy()
    units, usable = [], np.ones(len(frame), dtype=bool)
    for position, (unit, indicator, sheet, factor_id, row, file) in enumerate(
        zip(
            frame["unit"],
            frame["indicator"],
            frame["sheet"],
            frame["factor_id"],
            frame[ROW],
            frame[FILE],
            strict=True,
        )
    ):
        code, message, matched_unit = unit_problem(str(unit), str(sheet), str(indicator))
        units.append(matched_unit)
        if code:
            usable[position] = False
            issues.append(
                Issue(
                    code=code,
                    severity=Severity.ERROR,
                    value=str(unit),
                    message=f"own factor {factor_id!r}: {message}; the row is rejected, and so "
                    "is every row that would have used it",
                    source=SourceRef(file=file, sheet=SHEET, row=int(row), column="unit"),
                )
            )
    frame["unit"] = pd.Series(units, index=frame.index, dtype="string")
    frame["value"] = frame["value"].astype("float64").where(usable)
    frame["usable"] = usable
    frame["year"] = frame["year"].astype("float64")
    return frame, issues
