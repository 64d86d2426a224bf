"""Purchased goods and services (scope 3, category as given, default 1).

Spend-based: spend converted to the factor's currency and price year (``lca.mapping.money``) × the
spend factor of the row's category (kgCO2e per currency unit). Supplier-specific: the
supplier's own total (``supplier_kgco2e``) wins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.activities.common import new_lines, reject
from lca.issues import Issue, Severity, suggest
from lca.mapping.context import Context
from lca.mapping.match import resolve
from lca.mapping.money import convert_spend, currency_of
from lca.units import try_conversion

SHEET = "services"


def spend_lines(
    frame: pd.DataFrame,
    ctx: Context,
    *,
    sheet: str,
    category: pd.Series,
    spend_key: pd.Series,
    scope3_category: pd.Series,
    label: pd.Series,
    group: pd.Series,
) -> tuple[pd.DataFrame, pd.Series, list[Issue]]:
    """Spend-based lines for ``frame`` (used by services and by cloud ``other`` rows).

    Returns the lines, the mask of rows that got a factor, and issues.
    """
    if ctx.settings.eeio_source == "ademe":  # ADEME monetary ratios: keys ``ademe:<key>``
        spend_key = "ademe:" + spend_key.astype("string")
    factor = resolve(
        ctx,
        table="spend",
        keys=spend_key,
        indicator="gwp",
        target_unit=None,
        override_sheet=sheet,
        override_keys=category,
    )
    target_currency = (
        factor["unit"].astype(object).map(currency_of, na_action="ignore").fillna("USD")
    )
    per_unit = factor["unit"].astype(object).map(_to_kg_per_currency_unit, na_action="ignore")
    raw = factor["value"] * pd.to_numeric(per_unit, errors="coerce")
    currency = frame["currency"].fillna(ctx.settings.currency)
    spend_year = (
        frame["spend_year"].fillna(ctx.year)
        if "spend_year" in frame
        else pd.Series(ctx.year, index=frame.index)
    )
    converted = convert_spend(
        ctx,
        frame["spend"],
        currency,
        spend_year.astype("int64"),
        target_currency,
        factor["year"].fillna(ctx.year).astype("int64"),
    )
    missing = raw.isna()
    no_rate = ~missing & converted["converted"].isna() & frame["spend"].notna()
    known = ctx.library.known_keys("spend", "gwp")
    issues = reject(
        frame,
        sheet,
        missing,
        "unknown-factor-key",
        "category",
        lambda v: f"no spend factor for category {v!r}" + suggest(v, known),
    )
    issues += reject(
        frame,
        sheet,
        no_rate,
        "unknown-factor-key",
        "currency",
        lambda v: (
            f"no exchange rate or price index to convert {v or 'the spend'} "
            "to the factor's currency and year"
        ),
    )
    outside = converted["rate_year"].notna() & ~missing & ~no_rate
    issues += reject(
        frame,
        sheet,
        outside,
        "currency-conversion",
        "spend_year",
        lambda v: (
            f"spend_year {v[:-2] if v and v.endswith('.0') else v or ctx.year} is outside the "
            "exchange-rate and price-index tables; the rates of the nearest year were used"
        ),
        severity=Severity.WARNING,
    )
    out = new_lines(
        frame,
        activity=sheet,
        stage="operation",
        scope=3,
        category=scope3_category,
        method=np.where(factor["supplier_specific"], "supplier_specific", "spend_based"),
    ).assign(
        group=group,
        label=label,
        quantity=frame["spend"],
        quantity_unit=currency,
        spend=frame["spend"],
        currency=currency,
        fx_rate=converted["fx_rate"],
        price_index_ratio=converted["price_index_ratio"],
        activity_amount=converted["converted"],
        activity_unit=target_currency
        + " ("
        + factor["year"].fillna(ctx.year).astype("int64").astype(str)
        + " prices)",
        ef_gwp=raw,
        ef_gwp_market=raw,
        ef_energy=np.nan,
        ef_water=np.nan,
        ef_adpe=np.nan,
        factor_gwp=factor["factor_id"],
        factor_gwp_market=factor["factor_id"],
        factor_other=converted["factor_ids"],
        formula="spend × exchange rate × price-index ratio × spend factor",
    )
    ok = ~missing & ~no_rate
    return out, ok, issues


def _to_kg_per_currency_unit(unit: str) -> float:
    """Factor for a spend unit such as gCO2e/EUR → kgCO2e/EUR (NaN if not per a currency)."""
    currency = currency_of(unit)
    factor = try_conversion(unit, f"kgCO2e/{currency}") if currency else None
    return np.nan if factor is None else factor


def lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Ledger lines of the services sheet."""
    if frame.empty:
        return [], []
    category = frame["category"].astype("string")
    scope3 = frame["scope3_category"].fillna(1).astype("int64")
    label = (
        frame["supplier"].fillna("").astype(str)
        + " · "
        + frame["description"].fillna("").astype(str)
    )
    supplier = frame["supplier_kgco2e"].notna()
    spend_rows = frame[~supplier]
    spent, ok, issues = spend_lines(
        spend_rows,
        ctx,
        sheet=SHEET,
        category=category[~supplier],
        spend_key=category[~supplier],
        scope3_category=scope3[~supplier],
        label=label[~supplier],
        group=category[~supplier],
    )
    given = frame[supplier]
    own = new_lines(
        given,
        activity=SHEET,
        stage="operation",
        scope=3,
        category=scope3[supplier],
        method="supplier_specific",
    ).assign(
        group=category[supplier],
        label=label[supplier],
        quantity=given["supplier_kgco2e"],
        quantity_unit="kgCO2e",
        spend=given["spend"],
        currency=given["currency"],
        activity_amount=given["supplier_kgco2e"],
        activity_unit="kgCO2e",
        ef_gwp=1.0,
        ef_gwp_market=1.0,
        ef_energy=np.nan,
        ef_water=np.nan,
        ef_adpe=np.nan,
        factor_gwp="supplier:services:" + given["_row"].astype(str),
        factor_gwp_market="supplier:services:" + given["_row"].astype(str),
        formula="supplier-specific kgCO2e as given",
    )
    return [spent[ok], own], issues
