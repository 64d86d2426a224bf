"""The ``settings`` sheet: key/value rows → a validated ``Settings`` model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from pydantic import BaseModel, ConfigDict

from lca import coerce
from lca.coerce import MAX_MAGNITUDE
from lca.issues import Issue, Severity, SourceRef, suggest
from lca.read import RawInventory, RawSheet
from lca.spec import ROW, SETTINGS_KEYS, Column

#: A reporting period longer than this (two years) is reported: a slip in a date.
MAX_PERIOD_DAYS = 731
#: A net revenue below one unit of the currency is reported: no organisation has it, and an
#: intensity per unit of it is absurd (per 1e-300: beyond any number).
MIN_NET_REVENUE = 1.0


class Settings(BaseModel):
    """Validated settings of an inventory."""

    model_config = ConfigDict(frozen=True)

    organization: str
    period_start: dt.date
    period_end: dt.date
    currency: str = "EUR"
    consolidation_approach: str = "operational_control"
    capital_goods: str = "acquisition_year"
    net_revenue: float | None = None
    gwp_set: str = "AR6"
    eeio_source: str = "epa_useeio"
    issue_date: dt.date | None = None
    management_statement: str | None = None
    boundary: str | None = None
    legal_entities: str | None = None
    base_year: int | None = None
    recalculation_threshold: float = 5.0
    restatement_reason: str | None = None
    #: Monte Carlo of ``lca.aggregate.uncertainty``: iterations and seed.
    uncertainty_iterations: int = 10_000
    uncertainty_seed: int = 0

    @property
    def year(self) -> int:
        """The year the period ends in: the year used to pick factors."""
        return self.period_end.year

    @property
    def period_days(self) -> int:
        return (self.period_end - self.period_start).days + 1


@dataclass(frozen=True)
class SettingsCells:
    """Where the settings were read: the settings sheet's file and the row of each key given.
    Every issue about a setting is located through ``ref``, never at another input file."""

    file: str
    rows: dict[str, int] = field(default_factory=dict)

    def ref(self, key: str | None = None) -> SourceRef:
        """The cell of setting ``key``: its value's row when the key was given, else the
        settings sheet with the key as column (the key to add); the sheet itself for None."""
        row = self.rows.get(key) if key else None
        column = "value" if row is not None else key
        return SourceRef(file=self.file, sheet="settings", row=row, column=column)


def settings_file(raw: RawInventory) -> str:
    """The file the settings are read from: the settings sheet's; without one, the workbook,
    or the ``settings.csv`` a folder lacks (never another sheet's file)."""
    sheet = raw.sheet("settings")
    if sheet is not None:
        return sheet.file
    if raw.path.is_dir():
        return "settings.csv"
    return raw.inputs[0]["path"] if raw.inputs else str(raw.path)


def settings_cells(sheet: RawSheet | None, file: str, rows: dict[str, int]) -> SettingsCells:
    """The ``SettingsCells`` of a settings sheet read by ``read_values`` (``file`` when the
    sheet is absent)."""
    return SettingsCells(file=sheet.file if sheet else file, rows=dict(rows))


def _cell(kind: str, raw: object, allowed: tuple[str, ...]):
    """Parse one settings value with the column coercers; returns (value, ok)."""
    series = pd.Series([raw], dtype="object")
    if kind == "date":
        values, bad, _ = coerce.date(series)
        value = values.iloc[0]
        return (None if pd.isna(value) else value.date()), not bad.iloc[0]
    if kind in ("number", "integer"):
        values, bad, _ = coerce.number(series)
        value = values.iloc[0]
        if kind == "integer" and not pd.isna(value) and not float(value).is_integer():
            return None, False
        return (
            None if pd.isna(value) else (int(value) if kind == "integer" else float(value))
        ), not bad.iloc[0]
    if kind == "choice":
        values, bad, _ = coerce.choice(series, allowed)
        value = values.iloc[0]
        return (None if pd.isna(value) else str(value)), not bad.iloc[0]
    value = coerce.text(series).iloc[0]
    return (None if pd.isna(value) else str(value)), True


def read_values(
    sheet: RawSheet | None, file: str, currencies: set[str], keys: dict[str, Column] = SETTINGS_KEYS
) -> tuple[dict, dict, list[Issue]]:
    """Parse a key/value settings sheet against ``keys``: the values, their rows and issues.

    Unknown keys are warnings; duplicate keys, unparsable values and unknown currencies are
    errors (the value is dropped). A missing sheet is an error and gives no values.
    """
    issues: list[Issue] = []
    issue = issue_maker(sheet, file, issues)
    if sheet is None or "key" not in sheet.frame.columns:
        issue(
            "missing-sheet",
            "the inventory has no settings sheet (with columns key, value)",
            column=None,
        )
        return {}, {}, issues
    values: dict[str, object] = {}
    rows: dict[str, int] = {}
    frame = sheet.frame
    raw_values = frame["value"] if "value" in frame.columns else pd.Series(None, index=frame.index)
    for key_raw, raw, row in zip(frame["key"], raw_values, frame[ROW], strict=True):
        key = "_".join(str(key_raw).strip().lower().split()) if key_raw is not None else ""
        if not key:
            continue
        if key not in keys:
            issue(
                "unknown-setting",
                f"unknown setting {key!r}" + suggest(key, keys),
                row=row,
                column="key",
                value=str(key_raw),
                severity=Severity.WARNING,
            )
            continue
        if key in values:
            issue("duplicate-key", f"setting {key!r} is given twice", row=row, column="key")
            continue
        spec = keys[key]
        value, ok = _cell(spec.kind, raw, spec.choices)
        if ok and value is not None and not _in_range(value, spec):
            ok = False
        if not ok:
            hint = f"; allowed: {', '.join(spec.choices)}" if spec.choices else ""
            issue(
                "invalid-setting",
                f"setting {key!r}: {raw!r} is not a valid {spec.kind}{_range(spec)}{hint}",
                row=row,
                value=str(raw),
            )
            continue
        if value is not None:
            values[key] = value
            rows[key] = row
    if "currency" in values:
        values["currency"] = str(values["currency"]).upper()
        if values["currency"] not in currencies:
            issue(
                "invalid-setting",
                f"currency {values['currency']!r} is not a known ISO 4217 "
                "code" + suggest(str(values["currency"]), currencies),
                row=rows["currency"],
                value=str(values["currency"]),
            )
            del values["currency"]
    return values, rows, issues


def _in_range(value, spec: Column) -> bool:
    """True when a parsed number is inside the key's ``minimum`` and ``maximum`` (at most
    ``MAX_MAGNITUDE`` in absolute value, as every number of the inventory)."""
    if spec.kind not in ("number", "integer"):
        return True
    return (spec.minimum is None or value >= spec.minimum) and abs(value) <= _maximum(spec)


def _maximum(spec: Column) -> float:
    return MAX_MAGNITUDE if spec.maximum is None else spec.maximum


def _range(spec: Column) -> str:
    """The range a number accepts, as the message states it (" from 100 to 1,000,000")."""
    if spec.kind not in ("number", "integer"):
        return ""
    bound = _maximum(spec)
    high = f"{bound:,.0f}" if bound < 1e15 else f"{bound:g}"
    if spec.minimum is None:
        return f" between -{high} and {high}"
    return f" from {spec.minimum:,g} to {high}"


def issue_maker(sheet: RawSheet | None, file: str, issues: list[Issue]):
    """A function appending a settings-sheet issue (code, message, row …) to ``issues``."""

    def issue(code, message, row=None, column="value", value=None, severity=Severity.ERROR):
        issues.append(
            Issue(
                code=code,
                severity=severity,
                message=message,
                value=value,
                source=SourceRef(
                    file=sheet.file if sheet else file, sheet="settings", row=row, column=column
                ),
            )
        )

    return issue


def read_settings(
    sheet: RawSheet | None, file: str, currencies: set[str]
) -> tuple[Settings | None, SettingsCells, list[Issue]]:
    """Validate the settings sheet: the settings (``None`` when a required key is missing or
    a value is refused), where each was read, and the issues."""
    values, rows, issues = read_values(sheet, file, currencies)
    cells = settings_cells(sheet, file, rows)
    if sheet is None or "key" not in sheet.frame.columns:
        return None, cells, issues
    issue = issue_maker(sheet, file, issues)
    _resolve_period(values, rows, issue)
    revenue = values.get("net_revenue")
    if isinstance(revenue, float) and 0 < revenue < MIN_NET_REVENUE:
        issue(
            "implausible-value",
            f"net_revenue {revenue:g} is less than 1 {values.get('currency', 'EUR')}: an "
            "intensity per unit of it is absurd (or beyond any number, and then not "
            "computable); check the value and its unit",
            row=rows["net_revenue"],
            value=f"{revenue:g}",
            severity=Severity.WARNING,
        )
    if "organization" not in values:
        issue("missing-setting", "setting 'organization' is required", column="key")
    if any(i.severity is Severity.ERROR for i in issues):
        return None, cells, issues
    values.pop("reporting_year", None)
    return Settings(**values), cells, issues


def _resolve_period(values: dict, rows: dict, issue) -> None:
    """Fill period_start/period_end from reporting_year, and check their order. A year outside
    the dates lca reads is refused; one that contradicts a given period is a warning (the
    period is used)."""
    year = values.get("reporting_year")
    first, last = coerce.FIRST_DATE.year, coerce.LAST_DATE.year
    if year is not None and not first <= year <= last:
        issue(
            "invalid-setting",
            f"reporting_year {year} is not a year between {first} and {last}",
            row=rows.get("reporting_year"),
            value=str(year),
        )
        del values["reporting_year"]
        year = None
    given = [k for k in ("period_start", "period_end") if k in values]
    if year is not None and not given:
        values["period_start"] = dt.date(year, 1, 1)
        values["period_end"] = dt.date(year, 12, 31)
    elif year is not None and "period_end" in values and values["period_end"].year != year:
        issue(
            "inconsistent-columns",
            f"reporting_year {year} contradicts period_end "
            f"{values['period_end']}; the period is used",
            row=rows.get("reporting_year"),
            value=str(year),
            severity=Severity.WARNING,
        )
    if "period_start" not in values or "period_end" not in values:
        issue(
            "missing-setting",
            "the reporting period is required: period_start and period_end, or reporting_year",
            column="key",
        )
        return
    if values["period_end"] < values["period_start"]:
        issue(
            "date-order",
            "period_end is before period_start",
            row=rows.get("period_end"),
            value=str(values["period_end"]),
        )
    elif (values["period_end"] - values["period_start"]).days + 1 > MAX_PERIOD_DAYS:
        issue(
            "implausible-value",
            f"the reporting period from {values['period_start']} to {values['period_end']} "
            f"is longer than two years ({MAX_PERIOD_DAYS} days); an inventory covers one "
            "reporting period (usually 12 months): check the dates",
            row=rows.get("period_end"),
            value=str(values["period_end"]),
            severity=Severity.WARNING,
        )
