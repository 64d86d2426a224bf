"""Read the UK DESNZ 2025 conversion factors (flat file) once and look factors up by level."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

FILE = "uk-desnz-ghg-conversion-factors/ghg-conversion-factors-2025-flat-format.csv"


@lru_cache(maxsize=2)
def desnz_table(data: Path) -> pd.DataFrame:
    """Rows of the 2025 flat file with a total ``kg CO2e`` value (per-gas split dropped)."""
    frame = pd.read_csv(data / FILE, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame[(frame["GHG/Unit"] == "kg CO2e") & (frame["GHG Conversion Factor 2025"] != "")]
    return frame.assign(value=frame["GHG Conversion Factor 2025"].astype(float))


def desnz_factor(data: Path, level1: str, level3: str, uom: str, level2: str | None = None
                 ) -> float:
    """The one kgCO2e-per-``uom`` factor at (Level 1, [Level 2], Level 3, UOM)."""
    frame = desnz_table(data)
    mask = (frame["Level 1"] == level1) & (frame["Level 3"] == level3) & (frame["UOM"] == uom)
    if level2 is not None:
        mask &= frame["Level 2"] == level2
    values = frame.loc[mask, "value"].unique()
    if len(values) != 1:
        raise ValueError(f"DESNZ 2025: expected one factor for {level1}/{level2}/{level3}/{uom}, "
                         f"found {list(values)}")
    return float(values[0])
