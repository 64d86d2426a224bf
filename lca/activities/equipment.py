"""Owned or leased hardware: manufacturing (scope 3 cat 2, or 1), end of life (cat 5) and use.

Manufacturing, per line:  quantity × embodied kgCO2e per device × allocation share. The share
is, with ``capital_goods: acquisition_year`` (the default, the GHG Protocol Scope 3 Standard's
rule for category 2), 1 in the period containing acquired_on, else 0; with ``amortized`` (the
IT lifecycle view), the days of [acquired_on, end of service) inside the period divided by the
lifetime in days, where service ends at acquired_on + lifetime or at an earlier retired_on —
and a device retired early is charged its remaining share (end of lifetime − retired_on, over
the lifetime) in the period containing retired_on (the Azure rule). The other view is always
computed (``allocation_share_alternative``). A refurbished device takes the library's
refurbishment share of a new device's impact, a derived factor with its own id
(``lca.factors.refurbished``). ``holding`` says how a device is held: an
operating lease is a purchased service (category 1), owned, finance-leased and
colocation-hosted devices are capital goods (category 2).

End of life (cat 5) is charged in full in the period in which the device is disposed of:
retired_on, else the end of its lifetime. A manufacturer PCF (``PCF_SOURCES``) already holds
every stage but use, end of life included: such devices get no category 5 line, and their
manufacturing line says so. An operating-leased device goes back to its lessor (no line).

Use: IT kWh = annual_kwh × calendar years in service inside the period, or power_w × hours in
service (else the category's default), × quantity; × site PUE; service stops at retired_on.
Scope 2 for the share of the days in service that the site's electricity bills do not cover
(all of them at a site without one), and attribution (``counted`` False, part ``metered``
beside a counted share) for the days they cover: the meter already holds that electricity. At
a ``remote`` site (home working) the electricity is bought by employees: scope 3 category 7.
An operating-leased device under the financial-control or equity-share approach is outside
the boundary: its electricity is an upstream leased asset, scope 3 category 8 (GHG Protocol
Scope 3 Standard, table 5.8), with its upstream part.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lca.activities.common import (
    fallback_issues,
    grid_factor,
    new_lines,
    onsite_water_m3_per_kwh,
    reject,
    site_columns,
)
from lca.activities.energy import market_factor
from lca.allocation import DAY, add_years, calendar_years_in, overlap_days
from lca.factors.refurbished import derived_id
from lca.issues import Issue, Severity
from lca.mapping.context import Context
from lca.mapping.match import resolve

SHEET = "equipment"
#: Factor sources whose embodied figure is a manufacturer PCF without its use stage: it holds
#: manufacturing, transport and end of life (Boavizta: embodied = gwp_total × (1 − use ratio)).
PCF_SOURCES = ("boavizta_pcf",)
#: Why a device's embodied impact is in its category, by ``holding``.
HOLDING_BASIS = {
    "owned": "owned device: capital good, category 2",
    "finance_lease": "finance lease: a capital good of the lessee, category 2",
    "operating_lease": "operating lease: a purchased service, category 1",
    "colocation_hosted": "owned device hosted in a colocation centre: capital good, category 2",
}
VIEW_BASIS = {
    "acquisition_year": "charged in full in the period of acquisition (GHG Protocol Scope 3 "
    "Standard)",
    "amortized": "amortized over the lifetime (IT lifecycle view, a departure from the Scope 3 "
    "Standard)",
}


def normalize_model(model: pd.Series) -> pd.Series:
    """Model names as library keys: lower case, runs of non-alphanumerics → one space."""
    return (
        model.astype("string")
        .str.lower()
        .map(lambda m: re.sub(r"[^0-9a-z]+", " ", m).strip(), na_action="ignore")
        .astype("string")
    )


def allocation_shares(frame: pd.DataFrame, lifetime_years: pd.Series, ctx: Context) -> pd.DataFrame:
    """Amortized and acquisition-year shares of each asset's embodied impact in the period,
    and the share of its end of life (1 in the period it is disposed of)."""
    acquired, retired = frame["acquired_on"], frame["retired_on"]
    end_of_life = add_years(acquired, lifetime_years)
    lifetime_days = ((end_of_life - acquired) / DAY).astype("float64")
    early = retired.notna() & (retired < end_of_life)
    inside = overlap_days(
        acquired, end_of_life.where(~early, retired), ctx.period_start, ctx.period_end_exclusive
    )
    remaining = (
        ((end_of_life - retired) / DAY)
        .astype("float64")
        .where(early & _in_period(retired, ctx), 0.0)
    )
    amortized = ((inside + remaining) / lifetime_days).where(lifetime_days > 0, 0.0)
    acquisition = _in_period(acquired, ctx).astype("float64")
    chosen_is_amortized = ctx.settings.capital_goods == "amortized"
    disposed = retired.where(retired.notna(), end_of_life)
    return pd.DataFrame(
        {
            "allocation_share": amortized if chosen_is_amortized else acquisition,
            "allocation_share_alternative": acquisition if chosen_is_amortized else amortized,
            "lifetime_days": lifetime_days,
            "overlap_days": inside,
            "retired_early": early,
            "disposal_share": _in_period(disposed, ctx).astype("float64"),
        },
        index=frame.index,
    )


def _in_period(dates: pd.Series, ctx: Context) -> pd.Series:
    """True where a date falls inside the reporting period."""
    return ((dates >= ctx.period_start) & (dates < ctx.period_end_exclusive)).fillna(False)


def lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Ledger lines of the equipment sheet."""
    if frame.empty:
        return [], []
    lifetime = resolve(
        ctx, table="equipment", keys=frame["category"], indicator="lifetime", target_unit="year"
    )
    years = frame["lifetime_years"].fillna(lifetime["value"])
    issues = reject(
        frame,
        SHEET,
        years.isna(),
        "unknown-factor-key",
        "lifetime_years",
        "no lifetime given and no default lifetime for this category",
    )
    keep = years.notna()
    shares = allocation_shares(frame[keep], years[keep], ctx)
    made, made_issues = manufacturing_lines(frame[keep], shares, ctx)
    used, use_issues = use_lines(frame, ctx)
    return made + used, issues + made_issues + use_issues


def embodied_factors(
    frame: pd.DataFrame, ctx: Context, indicator: str, unit: str, stage: str
) -> pd.DataFrame:
    """Per-device factor: own factor (category:model, category), model PCF, category default."""
    model_key = frame["category"] + ":" + normalize_model(frame["model"])
    own = resolve(
        ctx,
        table="equipment_models",
        keys=model_key,
        indicator=indicator,
        target_unit=unit,
        stage=stage,
        override_sheet=SHEET,
        override_keys=model_key,
    )
    generic = resolve(
        ctx,
        table="equipment",
        keys=frame["category"],
        indicator=indicator,
        target_unit=unit,
        stage=stage,
        override_sheet=SHEET,
        override_keys=frame["category"],
    )
    has_model = own["factor_id"].notna()
    out = own.where(has_model, generic)
    out["fallback"] = ~has_model & frame["model"].notna() & generic["value"].notna()
    return out


def manufacturing_lines(frame, shares, ctx) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Manufacturing (cat 2, or 1 for an operating lease) and end-of-life (cat 5) lines."""
    gwp = embodied_factors(frame, ctx, "gwp", "kgCO2e/device", "manufacturing")
    refurb = resolve(
        ctx,
        table="equipment",
        keys=pd.Series("refurbished", index=frame.index),
        indicator="refurbished_factor",
        target_unit="dimensionless",
    )
    refurbished = frame["condition"].eq("refurbished").fillna(False).astype(bool)
    given = frame["embodied_kgco2e"]
    library_share = pd.Series(1.0, index=frame.index).where(~refurbished, refurb["value"])
    ef_gwp = given.where(given.notna(), gwp["value"] * library_share)
    supplier = given.notna() | gwp["supplier_specific"]
    missing = ef_gwp.isna()
    issues = reject(
        frame,
        SHEET,
        missing,
        "unknown-factor-key",
        "category",
        lambda v: f"no embodied factor for category {v!r} (give embodied_kgco2e)",
    )
    issues += reject(
        frame,
        SHEET,
        gwp["fallback"] & given.isna(),
        "factor-fallback",
        "model",
        lambda v: f"model {v!r} is not in the library; the category average was used",
        severity=Severity.WARNING,
    )
    water = embodied_factors(frame, ctx, "water", "m**3/device", "manufacturing")
    adpe = embodied_factors(frame, ctx, "adpe", "kgSbeq/device", "manufacturing")
    # a refurbished device's factor is derived (new × share): its own id, the new device's
    # factor and the share named beside it (lca.factors.refurbished)
    derived = refurbished & given.isna()
    ids_gwp = pd.Series("supplier:equipment:" + frame["_row"].astype(str), index=frame.index).where(
        given.notna(), gwp["factor_id"].astype(object).where(~derived, derived_id(gwp["factor_id"]))
    )
    other = (refurb["factor_id"].astype(object) + ";" + gwp["factor_id"].astype(object)).where(
        derived, ""
    )
    holding = frame["holding"].fillna("owned").astype(str)
    leased = holding.eq("operating_lease")
    library = ctx.library.factors
    pcf_ids = library.loc[library["source"].isin(PCF_SOURCES), "factor_id"]
    eol_included = given.isna() & gwp["factor_id"].isin(pcf_ids).fillna(False).astype(bool)
    retired_early = shares.pop("retired_early")
    disposal_share = shares.pop("disposal_share")
    basis = (
        holding.map(HOLDING_BASIS)
        + "; "
        + VIEW_BASIS[ctx.settings.capital_goods]
        + np.where(
            retired_early,
            "; retired before the end of its lifetime: the remaining "
            "share is charged in the period of retirement (amortized view)",
            "",
        )
        + np.where(
            eol_included,
            "; the factor is a manufacturer PCF holding transport and "
            "end of life: no separate category 5 line",
            "",
        )
    )
    common = dict(
        site_id=frame["site_id"],
        group=frame["category"],
        item_id=frame["asset_id"],
        quantity=frame["quantity"],
        quantity_unit="device",
        activity_amount=frame["quantity"],
        activity_unit="device",
        ef_energy=0.0,
        **shares,
    )
    made = new_lines(
        frame,
        activity=SHEET,
        stage="manufacturing",
        scope=3,
        category=np.where(leased, 1, 2),
        method=np.where(supplier, "supplier_specific", "average_data"),
    ).assign(
        **common,
        label=frame["category"] + " · " + frame["asset_id"],
        ef_gwp=ef_gwp,
        ef_gwp_market=ef_gwp,
        ef_water=water["value"],
        ef_adpe=adpe["value"],
        factor_gwp=ids_gwp,
        factor_gwp_market=ids_gwp,
        factor_water=water["factor_id"],
        factor_adpe=adpe["factor_id"],
        factor_other=other,
        fallback=gwp["fallback"],
        basis=basis,
        formula="quantity × embodied kgCO2e per device × allocation share",
    )
    eol = embodied_factors(frame, ctx, "gwp", "kgCO2e/device", "end_of_life")
    disposed_on = (
        frame["retired_on"]
        .notna()
        .map({True: "retired_on", False: "the end of its lifetime (no retired_on)"})
    )
    end = new_lines(
        frame,
        activity=SHEET,
        stage="end_of_life",
        scope=3,
        category=5,
        method=np.where(eol["supplier_specific"], "supplier_specific", "average_data"),
    ).assign(
        **common,
        label=frame["category"] + " end of life · " + frame["asset_id"],
        ef_gwp=eol["value"],
        ef_gwp_market=eol["value"],
        ef_water=np.nan,
        ef_adpe=np.nan,
        factor_gwp=eol["factor_id"],
        factor_gwp_market=eol["factor_id"],
        basis="end of life charged in full when the device is disposed of: " + disposed_on,
        formula="quantity × end-of-life kgCO2e per device × disposal share",
    )
    end["allocation_share"] = disposal_share
    end["allocation_share_alternative"] = disposal_share
    own_eol = ~missing & ~leased & ~eol_included
    issues += reject(
        frame,
        SHEET,
        own_eol & eol["value"].isna() & disposal_share.eq(1),
        "end-of-life-not-assessed",
        "category",
        lambda v: (
            f"a {v} disposed of in the period has no end-of-life factor and "
            "its embodied factor is cradle-to-gate: category 5 is not "
            "computed for it (add an end_of_life factor on the factors "
            "sheet)"
        ),
        severity=Severity.WARNING,
    )
    return [made[~missing], end[own_eol & eol["value"].notna()]], issues


def use_lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Use-phase electricity lines (scope 2, or attribution at metered sites) and cat 3."""
    sites = site_columns(frame, ctx)
    start = frame["acquired_on"]
    end = frame["retired_on"]
    in_service_days = overlap_days(start, end, ctx.period_start, ctx.period_end_exclusive)
    years_in_service = calendar_years_in(start, end, ctx.period_start, ctx.period_end_exclusive)
    default_annual = resolve(
        ctx,
        table="equipment",
        keys=frame["category"],
        indicator="annual_energy",
        target_unit="kWh/year",
    )
    default_power = resolve(
        ctx, table="equipment", keys=frame["category"], indicator="power", target_unit="W"
    )
    per_unit_kwh = (frame["annual_kwh"] * years_in_service).where(
        frame["annual_kwh"].notna(), frame["power_w"] * in_service_days * 24 / 1000
    )
    estimated = per_unit_kwh.isna()
    default_kwh = (default_annual["value"] * years_in_service).where(
        default_annual["value"].notna(), default_power["value"] * in_service_days * 24 / 1000
    )
    per_unit_kwh = per_unit_kwh.fillna(default_kwh)
    default_id = (
        default_annual["factor_id"]
        .astype(object)
        .where(default_annual["value"].notna(), default_power["factor_id"].astype(object))
    )
    it_kwh = per_unit_kwh * frame["quantity"]
    missing = it_kwh.isna()
    issues = reject(
        frame,
        SHEET,
        missing,
        "unknown-factor-key",
        "power_w",
        "no power_w or annual_kwh and no default for this category: the use phase is not computed",
        severity=Severity.WARNING,
    )
    covered = metered_share(frame, in_service_days, ctx)
    counted = covered < 1
    share = (1.0 - covered).where(counted, 1.0)
    partial = counted & (covered > 0)
    factors = {
        ind: grid_factor(ctx, sites, ind, unit)
        for ind, unit in (
            ("gwp", "kgCO2e/kWh"),
            ("gwp_upstream", "kgCO2e/kWh"),
            ("water", "m**3/kWh"),
            ("adpe", "kgSbeq/kWh"),
        )
    }
    location = factors["gwp"]
    pseudo = frame.assign(
        carrier="electricity", contractual_kgco2e_per_kwh=np.nan, instrument="none"
    )
    market, market_ids, market_basis, _ = market_factor(pseudo, sites, location, ctx)
    no_grid = location["value"].isna() & ~missing
    issues += reject(
        frame,
        SHEET,
        no_grid,
        "unknown-factor-key",
        "site_id",
        "no grid factor for this site's country: the use phase is not computed",
        severity=Severity.WARNING,
    )
    issues += fallback_issues(
        frame,
        SHEET,
        location["fallback"] & ~missing,
        "site_id",
        "grid factor for the site's zone or country",
    )
    kwh = it_kwh * sites["pue"]
    onsite = onsite_water_m3_per_kwh(sites["wue_l_per_kwh"].fillna(0.0), sites["pue"])
    method = np.where(estimated, "estimated", "average_data")
    remote = sites["kind"].eq("remote").fillna(False).astype(bool)
    holding = frame["holding"].fillna("owned").astype(str)
    approach = ctx.settings.consolidation_approach
    leased_out = ~remote & holding.eq("operating_lease") & (approach != "operational_control")
    scope3_category = pd.Series(np.where(remote, 7, np.where(leased_out, 8, np.nan)), frame.index)
    in_scope3 = remote | leased_out
    basis = pd.Series(
        np.select(
            [remote, leased_out],
            [
                "remote site (home working): electricity bought by employees, scope 3 "
                "category 7 (teleworking, optional in the Scope 3 Standard)",
                f"operating-leased device under the {approach.replace('_', ' ')} approach: "
                "outside the boundary, its electricity is an upstream leased asset, scope 3 "
                "category 8",
            ],
            "electricity of a site under the organisation's operational control: scope 2",
        ),
        index=frame.index,
    ) + np.where(
        holding.eq("owned") | in_scope3, "", "; " + holding.str.replace("_", " ") + " device"
    )
    base = dict(
        site_id=frame["site_id"],
        country=sites["country"],
        group=frame["category"],
        item_id=frame["asset_id"],
        quantity=frame["quantity"],
        quantity_unit="device",
        activity_amount=kwh,
        activity_unit="kWh",
        energy_it_kwh=it_kwh,
        pue=sites["pue"],
        overlap_days=in_service_days,
        factor_other=default_id.where(estimated, "").astype(str)
        + ";"
        + sites["pue_factor"].fillna("").astype(str),
    )
    use = new_lines(
        frame,
        activity=SHEET,
        stage="use",
        scope=np.where(in_scope3, 3, 2),
        category=scope3_category,
        method=method,
        counted=counted,
    ).assign(
        **base,
        allocation_share=share,
        label=frame["category"] + " use · " + frame["asset_id"],
        basis=basis,
        ef_gwp=location["value"],
        ef_gwp_market=market.where(~in_scope3, location["value"]),
        ef_energy=1.0,
        ef_water=factors["water"]["value"] + onsite,
        ef_adpe=factors["adpe"]["value"],
        factor_gwp=location["factor_id"],
        # scope 3 (home working, leased outside the boundary) has no market-based method: the
        # location factor, under its own id
        factor_gwp_market=pd.Series(market_ids, index=frame.index)
        .astype(object)
        .where(~in_scope3, location["factor_id"].astype(object)),
        market_basis=pd.Series(market_basis, index=frame.index)
        .astype(object)
        .where(~in_scope3, ""),
        factor_water=factors["water"]["factor_id"],
        factor_adpe=factors["adpe"]["factor_id"],
        fallback=location["fallback"],
        formula=np.where(
            partial,
            "IT kWh × PUE × grid factor (kgCO2e/kWh) × share of the "
            "days in service not covered by the site's meters",
            "IT kWh × PUE × grid factor (kgCO2e/kWh)",
        ),
    )
    in_meters = use[partial].assign(
        part="metered",
        counted=False,
        allocation_share=covered[partial],
        formula="IT kWh × PUE × grid factor (kgCO2e/kWh) × share of the days in service "
        "covered by the site's meters (attribution)",
    )
    upstream = factors["gwp_upstream"]
    up = new_lines(
        frame,
        activity=SHEET,
        stage="use",
        part="upstream",
        scope=3,
        category=scope3_category.fillna(3),
        method="average_data",
        counted=counted,
    ).assign(
        **base,
        allocation_share=share,
        label=frame["category"] + " use upstream · " + frame["asset_id"],
        basis=basis.where(
            in_scope3,
            "upstream of the electricity of a site under operational control: scope 3 category 3",
        ),
        ef_gwp=upstream["value"],
        ef_gwp_market=upstream["value"],
        ef_energy=0.0,
        ef_water=0.0,
        ef_adpe=0.0,
        factor_gwp=upstream["factor_id"],
        factor_gwp_market=upstream["factor_id"],
        formula="IT kWh × PUE × upstream factor (generation upstream and T&D losses)",
    )
    keep = ~missing & ~no_grid
    return [use[keep], in_meters[keep[partial]], up[keep & upstream["value"].notna()]], issues


def metered_share(frame: pd.DataFrame, in_service_days: pd.Series, ctx: Context) -> pd.Series:
    """Share of each asset's days in service in the period that its site's meters cover
    (``ctx.meters``); for an asset with no day in service, 1 at a site with meters, else 0."""
    covered = pd.Series(0.0, index=frame.index)
    site = frame["site_id"].astype(object)
    for site_id, intervals in ctx.meters.items():
        here = (site == site_id).to_numpy()
        for start, end in intervals if here.any() else ():
            covered[here] += overlap_days(
                frame.loc[here, "acquired_on"], frame.loc[here, "retired_on"], start, end
            )
    with_meter = site.isin(list(ctx.meters)).astype("float64")
    return (covered / in_service_days).where(in_service_days > 0, with_meter).clip(0.0, 1.0)
