"""Reading an inventory given as a folder of CSV files (``<sheet>.csv``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from lca.issues import Issue
from lca.read import ROW, RawInventory, RawSheet, check_columns, drop_blank_rows, \
    normalize_header, sha256_of, sheet_name_issue
from lca.spec import SHEETS, Sheet


def read_csv_folder(folder: Path, sheets: dict[str, Sheet] = SHEETS) -> RawInventory:
    """Read every ``*.csv`` of ``folder``; files not named after a sheet are reported."""
    issues: list[Issue] = []
    found: dict[str, RawSheet] = {}
    inputs = []
    for file in sorted(folder.glob("*.csv")):
        name = normalize_header(file.stem)
        shown = file.name
        inputs.append({"path": shown, "sha256": sha256_of(file)})
        if name not in sheets:
            issues.append(sheet_name_issue(file.stem, shown, sheets))
            continue
        found[name] = read_csv_sheet(file, name, shown, issues, sheets)
    return RawInventory(path=folder, sheets=found, inputs=inputs, issues=issues)


def read_csv_sheet(file: Path, name: str, shown: str, issues: list[Issue],
                   sheets: dict[str, Sheet] = SHEETS) -> RawSheet:
    """One CSV file → RawSheet. Row numbers are line numbers (header on line 1)."""
    frame = pd.read_csv(file, keep_default_na=False, na_values=[""], skipinitialspace=False,
                        dtype=_text_columns(file), encoding="utf-8-sig",
                        quoting=csv.QUOTE_MINIMAL)
    frame.columns = [normalize_header(c) for c in frame.columns]
    frame[ROW] = range(2, 2 + len(frame))
    frame = drop_blank_rows(frame)
    check_columns(name, shown, frame, issues, sheets)
    return RawSheet(name=name, file=shown, frame=frame.reset_index(drop=True))


def _text_columns(file: Path) -> dict[str, str]:
    """Columns that must stay text even when they look numeric (codes, identifiers)."""
    with file.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    text_like = {"asset_id", "site_id", "category", "key", "region", "resource",
                 "model", "job_id", "factor_id", "serial", "grid_zone", "country", "unit",
                 "currency", "gas", "supplier", "description", "evidence", "project"}
    return {h: "string" for h in header if normalize_header(h) in text_like}
