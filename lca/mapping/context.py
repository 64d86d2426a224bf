"""What every matching and compute step needs: settings, factors, sites, the period."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lca.factors.library import FactorLibrary
from lca.issues import Issue, Severity, SourceRef
from lca.methods import METHODS
from lca.spec import FILE
from lca.units import conversion_factor
from lca.validate import Inventory
from lca.validate.settings import Settings


@dataclass(frozen=True)
class Context:
    """Read-only inputs shared by the activity modules.

    ``overrides`` is the inventory's own ``factors`` sheet (accepted rows); ``sites`` is indexed
    by site_id with the resolved pue/wue; ``metered_sites`` are sites with an electricity row in
    ``energy`` (their equipment use is attribution only); ``assets`` is the equipment sheet
    indexed by asset_id (compute jobs on owned assets); ``method`` is the estimation method of
    cloud, compute-job and genai_usage estimates (``default``, ``ccf``, ``green-algorithms``,
    ``ecologits``).
    """

    settings: Settings
    library: FactorLibrary
    overrides: pd.DataFrame
    sites: pd.DataFrame
    metered_sites: frozenset[str]
    assets: pd.DataFrame | None = None
    method: str = "default"

    @property
    def year(self) -> int:
        return self.settings.year

    @property
    def period_start(self) -> pd.Timestamp:
        return pd.Timestamp(self.settings.period_start)

    @property
    def period_end_exclusive(self) -> pd.Timestamp:
        return pd.Timestamp(self.settings.period_end) + pd.Timedelta(days=1)


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
    """The inventory's factors sheet, ready for ``lca.mapping.match``; unusable rows become issues.

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
