"""Speed machinery of results.json's ``lines`` and of ledger.csv: the text of every line made
one column at a time, with Arrow, instead of one Python string per line.

A value's text is stated once, as a Python function of one value; ``each_distinct`` and
``each_float`` call it once per distinct value of the whole column, and a ``Column`` keeps
those texts and each line's code. Arrow's own kernels make text only where it is Python's text
to the byte: an integer (``str``), and text that needs no escaping (``plain_text``; any other
value goes through the Python rule). The lines are then put together a block at a time,
element-wise (``joined``), and handed on as the bytes of Arrow's buffer (``data``), never as
one Python string per line.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lca import distinct
from lca.coerce import arrow_data

#: Lines put together at a time.
BLOCK = 65_536

Rule = Callable[[object], str]


class Column:
    """The text of every line of a column: ``texts[codes]``, or ``texts`` itself where each
    line has its own (``codes`` None)."""

    def __init__(self, texts: pa.Array, codes: np.ndarray | None = None):
        self.texts = texts
        self.codes = None if codes is None else codes.astype(np.min_scalar_type(len(texts)))

    @classmethod
    def of(cls, texts: list[str], codes: np.ndarray) -> Column:
        return cls(pa.array(texts, pa.string()), codes)

    def lines(self, start: int, stop: int) -> pa.Array:
        """The texts of the lines ``start:stop``."""
        if self.codes is None:
            return self.texts.slice(start, stop - start)
        return self.texts.take(pa.array(self.codes[start:stop]))


def each_distinct(column: pd.Series, text_of: Rule) -> Column:
    """``text_of(value)`` of every value of ``column``, called once per distinct value (and
    once per kind of missing value: None, NaN and NA may have different texts)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    texts = [text_of(value) for value in uniques.tolist()]
    missing = np.flatnonzero(codes < 0)
    if len(missing):
        kinds: dict[type, int] = {}
        for position in missing.tolist():
            value = column.iat[position]
            if type(value) not in kinds:
                kinds[type(value)] = len(texts)
                texts.append(text_of(value))
            codes[position] = kinds[type(value)]
    return Column.of(texts, codes)


def each_float(columns: list[np.ndarray], text_of: Callable[..., str]) -> Column:
    """``text_of(*values)`` of every line's values of float ``columns`` (float64 or float32),
    called once per distinct combination of bit patterns (−0.0 and 0.0 apart; a NaN passed
    as a NaN)."""
    bits = [c.view(np.int64 if c.dtype.itemsize == 8 else np.int32) for c in columns]
    if len(bits) == 1:
        codes, uniques = pd.factorize(bits[0])
        rows = zip(uniques.view(columns[0].dtype).tolist())
    else:
        frame = pd.DataFrame({str(i): b for i, b in enumerate(bits)})
        codes, first = distinct.of_columns(frame, list(frame.columns))
        rows = zip(*(c[first].tolist() for c in columns), strict=True)
    return Column.of([text_of(*row) for row in rows], codes)


def integers(column: pd.Series, text_of: Rule) -> Column:
    """``text_of`` of every value of a column whose rule for a number is ``str(int(value))``:
    Arrow's text of each distinct integer (which is ``str``'s), its missing values (NA) as
    ``text_of`` says; a column of another type value by value (``each_distinct``)."""
    if not pd.api.types.is_integer_dtype(column.dtype):
        return each_distinct(column, text_of)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    texts = pc.cast(pa.array(uniques, from_pandas=True), pa.string())
    if (codes < 0).any():
        missing = text_of(column[column.isna()].iloc[0])
        texts = pa.concat_arrays([texts, pa.array([missing], pa.string())])
        codes = np.where(codes < 0, len(texts) - 1, codes)
    return Column(texts, codes)


def plain_text(column: pd.Series, plain: str, text_of: Rule) -> Column:
    """``text_of`` of every value of a text column, where ``text_of(v)`` is ``'"' + v + '"'``
    for a str ``v`` matching the regular expression ``plain``: Arrow-backed text is written so
    by Arrow, and only its other values (and missing ones) by ``text_of``; a column of another
    type value by value (``each_distinct``)."""
    data = arrow_data(column)
    if data is None:
        return each_distinct(column, text_of)
    data = data.combine_chunks().cast(pa.string())
    text = joined(['"', data, '"'])
    odd = np.flatnonzero(~np.asarray(pc.fill_null(pc.match_substring_regex(data, plain), False)))
    if len(odd):
        texts = text.to_numpy(zero_copy_only=False)
        for position in odd.tolist():
            texts[position] = text_of(column.iat[position])
        text = pa.array(texts, pa.string())
    return Column(text)


def joined(pieces: list) -> pa.Array:
    """Every line's pieces (string arrays, or a str for the same text on every line) put
    together, one string per line."""
    return pc.binary_join_element_wise(
        *(pa.scalar(p, pa.string()) if isinstance(p, str) else p for p in pieces), ""
    )


#: Most combinations of neighbouring columns that ``Lines`` merges into one column.
MERGED = 65_536


class Lines:
    """Lines made of ``pieces`` (a str is the same text on every line), put together a block
    at a time. Neighbouring pieces (text, columns of codes) with at most ``MERGED``
    combinations are merged into one column first, because joining costs Arrow a step per
    line and piece: the lines' text is the same whatever is merged."""

    def __init__(self, pieces: list[str | Column]):
        self.pieces: list[str | Column] = []
        for piece in pieces:
            last = self.pieces[-1] if self.pieces else None
            if isinstance(piece, str) and isinstance(last, str):
                self.pieces[-1] = last + piece
            elif last is not None and _mergeable(last, piece):
                self.pieces[-1] = _merge(last, piece)
            else:
                self.pieces.append(piece)

    def block(self, start: int, stop: int) -> memoryview:
        """The bytes of the lines ``start:stop``."""
        return data(
            joined([p if isinstance(p, str) else p.lines(start, stop) for p in self.pieces])
        )


def _size(piece: str | Column) -> int | None:
    """The number of texts of a piece whose lines are codes (1 for a str), else None."""
    if isinstance(piece, str):
        return 1
    return None if piece.codes is None else len(piece.texts)


def _mergeable(first: str | Column, second: str | Column) -> bool:
    """Both pieces are codes, with at most ``MERGED`` combinations (text is not merged into
    a column of more texts: that costs more than the step it saves)."""
    a, b = _size(first), _size(second)
    return a is not None and b is not None and a * b <= MERGED


def _merge(first: str | Column, second: str | Column) -> Column:
    """One column whose text on each line is ``first``'s then ``second``'s: a text for every
    pair of their texts."""
    (a, a_texts), (b, b_texts) = _coded(first), _coded(second)
    pairs = np.arange(len(a_texts) * len(b_texts))
    texts = joined([a_texts.take(pairs // len(b_texts)), b_texts.take(pairs % len(b_texts))])
    return Column(texts, np.asarray(a, dtype=np.int64) * len(b_texts) + b)


def _coded(piece: str | Column) -> tuple[np.ndarray | int, pa.Array]:
    """Each line's code (0 for a str) and the texts of a piece."""
    if isinstance(piece, str):
        return 0, pa.array([piece], pa.string())
    assert piece.codes is not None
    return piece.codes, piece.texts


def data(text: pa.Array) -> memoryview:
    """The UTF-8 bytes of a string array's values one after the other (Arrow's buffer, no
    copy)."""
    _validity, offsets, values = text.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32, count=len(text) + 1, offset=text.offset * 4)
    return memoryview(values if values is not None else b"")[bounds[0] : bounds[-1]]
