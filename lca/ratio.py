"""Ratios that stay finite numbers.

A figure divided by a number close to 0 (a net revenue of 1e-300, a prior year's figure of
1e-300 kgCO2e) overflows to infinity, which results.json cannot hold and no reader can use.
``ratio`` gives ``None`` for such a ratio (and for a denominator of 0); the caller reports the
figure as not computable, with its reason (issue ``not-computable``).
"""

from __future__ import annotations

import math

from lca.issues import Issue, Severity, SourceRef


def ratio(numerator: float, denominator: float, scale: float = 1.0) -> float | None:
    """``numerator / denominator × scale``, or ``None`` when the denominator is 0 or the
    result is not a finite number."""
    if not denominator:
        return None
    value = numerator / denominator * scale
    return float(value) if math.isfinite(value) else None


def not_computable(
    what: str, figures: list[str], reason: str, source: SourceRef, outcome: str = "given as null"
) -> list[Issue]:
    """A ``not-computable`` warning for ``figures`` of ``what`` (none when the list is
    empty): never an infinite number in results.json."""
    if not figures:
        return []
    return [
        Issue(
            code="not-computable",
            severity=Severity.WARNING,
            value=", ".join(figures),
            message=f"{what}: {', '.join(figures)} not computable ({reason}); {outcome}",
            source=source,
        )
    ]
