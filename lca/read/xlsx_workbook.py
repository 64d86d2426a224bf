"""Reading an inventory given as an ``.xlsx`` workbook.

The file is first checked by ``lca.read.xlsx_safety`` (macros, encryption, non-xlsx content, zip
bombs, DTDs) without parsing; a refused file becomes one file-level issue and no sheet. Cell
values are read with calamine (python-calamine, a Rust reader, ~15× faster than openpyxl's
read-only mode): formulas are never evaluated, the value the spreadsheet program cached is read.
``lca.read.xlsx_scan`` then finds what values alone hide: formula cells (a formula without a cached
value is an error on its row), hidden rows, columns and sheets (read, with a warning).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from lca.issue_log import MAX_LISTED
from lca.issues import Issue, Severity, SourceRef
from lca.progress import LARGE_INPUT_BYTES, progress
from lca.read.sheets import (
    AUXILIARY_SHEETS,
    RawInventory,
    RawSheet,
    get_column_letter,
    make_sheet,
    normalize_header,
    sha256_of,
    sheet_name_issue,
)
from lca.read.xlsx_safety import check_workbook, require_defusedxml
from lca.read.xlsx_scan import SheetScan, scan_sheet, sheet_parts
from lca.spec import SHEETS, Sheet

require_defusedxml()

#: Cells a sheet may span (rows × columns from A1, as the reader allocates them): Excel's
#: 1,048,576 rows × 13 columns (the format's widest sheet) fit.
MAX_CELLS = 16_000_000


def read_workbook(path: Path, spec: dict[str, Sheet] = SHEETS) -> RawInventory:
    """Read every sheet of the workbook at ``path``; file problems become issues."""
    shown = path.name
    inputs = [{"path": shown, "sha256": sha256_of(path)}]
    refused = check_workbook(path)
    if refused is not None:
        return RawInventory(path=path, sheets={}, inputs=inputs, issues=[refused])
    unread: list[dict] = []
    try:
        book = CalamineWorkbook.from_path(str(path))
        with zipfile.ZipFile(path) as archive:
            issues: list[Issue] = []
            sheets = _read_sheets(book, archive, shown, issues, unread, spec)
    except BaseException as exc:  # calamine's errors and panics, zipfile and XML errors
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        issue = Issue(
            code="file-unreadable",
            severity=Severity.ERROR,
            message=f"{shown}: cannot be read as an xlsx workbook ({exc}); open and "
            "save it again in your spreadsheet program",
            source=SourceRef(file=shown),
        )
        return RawInventory(path=path, sheets={}, inputs=inputs, issues=[issue])
    return RawInventory(path=path, sheets=sheets, inputs=inputs, issues=issues, unread=unread)


def _read_sheets(
    book,
    archive: zipfile.ZipFile,
    shown: str,
    issues: list[Issue],
    unread: list[dict],
    spec: dict[str, Sheet],
) -> dict[str, RawSheet]:
    parts = sheet_parts(archive)
    sheets: dict[str, RawSheet] = {}
    metas = book.sheets_metadata
    with progress(
        len(metas), f"reading {shown}", unit=" sheets", show=_size(archive) >= LARGE_INPUT_BYTES
    ) as bar:
        for meta in metas:
            bar.set_postfix_str(meta.name)
            _read_sheet(book, meta, archive, parts, shown, sheets, issues, unread, spec)
            bar.update(1)
    return sheets


def _size(archive: zipfile.ZipFile) -> int:
    return sum(entry.file_size for entry in archive.infolist())


def _read_sheet(
    book,
    meta,
    archive: zipfile.ZipFile,
    parts: dict,
    shown: str,
    sheets: dict[str, RawSheet],
    issues: list[Issue],
    unread: list[dict],
    spec: dict[str, Sheet],
) -> None:
    name = normalize_header(meta.name)
    if name in AUXILIARY_SHEETS:
        return
    if meta.typ is not SheetTypeEnum.WorkSheet or name not in spec or name in sheets:
        if name in sheets:
            issues.append(
                Issue(
                    code="duplicate-sheet",
                    severity=Severity.ERROR,
                    message=f"sheet {meta.name!r} is a second {name!r} sheet; "
                    "only the first is read",
                    source=SourceRef(file=shown, sheet=name),
                )
            )
        else:
            issues.append(sheet_name_issue(meta.name, shown, spec))
        scan = scan_sheet(archive, parts[meta.name]) if meta.name in parts else SheetScan()
        unread.append(
            {
                "file": shown,
                "sheet": meta.name,
                "code": "duplicate-sheet" if name in sheets else "unknown-sheet",
                "rows": max(scan.row_elements - 1, 0),
            }
        )
        return
    if meta.visible is not SheetVisibleEnum.Visible:
        issues.append(
            Issue(
                code="hidden-content",
                severity=Severity.WARNING,
                message=f"sheet {meta.name!r} is hidden; it was read",
                source=SourceRef(file=shown, sheet=name),
            )
        )
    scan = scan_sheet(archive, parts[meta.name]) if meta.name in parts else SheetScan()
    if scan.grid_cells > MAX_CELLS or scan.cells > MAX_CELLS:
        issues.append(
            Issue(
                code="file-refused",
                severity=Severity.ERROR,
                message=f"sheet {meta.name!r} reaches row {max(scan.row_numbers, default=0):,} "
                f"and column {get_column_letter(min(scan.max_column, 16_384))}: "
                f"{max(scan.grid_cells, scan.cells):,} cells, more than the limit of "
                f"{MAX_CELLS:,}; it is not read (delete the far cells, or split the sheet)",
                source=SourceRef(file=shown, sheet=name),
            )
        )
        unread.append(
            {
                "file": shown,
                "sheet": name,
                "code": "file-refused",
                "rows": max(scan.row_elements - 1, 0),
            }
        )
        return
    _report_repeated_rows(name, shown, scan, issues, unread)
    worksheet = book.get_sheet_by_name(meta.name)
    # skip_empty_area=False: rows and columns start at A1 even when the first ones are empty
    rows = worksheet.to_python(skip_empty_area=False)
    sheets[name] = read_rows(
        name, shown, rows, worksheet.merged_cell_ranges or [], scan, issues, spec
    )


def _report_repeated_rows(
    name: str, shown: str, scan: SheetScan, issues: list[Issue], unread: list[dict]
) -> None:
    """An error on each row number the sheet's XML gives to more than one row (the reader
    keeps one of them); the others are counted as rows not read."""
    repeated = scan.repeated_rows()
    for number, times in sorted(repeated.items())[:MAX_LISTED]:
        issues.append(
            Issue(
                code="duplicate-row",
                severity=Severity.ERROR,
                message=f"the workbook file holds {times} rows numbered {number}; only one of them "
                "can be read, so the row is refused (the file was written by a faulty "
                "tool: open and save it again in a spreadsheet program)",
                source=SourceRef(file=shown, sheet=name, row=number),
            )
        )
    if repeated:
        unread.append(
            {
                "file": shown,
                "sheet": name,
                "code": "duplicate-row",
                "rows": sum(times - 1 for times in repeated.values()),
            }
        )


def header_rows(
    name: str, rows: list[list], merges: list, spec: dict[str, Sheet] = SHEETS
) -> tuple[list, int]:
    """The header cells and how many rows they take (1, or 2 under merged header cells).

    A header of two rows is recognised when row 1 holds merged cells and either a merge spans
    into row 2 or row 2 names a column of the sheet; each column is then named by row 2, else
    by the (merged) cell above it.
    """
    top = list(rows[0]) if rows else []
    on_top = [m for m in merges if m[0][0] == 0]
    if not on_top or len(rows) < 2:
        return top, 1
    known = set(spec[name].column_names)
    second = list(rows[1]) + [""] * max(0, len(top) - len(rows[1]))
    tall = any(m[1][0] >= 1 for m in on_top)
    if not tall and not any(normalize_header(v) in known for v in second if v not in ("", None)):
        return top, 1
    filled = list(top)
    for (_, first), (_, last) in on_top:
        for position in range(first, min(last, len(filled) - 1) + 1):
            filled[position] = top[first]
    width = max(len(filled), len(second))
    filled += [""] * (width - len(filled))
    return [second[i] if second[i] not in ("", None) else filled[i] for i in range(width)], 2


def read_rows(
    name: str,
    shown: str,
    rows: list[list],
    merges: list,
    scan: SheetScan,
    issues: list[Issue],
    spec: dict[str, Sheet] = SHEETS,
) -> RawSheet:
    """Cells of one worksheet (row 1 = ``rows[0]``) → RawSheet, with the scan's findings."""
    headers, height = header_rows(name, rows, merges, spec)
    if height == 2:
        issues.append(
            Issue(
                code="merged-header",
                severity=Severity.WARNING,
                message="the header spans rows 1–2 (merged cells); column names "
                "were taken from row 2, else from the merged cell above",
                source=SourceRef(file=shown, sheet=name, row=2),
            )
        )
    width = max((len(r) for r in rows), default=0)
    headers = headers + [""] * (width - len(headers))
    names = [normalize_header(h) if h not in (None, "") else "" for h in headers]
    _report_scan(name, shown, scan, names, height, issues)
    return make_sheet(
        name, shown, headers, rows[height:], first_row=height + 1, issues=issues, sheets=spec
    )


def _report_scan(
    name: str, shown: str, scan: SheetScan, names: list[str], height: int, issues: list[Issue]
) -> None:
    def where(row=None, column=None):
        return SourceRef(file=shown, sheet=name, row=row, column=column)

    hidden = sorted(r for r in set(scan.hidden_rows) if r > height)
    if hidden:
        listed = ", ".join(map(str, hidden[:20])) + (" …" if len(hidden) > 20 else "")
        issues.append(
            Issue(
                code="hidden-content",
                severity=Severity.WARNING,
                message=f"{len(hidden)} hidden row(s) were read: rows {listed}",
                source=where(row=hidden[0]),
            )
        )
    for number in sorted(set(scan.hidden_columns)):
        if number <= len(names) and names[number - 1]:
            issues.append(
                Issue(
                    code="hidden-content",
                    severity=Severity.WARNING,
                    message=f"column {names[number - 1]!r} is hidden; it was read",
                    source=where(column=names[number - 1]),
                )
            )
    used: dict[str, list[int]] = {}
    for row, number, cached in sorted(scan.formulas):
        if row <= height or number > len(names) or not names[number - 1]:
            continue
        column = names[number - 1]
        if cached:
            used.setdefault(column, []).append(row)
            continue
        issues.append(
            Issue(
                code="formula-without-value",
                severity=Severity.ERROR,
                message=f"{column}: the formula in this cell has no saved value "
                "(lca never evaluates formulas); open the workbook in a "
                "spreadsheet program, recalculate and save it",
                source=where(row=row, column=column),
            )
        )
    for column, found in used.items():
        issues.append(
            Issue(
                code="formula-value-used",
                severity=Severity.WARNING,
                message=f"{column}: {len(found)} formula cell(s); the value saved "
                f"with the workbook was used; first at row {found[0]}",
                source=where(row=found[0], column=column),
            )
        )
