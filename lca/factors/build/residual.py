"""Residual mixes for market-based scope 2 (``gwp_market``, kgCO2e/kWh), each in its own file.

* ``residual_mix_aib.csv``: AIB European Residual Mixes, EU-27, data years 2023–2025, CO2 only
  as published (rows marked not applicable / full disclosure are left out); Greece, EL in the
  transcription, is keyed GR like every other table.
* ``residual_mix_green_e.csv``: Green-e residual mix 2025 edition (2023 data) per eGRID
  subregion: residual CO2 + eGRID2023 CH4 and N2O rates × AR5 GWPs.
* ``residual_mix_nve.csv``: Norway, outside the AIB EU-27 table: NVE's national electricity
  disclosure (varedeklarasjon) for suppliers without guarantees of origin, CO2 as published
  (``curated/nve_disclosure.csv``, address per row). Switzerland (and Austria) have full
  disclosure, hence no residual mix; Iceland and GB have no open figure here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lca.factors.build.common import (
    Output,
    factor,
    factor_output,
    g_to_kg,
    read_curated,
    rounded,
)
from lca.factors.build.egrid import LB_PER_MWH_TO_KG_PER_KWH
from lca.factors.build.gases import pure_gwp

UNIT = "kgCO2e/kWh"
#: The transcription's EU spellings that are not ISO 3166-1 alpha-2 (Greece is EL in EU usage).
ISO_ALPHA2 = {"EL": "GR"}


def aib_rows(data: Path) -> list[dict]:
    """AIB residual mix per EU country and data year."""
    table = pd.read_csv(
        data / "aib-european-residual-mixes/aib_residual_mix_co2_eu27_2023_2025.csv",
        dtype=str,
        keep_default_na=False,
    )
    table = table[(table["status"] == "published") & (table["residual_mix_gco2_per_kwh"] != "")]
    return [
        factor(
            "residual_mix",
            ISO_ALPHA2.get(row.country_code, row.country_code),
            "gwp_market",
            g_to_kg(row.residual_mix_gco2_per_kwh),
            UNIT,
            int(row.data_year),
            "aib_residual",
            "AIB: cited, no open licence",
            f"{row.publication} v{row.version}, CO2 only (direct), residual mix",
        )
        for row in table.itertuples()
    ]


def green_e_rows(data: Path) -> list[dict]:
    """Green-e residual mix per eGRID subregion (CO2 + eGRID CH4/N2O, AR5)."""
    table = pd.read_csv(
        data / "green-e-us-residual-mix/green_e_residual_mix_2025_edition_2023_data.csv"
    )
    gwp = pure_gwp(data)["AR5GWP100"]
    rows = []
    for row in table.itertuples():
        lb = (
            row.residual_co2_lb_per_mwh
            + row.ch4_lb_per_mwh_egrid2023 * gwp["CH4"]
            + row.n2o_lb_per_mwh_egrid2023 * gwp["N2O"]
        )
        rows.append(
            factor(
                "residual_mix",
                row.egrid_subregion,
                "gwp_market",
                rounded(lb * LB_PER_MWH_TO_KG_PER_KWH),
                UNIT,
                int(row.data_year),
                "green_e;egrid_hub",
                "CRS Green-e: cited; third-party transcription",
                f"{row.edition}: residual CO2 {row.residual_co2_lb_per_mwh} lb/MWh + "
                "eGRID2023 CH4/N2O × AR5",
                region="US",
            )
        )
    return rows


def nve_rows() -> list[dict]:
    """Norway's residual mix: NVE's electricity disclosure per data year (CO2, g → kg)."""
    return [
        factor(
            "residual_mix",
            row.country,
            "gwp_market",
            g_to_kg(row.co2_g_per_kwh),
            UNIT,
            int(row.data_year),
            "nve_disclosure",
            "NVE publication: cited with attribution",
            f"{row.publication}; residual mix (market-based, no guarantee of origin), {row.source}",
        )
        for row in read_curated("nve_disclosure.csv").itertuples()
    ]


def build(data: Path) -> list[Output]:
    """The residual-mix files."""
    return [
        factor_output(
            "residual_mix_aib.csv",
            "residual_mix",
            "AIB: cited, no open licence",
            ("aib_residual",),
            "AIB European residual mixes (EU-27)",
            aib_rows(data),
        ),
        factor_output(
            "residual_mix_green_e.csv",
            "residual_mix",
            "CRS Green-e: cited, third-party transcription",
            ("green_e", "egrid_hub"),
            "Green-e US residual mix per eGRID subregion",
            green_e_rows(data),
        ),
        factor_output(
            "residual_mix_nve.csv",
            "residual_mix",
            "NVE publication: cited with attribution",
            ("nve_disclosure",),
            "Norway's residual mix: NVE electricity disclosure (CO2)",
            nve_rows(),
        ),
    ]
