"""Load and check the factor library (``factors/manifest.json`` and its tables).

Two kinds of table:

* ``factors`` tables, long form, one value per row with the columns ``FACTOR_COLUMNS``:
  ``factor_id, key, indicator, stage, value, unit, region, year, source, licence, notes``.
* ``mapping`` tables, wide form (cloud region → grid zone, instance type → vCPUs …); each row
  still carries ``source, licence, year``.

The manifest names every file with its kind, licence, sources and sha256. ``load_library``
checks hashes, required columns, unit parsing and dimensions (``EXPECTED_DIMENSIONS``) and key
uniqueness, and raises ``FactorLibraryError`` on any inconsistency: a broken library is a bug
of the release, not a problem of the user's input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from lca.coerce import factorize
from lca.distinct import combine
from lca.errors import FactorLibraryError
from lca.factors import binary
from lca.paths import data_dir
from lca.units import UNIT_ERRORS, dimensionality, has_dimension, parse_unit

FACTOR_COLUMNS = (
    "factor_id",
    "key",
    "indicator",
    "stage",
    "value",
    "unit",
    "region",
    "year",
    "source",
    "licence",
    "notes",
)
MAPPING_REQUIRED = ("source", "licence", "year")

T = TypeVar("T")

#: Indicators whose numerator is an impact: the unit must carry that dimension once
#: (kgCO2e per anything for gwp*, kgSbeq per anything for adpe).
IMPACT_DIMENSIONS = {"gwp": "[carbon_dioxide_equivalent]", "adpe": "[antimony_equivalent]"}
#: Other indicators: the unit must convert to one of these.
EXPECTED_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "water": ("m**3", "m**3/kWh", "m**3/device"),
    "pue": ("dimensionless",),
    "wue": ("L/kWh",),
    "lifetime": ("year",),
    "power": ("W", "W/device", "W/GB", "W/vcpu", "W/gpu"),
    "annual_energy": ("kWh/year",),
    # per volume, mass, or kWh (net CV) per kWh (gross CV) of a bill on the gross basis
    "energy_content": ("kWh/L", "kWh/kg", "kWh/m**3", "kWh/kWh"),
    "refurbished_factor": ("dimensionless",),
    "utilization": ("dimensionless",),
    "index": ("dimensionless",),
    "min_power": ("W/vcpu", "W/gpu"),
    "max_power": ("W/vcpu", "W/gpu"),
}


def unit_fits(indicator: str, unit: str) -> bool:
    """True when ``unit`` is a plausible unit for ``indicator`` (see the two tables above)."""
    family = indicator.split("_")[0]
    if family in IMPACT_DIMENSIONS:
        return dimensionality(unit).get(IMPACT_DIMENSIONS[family]) == 1
    allowed = EXPECTED_DIMENSIONS.get(indicator)
    return not allowed or any(has_dimension(unit, ref) for ref in allowed)


@dataclass(frozen=True)
class FactorLibrary:
    """A loaded factor library: long-form ``factors`` plus named mapping ``tables``."""

    version: str
    path: Path
    manifest: dict
    factors: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: ``cached``'s values; not an argument, so that a library made from this one (by
    #: ``dataclasses.replace``) never inherits slices of the factors it replaced
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def sha256(self) -> str:
        """Hash of the manifest, which itself holds the hash of every table."""
        return hashlib.sha256((self.path / "manifest.json").read_bytes()).hexdigest()

    def cached(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, computed once per ``key`` for this library: the slices and derived
        tables that matching asks for again and again (a library made from this one, by
        ``dataclasses.replace``, starts with an empty cache of its own)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def table(self, name: str) -> pd.DataFrame:
        """Return the mapping table ``name`` (raises KeyError with the known names)."""
        if name not in self.tables:
            raise KeyError(f"no mapping table {name!r}; have {sorted(self.tables)}")
        return self.tables[name]

    def select(
        self, table: str, indicator: str | None = None, stage: str | None = None
    ) -> pd.DataFrame:
        """Rows of one factors table, optionally for one indicator and stage."""
        f = self.factors
        mask = f["table"] == table
        if indicator is not None:
            mask &= f["indicator"] == indicator
        if stage is not None:
            mask &= f["stage"] == stage
        return f[mask]

    def picked(self, table: str, indicator: str, year: int, stage: str = "") -> pd.DataFrame:
        """The factors of one table and indicator for ``year`` (see ``pick_year``), indexed by
        key. The whole library is year-picked once per year and cached: matching a million
        rows asks for the same few slices again and again."""

        def picked() -> pd.DataFrame:
            best, rows = self._year_picked(year)
            found = rows.get((table, indicator, stage))
            return (best.iloc[found] if found is not None else best.iloc[:0]).set_index("key")

        return self.cached(("picked", year, table, indicator, stage), picked)

    def _year_picked(self, year: int) -> tuple[pd.DataFrame, dict]:
        """The whole library year-picked (the key and the columns a slice gives), and the row
        positions of each (table, indicator, stage) — computed once per year; slices are
        taken when first asked for."""

        def year_picked() -> tuple[pd.DataFrame, dict]:
            by = ("table", "key", "indicator", "stage")
            best = pick_year(self.factors[[*by, "factor_id", "value", "unit", "year"]], year, by)
            return (
                best[["key", "factor_id", "value", "unit", "year"]],
                best.groupby(["table", "indicator", "stage"], sort=False).indices,
            )

        return self.cached(("picked", year), year_picked)

    def value(
        self, table: str, key: str, indicator: str, year: int, stage: str = ""
    ) -> tuple[float, str, str] | None:
        """One factor as ``(value, unit, factor_id)``, or None: the scalar twin of ``lookup``
        for code that resolves a handful of keys (cloud signatures)."""

        def values() -> dict[str, tuple[float, str, str]]:
            picked = self.picked(table, indicator, year, stage)
            return {
                key: (float(v), str(u), str(f))
                for key, v, u, f in zip(
                    picked.index, picked["value"], picked["unit"], picked["factor_id"], strict=True
                )
            }

        return self.cached(("value", table, indicator, year, stage), values).get(key)

    def lookup(
        self, table: str, keys: pd.Series, indicator: str, year: int, stage: str = ""
    ) -> pd.DataFrame:
        """Vectorised lookup: for each key, the factor of ``indicator`` for ``year``.

        Picks the latest year not after ``year``, else the earliest year available. Returns a
        frame aligned on ``keys.index`` with ``factor_id, value, unit, year`` (NaN where the key
        has no factor).
        """
        picked = self.picked(table, indicator, year, stage)
        codes, uniques = factorize(keys)  # matched once per distinct key, not per row
        where = picked.index.get_indexer(pd.Index(np.asarray(uniques, dtype=object)))
        found = picked.reset_index(drop=True).reindex(np.append(where, -1)[codes])  # −1: none
        found.index = keys.index
        return found

    def known_keys(self, table: str, indicator: str | None = None) -> list[str]:
        """All keys of a factors table (for "did you mean" suggestions)."""
        return sorted(self.select(table, indicator)["key"].dropna().unique().tolist())

    def licences(self) -> list[dict]:
        """Licence of each file, for the report's data-sources section."""
        return [
            {"path": f["path"], "licence": f["licence"], "sources": f.get("sources", [])}
            for f in self.manifest["files"]
        ]


def pick_year(
    candidates: pd.DataFrame, year: int, by: tuple[str, ...] = ("key", "indicator", "stage")
) -> pd.DataFrame:
    """One row per ``by`` group: the latest year ≤ ``year``, else the earliest."""
    if candidates.empty:
        return candidates
    years = candidates["year"].to_numpy(dtype="float64")
    # Rank: eligible rows by descending year come first; others by ascending year.
    order = np.argsort(np.where(years <= year, -years, years + 10_000), kind="stable")
    # the first row of each group in that order (positions only: the frame is taken once)
    groups = combine((factorize(candidates[c])[0] for c in by), len(candidates))[order]
    first = np.sort(np.unique(groups, return_index=True)[1])
    return candidates.iloc[order[first]]


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def _check_factor_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in FACTOR_COLUMNS if c not in frame.columns]
    if missing:
        raise FactorLibraryError(f"{name}: missing columns {missing}")
    for column in (
        "factor_id",
        "key",
        "indicator",
        "unit",
        "source",
        "licence",
        "year",
        "value",
        "region",
    ):
        blank = frame[column].isna()
        if blank.any():
            first = frame.index[blank][0] + 2
            raise FactorLibraryError(f"{name}:{first}: blank {column}")
    frame = frame.copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="raise")
    frame["year"] = pd.to_numeric(frame["year"], errors="raise").astype("int64")
    frame["stage"] = frame["stage"].fillna("")
    for unit in frame["unit"].unique():
        try:
            parse_unit(unit)
        except UNIT_ERRORS as exc:
            raise FactorLibraryError(f"{name}: unit {unit!r} does not parse: {exc}") from exc
    pairs = frame[["indicator", "unit"]].drop_duplicates()
    for indicator, unit in pairs.itertuples(index=False):
        if not unit_fits(str(indicator), str(unit)):
            raise FactorLibraryError(
                f"{name}: indicator {indicator!r} has unit {unit!r}, which does not measure it"
            )
    dup = frame.duplicated(["key", "indicator", "stage", "region", "year", "unit"], keep=False)
    if dup.any():
        sample = frame.loc[dup, ["key", "indicator", "year"]].head(3).to_dict("records")
        raise FactorLibraryError(f"{name}: duplicate factor keys, e.g. {sample}")
    return frame


def _check_mapping_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in MAPPING_REQUIRED if c not in frame.columns]
    if missing:
        raise FactorLibraryError(f"{name}: missing columns {missing}")
    for column in MAPPING_REQUIRED:
        if frame[column].isna().any():
            raise FactorLibraryError(f"{name}: blank {column}")
    return frame


#: Distributions ``uncertainty_defaults`` may name (``lca.aggregate.uncertainty``).
UNCERTAINTY_DISTRIBUTIONS = ("lognormal",)


def _check_uncertainty_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``uncertainty_defaults``: one lognormal σ of ln (finite, ≥ 0) per method and quantity
    (activity, factor)."""
    missing = [c for c in ("method", "quantity", "distribution", "sigma_ln") if c not in frame]
    if missing:
        raise FactorLibraryError(f"{name}: missing columns {missing}")
    sigma = pd.to_numeric(frame["sigma_ln"], errors="coerce")
    bad = ~np.isfinite(sigma) | (sigma < 0)
    bad |= ~frame["distribution"].isin(UNCERTAINTY_DISTRIBUTIONS)
    bad |= ~frame["quantity"].isin(("activity", "factor"))
    bad |= frame.duplicated(["method", "quantity"], keep=False)
    if bad.any():
        first = frame.index[bad.to_numpy()][0] + 2
        raise FactorLibraryError(
            f"{name}:{first}: needs one row per method and quantity (activity, factor), "
            f"distribution {' or '.join(UNCERTAINTY_DISTRIBUTIONS)}, sigma_ln a number ≥ 0"
        )
    return frame.assign(sigma_ln=sigma)


#: What a ``dqi_rules`` row may score and from what evidence (``lca.aggregate.data_quality``).
DQI_RULE_INDICATORS = ("technological", "temporal", "geographical", "primary_data")
DQI_RULE_EVIDENCE = ("factor_age_years", "factor_region", "fallback", "method")


def _check_dqi_rules(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``dqi_rules``: known indicator and evidence, a score 1-5 (primary_data: 0 or 1), an
    age rule with a numeric ``low`` (``high`` blank: no upper bound)."""
    missing = [
        c for c in ("indicator", "evidence", "match", "low", "high", "score") if c not in frame
    ]
    if missing:
        raise FactorLibraryError(f"{name}: missing columns {missing}")
    score = pd.to_numeric(frame["score"], errors="coerce")
    primary = frame["indicator"] == "primary_data"
    bad = ~frame["indicator"].isin(DQI_RULE_INDICATORS) | ~frame["evidence"].isin(DQI_RULE_EVIDENCE)
    bad |= np.where(primary, ~score.isin((0, 1)), ~score.isin((1, 2, 3, 4, 5)))
    age = frame["evidence"] == "factor_age_years"
    bad |= age & pd.to_numeric(frame["low"], errors="coerce").isna()
    bad |= age & frame["high"].notna() & pd.to_numeric(frame["high"], errors="coerce").isna()
    if bad.any():
        first = frame.index[bad.to_numpy()][0] + 2
        raise FactorLibraryError(
            f"{name}:{first}: indicator one of {', '.join(DQI_RULE_INDICATORS)}, evidence one "
            f"of {', '.join(DQI_RULE_EVIDENCE)}, score 1-5 (primary_data 0 or 1), an age rule "
            "with numeric low (and high, or blank)"
        )
    return frame


def read_library(path: Path, *, verify_hashes: bool = True, prebuilt: bool = True) -> FactorLibrary:
    """Read and check the library at ``path`` (a folder holding manifest.json): from its
    prebuilt binary form when that matches the manifest (``lca.factors.binary``; never when
    ``prebuilt`` is False or hashes are not verified), else from the CSVs."""
    manifest_path = path / "manifest.json"
    try:
        manifest_bytes = manifest_path.read_bytes()
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise FactorLibraryError(f"cannot read {manifest_path}: {exc}") from exc
    if prebuilt and verify_hashes:
        loaded = binary.load(path, manifest_bytes, manifest)
        if loaded is not None:
            return FactorLibrary(
                version=manifest["version"],
                path=path,
                manifest=manifest,
                factors=loaded[0],
                tables=loaded[1],
            )
    long_tables, mappings = [], {}
    factor_ids: set[str] = set()
    for entry in manifest["files"]:
        file = path / entry["path"]
        if verify_hashes and sha256_file(file) != entry["sha256"]:
            raise FactorLibraryError(f"{entry['path']}: sha256 differs from the manifest")
        frame = _read_csv(file)
        table = entry.get("table", Path(entry["path"]).stem)
        if entry["kind"] == "factors":
            frame = _check_factor_table(entry["path"], frame)
            clash = factor_ids.intersection(frame["factor_id"])
            if clash or frame["factor_id"].duplicated().any():
                raise FactorLibraryError(
                    f"{entry['path']}: factor_id not unique: {sorted(clash)[:3] or 'within file'}"
                )
            factor_ids.update(frame["factor_id"])
            long_tables.append(frame.assign(table=table, file=entry["path"]))
        elif entry["kind"] == "mapping":
            mappings[table] = _check_mapping_table(entry["path"], frame)
            if table == "uncertainty_defaults":
                mappings[table] = _check_uncertainty_table(entry["path"], mappings[table])
            if table == "dqi_rules":
                mappings[table] = _check_dqi_rules(entry["path"], mappings[table])
        else:
            raise FactorLibraryError(f"{entry['path']}: unknown kind {entry['kind']!r}")
    factors = (
        pd.concat(long_tables, ignore_index=True)
        if long_tables
        else pd.DataFrame(columns=[*FACTOR_COLUMNS, "table", "file"])
    )
    return FactorLibrary(
        version=manifest["version"], path=path, manifest=manifest, factors=factors, tables=mappings
    )


@lru_cache(maxsize=4)
def load_library(path: str | None = None) -> FactorLibrary:
    """Load the packaged library (or the one at ``path``), cached per path."""
    return read_library(Path(path) if path else data_dir("factors"))
