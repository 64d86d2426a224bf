"""CSV injection (OWASP): text that a spreadsheet program would run as a formula when it opens
a CSV file is written with a leading ``'``. Every CSV the engine writes goes through here.

The rule covers a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return,
and their full-width forms (which some programs fold to ASCII). Numbers are never changed (a
negative number is a number); text such as ``-5`` in a text column is. Categorical columns
are changed in their categories, so a million-line ledger costs its distinct values.
"""

from __future__ import annotations

import pandas as pd

#: Text that a spreadsheet program would run as a formula (CSV injection). The full-width
#: forms are the characters themselves (a Python escape, not a regex one): pandas matches a
#: pattern with ``\u`` escapes by Python's ``re`` cell by cell, and this one with Arrow.
FORMULA_START = "^[=+\\-@\\t\\r\uff1d\uff0b\uff0d\uff20]"


def _risky(text: pd.Series) -> pd.Series:
    return text.str.contains(FORMULA_START, regex=True).fillna(False).astype(bool)


def _neutral_text(series: pd.Series) -> tuple[pd.Series, int]:
    text = series.astype("string")
    risky = _risky(text)
    return text.where(~risky, "'" + text), int(risky.sum())


def _neutral_categories(series: pd.Series) -> tuple[pd.Series, int]:
    categories = pd.Series(series.cat.categories).astype("string")
    risky = _risky(categories)
    if not risky.any():
        return series, 0
    fixed = categories.where(~risky, "'" + categories)
    if not fixed.is_unique:  # "'=x" was already a category: change the cells instead
        return _neutral_text(series)
    count = int(pd.Series(series.cat.codes).isin(list(risky[risky].index)).sum())
    return series.cat.rename_categories(list(fixed)), count


def neutralize_formulas(rows: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Text cells that a spreadsheet would read as a formula, prefixed with ``'``; their count."""
    out, changed = rows.copy(deep=False), 0
    for column in rows.columns:
        series = rows[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series, count = _neutral_categories(series)
        elif series.dtype.kind in "biufcmM":
            continue
        else:
            series, count = _neutral_text(series)
        if count:
            out[column] = series
            changed += count
    return out, changed
