"""Refrigerant leaks (scope 1): kg leaked × GWP100 of the gas in the inventory's ``gwp_set``.

kg leaked = ``leaked_kg``, or ``charge_kg × annual_leak_rate`` × the period in years.
Gas names are matched ignoring case and punctuation (``r410a`` reads as ``R-410A``, disclosed).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lca.activities.common import new_lines, reject, site_columns
from lca.issues import Issue, Severity, suggest
from lca.mapping.context import Context
from lca.mapping.match import resolve

SHEET = "refrigerants"


def _squash(name: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", str(name).upper())


def canonical_gases(gases: pd.Series, known: list[str]) -> pd.Series:
    """Map gas names to the library's spelling when they differ only by case or punctuation."""
    by_squash = {_squash(k): k for k in known}
    return gases.map(lambda g: by_squash.get(_squash(g), g), na_action="ignore")


def lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Ledger lines of the refrigerants sheet."""
    if frame.empty:
        return [], []
    indicator = f"gwp_{ctx.settings.gwp_set.lower()}"
    known = ctx.library.known_keys("gases", indicator)
    gas = canonical_gases(frame["gas"], known)
    gwp = resolve(ctx, table="gases", keys=gas, indicator=indicator, own_indicator="gwp",
                  target_unit="kgCO2e/kg", override_sheet=SHEET, override_keys=frame["gas"])
    years = ctx.settings.period_days / 365.25
    leaked = frame["leaked_kg"].fillna(frame["charge_kg"] * frame["annual_leak_rate"] * years)
    missing = gwp["value"].isna()
    issues = reject(frame, SHEET, missing, "unknown-factor-key", "gas",
                    lambda v: f"no GWP for gas {v!r} in {ctx.settings.gwp_set}"
                    + suggest(v, known))
    issues += reject(frame, SHEET, gas.ne(frame["gas"]) & ~missing, "value-normalized", "gas",
                     lambda v: f"gas {v!r} read as the library's spelling",
                     severity=Severity.WARNING)
    sites = site_columns(frame, ctx)
    out = new_lines(frame, activity=SHEET, stage="operation", scope=1,
                    method=np.where(gwp["supplier_specific"], "supplier_specific",
                                    "measured")).assign(
        site_id=frame["site_id"], country=sites["country"], group=gas,
        label=gas + " leak · " + frame["site_id"], quantity=leaked, quantity_unit="kg",
        activity_amount=leaked, activity_unit="kg", ef_gwp=gwp["value"],
        ef_gwp_market=gwp["value"], ef_energy=0.0, factor_gwp=gwp["factor_id"],
        factor_gwp_market=gwp["factor_id"],
        formula=f"kg leaked × GWP100 ({ctx.settings.gwp_set})")
    return [out[~missing]], issues
