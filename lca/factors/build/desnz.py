"""Read the UK DESNZ conversion factors: the 2025 flat file (fuels, heat, refrigerants …) and,
for UK electricity, the full set of each reporting year (one file per year: a 2024 inventory
uses the 2024 file, a 2026 one the 2026 file)."""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

import openpyxl
import pandas as pd

from lca.factors.build.common import rounded

FOLDER = "uk-desnz-ghg-conversion-factors"
FILE = f"{FOLDER}/ghg-conversion-factors-2025-flat-format.csv"
#: Full set per reporting year (the file DESNZ publishes for that year).
FULL_SETS = {
    2024: "ghg-conversion-factors-2024-full_set__for_advanced_users__v1_1.xlsx",
    2025: "ghg-conversion-factors-2025-full-set.xlsx",
    2026: "ghg-conversion-factors-2026-full-set.xlsx",
}
DESNZ_YEARS = tuple(sorted(FULL_SETS))


@lru_cache(maxsize=1)
def _flat(data: Path) -> pd.DataFrame:
    """Every row of the 2025 flat file, as text (read once per build)."""
    return pd.read_csv(data / FILE, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@lru_cache(maxsize=2)
def desnz_table(data: Path) -> pd.DataFrame:
    """Rows of the 2025 flat file with a total ``kg CO2e`` value (per-gas split dropped)."""
    frame = _flat(data)
    frame = frame[(frame["GHG/Unit"] == "kg CO2e") & (frame["GHG Conversion Factor 2025"] != "")]
    return frame.assign(value=frame["GHG Conversion Factor 2025"].astype(float))


def desnz_factor(
    data: Path, level1: str, level3: str, uom: str, level2: str | None = None
) -> float:
    """The one kgCO2e-per-``uom`` factor at (Level 1, [Level 2], Level 3, UOM)."""
    frame = desnz_table(data)
    mask = (frame["Level 1"] == level1) & (frame["Level 3"] == level3) & (frame["UOM"] == uom)
    if level2 is not None:
        mask &= frame["Level 2"] == level2
    values = frame.loc[mask, "value"].unique()
    if len(values) != 1:
        raise ValueError(
            f"DESNZ 2025: expected one factor for {level1}/{level2}/{level3}/{uom}, "
            f"found {list(values)}"
        )
    return float(values[0])


def desnz_gas(data: Path, level1: str, level3: str, uom: str, gas: str) -> float | None:
    """kg CO2e of one gas per ``uom`` ("kg CO2e of <gas> per unit" of the 2025 flat file:
    the split DESNZ gives of a fuel's factor, or the biogenic CO2 of a biofuel blend under
    "Outside of scopes"), or None when DESNZ gives none."""
    frame = _flat(data)
    mask = (
        (frame["Level 1"] == level1)
        & (frame["Level 3"] == level3)
        & (frame["UOM"] == uom)
        & (frame["GHG/Unit"] == f"kg CO2e of {gas} per unit")
    )
    values = frame.loc[mask, "GHG Conversion Factor 2025"].unique()
    if len(values) > 1:
        raise ValueError(f"DESNZ 2025 {level1} {level3}/{uom} {gas}: {list(values)}")
    return float(values[0]) if len(values) and values[0] != "" else None


def full_set_value(data: Path, year: int, sheet: str, activity: str) -> float:
    """kg CO2e per kWh of ``activity`` on ``sheet`` of the ``year`` full set (the row's fifth
    cell, under the 'kg CO2e' header; the row must carry the reporting year)."""
    return full_set_row(data, year, sheet, activity)[0]


#: The full sets' columns after 'kg CO2e': the published split, "kg CO2e of <gas> per unit".
FULL_SET_GASES = ("CO2", "CH4", "N2O")


@lru_cache(maxsize=8)
def full_set_row(data: Path, year: int, sheet: str, activity: str) -> tuple[float, ...]:
    """kg CO2e per kWh of ``activity`` on ``sheet`` of the ``year`` full set, then the kg CO2e
    of each gas of ``FULL_SET_GASES`` where the sheet gives them (the cells after 'kg CO2e';
    the row must carry the reporting year)."""
    with warnings.catch_warnings():  # header/footer extensions of the workbook are irrelevant
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(
            data / FOLDER / FULL_SETS[year], read_only=True, data_only=True
        )
        rows = [
            r
            for r in book[sheet].iter_rows(values_only=True)
            if r and r[0] == activity and r[2] == "kWh"
        ]
        book.close()
    if len(rows) != 1 or rows[0][3] != year:
        raise ValueError(
            f"DESNZ {year} {sheet}: expected one {activity!r} row for {year}, "
            f"found {[r[:5] for r in rows]}"
        )
    return tuple(float(v) for v in rows[0][4:8] if isinstance(v, (int, float)))


def desnz_electricity(data: Path, year: int) -> tuple[float, float, str, dict[str, float]]:
    """UK electricity of one reporting year: generation (scope 2), WTT generation + T&D + WTT
    T&D (scope 3 cat 3), the note naming the file, and generation's published split by gas
    (kg CO2e of CO2, CH4, N2O per kWh, AR5 as DESNZ publishes them)."""
    gen, *split = full_set_row(data, year, "UK electricity", "Electricity generated")
    if len(split) != len(FULL_SET_GASES):
        raise ValueError(f"DESNZ {year} UK electricity: no CO2/CH4/N2O split ({split})")
    upstream = (
        full_set_value(data, year, "WTT- UK electricity", "WTT- UK electricity (generation)")
        + full_set_value(data, year, "Transmission and distribution", "T&D- UK electricity")
        + full_set_value(data, year, "WTT- UK electricity", "WTT- UK electricity (T&D)")
    )
    return (
        gen,
        rounded(upstream),
        (
            f"DESNZ GHG conversion factors {year} (full set {FULL_SETS[year]}), UK electricity "
            f"generated (scope 2); upstream = WTT generation + T&D + WTT T&D"
        ),
        dict(zip(FULL_SET_GASES, split, strict=True)),
    )
