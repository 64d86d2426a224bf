"""Billing exports (AWS CUR, GCP billing export, Azure cost export) → cloud rows.

Three steps, the same for every provider:
1. read only the needed columns with Arrow (CSV or Parquet) and sum usage and cost per
   distinct (region, service, usage type, unit, currency …) in Arrow's group-by — the million
   input rows become a few thousand groups, with the first input row and the row count kept;
2. classify each group (the provider module): compute, gpu, memory, storage_ssd, storage_hdd,
   network, unknown, or dropped (taxes, fees, credits, CDN egress); convert its usage to the
   cloud sheet's unit;
3. aggregate into cloud rows per (region, service, resource, usage type, unit). Unknown rows
   get the IT energy per unit of spend of the known rows of the same file and currency (kWh
   per currency unit, from the library's coefficients): they become ``other`` rows in kWh,
   labelled in the notes; unknown rows without a region, or in a file with no known spend,
   stay spend-based ``other`` rows.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lca.errors import InputFileError
from lca.importers.base import Imported, ImportOptions, require, snake, with_provenance

CLASSES = (
    "compute",
    "gpu",
    "memory",
    "storage_ssd",
    "storage_hdd",
    "network",
    "unknown",
    "dropped",
)
#: A year after every factor's: the library's latest factor of each key is used.
LATEST = 9998
CLOUD_KEYS = [
    "region",
    "service",
    "resource",
    "usage_type",
    "unit",
    "currency",
    "replication_factor",
]


def read_columns(
    path: Path, wanted: dict[str, tuple[str, ...]], numeric: tuple[str, ...], what: str
) -> pa.Table:
    """The ``wanted`` columns (name → accepted snake_case spellings) of a CSV or Parquet file,
    renamed, with ``_row`` (spreadsheet row of CSV, record number of Parquet). A file without
    the ``numeric`` columns is not ``what`` (``InputFileError``); other absent columns are
    blank."""
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    parquet = path.suffix.lower() in (".parquet", ".pq")
    try:
        if parquet:
            names = pq.read_schema(path).names
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                names = next(csv.reader(handle), [])
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise InputFileError(f"{path}: cannot be read as CSV or Parquet: {exc}") from exc
    by_snake = {snake(n): n for n in names}
    chosen = {}
    for column, spellings in wanted.items():
        found = next((by_snake[s] for s in (column, *spellings) if s in by_snake), None)
        if found is not None:
            chosen[found] = column
    require(set(chosen.values()), numeric, path, what)
    try:
        if parquet:
            table = pq.read_table(path, columns=list(chosen))
        else:
            types = {
                raw: (pa.float64() if name in numeric else pa.string())
                for raw, name in chosen.items()
            }
            table = pacsv.read_csv(
                path,
                convert_options=pacsv.ConvertOptions(
                    include_columns=list(chosen), column_types=types
                ),
            )
    except (OSError, pa.ArrowException) as exc:
        raise InputFileError(f"{path}: cannot be read: {exc}") from exc
    table = table.rename_columns([chosen[n] for n in table.column_names])
    for index, name in enumerate(table.column_names):
        kind = pa.float64() if name in numeric else pa.string()
        table = table.set_column(index, name, table[name].cast(kind))
    for name in wanted:
        if name not in table.column_names:
            kind = pa.float64() if name in numeric else pa.string()
            table = table.append_column(name, pa.nulls(len(table), kind))
    first = 1 if parquet else 2
    return table.append_column("_row", pa.array(np.arange(first, first + len(table))))


def with_month(table: pa.Table, date_column: str) -> pa.Table:
    """``table`` with ``month``: the ``YYYY-MM`` of ``date_column`` (ISO date text; blank when
    the file has no such column)."""
    dates = pc.fill_null(table[date_column].cast(pa.string()), "")
    return table.append_column("month", pc.utf8_slice_codeunits(dates, 0, 7))


def group_usage(table: pa.Table, keys: list[str], sums: tuple[str, ...]) -> pd.DataFrame:
    """Sum ``sums`` per distinct ``keys`` (Arrow group-by); first row and row count kept."""
    for key in keys:
        table = table.set_column(
            table.column_names.index(key), key, pc.fill_null(table[key].cast(pa.string()), "")
        )
    grouped = table.group_by(keys).aggregate(
        [(s, "sum") for s in sums] + [("_row", "min"), ("_row", "count")]
    )
    frame = grouped.to_pandas()
    frame = frame.rename(
        columns={f"{s}_sum": s for s in sums} | {"_row_min": "first_row", "_row_count": "rows"}
    )
    return frame.sort_values("first_row", kind="stable").reset_index(drop=True)


def to_cloud_rows(
    provider: str, groups: pd.DataFrame, path: Path, options: ImportOptions
) -> Imported:
    """Classified groups → cloud rows, unknown usage estimated per unit of spend."""
    counts = groups.groupby("class")["rows"].sum().reindex(list(CLASSES), fill_value=0)
    spend = groups.groupby("class")["cost"].sum().reindex(list(CLASSES), fill_value=0.0)
    notes = [
        f"{provider}: {int(counts.sum())} billing rows classified: "
        + ", ".join(f"{c} {int(counts[c])} (spend {spend[c]:.2f})" for c in CLASSES)
    ]
    kept = groups[groups["class"].ne("dropped")].copy()
    kept["provider"] = provider
    kept["region"] = kept["region"].replace("", "global")
    rows = (
        kept.groupby(["provider", *CLOUD_KEYS], sort=True, dropna=False)
        .agg(
            quantity=("quantity", "sum"),
            spend=("cost", "sum"),
            first_row=("first_row", "min"),
            rows=("rows", "sum"),
            unknown=("class", lambda s: s.eq("unknown").any()),
        )
        .reset_index()
    )
    rows, more = estimate_unknown(rows, options)
    notes += more
    rows = rows.replace({"resource": {"": pd.NA}})
    out = with_provenance(
        rows.drop(columns=["first_row", "rows", "unknown"]), path, rows["first_row"], rows["rows"]
    )
    return Imported({"cloud": out.reset_index(drop=True)}, notes)


def estimate_unknown(rows: pd.DataFrame, options: ImportOptions) -> tuple[pd.DataFrame, list[str]]:
    """Unknown rows: IT kWh = spend × (known IT kWh / known spend) of the same currency."""
    unknown = rows["unknown"]
    per_spend = kwh_per_spend(rows[~unknown], _context(options))
    ratio = rows["currency"].map(per_spend)
    estimable = unknown & ratio.notna() & rows["region"].ne("global")
    rows = rows.astype({"quantity": "float64"})
    rows.loc[unknown, "usage_type"] = "other"
    rows.loc[unknown, "resource"] = ""
    rows.loc[estimable, "quantity"] = rows.loc[estimable, "spend"] * ratio[estimable]
    rows.loc[estimable, "unit"] = "kWh"
    rows.loc[unknown & ~estimable, "quantity"] = 1.0
    rows.loc[unknown & ~estimable, "unit"] = "month"
    notes = (
        [
            f"unknown usage: {int(estimable.sum())} row(s) estimated at "
            + ", ".join(f"{v:.6g} kWh (IT) per {c}" for c, v in per_spend.items())
            + " of spend, the known rows' average (method: estimated)"
        ]
        if estimable.any()
        else []
    )
    if (unknown & ~estimable).any():
        notes.append(
            f"unknown usage: {int((unknown & ~estimable).sum())} row(s) without a "
            "region or a known-spend ratio stay spend-based ('other' with spend)"
        )
    return rows, notes


def replication_factors(
    provider: str, service: pd.Series, usage: pd.Series, options: ImportOptions
) -> pd.Series:
    """Copies of the data or machines the provider keeps, per billing group: the first rule of
    the library's ``cloud_replication`` table (Cloud Carbon Footprint's) for the group's service
    whose substrings occur in its usage type (``usage``: AWS usage type, GCP SKU, Azure meter);
    NA where none applies (one copy)."""
    from lca.factors.library import load_library

    rules = (options.library or load_library()).table("cloud_replication")
    rules = rules[rules["provider"] == provider].sort_values(["service", "priority"])
    out = pd.Series(np.nan, index=service.index)
    for rule in rules.itertuples():
        open_ = out.isna() & service.eq(rule.service)
        for patterns in (rule.contains_any, rule.and_contains_any):
            if isinstance(patterns, str) and patterns:
                open_ &= _contains_any(usage, patterns.split("|"))
        out[open_] = float(rule.replication_factor)
    return out.where(out.ne(1.0))


def _contains_any(text: pd.Series, parts: list[str]) -> pd.Series:
    return pd.concat([text.str.contains(p, regex=False) for p in parts], axis=1).any(axis=1)


def kwh_per_spend(known: pd.DataFrame, ctx) -> pd.Series:
    """IT kWh per unit of spend of the ``known`` rows that have coefficients, per currency
    (empty when no known row has: a file whose rows are all unknown)."""
    from lca.activities.cloud import SIGNATURE, replication, signature_table

    if known.empty:
        return pd.Series(dtype="float64")
    sigs = known[SIGNATURE].astype(object)
    table = signature_table(sigs.where(sigs.notna(), None).reset_index(drop=True), ctx).set_index(
        known.index
    )
    ok = table["error"].eq("")
    kwh = (known["quantity"] * table["kwh_per_unit"] * replication(known))[ok]
    per_spend = (
        kwh.groupby(known.loc[ok, "currency"]).sum()
        / known.loc[ok].groupby("currency")["spend"].sum()
    )
    return per_spend[np.isfinite(per_spend)]


def _context(options: ImportOptions):
    """A context for the library's cloud coefficients (factors of ``options.year``, else the
    latest of each)."""
    from lca.factors.library import load_library
    from lca.mapping.context import Context
    from lca.validate.settings import Settings

    library = options.library or load_library()
    year = options.year or LATEST
    settings = Settings(
        organization="import", period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31)
    )
    return Context(
        settings=settings,
        library=library,
        overrides=pd.DataFrame(),
        sites=pd.DataFrame(),
        method=options.method,
    )


def known_instances(options: ImportOptions, provider: str) -> set[str]:
    """Instance types of ``provider`` in the library's cloud_instances table."""
    from lca.factors.library import load_library

    table = (options.library or load_library()).table("cloud_instances")
    return set(table.loc[table["provider"] == provider, "instance_type"])
