"""What every matching and compute step needs: settings, factors, sites, the period."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lca.factors.library import FactorLibrary
from lca.settings import Settings


@dataclass(frozen=True)
class Context:
    """Read-only inputs shared by the activity modules.

    ``overrides`` is the inventory's own ``factors`` sheet (accepted rows); ``sites`` is indexed
    by site_id with the resolved pue/wue; ``metered_sites`` are sites with an electricity row in
    ``energy`` (their equipment use is attribution only); ``assets`` is the equipment sheet
    indexed by asset_id (compute jobs on owned assets); ``method`` is the estimation method of
    cloud and compute-job estimates (``default``, ``ccf``, ``green-algorithms``).
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
