"""Read the US EPA GHG Emission Factors Hub 2025 workbook: Table 6 (eGRID2023) and Table 7.

Electricity rates are lb per MWh of CO2, CH4 and N2O; they are combined into kgCO2e/kWh with
the AR5 GWP100 values (the basis the Hub itself uses) read from the IPCC table.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

import openpyxl
import pandas as pd

from lca.factors.build.common import rounded
from lca.factors.build.gases import pure_gwp

FILE = "us-epa-ghg-emission-factors-hub/ghg-emission-factors-hub-2025.xlsx"
LB_PER_MWH_TO_KG_PER_KWH = 0.45359237 / 1000.0
EGRID_YEAR = 2023
EGRID_EDITION = f"eGRID{EGRID_YEAR} (EPA GHG Emission Factors Hub 2025)"


@lru_cache(maxsize=2)
def hub_rows(data: Path) -> tuple[tuple, ...]:
    """All rows of the 'Emission Factors Hub' sheet (values only)."""
    with warnings.catch_warnings():  # the workbook's header/footer extensions are irrelevant
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(data / FILE, read_only=True, data_only=True)
        sheet = book["Emission Factors Hub"]
        rows = tuple(tuple(row) for row in sheet.iter_rows(values_only=True))
        book.close()
    return rows


def _table_start(rows: tuple[tuple, ...], label: str) -> int:
    return next(i for i, row in enumerate(rows) if label in row)


@lru_cache(maxsize=2)
def egrid_table(data: Path) -> pd.DataFrame:
    """Index = subregion acronym (and 'US Average'); columns gwp (kgCO2e/kWh), its split CO2,
    CH4, N2O (kgCO2e/kWh, AR5), loss (share)."""
    rows = hub_rows(data)
    gwp = pure_gwp(data)["AR5GWP100"]
    records = {}
    for row in rows[_table_start(rows, "Table 6") + 5 :]:
        if not isinstance(row[4], (int, float)):
            break
        lb = row[4] + row[5] * gwp["CH4"] + row[6] * gwp["N2O"]
        records[row[2]] = {
            "gwp": rounded(lb * LB_PER_MWH_TO_KG_PER_KWH),
            # the split by gas, kgCO2e/kWh (AR5): lb/MWh of the gas × its GWP
            "CO2": rounded(row[4] * LB_PER_MWH_TO_KG_PER_KWH),
            "CH4": rounded(row[5] * gwp["CH4"] * LB_PER_MWH_TO_KG_PER_KWH),
            "N2O": rounded(row[6] * gwp["N2O"] * LB_PER_MWH_TO_KG_PER_KWH),
            "loss": float(row[10]) if row[10] is not None else float("nan"),
        }
    frame = pd.DataFrame.from_dict(records, orient="index")
    frame.attrs["year"] = EGRID_YEAR
    frame.attrs["note"] = (
        f"EPA eGRID{EGRID_YEAR} total output rate (EPA Hub 2025 Table 6): "
        f"CO2 + CH4×{gwp['CH4']:g} + N2O×{gwp['N2O']:g} (AR5), combustion only"
    )
    return frame


def steam_heat(data: Path) -> tuple[float, str]:
    """Table 7 steam and heat: kgCO2e per kWh of purchased steam/heat (AR5) and a note."""
    rows = hub_rows(data)
    row = rows[_table_start(rows, "Table 7") + 3]
    gwp = pure_gwp(data)["AR5GWP100"]
    per_mmbtu = row[3] + (row[4] * gwp["CH4"] + row[5] * gwp["N2O"]) / 1000.0
    return rounded(per_mmbtu / 293.07107), (
        "EPA Hub 2025 Table 7 steam and heat (natural gas at 80% efficiency): "
        f"{row[3]} kg CO2 + {row[4]} g CH4 + {row[5]} g N2O per mmBtu, AR5, 1 mmBtu = "
        "293.07107 kWh"
    )
