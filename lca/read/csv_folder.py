"""Reading an inventory given as a folder of CSV files (``<sheet>.csv``).

Every entry of the folder is accounted for. A regular file named ``<sheet>.csv`` (the
extension in any case, spaces around the name ignored) is read as that sheet; anything else is
an issue: a CSV file that names no sheet (``unknown-sheet``) or a sheet already read
(``duplicate-sheet``), a file that is not CSV (``unknown-file``), and a symbolic link, pipe,
device or folder, which is refused without being opened (``file-refused``: only regular files
inside the inventory folder are read); a sub-folder is not read (``unknown-file``). The data
rows of each file not read are counted in ``RawInventory.unread``, so that reconciliation
shows them.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import stat
from pathlib import Path

import numpy as np
import pandas as pd

from lca.issues import Issue, Severity, SourceRef
from lca.output_folder import STAGING
from lca.progress import LARGE_INPUT_BYTES, progress
from lca.read.sheets import (
    RawInventory,
    RawSheet,
    column_names,
    finish_sheet,
    normalize_header,
    sha256_of,
    sheet_name_issue,
)
from lca.spec import ROW, SHEETS, Sheet

SNIFF_BYTES = 1 << 16
DELIMITER_NAMES = {";": "semicolons", "\t": "tabs", "|": "pipes"}
#: Largest CSV field the record counter accepts (``csv``'s default is 128 KiB).
FIELD_LIMIT = 1 << 24


def entry_refusal(path: Path) -> str | None:
    """Why ``path`` (an entry of an inventory folder, or the inventory itself) must not be
    opened, or ``None`` for a regular file. Symbolic links are not followed."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return f"cannot be examined ({exc.strerror})"
    if stat.S_ISLNK(mode):
        return "is a symbolic link; only regular files inside the inventory folder are read"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a pipe, socket or device); it is not opened"
    return None


def sheet_of(entry: Path) -> str | None:
    """The sheet name a folder entry claims (``Equipment .CSV`` → ``equipment``), or ``None``
    for a name that does not end in ``.csv``."""
    name = entry.name.strip()
    if not name.lower().endswith(".csv"):
        return None
    return normalize_header(name[:-4])


def read_csv_folder(folder: Path, sheets: dict[str, Sheet] = SHEETS) -> RawInventory:
    """Read every ``<sheet>.csv`` of ``folder``; every other entry is reported."""
    issues: list[Issue] = []
    found: dict[str, RawSheet] = {}
    inputs: list[dict] = []
    unread: list[dict] = []
    entries = sorted(folder.iterdir(), key=_reading_order)
    files = [e for e in entries if sheet_of(e) is not None and entry_refusal(e) is None]
    large = sum(f.stat().st_size for f in files) >= LARGE_INPUT_BYTES
    with progress(len(entries), f"reading {folder.name}", unit=" files", show=large) as bar:
        for entry in entries:
            bar.set_postfix_str(entry.name)
            _read_entry(entry, sheets, found, inputs, unread, issues)
            bar.update(1)
    return RawInventory(path=folder, sheets=found, inputs=inputs, issues=issues, unread=unread)


def _reading_order(entry: Path) -> tuple:
    """Files named exactly ``<sheet>.csv`` first, so that a duplicate is the odd spelling."""
    name = sheet_of(entry)
    return (name is None or entry.name != f"{name}.csv", entry.name)


def _read_entry(
    entry: Path,
    sheets: dict[str, Sheet],
    found: dict[str, RawSheet],
    inputs: list[dict],
    unread: list[dict],
    issues: list[Issue],
) -> None:
    shown = entry.name
    name = sheet_of(entry)
    refusal = entry_refusal(entry)
    if refusal is not None:
        if name is None and stat.S_ISDIR(os.lstat(entry).st_mode):
            # a sub-folder is not part of the inventory (one named *.csv is refused), but
            # the CSV files someone put in it must not vanish without a word
            why = (
                "is the staging folder of an lca command killed while it wrote into this "
                "folder (its files were never moved in); remove it"
                if shown.startswith(STAGING)
                else "is a folder"
            )
            issues.append(
                Issue(
                    code="unknown-file",
                    severity=Severity.WARNING,
                    message=f"{shown!r} {why}; the files in it are not read (an "
                    "inventory is the CSV files directly in the folder given)",
                    source=SourceRef(file=shown),
                )
            )
            unread.append({"file": shown, "code": "unknown-file", "rows": None})
            return
        issues.append(
            Issue(
                code="file-refused",
                severity=Severity.ERROR,
                message=f"{shown!r} {refusal}",
                source=SourceRef(file=shown, sheet=name),
            )
        )
        unread.append({"file": shown, "code": "file-refused", "rows": None})
        return
    inputs.append({"path": shown, "sha256": sha256_of(entry)})
    if name is None:
        issues.append(
            Issue(
                code="unknown-file",
                severity=Severity.WARNING,
                message=f"{shown!r} is not a CSV file; it is not read",
                source=SourceRef(file=shown),
            )
        )
        unread.append({"file": shown, "code": "unknown-file", "rows": None})
        return
    if name not in sheets or name in found:
        if name in found:
            issues.append(
                Issue(
                    code="duplicate-sheet",
                    severity=Severity.ERROR,
                    message=f"{shown!r} is a second file for sheet {name!r} (after "
                    f"{found[name].file!r}); it is not read: merge the two files",
                    source=SourceRef(file=shown, sheet=name),
                )
            )
        else:
            issues.append(sheet_name_issue(entry.name.strip()[:-4], shown, sheets))
        code = "duplicate-sheet" if name in found else "unknown-sheet"
        unread.append({"file": shown, "code": code, "rows": count_records(entry)})
        return
    sheet = read_csv_sheet(entry, name, shown, issues, sheets)
    if sheet is None:
        unread.append({"file": shown, "code": "file-unreadable", "rows": count_records(entry)})
    else:
        found[name] = sheet


def count_records(file: Path) -> int | None:
    """Data rows of a CSV file that is not read (non-blank records after the header), or
    ``None`` when it cannot be parsed at all."""
    with file.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    encoding = _encoding(head)
    old = csv.field_size_limit(FIELD_LIMIT)
    try:
        with file.open(encoding=encoding, errors="replace", newline="") as handle:
            records = csv.reader(handle, delimiter=_delimiter(_header_line(head, encoding)))
            return max(sum(1 for r in records if any(c.strip() for c in r)) - 1, 0)
    except csv.Error:
        return None
    finally:
        csv.field_size_limit(old)


def read_csv_sheet(
    file: Path, name: str, shown: str, issues: list[Issue], sheets: dict[str, Sheet] = SHEETS
) -> RawSheet | None:
    """One CSV file → RawSheet. Row numbers are line numbers (header on line 1; a quoted cell
    over several lines moves the rows after it down).

    The encoding (UTF-8, else UTF-16 by its BOM, else Windows-1252) and the delimiter (comma,
    else semicolon, tab or pipe, from the header line) are detected, with a warning when they
    are not UTF-8 and comma. A file pandas cannot parse is an issue and no sheet (``None``).
    A cell that holds a line break followed by the delimiter is an unbalanced quote that
    swallowed the lines after it: an error on its row (``unbalanced-quote``). Columns past
    ``MAX_COLUMNS`` are cut, as in a workbook (``row-too-long``, from ``column_names``).
    """
    encoding, delimiter = sniff_csv(file, name, shown, issues)
    try:
        try:
            headers = _header(file, encoding, delimiter)
            frame = _read(file, encoding, delimiter, headers)
        except UnicodeDecodeError:  # not UTF-8 after the first block that was sniffed
            encoding = "cp1252"
            issues.append(_encoding_issue(shown, name, encoding))
            headers = _header(file, encoding, delimiter)
            frame = _read(file, encoding, delimiter, headers)
    except (ValueError, pd.errors.ParserError, UnicodeError, csv.Error) as exc:
        issues.append(
            Issue(
                code="file-unreadable",
                severity=Severity.ERROR,
                message=f"{shown}: cannot be read as CSV ({exc})",
                source=SourceRef(file=shown, sheet=name, row=_error_line(exc)),
            )
        )
        return None
    breaks = _line_breaks(frame)  # every column's, those past MAX_COLUMNS included
    names = column_names(name, shown, headers, issues)
    if len(names) < frame.shape[1]:  # columns past the limit are cut, as in a workbook
        frame = frame.iloc[:, : len(names)].copy()
    frame.columns = names
    header_lines = 1 + sum(len(_NEWLINE.findall(str(h))) for h in headers)
    frame[ROW] = header_lines + 1 + np.arange(len(frame)) + np.cumsum(breaks) - breaks
    _unbalanced_quotes(frame, breaks, delimiter, name, shown, issues)
    return finish_sheet(name, shown, frame, issues, sheets)


_NEWLINE = re.compile(r"\r\n|\r|\n")


def _error_line(exc: Exception) -> int | None:
    """The file line a parser error names (pandas: 'line N', or 'row N' counted from 0)."""
    text = str(exc)
    if found := re.search(r"line (\d+)", text):
        return int(found.group(1))
    if found := re.search(r"row (\d+)", text):
        return int(found.group(1)) + 1
    return None


def _line_breaks(frame: pd.DataFrame) -> np.ndarray:
    """Line breaks inside the cells of each row (quoted cells over several lines)."""
    breaks = np.zeros(len(frame), dtype=np.int64)
    for column in frame.columns:
        if frame[column].dtype.kind in "biufcmM":
            continue
        text = frame[column].astype("string")
        has = text.str.contains("\n|\r", regex=True).fillna(False).to_numpy(dtype=bool)
        if has.any():
            breaks[has] += text[has].str.count(r"\r\n|\r|\n").to_numpy(dtype=np.int64)
    return breaks


def _unbalanced_quotes(
    frame: pd.DataFrame,
    breaks: np.ndarray,
    delimiter: str,
    name: str,
    shown: str,
    issues: list[Issue],
) -> None:
    """An error for each cell with a line break followed by the delimiter: the mark of an
    opening quote without its closing quote, which merged the following lines into it."""
    if not breaks.any():
        return
    swallowed = re.compile(r"[\r\n][^\r\n]*" + re.escape(delimiter))
    for column in frame.columns:
        if frame[column].dtype.kind in "biufcmM" or column == ROW:
            continue
        for position in np.flatnonzero(breaks):
            value = frame[column].iloc[position]
            if isinstance(value, str) and swallowed.search(value):
                row = int(frame[ROW].iloc[position])
                lines = len(_NEWLINE.findall(value))
                issues.append(
                    Issue(
                        code="unbalanced-quote",
                        severity=Severity.ERROR,
                        value=value[:80],
                        message=f'{column}: a quote (") opens in this cell and closes '
                        f"{lines} line(s) later, so lines {row + 1}–{row + lines} were "
                        "read as part of this cell; close the quote or remove it",
                        source=SourceRef(file=shown, sheet=name, row=row, column=column),
                    )
                )


def sniff_csv(file: Path, name: str, shown: str, issues: list[Issue]) -> tuple[str, str]:
    """The encoding and delimiter of a CSV file, with a warning for anything unusual."""
    with file.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    encoding = _encoding(head)
    where = SourceRef(file=shown, sheet=name)
    if encoding not in ("utf-8-sig", "utf-16"):
        issues.append(_encoding_issue(shown, name, encoding))
    delimiter = _delimiter(_header_line(head, encoding))
    if delimiter != ",":
        issues.append(
            Issue(
                code="delimiter-guessed",
                severity=Severity.WARNING,
                message=f"{shown} is separated by {DELIMITER_NAMES[delimiter]}, "
                "not commas; it was read that way",
                source=where,
            )
        )
    return encoding, delimiter


def _header_line(head: bytes, encoding: str) -> str:
    header = head.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()[:1]
    return header[0] if header else ""


def _delimiter(header_line: str) -> str:
    """Comma, else the most frequent of semicolon, tab and pipe in the header line."""
    if "," in header_line:
        return ","
    counts = {d: header_line.count(d) for d in (";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


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
    return Issue(
        code="encoding-guessed",
        severity=Severity.WARNING,
        message=f"{shown} is not UTF-8; it was read as {encoding} (save CSV files "
        "as UTF-8 to be sure of accents and symbols)",
        source=SourceRef(file=shown, sheet=name),
    )


def _header(file: Path, encoding: str, delimiter: str) -> list[str]:
    """The cells of the header line, as written."""
    old = csv.field_size_limit(FIELD_LIMIT)
    try:
        with file.open(encoding=encoding, errors="strict", newline="") as handle:
            return [
                h.lstrip("\ufeff") if i == 0 else h
                for i, h in enumerate(next(csv.reader(handle, delimiter=delimiter), []))
            ]
    finally:
        csv.field_size_limit(old)


def _read(file: Path, encoding: str, delimiter: str, headers: list[str]) -> pd.DataFrame:
    """The data rows, columns by position (names are given by ``column_names``); blank lines
    are kept so that row numbers stay line numbers (``finish_sheet`` drops them)."""
    text_like = {
        "asset_id",
        "site_id",
        "category",
        "key",
        "region",
        "resource",
        "model",
        "job_id",
        "factor_id",
        "serial",
        "grid_zone",
        "country",
        "unit",
        "currency",
        "gas",
        "supplier",
        "description",
        "evidence",
        "project",
    }
    dtype = {i: "string" for i, h in enumerate(headers) if normalize_header(h) in text_like}
    return pd.read_csv(
        file,
        keep_default_na=False,
        na_values=[""],
        skipinitialspace=False,
        header=0,
        names=list(range(len(headers))),
        index_col=False,
        skip_blank_lines=False,
        dtype=dtype,
        encoding=encoding,
        sep=delimiter,
        quoting=csv.QUOTE_MINIMAL,
        encoding_errors="strict" if encoding != "cp1252" else "replace",
    )
