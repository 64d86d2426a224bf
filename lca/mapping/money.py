"""Spend conversion for spend-based factors: currency, then price year.

    amount in factor currency = amount × fx, fx = (USD per spend currency) / (USD per factor
                                currency), both annual averages of the spend year
    amount at factor prices   = that × index(factor year) / index(spend year), with the price
                                index of the factor currency's economy (USD: US CPI-U …)

Both steps are recorded on the ledger line (``fx_rate``, ``price_index_ratio``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lca.mapping.context import Context


def _by_year(
    ctx: Context, table: str, indicator: str, keys: pd.Series, years: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Library values of ``indicator`` per (key, year), each year picked as for any factor;
    with the year of the value picked (another year when the table does not cover it)."""
    values = pd.Series(np.nan, index=keys.index)
    ids = pd.Series("", index=keys.index, dtype="object")
    picked = pd.Series(np.nan, index=keys.index)
    for year in years.dropna().unique():
        rows = years == year
        found = ctx.library.lookup(table, keys[rows], indicator, int(year))
        values[rows] = found["value"].astype("float64")
        ids[rows] = found["factor_id"].fillna("").astype(str)
        picked[rows] = found["year"].astype("float64")
    return values, ids, picked


def usd_per_unit(
    ctx, currency: pd.Series, year: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """USD per unit of each currency in each year (USD itself is 1), and the year of the
    rate used."""
    values, ids, picked = _by_year(ctx, "currency", "usd_per_unit", currency, year)
    is_usd = currency.eq("USD")
    return values.where(~is_usd, 1.0), ids.where(~is_usd, ""), picked.where(~is_usd, year)


def convert_spend(
    ctx: Context,
    amount: pd.Series,
    currency: pd.Series,
    spend_year: pd.Series,
    target_currency: pd.Series,
    target_year: pd.Series,
) -> pd.DataFrame:
    """Convert spend to the factor's currency and price year; NaN where a rate is missing.
    ``rate_year`` is the year of a rate or index used for the spend year when the tables do
    not cover that year (NaN when they do)."""
    usd_src, id_src, year_src = usd_per_unit(ctx, currency, spend_year)
    usd_tgt, id_tgt, year_tgt = usd_per_unit(ctx, target_currency, spend_year)
    fx = (usd_src / usd_tgt).where(currency.ne(target_currency), 1.0)
    index_then, id_then, year_then = _by_year(
        ctx, "price_index", "index", target_currency, spend_year
    )
    index_now, id_now, _ = _by_year(ctx, "price_index", "index", target_currency, target_year)
    same_year = spend_year.eq(target_year)
    converting = currency.ne(target_currency)
    other = pd.concat(
        [year_src.where(converting), year_tgt.where(converting), year_then.where(~same_year)],
        axis=1,
    )
    rate_year = other.where(other.ne(spend_year.astype("float64"), axis=0)).max(axis=1)
    ratio = (index_now / index_then).where(~same_year, 1.0)
    ids = (
        id_src.where(currency.ne(target_currency), "")
        + ";"
        + id_tgt.where(currency.ne(target_currency), "")
        + ";"
        + id_then.where(~same_year, "")
        + ";"
        + id_now.where(~same_year, "")
    )
    return pd.DataFrame(
        {
            "fx_rate": fx,
            "price_index_ratio": ratio,
            "converted": amount * fx * ratio,
            "rate_year": rate_year,
            "factor_ids": ids.str.replace(r";+", ";", regex=True).str.strip(";"),
        },
        index=amount.index,
    )


def currency_of(unit: str) -> str | None:
    """The currency in the denominator of a spend factor unit ("kgCO2e/USD" → "USD")."""
    match = re.search(r"/\s*\(?\s*([A-Z]{3})\b", str(unit))
    return match.group(1) if match else None
