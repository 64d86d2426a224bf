"""The ledger: one line per input row × lifecycle stage (× part), the spine of every report.

Every indicator of every line obeys one formula an auditor can re-perform::

    indicator = activity_amount × ef_<indicator> × allocation_share

with ``activity_amount`` in ``activity_unit`` (kWh, device, kg, USD, vcpu_h …), the factor
``ef_<indicator>`` per ``activity_unit`` and ``allocation_share`` (1 unless the line is a share
of something: amortization of a device over its lifetime, the part of a bill inside the
period). The other view of capital goods uses ``allocation_share_alternative``.

A factor that does not apply to a line (water of a spend-based purchase) is NaN, listed in
``not_assessed``; a line whose carbon cannot be computed never enters the ledger: it is an issue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Column → meaning. The order is the order of the ledger CSV and the workpaper's Ledger sheet.
COLUMNS: dict[str, str] = {
    "line_id": "sheet:row:stage[:part], unique",
    "file": "input file of the row",
    "sheet": "input sheet of the row",
    "row": "spreadsheet row number of the input row (header = 1)",
    "activity": "equipment, energy, refrigerants, cloud, services, compute_jobs",
    "stage": "manufacturing, use, end_of_life, operation",
    "part": "blank, or 'upstream' (scope 3 cat 3 part of energy) / 'embodied'",
    "scope": "GHG Protocol scope 1, 2 or 3",
    "category": "scope 3 category (1–15), blank for scopes 1 and 2",
    "method": "supplier_specific, average_data, spend_based, measured, estimated",
    "counted": "True: in the totals; False: attribution ('of which') only",
    "fallback": "True when a less specific factor than asked for was used",
    "site_id": "site of the row, where there is one",
    "country": "ISO alpha-2 country of the electricity or site",
    "group": "breakdown key: equipment category, carrier, provider, spend category, gas",
    "item_id": "the row's own identifier where it has one (asset_id, job_id), for budgets",
    "label": "short human description of the line",
    "quantity": "the row's quantity as given",
    "quantity_unit": "the unit of that quantity as given",
    "activity_amount": "the activity the factors multiply, in activity_unit",
    "activity_unit": "unit of activity_amount",
    "energy_it_kwh": "IT energy before PUE, kWh (use lines)",
    "pue": "power usage effectiveness applied",
    "allocation_share": "share of the activity allocated to the period (chosen view)",
    "allocation_share_alternative": "share under the other capital-goods view (cat 2 and 5)",
    "lifetime_days": "device lifetime in days (amortized lines)",
    "overlap_days": "days of the lifetime (or the bill) inside the period",
    "ef_gwp": "kgCO2e per activity_unit, location-based",
    "ef_gwp_market": "kgCO2e per activity_unit, market-based",
    "ef_energy": "kWh per activity_unit",
    "ef_water": "m³ per activity_unit",
    "ef_adpe": "kgSbeq per activity_unit",
    "factor_gwp": "factor id of ef_gwp",
    "factor_gwp_market": "factor id of ef_gwp_market",
    "factor_water": "factor id(s) of ef_water",
    "factor_adpe": "factor id of ef_adpe",
    "factor_other": "other factor ids used (PUE, coefficients, exchange rates …)",
    "spend": "spend as given",
    "currency": "currency of the spend as given",
    "fx_rate": "exchange rate applied (factor currency per spend currency)",
    "price_index_ratio": "price-year adjustment applied",
    "kgco2e": "location-based kgCO2e",
    "kgco2e_market": "market-based kgCO2e",
    "kgco2e_alternative": "kgCO2e under the other capital-goods view",
    "energy_kwh": "energy, kWh",
    "water_m3": "water consumed, m³",
    "adpe_kgsbeq": "abiotic resource depletion, kg Sb eq",
    "not_assessed": "indicators without a factor for this line (';'-separated)",
    "formula": "the formula of the line, in words",
}

NUMERIC = ("quantity", "activity_amount", "energy_it_kwh", "pue", "allocation_share",
           "allocation_share_alternative", "lifetime_days", "overlap_days", "ef_gwp",
           "ef_gwp_market", "ef_energy", "ef_water", "ef_adpe", "spend", "fx_rate",
           "price_index_ratio", "kgco2e", "kgco2e_market", "kgco2e_alternative", "energy_kwh",
           "water_m3", "adpe_kgsbeq")
INDICATORS = {"kgco2e": "ef_gwp", "kgco2e_market": "ef_gwp_market", "energy_kwh": "ef_energy",
              "water_m3": "ef_water", "adpe_kgsbeq": "ef_adpe"}
FACTOR_ID_COLUMNS = ("factor_gwp", "factor_gwp_market", "factor_water", "factor_adpe",
                     "factor_other")


def apply_formula(lines: pd.DataFrame) -> pd.DataFrame:
    """Compute every indicator as activity_amount × ef × allocation_share (NaN ef → NaN)."""
    amount = lines["activity_amount"] * lines["allocation_share"]
    for indicator, factor in INDICATORS.items():
        lines[indicator] = amount * lines[factor]
    alternative = lines["allocation_share_alternative"]
    lines["kgco2e_alternative"] = np.where(alternative.notna(),
                                           lines["activity_amount"] * lines["ef_gwp"] * alternative,
                                           np.nan)
    missing = [lines[f].isna().map({True: name, False: ""})
               for name, f in (("water_m3", "ef_water"), ("adpe_kgsbeq", "ef_adpe"),
                               ("energy_kwh", "ef_energy"))]
    joined = missing[0].str.cat(missing[1:], sep=";").str.strip(";").str.replace(
        ";;", ";", regex=False)
    lines["not_assessed"] = joined
    return lines


def assemble(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the lines of every activity into one ledger with all COLUMNS, in order."""
    frames = [p for p in parts if len(p)]
    ledger = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    for column in COLUMNS:
        if column not in ledger.columns:
            ledger[column] = np.nan if column in NUMERIC else ""
    for column in NUMERIC:
        ledger[column] = pd.to_numeric(ledger[column]).astype("float64")
    text = [c for c in COLUMNS if c not in NUMERIC and c not in ("row", "scope", "category",
                                                                   "counted", "fallback")]
    ledger[text] = ledger[text].fillna("").astype(str)
    ledger["row"] = ledger["row"].astype("int64")
    ledger["scope"] = ledger["scope"].astype("int64")
    ledger["category"] = pd.to_numeric(ledger["category"]).astype("Int64")
    ledger["counted"] = ledger["counted"].astype(bool)
    ledger["fallback"] = ledger["fallback"].fillna(False).astype(bool)
    ledger = ledger[list(COLUMNS)]
    return ledger.sort_values(["sheet", "row", "stage", "part"], kind="stable"
                              ).reset_index(drop=True)


def factor_ids(ledger: pd.DataFrame) -> pd.Series:
    """The distinct factor ids of each line, as a list (results.json ``factor_ids``)."""
    joined = ledger[list(FACTOR_ID_COLUMNS)].astype(str).agg(";".join, axis=1)
    return joined.map(lambda s: sorted({x for x in s.split(";") if x}))
