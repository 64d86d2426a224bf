"""Reading an inventory given as a folder of CSV files (``<sheet>.csv``)."""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path

import pandas as pd

from lca.issues import Issue, Severity, SourceRef
from lca.progress import LARGE_INPUT_BYTES, progress
from lca.read.sheets import (
    RawInventory,
    RawSheet,
    check_columns,
    drop_blank_rows,
    normalize_header,
    refuse_long_cells,
    sha256_of,
    sheet_name_issue,
)
from lca.spec import ROW, SHEETS, Sheet

SNIFF_BYTES = 1 << 16
DELIMITER_NAMES = {";": "semicolons", "\t": "tabs", "|": "pipes"}


def read_csv_folder(folder: Path, sheets: dict[str, Sheet] = SHEETS) -> RawInventory:
    """Read every ``*.csv`` of ``folder``; files not named after a sheet are reported."""
    issues: list[Issue] = []
    found: dict[str, RawSheet] = {}
    inputs = []
    files = sorted(folder.glob("*.csv"))
    large = sum(f.stat().st_size for f in files) >= LARGE_INPUT_BYTES
    with progress(len(files), f"reading {folder.name}", unit=" files", show=large) as bar:
        for file in files:
            bar.set_postfix_str(file.name)
            name = normalize_header(file.stem)
            shown = file.name
            inputs.append({"path": shown, "sha256": sha256_of(file)})
            if name not in sheets:
                issues.append(sheet_name_issue(file.stem, shown, sheets))
            elif (sheet := read_csv_sheet(file, name, shown, issues, sheets)) is not None:
                found[name] = sheet
            bar.update(1)
    return RawInventory(path=folder, sheets=found, inputs=inputs, issues=issues)


def read_csv_sheet(file: Path, name: str, shown: str, issues: list[Issue],
                   sheets: dict[str, Sheet] = SHEETS) -> RawSheet | None:
    """One CSV file → RawSheet. Row numbers are line numbers (header on line 1).

    The encoding (UTF-8, else UTF-16 by its BOM, else Windows-1252) and the delimiter (comma,
    else semicolon, tab or pipe, from the header line) are detected, with a warning when they
    are not UTF-8 and comma. A file pandas cannot parse is an issue and no sheet (``None``).
    """
    encoding, delimiter = sniff_csv(file, name, shown, issues)
    try:
        try:
            frame = _read(file, encoding, delimiter)
        except UnicodeDecodeError:  # not UTF-8 after the first block that was sniffed
            encoding = "cp1252"
            issues.append(_encoding_issue(shown, name, encoding))
            frame = _read(file, encoding, delimiter)
    except (ValueError, pd.errors.ParserError, UnicodeError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        issues.append(Issue(code="file-unreadable", severity=Severity.ERROR,
                            message=f"{shown}: cannot be read as CSV ({exc})",
                            source=SourceRef(file=shown, sheet=name,
                                             row=int(line.group(1)) if line else None)))
        return None
    frame.columns = [normalize_header(c) for c in frame.columns]
    frame[ROW] = range(2, 2 + len(frame))
    frame = drop_blank_rows(frame)
    check_columns(name, shown, frame, issues, sheets)
    refuse_long_cells(name, shown, frame, issues)
    return RawSheet(name=name, file=shown, frame=frame.reset_index(drop=True))


def sniff_csv(file: Path, name: str, shown: str, issues: list[Issue]) -> tuple[str, str]:
    """The encoding and delimiter of a CSV file, with a warning for anything unusual."""
    with file.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    encoding = _encoding(head)
    where = SourceRef(file=shown, sheet=name)
    if encoding not in ("utf-8-sig", "utf-16"):
        issues.append(_encoding_issue(shown, name, encoding))
    header = head.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()[:1]
    header_line = header[0] if header else ""
    delimiter = ","
    if "," not in header_line:
        counts = {d: header_line.count(d) for d in (";", "\t", "|")}
        best = max(counts, key=counts.get)
        if counts[best]:
            delimiter = best
            issues.append(Issue(code="delimiter-guessed", severity=Severity.WARNING,
                                message=f"{shown} is separated by {DELIMITER_NAMES[best]}, not "
                                        "commas; it was read that way",
                                source=where))
    return encoding, delimiter


def _encoding(head: bytes) -> str:
    """UTF-16 by its BOM; UTF-8 when the first block decodes; else Windows-1252."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1252"


def _encoding_issue(shown: str, name: str, encoding: str) -> Issue:
    return Issue(code="encoding-guessed", severity=Severity.WARNING,
                 message=f"{shown} is not UTF-8; it was read as {encoding} (save CSV files "
                         "as UTF-8 to be sure of accents and symbols)",
                 source=SourceRef(file=shown, sheet=name))


def _read(file: Path, encoding: str, delimiter: str) -> pd.DataFrame:
    return pd.read_csv(file, keep_default_na=False, na_values=[""], skipinitialspace=False,
                       dtype=_text_columns(file, encoding, delimiter), encoding=encoding,
                       sep=delimiter, quoting=csv.QUOTE_MINIMAL,
                       encoding_errors="strict" if encoding != "cp1252" else "replace")


def _text_columns(file: Path, encoding: str, delimiter: str) -> dict[str, str]:
    """Columns that must stay text even when they look numeric (codes, identifiers)."""
    with file.open(encoding=encoding, errors="replace", newline="") as handle:
        header = next(csv.reader(handle, delimiter=delimiter), [])
    text_like = {"asset_id", "site_id", "category", "key", "region", "resource",
                 "model", "job_id", "factor_id", "serial", "grid_zone", "country", "unit",
                 "currency", "gas", "supplier", "description", "evidence", "project"}
    return {h: "string" for h in header if normalize_header(h) in text_like}
