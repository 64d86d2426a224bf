"""Speed machinery of the workpaper: a table's data rows written a block of rows at a time,
one column at a time, as the very bytes openpyxl's write-only mode would write.

What a sheet holds is stated elsewhere (``xlsx_ledger``, ``xlsx_sheets``); this module only
turns column vectors into ``<row>`` elements. openpyxl still creates the sheet, writes its
preamble, header, column widths, filter and everything after the rows, and registers every
style: the style of a column's data cells is registered at the row where ``cell`` would first
have registered it, so the ``s="…"`` ids and ``styles.xml`` are unchanged. The cells follow
``xlsx_cells.cell``: every ``str`` is a text cell (never a formula), control characters XML
cannot hold become U+FFFD, text longer than 32,767 characters is cut as openpyxl cuts it,
``&``, ``<`` and ``>`` are escaped, a number is written as ``"%.16g"``, a blank (None, NaN) is
an empty cell that keeps the column's number format, and ``Formula`` is the only formula.

Where the stream is not openpyxl's standard-library writer (lxml installed) ``available`` says
no, and where a column holds a type other than text, numbers, booleans and blanks ``supported``
says no: the caller then writes the whole table with ``xlsx_cells.tables``.
"""

from __future__ import annotations

import io
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lca.report import xlsx_cells
from lca.report.xlsx_cells import MAX_FORMULA_CHARS, Column, WorkbookLimitError, capacity

#: Rows turned into XML at a time.
BLOCK = 32_768
#: Cell kinds of a column's cells.
OMIT, BLANK, NUMBER, TEXT, TEXT_SPACE, EMPTY_TEXT, FORMULA, NUMBER_NONE = range(8)
#: Kinds whose cell carries the column's number format (everything but text).
STYLED = (BLANK, NUMBER, FORMULA, NUMBER_NONE)
MAX_TEXT = 32_767
#: Text written as it is (after escaping): no control character, nothing ``str.strip`` would
#: remove at either end, not longer than a cell holds. Anything else goes through Python.
_PLAIN_TEXT = r"^[\x21-\x7e]([^\x00-\x08\x0b\x0c\x0e-\x1f]*[\x21-\x7e])?$"


class Unsupported(Exception):
    """A value the fast path does not write (the caller writes the table with openpyxl)."""


class FormulaColumn:
    """A column of engine-authored formulas: ``text`` (a str array, None where the cell is
    blank) for each row of the block."""

    def __init__(self, text):
        self.text = text


def available(wb) -> bool:
    """The fast path writes into openpyxl's standard-library stream only (not lxml's)."""
    import openpyxl

    return not openpyxl.LXML and bool(getattr(wb, "write_only", False))


# ---------------------------------------------------------------- cells as openpyxl writes them


_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def _escape(text: str) -> str:
    for raw, entity in _ENTITIES:
        text = text.replace(raw, entity)
    return text


def _escaped(array: pa.Array) -> pa.Array:
    """``_escape`` of every text of ``array``, a pass per character only where one holds it."""
    for raw, entity in _ENTITIES:
        if pc.any(pc.match_substring(array, raw)).as_py():
            array = pc.replace_substring(array, raw, entity)
    return array


def text_cell(value: str) -> tuple[int, bytes]:
    """(kind, escaped UTF-8) of a text cell, exactly as ``cell`` and openpyxl write it."""
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:MAX_TEXT]
    if value == "":
        return EMPTY_TEXT, b""
    stripped = value.strip()
    kind = TEXT_SPACE if stripped and value != stripped else TEXT
    return kind, _escape(value).encode("utf-8", "xmlcharrefreplace")


def number_text(value) -> bytes:
    return ("%.16g" % value).encode()  # noqa: UP031 (openpyxl's safe_string, to the byte)


def _numbers(values: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """(kind, text) of float64 values: blank where NaN, ``%.16g`` of each distinct value."""
    kinds = np.full(len(values), NUMBER, dtype=np.int8)
    missing = np.isnan(values)
    kinds[missing] = BLANK
    finite = np.isfinite(values)
    kinds[~finite & ~missing] = NUMBER_NONE  # ±inf: openpyxl writes an empty <v />
    bits = np.where(finite, values, 0.0).view(np.int64)  # -0.0 and 0.0 apart, as "%.16g"
    codes, distinct = pd.factorize(bits)  # hashed, not sorted: each value's text all the same
    texts = pa.array(list(map(number_text, distinct.view(np.float64).tolist())), pa.binary())
    content = texts.take(pa.array(codes.astype(np.int64)))
    if not finite.all():
        content = pc.if_else(pa.array(finite), content, pa.scalar(b"", pa.binary()))
    return kinds, content


def _integers(values: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """(kind, text) of integers of any width, signed or not: ``"%.16g"`` writes an integer
    under 10**15 in absolute value as its digits (Arrow's text of it), a larger one as the
    float it becomes. The bounds are compared as Python ints: ``np.abs`` of the smallest
    int64 is itself, negative, and a uint64 above 2**63 wraps when taken as int64."""
    if len(values) and (int(values.max()) >= 10**15 or int(values.min()) <= -(10**15)):
        return _numbers(values.astype(np.float64))
    kinds = np.full(len(values), NUMBER, dtype=np.int8)
    return kinds, pc.cast(pc.cast(pa.array(values.astype(np.int64)), pa.string()), pa.binary())


def blank(value) -> bool:
    """None, NA or NaN: what a cell leaves blank."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _texts(values: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """(kind, text) of str and blanks (None, NA, NaN), an array of objects."""
    kinds = np.full(len(values), TEXT, dtype=np.int8)
    array = None
    try:
        array = pa.array(values, pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, UnicodeEncodeError):  # a lone surrogate: through Python
        array = None
    if array is None:
        out = []
        for i, v in enumerate(values.tolist()):
            if blank(v):
                kinds[i] = BLANK
                out.append(b"")
            else:
                kinds[i], text = text_cell(v)
                out.append(text)
        return kinds, pa.array(out, pa.binary())
    kinds[np.asarray(array.is_null())] = BLANK
    length = pc.utf8_length(array)
    plain = pc.and_(
        pc.fill_null(pc.match_substring_regex(array, _PLAIN_TEXT), True),
        pc.fill_null(pc.less_equal(length, MAX_TEXT), True),
    )
    empty = pc.fill_null(pc.equal(length, 0), False)
    kinds[np.asarray(empty)] = EMPTY_TEXT
    content = pc.fill_null(pc.cast(_escaped(array), pa.binary()), b"")
    odd = np.flatnonzero(~np.asarray(plain) & ~np.asarray(empty) & (kinds != BLANK))
    if len(odd):
        content = content.to_pylist()
        for i in odd.tolist():
            kinds[i], content[i] = text_cell(values[i])
        content = pa.array(content, pa.binary())
    return kinds, content


_PLAIN_TYPES = (str, int, float, bool, type(None), type(pd.NA))


def supported(frame: pd.DataFrame) -> bool:
    """Every column of ``frame`` holds only what ``values_column`` writes (checked before a
    sheet is begun: a table is written by one path from its first row to its last)."""
    for name in frame.columns:
        column = frame[name]
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            column = pd.Series(dtype.categories.to_numpy(dtype=object))
            dtype = column.dtype
        if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
            if pd.api.types.is_complex_dtype(dtype):
                return False
            continue
        if not (pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)):
            return False
        for kind in set(map(type, column.to_numpy(dtype=object))):
            if not (
                issubclass(kind, _PLAIN_TYPES)
                or issubclass(kind, (np.integer, np.floating, np.bool_))
            ):
                return False
    return True


def values_column(values) -> tuple[np.ndarray, pa.Array]:
    """(kind, content) of one column's values for a block of rows, as ``cell`` writes them
    (a str is text; a bool is 0 or 1; None, NA and NaN are blank)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):  # each category written once, then taken
        kinds, content = values_column(pd.Series(dtype.categories.to_numpy(dtype=object)))
        codes = series.cat.codes.to_numpy()
        missing = codes < 0
        kinds = np.append(kinds, np.int8(BLANK))
        content = pa.concat_arrays([content, pa.array([b""], pa.binary())])
        codes = np.where(missing, len(kinds) - 1, codes).astype(np.int64)
        return kinds[codes], content.take(pa.array(codes))
    if pd.api.types.is_bool_dtype(dtype) and not series.hasnans:
        return _integers(series.to_numpy(dtype=np.int64))
    if pd.api.types.is_integer_dtype(dtype) and not series.hasnans:
        return _integers(series.to_numpy())  # its own width: a uint64 may not fit an int64
    if pd.api.types.is_float_dtype(dtype) or (
        (pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))
        and series.hasnans
    ):
        return _numbers(series.to_numpy(dtype=np.float64, na_value=np.nan))
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        objects = series.to_numpy(dtype=object)
        types = set(map(type, objects))
        nan_only = float not in types or not any(isinstance(v, float) and v == v for v in objects)
        if types <= {str, type(None), float, type(pd.NA)} and nan_only:
            return _texts(objects)
        return _mixed(objects)
    raise Unsupported(str(dtype))


def _mixed(objects: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """Text, numbers and blanks in one column, value by value."""
    kinds = np.empty(len(objects), dtype=np.int8)
    out: list[bytes] = []
    for i, v in enumerate(objects.tolist()):
        if isinstance(v, np.generic):
            v = v.item()
        if blank(v):
            kinds[i] = BLANK
            out.append(b"")
        elif isinstance(v, str):
            kinds[i], text = text_cell(v)
            out.append(text)
        elif isinstance(v, bool):
            kinds[i] = NUMBER
            out.append(b"1" if v else b"0")
        elif isinstance(v, (int, float)):
            if isinstance(v, float) and v in (float("inf"), float("-inf")):
                kinds[i] = NUMBER_NONE
                out.append(b"")
            else:
                kinds[i] = NUMBER
                out.append(number_text(v))
        else:  # dates, times, decimals …: openpyxl's own types
            raise Unsupported(type(v).__name__)
    return kinds, pa.array(out, pa.binary())


def formula_column(column: FormulaColumn) -> tuple[np.ndarray, pa.Array]:
    """(kind, content) of engine-authored formulas (blank where null)."""
    array = column.text if isinstance(column.text, pa.Array) else pa.array(column.text, pa.string())
    longest = pc.max(pc.utf8_length(array)).as_py() if len(array) else None
    if longest is not None and longest + 1 > MAX_FORMULA_CHARS:
        raise WorkbookLimitError(
            f"a formula would have {longest + 1:,} characters, more than the "
            f"{MAX_FORMULA_CHARS:,} a workbook accepts"
        )
    kinds = np.where(np.asarray(array.is_null()), BLANK, FORMULA).astype(np.int8)
    return kinds, pc.fill_null(pc.cast(_escaped(array), pa.binary()), b"")


# ---------------------------------------------------------------- rows


def _pieces(letter: str, style: int | None) -> tuple[list[bytes], list[bytes], list[bytes]]:
    """Per kind: the bytes before the row number, between it and the content, and after."""
    s = b"" if style is None else f' s="{style}"'.encode()
    start = f'<c r="{letter}'.encode()
    before = [b"", start, start, start, start, start, start, start]
    between = [
        b"",
        b'"' + s + b' t="n" />',
        b'"' + s + b' t="n"><v>',
        b'" t="inlineStr"><is><t>',
        b'" t="inlineStr"><is><t xml:space="preserve">',
        b'" t="inlineStr" />',
        b'"' + s + b"><f>",
        b'"' + s + b' t="n"><v />',
    ]
    after = [b"", b"", b"</v></c>", b"</t></is></c>", b"</t></is></c>", b"", b"</f><v /></c>"]
    after.append(b"</c>")
    return before, between, after


class Styles:
    """The style id of each column's formatted cells, registered with openpyxl in the order
    ``cell`` would register them (the first row, then the column, where a column first has a
    cell that is not text)."""

    def __init__(self, ws, columns: list[Column]):
        self.ws = ws
        self.columns = columns
        self.ids: dict[int, int] = {}

    def register(self, kinds: list[np.ndarray]) -> None:
        first = []
        for index, (column, k) in enumerate(zip(self.columns, kinds, strict=True)):
            if not column.number_format or index in self.ids:
                continue
            styled = np.flatnonzero(np.isin(k, STYLED))
            if len(styled):
                first.append((int(styled[0]), index))
        for _row, index in sorted(first):
            probe = WriteOnlyCell(self.ws, value=None)
            probe.number_format = self.columns[index].number_format
            self.ids[index] = probe.style_id

    def of(self, index: int) -> int | None:
        return self.ids.get(index)


def rows_xml(
    first: int,
    kinds: list[np.ndarray],
    contents: list[pa.Array],
    style_ids: list[int | None],
    letters: list[str],
) -> pa.Array:
    """The ``<row>`` elements of a block (row numbers from ``first``), one binary per row;
    ``style_ids``: each column's style id as registered up to this block (``Styles.of``)."""
    count = len(kinds[0]) if kinds else 0
    numbers = pc.cast(pc.cast(pa.array(np.arange(first, first + count)), pa.string()), pa.binary())
    args: list = [b'<row r="', numbers, b'">']
    for index, (k, content) in enumerate(zip(kinds, contents, strict=True)):
        style = style_ids[index]
        if style is None:  # a blank cell without a number format is not written
            k = np.where(k == BLANK, OMIT, k)
        before, between, after = _pieces(letters[index], style)
        present = np.flatnonzero(np.bincount(k, minlength=1)).tolist()  # its kinds, in order
        if present == [OMIT]:
            continue
        if len(present) == 1:  # one kind of cell in the column: its pieces are constants
            kind = present[0]
            args += [before[kind], numbers, between[kind], content, after[kind]]
            continue
        taken = pa.array(k.astype(np.int64))
        row_number = (
            numbers
            if OMIT not in present
            else pc.if_else(pa.array(k != OMIT), numbers, pa.scalar(b"", pa.binary()))
        )
        args += [
            pa.array(before, pa.binary()).take(taken),
            row_number,
            pa.array(between, pa.binary()).take(taken),
            content,
            pa.array(after, pa.binary()).take(taken),
        ]
    args.append(b"</row>")
    joined: list = []  # adjacent constants as one
    for arg in args:
        if isinstance(arg, bytes) and joined and isinstance(joined[-1], bytes):
            joined[-1] += arg
        else:
            joined.append(arg)
    scalars = [pa.scalar(a, pa.binary()) if isinstance(a, bytes) else a for a in joined]
    return pc.binary_join_element_wise(*scalars, pa.scalar(b"", pa.binary()))


def _stream(ws):
    """The writer of the sheet's XML, inside ``<sheetData>`` after the rows appended so far."""
    rows = ws._rows
    xf = rows.gi_frame.f_locals.get("xf") if rows is not None and rows.gi_frame else None
    write = getattr(xf, "_file", None)
    target = getattr(write, "__self__", None)
    if not isinstance(target, io.TextIOWrapper):
        raise Unsupported("not openpyxl's standard-library stream")
    return target


def write_rows(ws, columns: list[Column], block, count: int, first_row: int) -> None:
    """Append ``count`` data rows to ``ws`` after its header on ``first_row``: ``block(start,
    stop, row)`` returns each column's data (``values_column`` input or ``FormulaColumn``) for
    the rows ``start:stop`` of this sheet, the first of them on sheet row ``row``.

    A block's rows are joined and written by a thread of their own while the next block's
    columns are built (``rows_xml``'s join releases the GIL); one block at a time, in order."""
    from openpyxl.utils import get_column_letter

    target = _stream(ws)
    styles = Styles(ws, columns)
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    with ThreadPoolExecutor(1, thread_name_prefix="xlsx-rows") as writer:
        written: Future | None = None
        for start in range(0, count, BLOCK):
            stop = min(count, start + BLOCK)
            row = first_row + 1 + start
            kinds, contents = [], []
            for data in block(start, stop, row):
                k, content = (
                    formula_column(data) if isinstance(data, FormulaColumn) else values_column(data)
                )
                kinds.append(k)
                contents.append(content)
            styles.register(kinds)
            style_ids = [styles.of(index) for index in range(len(columns))]
            if written is not None:
                written.result()
            written = writer.submit(_write_block, target, row, kinds, contents, style_ids, letters)
        if written is not None:
            written.result()


def _write_block(target, first: int, kinds, contents, style_ids, letters) -> None:
    """The block's ``<row>`` elements (``rows_xml``) written to the sheet's stream."""
    xml = rows_xml(first, kinds, contents, style_ids, letters)
    target.flush()
    buffers = xml.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32, count=len(xml) + 1, offset=xml.offset * 4)
    target.buffer.write(memoryview(buffers[2])[offsets[0] : offsets[-1]])


def write_tables(
    wb, name: str, columns: list[Column], block, rows: int, *, preamble=()
) -> list[tuple[str, int]]:
    """``xlsx_cells.tables`` for a table given by columns: ``block(start, stop, row)`` gives
    the columns of the table's rows ``start:stop``, the first on sheet row ``row``."""
    first_row = len(preamble) + 1
    size = capacity(first_row)
    written: list[tuple[str, int]] = []
    done = 0
    while True:
        ws = wb.create_sheet(xlsx_cells.part_name(name, len(written) + 1))
        for values in preamble:
            ws.append([xlsx_cells.cell(ws, v, font=xlsx_cells.BOLD) for v in values])
        ws.freeze_panes = f"A{first_row + 1}"
        ws.append(xlsx_cells.header_row(ws, columns))
        count = min(size, rows - done)
        offset = done
        write_rows(ws, columns, lambda a, b, r, o=offset: block(o + a, o + b, r), count, first_row)
        last = xlsx_cells.get_column_letter(len(columns))
        ws.auto_filter.ref = f"A{first_row}:{last}{first_row + max(count, 1)}"
        written.append((ws.title, count))
        done += count
        if done >= rows:
            return written
