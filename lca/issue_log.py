"""Issues of one sheet's cells, collected column by column (the validator's and the activities'
log): repeated cell issues capped, rejected rows marked. Apart from ``lca.issues`` so that
printing issues (the CLI) does not import pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.coerce import TextCodes
from lca.issues import Issue, Severity, SourceRef
from lca.spec import ROW

#: At most this many issues of one code are listed per sheet and column; the rest are counted.
MAX_LISTED = 200


def as_mask(mask) -> np.ndarray:
    """A boolean array from a mask that may hold missing values (NA counts as False: a rule
    comparing a blank cell flags nothing; blanks have their own issue)."""
    if isinstance(mask, pd.Series) and mask.dtype != bool:
        mask = mask.fillna(False)
    return np.asarray(mask, dtype=bool)


class IssueLog:
    """Collects issues for one sheet, capping repeated cell issues and marking rejected rows.

    ``codes`` keeps the codes of the text columns the sheet's checks make (the inventory's
    ``TextCodes`` while validating, so later stages group by them without hashing again)."""

    def __init__(self, sheet: str, file: str, frame: pd.DataFrame, codes: TextCodes | None = None):
        self.sheet, self.file, self.frame = sheet, file, frame
        self.codes = codes if codes is not None else TextCodes()
        self.issues: list[Issue] = []
        self.rejected = np.zeros(len(frame), dtype=bool)

    def cells(
        self,
        mask: pd.Series,
        code: str,
        column: str | None,
        message,
        *,
        severity: Severity = Severity.ERROR,
        values: pd.Series | None = None,
    ) -> None:
        """One issue per flagged row (up to MAX_LISTED, then a count). ``message`` may be a
        callable taking the cell value."""
        positions = np.flatnonzero(as_mask(mask))
        if not len(positions):
            return
        if severity is Severity.ERROR:
            self.rejected[positions] = True
        rows = self.frame[ROW].to_numpy()
        shown = (
            values
            if values is not None
            else (self.frame[column] if column in self.frame.columns else None)
        )
        for position in positions[:MAX_LISTED]:
            value = None if shown is None else shown.iloc[position]
            value = (
                None
                if value is None or (not isinstance(value, str) and pd.isna(value))
                else str(value)
            )
            text = message(value) if callable(message) else message
            self.issues.append(
                Issue(
                    code=code,
                    severity=severity,
                    message=text,
                    value=value,
                    source=SourceRef(
                        file=self.file, sheet=self.sheet, row=int(rows[position]), column=column
                    ),
                )
            )
        if len(positions) > MAX_LISTED:
            self.issues.append(
                Issue(
                    code=code,
                    severity=severity,
                    message=f"… and {len(positions) - MAX_LISTED} more rows with the same problem",
                    source=SourceRef(file=self.file, sheet=self.sheet, column=column),
                )
            )

    def summary(self, mask: pd.Series, code: str, column: str, message: str) -> None:
        """One warning for all cells of a column that were read leniently."""
        count = int(np.count_nonzero(as_mask(mask)))
        if count:
            first = int(self.frame[ROW].to_numpy()[np.flatnonzero(as_mask(mask))[0]])
            self.issues.append(
                Issue(
                    code=code,
                    severity=Severity.WARNING,
                    message=f"{count} cell(s) {message}; first at row {first}",
                    source=SourceRef(file=self.file, sheet=self.sheet, row=first, column=column),
                )
            )
