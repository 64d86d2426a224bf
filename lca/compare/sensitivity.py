"""Sensitivity of the ranking: each option recomputed with one assumption changed.

Cases (each applied to every option's validated inputs, then computed like the baseline):

* ``lifetime_minus_1`` / ``lifetime_plus_1``: every device's lifetime (given or the library's
  default) − 1 year (never below 1 year) / + 1 year; replacements are re-dated accordingly.
* ``grid_low_carbon`` / ``grid_high_carbon``: every site moved to the low- / high-carbon
  country of the settings (default FR / PL): its grid factor, water and upstream factors are
  that country's (a grid zone is dropped). Cloud regions are the options' own choice and stay.
* ``utilization_minus_25`` / ``utilization_plus_25``: use-phase draw × 0.75 / × 1.25: each
  device's ``power_w`` and ``annual_kwh`` (the category default when blank) are scaled, and
  the cloud providers' average utilisation u in W_min + u × (W_max − W_min) is scaled (capped
  at 1) for the cloud rows. Manufacturing is unchanged.

The ranking of a case is compared with the baseline ranking: ``ranking_changed`` says whether
the order of the options flips.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pandas as pd

from lca.compare.horizon import run_option
from lca.compare.options import CompareSettings
from lca.compare.summary import ranking, summarize
from lca.factors.library import FactorLibrary
from lca.mapping.context import build_context
from lca.mapping.match import resolve
from lca.validate import Inventory

UTILIZATION_STEP = 0.25
Adjust = Callable[[Inventory, FactorLibrary], tuple[Inventory, FactorLibrary]]


def _replace_sheet(inventory: Inventory, name: str, frame: pd.DataFrame) -> Inventory:
    return dataclasses.replace(inventory, sheets={**inventory.sheets, name: frame})


def shift_lifetime(years: float) -> Adjust:
    """Every device's lifetime + ``years`` (never below 1 year, nor above what was given)."""

    def adjust(inventory, library):
        equipment = inventory.sheet("equipment")
        given = equipment["lifetime_years"]
        shifted = (given + years).clip(lower=1.0).where(given >= 1.0, given)
        return _replace_sheet(
            inventory, "equipment", equipment.assign(lifetime_years=shifted)
        ), library

    return adjust


def move_sites(country: str) -> Adjust:
    """Every site in ``country`` (its grid zone dropped)."""

    def adjust(inventory, library):
        sites = inventory.sheet("sites")
        moved = sites.assign(
            country=pd.Series(country, index=sites.index, dtype="string"),
            grid_zone=pd.Series(pd.NA, index=sites.index, dtype="string"),
        )
        return _replace_sheet(inventory, "sites", moved), library

    return adjust


def scale_utilization(factor: float) -> Adjust:
    """Device draw and cloud average utilisation × ``factor``."""

    def adjust(inventory, library):
        equipment = inventory.sheet("equipment")
        if len(equipment):
            ctx, _ = build_context(inventory, library)
            annual = resolve(
                ctx,
                table="equipment",
                keys=equipment["category"],
                indicator="annual_energy",
                target_unit="kWh/year",
            )["value"]
            power = resolve(
                ctx,
                table="equipment",
                keys=equipment["category"],
                indicator="power",
                target_unit="W",
            )["value"]
            neither = equipment["annual_kwh"].isna() & equipment["power_w"].isna()
            annual_kwh = equipment["annual_kwh"].where(~neither, annual)
            power_w = equipment["power_w"].where(~(neither & annual.isna()), power)
            inventory = _replace_sheet(
                inventory,
                "equipment",
                equipment.assign(annual_kwh=annual_kwh * factor, power_w=power_w * factor),
            )
        factors = library.factors
        rows = (factors["table"] == "cloud") & (factors["indicator"] == "utilization")
        scaled = factors.assign(
            value=factors["value"].where(~rows, (factors["value"] * factor).clip(upper=1.0))
        )
        return inventory, dataclasses.replace(library, factors=scaled)

    return adjust


def cases(settings: CompareSettings) -> list[tuple[str, str, Adjust]]:
    """(case id, label, adjustment) of every sensitivity case."""
    low, high = settings.low_carbon_country, settings.high_carbon_country
    step = round(UTILIZATION_STEP * 100)
    return [
        ("lifetime_minus_1", "Lifetime − 1 year", shift_lifetime(-1.0)),
        ("lifetime_plus_1", "Lifetime + 1 year", shift_lifetime(1.0)),
        ("grid_low_carbon", f"Sites on the {low} grid (low carbon)", move_sites(low)),
        ("grid_high_carbon", f"Sites on the {high} grid (high carbon)", move_sites(high)),
        (
            "utilization_minus_25",
            f"Utilisation − {step} %",
            scale_utilization(1 - UTILIZATION_STEP),
        ),
        ("utilization_plus_25", f"Utilisation + {step} %", scale_utilization(1 + UTILIZATION_STEP)),
    ]


def sensitivity_table(
    inventories: dict[str, Inventory],
    settings: CompareSettings,
    library: FactorLibrary,
    baseline: list[str],
) -> list[dict]:
    """One entry per case: each option's total kgCO2e, the ranking and whether it changed."""
    table = []
    for case, label, adjust in cases(settings):
        options = []
        for name, inventory in inventories.items():
            changed, changed_library = adjust(inventory, library)
            ledger, _ = run_option(changed, settings, changed_library)
            options.append({"option": name, **summarize(ledger, settings)})
        order = ranking(options)
        table.append(
            {
                "case": case,
                "label": label,
                "totals_kgco2e": {o["option"]: o["totals"]["kgco2e"] for o in options},
                "ranking_kgco2e": order,
                "ranking_changed": order != baseline,
            }
        )
    return table
