"""What every importer shares: options, the imported rows, provenance and the CSV writer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lca.csv_injection import neutralize_formulas
from lca.errors import InputFileError
from lca.factors.library import FactorLibrary
from lca.spec import IMPORT_PROVENANCE as PROVENANCE
from lca.spec import SHEETS


@dataclass
class ImportOptions:
    """What the input files do not hold: where a tracked job ran, the reporting year (rows of
    other years left out; factors of that year), the method, the factor library."""

    location: str | None = None
    runs_on: str | None = None
    method: str = "default"
    year: int | None = None
    library: FactorLibrary | None = None
    #: Billing exports: ``arrow`` (stream the partitions in this process) or ``dask`` (one
    #: task per partition on a Dask cluster: ``scheduler`` address, else a local cluster).
    engine: str = "arrow"
    scheduler: str | None = None


@dataclass
class Imported:
    """Rows made by an importer, per inventory sheet, and notes for the user."""

    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def snake(name: str) -> str:
    """A column name as snake_case: ``lineItem/UsageType`` → ``line_item_usage_type``."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(name).strip())
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()


def read_table(path: Path, columns: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """A CSV or Parquet file as a frame with snake_case column names and a ``_row`` column.

    ``columns`` maps each wanted name to its accepted spellings (after ``snake``); only those
    columns are kept, renamed to the wanted name; absent ones are not added. ``_row`` is the
    spreadsheet row (header = 1) for CSV, the 1-based record number for Parquet.
    """
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            frame = pd.read_parquet(path, dtype_backend="pyarrow")
            first_row = 1
        else:
            frame = pd.read_csv(path, dtype_backend="pyarrow", engine="pyarrow")
            first_row = 2
    except (OSError, ValueError) as exc:
        raise InputFileError(f"{path}: cannot be read as CSV or Parquet: {exc}") from exc
    frame.columns = [snake(c) for c in frame.columns]
    if columns is not None:
        rename = {}
        for wanted, spellings in columns.items():
            found = next((s for s in (wanted, *spellings) if s in frame.columns), None)
            if found is not None:
                rename[found] = wanted
        frame = frame[list(rename)].rename(columns=rename)
    frame["_row"] = pd.RangeIndex(first_row, first_row + len(frame))
    return frame


def require(columns, needed: tuple[str, ...], path: Path | str, what: str) -> None:
    """Refuse a file that lacks a column the importer needs (the wrong kind of export)."""
    missing = [c for c in needed if c not in columns]
    if missing:
        raise InputFileError(f"{path}: not {what}: no column {', '.join(missing)}")


def with_provenance(
    rows: pd.DataFrame, path: Path, first_row: pd.Series, count: pd.Series | int = 1
) -> pd.DataFrame:
    """``rows`` with the provenance columns: file name, first input row, number of rows."""
    return rows.assign(
        source_file=path.name,
        source_row=first_row.to_numpy(),
        source_rows=count if isinstance(count, int) else count.to_numpy(),
    )


def in_sheet_order(sheet: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The sheet's columns in the format's order, then the provenance columns."""
    names = [c for c in SHEETS[sheet].column_names if c in rows.columns]
    return rows[names + [c for c in PROVENANCE if c in rows.columns]]


def blank_bad_numbers(sheet: str, rows: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Numbers an importer must never write — infinite, or negative where the format wants
    a quantity — left blank (validation then reports each row), with a note naming the rows."""
    rows = rows.copy(deep=False)
    for column in SHEETS[sheet].columns:
        if column.kind not in ("number", "integer") or column.name not in rows.columns:
            continue
        values = pd.to_numeric(rows[column.name], errors="coerce").astype("float64")
        bad = np.isinf(values.to_numpy()) | (
            values.to_numpy() < 0 if column.minimum is not None and column.minimum >= 0 else False
        )
        if bad.any():
            first = rows.loc[bad, "source_row"].head(5).tolist() if "source_row" in rows else []
            notes.append(
                f"{sheet}: {int(bad.sum())} {column.name} value(s) infinite or negative "
                f"left blank (source rows {', '.join(map(str, first))}"
                f"{' …' if bad.sum() > 5 else ''}); check the input file"
            )
            rows[column.name] = values.mask(bad)
    return rows


def write_sheets(imported: Imported, out_dir: Path) -> list[Path]:
    """Write each sheet as ``out_dir/<sheet>.csv`` (shortest round-trip floats, deterministic);
    text that would run as a spreadsheet formula is neutralised and noted."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet, rows in sorted(imported.sheets.items()):
        path = out_dir / f"{sheet}.csv"
        rows = blank_bad_numbers(sheet, rows, imported.notes)
        safe, changed = neutralize_formulas(in_sheet_order(sheet, rows))
        if changed:
            imported.notes.append(
                f"{sheet}: {changed} cell(s) starting like a spreadsheet "
                "formula were prefixed with ' (CSV injection)"
            )
        safe.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written
