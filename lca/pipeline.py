"""The orchestrator: read → validate → map to factors and compute the ledger → aggregate.

Rendering (results.json, CSV, PDF, workbook) takes the ``RunResult`` this returns.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from lca import aggregate
from lca.activities import cloud, compute_jobs, energy, equipment, refrigerants, services
from lca.budgets import budget_vs_actual
from lca.context import Context
from lca.factors.library import FactorLibrary, load_library
from lca.issues import Issue, Severity, SourceRef
from lca.ledger import assemble, with_line_ids
from lca.methods import METHODS
from lca.read import read_inventory
from lca.settings import Settings
from lca.units import conversion_factor
from lca.validate import FILE, Inventory, validate

log = logging.getLogger("lca")

#: Activity sheets and the module that turns their rows into ledger lines, in ledger order.
ACTIVITIES = (("equipment", equipment), ("energy", energy), ("refrigerants", refrigerants),
              ("cloud", cloud), ("services", services), ("compute_jobs", compute_jobs))


@dataclass
class RunResult:
    """Everything a report needs: the inventory, the ledger, totals and all issues."""

    inventory: Inventory
    library: FactorLibrary
    lines: pd.DataFrame
    issues: list[Issue]
    totals: dict = field(default_factory=dict)
    capital_goods_alternative: dict = field(default_factory=dict)
    attribution: dict = field(default_factory=dict)
    offsets_memo: dict = field(default_factory=dict)
    reconciliation: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    budgets: list = field(default_factory=list)
    method: str = "default"

    @cached_property
    def ledger(self) -> pd.DataFrame:
        """The ledger with its ``line_id`` column (derived on first use: ids are strings, and
        computing a million of them is left to the renderers that need them)."""
        return with_line_ids(self.lines)

    @property
    def settings(self) -> Settings | None:
        return self.inventory.settings

    @property
    def ok(self) -> bool:
        """True when no error-severity issue was found."""
        return not any(i.severity is Severity.ERROR for i in self.issues)


@contextmanager
def _timed(timings: dict, stage: str):
    start = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - start
    log.debug("%s: %.3f s", stage, timings[stage])


def run(path: str | Path, library: FactorLibrary | None = None, method: str = "default"
        ) -> RunResult:
    """Run the pipeline on the inventory at ``path`` (xlsx workbook or CSV folder).

    ``method`` selects the estimation method of cloud and compute-job estimates: ``default``,
    ``ccf`` (Cloud Carbon Footprint) or ``green-algorithms`` (see ``lca.methods``)."""
    timings: dict[str, float] = {}
    library = library or load_library()
    with _timed(timings, "read"):
        raw = read_inventory(path)
    with _timed(timings, "validate"):
        inventory, issues = validate(raw, library)
    return compute(inventory, library, issues, timings, method)


def compute(inventory: Inventory, library: FactorLibrary, issues: list[Issue],
            timings: dict | None = None, method: str = "default") -> RunResult:
    """Map the validated inventory to factors, compute the ledger and aggregate it."""
    timings = {} if timings is None else timings
    if inventory.settings is None:
        empty = assemble([])
        return RunResult(inventory, library, empty, issues, timings=timings)
    with _timed(timings, "compute"):
        ctx, found = build_context(inventory, library, method)
        issues = issues + found
        parts = []
        for name, module in ACTIVITIES:
            frame = inventory.sheet(name)
            lines, found = module.lines(frame, ctx)
            parts += lines
            issues += found
        ledger = assemble(parts)
    with _timed(timings, "aggregate"):
        totals = aggregate.totals(ledger)
        budgets, found = budget_vs_actual(inventory.sheet("budgets"), ledger, totals)
        result = RunResult(
            inventory=inventory, library=library, lines=ledger, issues=issues, totals=totals,
            capital_goods_alternative=aggregate.capital_goods_alternative(
                ledger, inventory.settings.capital_goods, totals),
            attribution=aggregate.attribution(ledger),
            offsets_memo=aggregate.offsets_memo(inventory),
            reconciliation=aggregate.reconciliation(inventory, ledger), timings=timings,
            budgets=budgets, method=method)
        result.issues += found
    return result


def build_context(inventory: Inventory, library: FactorLibrary, method: str = "default"
                  ) -> tuple[Context, list[Issue]]:
    """Resolve sites (PUE/WUE defaults), metered sites and the inventory's own factors."""
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {METHODS}")
    settings = inventory.settings
    sites = inventory.sheet("sites").set_index("site_id")
    kinds = sites["kind"].astype("string")
    pue = library.lookup("sites", kinds, "pue", settings.year)
    wue = library.lookup("sites", kinds, "wue", settings.year)
    sites = sites.assign(
        pue=sites["pue"].astype("float64").fillna(pue["value"].astype("float64")).fillna(1.0),
        pue_factor=pue["factor_id"].where(sites["pue"].isna(), ""),
        wue_l_per_kwh=sites["wue_l_per_kwh"].astype("float64").fillna(
            wue["value"].astype("float64")))
    energy_rows = inventory.sheet("energy")
    metered = frozenset(energy_rows.loc[energy_rows["carrier"] == "electricity", "site_id"])
    overrides, issues = own_factors(inventory.sheet("factors"))
    assets = inventory.sheet("equipment").drop_duplicates("asset_id").set_index("asset_id")
    return Context(settings=settings, library=library, overrides=overrides, sites=sites,
                   metered_sites=metered, assets=assets, method=method), issues


#: Numerator each own-factor indicator must convert to.
_NUMERATOR = {"gwp": "kgCO2e", "gwp_upstream": "kgCO2e", "water": "m**3", "adpe": "kgSbeq"}


def own_factors(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """The inventory's factors sheet, ready for ``lca.match``; unusable rows become issues.

    Equipment factors are per device: a unit without a denominator (``kgCO2e``) is read as
    per device.
    """
    issues = []
    frame = frame.copy()
    usable = np.ones(len(frame), dtype=bool)
    for position, (unit, indicator, sheet, factor_id, row, file) in enumerate(zip(
            frame["unit"], frame["indicator"], frame["sheet"], frame["factor_id"],
            frame["_row"], frame[FILE])):
        try:
            conversion_factor(str(unit), _NUMERATOR[indicator])
        except Exception:  # pint: not a bare amount, so it is per something — as it must be
            continue
        if sheet == "equipment":
            frame.iloc[position, frame.columns.get_loc("unit")] = f"({unit}) / device"
            continue
        usable[position] = False
        issues.append(Issue(
            code="invalid-factor", severity=Severity.ERROR, value=str(unit),
            message=f"unit {unit!r} of own factor {factor_id!r} is not per unit of activity "
                    f"(e.g. {_NUMERATOR[indicator]}/kWh)",
            source=SourceRef(file=file, sheet="factors", row=int(row), column="unit")))
    out = frame[usable].copy()
    out["year"] = out["year"].astype("float64")
    return out, issues
