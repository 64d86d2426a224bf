"""Greenhouse gases and refrigerants: ``gases.csv`` with ``gwp_ar4/5/6`` (kgCO2e/kg).

Pure gases come from the openclimatedata GWP table (IPCC AR4/AR5 via the GHG Protocol table,
AR6 WG1 Table 7.SM.7), named with a hyphen (``HFC-134a``, ``CFC-12``), perfluorocarbons also
as ``PFC-14/116/218``. CO2, fossil/non-fossil CH4, the HFOs and hydrocarbons come from the pure-gas
list of the refrigerant folder (AR6 values only where IPCC gives no AR4/AR5 figure).

Refrigerants (``R-410A`` …): single-component designations map to their gas
(``curated/refrigerant_designations.csv``, ASHRAE 34); blends are computed here as Σ mass
fraction × component GWP from the compositions of the refrigerant folder (EPA Hub 2025
Table 12, ASHRAE 34) and checked against that folder's AR6/AR5 results. A blend gets an AR set
only when every component has a value in it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lca.factors.build.common import Output, factor, factor_output, read_curated, rounded

AR_COLUMNS = {"AR4GWP100": "gwp_ar4", "AR5GWP100": "gwp_ar5", "AR6GWP100": "gwp_ar6"}
PFC_ALIASES = {"CF4": "PFC-14", "C2F6": "PFC-116", "C3F8": "PFC-218"}
#: Names of the refrigerant folder's pure-gas list → our keys.
EXTRA_NAMES = {"CO2": "CO2", "CH4 (fossil)": "CH4_fossil", "CH4 (non-fossil)": "CH4_non_fossil",
               "HFO-1234yf": "HFO-1234yf", "HFO-1234ze(E)": "HFO-1234ze(E)",
               "isobutane": "isobutane", "butane": "butane", "propane": "propane"}
#: Blend components taken as GWP 0 in every AR set (as in the refrigerant folder); not shipped.
HYDROCARBONS = ("isobutane", "butane", "propane")
REFRIG = "refrigerant-gwp-ar6-derived"
UNIT = "kgCO2e/kg"


def _hyphenate(species: str) -> str:
    return re.sub(r"^(CFC|HCFC|HFC|HFE|HCFE|Halon)(\d)", r"\1-\2", species)


@lru_cache(maxsize=2)
def pure_gwp(data: Path) -> pd.DataFrame:
    """GWP100 per pure gas (index = our key), columns AR4GWP100, AR5GWP100, AR6GWP100."""
    table = pd.read_csv(data / "ipcc-gwp-openclimatedata/globalwarmingpotentials.csv",
                        comment="#").set_index("Species")[list(AR_COLUMNS)]
    table.index = table.index.map(_hyphenate)
    aliases = table.loc[table.index.isin(PFC_ALIASES)].rename(index=PFC_ALIASES)
    extra = pd.read_csv(data / REFRIG / "pure_gas_gwp100_used.csv").set_index("gas")
    extra = extra.loc[extra.index.isin(EXTRA_NAMES)].rename(index=EXTRA_NAMES)
    extra = pd.DataFrame({"AR4GWP100": extra["gwp100_ar5"].where(extra.index == "CO2"),
                          "AR5GWP100": extra["gwp100_ar5"].where(
                              ~extra.index.isin(["CH4_fossil", "CH4_non_fossil"])),
                          "AR6GWP100": extra["gwp100_ar6"]})
    hydrocarbons = list(HYDROCARBONS)
    extra.loc[hydrocarbons, "AR4GWP100"] = extra.loc[hydrocarbons, "AR5GWP100"]
    return pd.concat([table, aliases, extra]).dropna(how="all")


def blend_gwp(composition: str, gwp: pd.DataFrame) -> dict[str, float]:
    """Σ mass fraction × GWP per AR set for a composition like '50% HFC-32; 50% HFC-125'."""
    parts = [p.strip().split("% ") for p in composition.split(";")]
    out = {}
    for column in AR_COLUMNS:
        values = [float(share) / 100 * gwp.at[gas.strip(), column] for share, gas in parts]
        if not any(v != v for v in values):
            out[column] = rounded(sum(values))
    return out


def refrigerant_values(data: Path) -> dict[str, tuple[dict[str, float], str]]:
    """Per refrigerant key: GWP per AR column and the note explaining it."""
    gwp = pure_gwp(data)
    out = {}
    for row in read_curated("refrigerant_designations.csv").itertuples():
        values = gwp.loc[row.gas].dropna().to_dict()
        out[row.designation] = (values, f"single component {row.gas} (ASHRAE 34)")
    blends = pd.read_csv(data / REFRIG / "refrigerant_gwp100_ar6_ar5.csv")
    for row in blends.itertuples():
        if "; " not in row.composition_mass_fraction:
            continue
        values = blend_gwp(row.composition_mass_fraction, gwp)
        if abs(values["AR6GWP100"] - row.gwp100_ar6_all_components) > 0.5:
            raise ValueError(f"{row.refrigerant}: AR6 {values['AR6GWP100']} differs from the "
                             f"derived table {row.gwp100_ar6_all_components}")
        out[row.refrigerant] = (values, f"blend {row.composition_mass_fraction} "
                                        f"({row.composition_source}); Σ mass fraction × GWP")
    return out


def build(data: Path) -> list[Output]:
    """The gases table: pure gases then refrigerants, one row per AR set."""
    rows = []
    gases = pure_gwp(data).drop(index=list(HYDROCARBONS))
    for key, values in gases.iterrows():
        for column, indicator in AR_COLUMNS.items():
            if values[column] == values[column]:
                rows.append(factor("gases", key, indicator, values[column], UNIT,
                                   _ar_year(indicator), "ipcc_gwp;refrigerants", "CC0-1.0",
                                   f"IPCC {indicator[4:].upper()} GWP100 of {key}"))
    for key, (values, note) in refrigerant_values(data).items():
        for column, value in values.items():
            indicator = AR_COLUMNS[column]
            rows.append(factor("gases", key, indicator, value, UNIT, _ar_year(indicator),
                               "ipcc_gwp;refrigerants", "CC0-1.0; Public domain (EPA)",
                               f"IPCC {indicator[4:].upper()} GWP100; {note}"))
    return [factor_output("gases.csv", "gases", "CC0-1.0; Public domain (EPA)",
                          ("ipcc_gwp", "refrigerants", "curated"),
                          "GWP100 of greenhouse gases and refrigerants, AR4/AR5/AR6", rows)]


def _ar_year(indicator: str) -> int:
    """Publication year of an IPCC assessment report (AR4 2007, AR5 2013, AR6 2021)."""
    return {"gwp_ar4": 2007, "gwp_ar5": 2013, "gwp_ar6": 2021}[indicator]
