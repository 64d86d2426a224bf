"""Reading the reproduced tools' constants from the factor library's ``compat`` table."""

from __future__ import annotations

from lca.errors import FactorLibraryError
from lca.factors.library import FactorLibrary
from lca.units import conversion_factor

#: The tools' constants are not yearly series: take the latest the library has.
LATEST = 9999


def compat_value(library: FactorLibrary, key: str, indicator: str, unit: str) -> float:
    """One constant of ``compat.csv`` in ``unit``; a missing one is a broken library."""
    found = library.value("compat", key, indicator, LATEST)
    if found is None:
        raise FactorLibraryError(f"compat.csv has no {indicator!r} for {key!r}")
    value, stored_unit, _ = found
    return value * conversion_factor(stored_unit, unit)
