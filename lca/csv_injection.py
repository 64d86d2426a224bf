"""CSV injection (OWASP): text that a spreadsheet program would run as a formula when it opens
a CSV file is written with a leading ``'``. Every CSV the engine writes goes through here."""

from __future__ import annotations

import pandas as pd

#: Text that a spreadsheet program would run as a formula (CSV injection).
FORMULA_START = r"^[=+\-@\t\r]"


def neutralize_formulas(rows: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Text cells that a spreadsheet would read as a formula, prefixed with ``'``; their count."""
    rows, changed = rows.copy(), 0
    for column in rows.columns:
        if rows[column].dtype.kind in "biufcmM":
            continue
        text = rows[column].astype("string")
        risky = text.str.contains(FORMULA_START, regex=True).fillna(False).astype(bool)
        if risky.any():
            rows[column] = text.where(~risky, "'" + text)
            changed += int(risky.sum())
    return rows, changed
