"""What the cell values alone do not show: formula cells, hidden rows and hidden columns, and
the sheet's real extent (rows, columns, cells) and repeated row numbers, checked before a
reader allocates the sheet (calamine builds a dense grid up to the farthest cell).

calamine (the fast reader) returns the cached value of a formula cell and says nothing about
formulas or hidden rows. This module streams a worksheet part once, in chunks, and finds them
with byte-level regular expressions (no DOM, bounded memory). Only run after
``lca.read.xlsx_safety.check_workbook`` accepted the file. The workbook's sheet → part map is read
with defusedxml.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml.ElementTree import fromstring

CHUNK_BYTES = 4 << 20
_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # optional namespace prefix (x:row …)
_HIDDEN_ROW = re.compile(rb"<" + _P + rb"row\b([^>]*?\bhidden=\"(?:1|true)\"[^>]*)>")
_COL = re.compile(rb"<" + _P + rb"col\b([^>]*)>")
_FORMULA_CELL = re.compile(
    rb"<" + _P + rb"c\b([^>]*[^/])>\s*<" + _P + rb"f\b[^>]*?(?:/>|>[^<]*</" + _P + rb"f>)"
    rb"\s*(<" + _P + rb"v\s*/>|<" + _P + rb"v>([^<]*)</" + _P + rb"v>)?"
)
_ATTR = {
    name: re.compile(rb"\b" + name.encode() + rb'="([^"]*)"')
    for name in ("r", "t", "hidden", "min", "max")
}
_REF = re.compile(rb"([A-Z]{1,3})([0-9]+)")
# Extent: the common spelling (``<row r="…"``, ``<c r="…"``: no prefix, ``r`` first) is found
# by literal-prefix searches; a block written otherwise falls back to the general patterns.
_ROW_FAST = re.compile(rb'<row r="([0-9]+)"')
_WIDE_FAST = re.compile(rb'<c r="([A-Z]{2,3})[0-9]')
_ROW_ANY = re.compile(rb"<" + _P + rb"row\b[^>]*?\br=\"([0-9]+)\"")
_ROW_ELEMENT = re.compile(rb"<" + _P + rb"row[\s>/]")
_LATE_FAST = re.compile(rb'<c r="([N-Z])[0-9]')
_CELL_ANY = re.compile(rb"<" + _P + rb"c\b[^>]*?\br=\"([A-Z]{1,3})[0-9]")
_CELL_ROW_FAST = re.compile(rb'<c r="[A-Z]{1,3}([0-9]+)"')
_CELL_ROW_ANY = re.compile(rb"<" + _P + rb"c\b[^>]*?\br=\"[A-Z]{1,3}([0-9]+)\"")
#: Rows a cell may name past its row element before its own row numbers are read exactly:
#: a grid this tall and as wide as the sheet is small (the exact reading costs a second pass).
EXACT_CELL_ROWS_ABOVE = 16_000_000
_TRUE = (b"1", b"true")

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class SheetScan:
    """Row numbers and 1-based column numbers as in the spreadsheet."""

    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)
    #: (row, column, has a cached value) for every formula cell
    formulas: list[tuple[int, int, bool]] = field(default_factory=list)
    #: the ``r`` of every row element, in order (a number seen twice is a damaged sheet)
    row_numbers: list[int] = field(default_factory=list)
    #: row elements and cell elements in the part, and the farthest column of a cell
    row_elements: int = 0
    cells: int = 0
    max_column: int = 0
    #: the farthest row a cell's own reference names (``<c r="A1048000">`` inside row 3)
    max_cell_row: int = 0

    @property
    def grid_cells(self) -> int:
        """Cells of the dense grid a reader builds from A1 to the farthest row and column."""
        rows = max(max(self.row_numbers, default=0), self.row_elements, self.max_cell_row)
        return rows * self.max_column

    def repeated_rows(self) -> dict[int, int]:
        """Row number → times it appears, for the numbers given more than once."""
        seen: dict[int, int] = {}
        for number in self.row_numbers:
            seen[number] = seen.get(number, 0) + 1
        return {number: times for number, times in seen.items() if times > 1}


def column_number(letters: str) -> int:
    """'A' → 1, 'AA' → 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → zip part name, from xl/workbook.xml and its relationships."""
    book = fromstring(archive.read("xl/workbook.xml"))
    try:
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_DOC_REL), "")
        if not target:
            continue
        part = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        parts[sheet.get("name", "")] = part
    return parts


def _attr(attrs: bytes, name: str) -> bytes | None:
    found = _ATTR[name].search(attrs)
    return found.group(1) if found else None


def _scan_block(block: bytes, scan: SheetScan) -> None:
    """Regular expressions only run where a cheap substring test says they may match."""
    if b"hidden" in block:
        _hidden(block, scan)
    if b"<f" in block or b":f>" in block or b":f " in block:
        _formulas(block, scan)
    _extent(block, scan)


def _extent(block: bytes, scan: SheetScan) -> None:
    """Row numbers, row and cell elements and the farthest column of one block."""
    cells = block.count(b"<c ") + block.count(b"<c>") + block.count(b"<c/>")
    plain = (
        b":row" not in block
        and b":c " not in block
        and b":c>" not in block
        and block.count(b'<c r="') == cells
    )
    scan.cells += cells
    if plain:
        scan.row_elements += block.count(b"<row ") + block.count(b"<row>")
        scan.row_numbers += map(int, _ROW_FAST.findall(block))
        # columns past M (the format's widest sheet has 13) are searched only when present
        late = _WIDE_FAST.findall(block) or _LATE_FAST.findall(block)
        farthest = max((column_number(c.decode()) for c in set(late)), default=13 if cells else 0)
    else:
        scan.row_elements += len(_ROW_ELEMENT.findall(block))
        scan.row_numbers += map(int, _ROW_ANY.findall(block))
        refs = _CELL_ANY.findall(block)
        # a cell without a reference takes the next column: each may widen a row by one
        farthest = max((column_number(c.decode()) for c in set(refs)), default=0) + max(
            cells - len(refs), 0
        )
    scan.max_column = max(scan.max_column, farthest)
    _cell_rows(block, scan, plain)


def _cell_rows(block: bytes, scan: SheetScan, plain: bool) -> None:
    """The farthest row named by a cell reference: a reader places a cell by its own
    reference, whatever its row element says. A cell naming a row with more digits than any
    row element is found by a search that fails fast on ordinary cells; the cells' numbers
    are read one by one only when a grid ten times taller could pass the cell limit."""
    if b"<c" not in block and b":c" not in block:
        return
    digits = len(str(max(max(scan.row_numbers, default=0), scan.row_elements, 1)))
    cell = rb'<c r="' if plain else rb"<" + _P + rb'c\b[^>]*?\br="'
    longer = re.compile(cell + rb"[A-Z]{1,3}([0-9]{%d,})\"" % (digits + 1))
    found = [int(n) for n in longer.findall(block)]
    if (10**digits - 1) * max(scan.max_column, 1) > EXACT_CELL_ROWS_ABOVE:
        every = _CELL_ROW_FAST if plain else _CELL_ROW_ANY
        found += map(int, set(every.findall(block)))
    scan.max_cell_row = max(scan.max_cell_row, *found, 0)


def _hidden(block: bytes, scan: SheetScan) -> None:
    for match in _HIDDEN_ROW.finditer(block):
        if number := _attr(match.group(1), "r"):
            scan.hidden_rows.append(int(number))
    for match in _COL.finditer(block):
        attrs = match.group(1)
        if _attr(attrs, "hidden") in _TRUE:
            low, high = int(_attr(attrs, "min") or 0), int(_attr(attrs, "max") or 0)
            scan.hidden_columns.extend(range(low, min(high, low + 16_384) + 1))


def _formulas(block: bytes, scan: SheetScan) -> None:
    for match in _FORMULA_CELL.finditer(block):
        ref = _REF.fullmatch(_attr(match.group(1), "r") or b"")
        if ref is None:
            continue
        cached = match.group(3) is not None and (
            match.group(3) != b"" or _attr(match.group(1), "t") == b"str"
        )
        scan.formulas.append((int(ref.group(2)), column_number(ref.group(1).decode()), cached))


def scan_sheet(archive: zipfile.ZipFile, part: str) -> SheetScan:
    """Hidden rows and columns and formula cells of one worksheet part."""
    scan = SheetScan()
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            block = tail + chunk
            cut = block.rfind(b"row>")
            cut = len(block) if cut < 0 else cut + 4
            _scan_block(block[:cut], scan)
            tail = block[cut:]
    _scan_block(tail, scan)
    return scan
