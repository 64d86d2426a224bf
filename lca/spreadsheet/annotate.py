"""``lca validate --annotate OUT.xlsx``: a copy of the inventory to fix in place.

Every cell an issue points at is filled (red for errors, amber for warnings) and carries a
comment with the messages; an ``Issues`` sheet, first in the workbook, lists every issue with a
link to its cell. A CSV folder becomes a workbook of its files. Formulas are kept (the copy asks
the spreadsheet program to recalculate on opening). A file that was refused (macros, zip bomb…)
is never opened: the copy then holds only the Issues sheet. Values are written as text, never
as formulas.
"""

from __future__ import annotations

import csv
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from lca.issues import Issue, Severity
from lca.read.csv_folder import entry_refusal, sheet_of, sniff_csv
from lca.read.sheets import normalize_header
from lca.read.xlsx_safety import check_workbook, require_defusedxml
from lca.read.xlsx_scan import column_number
from lca.spreadsheet.template import save_workbook, write_value

require_defusedxml()

ISSUES = "Issues"
AUTHOR = "lca validate"
FILLS = {
    Severity.ERROR: PatternFill("solid", fgColor="FFC7CE"),
    Severity.WARNING: PatternFill("solid", fgColor="FFEB9C"),
    Severity.INFO: PatternFill("solid", fgColor="DDEBF7"),
}
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_LETTER = re.compile(r"column ([A-Z]{1,3})")


@dataclass(frozen=True)
class Annotated:
    """What the annotated copy holds."""

    path: Path
    cells_marked: int
    issues_listed: int


def _open_copy(inventory: Path) -> Workbook:
    """The workbook to annotate: the inventory itself, its CSV files, or an empty book."""
    if inventory.is_dir():
        return _csv_workbook(inventory)
    if check_workbook(inventory) is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
                book = load_workbook(inventory, rich_text=False)
            book.calculation.fullCalcOnLoad = True
            return book
        except Exception:  # noqa: BLE001 — openpyxl's many parse errors: fall back to a list
            pass
    book = Workbook()
    book.remove(book.active)
    return book


def _csv_workbook(folder: Path) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for file in sorted(folder.iterdir()):
        if sheet_of(file) is None or entry_refusal(file) is not None:
            continue  # only regular CSV files inside the folder (refusals are issues)
        encoding, delimiter = sniff_csv(file, file.stem, file.name, [])
        sheet = book.create_sheet(_unique_title(book, file.name.strip()[:-4]))
        with file.open(encoding=encoding, errors="replace", newline="") as handle:
            for row, record in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
                for column, value in enumerate(record, start=1):
                    if value != "":
                        write_value(sheet.cell(row, column), value)
    return book


def _unique_title(book: Workbook, name: str) -> str:
    """A worksheet title for a file: at most 31 characters, without the characters Excel
    forbids, and not one the book already has (two files for one sheet keep both)."""
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"
    number = 2
    while title.lower() in (t.lower() for t in book.sheetnames):
        title = f"{title[:27]} ({number})"
        number += 1
    return title


def _columns(worksheet) -> dict[str, int]:
    """Normalised column name → column number, from header rows 1 and 2."""
    names: dict[str, int] = {}
    for row in worksheet.iter_rows(min_row=1, max_row=2, values_only=True):
        for position, value in enumerate(row, start=1):
            if value not in (None, ""):
                names.setdefault(normalize_header(value), position)
    return names


def _clear_previous(book: Workbook) -> None:
    """Remove the marks of an earlier annotation (comments by AUTHOR and their fills); only a
    copy annotated before (it has the Issues sheet) can hold them."""
    if ISSUES not in book.sheetnames:
        return
    book.remove(book[ISSUES])
    for worksheet in book.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = None
                    cell.fill = PatternFill(fill_type=None)


def annotate(inventory: str | Path, issues: list[Issue], out: str | Path) -> Annotated:
    """Write the annotated copy of ``inventory`` to ``out`` (an .xlsx path)."""
    inventory, out = Path(inventory), Path(out)
    book = _open_copy(inventory)
    _clear_previous(book)
    sheets = {normalize_header(ws.title): ws for ws in book.worksheets}
    columns = {name: _columns(ws) for name, ws in sheets.items()}
    marks: dict[tuple[str, str], list[Issue]] = {}
    links: list[tuple[Issue, str | None]] = []
    for issue in sorted(issues, key=lambda i: _RANK[i.severity]):
        where = _cell_of(issue, sheets, columns)
        links.append((issue, where[0].title + "!" + where[1] if where else None))
        if where:
            marks.setdefault((where[0].title, where[1]), []).append(issue)
    for (title, ref), found in marks.items():
        cell = book[title][ref]
        text = "\n".join(f"{i.severity.value} ({i.code}): {i.message}" for i in found)
        if cell.comment is not None:
            text = f"{text}\n—\n{cell.comment.text}"
        comment = Comment(text[:30_000], AUTHOR)
        comment.width, comment.height = 360, 60 + 18 * min(20, text.count("\n") + len(text) // 60)
        cell.comment = comment
        cell.fill = FILLS[found[0].severity]
    _issues_sheet(book, links)
    save_workbook(book, out)
    return Annotated(path=out, cells_marked=len(marks), issues_listed=len(links))


def _cell_of(issue: Issue, sheets: dict, columns: dict) -> tuple[Worksheet, str] | None:
    """The worksheet and cell reference an issue points at, or None."""
    source = issue.source
    if source.sheet not in sheets or (source.row is None and source.column is None):
        return None
    worksheet = sheets[source.sheet]
    number = None
    if source.column is not None:
        letter = _LETTER.fullmatch(source.column)
        number = (
            columns[source.sheet].get(source.column)
            if letter is None
            else column_number(letter.group(1))
        )
    if number is None:
        number = 1
    return worksheet, f"{get_column_letter(number)}{source.row or 1}"


def _issues_sheet(book: Workbook, links: list[tuple[Issue, str | None]]) -> None:
    sheet = book.create_sheet(ISSUES, 0)
    book.active = 0
    sheet.append(["severity", "code", "file", "sheet", "row", "column", "cell", "message", "value"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row, (issue, target) in enumerate(links, start=2):
        source = issue.source
        values = [
            issue.severity.value,
            issue.code,
            source.file,
            source.sheet,
            source.row,
            source.column,
            None,
            issue.message,
            issue.value,
        ]
        for column, value in enumerate(values, start=1):
            write_value(sheet.cell(row, column), value)
        sheet.cell(row, 1).fill = FILLS[issue.severity]
        if target:
            title, ref = target.rsplit("!", 1)
            link = sheet.cell(row, 7, f"{title}!{ref}")
            link.data_type = "s"
            link.hyperlink = Hyperlink(
                ref=link.coordinate, location=f"{quote_sheetname(title)}!{ref}"
            )
            link.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDEFGHI", (9, 22, 18, 14, 7, 22, 16, 90, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:I{max(1, len(links) + 1)}"
