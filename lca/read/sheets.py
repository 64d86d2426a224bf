"""Raw sheets: the cells of one sheet as found, with their spreadsheet row numbers, and the
checks every reader applies to a header row and its data rows."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lca.coerce import is_blank
from lca.issues import Issue, Severity, SourceRef, suggest
from lca.spec import ROW, SHEETS, Sheet

#: Sheets that lca's template and annotated copies add; read as nothing, without a warning.
AUXILIARY_SHEETS = ("readme", "lists", "issues")
#: Excel's own limit for one cell; longer cells are refused.
MAX_CELL_CHARS = 32_767
#: Columns read per sheet; the format has at most 13, so wider rows are cut with a warning.
MAX_COLUMNS = 512


@dataclass(frozen=True)
class RawSheet:
    """The cells of one sheet: ``frame`` has the sheet's columns plus ``_row``."""

    name: str
    file: str
    frame: pd.DataFrame


@dataclass(frozen=True)
class RawInventory:
    """What was read: sheets by name, the input files with their SHA-256, and read issues."""

    path: Path
    sheets: dict[str, RawSheet]
    inputs: list[dict]
    issues: list[Issue] = field(default_factory=list)
    #: Files of the inventory that were not read as a sheet: ``{"file", "code", "rows"}``
    #: (``rows``: data rows the file holds, ``None`` when it was not opened).
    unread: list[dict] = field(default_factory=list)

    def sheet(self, name: str) -> RawSheet | None:
        return self.sheets.get(name)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def normalize_header(text: object) -> str:
    """A header cell as a column name: trimmed, lower case, spaces as underscores."""
    return "_".join(str(text).strip().lower().split())


def make_sheet(
    name: str,
    file: str,
    headers: list[object],
    rows: list[list[object]],
    first_row: int,
    issues: list[Issue],
    sheets: dict[str, Sheet] = SHEETS,
) -> RawSheet:
    """Build a RawSheet from a header row and data rows (blank rows dropped, numbers kept).

    Values under a blank header are not read (a warning says how many there were); rows wider
    than ``MAX_COLUMNS`` are cut there, and cells longer than ``MAX_CELL_CHARS`` are refused.
    """
    columns = column_names(name, file, headers, issues)
    width = len(columns)
    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=range(width))
    frame = frame.reindex(columns=range(width))  # short rows padded, cells past width cut
    frame.columns = columns
    frame[ROW] = range(first_row, first_row + len(frame))
    return finish_sheet(name, file, frame, issues, sheets)


def column_names(name: str, file: str, headers: Sequence[object], issues: list[Issue]) -> list[str]:
    """The column name of each header cell (at most ``MAX_COLUMNS``), by ``normalize_header``.

    A blank header is ``_col<n>`` (its values are reported by ``finish_sheet``); a name seen
    before (after normalisation: ``Asset ID`` and ``asset_id`` are one name) is an error and
    the column is not read; a name starting with ``_`` is reserved for lca's own columns and
    is not read either (a warning).
    """
    if len(headers) > MAX_COLUMNS:
        issues.append(
            Issue(
                code="row-too-long",
                severity=Severity.WARNING,
                message=f"the sheet is {len(headers)} columns wide; only the first {MAX_COLUMNS} "
                "are read",
                source=SourceRef(file=file, sheet=name, row=1),
            )
        )
        headers = headers[:MAX_COLUMNS]
    columns: list[str] = []
    for position, header in enumerate(headers):
        column = normalize_header(header) if not is_blank_header(header) else f"_col{position + 1}"
        if column in columns:
            issues.append(
                Issue(
                    code="duplicate-column",
                    severity=Severity.ERROR,
                    value=str(header),
                    message=f"column {column!r} appears twice (header {str(header)!r} of column "
                    f"{get_column_letter(position + 1)}); only the first is read",
                    source=SourceRef(file=file, sheet=name, row=1, column=column),
                )
            )
            column = f"_dup{position + 1}"
        elif column.startswith("_") and not column.startswith("_col"):
            issues.append(
                Issue(
                    code="unknown-column",
                    severity=Severity.WARNING,
                    value=str(header),
                    message=f"column {column!r}: names starting with '_' are reserved for lca's "
                    "own columns; it is ignored",
                    source=SourceRef(file=file, sheet=name, row=1, column=column),
                )
            )
            column = f"_dup{position + 1}"
        columns.append(column)
    return columns


def is_blank_header(header: object) -> bool:
    """True for a header cell that names nothing (empty, only spaces, or NaN)."""
    return (
        header is None
        or (isinstance(header, float) and header != header)
        or not str(header).strip()
    )


def finish_sheet(
    name: str,
    file: str,
    frame: pd.DataFrame,
    issues: list[Issue],
    sheets: dict[str, Sheet] = SHEETS,
) -> RawSheet:
    """The checks every reader applies to a frame named by ``column_names`` with ``_row``:
    blank rows dropped, values under blank headers reported, unread columns dropped, unknown
    and missing columns reported, over-long cells refused."""
    frame = drop_blank_rows(frame)
    unnamed = [c for c in frame.columns if c.startswith("_col")]
    report_unnamed(name, file, frame[[*unnamed, ROW]], issues)
    keep = [c for c in frame.columns if c == ROW or not c.startswith("_")]
    frame = frame[keep]
    check_columns(name, file, frame, issues, sheets)
    refuse_long_cells(name, file, frame, issues)
    frame = strip_control_characters(name, file, frame, issues)
    return RawSheet(name=name, file=file, frame=frame.reset_index(drop=True))


#: Control characters no spreadsheet cell may hold (NUL, escape …; tab and line breaks pass).
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def strip_control_characters(
    name: str, file: str, frame: pd.DataFrame, issues: list[Issue]
) -> pd.DataFrame:
    """Cells without control characters (they cannot be written back to a workbook, and
    terminals run escape sequences); a warning per column names the first cell and the count."""
    for column in frame.columns:
        if column == ROW or frame[column].dtype.kind in "biufcmM":
            continue
        text = frame[column].astype("string")
        found = text.str.contains(CONTROL, regex=True).fillna(False).to_numpy(dtype=bool)
        if not found.any():
            continue
        first = int(frame[ROW].to_numpy()[found][0])
        issues.append(
            Issue(
                code="control-characters",
                severity=Severity.WARNING,
                message=f"{column}: {int(found.sum())} cell(s) held control characters (NUL, "
                f"escape …); they were removed; first at row {first}",
                source=SourceRef(file=file, sheet=name, row=first, column=column),
            )
        )
        frame = frame.copy()
        cleaned = text.str.replace(CONTROL, "", regex=True)
        frame[column] = frame[column].where(~found, cleaned)
    return frame


def get_column_letter(index: int) -> str:
    """openpyxl's letter of column ``index`` (1 → A), imported on first use: openpyxl takes
    ~0.1 s to import, and a run that reads no workbook needs it only to name a faulty column."""
    from openpyxl.utils import get_column_letter as letter

    return letter(index)


def report_unnamed(name: str, file: str, frame: pd.DataFrame, issues: list[Issue]) -> None:
    """A warning for each column without a header that holds values (they are not read)."""
    for column in frame.columns.drop(ROW):
        present = ~frame[column].isna() & frame[column].astype("string").str.strip().ne("")
        if not present.any():
            continue
        letter = get_column_letter(int(column.removeprefix("_col")))
        first = int(frame.loc[present, ROW].iloc[0])
        issues.append(
            Issue(
                code="unknown-column",
                severity=Severity.WARNING,
                message=f"column {letter} has no header but holds {int(present.sum())} value(s); "
                f"they are ignored (first at row {first}); give the column a name",
                source=SourceRef(file=file, sheet=name, row=first, column=f"column {letter}"),
            )
        )


def refuse_long_cells(name: str, file: str, frame: pd.DataFrame, issues: list[Issue]) -> None:
    """An error for every cell longer than ``MAX_CELL_CHARS``; the cell is cut to the limit
    in ``frame`` (in place) so messages stay short, and the validator rejects its row."""
    for column in frame.columns:
        series = frame[column]
        if series.dtype.kind in "fiubmM":
            continue
        lengths = series.astype("string").str.len()
        long = lengths > MAX_CELL_CHARS
        if not long.any():
            continue
        for row, length in zip(frame.loc[long, ROW], lengths[long], strict=True):
            issues.append(
                Issue(
                    code="cell-too-long",
                    severity=Severity.ERROR,
                    message=f"{column}: the cell holds {int(length):,} characters, more than the "
                    f"limit of {MAX_CELL_CHARS:,}; the row is refused",
                    source=SourceRef(file=file, sheet=name, row=int(row), column=column),
                )
            )
        frame.loc[long, column] = series[long].astype("string").str.slice(0, 40) + "…"


def drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop rows whose every cell is blank (blank trailing rows are not rows)."""
    blank = pd.Series(True, index=frame.index)
    for column in frame.columns:
        if column == ROW or not blank.any():
            continue
        candidates = blank[blank].index
        blank[candidates] = is_blank(frame.loc[candidates, column]).to_numpy()
    return frame[~blank]


def check_columns(
    name: str,
    file: str,
    frame: pd.DataFrame,
    issues: list[Issue],
    sheets: dict[str, Sheet] = SHEETS,
) -> None:
    """Issues for unknown and missing required columns of a known sheet."""
    spec = sheets[name]
    known = set(spec.column_names) | set(spec.extra_ok) | {ROW}
    for column in frame.columns:
        if column not in known and not column.startswith("_"):
            issues.append(
                Issue(
                    code="unknown-column",
                    severity=Severity.WARNING,
                    message=f"column {column!r} is not part of sheet {name!r}; it is ignored"
                    + suggest(column, spec.column_names),
                    source=SourceRef(file=file, sheet=name, row=1, column=column),
                )
            )
    for column in spec.columns:
        if column.required and column.name not in frame.columns:
            issues.append(
                Issue(
                    code="missing-column",
                    severity=Severity.ERROR,
                    message=f"sheet {name!r} has no column {column.name!r}, which is required",
                    source=SourceRef(file=file, sheet=name, row=1, column=column.name),
                )
            )


def sheet_name_issue(name: str, file: str, sheets: dict[str, Sheet] = SHEETS) -> Issue:
    """The issue for a sheet (or CSV file) that is not part of the format."""
    return Issue(
        code="unknown-sheet",
        severity=Severity.WARNING,
        message=f"{name!r} is not a sheet of the inventory format; it is ignored"
        + suggest(name, sheets),
        source=SourceRef(file=file, sheet=name),
    )
