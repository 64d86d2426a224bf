"""The ledger contract: one line per input row × lifecycle stage (× part), the spine of every
report.

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

from lca import distinct

#: Column → meaning: text and identity columns first, then the numbers (one float block).
COLUMNS: dict[str, str] = {
    "line_id": "sheet:row:stage[:part], unique",
    "file": "input file of the row",
    "sheet": "input sheet of the row",
    "row": "spreadsheet row number of the input row (header = 1)",
    "activity": "equipment, energy, refrigerants, cloud, services, compute_jobs, genai_usage",
    "stage": "manufacturing, use, end_of_life, operation",
    "part": "blank, or 'upstream' (scope 3 cat 3 part of energy) / 'embodied' / "
    "'outside_scopes' (the non-Kyoto part of a refrigerant), 'onsite_water' (a hosted "
    "model's on-site water)",
    "scope": "GHG Protocol scope 1, 2 or 3; 0 = outside the scopes (never counted)",
    "category": "scope 3 category (1–15), blank for scopes 1 and 2",
    "method": "supplier_specific, average_data, spend_based, measured, estimated",
    "counted": "True: in the totals; False: attribution ('of which') only",
    "overlap": "blank, or how a possible double count with other rows was resolved "
    "(lca.aggregate.overlap)",
    "fallback": "True when a less specific factor than asked for was used",
    "site_id": "site of the row, where there is one",
    "country": "ISO alpha-2 country of the electricity or site",
    "group": "breakdown key: equipment category, carrier, provider, spend category, gas",
    "item_id": "the row's own identifier where it has one (asset_id, job_id; the project of a "
    "genai_usage row), for budgets",
    "label": "short human description of the line",
    "quantity_unit": "the unit of that quantity as given",
    "activity_unit": "unit of activity_amount",
    "factor_gwp": "factor id of ef_gwp",
    "factor_gwp_market": "factor id of ef_gwp_market",
    "market_basis": "scope 2 lines: what ef_gwp_market is (contractual emission rate, renewable "
    "instrument, residual mix, location-based factor)",
    "factor_water": "factor id(s) of ef_water",
    "factor_adpe": "factor id of ef_adpe",
    "factor_other": "other factor ids used (PUE, coefficients, exchange rates …)",
    "currency": "currency of the spend as given",
    "not_assessed": "indicators without a factor for this line (';'-separated)",
    "formula": "the formula of the line, in words",
    "basis": "the rule that put the line in its scope, category and period",
    "gwp_set": "the IPCC GWP100 set of ef_gwp: the report's (native, or 'converted from <set> "
    "per gas'), another set as published, 'CO2 only' or 'not stated' (lca.factors.gwp)",
    "quantity": "the row's quantity as given",
    "activity_amount": "the activity the factors multiply, in activity_unit",
    "activity_amount_low": "low bound of activity_amount where the method gives a range "
    "(genai_usage); an indicator's bound = bound × ef × allocation_share",
    "activity_amount_high": "high bound of activity_amount (see activity_amount_low)",
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
    "spend": "spend as given",
    "fx_rate": "exchange rate applied (factor currency per spend currency)",
    "price_index_ratio": "price-year adjustment applied",
    "kgco2e": "location-based kgCO2e",
    "kgco2e_market": "market-based kgCO2e",
    "kgco2e_alternative": "kgCO2e under the other capital-goods view",
    "energy_kwh": "energy, kWh",
    "water_m3": "water consumed, m³",
    "adpe_kgsbeq": "abiotic resource depletion, kg Sb eq",
}

NUMERIC = (
    "quantity",
    "activity_amount",
    "activity_amount_low",
    "activity_amount_high",
    "energy_it_kwh",
    "pue",
    "allocation_share",
    "allocation_share_alternative",
    "lifetime_days",
    "overlap_days",
    "ef_gwp",
    "ef_gwp_market",
    "ef_energy",
    "ef_water",
    "ef_adpe",
    "spend",
    "fx_rate",
    "price_index_ratio",
    "kgco2e",
    "kgco2e_market",
    "kgco2e_alternative",
    "energy_kwh",
    "water_m3",
    "adpe_kgsbeq",
)
INDICATORS = {
    "kgco2e": "ef_gwp",
    "kgco2e_market": "ef_gwp_market",
    "energy_kwh": "ef_energy",
    "water_m3": "ef_water",
    "adpe_kgsbeq": "ef_adpe",
}
FACTOR_ID_COLUMNS = (
    "factor_gwp",
    "factor_gwp_market",
    "factor_water",
    "factor_adpe",
    "factor_other",
)
#: Identity columns stored as plain arrays (``category`` as nullable integers).
FLAT = {
    "row": "int64",
    "scope": "int64",
    "category": "Int64",
    "counted": "bool",
    "fallback": "bool",
}
#: Indicators that ``not_assessed`` lists when their factor is NaN, with that factor.
ASSESSED = (("energy_kwh", "ef_energy"), ("water_m3", "ef_water"), ("adpe_kgsbeq", "ef_adpe"))


def apply_formula(block: dict[str, np.ndarray], lines: slice = slice(None)) -> None:
    """The formula, on the ``lines`` of ``block`` (column name → array), written in place:
    every indicator = activity_amount × ef_<indicator> × allocation_share (NaN ef → NaN), and
    kgco2e_alternative = activity_amount × ef_gwp × allocation_share_alternative."""
    amount = block["activity_amount"][lines] * block["allocation_share"][lines]
    for indicator, factor in INDICATORS.items():
        np.multiply(amount, block[factor][lines], out=block[indicator][lines])
    np.multiply(
        block["activity_amount"][lines] * block["ef_gwp"][lines],
        block["allocation_share_alternative"][lines],
        out=block["kgco2e_alternative"][lines],
    )


def lifecycle_kgco2e(ledger: pd.DataFrame, capital_goods: str) -> pd.Series:
    """Each line's kgCO2e in the amortized (IT lifecycle) view, the one the per-site and
    AI-share views use: with the ``amortized`` headline, ``kgco2e``; with ``acquisition_year``,
    ``kgco2e_alternative`` where the line has another view (``allocation_share_alternative``
    set: devices' embodied and end-of-life lines), else ``kgco2e``."""
    if capital_goods == "amortized":
        return ledger["kgco2e"]
    other_view = ledger["allocation_share_alternative"].notna()
    return ledger["kgco2e_alternative"].where(other_view, ledger["kgco2e"])


def indicator_bounds(ledger: pd.DataFrame, indicator: str) -> tuple[pd.Series, pd.Series]:
    """Low and high bound of an indicator on every line: ``activity_amount_low``/``_high`` ×
    ef_<indicator> × allocation_share (NaN where the line has no bounds or the factor does
    not apply)."""
    factor = ledger[INDICATORS[indicator]]
    share = ledger["allocation_share"]
    return (
        ledger["activity_amount_low"] * factor * share,
        ledger["activity_amount_high"] * factor * share,
    )


def factor_id_lists(ledger: pd.DataFrame) -> tuple[np.ndarray, list[list[str]]]:
    """The code of each line's combination of the factor-id columns and, per code, its
    distinct factor ids as a sorted list: computed once per combination."""
    columns = list(FACTOR_ID_COLUMNS)
    codes, first = distinct.of_columns(ledger, columns)
    lists = [  # a missing id (NaN) reads as a blank
        sorted({x for value in combo if pd.notna(value) for x in str(value).split(";") if x})
        for combo in ledger[columns].iloc[first].itertuples(index=False)
    ]
    return codes, lists


def factor_ids(ledger: pd.DataFrame) -> pd.Series:
    """The distinct factor ids of each line, as a sorted list (results.json ``factor_ids``)."""
    codes, lists = factor_id_lists(ledger)
    return pd.Series([lists[c] for c in codes], index=ledger.index, dtype=object)
