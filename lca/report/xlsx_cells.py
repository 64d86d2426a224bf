"""Safe, deterministic xlsx writing on top of openpyxl's write-only mode.

Every ``str`` becomes a text cell (``data_type 's'``): a value such as ``=HYPERLINK(...)`` from
the inventory can never turn into a formula; control characters that XML cannot hold become
U+FFFD. Only ``Formula`` values, written by the engine,
are formulas. ``workbook`` and ``deterministic_zip`` write the zip with fixed entry dates and the
document's modification date set, so that two runs give the same bytes (``zip_parallel``
deflates the entries).

A sheet holds at most ``MAX_SHEET_ROWS`` rows: ``tables`` continues a longer table on
``<name> (2)``, ``<name> (3)`` … (each with the header), so that nothing is cut off.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lca.report.zip_parallel import ZipWriter

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F4858")
TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
#: Rows of a worksheet, header included: Excel's limit (and LibreOffice's). A module global so
#: that a test can lower it.
MAX_SHEET_ROWS = 1_048_576
#: Characters of a sheet name, and of a formula (Excel cannot open a file with a longer one).
MAX_SHEET_NAME = 31
MAX_FORMULA_CHARS = 8_192


class WorkbookLimitError(ValueError):
    """A workbook that would break a limit of the format (nothing is written)."""


@dataclass(frozen=True)
class Formula:
    """An engine-authored formula (without the leading '=')."""

    text: str


@dataclass(frozen=True)
class Column:
    """A column of a table: header (with its unit), width and number format."""

    header: str
    width: float = 14
    number_format: str | None = None


def cell(
    ws, value, *, number_format: str | None = None, font=None, fill=None, alignment=None
) -> WriteOnlyCell:
    """One write-only cell; strings are always text, ``Formula`` is the only formula."""
    if isinstance(value, Formula):
        if len(value.text) + 1 > MAX_FORMULA_CHARS:
            raise WorkbookLimitError(
                f"a formula of sheet {ws.title!r} would have {len(value.text) + 1:,} "
                f"characters, more than the {MAX_FORMULA_CHARS:,} a workbook accepts"
            )
        out = WriteOnlyCell(ws, value="=" + value.text)
    elif isinstance(value, str):
        out = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        out.data_type = "s"
    elif value is None or (isinstance(value, float) and math.isnan(value)):
        out = WriteOnlyCell(ws, value=None)
    elif isinstance(value, bool):
        out = WriteOnlyCell(ws, value=int(value))
    else:
        out = WriteOnlyCell(ws, value=value)
    if number_format and not isinstance(value, str):
        out.number_format = number_format
    if font is not None:
        out.font = font
    if fill is not None:
        out.fill = fill
    if alignment is not None:
        out.alignment = alignment
    return out


def header_row(ws, columns: list[Column]) -> list[WriteOnlyCell]:
    """The styled header cells, and the column widths."""
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    return [cell(ws, c.header, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP) for c in columns]


def table(ws, columns: list[Column], rows, *, first_row: int = 1) -> int:
    """Header plus rows with the columns' number formats, a frozen header and a filter.

    Returns the number of data rows written. The header is on ``first_row``.
    """
    ws.freeze_panes = f"A{first_row + 1}"
    ws.append(header_row(ws, columns))
    count = 0
    for row in rows:
        ws.append(
            [cell(ws, v, number_format=c.number_format) for c, v in zip(columns, row, strict=True)]
        )
        count += 1
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{first_row}:{last}{first_row + max(count, 1)}"
    return count


def capacity(first_row: int = 1) -> int:
    """Data rows of one sheet whose header is on ``first_row``."""
    return MAX_SHEET_ROWS - first_row


def part_name(name: str, number: int) -> str:
    """The name of the ``number``-th sheet (from 1) of a table: ``name``, then ``name (2)`` …"""
    if number == 1:
        return name
    suffix = f" ({number})"
    return name[: MAX_SHEET_NAME - len(suffix)] + suffix


def split(name: str, rows: int, first_row: int = 1) -> list[tuple[str, int]]:
    """(sheet name, data rows) of each sheet that ``tables`` fills with ``rows`` rows."""
    size = capacity(first_row)
    count = max(1, -(-rows // size))
    return [(part_name(name, k), min(size, rows - (k - 1) * size)) for k in range(1, count + 1)]


def sheet_ref(name: str) -> str:
    """A sheet name as a formula refers to it (quoted unless letters, digits and ``_``)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def tables(wb, name: str, columns: list[Column], rows, *, preamble=()) -> list[tuple[str, int]]:
    """``table`` over as many sheets as the rows need (``split``): each sheet starts with the
    ``preamble`` rows (lists of values), then the header. Returns (sheet name, data rows) per
    sheet."""
    first_row = len(preamble) + 1
    size = capacity(first_row)
    written: list[tuple[str, int]] = []
    rows = iter(rows)
    while True:
        ws = wb.create_sheet(part_name(name, len(written) + 1))
        for values in preamble:
            ws.append([cell(ws, v, font=BOLD) for v in values])
        count = table(ws, columns, itertools.islice(rows, size), first_row=first_row)
        written.append((ws.title, count))
        if count < size:
            return written
        following = next(rows, None)
        if following is None:
            return written
        rows = itertools.chain([following], rows)


def key_values(ws, pairs, widths: tuple[float, float] = (34, 100)) -> None:
    """A two-column sheet of labels and values (README, statements)."""
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = widths
    for key, value in pairs:
        if key is None:
            ws.append([cell(ws, value, font=TITLE_FONT)])
        else:
            ws.append([cell(ws, key, font=BOLD, alignment=WRAP), cell(ws, value, alignment=WRAP)])


def fixed_datetime(day: dt.date) -> dt.datetime:
    """Document dates of the workbook: the end of the reporting period, never the clock."""
    return dt.datetime(day.year, day.month, day.day, 0, 0, 0)


#: The start of the document's modification date in ``docProps/core.xml``.
_MODIFIED = b'<dcterms:modified xsi:type="dcterms:W3CDTF">'


class _Package(ZipWriter):
    """The workbook's zip (``zip_parallel``), its ``docProps/core.xml`` with the document's
    modification date replaced by ``modified`` when one is given."""

    def __init__(self, target, modified: dt.datetime | None):
        super().__init__(target)
        self.stamp = _MODIFIED + f"{modified:%Y-%m-%dT%H:%M:%SZ}<".encode() if modified else None

    def writestr(self, name: str, data: bytes | str) -> None:
        if self.stamp and name == "docProps/core.xml":
            data = data.encode() if isinstance(data, str) else data
            data = re.sub(_MODIFIED + rb"[^<]*<", self.stamp, data)
        super().writestr(name, data)


def deterministic_zip(data: bytes, modified: dt.datetime | None = None) -> bytes:
    """The same xlsx zip with every entry dated 1980-01-01, in the same order, and, when
    ``modified`` is given, the document's modification date (which openpyxl sets to the clock
    on save) replaced by it: two runs give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, _Package(out, modified) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.close()
    return out.getvalue()


class _Workbook(Workbook):
    """A write-only workbook whose sheets are written one after another: when a sheet is
    begun, the one before it is closed and its deflate begins (``ZipWriter.start``), unless
    openpyxl keeps it elsewhere than in a file (then it is deflated on save)."""

    def __init__(self, archive: ZipWriter):
        super().__init__(write_only=True)
        self._archive = archive
        self._current = None

    def create_sheet(self, title=None, index=None):
        if self._current is not None and not self._current.closed:
            self._current.close()
            file = getattr(getattr(self._current, "_writer", None), "out", None)
            if isinstance(file, str):
                self._archive.start(file)
        self._current = super().create_sheet(title, index)
        return self._current


@contextmanager
def workbook(path: Path, modified: dt.datetime) -> Iterator[Workbook]:
    """A write-only workbook, saved at ``path`` when the block ends as ``deterministic_zip``
    would rewrite ``wb.save(path)``: each entry deflated once, the sheets in parallel, each
    from when the next is begun. Nothing is left at ``path`` if the block raises."""
    from openpyxl.writer.excel import ExcelWriter

    temporary = path.with_name(path.name + ".part")
    try:
        with temporary.open("wb") as file, _Package(file, modified) as archive:
            wb = _Workbook(archive)
            try:
                yield wb
                if not wb.worksheets:  # as wb.save
                    wb.create_sheet()
                ExcelWriter(wb, archive).save()
            except BaseException:  # in the block or while saving (a full disk at a sheet)
                for ws in wb.worksheets:  # end each sheet's writer; nothing is saved
                    if not ws.closed:
                        with suppress(Exception):
                            ws.close()
                    if ws._writer is not None:  # its temporary file, now: openpyxl's own
                        with suppress(Exception):  # removal at exit never runs in a
                            ws._writer.cleanup()  # forked process (os._exit)
                raise
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
