"""Safe, deterministic xlsx writing on top of openpyxl's write-only mode.

Every ``str`` becomes a text cell (``data_type 's'``): a value such as ``=HYPERLINK(...)`` from
the inventory can never turn into a formula; control characters that XML cannot hold become
U+FFFD. Only ``Formula`` values, written by the engine,
are formulas. ``freeze`` rewrites the zip with fixed entry dates so that two runs give the same
bytes.

A sheet holds at most ``MAX_SHEET_ROWS`` rows: ``tables`` continues a longer table on
``<name> (2)``, ``<name> (3)`` … (each with the header), so that nothing is cut off.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F4858")
TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Rows of a worksheet, header included: Excel's limit (and LibreOffice's). A module global so
#: that a test can lower it.
MAX_SHEET_ROWS = 1_048_576
#: Characters of a sheet name, and of a formula (Excel cannot open a file with a longer one).
MAX_SHEET_NAME = 31
MAX_FORMULA_CHARS = 8_192
#: Bytes of an entry copied at a time by ``freeze``.
COPY_CHUNK = 1 << 24


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


def deterministic_zip(data: bytes, modified: dt.datetime | None = None) -> bytes:
    """The same xlsx zip with every entry dated 1980-01-01, in the same order, and, when
    ``modified`` is given, the document's modification date (which openpyxl sets to the clock
    on save) replaced by it: two runs give the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        _copy_entries(source, target, modified)
    return out.getvalue()


def _copy_entries(source: zipfile.ZipFile, target: zipfile.ZipFile, modified) -> None:
    """Each entry of ``source`` into ``target`` as ``deterministic_zip`` writes it, a part at a
    time (a sheet of a million rows is never held whole in memory); the bytes are those of
    ``writestr`` with the whole entry."""
    stamp = (
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{modified:%Y-%m-%dT%H:%M:%SZ}<'.encode()
        if modified
        else None
    )
    for info in source.infolist():
        fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
        fixed.compress_type = zipfile.ZIP_DEFLATED
        fixed.external_attr = 0o600 << 16
        if stamp and info.filename == "docProps/core.xml":
            content = re.sub(
                rb'<dcterms:modified xsi:type="dcterms:W3CDTF">[^<]*<',
                stamp,
                source.read(info.filename),
            )
            target.writestr(fixed, content)
            continue
        fixed.file_size = info.file_size  # as writestr sets it: the same header, zip64 or not
        with source.open(info) as entry, target.open(fixed, "w") as dest:
            shutil.copyfileobj(entry, dest, COPY_CHUNK)


def stored_save(wb, path: Path) -> None:
    """``wb.save(path)`` with the entries stored, not compressed: ``freeze`` compresses each
    entry once (the bytes it writes do not depend on how the entries it reads were stored)."""
    from openpyxl.writer.excel import ExcelWriter

    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    archive = zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True)
    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)  # as save
    ExcelWriter(wb, archive).save()


def freeze(path: Path, stamp: dt.datetime) -> None:
    """Rewrite the workbook at ``path`` as ``deterministic_zip`` does, entry by entry."""
    temporary = path.with_name(path.name + ".part")
    try:
        with (
            zipfile.ZipFile(path) as source,
            zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as target,
        ):
            _copy_entries(source, target, stamp)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
