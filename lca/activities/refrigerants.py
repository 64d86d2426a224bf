"""Refrigerant leaks: kg leaked × GWP100 of the gas in the inventory's ``gwp_set``.

kg leaked = ``leaked_kg``, or ``charge_kg × annual_leak_rate`` × the period in years.
Gas names are matched ignoring case and punctuation (``r410a`` reads as ``R-410A``, disclosed);
a common spelling listed in the library's ``gas_aliases`` reads as the gas it names
(``R-1234ze`` as ``R-1234ze(E)``, disclosed).

Scopes 1–3 hold the Kyoto basket only (CO2, CH4, N2O, HFCs, PFCs, SF6, NF3). A gas or blend
with a part outside it (CFCs and HCFCs such as R-22, HFOs) is split by its library
composition: kg × ``gwp_<set>_kyoto`` is scope 1, kg × ``gwp_<set>_non_kyoto`` is "other GHG
emissions, outside the scopes" (scope 0, never counted in a total). A gas given its own GWP on
the factors sheet stays whole in scope 1.
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


def canonical_gases(gases: pd.Series, known: list[str], named: dict[str, str]) -> pd.Series:
    """Map gas names to the library's spelling when they differ only by case or punctuation,
    or when they are an alias of a known gas (``named``, see ``alias_names``)."""
    by_squash = {**named, **{_squash(k): k for k in known}}
    return gases.map(lambda g: by_squash.get(_squash(g), g), na_action="ignore")


def alias_names(ctx: Context, known: list[str]) -> dict[str, str]:
    """The library's common spellings of known gases (``gas_aliases``, if it has the table),
    squashed, → the gas each names; a spelling that is a known key's is not an alias."""
    table = ctx.library.tables.get("gas_aliases")
    if table is None:
        return {}
    spelled = {_squash(k) for k in known}
    return {
        _squash(alias): gas
        for alias, gas in zip(table["alias"], table["gas"], strict=True)
        if gas in known and _squash(alias) not in spelled
    }


def lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Ledger lines of the refrigerants sheet."""
    if frame.empty:
        return [], []
    indicator = f"gwp_{ctx.settings.gwp_set.lower()}"
    known = ctx.library.known_keys("gases", indicator)
    named = alias_names(ctx, known)
    gas = canonical_gases(frame["gas"], known, named)
    gwp = resolve(
        ctx,
        table="gases",
        keys=gas,
        indicator=indicator,
        own_indicator="gwp",
        target_unit="kgCO2e/kg",
        override_sheet=SHEET,
        override_keys=frame["gas"],
    )
    years = ctx.settings.period_days / 365.25
    leaked = frame["leaked_kg"].fillna(frame["charge_kg"] * frame["annual_leak_rate"] * years)
    missing = gwp["value"].isna()
    issues = reject(
        frame,
        SHEET,
        missing,
        "unknown-factor-key",
        "gas",
        lambda v: f"no GWP for gas {v!r} in {ctx.settings.gwp_set}" + suggest(v, known),
    )
    aliased = frame["gas"].map(lambda g: _squash(g) in named, na_action="ignore").eq(True)
    issues += reject(
        frame,
        SHEET,
        gas.ne(frame["gas"]) & ~missing & ~aliased,
        "value-normalized",
        "gas",
        lambda v: f"gas {v!r} read as the library's spelling",
        severity=Severity.WARNING,
    )
    issues += reject(
        frame,
        SHEET,
        gas.ne(frame["gas"]) & ~missing & aliased,
        "value-normalized",
        "gas",
        lambda v: (
            f"gas {v!r} read as {named[_squash(v)]}, the gas that spelling names "
            "(the library's gas_aliases)"
        ),
        severity=Severity.WARNING,
    )
    split = {
        part: resolve(
            ctx, table="gases", keys=gas, indicator=f"{indicator}_{part}", target_unit="kgCO2e/kg"
        )
        for part in ("kyoto", "non_kyoto")
    }
    has_split = split["non_kyoto"]["value"].notna() & ~gwp["supplier_specific"]
    kyoto = gwp.where(~has_split, split["kyoto"])
    method = np.where(gwp["supplier_specific"], "supplier_specific", "measured")
    sites = site_columns(frame, ctx)
    common = dict(
        site_id=frame["site_id"],
        country=sites["country"],
        group=gas,
        quantity=leaked,
        quantity_unit="kg",
        activity_amount=leaked,
        activity_unit="kg",
        ef_energy=0.0,
    )
    out = new_lines(frame, activity=SHEET, stage="operation", scope=1, method=method).assign(
        **common,
        label=gas + " leak · " + frame["site_id"],
        ef_gwp=kyoto["value"],
        ef_gwp_market=kyoto["value"],
        factor_gwp=kyoto["factor_id"],
        factor_gwp_market=kyoto["factor_id"],
        basis=np.where(
            has_split,
            "scope 1: the Kyoto-basket part of the gas (HFC, PFC, SF6, NF3 components)",
            "scope 1: fugitive Kyoto-basket gas",
        ),
        formula=f"kg leaked × GWP100 ({ctx.settings.gwp_set})",
    )
    other = split["non_kyoto"]
    outside = new_lines(
        frame,
        activity=SHEET,
        stage="operation",
        part="outside_scopes",
        scope=0,
        method=method,
        counted=False,
    ).assign(
        **common,
        label=gas + " leak, outside the scopes · " + frame["site_id"],
        ef_gwp=other["value"],
        ef_gwp_market=other["value"],
        factor_gwp=other["factor_id"],
        factor_gwp_market=other["factor_id"],
        basis="other GHG emissions not in the scopes: Montreal Protocol gases (CFC, HCFC) and "
        "HFOs are outside the Kyoto basket of the GHG Protocol",
        formula=f"kg leaked × GWP100 of the non-Kyoto part ({ctx.settings.gwp_set})",
    )
    keep = ~missing
    return [
        out[keep & ~(has_split & kyoto["value"].eq(0))],
        outside[keep & has_split & other["value"].gt(0)],
    ], issues
