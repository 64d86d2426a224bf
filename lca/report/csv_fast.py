"""Speed machinery of ledger.csv: the rows written a block at a time, one column at a time,
as the very bytes of pandas' ``to_csv(path, index=False, lineterminator="\\n",
float_format="%.17g")``, the writer ``results.write_ledger_csv`` states.

pandas hands every cell to Python's csv writer as text: a float as ``"%.17g"`` (here once per
distinct value, ``text_columns.each_float``), an integer as ``str`` (Arrow's text of an
integer is the same), a bool as ``True`` or ``False``, a category as its text and a blank
(None, NaN, NA) as "". The writer puts a field between quotes, its quotes doubled, when it
holds one of ``QUOTED`` (found by asking that writer: the delimiter, the quote and the line
terminator on this Python); the same is done here with Arrow's string kernels, once per
category for a categorical column. The header is the column names, by the same rule.

``supported`` says no for a frame of fewer than two columns (the writer quotes a row of one
empty field), column names that are not distinct strings, and a column of another type than
float64, float32, integers, booleans and text (str, or categories of str): dates, nullable
floats, objects or categories holding anything else. The caller then writes the frame with
pandas.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lca.coerce import arrow_data
from lca.report.text_columns import (
    BLOCK,
    Column,
    Lines,
    each_distinct,
    each_float,
    integers,
    joined,
)

FLOATS = (np.dtype("float64"), np.dtype("float32"))


def _quoted_by_csv(character: str) -> bool:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([character, ""])
    return out.getvalue().startswith('"')


#: The characters that make Python's csv writer (pandas' ``to_csv``) quote a field.
QUOTED = "".join(c for c in map(chr, range(128)) if _quoted_by_csv(c))
#: Text written as it is: none of ``QUOTED``.
_PLAIN = "^[^" + "".join(f"\\x{{{ord(c):x}}}" for c in QUOTED) + "]*$"


def _float(value: float) -> str:
    """A float as ``float_format="%.17g"`` writes it (NaN blank)."""
    return "" if value != value else "%.17g" % value  # noqa: UP031 (pandas' float_format)


def _cell(value) -> str:
    """An integer or a bool as the csv writer writes it (``str``), a blank as ""."""
    return "" if pd.isna(value) else str(value)


def _is_text(column: pd.Series) -> bool:
    return isinstance(column.dtype, pd.StringDtype) or (
        column.dtype == object
        and pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")
    )


def _is_boolean(dtype) -> bool:
    return dtype == np.bool_ or isinstance(dtype, pd.BooleanDtype)


def supported(frame: pd.DataFrame) -> bool:
    """Every column of ``frame`` is of a type ``fields`` writes (see the module)."""
    names = list(frame.columns)
    if len(names) < 2 or len(set(names)) < len(names) or not all(isinstance(n, str) for n in names):
        return False
    for name in names:
        column = frame[name]
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            if not _is_text(pd.Series(dtype.categories.to_numpy(dtype=object), dtype=object)):
                return False
        elif not (
            dtype in FLOATS
            or _is_boolean(dtype)
            or pd.api.types.is_integer_dtype(dtype)
            or _is_text(column)
        ):
            return False
    return True


def text_fields(text: pa.Array) -> pa.Array:
    """Text as the csv writer writes it: between quotes, quotes doubled, where it holds one of
    ``QUOTED``; a blank (null) as ""."""
    plain = pc.match_substring_regex(text, _PLAIN)
    quoted = joined(['"', pc.replace_substring(text, '"', '""'), '"'])
    return pc.fill_null(pc.if_else(plain, text, quoted), "")


def _text(column: pd.Series) -> pa.Array:
    text = arrow_data(column)
    if text is None:
        return pa.array(column.to_numpy(dtype=object), pa.string(), from_pandas=True)
    return text.combine_chunks().cast(pa.string())


def fields(column: pd.Series) -> Column:
    """The field of every value of a column of a ``supported`` frame."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):  # each category once
        categories = pd.Series(dtype.categories.to_numpy(dtype=object), dtype=object)
        texts = pa.concat_arrays([text_fields(_text(categories)), pa.array([""])])
        codes = column.cat.codes.to_numpy()
        return Column(texts, np.where(codes < 0, len(texts) - 1, codes))
    if dtype in FLOATS:
        return each_float([column.to_numpy()], _float)
    if _is_boolean(dtype):
        return each_distinct(column, _cell)
    if pd.api.types.is_integer_dtype(dtype):
        return integers(column, _cell)
    return Column(text_fields(_text(column)))


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a ``supported`` frame to ``path``: a header and a line per row."""
    header = text_fields(pa.array(list(frame.columns), pa.string())).to_pylist()
    pieces: list[str | Column] = []
    for name in frame.columns:
        pieces += [fields(frame[name]), ","]
    pieces[-1] = "\n"
    rows = Lines(pieces)
    with path.open("wb") as out:
        out.write((",".join(header) + "\n").encode("utf-8"))
        for start in range(0, len(frame), BLOCK):
            out.write(rows.block(start, min(len(frame), start + BLOCK)))
