"""The fast table writer (``xlsx_fast``) writes the very bytes of ``xlsx_cells.tables``."""

from __future__ import annotations

import io
import threading
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from lca.report import xlsx_cells, xlsx_fast
from lca.report.xlsx_cells import MAX_FORMULA_CHARS, Column, Formula, WorkbookLimitError

HOSTILE = [
    "plain",
    '=HYPERLINK("http://x")',
    "  leading",
    "trailing ",
    " ",
    "\t",
    "\xa0nbsp",
    "ideographic\u3000",
    "bell\x07 and \x1f",
    "unit\x1fseparator",  # a control character inside otherwise plain text
    "a & b < c > d \"q\" 'a'",
    "",
    "#N/A",
    "line\nbreak",
    "cr\r",
    "x" * 40_000,
    "x" * 32_768,  # one character more than a cell holds
    "a\x00b",
    "a\x0bb",
    "c\x0cd",
    "lone \ud800 surrogate",
    "é · ü — 💡",
    None,
]
NUMBERS = [0.1 + 0.2, -0.0, 0.0, 1e16, 1e15, 123456789012345678.0, 1e-5, 1e-4, 1 / 3, 2.5,
           float("inf"), float("-inf"), float("nan"), 1e300, -7.0, None]  # fmt: skip


def frame() -> pd.DataFrame:
    n = max(len(HOSTILE), len(NUMBERS)) * 3
    text = [HOSTILE[i % len(HOSTILE)] for i in range(n)]
    numbers = [NUMBERS[i % len(NUMBERS)] for i in range(n)]
    ints = [10**17, -3, 0, 7, 2**53 + 1] * (n // 5) + [1] * (n % 5)
    extremes = [-(2**63), 2**63 - 1, -(10**17), -(10**15) + 1, 5]  # np.abs(-2**63) < 0
    others = [True, False, np.int64(4), np.float64(0.7), 10**17, -(10**17), pd.NA]
    pool = HOSTILE + NUMBERS + others
    return pd.DataFrame(
        {
            "text": pd.Series(text, dtype=object),
            "category": pd.Categorical(["a", None, "b & c", " d"] * (n // 4) + ["a"] * (n % 4)),
            "numbers": pd.Series(numbers, dtype=float),
            "numbers_plain": pd.Series(numbers, dtype=float),
            "ints": pd.Series(ints, dtype=np.int64),
            "int64 extremes": pd.Series([extremes[i % 5] for i in range(n)], dtype=np.int64),
            "uint64": pd.Series([2**64 - 1, 5] * (n // 2) + [5] * (n % 2), dtype=np.uint64),
            "inf first": pd.Series([np.inf, 2.0, -np.inf] * (n // 3) + [1.0] * (n % 3)),
            "nullable": pd.array([1, None, 3] * (n // 3) + [1] * (n % 3), dtype="Int64"),
            "bools": [True, False] * (n // 2) + [True] * (n % 2),
            "mixed": pd.Series([pool[i % len(pool)] for i in range(n)], dtype=object),
            "strings": pd.Series(
                [t for t in text if t is None or "\ud800" not in t] + ["x"] * (n // len(HOSTILE)),
                dtype="str",
            ),
            "blank": pd.Series([None] * n, dtype=object),
            # text, then from row 10 numbers: its style is registered in a later block than
            # its first (the bytes cannot show which ids a block was given: a column's cells
            # before its style is registered are text, written without one)
            "late": pd.Series(["t"] * 10 + [float(i) for i in range(n - 10)], dtype=object),
        }
    )


COLUMNS = [
    Column("text", 10, "0"),
    Column("category", 10),
    Column("numbers", 10, "#,##0.000"),
    Column("numbers_plain", 10),
    Column("ints", 10, "0.000000E+00"),
    Column("int64 extremes", 10, "0"),
    Column("uint64", 10, "0"),
    Column("inf first", 10, "0.0"),
    Column("nullable", 10, "0"),
    Column("bools", 10),
    Column("mixed", 10, "0.0%"),
    Column("strings", 10),
    Column("blank", 10, "0.00"),
    Column("late", 10, "0.0"),
    Column("formula", 10, "#,##0.00"),
]


def formulas(start: int, stop: int, row: int) -> list:
    """Formulas of the table's rows ``start:stop``, the first on sheet row ``row``."""
    return [None if p % 3 == 1 else f'A{row + p - start}*2&"<x>"' for p in range(start, stop)]


def sheets(
    fast: bool, data: pd.DataFrame, monkeypatch, limit: int, columns: list[Column] = COLUMNS
) -> dict[str, bytes]:
    monkeypatch.setattr(xlsx_cells, "MAX_SHEET_ROWS", limit)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Before")
    ws.append([xlsx_cells.cell(ws, 1.5, number_format="0.000")])
    if fast:
        assert xlsx_fast.available(wb) and xlsx_fast.supported(data)

        def block(start, stop, row):
            part = data.iloc[start:stop]
            return [part[c] for c in data.columns] + [
                xlsx_fast.FormulaColumn(formulas(start, stop, row))
            ]

        xlsx_fast.write_tables(wb, "Table", columns, block, len(data), preamble=[["note"]])
    else:

        def rows():
            size = xlsx_cells.capacity(2)
            for position, record in enumerate(data.to_dict("records")):
                values = []
                for v in record.values():
                    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                        v = None
                    elif hasattr(v, "item"):
                        v = v.item()
                    values.append(v)
                text = formulas(position, position + 1, position % size + 3)[0]
                values.append(None if text is None else Formula(text))
                yield values

        xlsx_cells.tables(wb, "Table", columns, rows(), preamble=[["note"]])
    ws = wb.create_sheet("After")
    ws.append([xlsx_cells.cell(ws, 2, number_format="0.0")])
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith("xl/") and "docProps" not in name
        }


@pytest.mark.parametrize("block", [32_768, 7])
@pytest.mark.parametrize("limit", [1_048_576, 20])
def test_fast_rows_are_openpyxl_bytes(monkeypatch, limit, block):
    """In one block and in blocks of 7 rows (each joined and written by the writer thread
    while the next is built), on one sheet and continued on sheets of 20 rows."""
    monkeypatch.setattr(xlsx_fast, "BLOCK", block)
    data = frame()
    slow = sheets(False, data, monkeypatch, limit)
    fast = sheets(True, data, monkeypatch, limit)
    assert slow.keys() == fast.keys()
    for name in slow:
        assert slow[name] == fast[name], name


#: What matters to the writer in a text: control characters, spaces ``str.strip`` removes or
#: keeps, a lone surrogate, other planes, and a run that makes a text too long for a cell ...
ODD = ["\t", "\n", "\r", "\x00", "\x07", "\x0b", "\x1f", "\x7f", "\xa0", "\u2028", "\u3000",
       "\ufeff", "\ud800", "é", "💡", " ", "x" * 16_384]  # fmt: skip
#: ... between words of printable ASCII, formula and XML signs among them.
WORDS = ["a", "Z9", "=", "+", "-", "@", "&", "<", ">", '"', "'", "#", ";", "=SUM(A1)"]


def column_texts(draw) -> st.SearchStrategy:
    """The texts of one column, as inventories bring them: any code points, or a few odd
    pieces between words (the writer takes a whole column's texts as they are where each is
    plain: a column of a few pieces is often all plain, or all but one)."""
    odd = draw(st.lists(st.sampled_from(ODD), min_size=1, max_size=2, unique=True))
    ends = st.sampled_from(["", "", "", " ", "\t", "\xa0"])  # what str.strip removes, or not
    word = st.sampled_from(["", *WORDS])
    middle = st.lists(st.sampled_from(odd), max_size=2).map("".join)
    runs = st.tuples(ends, word, middle, word, ends).map("".join)
    return st.one_of(st.none(), runs, st.text(max_size=12) if draw(st.booleans()) else runs)


@st.composite
def tables(draw) -> tuple[pd.DataFrame, int]:
    """A text column, a number column and a mixed one (numbers, booleans, blanks and texts:
    an object column of the ledger), and the rows a block holds."""
    n = draw(st.integers(1, 9))
    text, mixed = column_texts(draw), column_texts(draw)
    mixed = st.one_of(mixed, st.floats(), st.booleans(), st.integers(-(2**63), 2**63 - 1))

    def column(values: st.SearchStrategy) -> pd.Series:
        return pd.Series(draw(st.lists(values, min_size=n, max_size=n)), dtype=object)

    data = pd.DataFrame(
        {
            "text": column(text),
            "numbers": column(st.one_of(st.none(), st.floats())).astype(float),
            "mixed": column(mixed),
        }
    )
    return data, draw(st.integers(1, 4))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_any_values_are_written_as_openpyxl_writes_them(table):
    """Drawn texts, numbers and mixed cells, in blocks of a few rows: the same bytes as
    openpyxl's cells (no text becomes a formula, nothing is escaped otherwise)."""
    data, block = table
    columns = [Column("text", 10, "0"), Column("numbers", 10, "0.00"), Column("mixed", 10)]
    columns.append(COLUMNS[-1])  # the formula column
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(xlsx_fast, "BLOCK", block)
        slow = sheets(False, data, monkeypatch, 1_048_576, columns)
        fast = sheets(True, data, monkeypatch, 1_048_576, columns)
    assert slow == fast


def _write(monkeypatch, rows: int, block, path) -> None:
    """``rows`` rows of one number column written by ``write_tables`` in blocks of 7, in the
    report's workbook (``xlsx_cells.workbook``: nothing left behind when it fails)."""
    import datetime as dt

    monkeypatch.setattr(xlsx_fast, "BLOCK", 7)
    data = pd.DataFrame({"n": np.arange(rows, dtype=float)})
    with xlsx_cells.workbook(path, dt.datetime(2025, 1, 1)) as wb:
        xlsx_fast.write_tables(wb, "T", [Column("n", 10, "0")], block(data), rows)


@pytest.mark.parametrize("failing", [1, 2], ids=["a-middle-block", "the-last-block"])
def test_a_block_that_fails_to_be_written_fails_the_table(monkeypatch, failing, tmp_path):
    """Its writer thread's exception comes back, the last block's too."""
    real, calls = xlsx_fast.rows_xml, []

    def rows_xml(*args):
        calls.append(args[0])
        if len(calls) == failing + 1:
            raise RuntimeError(f"block {failing}")
        return real(*args)

    monkeypatch.setattr(xlsx_fast, "rows_xml", rows_xml)
    with pytest.raises(RuntimeError, match=f"block {failing}"):
        _write(monkeypatch, 20, lambda d: lambda a, b, _r: [d["n"].iloc[a:b]], tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []  # 3 blocks; nothing written


def test_one_block_is_written_while_the_next_is_built(monkeypatch, tmp_path):
    """The next block's columns are built while a block is written, and no further: the
    block after next waits for the first to be written."""
    second_built, first_written = threading.Event(), threading.Event()
    real = xlsx_fast.rows_xml

    def rows_xml(first, *rest):
        if first == 2:  # the first block (the header is row 1): held until the next is built
            assert second_built.wait(5)
        xml = real(first, *rest)
        if first == 2:
            first_written.set()
        return xml

    def block(data):
        def columns(a, b, _row):
            if a == 7:
                second_built.set()
            if a == 14:
                assert first_written.is_set()
            return [data["n"].iloc[a:b]]

        return columns

    monkeypatch.setattr(xlsx_fast, "rows_xml", rows_xml)
    _write(monkeypatch, 21, block, tmp_path / "x.xlsx")
    assert first_written.is_set()


def test_a_formula_is_refused_past_the_characters_a_workbook_takes():
    """With its "=", a formula of ``MAX_FORMULA_CHARS`` characters is written by both
    writers; one character more, and both refuse it."""
    ws = Workbook(write_only=True).create_sheet("T")
    text = "1" * (MAX_FORMULA_CHARS - 1)
    _kinds, content = xlsx_fast.formula_column(xlsx_fast.FormulaColumn([None, text]))
    assert content.to_pylist() == [b"", text.encode()]
    assert xlsx_cells.cell(ws, Formula(text)).value == "=" + text
    text += "1"
    with pytest.raises(WorkbookLimitError):
        xlsx_fast.formula_column(xlsx_fast.FormulaColumn([None, text]))
    with pytest.raises(WorkbookLimitError):
        xlsx_cells.cell(ws, Formula(text))


def test_unsupported_types_are_left_to_openpyxl():
    assert not xlsx_fast.supported(pd.DataFrame({"d": [pd.Timestamp("2025-01-01")]}))
    assert not xlsx_fast.supported(pd.DataFrame({"d": pd.Series([1, "x", b"y"], dtype=object)}))
