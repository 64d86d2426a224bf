"""Plausibility rules: values that parse but that no real inventory holds.

Each rule has the signature of ``lca.validate.rules`` (typed sheets, logs, settings) and flags
cells in the sheet's log: a warning where a value is unusual but possible (a PUE of 3.5, a
lifetime of 40 years, more refrigerant leaked than the charge), an error where it is
impossible or would make the computation meaningless (a lifetime of 0, an energy bill entirely
outside the reporting period, an offset retired before its vintage, two own factors for one
key, two identifiers that differ only by case or invisible characters).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lca.coerce import map_text, map_values
from lca.issues import Severity
from lca.units import try_conversion

#: Power usage effectiveness outside this range is reported (below 1 is refused by the spec).
PUE_RANGE = (1.0, 3.0)
#: Device lifetimes: above the first a warning, above the second an error (no device lasts).
LIFETIME_WARN_YEARS = 30
LIFETIME_MAX_YEARS = 100
#: A lifetime shorter than this is reported: amortised over it, a device's manufacturing
#: counts that many times a year (0.001 years: a thousand times).
LIFETIME_MIN_YEARS = 1
#: Quantities on one row beyond any real organisation: sheet, column, unit (blank: the
#: column's number; else the row's ``unit`` converted to it), limit and what it counts; data,
#: in ``plausible_quantities.csv``.
QUANTITIES = Path(__file__).resolve().parent / "plausible_quantities.csv"


@dataclass(frozen=True)
class Plausible:
    """One limit of ``plausible_quantities.csv``."""

    sheet: str
    column: str
    unit: str
    where: str
    limit: float
    counts: str

    def rows(self, frame: pd.DataFrame) -> pd.Series:
        """The rows the limit holds for (``where``: ``column=a|b``, blank for every row)."""
        if not self.where:
            return pd.Series(True, index=frame.index)
        column, values = self.where.split("=", 1)
        return frame[column].isin(values.split("|")).fillna(False).astype(bool)


@lru_cache(maxsize=1)
def plausible_quantities() -> tuple[Plausible, ...]:
    """The limits of ``plausible_quantities.csv``, in file order."""
    with QUANTITIES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
        if any(None in r for r in rows):  # a field with an unquoted comma
            raise ValueError(f"{QUANTITIES}: a row has more fields than the header")
        return tuple(
            Plausible(
                r["sheet"], r["column"], r["unit"], r["where"], float(r["limit"]), r["counts"]
            )
            for r in rows
        )


#: The first vintage of any carbon credit programme (Kyoto Protocol, CDM) is later than this.
FIRST_VINTAGE = 1990
#: Zero-width, joiner, bidirectional and other format characters (Unicode category Cf).
INVISIBLE = re.compile(
    r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u206f\ufeff]"
)
#: Identifier columns: unique per sheet, referenced by other sheets.
IDENTIFIERS = {
    "sites": ("site_id",),
    "equipment": ("asset_id", "site_id"),
    "energy": ("site_id",),
    "refrigerants": ("site_id",),
    "compute_jobs": ("job_id",),
    "factors": ("factor_id", "key"),
}
UNIQUE = {
    "sites": "site_id",
    "equipment": "asset_id",
    "compute_jobs": "job_id",
    "factors": "factor_id",
}


def identity(value: str) -> str:
    """What makes two identifiers the same asset: case, spaces, invisible characters and
    compatibility forms (full-width ``ＳＲＶ-1`` is ``SRV-1``: NFKC) do not count."""
    return "".join(unicodedata.normalize("NFKC", INVISIBLE.sub("", value)).split()).casefold()


def identifier_rules(sheets, logs, settings) -> None:
    """Invisible characters in identifiers (a warning; they are removed), and identifiers
    that are the same but for case, spaces or such characters (a duplicate: an error)."""
    for name, columns in IDENTIFIERS.items():
        if name not in sheets:
            continue
        frame, log = sheets[name], logs[name]
        for column in columns:
            values = frame[column].astype("string")
            hidden = values.str.contains(INVISIBLE, regex=True).fillna(False).astype(bool)
            log.cells(
                hidden,
                "invisible-characters",
                column,
                lambda v, column=column: (
                    f"{column} {v!r} holds invisible characters (zero-width or "
                    "text-direction controls); they were removed"
                ),
                severity=Severity.WARNING,
            )
            if hidden.any():
                frame[column] = map_text(values, lambda v: INVISIBLE.sub("", v), log.codes)
        unique = UNIQUE.get(name)
        if unique is None:
            continue
        values = frame[unique].astype("string")
        same = map_text(values, identity)
        twin = values.notna() & same.duplicated(keep="first") & ~values.duplicated(keep="first")
        log.cells(
            twin,
            "duplicate-key",
            unique,
            lambda v, unique=unique: (
                f"{unique} {v!r} is the same as an earlier {unique} but for case, "
                "spaces or invisible characters: one asset given twice"
            ),
        )


def site_rules(sheets, logs, settings) -> None:
    for name in ("sites", "compute_jobs"):
        if name in sheets:
            pue = sheets[name]["pue"]
            logs[name].cells(
                pue > PUE_RANGE[1],
                "implausible-value",
                "pue",
                lambda v: (
                    f"pue {v} is above {PUE_RANGE[1]:g}, more than any "
                    "operating data centre reports; check the value"
                ),
                severity=Severity.WARNING,
            )


def equipment_rules(sheets, logs, settings) -> None:
    if "equipment" not in sheets:
        return
    lifetime, log = sheets["equipment"]["lifetime_years"], logs["equipment"]
    log.cells(
        lifetime.eq(0),
        "out-of-range",
        "lifetime_years",
        "lifetime_years 0: a device without a lifetime cannot be amortised",
    )
    log.cells(
        lifetime > LIFETIME_MAX_YEARS,
        "out-of-range",
        "lifetime_years",
        lambda v: (
            f"lifetime_years {v} is beyond any device's life (more than {LIFETIME_MAX_YEARS} years)"
        ),
    )
    log.cells(
        (lifetime > 0) & (lifetime < LIFETIME_MIN_YEARS),
        "implausible-value",
        "lifetime_years",
        lambda v: (
            f"lifetime_years {v} is shorter than {LIFETIME_MIN_YEARS} year: amortised over "
            "it, the device's manufacturing counts several times a year; check the value"
        ),
        severity=Severity.WARNING,
    )
    log.cells(
        (lifetime > LIFETIME_WARN_YEARS) & (lifetime <= LIFETIME_MAX_YEARS),
        "implausible-value",
        "lifetime_years",
        lambda v: f"lifetime_years {v} is longer than {LIFETIME_WARN_YEARS} years; check the value",
        severity=Severity.WARNING,
    )


def quantity_rules(sheets, logs, settings) -> None:
    """A warning for each quantity on one row beyond any real organisation
    (``plausible_quantities.csv``): a unit or a typing slip, such as 1e12 servers or 1e15
    MWh. A limit with a unit holds the row's quantity converted to it (rows of another kind
    of unit, or of a unit that is not one, are not compared)."""
    for rule in plausible_quantities():
        if rule.sheet not in sheets or rule.column not in sheets[rule.sheet]:
            continue
        frame = sheets[rule.sheet]
        values = frame[rule.column]
        if rule.unit:
            factors = map_values(frame["unit"], lambda u, to=rule.unit: try_conversion(u, to))
            values = values * pd.to_numeric(factors, errors="coerce")
        logs[rule.sheet].cells(
            (values > rule.limit).fillna(False).astype(bool) & rule.rows(frame),
            "implausible-value",
            rule.column,
            lambda v, rule=rule: (
                f"{rule.column} {v} is beyond any organisation (more than {rule.limit:.0e} "
                f"{rule.counts} on one row); check the value and its unit"
            ),
            severity=Severity.WARNING,
        )


def refrigerant_rules(sheets, logs, settings) -> None:
    if "refrigerants" not in sheets:
        return
    frame = sheets["refrigerants"]
    logs["refrigerants"].cells(
        frame["leaked_kg"] > frame["charge_kg"],
        "implausible-value",
        "leaked_kg",
        lambda v: (
            f"leaked_kg {v} is more than the equipment's charge_kg; only possible if it "
            "was recharged several times in the period: check the value"
        ),
        severity=Severity.WARNING,
    )


def energy_rules(sheets, logs, settings) -> None:
    if "energy" not in sheets:
        return
    frame = sheets["energy"]
    start, end = pd.Timestamp(settings.period_start), pd.Timestamp(settings.period_end)
    outside = (frame["period_end"] < start) | (frame["period_start"] > end)
    logs["energy"].cells(
        outside,
        "date-outside-period",
        "period_start",
        lambda v: (
            f"the row's period (from {v[:10]}) lies entirely outside the reporting period "
            f"({settings.period_start} to {settings.period_end}); it belongs to another "
            "inventory"
        ),
    )


def offset_rules(sheets, logs, settings) -> None:
    if "offsets" not in sheets:
        return
    frame, log = sheets["offsets"], logs["offsets"]
    vintage = frame["vintage"]
    retired = frame["retired_on"].dt.year
    impossible = (vintage < FIRST_VINTAGE) | (vintage > settings.year) | (vintage > retired)
    log.cells(
        impossible,
        "out-of-range",
        "vintage",
        lambda v: (
            f"vintage {v} is impossible: before {FIRST_VINTAGE}, after the "
            "reporting year or after the credit was retired"
        ),
    )


def factor_rules(sheets, logs, settings) -> None:
    """Two own factors for one key, indicator, stage and year: which one holds is unknown."""
    if "factors" not in sheets:
        return
    frame = sheets["factors"]
    key = map_text(frame["key"].astype("string"), identity)
    same = (
        pd.DataFrame(
            {
                "sheet": frame["sheet"],
                "key": key,
                "indicator": frame["indicator"],
                "stage": frame["stage"],
                "year": frame["year"],
                "region": frame["region"],
            }
        )
        .astype("string")
        .fillna("")
    )
    logs["factors"].cells(
        same.duplicated(keep="first"),
        "duplicate-key",
        "key",
        lambda v: (
            f"a second own factor for key {v!r} (same sheet, "
            "indicator, stage, year and region): keep one"
        ),
    )


#: ``identifier_rules`` runs before the rules of ``lca.validate.rules``, the others after.
PLAUSIBILITY_RULES = (
    identifier_rules,
    site_rules,
    equipment_rules,
    quantity_rules,
    refrigerant_rules,
    energy_rules,
    offset_rules,
    factor_rules,
)
