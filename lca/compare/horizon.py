"""One option over the horizon: its devices with their replacements, computed year by year by
the annual engine.

Year k of the horizon (k = 1 … horizon_years) is the period [start_date + (k − 1) years,
start_date + k years). For each year the option's inventory is computed by
``lca.pipeline.compute`` with that period, so the ledger of year k holds:

* manufacturing and end of life of each device × its allocation share in year k — with
  ``capital_goods: amortized`` the days of its lifetime inside year k / lifetime days (the
  shares of a device over all years sum to the part of its lifetime inside the horizon); with
  ``acquisition_year`` 1 in the year it is acquired;
* use: IT kWh in service inside year k × site PUE × the site's grid (and WUE);
* cloud, services and energy rows: their quantities are per year (energy bills with their own
  dates are shared by days, as in the annual report).

Replacements: a device without ``retired_on`` is taken out of service at the end of its
lifetime (acquired_on + lifetime_years, the library's default lifetime when blank) and, when
that falls before the end of the horizon, replaced by an identical device acquired that day
(``asset_id#2``, ``#3`` … on the same input row), again and again until the horizon is covered.
A device with ``retired_on`` is in use until that date and not replaced: the option lists what
replaces it.

Use phase: in a comparison every device's use is counted, also at a site with a metered
electricity row (which in an annual inventory makes it attribution only): the energy sheet of
an options workbook holds energy beyond the listed devices (cooling, lighting), never a bill
that already contains them (such a row is flagged with a double-counting-risk warning).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from lca.allocation import add_years
from lca.compare.options import CompareSettings
from lca.factors.library import FactorLibrary
from lca.issues import Issue
from lca.mapping.context import build_context
from lca.mapping.match import resolve
from lca.pipeline import compute
from lca.validate import Inventory

#: A replacement's asset_id: the original's, then this separator and its generation (2, 3 …).
GENERATION = "#"


def with_lifetimes(inventory: Inventory, library: FactorLibrary) -> Inventory:
    """The inventory with every blank ``lifetime_years`` set to the library's default for the
    device's category (the value the engine would use), so replacements can be dated."""
    equipment = inventory.sheet("equipment")
    if equipment.empty:
        return inventory
    ctx, _ = build_context(inventory, library)
    default = resolve(
        ctx, table="equipment", keys=equipment["category"], indicator="lifetime", target_unit="year"
    )
    filled = equipment.assign(lifetime_years=equipment["lifetime_years"].fillna(default["value"]))
    return dataclasses.replace(inventory, sheets={**inventory.sheets, "equipment": filled})


def with_replacements(equipment: pd.DataFrame, horizon_end: pd.Timestamp) -> pd.DataFrame:
    """Devices retired at the end of their lifetime, plus their successive replacements up to
    ``horizon_end`` (exclusive). Rows with ``retired_on`` or without a lifetime stay as given."""
    if equipment.empty:
        return equipment
    lifetime = equipment["lifetime_years"]
    renewable = equipment["retired_on"].isna() & lifetime.gt(0).fillna(False)
    current = equipment.assign(
        retired_on=equipment["retired_on"].where(
            ~renewable, add_years(equipment["acquired_on"], lifetime)
        )
    )
    out = [current]
    due = current[renewable & (current["retired_on"] < horizon_end)]
    generation = 2
    while len(due):
        acquired = due["retired_on"]
        due = due.assign(
            asset_id=equipment.loc[due.index, "asset_id"] + f"{GENERATION}{generation}",
            acquired_on=acquired,
            retired_on=add_years(acquired, due["lifetime_years"]),
        )
        out.append(due)
        due = due[due["retired_on"] < horizon_end]
        generation += 1
    return pd.concat(out).sort_values(["_row", "acquired_on"], kind="stable").reset_index(drop=True)


def run_option(
    inventory: Inventory, settings: CompareSettings, library: FactorLibrary
) -> tuple[pd.DataFrame, list[Issue]]:
    """The ledger of one option over the horizon: every year's ledger with a ``year`` column
    (1-based), and the compute issues of all years."""
    end = pd.Timestamp(settings.end_exclusive)
    equipment = with_replacements(inventory.sheet("equipment"), end)
    sheets = {**inventory.sheets, "equipment": equipment} if len(equipment) else inventory.sheets
    ledgers, issues = [], []
    for index in range(settings.horizon_years):
        period = settings.engine_settings(
            settings.year_start(index), settings.year_start(index + 1)
        )
        year = compute(
            dataclasses.replace(inventory, settings=period, sheets=sheets),
            library,
            [],
            intervals=False,  # the comparison reports totals
        )
        use = (year.ledger["activity"] == "equipment") & (year.ledger["stage"] == "use")
        ledgers.append(year.ledger.assign(counted=year.ledger["counted"] | use, year=index + 1))
        issues += year.issues
    return pd.concat(ledgers, ignore_index=True), issues
