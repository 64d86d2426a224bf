"""Problems found in user input, as data.

An ``Issue`` has a stable kebab-case ``code``, a ``severity``, a human ``message`` and a
``SourceRef`` (file, sheet, row, column). Stages append issues and carry on; nothing stops at
the first problem. ``CODES`` is the catalogue of every code with its meaning: a code used in
the engine but missing here is a bug (tests check it).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    """How bad an issue is. ``error`` rejects the row (or the run); the others are disclosed."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class SourceRef(BaseModel):
    """Where a value came from: file, sheet, spreadsheet row number (header = row 1), column."""

    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(str(self.row))
        text = ":".join(parts)
        return f"{text} [{self.column}]" if self.column else text


class Issue(BaseModel):
    """One problem, with the value that caused it when there is one."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    source: SourceRef
    value: str | None = None

    def __str__(self) -> str:
        return f"{self.source}: {self.severity.value}: {self.message} ({self.code})"

    def to_json(self) -> dict:
        """The results.json form of the issue."""
        out = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "source": self.source.model_dump(exclude_none=True),
        }
        if self.value is not None:
            out["value"] = self.value
        return out


#: Every issue code, with what it means. Kept sorted by stage.
CODES: dict[str, str] = {
    # reading
    "file-not-found": "The inventory path does not exist.",
    "file-unreadable": "The file cannot be opened as a workbook or CSV (corrupt, encrypted, "
    "wrong format).",
    "file-refused": "The file is refused for safety (macro workbook, zip bomb, XML entities, "
    "size limits, a symbolic link, pipe or device).",
    "encoding-guessed": "A CSV file was not UTF-8; the encoding that was used is named.",
    "delimiter-guessed": "A CSV file used another delimiter than the comma; the one used is named.",
    "unknown-sheet": "A sheet or CSV file whose name is not a sheet of the inventory format.",
    "unknown-file": "A file of an inventory folder that is not a CSV file; it is not read.",
    "unbalanced-quote": "A CSV cell whose opening quote has no closing quote merged the lines "
    "after it.",
    "missing-sheet": "A required sheet (settings) is absent.",
    "missing-column": "A required column is absent from a sheet.",
    "unknown-column": "A column that the format does not know; it is ignored.",
    "duplicate-column": "The same column name appears twice in a sheet.",
    "formula-without-value": "A formula cell has no cached value (the workbook was never "
    "recalculated).",
    "formula-value-used": "A formula cell: its cached value was used, the formula was not "
    "evaluated.",
    "hidden-content": "A hidden sheet, row or column was read.",
    "control-characters": "Cells held control characters (NUL, escape …); they were removed.",
    "cell-too-long": "A cell exceeds the length limit and was refused.",
    "row-too-long": "A sheet is wider than the column limit; the columns past it were not read.",
    "duplicate-sheet": "Two sheets of a workbook (or files of a folder) have the same inventory "
    "name; the second is not read.",
    "duplicate-row": "A workbook file gives one row number to several rows; only one can be read.",
    "merged-header": "The header row uses merged cells over two rows; names were taken from both.",
    # settings
    "missing-setting": "A required setting is absent.",
    "invalid-setting": "A setting has a value outside what it accepts.",
    "unknown-setting": "A setting key that the format does not know.",
    # values
    "missing-value": "A required cell is blank.",
    "invalid-number": "A cell that must be a number is not one.",
    "invalid-date": "A cell that must be a date is not one.",
    "invalid-choice": "A cell holds a value outside the allowed list.",
    "negative-value": "A quantity that must not be negative is negative.",
    "out-of-range": "A number outside the range the column allows.",
    "not-an-integer": "A count that must be a whole number is not.",
    "value-normalized": "A value was read leniently (number as text, decimal comma, case, spaces).",
    "unknown-unit": "A unit that cannot be parsed.",
    "unit-dimension": "A unit of the wrong kind for the column (e.g. litres for electricity).",
    "unknown-country": "A country that is not an ISO 3166 code or an unambiguous name.",
    "duplicate-key": "A value that must be unique appears twice.",
    "unknown-reference": "A reference to something that does not exist (site_id, asset_id, "
    "option).",
    "date-order": "Dates in the wrong order (end before start, retired before acquired).",
    "date-outside-period": "A date that puts the row outside the reporting period.",
    "missing-evidence": "A supplier-specific value without the document it comes from.",
    "implausible-value": "A value no real inventory holds (PUE above 3, a 40-year lifetime, a "
    "leak above the charge); check it.",
    "invisible-characters": "An identifier holds zero-width or text-direction characters; they "
    "were removed.",
    "inconsistent-columns": "Columns of one row contradict each other.",
    # factors
    "unknown-factor-key": "No factor in the library or the inventory matches this row.",
    "factor-fallback": "A less specific factor was used (a fallback disclosed for audit).",
    "factor-year-mismatch": "The factor's year differs from the reporting year.",
    "market-based-fallback": "Market-based scope 2 used the residual mix or the location-based "
    "factor.",
    "invalid-factor": "A row of the inventory's own factors sheet is unusable, or a row that "
    "would use such a factor (rejected).",
    "unused-factor": "A row of the inventory's own factors sheet that no ledger line uses.",
    "partial-meter-coverage": "A site's electricity bills cover less than the reporting period; "
    "its equipment use on the other days is counted.",
    "currency-conversion": "A spend was converted between currencies or price years.",
    # claims
    "claim-refused": "Text that would put a claim of neutrality or compensation in a report.",
    "claim-review": "A generic or forward-looking environmental claim that a person must "
    "substantiate.",
    # budgets, compare, imports
    "budget-exceeded": "A carbon budget is exceeded by the actual footprint.",
    "tracker-figure": "A tracker's own figure (e.g. CodeCarbon emissions), shown beside lca's.",
    "estimated-range": "A figure computed over a range (a model whose parameters are not "
    "published): both ends are carried, the mean of the bounds counted.",
    "not-used": "A column recorded in the inventory that the method does not use.",
    "double-counting-risk": "The same activity may be counted twice (provider-reported and "
    "estimated cloud rows for one provider and region; in a comparison, "
    "electricity at a site whose devices' use is also counted).",
    # prior years, base year, targets
    "prior-year-order": "A --prior inventory is not of an earlier year than the reporting "
    "year, or its year is given twice; it is left out.",
    "prior-reported-unreadable": "A --prior-reported file is not a results.json with "
    "period.end and totals.",
    "prior-reported-unmatched": "A --prior-reported results.json is of a year without a "
    "--prior inventory, or a second one for a year.",
    "base-year-missing": "Priors or targets are given but no base_year setting.",
    "base-year-unknown": "The base_year setting is neither the reporting year nor a prior's year.",
    "target-base-year-unknown": "A target's base_year is neither the reporting year nor a "
    "prior's year: its progress cannot be measured.",
    "target-denominator-missing": "An intensity target's denominator setting is absent (or 0) "
    "in its base year or the reporting year.",
    "not-computable": "A ratio (an intensity, a % change, a share) whose denominator is so "
    "close to 0 that the result is beyond any number: given as null (or the target not "
    "measured), never as an infinite number.",
    # GWP set
    "gwp-set-mixed": "Counted lines use factors published on another IPCC GWP set than the "
    "report's, or whose publisher does not state one, and whose split by gas is unknown: "
    "used as published, each line's set in the ledger's gwp_set column.",
}


def suggest(value: str, choices: Iterable[str], n: int = 1) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice, or '' when nothing is close."""
    lowered = {str(c).lower(): str(c) for c in choices}
    close = difflib.get_close_matches(str(value).lower(), list(lowered), n=n, cutoff=0.6)
    if not close:
        return ""
    names = " or ".join(f"'{lowered[c]}'" for c in close)
    return f" (did you mean {names}?)"


def has_errors(issues: Iterable[Issue]) -> bool:
    """True when any issue is an error."""
    return any(i.severity is Severity.ERROR for i in issues)
