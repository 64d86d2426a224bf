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

IPCC AR5 gives no figure for the HFOs (< 1) and AR4 none at all: their AR5 value is the one
DESNZ publishes (2025 conversion factors, AR5 basis, "R1234yf*", "R1234ze*"), also used for
AR4 (stated in the row's notes), so that HFO blends have a GWP in every set.

The Kyoto basket (CO2, CH4, N2O, HFCs, PFCs, SF6, NF3) is what scopes 1–3 hold. A gas or blend
with a part outside it (CFCs, HCFCs, halons, HFOs …) also gets ``gwp_arN_kyoto`` and
``gwp_arN_non_kyoto`` rows (Σ mass fraction × GWP of the components in and outside the basket;
their sum is ``gwp_arN``), so its leaks are split between scope 1 and "other GHG emissions,
outside the scopes".

``gas_aliases.csv`` (mapping, from ``curated/gas_aliases.csv``): common spellings that name a
gas of the table without being its key (``R-1234ze`` for ``R-1234ze(E)``), each with the reason;
a refrigerants row so spelled is read as the gas, with a warning.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lca.factors.build.common import (
    Output,
    factor,
    factor_output,
    mapping_output,
    read_curated,
    rounded,
)
from lca.factors.build.desnz import desnz_factor

AR_COLUMNS = {"AR4GWP100": "gwp_ar4", "AR5GWP100": "gwp_ar5", "AR6GWP100": "gwp_ar6"}
PFC_ALIASES = {"CF4": "PFC-14", "C2F6": "PFC-116", "C3F8": "PFC-218"}
#: Names of the refrigerant folder's pure-gas list → our keys.
EXTRA_NAMES = {
    "CO2": "CO2",
    "CH4 (fossil)": "CH4_fossil",
    "CH4 (non-fossil)": "CH4_non_fossil",
    "HFO-1234yf": "HFO-1234yf",
    "HFO-1234ze(E)": "HFO-1234ze(E)",
    "isobutane": "isobutane",
    "butane": "butane",
    "propane": "propane",
}
#: Blend components taken as GWP 0 in every AR set (as in the refrigerant folder); not shipped.
HYDROCARBONS = ("isobutane", "butane", "propane")
REFRIG = "refrigerant-gwp-ar6-derived"
UNIT = "kgCO2e/kg"
#: HFOs → their name in the DESNZ "Refrigerant & other" sheet (AR5 GWP100 for AR4 and AR5).
DESNZ_HFO = {"HFO-1234yf": "R1234yf*", "HFO-1234ze(E)": "R1234ze*"}
#: Gases of the Kyoto basket (GHG Protocol): named ones, HFCs, PFCs and perfluorocarbon formulas.
KYOTO_NAMES = ("CO2", "CH4", "CH4_fossil", "CH4_non_fossil", "N2O", "SF6", "NF3")


def _hyphenate(species: str) -> str:
    return re.sub(r"^(CFC|HCFC|HFC|HFE|HCFE|Halon)(\d)", r"\1-\2", species)


@lru_cache(maxsize=2)
def pure_gwp(data: Path) -> pd.DataFrame:
    """GWP100 per pure gas (index = our key), columns AR4GWP100, AR5GWP100, AR6GWP100."""
    table = pd.read_csv(
        data / "ipcc-gwp-openclimatedata/globalwarmingpotentials.csv", comment="#"
    ).set_index("Species")[list(AR_COLUMNS)]
    table.index = table.index.map(_hyphenate)
    aliases = table.loc[table.index.isin(PFC_ALIASES)].rename(index=PFC_ALIASES)
    extra = pd.read_csv(data / REFRIG / "pure_gas_gwp100_used.csv").set_index("gas")
    extra = extra.loc[extra.index.isin(EXTRA_NAMES)].rename(index=EXTRA_NAMES)
    extra = pd.DataFrame(
        {
            "AR4GWP100": extra["gwp100_ar5"].where(extra.index == "CO2"),
            "AR5GWP100": extra["gwp100_ar5"].where(
                ~extra.index.isin(["CH4_fossil", "CH4_non_fossil"])
            ),
            "AR6GWP100": extra["gwp100_ar6"],
        }
    )
    hydrocarbons = list(HYDROCARBONS)
    extra.loc[hydrocarbons, "AR4GWP100"] = extra.loc[hydrocarbons, "AR5GWP100"]
    for gas, name in DESNZ_HFO.items():
        extra.loc[gas, ["AR4GWP100", "AR5GWP100"]] = desnz_factor(
            data, "Refrigerant & other", name, "kg"
        )
    return pd.concat([table, aliases, extra]).dropna(how="all")


def is_kyoto(gas: str) -> bool:
    """True for a gas of the Kyoto basket: CO2, CH4, N2O, HFCs, PFCs, SF6, NF3."""
    return (
        gas in KYOTO_NAMES
        or gas.startswith(("HFC-", "PFC-"))
        or re.fullmatch(r"c?C\d+F\d+", gas) is not None
    )


def _note(gas: str, indicator: str, desnz: bool) -> str:
    """How a pure gas's GWP was obtained (the HFOs' AR4/AR5 values are DESNZ's)."""
    if desnz:
        return (
            f"DESNZ 2025 conversion factors (AR5 basis) {DESNZ_HFO[gas]} for {gas}: IPCC "
            f"AR5 gives < 1"
            + ("; AR4 gives none, the AR5 value is used" if indicator == "gwp_ar4" else "")
        )
    return f"IPCC {indicator[4:].upper()} GWP100 of {gas}"


def blend_gwp(composition: str, gwp: pd.DataFrame, kyoto: bool | None = None) -> dict[str, float]:
    """Σ mass fraction × GWP per AR set for a composition like '50% HFC-32; 50% HFC-125'
    (only the components in the Kyoto basket, or only those outside it, when ``kyoto`` says)."""
    parts = [
        (float(share) / 100, gas.strip())
        for share, gas in (p.strip().split("% ") for p in composition.split(";"))
    ]
    out = {}
    for column in AR_COLUMNS:
        values = [share * gwp.at[gas, column] for share, gas in parts]
        if not any(v != v for v in values):
            out[column] = rounded(
                sum(
                    v
                    for v, (_, gas) in zip(values, parts, strict=True)
                    if kyoto is None or is_kyoto(gas) == kyoto
                )
            )
    return out


def refrigerant_values(data: Path) -> dict[str, tuple[dict[str, float], str, str]]:
    """Per refrigerant key: GWP per AR column, the note explaining it and the composition."""
    gwp = pure_gwp(data)
    out = {}
    for row in read_curated("refrigerant_designations.csv").itertuples():
        values = gwp.loc[row.gas].dropna().to_dict()
        out[row.designation] = (
            values,
            f"single component {row.gas} (ASHRAE 34)",
            f"100% {row.gas}",
        )
    blends = pd.read_csv(data / REFRIG / "refrigerant_gwp100_ar6_ar5.csv")
    for row in blends.itertuples():
        if "; " not in row.composition_mass_fraction:
            continue
        values = blend_gwp(row.composition_mass_fraction, gwp)
        if abs(values["AR6GWP100"] - row.gwp100_ar6_all_components) > 0.5:
            raise ValueError(
                f"{row.refrigerant}: AR6 {values['AR6GWP100']} differs from the "
                f"derived table {row.gwp100_ar6_all_components}"
            )
        kyoto = blend_gwp(row.composition_mass_fraction, gwp, kyoto=True)["AR6GWP100"]
        if abs(kyoto - row.gwp100_ar6_kyoto_components_only) > 0.5:
            raise ValueError(
                f"{row.refrigerant}: AR6 Kyoto part {kyoto} differs from the "
                f"derived table {row.gwp100_ar6_kyoto_components_only}"
            )
        out[row.refrigerant] = (
            values,
            f"blend {row.composition_mass_fraction} "
            f"({row.composition_source}); Σ mass fraction × GWP",
            row.composition_mass_fraction,
        )
    return out


def _rows(
    key: str, values: dict[str, float], composition: str, gwp: pd.DataFrame, licence: str, note
) -> list[dict]:
    """The rows of one gas or refrigerant: ``gwp_arN`` per AR set, and its Kyoto and
    non-Kyoto parts where some component lies outside the Kyoto basket."""
    hfo = any(gas in composition for gas in DESNZ_HFO)
    parts = {
        None: values,
        True: blend_gwp(composition, gwp, kyoto=True),
        False: blend_gwp(composition, gwp, kyoto=False),
    }
    rows = []
    for column in values:
        indicator = AR_COLUMNS[column]
        split = parts[False].get(column, 0.0) > 0
        for kyoto, suffix, what in (
            (None, "", ""),
            (True, "_kyoto", "; Kyoto-basket part"),
            (
                False,
                "_non_kyoto",
                "; part outside the Kyoto basket (Montreal Protocol gases, HFOs)",
            ),
        ):
            if kyoto is None or split:
                # DESNZ gives the HFOs' AR4/AR5 value; HFOs are never in the Kyoto part
                desnz = hfo and indicator != "gwp_ar6" and kyoto is not True
                source = "ipcc_gwp;refrigerants" + (";desnz_2025" if desnz else "")
                rows.append(
                    factor(
                        "gases",
                        key,
                        indicator + suffix,
                        parts[kyoto][column],
                        UNIT,
                        _ar_year(indicator),
                        source,
                        licence + ("; OGL-3.0 (DESNZ)" if desnz else ""),
                        note(indicator, desnz) + what,
                    )
                )
    return rows


def build(data: Path) -> list[Output]:
    """The gases table: pure gases then refrigerants, one row per AR set (and part)."""
    rows = []
    gwp = pure_gwp(data)
    for key, values in gwp.drop(index=list(HYDROCARBONS)).iterrows():
        rows += _rows(
            key,
            values.dropna().to_dict(),
            f"100% {key}",
            gwp,
            "CC0-1.0",
            lambda indicator, desnz, key=key: _note(key, indicator, desnz),
        )
    for key, (values, note, composition) in refrigerant_values(data).items():
        rows += _rows(
            key,
            values,
            composition,
            gwp,
            "CC0-1.0; Public domain (EPA)",
            lambda indicator, desnz, note=note: (
                f"IPCC {indicator[4:].upper()} "
                f"GWP100; {note}" + ("; HFO component at the DESNZ 2025 AR5 value" if desnz else "")
            ),
        )
    return [
        factor_output(
            "gases.csv",
            "gases",
            "CC0-1.0; Public domain (EPA); OGL-3.0 (DESNZ)",
            ("ipcc_gwp", "refrigerants", "desnz_2025", "curated"),
            "GWP100 of greenhouse gases and refrigerants, AR4/AR5/AR6, with the Kyoto-basket split",
            rows,
        ),
        mapping_output(
            "gas_aliases.csv",
            "gas_aliases",
            ALIAS_LICENCE,
            ("curated",),
            "Common spellings of gases that are not their key, and the gas each names",
            aliases({row["key"] for row in rows}),
            ["alias"],
        ),
    ]


#: Licence of the curated alias rows (facts cited per row).
ALIAS_LICENCE = "Apache-2.0 (facts cited per row)"


def aliases(keys: set[str]) -> pd.DataFrame:
    """``curated/gas_aliases.csv``: each alias names a key of the table and is not one."""
    table = read_curated("gas_aliases.csv")
    bad = table[~table["gas"].isin(keys) | table["alias"].isin(keys)]
    if len(bad):
        raise ValueError(
            f"gas_aliases.csv: not an alias of a gas of the table: {bad.to_dict('records')}"
        )
    return pd.DataFrame(
        {
            "alias": table["alias"],
            "gas": table["gas"],
            "notes": table["rationale"],
            "source": table["source"],
            "licence": ALIAS_LICENCE,
            "year": 2025,
        }
    )


def _ar_year(indicator: str) -> int:
    """Publication year of an IPCC assessment report (AR4 2007, AR5 2013, AR6 2021)."""
    return {"gwp_ar4": 2007, "gwp_ar5": 2013, "gwp_ar6": 2021}[indicator]
