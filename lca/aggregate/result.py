"""The result of a run: the inventory, the ledger, its totals and every issue.

Made by ``lca.pipeline``; the renderers read it and never change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from lca.factors.library import FactorLibrary
from lca.issues import Issue, Severity
from lca.ledger import with_line_ids
from lca.mapping.context import Context
from lca.validate import Inventory
from lca.validate.settings import Settings


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
    outside_scopes: dict = field(default_factory=dict)
    #: Biogenic CO2 of biofuel blends (``lca.aggregate.biogenic_co2``), outside the scopes.
    biogenic_co2: dict = field(default_factory=dict)
    #: Scope 1 per gas or family (``lca.aggregate.gases``); adds up to the scope 1 total.
    scope1_by_gas_kgco2e: dict = field(default_factory=dict)
    #: Scope 2 location-based per gas of the grid factors' split (``lca.aggregate.gases``).
    scope2_location_by_gas_kgco2e: dict = field(default_factory=dict)
    #: The report's GWP set and the counted kgCO2e per line ``gwp_set`` (``lca.factors.gwp``).
    gwp_sets: dict = field(default_factory=dict)
    scope3_screening: dict = field(default_factory=dict)
    reconciliation: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    budgets: list = field(default_factory=list)
    method: str = "default"
    #: The sites, own factors and settings the ledger was computed with (None without settings).
    context: Context | None = None
    #: Each own factor (factors sheet) with the number of ledger lines that use it.
    own_factors: list = field(default_factory=list)
    #: Per site with electricity bills: the days of the period they cover, and the share.
    meter_coverage: dict = field(default_factory=dict)
    #: Year two (``lca.aggregate.comparatives``): the base year, the priors recomputed, the
    #: change from N-1 to N and the targets' progress.
    base_year: dict | None = None
    comparatives: list = field(default_factory=list)
    change_vs_prior: dict | None = None
    targets: list = field(default_factory=list)
    #: The runs of the prior years kept by ``lca.aggregate.comparatives.prior_years``, by
    #: reporting year: the report computes their figures that results.json does not carry
    #: (the AR 51 sub-line) with the same function as year N's. Never written out.
    priors: dict = field(default_factory=dict)
    #: ``lca.aggregate.bridge``: N-1 to N split into activity, factor and method effects
    #: (None without a prior).
    bridge: dict | None = None
    #: ``lca.aggregate.uncertainty``: the 95 % intervals of the totals (results.json
    #: ``uncertainty``); empty without a ledger.
    uncertainty: dict = field(default_factory=dict)

    @cached_property
    def ledger(self) -> pd.DataFrame:
        """The ledger with its ``line_id`` column (derived on first use: ids are strings, and
        computing a million of them is left to the renderers that need them)."""
        return with_line_ids(self.lines)

    @property
    def settings(self) -> Settings | None:
        return self.inventory.settings

    @property
    def valid_settings(self) -> Settings:
        """``Inventory.valid_settings``: the settings of a run that computed a ledger."""
        return self.inventory.valid_settings

    @property
    def ok(self) -> bool:
        """True when no error-severity issue was found."""
        return not any(i.severity is Severity.ERROR for i in self.issues)
