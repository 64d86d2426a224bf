"""Once per distinct value: codes for combinations of columns, so that a rule stated for one
line is computed once per distinct line and taken back to every line."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

#: Mixed-radix keys are renumbered before they would pass this bound (int64's range).
KEY_LIMIT = 1 << 62


def combine(codes: Iterable[np.ndarray], n: int) -> np.ndarray:
    """One code per position (``n`` of them) for the tuples of ``codes`` (integer codes, −1
    allowed; an iterable, so that a generator holds one column at a time), in order of first
    appearance. The columns are packed into one integer key (mixed radix), renumbered only
    when the next column would pass ``KEY_LIMIT``, then once at the end."""
    out = np.zeros(n, dtype=np.int64)
    bound = 1  # every key < bound
    for code in codes:
        code = np.asarray(code, dtype=np.int64) + 1  # −1 (missing) → 0
        radix = int(code.max(initial=0)) + 1
        if bound * radix > KEY_LIMIT:
            out = pd.factorize(out, sort=False)[0]
            bound = int(out.max(initial=-1)) + 1
        out = out * radix + code
        bound *= radix
    return pd.factorize(out, sort=False)[0].astype(np.int64)


def of_columns(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code of each row's combination of ``columns`` (NA a value of its own) and the
    index of the first row of each code."""
    codes = combine((pd.factorize(frame[c], use_na_sentinel=True)[0] for c in columns), len(frame))
    if not len(codes):
        return codes, codes
    new = np.r_[True, codes[1:] > np.maximum.accumulate(codes)[:-1]]  # codes come in order
    return codes, np.flatnonzero(new)


def per_distinct(frame: pd.DataFrame, columns: list[str], rule) -> pd.DataFrame:
    """``rule`` (of a frame of ``columns``, giving a frame row for row) of the distinct rows
    of ``frame[columns]``, taken back to every row of ``frame``: ``rule(frame[columns])``,
    computed once per distinct row (the 25,521 usage groups of the benchmark's CUR hold
    2,280 distinct usages: ``lca.importers.aws_cur.classify``)."""
    codes, first = of_columns(frame, columns)
    return rule(frame[columns].iloc[first]).iloc[codes].set_axis(frame.index)


def lookup(column: pd.Series, table: dict, default=np.nan) -> np.ndarray:
    """``table[str(value)]`` of each cell (``default`` where absent; NA reads as ""), looked
    up once per distinct value."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return lookup_codes(codes, uniques, table, default)


def lookup_codes(codes: np.ndarray, uniques, table: dict, default=np.nan) -> np.ndarray:
    """``lookup`` of a column given as its ``pd.factorize`` (NA coded −1)."""
    found = [table.get(str(u), default) for u in uniques] + [table.get("", default)]
    return np.asarray(found)[codes]
