"""Scope 1 by gas (ISO 14064-1 5.2.2; ESRS E1-6 AR 39): CO2, CH4, N2O, HFCs, PFCs, SF6, NF3.

A fuel line's kgCO2e splits as the factor it used splits: for a combustion factor
``fuels:<fuel>:gwp:<per>:<year>`` the library holds ``gwp_co2``, ``gwp_ch4`` and ``gwp_n2o``
rows of the same fuel, unit and year (DESNZ's split), and each gas gets the line's kgCO2e ×
that gas's row / the sum of the three rows (the sum, not the published total, so that the
gases add up to the line exactly; DESNZ rounds each to five decimals). A refrigerant line is
its gas's family. A line whose factor has no split (an own factor, a supplier figure) is
``not_split``: the by-gas figures always add up to the scope 1 total.
"""

from __future__ import annotations

import re

import pandas as pd

from lca.factors.library import FactorLibrary

#: The gases of a fuel factor's split, as ``gwp_<gas>`` indicators of the fuels table.
FUEL_GASES = ("CO2", "CH4", "N2O")
#: Refrigerants by Kyoto family: PFCs by name (IPCC and ASHRAE spellings), SF6, NF3, CO2
#: (R-744); every other refrigerant's Kyoto part is an HFC or an HFC blend.
_PFC = re.compile(r"^(PFC-\d+|R-(14|116|218|C318)|c?C\d+F\d+)$")
_NAMED = {"SF6": "SF6", "NF3": "NF3", "R-744": "CO2", "CO2": "CO2", "CH4": "CH4", "N2O": "N2O"}


def refrigerant_family(gas: str) -> str:
    """The Kyoto family of a refrigerant's scope 1 line: ``HFCs``, ``PFCs``, ``SF6`` …"""
    if gas in _NAMED:
        return _NAMED[gas]
    return "PFCs" if _PFC.match(gas) else "HFCs"


def fuel_split(factor_ids: pd.Series, library: FactorLibrary) -> pd.DataFrame:
    """Per distinct combustion factor id: the share of each gas (NaN without a split)."""
    values = library.factors.set_index("factor_id")["value"]
    shares = {}
    for factor_id in factor_ids.dropna().unique():
        parts = {
            gas: values.get(str(factor_id).replace(":gwp:", f":gwp_{gas.lower()}:", 1))
            for gas in FUEL_GASES
        }
        found = [float(v) for v in parts.values() if v is not None]
        whole = sum(found)
        if len(found) == len(FUEL_GASES) and whole > 0 and ":gwp:" in str(factor_id):
            shares[factor_id] = {gas: float(v) / whole for gas, v in parts.items()}
    return pd.DataFrame.from_dict(shares, orient="index", columns=list(FUEL_GASES))


def scope1_by_gas(ledger: pd.DataFrame, library: FactorLibrary) -> dict[str, float]:
    """kgCO2e of the counted scope 1 lines per gas or family; ``not_split`` for the rest."""
    lines = ledger.loc[
        ledger["counted"].astype(bool) & (ledger["scope"] == 1),
        ["activity", "group", "factor_gwp", "kgco2e"],
    ]
    out = dict.fromkeys((*FUEL_GASES, "HFCs", "PFCs", "SF6", "NF3", "not_split"), 0.0)
    fuels = lines[lines["activity"] == "energy"]
    split = fuel_split(fuels["factor_gwp"], library)
    shares = split.reindex(fuels["factor_gwp"].astype(object).to_numpy())
    known = shares.notna().all(axis=1).to_numpy()
    kg = fuels["kgco2e"].to_numpy(dtype="float64")
    for gas in FUEL_GASES:
        out[gas] += float((kg[known] * shares[gas].to_numpy()[known]).sum())
    out["not_split"] += float(kg[~known].sum())
    gases = lines[lines["activity"] == "refrigerants"]
    for gas, kgco2e in gases.groupby("group", observed=True)["kgco2e"].sum().items():
        out[refrigerant_family(str(gas))] += float(kgco2e)
    others = lines[~lines["activity"].isin(["energy", "refrigerants"])]
    out["not_split"] += float(others["kgco2e"].sum())
    return out
