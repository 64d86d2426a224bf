"""Checks on computed figures: no infinite figure reaches a total, and totals beyond any real
organisation are disclosed (the input-side plausibility rules are in
``lca.validate.plausibility``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.issues import Issue, Severity, SourceRef
from lca.ledger import INDICATORS

#: A total above this (1 Gt CO2e, 1,000 TWh) is beyond any organisation's footprint.
MAX_PLAUSIBLE_TOTAL = {
    "total_location_kgco2e": 1e12,
    "total_market_kgco2e": 1e12,
    "energy_kwh": 1e12,
}


def finite_lines(ledger: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    """The ledger without lines whose figures are not finite (an overflow of products of
    large inputs), each input row so dropped an error: no infinite figure reaches a total."""
    numbers = ledger[[c for c in INDICATORS if c in ledger.columns]].to_numpy(dtype="float64")
    bad = np.isinf(numbers).any(axis=1)
    if not bad.any():
        return ledger, []
    rows = ledger.loc[bad, ["file", "sheet", "row"]].drop_duplicates()
    issues = [
        Issue(
            code="out-of-range",
            severity=Severity.ERROR,
            message="the figures of this row overflow (a product of its numbers is "
            "beyond floating point); the row is not counted",
            source=SourceRef(file=str(f), sheet=str(s), row=int(r)),
        )
        for f, s, r in rows.itertuples(index=False)
    ]
    return ledger[~bad].reset_index(drop=True), issues


def total_rules(totals: dict) -> list:
    """A warning for each headline total beyond any real organisation."""
    return [
        Issue(
            code="implausible-value",
            severity=Severity.WARNING,
            value=f"{totals[k]:g}",
            message=f"{k} is {totals[k]:,.0f}, beyond any organisation's footprint "
            f"(more than {limit:.0e}); check the quantities and their units",
            source=SourceRef(file="results", column=k),
        )
        for k, limit in MAX_PLAUSIBLE_TOTAL.items()
        if isinstance(totals.get(k), float | int) and totals[k] > limit
    ]
