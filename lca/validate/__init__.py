"""Stage 2 — validate: raw sheets → typed frames of accepted rows, plus issues.

Generic column checks come from ``lca.spec`` (kind, required, choices, minimum); the rules
that involve several columns or sheets (references, duplicates, date order, unit dimension)
live in ``lca.validate.rules``. A row with any error is rejected: it leaves the frame and is
counted in ``rows_rejected``. Everything is collected in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lca import coerce
from lca.coerce import MAX_MAGNITUDE
from lca.factors.library import FactorLibrary
from lca.issue_log import IssueLog
from lca.issues import Issue, Severity, suggest
from lca.read import RawInventory, RawSheet
from lca.spec import FILE, ROW, SHEETS, Column, Sheet
from lca.units import currencies
from lca.validate.rules import apply_rules
from lca.validate.settings import Settings, SettingsCells, read_settings, settings_file


@dataclass
class Inventory:
    """A validated inventory: settings, typed sheets of accepted rows, and row counts."""

    path: Path
    settings: Settings | None
    sheets: dict[str, pd.DataFrame]
    inputs: list[dict]
    rows_read: dict[str, int] = field(default_factory=dict)
    rows_rejected: dict[str, int] = field(default_factory=dict)
    #: Files not read as a sheet (``RawInventory.unread``), for reconciliation.
    unread: list[dict] = field(default_factory=list)
    #: Where each setting was read: every issue about a setting is located by
    #: ``settings_cells.ref(key)``.
    settings_cells: SettingsCells = field(default_factory=lambda: SettingsCells(file=""))
    #: Codes of the sheets' text columns, made while validating (``coerce.factorize``).
    text_codes: coerce.TextCodes = field(default_factory=coerce.TextCodes)
    #: Per validated sheet: its cells as found in the file (``RawSheet.frame``: every row read,
    #: with ``_row``), so the workbook can show what the user typed beside what was read.
    raw: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: The settings sheet as found (``RawSheet.frame``; None without one), for the workbook's
    #: In-settings: the cells as the user typed them, which ``settings`` does not keep.
    settings_raw: pd.DataFrame | None = None

    @property
    def valid_settings(self) -> Settings:
        """The settings, for the stages that run only when they validated (map, ledger,
        aggregate, report); raises if called on an inventory whose settings were refused."""
        if self.settings is None:
            raise ValueError(f"{self.path}: the settings did not validate; nothing to compute")
        return self.settings

    def sheet(self, name: str) -> pd.DataFrame:
        """The accepted rows of a sheet (an empty frame with the spec's columns if absent)."""
        if name in self.sheets:
            return self.sheets[name]
        return empty_sheet(SHEETS[name])


#: dtype of a typed column by its kind; every other kind is text (``string``).
_NUMPY_DTYPES = {"number": "float64", "integer": "float64", "date": "datetime64[ns]"}


def blank_column(column: Column, index: pd.Index) -> pd.Series:
    """An all-blank column of the right dtype for an absent optional column."""
    if column.kind in _NUMPY_DTYPES:
        return pd.Series(np.nan, index=index, dtype=_NUMPY_DTYPES[column.kind])
    return pd.Series(pd.NA, index=index, dtype="string")


def empty_sheet(spec: Sheet) -> pd.DataFrame:
    """A sheet with no rows, with the spec's columns in the dtypes of ``blank_column`` (built
    from empty arrays: asked for every absent sheet of every run, a frame of Series costs
    four times as much)."""
    columns = {
        c.name: np.array([], dtype=_NUMPY_DTYPES[c.kind])
        if c.kind in _NUMPY_DTYPES
        else pd.array([], dtype="string")
        for c in spec.columns
    }
    return pd.DataFrame(
        {**columns, ROW: np.array([], dtype="int64"), FILE: pd.array([], dtype="string")}
    )


def is_year(name: str) -> bool:
    """A column holding a calendar year (``spend_year``, ``vintage``, a factor's ``year``):
    its years are those of the dates lca reads."""
    return name in ("year", "vintage") or name.endswith("_year")


def typed_column(
    column: Column, raw: pd.Series, log: IssueLog, currencies: set[str], countries: dict[str, str]
) -> pd.Series:
    """Coerce one raw column by its spec kind, logging unreadable and lenient cells."""
    name = column.name
    if column.kind in ("number", "integer"):
        values, bad, lenient = coerce.number(raw)
        log.cells(bad, "invalid-number", name, lambda v: f"{name}: {v!r} is not a (finite) number")
        log.summary(
            lenient,
            "value-normalized",
            name,
            "read as numbers from text (decimal comma or separators)",
        )
        if column.kind == "integer":
            fractional = values.notna() & (values % 1 != 0)
            log.cells(
                fractional, "not-an-integer", name, lambda v: f"{name}: {v} must be a whole number"
            )
        if column.kind == "integer" and is_year(name):
            first, last = coerce.FIRST_DATE.year, coerce.LAST_DATE.year
            log.cells(
                ((values < first) | (values > last)) & (values.abs() <= MAX_MAGNITUDE),
                "out-of-range",
                name,
                lambda v: f"{name}: {v} is not a year between {first} and {last}",
            )
        huge = values.abs() > MAX_MAGNITUDE
        log.cells(
            huge,
            "out-of-range",
            name,
            lambda v: (
                f"{name}: {v} is beyond any real quantity (more than "
                f"{MAX_MAGNITUDE:.0e} in absolute value)"
            ),
        )
        if column.minimum is not None:
            negative = values < min(column.minimum, 0) if column.minimum <= 0 else values < 0
            log.cells(
                negative,
                "negative-value",
                name,
                lambda v: f"{name}: {v} is negative; it must be ≥ {column.minimum:g}",
            )
            low = (values >= 0) & (values < column.minimum)
            log.cells(
                low,
                "out-of-range",
                name,
                lambda v: f"{name}: {v} is below the minimum {column.minimum:g}",
            )
        return values
    if column.kind == "date":
        values, bad, lenient = coerce.date(raw)
        log.cells(
            bad,
            "invalid-date",
            name,
            lambda v: (
                f"{name}: {v!r} is not a date between "
                f"{coerce.FIRST_DATE:%Y-%m-%d} and {coerce.LAST_DATE:%Y-%m-%d} "
                "(use YYYY-MM-DD)"
            ),
        )
        log.summary(lenient, "value-normalized", name, "read as dates from Excel serial numbers")
        return values
    if column.kind == "choice":
        values, bad, lenient = coerce.choice(raw, column.choices, log.codes)
        log.cells(
            bad,
            "invalid-choice",
            name,
            lambda v: (
                f"{name}: {v!r} is not one of {', '.join(column.choices)}"
                + suggest(v, column.choices)
            ),
        )
        log.summary(lenient, "value-normalized", name, "matched ignoring case or spaces")
        return values
    values = coerce.text(raw, log.codes)
    if column.kind == "country":
        return country_column(values, log, name, countries)
    if column.kind == "currency":
        upper = values.str.upper()
        unknown = upper.notna() & ~upper.isin(list(currencies))
        log.cells(
            unknown,
            "invalid-choice",
            name,
            lambda v: f"{name}: {v!r} is not a supported ISO 4217 currency",
        )
        recased = (upper != values).fillna(False) & ~unknown
        log.summary(recased, "value-normalized", name, "read in upper case")
        return upper
    return values


def country_column(
    values: pd.Series, log: IssueLog, name: str, countries: dict[str, str]
) -> pd.Series:
    """Countries as ISO alpha-2: alpha-2, alpha-3 and unambiguous names are accepted."""
    key = values.str.strip().str.lower()
    mapped = key.map(countries).astype("string")
    unknown = values.notna() & mapped.isna()
    log.cells(
        unknown,
        "unknown-country",
        name,
        lambda v: (
            f"{name}: {v!r} is not an ISO 3166 country code or name"
            + suggest(v, [k.upper() for k in countries if len(k) == 2])
        ),
    )
    named = values.notna() & mapped.notna() & (key.str.len() > 2)
    read_as = "given as country names or alpha-3 codes, read as ISO codes"
    log.summary(named, "value-normalized", name, read_as)
    return mapped


def country_lookup(library: FactorLibrary) -> dict[str, str]:
    """alpha-2, alpha-3 and lower-case names → alpha-2, from the library's countries table."""
    table = library.table("countries")
    lookup: dict[str, str] = {}
    for alpha2, alpha3, name in zip(table["alpha2"], table["alpha3"], table["name"], strict=True):
        lookup[str(alpha2).lower()] = str(alpha2).upper()
        if isinstance(alpha3, str):
            lookup[alpha3.lower()] = str(alpha2).upper()
        if isinstance(name, str):
            lookup[name.strip().lower()] = str(alpha2).upper()
    return lookup


def currencies_known() -> set[str]:
    """ISO codes defined as currency units in factors/units.txt."""
    return set(currencies())


def validate_sheet(
    raw: RawSheet,
    currencies: set[str],
    countries: dict[str, str],
    spec: Sheet | None = None,
    codes: coerce.TextCodes | None = None,
) -> tuple[pd.DataFrame, IssueLog]:
    """Typed columns of one sheet (all rows) and its issue log (rejections not yet applied).

    ``spec`` defaults to the inventory format's sheet of that name; the codes of the text
    columns made are kept in ``codes`` when given."""
    spec = spec or SHEETS[raw.name]
    frame = raw.frame
    log = IssueLog(raw.name, raw.file, frame, codes)
    typed = {}
    for column in spec.columns:
        if column.name not in frame.columns:
            typed[column.name] = blank_column(column, frame.index)
            continue
        if column.required:
            log.cells(
                coerce.is_blank(frame[column.name]),
                "missing-value",
                column.name,
                f"{column.name} is required",
            )
        typed[column.name] = typed_column(column, frame[column.name], log, currencies, countries)
    out = pd.DataFrame(typed, index=frame.index)
    out[ROW] = frame[ROW].to_numpy()
    out[FILE] = raw.file
    return out, log


def reject_read_errors(log: IssueLog, read_issues: list[Issue]) -> None:
    """Reject the rows a read-time error points at (formula without value, cell too long)."""
    rows = {
        i.source.row
        for i in read_issues
        if i.severity is Severity.ERROR and i.source.sheet == log.sheet and i.source.row is not None
    }
    if rows:
        log.rejected |= log.frame[ROW].isin(list(rows)).to_numpy()


def validate(raw: RawInventory, library: FactorLibrary) -> tuple[Inventory, list[Issue]]:
    """Validate every sheet; returns the inventory of accepted rows and all issues."""
    issues = list(raw.issues)
    if not raw.sheets and any(i.severity is Severity.ERROR for i in issues):
        return Inventory(
            path=raw.path, settings=None, sheets={}, inputs=raw.inputs, unread=raw.unread
        ), issues
    currencies = currencies_known()
    settings_sheet = raw.sheet("settings")
    settings, cells, found = read_settings(settings_sheet, settings_file(raw), currencies)
    issues += found
    countries = country_lookup(library)
    typed, logs, codes = {}, {}, coerce.TextCodes()
    for name, sheet in raw.sheets.items():
        if name == "settings" or any(
            i.code == "missing-column" and i.source.sheet == name for i in raw.issues
        ):
            continue
        typed[name], logs[name] = validate_sheet(sheet, currencies, countries, codes=codes)
    if settings is not None:
        apply_rules(typed, logs, settings)
    sheets, rows_read, rows_rejected = {}, {}, {}
    for name, sheet in raw.sheets.items():
        rows_read[name] = len(sheet.frame)
        if name not in typed:  # settings, or a sheet without its required columns
            rows_rejected[name] = 0 if name == "settings" else len(sheet.frame)
            continue
        log = logs[name]
        reject_read_errors(log, raw.issues)
        issues += log.issues
        keep = ~log.rejected
        accepted = typed[name] if keep.all() else typed[name][keep]  # no copy when all pass
        sheets[name] = accepted.reset_index(drop=True)
        rows_rejected[name] = int(log.rejected.sum())
    codes.retain(sheets.values())
    return Inventory(
        path=raw.path,
        settings=settings,
        sheets=sheets,
        inputs=raw.inputs,
        unread=raw.unread,
        settings_cells=cells,
        rows_read=rows_read,
        rows_rejected=rows_rejected,
        text_codes=codes,
        raw={name: raw.sheets[name].frame for name in sheets},
        settings_raw=None if settings_sheet is None else settings_sheet.frame,
    ), issues
