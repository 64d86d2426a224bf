"""Emissions by gas (ISO 14064-1 5.2.2; ESRS E1-6 AR 39): CO2, CH4, N2O, HFCs, PFCs, SF6, NF3,
for scope 1 and scope 2 location-based.

A line's kgCO2e splits as the factor it used splits: for a ``gwp`` factor ``<table>:<key>:gwp:…``
the library holds ``gwp_co2``, ``gwp_ch4`` and ``gwp_n2o`` rows of the same id (DESNZ's split of
fuels and of UK electricity, eGRID's of US grids; on the report's GWP set once
``lca.factors.gwp`` has converted them), and each gas gets the line's kgCO2e × that gas's row /
the sum of the three rows (the sum, not the published total, so that the gases add up to the
line exactly; DESNZ rounds each to five decimals). A refrigerant line is its gas's family. A
line whose factor has no split (an own factor, a supplier figure, a modelled grid mix) is
``not_split``: the by-gas figures always add up to the scope's total.
"""

from __future__ import annotations

import re

import pandas as pd

from lca.factors.gwp import SPLIT_GASES, gwp_set_labels, split_id
from lca.factors.library import FactorLibrary
from lca.issues import Issue, Severity, SourceRef

#: The gases of a factor's split, as ``gwp_<gas>`` indicators beside its ``gwp``.
FUEL_GASES = tuple(SPLIT_GASES)
#: Refrigerants by Kyoto family: PFCs by name (IPCC and ASHRAE spellings), SF6, NF3, CO2
#: (R-744); every other refrigerant's Kyoto part is an HFC or an HFC blend.
_PFC = re.compile(r"^(PFC-\d+|R-(14|116|218|C318)|c?C\d+F\d+)$")
_NAMED = {"SF6": "SF6", "NF3": "NF3", "R-744": "CO2", "CO2": "CO2", "CH4": "CH4", "N2O": "N2O"}


def refrigerant_family(gas: str) -> str:
    """The Kyoto family of a refrigerant's scope 1 line: ``HFCs``, ``PFCs``, ``SF6`` …"""
    if gas in _NAMED:
        return _NAMED[gas]
    return "PFCs" if _PFC.match(gas) else "HFCs"


def factor_split(factor_ids: pd.Series, library: FactorLibrary) -> pd.DataFrame:
    """Per distinct ``gwp`` factor id: the share of each gas (no row without a split)."""
    values = library.factors.set_index("factor_id")["value"]
    shares = {}
    for factor_id in factor_ids.dropna().unique():
        parts = {gas: values.get(split_id(str(factor_id), gas)) for gas in FUEL_GASES}
        found = [float(v) for v in parts.values() if v is not None]
        whole = sum(found)
        if len(found) == len(FUEL_GASES) and whole > 0 and ":gwp:" in str(factor_id):
            shares[factor_id] = {gas: float(v) / whole for gas, v in parts.items()}
    return pd.DataFrame.from_dict(shares, orient="index", columns=list(FUEL_GASES))


def split_by_gas(lines: pd.DataFrame, library: FactorLibrary, column: str) -> dict[str, float]:
    """``column`` (kgCO2e) of ``lines`` per gas of their factor's split, ``not_split`` for
    lines whose ``factor_gwp`` has none."""
    split = factor_split(lines["factor_gwp"], library)
    shares = split.reindex(lines["factor_gwp"].astype(object).to_numpy())
    known = shares.notna().all(axis=1).to_numpy()
    kg = lines[column].to_numpy(dtype="float64")
    out = {gas: float((kg[known] * shares[gas].to_numpy()[known]).sum()) for gas in FUEL_GASES}
    out["not_split"] = float(kg[~known].sum())
    return out


def scope1_by_gas(ledger: pd.DataFrame, library: FactorLibrary) -> dict[str, float]:
    """kgCO2e of the counted scope 1 lines per gas or family; ``not_split`` for the rest."""
    lines = ledger.loc[
        ledger["counted"].astype(bool) & (ledger["scope"] == 1),
        ["activity", "group", "factor_gwp", "kgco2e"],
    ]
    out = dict.fromkeys((*FUEL_GASES, "HFCs", "PFCs", "SF6", "NF3", "not_split"), 0.0)
    for gas, kgco2e in split_by_gas(
        lines[lines["activity"] == "energy"], library, "kgco2e"
    ).items():
        out[gas] += kgco2e
    gases = lines[lines["activity"] == "refrigerants"]
    for gas, kgco2e in gases.groupby("group", observed=True)["kgco2e"].sum().items():
        out[refrigerant_family(str(gas))] += float(kgco2e)
    others = lines[~lines["activity"].isin(["energy", "refrigerants"])]
    out["not_split"] += float(others["kgco2e"].sum())
    return out


def scope2_location_by_gas(ledger: pd.DataFrame, library: FactorLibrary) -> dict[str, float]:
    """Location-based kgCO2e of the counted scope 2 lines per gas of their grid (or heat)
    factor's split (DESNZ UK electricity, eGRID); ``not_split`` for the rest."""
    lines = ledger.loc[
        ledger["counted"].astype(bool) & (ledger["scope"] == 2), ["factor_gwp", "kgco2e"]
    ]
    return split_by_gas(lines, library, "kgco2e")


def disclose_gwp_sets(
    ledger: pd.DataFrame,
    library: FactorLibrary,
    gwp_set: str,
    where: SourceRef,
    own: frozenset[str],
) -> tuple[pd.DataFrame, list[Issue]]:
    """The ledger with each line's ``gwp_set`` (``lca.factors.gwp.gwp_set_labels``), and one
    warning when counted lines are on another set their publisher states, without a split to
    convert: their kgCO2e per set, the rest of the report on ``gwp_set``. Lines whose publisher
    (or supplier, or the user's own factor) states no set are disclosed per line and in
    results.json ``gwp_sets`` and the Summary, not warned about: no set is known to differ."""
    ledger = ledger.assign(gwp_set=gwp_set_labels(ledger["factor_gwp"], library, gwp_set, own))
    others = {
        label: kg
        for label, kg in gwp_set_totals(ledger, gwp_set)["kgco2e_by_gwp_set"].items()
        if label not in (gwp_set, "CO2 only")
        and not label.startswith((f"{gwp_set} ", "not stated", "own factor, not stated"))
    }
    if not others:
        return ledger, []
    listed = "; ".join(f"{label}: {kg:,.1f} kgCO2e" for label, kg in others.items())
    return ledger, [
        Issue(
            code="gwp-set-mixed",
            severity=Severity.WARNING,
            message=(
                f"The report is on IPCC {gwp_set} GWP100, but counted lines use factors "
                f"published on another set, with no split by gas to convert them: {listed}. "
                "They are used as published; each line's set is in the ledger's gwp_set column."
            ),
            value=gwp_set,
            source=where,
        )
    ]


def gwp_set_totals(ledger: pd.DataFrame, gwp_set: str) -> dict:
    """results.json ``gwp_sets``: the report's set and the counted location-based kgCO2e per
    line ``gwp_set`` (lines without a gwp factor left out), largest first."""
    counted = ledger[ledger["counted"].astype(bool) & (ledger["gwp_set"] != "")]
    sums = counted.groupby(counted["gwp_set"], observed=True)["kgco2e"].sum()
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))
    return {"report": gwp_set, "kgco2e_by_gwp_set": {k: float(v) for k, v in ordered}}
