"""Read an options workbook: the comparison's settings, the options, and per option the
inventory of its rows (blank ``option`` = every option), validated by ``lca.validate``.

Each option's rows are validated as one inventory whose reporting period is the whole horizon,
so every problem is the inventory's own issue (code, sheet, row, column); a row shared by all
options is reported once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict

from lca import coerce
from lca.compare.spec import (
    COMPARE_SETTINGS_KEYS,
    COMPARE_SHEETS,
    DEFAULT_HIGH_CARBON_COUNTRY,
    DEFAULT_LOW_CARBON_COUNTRY,
    OPTION,
    OPTION_SHEETS,
)
from lca.factors.library import FactorLibrary
from lca.issue_log import IssueLog
from lca.issues import Issue, Severity, SourceRef, suggest
from lca.read import RawInventory, RawSheet, read_inventory
from lca.spec import FILE, ROW
from lca.validate import Inventory, country_lookup, currencies_known, validate, validate_sheet
from lca.validate.rules import _duplicates as duplicates
from lca.validate.settings import (
    Settings,
    SettingsCells,
    issue_maker,
    read_values,
    settings_cells,
    settings_file,
)

DEFAULT_ORGANIZATION = "Procurement comparison"
#: Longest horizon compared (each year is one run of the engine per option and case).
MAX_HORIZON_YEARS = 50
#: Options × years of one comparison (each is a yearly inventory computed, then its
#: sensitivity cases): 20 options over 50 years, or 100 over 10, finish in minutes.
MAX_OPTION_YEARS = 1000
#: Fewer functional units a year than this would overflow the figures per functional unit
#: (1e-320 is a positive number: its reciprocal is infinite).
MIN_FUNCTIONAL_UNITS = 1e-6
#: Monte Carlo draws a comparison keeps (iterations × options × (years + 1) figures): 800 MB.
MAX_DRAWS = 100_000_000


class CompareSettings(BaseModel):
    """Validated settings of an options workbook."""

    model_config = ConfigDict(frozen=True)

    horizon_years: int
    start_date: dt.date
    functional_unit: str
    functional_unit_per_year: float
    organization: str = DEFAULT_ORGANIZATION
    currency: str = "EUR"
    gwp_set: str = "AR6"
    capital_goods: str = "amortized"
    low_carbon_country: str = DEFAULT_LOW_CARBON_COUNTRY
    high_carbon_country: str = DEFAULT_HIGH_CARBON_COUNTRY
    #: Monte Carlo of ``lca.compare.uncertainty`` (the annual report's settings and defaults).
    uncertainty_iterations: int = Settings.model_fields["uncertainty_iterations"].default
    uncertainty_seed: int = Settings.model_fields["uncertainty_seed"].default

    def year_start(self, index: int) -> dt.date:
        """First day of year ``index`` of the horizon (0-based; ``horizon_years`` = the end)."""
        return shift_years(self.start_date, index)

    @property
    def end_exclusive(self) -> dt.date:
        return self.year_start(self.horizon_years)

    def engine_settings(self, start: dt.date, end_exclusive: dt.date) -> Settings:
        """The annual engine's settings for the period ``[start, end_exclusive)``."""
        return Settings(
            organization=self.organization,
            period_start=start,
            period_end=end_exclusive - dt.timedelta(days=1),
            currency=self.currency,
            gwp_set=self.gwp_set,
            capital_goods=self.capital_goods,
        )


def monte_carlo_draws(settings: CompareSettings, options: int) -> int:
    """The draws the comparison's Monte Carlo keeps: each option's total and each year's."""
    return settings.uncertainty_iterations * options * (settings.horizon_years + 1)


def shift_years(date: dt.date, years: int) -> dt.date:
    """``date`` plus whole calendar years (29 February → 28 February)."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


@dataclass
class OptionsWorkbook:
    """What was read: settings, the options (name, description) and each option's inventory."""

    path: Path
    settings: CompareSettings | None
    options: pd.DataFrame
    inventories: dict[str, Inventory]
    inputs: list[dict]
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.severity is Severity.ERROR for i in self.issues)


def read_options(path: str | Path, library: FactorLibrary) -> OptionsWorkbook:
    """Read and validate the options workbook (xlsx or CSV folder) at ``path``."""
    raw = read_inventory(path, COMPARE_SHEETS)
    issues = list(raw.issues)
    countries = country_lookup(library)
    settings, cells, found = read_compare_settings(
        raw.sheet("settings"), settings_file(raw), countries
    )
    issues += found
    options, found = read_options_sheet(raw, countries)
    issues += found
    if settings is not None and len(options) * settings.horizon_years > MAX_OPTION_YEARS:
        issues.append(
            Issue(
                code="invalid-setting",
                severity=Severity.ERROR,
                value=str(settings.horizon_years),
                source=cells.ref("horizon_years"),
                message=f"{len(options)} options over {settings.horizon_years} years are "
                f"{len(options) * settings.horizon_years:,} yearly inventories to compute, "
                f"more than the limit of {MAX_OPTION_YEARS:,}: compare fewer options (or a "
                "shorter horizon) per workbook",
            )
        )
        options = options.iloc[0:0]
    elif settings is not None and monte_carlo_draws(settings, len(options)) > MAX_DRAWS:
        issues.append(
            Issue(
                code="invalid-setting",
                severity=Severity.ERROR,
                value=str(settings.uncertainty_iterations),
                source=cells.ref("uncertainty_iterations"),
                message=f"{settings.uncertainty_iterations:,} iterations of "
                f"{len(options)} options' totals and years are "
                f"{monte_carlo_draws(settings, len(options)):,} draws to keep, more than the "
                f"limit of {MAX_DRAWS:,}: give fewer iterations (the default 10,000 is "
                "within 1 %)",
            )
        )
        options = options.iloc[0:0]
    inventories: dict[str, Inventory] = {}
    if settings is not None and len(options):
        names = list(options[OPTION])
        per_option, found = split_rows(raw, names)
        issues += found
        engine = settings.engine_settings(settings.start_date, settings.end_exclusive)
        for name in names:
            sheets = {**per_option[name], "settings": settings_sheet(engine, raw)}
            option_raw = RawInventory(path=raw.path, sheets=sheets, inputs=raw.inputs)
            inventories[name], found = validate(option_raw, library)
            # the engine's settings sheet is lca's, made for the horizon from the settings
            # checked above: its issues are none of the user's (a horizon is longer than the
            # two years of a reporting period), and later ones are located at the user's sheet
            inventories[name].settings_cells = cells
            issues += [i for i in found if i.source.sheet != "settings"]
            issues += metered_device_sites(inventories[name])
    return OptionsWorkbook(
        path=raw.path,
        settings=settings,
        options=options,
        inventories=inventories,
        inputs=raw.inputs,
        issues=unique(issues),
    )


def read_compare_settings(
    sheet: RawSheet | None, file: str, countries: dict[str, str]
) -> tuple[CompareSettings | None, SettingsCells, list[Issue]]:
    """The comparison's settings (``COMPARE_SETTINGS_KEYS``; None when one is unusable),
    where each was read, and the issues."""
    values, rows, issues = read_values(sheet, file, currencies_known(), COMPARE_SETTINGS_KEYS)
    cells = settings_cells(sheet, file, rows)
    if sheet is None or "key" not in sheet.frame.columns:
        return None, cells, issues
    issue = issue_maker(sheet, file, issues)
    if values.get("horizon_years", 0) > MAX_HORIZON_YEARS:
        issue(
            "invalid-setting",
            f"setting 'horizon_years': {values['horizon_years']} is more "
            f"than the {MAX_HORIZON_YEARS} years a comparison covers",
            row=rows["horizon_years"],
            value=str(values["horizon_years"]),
        )
        del values["horizon_years"]
    if values.get("functional_unit_per_year", MIN_FUNCTIONAL_UNITS) < MIN_FUNCTIONAL_UNITS:
        issue(
            "invalid-setting",
            "setting 'functional_unit_per_year' must be at least "
            f"{MIN_FUNCTIONAL_UNITS:g} (figures per functional unit divide by it)",
            row=rows["functional_unit_per_year"],
            value=f"{values['functional_unit_per_year']:g}",
        )
        del values["functional_unit_per_year"]
    for key in ("low_carbon_country", "high_carbon_country"):
        if key in values:
            code = countries.get(str(values[key]).strip().lower())
            if code is None:
                issue(
                    "unknown-country",
                    f"setting {key!r}: {values[key]!r} is not a country "
                    "of the factor library"
                    + suggest(str(values[key]), [k for k in countries if len(k) == 2]),
                    row=rows[key],
                    value=str(values[key]),
                )
                continue
            values[key] = code
    for key, column in COMPARE_SETTINGS_KEYS.items():
        reported = any(f"setting {key!r}" in i.message for i in issues)
        if column.required and key not in values and not reported:
            issue("missing-setting", f"setting {key!r} is required", column="key")
    if any(i.severity is Severity.ERROR for i in issues):
        return None, cells, issues
    values.setdefault("start_date", dt.date(dt.date.today().year, 1, 1))
    return CompareSettings(**values), cells, issues


def read_options_sheet(
    raw: RawInventory, countries: dict[str, str]
) -> tuple[pd.DataFrame, list[Issue]]:
    """The accepted rows of the ``options`` sheet (unique, non-blank names)."""
    sheet = raw.sheet("options")
    if sheet is None or any(
        i.code == "missing-column" and i.source.sheet == "options" for i in raw.issues
    ):
        file = raw.inputs[0]["path"] if raw.inputs else str(raw.path)
        issue = Issue(
            code="missing-sheet",
            severity=Severity.ERROR,
            message="an options workbook needs an options sheet (columns option, "
            "description) naming the options compared",
            source=SourceRef(file=file, sheet="options"),
        )
        return pd.DataFrame({OPTION: pd.Series(dtype="string")}), [] if sheet else [issue]
    typed, log = validate_sheet(sheet, currencies_known(), countries, COMPARE_SHEETS["options"])
    duplicates(typed, OPTION, log)
    return typed[~log.rejected].reset_index(drop=True), log.issues


def split_rows(
    raw: RawInventory, names: list[str]
) -> tuple[dict[str, dict[str, RawSheet]], list[Issue]]:
    """Each option's rows of every sheet (blank ``option``: every option); rows naming an
    unknown option are rejected with ``unknown-reference``."""
    per_option: dict[str, dict[str, RawSheet]] = {name: {} for name in names}
    issues: list[Issue] = []
    for sheet_name in OPTION_SHEETS:
        sheet = raw.sheet(sheet_name)
        if sheet is None:
            continue
        frame = sheet.frame
        option = (
            coerce.text(frame[OPTION])
            if OPTION in frame.columns
            else pd.Series(pd.NA, index=frame.index, dtype="string")
        )
        unknown = option.notna() & ~option.isin(names)
        log = IssueLog(sheet_name, sheet.file, frame)
        log.cells(
            unknown,
            "unknown-reference",
            OPTION,
            lambda v: f"option {v!r} is not in the options sheet" + suggest(v, names),
        )
        issues += log.issues
        cells = frame.drop(columns=[OPTION], errors="ignore")
        for name in names:
            mine = (option.isna() | option.eq(name)).fillna(False) & ~unknown
            per_option[name][sheet_name] = RawSheet(
                sheet_name, sheet.file, cells[mine.to_numpy()].reset_index(drop=True)
            )
    return per_option, issues


def metered_device_sites(inventory: Inventory) -> list[Issue]:
    """Warnings for electricity rows at a site that also hosts devices: in a comparison the
    devices' use is counted (``lca.compare.horizon``), so the row must hold other energy only."""
    energy = inventory.sheet("energy")
    if energy.empty:
        return []
    hosts = set(inventory.sheet("equipment")["site_id"].dropna())
    mask = energy["carrier"].eq("electricity").fillna(False) & energy["site_id"].isin(list(hosts))
    log = IssueLog("energy", str(energy[FILE].iloc[0]), energy)
    log.cells(
        mask,
        "double-counting-risk",
        "site_id",
        lambda v: (
            f"site {v!r} has devices whose use is counted from their power; this "
            "electricity row is added to it, so it must not include them"
        ),
        severity=Severity.WARNING,
    )
    return log.issues


def settings_sheet(settings: Settings, raw: RawInventory) -> RawSheet:
    """The engine's settings sheet for a period (the validator reads settings from a sheet)."""
    pairs = [
        ("organization", settings.organization),
        ("period_start", settings.period_start.isoformat()),
        ("period_end", settings.period_end.isoformat()),
        ("currency", settings.currency),
        ("gwp_set", settings.gwp_set),
        ("capital_goods", settings.capital_goods),
    ]
    frame = pd.DataFrame(pairs, columns=["key", "value"])
    frame[ROW] = range(2, 2 + len(frame))
    own = raw.sheet("settings")
    return RawSheet("settings", own.file if own else str(raw.path), frame)


def unique(issues: list[Issue]) -> list[Issue]:
    """Issues without repeats (a shared row is validated once per option), in order."""
    seen, out = set(), []
    for issue in issues:
        key = (issue.code, issue.severity, issue.message, issue.source, issue.value)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out
