"""Stage 3 — map rows to factors: the inventory's own factors first, then the library.

``resolve`` is the one place where a row meets a factor. It is vectorised: keys are looked up
as columns, never row by row, and each distinct unit is converted once with pint.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.coerce import factorize
from lca.distinct import combine
from lca.factors.library import pick_year
from lca.mapping.context import Context
from lca.units import try_conversion

RESOLVED = ("factor_id", "value", "unit", "year", "supplier_specific", "fallback")
#: An own factor this many times above or below the library's value for the same key is
#: reported (a unit slip: g for kg, MWh for kWh, is 1,000 times).
OWN_FACTOR_RATIO = 100.0


def _empty(index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "factor_id": pd.Series(pd.NA, index=index, dtype="string"),
            "value": np.nan,
            "unit": pd.Series(pd.NA, index=index, dtype="string"),
            "year": np.nan,
            "supplier_specific": False,
            "fallback": False,
        },
        index=index,
    )


def _fill(
    result: pd.DataFrame, found: pd.DataFrame, take: pd.Series, *, supplier: bool, fallback: bool
) -> None:
    """Take ``found``'s factor on the rows of ``take`` (rows that have none yet)."""
    if take.all():  # nothing found before: take everything found, column by column
        for column in ("factor_id", "value", "unit", "year"):
            result[column] = found[column].astype(result[column].dtype)
        result["supplier_specific"] = supplier
        result["fallback"] = fallback
    elif take.any():
        for column in ("factor_id", "value", "unit", "year"):
            result.loc[take, column] = found.loc[take, column]
        result.loc[take, "supplier_specific"] = supplier
        result.loc[take, "fallback"] = fallback


def override_lookup(
    ctx: Context, sheet: str | pd.Series, keys: pd.Series, indicator: str, stage: str = ""
) -> pd.DataFrame:
    """The inventory's own factors (``factors`` sheet) matching ``keys`` on ``sheet`` (one
    sheet, or one per key), aligned on ``keys``. Every (sheet, key, indicator, stage) asked
    for is recorded in ``ctx.asked`` (what an unused own factor could have meant). Matched
    once per distinct (sheet, key)."""
    keys = keys.astype("string")
    sheets = None
    if isinstance(sheet, pd.Series):  # one sheet per key, by label
        sheets = (sheet if sheet.index.equals(keys.index) else sheet.reindex(keys.index)).astype(
            "string"
        )
    columns = [factorize(keys)[0]] if sheets is None else [factorize(sheets)[0], factorize(keys)[0]]
    codes = combine(columns, len(keys))
    firsts = np.unique(codes, return_index=True)[1]  # codes come in order of first appearance
    own = _own_table(ctx, indicator)
    where = np.full(len(firsts) + 1, -1)  # the last: no own factor
    for code, position in enumerate(firsts):
        on = sheet if sheets is None else sheets.iat[position]
        asked = (on, keys.iat[position], own_stage(on, stage))
        if asked[0] is not pd.NA and asked[1] is not pd.NA:
            ctx.asked.add((asked[0], asked[1], indicator, asked[2]))
        if own is not None:
            where[code] = own[1].get(asked, -1)
    if own is None:  # no own factor of this indicator
        return _empty(keys.index)[["factor_id", "value", "unit", "year"]]
    found = own[0].reindex(where[codes])
    found.index = keys.index
    return found


def own_stage(sheet: str, stage: str) -> str:
    """The stage an own factor of ``sheet`` is matched on: equipment's default is
    manufacturing; the other sheets' factors have none."""
    return (stage or "manufacturing") if sheet == "equipment" else stage


def _own_table(ctx: Context, indicator: str) -> tuple[pd.DataFrame, dict] | None:
    """The own factors of ``indicator`` (``factor_id, value, unit, year``; the first row of
    each (sheet, key, stage)) and the position of each (sheet, key, stage), or None when
    there is none: built once per context and indicator."""
    if indicator not in ctx.own_tables:
        own = ctx.overrides
        table = None
        if not own.empty and (own["indicator"] == indicator).any():
            rows = own[own["indicator"] == indicator]
            stages = zip(rows["sheet"].fillna(""), rows["stage"].fillna(""), strict=True)
            rows = rows.assign(stage=[own_stage(sheet, stage) for sheet, stage in stages])
            rows = rows.drop_duplicates(["sheet", "key", "stage"]).reset_index(drop=True)
            triples = zip(
                *(rows[c].astype("string").tolist() for c in ("sheet", "key", "stage")),
                strict=True,
            )
            table = (
                rows[["factor_id", "value", "unit", "year"]],
                {triple: position for position, triple in enumerate(triples)},
            )
        ctx.own_tables[indicator] = table
    return ctx.own_tables[indicator]


def resolve(
    ctx: Context,
    *,
    table: str,
    keys: pd.Series,
    indicator: str,
    target_unit: str | None,
    stage: str = "",
    override_sheet: str | pd.Series | None = None,
    override_keys: pd.Series | None = None,
    own_indicator: str | None = None,
    fallbacks: tuple[pd.Series, ...] = (),
) -> pd.DataFrame:
    """Find the factor of ``indicator`` for each key, converted to ``target_unit``.

    Order: the inventory's own factor (``override_sheet``/``override_keys``, indicator
    ``own_indicator`` when the library names it otherwise: ``gwp`` for the ``gwp_ar6`` of a
    gas), the library's factor for ``keys``, then each series of ``fallbacks`` (marked
    ``fallback``). An own factor that matches is taken even when its unit cannot serve: its
    value is then NaN with ``unit_error`` True, never replaced by the library's. Returns a
    frame aligned on ``keys.index`` with ``RESOLVED`` columns; ``value`` is per
    ``target_unit`` (as stored when ``target_unit`` is None) and NaN where nothing matched.
    """
    result = _empty(keys.index)
    if override_sheet is not None:
        own = override_lookup(
            ctx,
            override_sheet,
            keys if override_keys is None else override_keys,
            own_indicator or indicator,
            stage,
        )
        _fill(result, own, own["factor_id"].notna(), supplier=True, fallback=False)
    library = ctx.library.lookup(table, keys, indicator, ctx.year, stage)
    _fill(result, library, _open(result, library), supplier=False, fallback=False)
    for alternative in fallbacks:
        if not result["factor_id"].isna().any():
            break
        found = ctx.library.lookup(table, alternative, indicator, ctx.year, stage)
        _fill(result, found, _open(result, found), supplier=False, fallback=True)
    if target_unit is None:
        result["value"] = result["value"].astype("float64")
        result["unit_error"] = False
        return result
    result = convert_values(result, target_unit)
    if override_sheet is not None and result["supplier_specific"].any():
        _far_from_library(ctx, result, library, target_unit)
    return result


def _far_from_library(
    ctx: Context, result: pd.DataFrame, library: pd.DataFrame, target_unit: str
) -> None:
    """Record the own factors that are ``OWN_FACTOR_RATIO`` times above or below the
    library's factor for the same key (both in ``target_unit``) in ``ctx.far_from_library``."""
    own = result["supplier_specific"].astype(bool) & library["value"].notna()
    if not own.any():
        return
    theirs = convert_values(library.loc[own, ["factor_id", "value", "unit"]].copy(), target_unit)
    mine = result.loc[own, "value"].astype("float64")
    ratio = mine / theirs["value"]
    far = (
        (mine > 0)
        & (theirs["value"] > 0)
        & ((ratio > OWN_FACTOR_RATIO) | (ratio < 1 / OWN_FACTOR_RATIO))
    )
    for position in np.flatnonzero(far.to_numpy()):
        factor_id = str(result.loc[own, "factor_id"].iloc[position])
        ctx.far_from_library.setdefault(
            factor_id,
            (
                float(mine.iloc[position]),
                float(theirs["value"].iloc[position]),
                str(theirs["factor_id"].iloc[position]),
                target_unit,
            ),
        )


def _open(result: pd.DataFrame, found: pd.DataFrame) -> pd.Series:
    """Rows without a factor yet where ``found`` has one."""
    return result["factor_id"].isna() & found["value"].notna()


def convert_values(result: pd.DataFrame, target_unit: str) -> pd.DataFrame:
    """Convert ``value`` from its ``unit`` to ``target_unit`` (once per distinct unit)."""
    result["unit_error"] = False
    for unit in result["unit"].dropna().unique():
        rows = result["unit"] == unit
        factor = try_conversion(str(unit), target_unit)
        if factor is None:  # undefined unit or another dimension
            result.loc[rows, "value"] = np.nan
            result.loc[rows, "unit_error"] = True
            continue
        result.loc[rows, "value"] = result.loc[rows, "value"].astype("float64") * factor
    result["value"] = result["value"].astype("float64")
    return result


def resolve_per_unit(
    ctx: Context,
    *,
    table: str,
    keys: pd.Series,
    units: pd.Series,
    indicator: str,
    numerator: str,
    override_sheet: str | None = None,
    override_keys: pd.Series | None = None,
) -> pd.DataFrame:
    """Factor per *input unit* for tables with several denominators (fuels: per L, kWh, kg).

    For each distinct (key, unit), the first factor whose unit times the input unit converts to
    ``numerator`` is used (own factor first, then the library, latest year ≤ the reporting
    year). Returns ``RESOLVED`` columns aligned on ``keys.index``, ``value`` in ``numerator``
    per input unit.
    """
    own_keys = keys if override_keys is None else override_keys
    pairs = pd.DataFrame(
        {
            "key": keys.astype("string"),
            "own": own_keys.astype("string"),
            "unit": units.astype("string"),
        }
    )
    library = pick_year(
        ctx.library.select(table, indicator), ctx.year, by=("key", "indicator", "stage", "unit")
    )
    own = ctx.overrides
    own = (
        own[(own["sheet"] == override_sheet) & (own["indicator"] == indicator)]
        if override_sheet and not own.empty
        else own.iloc[0:0]
    )
    found = {}
    for key, own_key, unit in pairs.dropna().drop_duplicates().itertuples(index=False):
        if override_sheet:
            ctx.asked.add((override_sheet, own_key, indicator, ""))
        candidates = [(r, True) for r in own[own["key"] == own_key].itertuples()] + [
            (r, False) for r in library[library["key"] == key].itertuples()
        ]
        for row, supplier in candidates:
            if supplier and not row.usable:  # taken, so that the row is rejected, not estimated
                found[(key, own_key, unit)] = (row.factor_id, np.nan, row.unit, row.year, True)
                break
            factor = try_conversion(f"({unit}) * ({row.unit})", numerator)
            if factor is None:  # the denominators do not match this input unit
                continue
            found[(key, own_key, unit)] = (
                row.factor_id,
                float(row.value) * factor,
                row.unit,
                row.year,
                supplier,
            )
            break
    table_found = pd.DataFrame(
        [(*k, *v) for k, v in found.items()],
        columns=[
            "key",
            "own",
            "unit",
            "factor_id",
            "value",
            "factor_unit",
            "year",
            "supplier_specific",
        ],
    ).astype({"key": "string", "own": "string", "unit": "string"})
    merged = pairs.merge(table_found, on=["key", "own", "unit"], how="left")
    merged.index = keys.index
    result = _empty(keys.index)
    _fill(
        result,
        merged.assign(unit=merged["factor_unit"]),
        merged["factor_id"].notna(),
        supplier=False,
        fallback=False,
    )
    result["supplier_specific"] = merged["supplier_specific"].fillna(False).astype(bool)
    result["unit_error"] = False
    return result
