"""Billing exports (AWS CUR, GCP billing export, Azure cost export) → cloud rows.

Three steps, the same for every provider:
1. stream only the needed columns with Arrow, record batch by record batch, from a file or from
   every partition of a directory or glob (CSV, gzip CSV, Parquet; ``read_grouped``), and sum
   usage and cost per distinct (region, service, usage type, unit, currency …) in Arrow's
   group-by per batch, then merge the partial sums in partition and batch order — memory is
   bounded by the batch and the number of groups, not by the export; the first input row
   (with its partition) and the row count are kept. Sums are float64 additions in that order:
   the same files give the same bytes; another split of the same lines into partitions can
   change a sum in its last bit (about 1e-16 relative). A partition that cannot be read is
   refused with a note naming it, and the other partitions still import;
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
import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lca.errors import InputFileError
from lca.importers.base import Imported, ImportOptions, require, snake, with_provenance
from lca.progress import LARGE_INPUT_BYTES, progress

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


#: Rows per record batch read from a partition: memory is bounded by this and by the number of
#: distinct groups, not by the size of the export.
BATCH_ROWS = 1 << 20
#: Bytes of CSV parsed at a time: pyarrow's streaming reader parses small blocks while it
#: reads the next ones (a 146 MB CUR's needed columns, quoted line breaks allowed: 0.39-0.42 s
#: in 4 MB blocks, 0.43-0.45 s in 64 MB ones).
CSV_BLOCK_BYTES = 4 << 20
#: A local CSV file (not gzip) of up to this many bytes is parsed whole, its blocks by
#: pyarrow's threads (0.29-0.30 s for a 146 MB CUR's needed columns, 42 MB of them with the
#: texts as dictionaries, against 0.39-0.42 s streamed); larger files, gzip and URLs are
#: streamed.
WHOLE_CSV_BYTES = 256 << 20
#: A text column as read and grouped: dictionary-encoded.
TEXT = pa.dictionary(pa.int32(), pa.string())
#: A group's first input row is packed as partition index × this + row (rows below 2^40).
PARTITION = 1 << 40
#: The files a directory or glob of partitions may hold.
PARTITION_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".pq")


@dataclass
class Grouped:
    """A billing export read and summed per distinct key: ``frame`` (the keys, the sums,
    ``first_row`` packed with its partition and ``rows``), the partitions read and the notes
    (a partition refused, the rows read per partition)."""

    frame: pd.DataFrame
    partitions: list
    notes: list[str]

    def source_files(self, first_row: pd.Series, root: Location) -> pd.Series:
        """The partition of each packed ``first_row``, named relative to ``root`` (a
        directory of partitions) or by its file name (a file, a glob)."""
        names = [_name(p) for p in self.partitions]
        if isinstance(root, Path) and root.is_dir():
            names = [str(Path(p).relative_to(root)) for p in self.partitions]
        elif is_url(root):
            fs, base = _url_fs(str(root))
            if fs.isdir(base):  # partitions are URLs under the same file system
                names = [str(p).split(base.rstrip("/"), 1)[1].lstrip("/") for p in self.partitions]
        return (first_row // PARTITION).map(dict(enumerate(names)))


#: A local file, directory or glob (Path), or an ``s3://``, ``gs://``, ``az://`` … URL (text,
#: read through fsspec and the provider's client library).
Location = Path | str


def is_url(location: Location) -> bool:
    return isinstance(location, str) and "://" in location


def _url_fs(url: str):
    import fsspec

    return fsspec.core.url_to_fs(url)


def partitions(path: Location) -> list:
    """The files of an export: ``path`` itself, every CSV, gzip CSV or Parquet file under a
    directory (recursively: CUR 2.0's ``BILLING_PERIOD=…/`` folders), or a glob's matches;
    in sorted order. A URL is listed through fsspec (its partitions stay URLs)."""
    text = str(path)
    glob = any(c in text for c in "*?[")
    found: list
    if is_url(path):
        try:
            fs, root = _url_fs(text)
            if glob:
                found = fs.glob(root)
            elif fs.isdir(root):
                found = [f for f in fs.find(root) if _is_partition(f)]
            elif fs.isfile(root):
                return [text]
            else:
                raise InputFileError(f"{text}: no such file")
        except (ImportError, ValueError, OSError) as exc:
            raise InputFileError(f"{text}: cannot be listed: {exc}") from exc
        found = sorted(fs.unstrip_protocol(f) for f in found)
    elif glob:
        anchor = Path(text[: min(text.index(c) for c in "*?[" if c in text)]).parent
        found = sorted(p for p in anchor.glob(str(Path(text).relative_to(anchor))) if p.is_file())
    elif Path(text).is_dir():
        found = sorted(p for p in Path(text).rglob("*") if p.is_file() and _is_partition(p))
    elif Path(text).is_file():
        return [Path(text)]
    else:
        raise InputFileError(f"{path}: no such file")
    if not found:
        raise InputFileError(f"{path}: no CSV, gzip CSV or Parquet file")
    return found


def _name(location: Location) -> str:
    return str(location).rstrip("/").rsplit("/", 1)[-1]


def _is_partition(location: Location) -> bool:
    return _name(location).lower().endswith(PARTITION_SUFFIXES)


def _parquet(location: Location) -> bool:
    return _name(location).lower().endswith((".parquet", ".pq"))


def _gzip(location: Location) -> bool:
    return _name(location).lower().endswith(".gz")


def _open(location: Location):
    """A binary file object of a partition (fsspec for a URL)."""
    if is_url(location):
        fs, root = _url_fs(str(location))
        return fs.open(root, "rb")
    return open(location, "rb")


def _header(location: Location) -> tuple[list[str], pq.FileMetaData | None]:
    """A partition's column names, and a Parquet partition's footer (``_batches`` reads its
    batches with it: the footer is read once, one request fewer per partition in object
    storage)."""
    with _open(location) as raw:
        if _parquet(location):
            metadata = pq.read_metadata(raw)
            return metadata.schema.to_arrow_schema().names, metadata
        binary = gzip.GzipFile(fileobj=raw) if _gzip(location) else raw
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        return next(csv.reader(text), []), None


def _batches(
    location: Location,
    chosen: dict[str, str],
    numeric: tuple[str, ...],
    metadata: pq.FileMetaData | None,
):
    """The ``chosen`` columns (raw name → wanted name) of one partition, a table per
    ``BATCH_ROWS`` lines (the last shorter) whatever the format: a batch's partial sums are of
    the same lines read from CSV or from Parquet (``metadata``: a Parquet partition's footer,
    as ``_header`` read it)."""
    with _open(location) as raw:
        if metadata is not None:  # texts read as Parquet stores them: a dictionary per column
            texts = [raw_name for raw_name, name in chosen.items() if name not in numeric]
            texts = _flat_texts(metadata.schema.to_arrow_schema(), texts)
            file = pq.ParquetFile(raw, metadata=metadata, read_dictionary=texts)
            yield from _rebatched(file.iter_batches(BATCH_ROWS, columns=list(chosen)), BATCH_ROWS)
            return
        types = {
            raw_name: (pa.float64() if name in numeric else TEXT)  # dictionaries as it parses
            for raw_name, name in chosen.items()
        }
        stream = pa.PythonFile(raw, mode="r")
        source = pa.CompressedInputStream(stream, "gzip") if _gzip(location) else stream
        options = {
            "read_options": pacsv.ReadOptions(block_size=CSV_BLOCK_BYTES),
            "parse_options": pacsv.ParseOptions(newlines_in_values=True),  # a quoted line break
            "convert_options": pacsv.ConvertOptions(
                include_columns=list(chosen), column_types=types
            ),
        }
        local = not is_url(location) and not _gzip(location)
        if local and _size(location) <= WHOLE_CSV_BYTES:
            batches = pacsv.read_csv(source, **options).to_batches()
        else:
            batches = pacsv.open_csv(source, **options)
        yield from _rebatched(batches, BATCH_ROWS)


def _flat_texts(schema: pa.Schema, names: list[str]) -> list[str]:
    """The ``names`` whose Parquet column is flat text or bytes, which ``read_dictionary`` can
    read as a dictionary (a struct, list or map column is read as it is, and refused as text
    by ``_text``'s cast)."""
    kinds = (
        pa.types.is_string,
        pa.types.is_large_string,
        pa.types.is_binary,
        pa.types.is_large_binary,
    )
    return [
        n
        for n in names
        if schema.get_field_index(n) >= 0 and any(k(schema.field(n).type) for k in kinds)
    ]


def _rebatched(batches: Iterable[pa.RecordBatch], rows: int):
    """``batches`` as tables of ``rows`` lines each (the last shorter), one chunk and one
    dictionary per column. Parquet read with dictionaries ends a batch at each row group, CSV
    at each block; regrouped, a batch holds the same lines whatever the format, and its
    partial sums the same bits."""
    pending: list[pa.RecordBatch] = []
    count = 0
    for batch in batches:
        while len(batch):
            part = batch.slice(0, rows - count)
            pending.append(part)
            count += len(part)
            batch = batch.slice(len(part))
            if count == rows:
                yield pa.Table.from_batches(pending).unify_dictionaries().combine_chunks()
                pending, count = [], 0
    if pending:
        yield pa.Table.from_batches(pending).unify_dictionaries().combine_chunks()


def _columns(batch: pa.Table, chosen: dict[str, str], wanted, numeric, first: int) -> pa.Table:
    """A batch with the wanted names and kinds (numbers, and texts as ``_text``; absent
    columns blank) and ``_row``."""
    table = batch.rename_columns([chosen[n] for n in batch.column_names])
    for index, name in enumerate(table.column_names):
        column = table[name]
        table = table.set_column(
            index, name, column.cast(pa.float64()) if name in numeric else _text(column)
        )
    for name in wanted:
        if name not in table.column_names:
            blank = pa.nulls(len(table), pa.float64() if name in numeric else pa.string())
            table = table.append_column(name, blank if name in numeric else _text(blank))
    return table.append_column("_row", pa.array(np.arange(first, first + len(table))))


def _text(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """``column`` as text, dictionary-encoded with each distinct text once in its dictionary
    (as a Parquet file stores it): grouping then hashes a text once, not once per line."""
    if pa.types.is_dictionary(column.type):
        column = column.cast(TEXT)
        chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
        if all(len(pc.unique(c.dictionary)) == len(c.dictionary) for c in chunks):
            return column  # else a text would be grouped once per place in its dictionary
    return pc.dictionary_encode(column.cast(pa.string()))


def _per_text(column: pa.ChunkedArray, function) -> pa.ChunkedArray:
    """``function`` (of a text array) of a ``_text`` column, computed once per distinct text;
    again a ``_text`` column (nulls stay null)."""
    chunks = []
    for chunk in column.chunks:
        encoded = pc.dictionary_encode(function(chunk.dictionary))
        chunks.append(
            pa.DictionaryArray.from_arrays(
                pc.take(encoded.indices, chunk.indices), encoded.dictionary
            )
        )
    return pa.chunked_array(chunks, TEXT)


@dataclass(frozen=True)
class ExportColumns:
    """What to read from a billing export: the ``wanted`` columns (name → accepted snake_case
    spellings), the ``numeric`` ones (summed), the group ``keys``, what the file must be, and
    the date column whose ``YYYY-MM`` becomes the key ``month`` (``month_of``)."""

    wanted: dict[str, tuple[str, ...]]
    numeric: tuple[str, ...]
    keys: tuple[str, ...]
    what: str
    month_of: str | None = None

    @property
    def group_keys(self) -> list[str]:
        return [*self.keys, *(["month"] if self.month_of else [])]


def _size(location: Location) -> int:
    if is_url(location):
        fs, root = _url_fs(str(location))
        return int(fs.size(root) or 0)
    return Path(location).stat().st_size


def partition_partials(file: Location, columns: ExportColumns) -> tuple[list[pd.DataFrame], str]:
    """One partition's partial sums, one frame per record batch, or the reason it was refused
    (text; blank when read): the unit of work of every engine."""
    try:
        return list(_partition_groups(file, columns)), ""
    except InputFileError as exc:
        return [], str(exc)


def read_grouped(path: Location, columns: ExportColumns, options: ImportOptions) -> Grouped:
    """Sum ``columns.numeric`` per distinct ``columns.group_keys`` over every partition of
    ``path``: each partition streamed batch by batch (Arrow group-by per batch) by
    ``partition_partials`` — in this process, or on a Dask cluster with
    ``options.engine == "dask"`` (``lca.importers.dask_engine``) — and the partial sums merged
    in partition and batch order, so both engines give the same bytes. A partition without the
    numeric columns is not ``columns.what``; one that cannot be read is refused with a note
    naming it, and the others are still read (a single file that fails is an
    ``InputFileError``). ``first_row`` is the spreadsheet row of CSV (header = 1) or the record
    number of Parquet, packed with its partition (``PARTITION``)."""
    files = partitions(path)
    results: Iterable[tuple[list[pd.DataFrame], str]]
    if options.engine == "dask":
        from lca.importers.dask_engine import map_partitions

        results = map_partitions(partition_partials, files, columns, options.scheduler)
    else:  # lazily: one partition's batches in memory at a time
        results = (partition_partials(file, columns) for file in files)
    partials, notes, refused, lines = [], [], [], 0
    sizes = [_size(file) for file in files]  # one stat per partition (a request for a URL)
    size = sum(sizes)
    with progress(size, f"reading {_name(path)}", " bytes", show=size >= LARGE_INPUT_BYTES) as bar:
        for number, (file, (parts, reason)) in enumerate(zip(files, results, strict=True)):
            bar.update(sizes[number])
            if reason:
                if len(files) == 1:
                    raise InputFileError(reason)
                refused.append(reason)
                notes.append(f"partition refused, its rows not imported: {reason}")
                continue
            for part in parts:
                part["first_row"] += number * PARTITION
            partials += parts
            read = sum(int(p["rows"].sum()) for p in parts)
            lines += read
            bar.set_postfix_str(f"{number + 1}/{len(files)} partitions, {lines:,} lines")
            if len(files) > 1:
                notes.append(f"{file}: {read} billing rows read")
    if not partials:  # nothing to import: say why, not only that
        if len(refused) == len(files):
            raise InputFileError(f"{path}: no partition could be read: " + "; ".join(refused))
        headers = "the file has" if len(files) == 1 else "every partition read has"
        also = f"; {len(refused)} refused: " + "; ".join(refused) if refused else ""
        raise InputFileError(f"{path}: no billing rows: {headers} a header only{also}")
    merged = (
        pd.concat(partials, ignore_index=True)
        .groupby(columns.group_keys, sort=False)
        .agg(
            **{s: (s, "sum") for s in columns.numeric},
            **{f"{s}_blank": (f"{s}_blank", "sum") for s in columns.numeric},
            first_row=("first_row", "min"),
            rows=("rows", "sum"),
        )
        .reset_index()
    )
    for s in columns.numeric:
        blank = int(merged.pop(f"{s}_blank").sum())
        if blank:
            notes.append(
                f"{blank} billing row(s) have a blank or unreadable {s} (e.g. n/a): they add "
                f"no {s} to their group (never read as a number), their other columns are kept"
            )
    frame = merged.sort_values("first_row", kind="stable").reset_index(drop=True)
    return Grouped(frame, files, notes)


def _partition_groups(file: Location, columns: ExportColumns):
    """Partial sums per distinct group keys of each batch of one partition."""
    wanted, numeric, what, month_of = (
        columns.wanted,
        columns.numeric,
        columns.what,
        columns.month_of,
    )
    try:
        names, metadata = _header(file)
    except (OSError, ValueError, EOFError, pa.ArrowException) as exc:
        raise InputFileError(f"{file}: cannot be read as CSV or Parquet: {exc}") from exc
    by_snake = {snake(n): n for n in names}
    chosen = {}
    for column, spellings in wanted.items():
        found = next((by_snake[s] for s in (column, *spellings) if s in by_snake), None)
        if found is not None:
            chosen[found] = column
    require(set(chosen.values()), numeric, file, what)
    first = 1 if _parquet(file) else 2
    try:
        for batch in _batches(file, chosen, numeric, metadata):
            table = _columns(batch, chosen, wanted, numeric, first)
            first += len(table)
            if month_of:
                table = with_month(table, month_of)
            yield group_usage(table, columns.group_keys, numeric)
    except (OSError, EOFError, pa.ArrowException) as exc:
        raise InputFileError(f"{file}: cannot be read: {exc}") from exc


def with_month(table: pa.Table, date_column: str) -> pa.Table:
    """``table`` with ``month``: the ``YYYY-MM`` of ``date_column`` (a ``_text`` column of ISO
    dates; blank when the file has no such column), once per distinct date."""
    month = _per_text(table[date_column], lambda dates: pc.utf8_slice_codeunits(dates, 0, 7))
    return table.append_column("month", month)


def group_usage(table: pa.Table, keys: list[str], sums: tuple[str, ...]) -> pd.DataFrame:
    """Sum ``sums`` per distinct ``keys`` (Arrow group-by); first row and row count kept.

    In one thread: each group's sum is its rows' in file order. Arrow's threads would merge
    partial sums in the order they finish, so that, for a table of more than 2^20 rows, a
    sum's last bit changed from run to run."""
    for key in keys:  # grouped on dictionary codes (each text once: ``_text``), blank for null
        table = table.set_column(
            table.column_names.index(key), key, pc.fill_null(_text(table[key]), "")
        )
    grouped = (
        table.unify_dictionaries()
        .group_by(keys, use_threads=False)
        .aggregate(
            [(s, "sum") for s in sums]
            + [(s, "count") for s in sums]
            + [("_row", "min"), ("_row", "count")]
        )
    )
    for key in keys:
        grouped = grouped.set_column(
            grouped.column_names.index(key), key, grouped[key].cast(pa.string())
        )
    frame = grouped.to_pandas()
    frame = frame.rename(
        columns={f"{s}_sum": s for s in sums} | {"_row_min": "first_row", "_row_count": "rows"}
    )
    for s in sums:  # lines whose amount is blank or unreadable (n/a …): no amount, said
        frame[f"{s}_blank"] = frame["rows"] - frame.pop(f"{s}_count")
    return frame


def to_cloud_rows(
    provider: str, groups: pd.DataFrame, read: Grouped, path: Location, options: ImportOptions
) -> Imported:
    """Classified groups (of the export ``read`` from ``path``) → cloud rows, unknown usage
    estimated per unit of spend; each row names the partition and row of its first line."""
    counts = groups.groupby("class")["rows"].sum().reindex(list(CLASSES), fill_value=0)
    spend = groups.groupby("class")["cost"].sum().reindex(list(CLASSES), fill_value=0.0)
    notes = [
        *read.notes,
        f"{provider}: {int(counts.sum())} billing rows classified: "
        + ", ".join(f"{c} {int(counts[c])} (spend {spend[c]:.2f})" for c in CLASSES),
    ]
    kept = groups[groups["class"].ne("dropped")].copy()
    kept["provider"] = provider
    kept["region"] = kept["region"].replace("", "global")
    kept["unknown"] = kept["class"].eq("unknown").astype(bool)
    rows = (
        kept.groupby(["provider", *CLOUD_KEYS], sort=True, dropna=False)
        .agg(
            quantity=("quantity", "sum"),
            spend=("cost", "sum"),
            first_row=("first_row", "min"),
            rows=("rows", "sum"),
            unknown=("unknown", "any"),
        )
        .reset_index()
        .astype({"unknown": bool})  # also when no row is kept (an empty frame)
    )
    rows, more = estimate_unknown(rows, options)
    notes += more
    rows = rows.replace({"resource": {"": pd.NA}})
    out = with_provenance(
        rows.drop(columns=["first_row", "rows", "unknown"]),
        Path(_name(path)),
        rows["first_row"] % PARTITION,
        rows["rows"],
    ).assign(source_file=read.source_files(rows["first_row"], path).to_numpy())
    return Imported({"cloud": out.reset_index(drop=True)}, notes)


def estimate_unknown(rows: pd.DataFrame, options: ImportOptions) -> tuple[pd.DataFrame, list[str]]:
    """Unknown rows: IT kWh = spend × (known IT kWh / known spend) of the same currency."""
    if rows.empty:  # every billing line dropped (the classification note says which)
        return rows.astype({"quantity": "float64"}), []
    unknown = rows["unknown"]
    per_spend = kwh_per_spend(rows[~unknown], options)
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


def kwh_per_spend(known: pd.DataFrame, options: ImportOptions) -> pd.Series:
    """IT kWh per unit of spend of the ``known`` rows that have coefficients, per currency
    (empty when no known row has: a file whose rows are all unknown), from the library's cloud
    coefficients of ``options.year`` (else the latest of each)."""
    from lca.activities.cloud import (
        SIGNATURE,
        CoefficientBasis,
        it_energy_table,
        replication,
    )
    from lca.factors.library import load_library

    if known.empty:
        return pd.Series(dtype="float64")
    basis = CoefficientBasis(
        options.library or load_library(), options.year or LATEST, options.method
    )
    sigs = known[SIGNATURE].astype(object)
    table = it_energy_table(sigs.where(sigs.notna(), None).reset_index(drop=True), basis)
    table = table.set_index(known.index)
    ok = table["error"].eq("")
    kwh = (known["quantity"] * table["kwh_per_unit"] * replication(known))[ok]
    per_spend = (
        kwh.groupby(known.loc[ok, "currency"]).sum()
        / known.loc[ok].groupby("currency")["spend"].sum()
    )
    return per_spend[np.isfinite(per_spend)]


def known_instances(options: ImportOptions, provider: str) -> set[str]:
    """Instance types of ``provider`` in the library's cloud_instances table."""
    from lca.factors.library import load_library

    table = (options.library or load_library()).table("cloud_instances")
    return set(table.loc[table["provider"] == provider, "instance_type"])
