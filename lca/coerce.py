"""Vectorised reading of cell values into typed columns, with lenient parsing disclosed.

Every function takes a column (pandas Series of raw cells) and returns ``(values, bad, note)``:
the typed values (NA where blank or unreadable), a boolean mask of cells that are present but
unreadable, and a mask of cells read leniently (to be reported as ``value-normalized``).
Work is done on the distinct values (``pd.factorize``), so a million-row column with a few
hundred distinct strings costs a few hundred parses. The codes of a text column made here can be
kept in a ``TextCodes`` that the caller owns (validation keeps one per inventory and hands it to
the activities), so later stages group by them without hashing the strings again.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.extensions import ExtensionArray

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def arrow_data(values):
    """The Arrow data (a ChunkedArray) of Arrow-backed text — a Series, an Index or their
    array — or None for anything else."""
    array = getattr(values, "array", values)
    dtype = getattr(array, "dtype", None)
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return array.__arrow_array__()
    return None


class TextCodes:
    """Factorisations of text columns made by this module, kept by the stage that made the
    columns and passed on explicitly (``Inventory.text_codes`` → ``Context.text_codes``).

    An entry serves only the very column it was made for: it is found by the identity of the
    column's Arrow data, which is immutable and held here (so its ``id`` cannot be reused while
    the entry lives). ``retain`` drops the columns a stage did not keep."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[pa.ChunkedArray, np.ndarray, ExtensionArray]] = {}

    def remember(self, series: pd.Series, codes: np.ndarray, uniques: ExtensionArray) -> None:
        data = arrow_data(series)
        if data is not None:
            self._entries[id(data)] = (data, codes, uniques)

    def get(self, series: pd.Series) -> tuple[np.ndarray, ExtensionArray] | None:
        """The codes and uniques of ``series`` if it is a column made here, else None."""
        data = arrow_data(series)
        entry = self._entries.get(id(data)) if data is not None else None
        if entry is None or entry[0] is not data:
            return None
        return entry[1], entry[2]

    def retain(self, frames) -> None:
        """Forget every column that is not a column of one of ``frames``."""
        kept = {
            id(data)
            for frame in frames
            for _, column in frame.items()
            if (data := arrow_data(column)) is not None
        }
        self._entries = {key: entry for key, entry in self._entries.items() if key in kept}

    def __len__(self) -> int:
        return len(self._entries)


def factorize(
    series: pd.Series, known: TextCodes | None = None
) -> tuple[np.ndarray, ExtensionArray]:
    """``pd.factorize(series)`` (NA → −1, uniques in order of first appearance), reusing the
    codes ``known`` kept when the column was made rather than hashing its values again."""
    found = known.get(series) if known is not None else None
    if found is not None:
        return found
    return pd.factorize(series, use_na_sentinel=True)


def _map_distinct(series: pd.Series, parse) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``parse(value) -> (result, lenient: bool)`` once per distinct value."""
    codes, uniques = factorize(series)
    parsed = [parse(u) for u in uniques]
    results = np.array([p[0] for p in parsed] + [None], dtype=object)
    lenient = np.array([p[1] for p in parsed] + [False], dtype=bool)
    return results[codes], lenient[codes]


def map_values(series: pd.Series, function) -> pd.Series:
    """``function`` applied once per distinct value (NA stays NA): a cheap ``Series.map``."""
    codes, uniques = factorize(series)
    results = np.array([function(u) for u in uniques] + [None], dtype=object)
    return pd.Series(results[codes], index=series.index)


def map_text(series: pd.Series, function, known: TextCodes | None = None) -> pd.Series:
    """``map_values`` for a ``function`` that returns text (or None for NA): a text column
    (its codes kept in ``known`` when given)."""
    codes, uniques = factorize(series, known)
    return _as_text(codes, [function(u) for u in uniques], series.index, known)


def is_blank(series: pd.Series) -> pd.Series:
    """True where a cell is empty (NA or only spaces)."""
    if series.dtype.kind in "fiub":
        return series.isna()
    text = series.astype("string")
    return text.isna() | text.str.strip().eq("")


def _as_text(
    codes: np.ndarray, uniques: list, index: pd.Index, known: TextCodes | None = None
) -> pd.Series:
    """A text column from factorised codes (−1 = NA) and one value (or None) per code, decoded
    by Arrow in one pass instead of a million Python strings; its codes kept in ``known``."""
    remap, distinct = pd.factorize(np.array([*uniques, None], dtype=object))
    final = remap[codes]  # uniques that became equal (or blank) share a code
    indices = pa.array(final, mask=final < 0)
    decoded = pa.DictionaryArray.from_arrays(indices, pa.array(distinct, type=pa.string()))
    out = pd.Series(pd.array(decoded.cast(pa.string()), dtype="string"), index=index)
    if known is not None:
        known.remember(out, final, pd.array(distinct, dtype="string"))
    return out


def text(series: pd.Series, known: TextCodes | None = None) -> pd.Series:
    """Cells as trimmed text; blank → NA. Numbers written as 12.0 become '12' (codes kept in
    ``known`` when given)."""

    def clean(value) -> str | None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip() or None

    codes, uniques = factorize(series, known)
    return _as_text(codes, [clean(u) for u in uniques], series.index, known)


def _parse_number(value) -> tuple[float | None, bool]:
    if isinstance(value, bool):
        return None, False
    if isinstance(value, (int, np.integer)) and abs(int(value)) > 1e308:
        # an integer beyond any float (a workbook cell of 400 digits): infinite, so that the
        # magnitude check refuses it at its cell instead of an OverflowError
        return float(np.sign(int(value))) * np.inf, False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value), False
    raw = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        return None, False
    if _NUMBER_TEXT.match(raw):
        if "," in raw:
            return float(raw.replace(",", ".")), True
        return float(raw), True
    # thousands separators: 1,234,567.89 or 1.234.567,89
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", raw):
        return float(raw.replace(",", "")), True
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", raw):
        return float(raw.replace(".", "").replace(",", ".")), True
    return np.nan, False


def number(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Cells as float64. Numbers stored as text, decimal commas and separators are read.
    An infinite value (``inf``, ``1e999``) is not a number: NA and flagged bad."""
    if series.dtype.kind in "fiu":
        values = series.astype("float64")
        bad = pd.Series(np.isinf(values.to_numpy()), index=series.index)
        none = pd.Series(False, index=series.index)
        return (values.mask(bad) if bad.any() else values), bad, none
    values, lenient = _map_distinct(series, _parse_number)
    out = pd.Series(values, index=series.index).astype("float64")
    out = out.mask(np.isinf(out.to_numpy()))
    present = ~is_blank(series)
    bad = present & out.isna()
    return out, bad, pd.Series(lenient, index=series.index) & ~bad


def _parse_date(value) -> tuple[pd.Timestamp | None, bool]:
    """A date between ``FIRST_DATE`` and ``LAST_DATE`` (else NaT: a bad cell)."""
    try:
        parsed, lenient = _date_of(value)
    except (ValueError, OverflowError):  # out of pandas' range (years 1677–2262) or invalid
        return pd.NaT, False
    if parsed is None or pd.isna(parsed):
        return parsed, lenient
    return (parsed, lenient) if FIRST_DATE <= parsed <= LAST_DATE else (pd.NaT, False)


#: No input number is larger (in absolute value): FLOP counts of the largest training runs are
#: ~1e26; above this a cell (or a setting) is a typing error, and products of such numbers
#: could overflow.
MAX_MAGNITUDE = 1e30
#: Dates outside these are typing errors (year 0, 9999, 1e10), refused as invalid dates.
FIRST_DATE = pd.Timestamp("1900-01-01")
LAST_DATE = pd.Timestamp("2100-12-31")


def _date_of(value) -> tuple[pd.Timestamp | None, bool]:
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return pd.Timestamp(value).normalize(), False
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if 1 <= float(value) < 2_958_466:  # Excel serial day numbers (1900 date system)
            return (_EXCEL_EPOCH + pd.Timedelta(days=int(value))).normalize(), True
        return pd.NaT, False
    raw = str(value).strip()
    if not raw:
        return None, False
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]00:00(:00)?)?", raw):
        try:
            return pd.Timestamp(raw[:10]), False
        except ValueError:
            return pd.NaT, False
    if re.fullmatch(r"\d{5}(\.0+)?", raw):
        return _date_of(float(raw))[0], True
    return pd.NaT, False


def date(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Cells as dates (datetime64). ISO strings, real dates and Excel serials are read."""
    values, lenient = _map_distinct(series, _parse_date)
    out = pd.to_datetime(pd.Series(values, index=series.index), errors="coerce")
    present = ~is_blank(series)
    bad = present & out.isna()
    return out, bad, pd.Series(lenient, index=series.index) & ~bad


def choice(
    series: pd.Series, allowed: tuple[str, ...], known: TextCodes | None = None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Cells matched to an allowed list, ignoring case, spaces and '-' vs '_' (codes kept in
    ``known`` when given)."""
    canonical = {a.lower(): a for a in allowed}

    def parse(value):
        raw = str(value).strip()
        if not raw:
            return None, False
        key = re.sub(r"[\s\-]+", "_", raw.lower())
        if key in canonical:
            return canonical[key], canonical[key] != raw
        return np.nan, False

    codes, uniques = factorize(series, known)
    parsed = [parse(u) for u in uniques]
    out = _as_text(
        codes, [None if isinstance(p[0], float) else p[0] for p in parsed], series.index, known
    )
    unknown = np.array([isinstance(p[0], float) for p in parsed] + [False])[codes]
    lenient = np.array([p[1] for p in parsed] + [False])[codes]
    bad = pd.Series(unknown, index=series.index)
    return out, bad, pd.Series(lenient, index=series.index) & ~bad
