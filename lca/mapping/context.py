"""What every matching and compute step needs: settings, factors, sites, the period."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lca.coerce import TextCodes
from lca.factors.library import FactorLibrary
from lca.issues import Issue, Severity, SourceRef
from lca.mapping.own_factors import own_factors
from lca.methods import METHODS
from lca.spec import FILE, ROW
from lca.validate import Inventory
from lca.validate.settings import Settings


@dataclass(frozen=True)
class Context:
    """Read-only inputs shared by the activity modules.

    ``overrides`` is the inventory's own ``factors`` sheet (accepted rows, ``usable`` False
    where the unit cannot serve: see ``lca.mapping.own_factors``); ``sites`` is indexed by
    site_id with the resolved pue/wue; ``meters`` gives, per site with an electricity row in
    ``energy``, the days of the period its bills cover (``meter_coverage``: equipment use on
    those days is attribution only); ``assets`` is the equipment sheet
    indexed by asset_id (compute jobs on owned assets); ``method`` is the estimation method of
    cloud, compute-job and genai_usage estimates (``default``, ``ccf``, ``green-algorithms``,
    ``ecologits``); ``asked`` collects every (sheet, key, indicator, stage) for which an own
    factor was looked up; ``far_from_library`` the own factors far from the library's value;
    ``text_codes`` are the codes of the inventory's text columns made while validating
    (``lca.coerce.TextCodes``).
    """

    settings: Settings
    library: FactorLibrary
    overrides: pd.DataFrame
    sites: pd.DataFrame
    meters: dict[str, tuple[tuple[pd.Timestamp, pd.Timestamp], ...]] = field(default_factory=dict)
    assets: pd.DataFrame | None = None
    method: str = "default"
    asked: set = field(default_factory=set, compare=False)
    text_codes: TextCodes = field(default_factory=TextCodes, compare=False)
    #: own factor id → (own value, library value, library factor id, unit) for own factors
    #: ``OWN_FACTOR_RATIO`` times above or below the library's value for the same key
    far_from_library: dict = field(default_factory=dict, compare=False)
    #: indicator → its own factors and their positions (``lca.mapping.match``, built once)
    own_tables: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def year(self) -> int:
        return self.settings.year

    @property
    def period_start(self) -> pd.Timestamp:
        return pd.Timestamp(self.settings.period_start)

    @property
    def period_end_exclusive(self) -> pd.Timestamp:
        return pd.Timestamp(self.settings.period_end) + pd.Timedelta(days=1)


def build_context(
    inventory: Inventory, library: FactorLibrary, method: str = "default"
) -> tuple[Context, list[Issue]]:
    """Resolve sites (PUE/WUE defaults), metered sites and the inventory's own factors."""
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {METHODS}")
    settings = inventory.valid_settings
    sites = inventory.sheet("sites").set_index("site_id")
    kinds = sites["kind"].astype("string")
    pue = library.lookup("sites", kinds, "pue", settings.year)
    wue = library.lookup("sites", kinds, "wue", settings.year)
    sites = sites.assign(
        pue=sites["pue"].astype("float64").fillna(pue["value"].astype("float64")).fillna(1.0),
        pue_factor=pue["factor_id"].where(sites["pue"].isna(), ""),
        wue_l_per_kwh=sites["wue_l_per_kwh"]
        .astype("float64")
        .fillna(wue["value"].astype("float64")),
    )
    start, end = pd.Timestamp(settings.period_start), pd.Timestamp(settings.period_end)
    meters = meter_coverage(inventory.sheet("energy"), start, end + pd.Timedelta(days=1))
    overrides, issues = own_factors(inventory.sheet("factors"))
    issues += meter_issues(meters, inventory.sheet("sites"), (end - start).days + 1)
    assets = inventory.sheet("equipment").drop_duplicates("asset_id").set_index("asset_id")
    return Context(
        settings=settings,
        library=library,
        overrides=overrides,
        sites=sites,
        meters=meters,
        assets=assets,
        method=method,
        text_codes=inventory.text_codes,
    ), issues


def meter_coverage(
    energy: pd.DataFrame, period_start: pd.Timestamp, period_end_exclusive: pd.Timestamp
) -> dict[str, tuple[tuple[pd.Timestamp, pd.Timestamp], ...]]:
    """Per site with an electricity row: the days of the period its bills cover, as sorted,
    disjoint ``[start, end)`` intervals (none when every bill is outside the period). A bill
    without dates covers the whole period."""
    bills = energy[energy["carrier"] == "electricity"]
    start = bills["period_start"].fillna(period_start).clip(lower=period_start)
    end = (
        (bills["period_end"] + pd.Timedelta(days=1))
        .fillna(period_end_exclusive)
        .clip(upper=period_end_exclusive)
    )
    out = {}
    for site, group in pd.DataFrame({"site": bills["site_id"], "start": start, "end": end}).groupby(
        "site", sort=True
    ):
        merged: list[list[pd.Timestamp]] = []
        for lo, hi in sorted(zip(group["start"], group["end"], strict=True)):
            if hi <= lo:
                continue
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        out[str(site)] = tuple((lo, hi) for lo, hi in merged)
    return out


def meter_days(meters: dict, period_days: int) -> dict[str, dict]:
    """Per metered site: the days of the period its bills cover, and their share."""
    out = {}
    for site, intervals in sorted(meters.items()):
        days = sum((hi - lo).days for lo, hi in intervals)
        out[site] = {"covered_days": days, "period_days": period_days, "share": days / period_days}
    return out


def meter_coverage_by_site(ctx: Context) -> dict[str, dict]:
    """``meter_days`` of a run (results.json ``meter_coverage``)."""
    return meter_days(ctx.meters, ctx.settings.period_days)


def meter_issues(meters: dict, sites: pd.DataFrame, period_days: int) -> list[Issue]:
    """A warning for each site whose electricity bills cover less than the period."""
    rows = dict(zip(sites["site_id"], sites[ROW], strict=True))
    files = dict(zip(sites["site_id"], sites[FILE], strict=True))
    issues = []
    for site, days in meter_days(meters, period_days).items():
        if days["covered_days"] >= period_days or site not in rows:
            continue
        issues.append(
            Issue(
                code="partial-meter-coverage",
                severity=Severity.WARNING,
                value=site,
                message=f"the electricity bills of site {site!r} cover "
                f"{days['covered_days']} of the period's {period_days} days "
                f"({days['share']:.1%}): the use of its equipment on the other days is counted "
                "in scope 2, as at a site without a meter",
                source=SourceRef(
                    file=str(files[site]), sheet="sites", row=int(rows[site]), column="site_id"
                ),
            )
        )
    return issues
