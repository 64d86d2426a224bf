"""AI / ML and other compute workloads: energy, carbon, water, ADPe and the hardware's share.

IT energy of a job (kWh), the first that applies:
  measured   measured_kwh × repeats (IT energy as measured: PUE is never included in it)
  hours      hours × (device_count × power W × utilization + memory_gb × memory W/GB) / 1000
             × repeats — the Green Algorithms model, ``repeats`` being its pragmatic scaling
             factor; with ``cores``, power W = cores × the calculator's TDP per core of the
             CPU (``calculator_power``)
  flops      a-priori (labelled ``estimated``): run hours = flops / (device_count × peak FLOP/s
             × utilization) / 3600, utilization read as the model FLOP utilisation, then as
             ``hours`` with the devices at full power
Facility kWh = IT kWh × PUE, applied once: the row's ``pue``, else the PUE of the asset's site
(``asset:<id>``), else the provider's (``provider:region``, then ``provider``), else the
library's datacenter default.
Carbon, water and ADPe = facility kWh × the location's grid factors (``provider:region`` →
cloud_regions → grid zone or country); water adds the on-site WUE per kWh of IT energy.
Embodied: device_count × manufacturing kgCO2e per device × run hours × repeats / lifetime hours.

Jobs on ``cloud`` are scope 3 category 1 (counted; grid factor life-cycle, as cloud rows). Jobs
on ``asset:<id>`` are attribution only (``counted`` False): their use is already in the site's
scope 2 (location-based grid factor) and their hardware in category 2; the results show them
as the AI share of the site (``attribution.compute_jobs_by_site``), against the site's total in
the amortized lifecycle view, the view of their own per-hour embodied share.
``--method green-algorithms`` replaces the memory factor, the PUE, the GPU power and the grid
factor by the calculator's and drops the embodied share (``lca.methods.green_algorithms``).
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
    water_factor_ids,
)
from lca.issues import Issue, Severity
from lca.mapping.context import Context
from lca.mapping.match import resolve
from lca.methods import green_algorithms as ga
from lca.methods import job_choices
from lca.validate import country_lookup

SHEET = "compute_jobs"
#: A location naming a grid zone: ISO country code, then the zone (Electricity Maps' keys).
ZONE = r"[A-Z]{2}(?:-[A-Z0-9]+)+"
GRID_INDICATORS = (("water", "m**3/kWh"), ("adpe", "kgSbeq/kWh"))


def hardware_key(hardware: pd.Series) -> pd.Series:
    """Hardware names as library keys: lower case, runs of non-alphanumerics → one '_'."""
    return (
        hardware.astype("string")
        .str.lower()
        .map(lambda h: re.sub(r"[^0-9a-z]+", "_", h).strip("_"), na_action="ignore")
    )


def locations(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Provider, region, country and grid zone of each job's ``location`` (a country, a grid
    zone such as ``CA-QC``, or ``provider:region``)."""
    text = frame["location"].astype("string").str.strip()
    is_cloud = text.str.contains(":", regex=False).fillna(False)
    parts = text.str.split(":", n=1, expand=True).reindex(columns=[0, 1]).astype("string")
    provider = parts[0].str.lower().where(is_cloud)
    region = parts[1].str.strip().where(is_cloud)
    regions = ctx.library.table("cloud_regions")
    keyed = (
        regions.assign(_k=regions["provider"] + ":" + regions["region"])
        .drop_duplicates("_k")
        .set_index("_k")
    )
    cloud_key = (provider + ":" + region).where(is_cloud)
    country = cloud_key.map(keyed["country"]).astype("string")
    zone = cloud_key.map(keyed["grid_zone"]).astype("string")
    countries = country_lookup(ctx.library)
    plain = text.str.lower().map(countries).astype("string")
    # a sub-national grid zone (CA-QC, SE-SE3, US-CAL-CISO): its country is its first part
    in_zone = ~is_cloud & text.str.fullmatch(ZONE).fillna(False) & plain.isna()
    zone_country = text.str[:2].str.lower().map(countries).astype("string")
    plain = plain.where(~in_zone, zone_country)
    return pd.DataFrame(
        {
            "provider": provider,
            "region": region,
            "country": country.where(is_cloud, plain),
            "grid_zone": zone.where(is_cloud, text.where(in_zone & plain.notna())),
        },
        index=frame.index,
    )


def _first_of(*candidates: tuple[pd.Series, pd.Series]) -> tuple[pd.Series, pd.Series]:
    """Value and id from the first candidate (value, id) that has a value, row by row."""
    value, ids = candidates[0]
    value, ids = value.astype("float64"), ids.astype(object)
    for other, other_ids in candidates[1:]:
        take = value.isna() & other.notna()
        value = value.where(~take, other)
        ids = ids.where(~take, other_ids.astype(object))
    return value, ids.fillna("")


def pue_and_wue(frame, where, asset_sites, ctx) -> pd.DataFrame:
    """PUE (applied once) and on-site WUE (L per kWh of IT energy) of each job."""
    index = frame.index
    site = ctx.sites.reindex(asset_sites)
    site_pue = pd.Series(site["pue"].to_numpy(dtype="float64"), index=index)
    site_wue = pd.Series(site["wue_l_per_kwh"].to_numpy(dtype="float64"), index=index)
    own = (frame["pue"].astype("float64"), pd.Series("row:pue", index=index))
    on_site = (site_pue, pd.Series("site:pue", index=index))
    provider = where["provider"].fillna("")
    cloud_pue = resolve(
        ctx,
        table="cloud",
        keys=provider + ":" + where["region"].fillna(""),
        indicator="pue",
        target_unit="dimensionless",
        fallbacks=(provider,),
    )
    cloud_wue = resolve(ctx, table="cloud", keys=provider, indicator="wue", target_unit="L/kWh")
    datacenter = pd.Series("datacenter", index=index)
    dc_pue = resolve(
        ctx, table="sites", keys=datacenter, indicator="pue", target_unit="dimensionless"
    )
    dc_wue = resolve(ctx, table="sites", keys=datacenter, indicator="wue", target_unit="L/kWh")
    if job_choices(ctx.method).calculator_pue:
        ga_pue = resolve(
            ctx,
            table="compat",
            keys=ga.KEY + ":" + provider + ":" + where["region"].fillna(""),
            indicator="pue",
            target_unit="dimensionless",
            fallbacks=(ga.KEY + ":" + provider, pd.Series(f"{ga.KEY}:local_server", index=index)),
        )
        pue, pue_id = _first_of(own, (ga_pue["value"], ga_pue["factor_id"]))
    else:
        pue, pue_id = _first_of(
            own,
            on_site,
            (cloud_pue["value"], cloud_pue["factor_id"]),
            (dc_pue["value"], dc_pue["factor_id"]),
        )
    wue, wue_id = _first_of(
        (site_wue, pd.Series("site:wue", index=index)),
        (cloud_wue["value"], cloud_wue["factor_id"]),
        (dc_wue["value"], dc_wue["factor_id"]),
    )
    return pd.DataFrame(
        {"pue": pue.fillna(1.0), "pue_id": pue_id, "wue": wue.fillna(0.0), "wue_id": wue_id},
        index=index,
    )


def hardware_factors(
    frame: pd.DataFrame, ctx: Context
) -> tuple[dict[str, pd.Series], dict[str, pd.Series], pd.Series]:
    """Per job: the hardware's power, peak FLOP/s, lifetime and per-device manufacturing
    factors (values and factor ids), and the memory power in W per GB."""
    keys = hardware_key(frame["hardware"])
    hw, ids = {}, {}
    for name, unit, stage in (
        ("power", "W", ""),
        ("peak_flops", "FLOP/s", ""),
        ("lifetime", "hour", ""),
        ("gwp", "kgCO2e/device", "manufacturing"),
        ("water", "m**3/device", "manufacturing"),
        ("adpe", "kgSbeq/device", "manufacturing"),
    ):
        found = resolve(
            ctx, table="compute_hardware", keys=keys, indicator=name, target_unit=unit, stage=stage
        )
        hw[name], ids[name] = found["value"], found["factor_id"].astype(object).fillna("")
    hw["power"], ids["power"], hw["per_core"] = calculator_power(
        frame, keys, hw["power"], ids["power"], ctx
    )
    table, key = job_choices(ctx.method).memory_power
    memory = resolve(
        ctx,
        table=table,
        keys=pd.Series(key, index=frame.index),
        indicator="power",
        target_unit="W/GB",
    )
    return hw, ids, memory["value"]


def calculator_power(
    frame: pd.DataFrame, keys: pd.Series, power: pd.Series, ids: pd.Series, ctx: Context
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """W per device with the Green Algorithms calculator's tables (compat): ``cores`` × its
    TDP per core of the CPU (its "Any" CPU is ``any_cpu``); then, under ``--method
    green-algorithms``, its TDP of the GPU (``any_gpu``) before the library's device power,
    else the library's first. Returns power, factor ids and the TDP per core found."""
    per_core = resolve(
        ctx, table="compat", keys=f"{ga.KEY}:cpu:" + keys, indicator="power", target_unit="W/vcpu"
    )
    gpu = resolve(
        ctx, table="compat", keys=f"{ga.KEY}:gpu:" + keys, indicator="power", target_unit="W/gpu"
    )
    cores = (frame["cores"] * per_core["value"], per_core["factor_id"].astype(object))
    gpu_tdp = (gpu["value"], gpu["factor_id"].astype(object))
    first_gpu = job_choices(ctx.method).calculator_tdp_first
    order = [gpu_tdp, (power, ids)] if first_gpu else [(power, ids), gpu_tdp]
    value, found = _first_of(cores, *order)
    return value, found, per_core["value"]


def it_energy(frame: pd.DataFrame, hw: dict, memory_w_per_gb: pd.Series) -> pd.DataFrame:
    """IT kWh, run hours and method of each job (measured, hours, or a-priori from flops)."""
    count = frame["device_count"].fillna(1.0)
    utilization = frame["utilization"].fillna(1.0)
    repeats = frame["repeats"].fillna(1.0)
    memory_w = frame["memory_gb"].fillna(0.0) * memory_w_per_gb.fillna(0.0)
    flop_hours = frame["flops"] / (count * hw["peak_flops"] * utilization) / 3600
    from_flops = frame["hours"].isna() & frame["measured_kwh"].isna()
    run_hours = frame["hours"].where(~from_flops, flop_hours)
    busy = utilization.where(~from_flops, 1.0)
    modelled = run_hours * (count * hw["power"] * busy + memory_w) / 1000 * repeats
    measured = frame["measured_kwh"] * repeats
    kwh = measured.where(frame["measured_kwh"].notna(), modelled)
    method = np.where(
        frame["measured_kwh"].notna(), "measured", np.where(from_flops, "estimated", "average_data")
    )
    return pd.DataFrame(
        {"kwh_it": kwh, "run_hours": run_hours, "method": method}, index=frame.index
    )


def lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Ledger lines of the compute_jobs sheet."""
    if frame.empty:
        return [], []
    hw, ids, memory_w = hardware_factors(frame, ctx)
    energy = it_energy(frame, hw, memory_w)
    issues = _energy_issues(frame, energy, hw, memory_w)
    where = locations(frame, ctx)
    on_asset, asset_sites = asset_site_of(frame, ctx)
    unknown_place = where["country"].isna()
    issues += _place_issues(frame, where, on_asset, asset_sites, ctx)
    calculator_grid = job_choices(ctx.method).calculator_grid
    operational = on_asset | calculator_grid
    location, others = grid_factors(where, operational, ctx)
    if calculator_grid:
        location = calculator_intensity(where, location, ctx)
    no_grid = location["value"].isna() & ~unknown_place
    issues += reject(
        frame,
        SHEET,
        no_grid,
        "unknown-factor-key",
        "location",
        lambda v: f"no grid factor for location {v!r}",
    )
    issues += fallback_issues(
        frame,
        SHEET,
        location["fallback"] & ~unknown_place,
        "location",
        "grid factor for the location's zone or country",
    )
    keep = energy["kwh_it"].notna() & location["value"].notna() & ~unknown_place
    site = pue_and_wue(frame, where, asset_sites, ctx)
    kwh = energy["kwh_it"] * site["pue"]
    issues += _reported_issues(frame[keep], (kwh * location["value"])[keep])
    counted = ~on_asset
    label = frame["job_id"] + " · " + frame["hardware"]
    base = dict(
        site_id=asset_sites.fillna(""),
        country=where["country"],
        item_id=frame["job_id"],
        group=frame["phase"].fillna("unspecified"),
        quantity=frame["device_count"],
        quantity_unit="device",
    )
    use = new_lines(
        frame,
        activity=SHEET,
        stage="use",
        scope=3,
        category=1,
        method=energy["method"],
        counted=counted,
    ).assign(
        **base,
        label=label,
        activity_amount=kwh,
        activity_unit="kWh",
        energy_it_kwh=energy["kwh_it"],
        pue=site["pue"],
        ef_gwp=location["value"],
        ef_gwp_market=location["value"],
        ef_energy=1.0,
        ef_water=others["water"]["value"] + onsite_water_m3_per_kwh(site["wue"], site["pue"]),
        ef_adpe=others["adpe"]["value"],
        factor_gwp=location["factor_id"],
        factor_gwp_market=location["factor_id"],
        factor_water=water_factor_ids(
            others["water"]["factor_id"], site["wue"], site["wue_id"], site["pue_id"]
        ),
        factor_adpe=others["adpe"]["factor_id"],
        fallback=location["fallback"],
        factor_other=ids["power"] + ";" + site["pue_id"] + ";" + site["wue_id"],
        formula=np.where(
            energy["method"] == "measured",
            "measured IT kWh × repeats × PUE × grid factor",
            "hours × (devices × W × utilization + GB × W/GB) / 1000 × repeats × PUE × grid factor",
        ),
    )
    use.loc[on_asset, "scope"] = 2
    use.loc[on_asset, "category"] = np.nan
    made = _embodied_lines(frame, energy, hw, ids, base, label, counted, on_asset, ctx)
    return [use[keep], made[keep.reindex(made.index)]], issues


def asset_site_of(frame: pd.DataFrame, ctx: Context) -> tuple[pd.Series, pd.Series]:
    """Whether each job runs on an owned asset, and that asset's site_id."""
    runs_on = frame["runs_on"].astype("string")
    on_asset = runs_on.str.startswith("asset:").fillna(False).astype(bool)
    assets = ctx.assets if ctx.assets is not None else pd.DataFrame(columns=["site_id"])
    sites = runs_on.str.removeprefix("asset:").where(on_asset).map(assets["site_id"])
    return on_asset, sites.astype(object)


def grid_factors(
    where: pd.DataFrame, operational: pd.Series, ctx: Context
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Carbon factor of each job's location (operational ``gwp`` where ``operational``, else
    life-cycle), and its water and ADPe factors: ``common.grid_factor``, own factors first."""
    location = grid_factor(ctx, where, "gwp", "kgCO2e/kWh", lifecycle=~operational)
    others = {name: grid_factor(ctx, where, name, unit) for name, unit in GRID_INDICATORS}
    return location, others


def calculator_intensity(where: pd.DataFrame, location: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """The Green Algorithms calculator's carbon intensity (compat): its datacentre's
    (``provider:region``), else its location's (grid zone, then country); the library's
    operational factor where the calculator has none."""

    def key(*parts: pd.Series) -> pd.Series:
        joined = parts[0].astype("string")
        for part in parts[1:]:
            joined = joined + ":" + part.astype("string")
        return (ga.KEY + ":" + joined).fillna("")

    found = resolve(
        ctx,
        table="compat",
        keys=key(where["provider"], where["region"]),
        indicator="gwp",
        target_unit="kgCO2e/kWh",
        fallbacks=(key(where["grid_zone"]), key(where["country"])),
    )
    take = found["value"].notna()
    location = location.copy()
    location.loc[take, "value"] = found.loc[take, "value"]
    location.loc[take, "factor_id"] = found.loc[take, "factor_id"]
    location.loc[take, "fallback"] = False
    return location


def _place_issues(frame, where, on_asset, asset_sites, ctx) -> list[Issue]:
    """Unknown locations (error), and asset jobs located away from the asset's site."""
    site_country = asset_sites.map(ctx.sites["country"]) if len(ctx.sites) else asset_sites
    same_country = where["country"].fillna("").astype(str).eq(site_country.fillna("").astype(str))
    elsewhere = (
        on_asset
        & site_country.notna()
        & where["country"].notna()
        & (where["provider"].notna() | ~same_country)
    )
    issues = reject(
        frame,
        SHEET,
        where["country"].isna(),
        "unknown-factor-key",
        "location",
        lambda v: f"location {v!r} is neither a known country nor a known provider:region",
    )
    issues += reject(
        frame,
        SHEET,
        elsewhere,
        "inconsistent-columns",
        "location",
        lambda v: (
            f"location {v!r} is not where the asset's site is: the job's "
            "grid factor follows the location given"
        ),
        severity=Severity.WARNING,
    )
    return issues


def _embodied_lines(frame, energy, hw, ids, base, label, counted, on_asset, ctx):
    """The hardware's share of its manufacturing impact: run hours × repeats / lifetime hours."""
    share = energy["run_hours"] * frame["repeats"].fillna(1.0) / hw["lifetime"]
    has = share.notna() & hw["gwp"].notna() & job_choices(ctx.method).embodied
    made = new_lines(
        frame,
        activity=SHEET,
        stage="manufacturing",
        scope=3,
        category=1,
        method="average_data",
        counted=counted,
    ).assign(
        **base,
        label=label + " hardware",
        activity_amount=frame["device_count"].fillna(1.0),
        activity_unit="device",
        allocation_share=share,
        ef_gwp=hw["gwp"],
        ef_gwp_market=hw["gwp"],
        ef_energy=0.0,
        ef_water=hw["water"],
        ef_adpe=hw["adpe"],
        factor_gwp=ids["gwp"],
        factor_gwp_market=ids["gwp"],
        factor_water=ids["water"],
        factor_adpe=ids["adpe"],
        factor_other=ids["lifetime"],
        formula="devices × embodied kgCO2e per device × run hours × repeats / lifetime hours",
    )
    made.loc[on_asset, "category"] = 2
    return made[has]


def _reported_issues(frame: pd.DataFrame, computed_kg: pd.Series) -> list[Issue]:
    """The tracker's own figure beside lca's, one note per job that has one."""
    issues = []
    for row in frame.index[frame["reported_kgco2e"].notna()]:
        reported = float(frame.at[row, "reported_kgco2e"])
        issues += reject(
            frame.loc[[row]],
            SHEET,
            pd.Series(True, index=[row]),
            "tracker-figure",
            "reported_kgco2e",
            f"the tracker reported {reported:.6g} kgCO2e; lca computes "
            f"{computed_kg[row]:.6g} kgCO2e with its factors (the totals use lca's)",
            severity=Severity.INFO,
        )
    return issues


def _energy_issues(frame, energy, hw, memory_w) -> list[Issue]:
    """Rows whose energy cannot be computed, and memory left out for want of a factor."""
    needs_power = frame["measured_kwh"].isna()
    no_power = needs_power & hw["power"].isna()
    issues = reject(
        frame,
        SHEET,
        no_power,
        "unknown-factor-key",
        "hardware",
        lambda v: (
            f"hardware {v!r} has no power in the library: give measured_kwh or a known hardware key"
        ),
    )
    cores_ignored = needs_power & frame["cores"].notna() & hw["per_core"].isna() & ~no_power
    issues += reject(
        frame,
        SHEET,
        cores_ignored,
        "unknown-factor-key",
        "cores",
        "no TDP per core for this hardware in the Green Algorithms table: cores "
        "are ignored and the device's power is used",
        severity=Severity.WARNING,
    )
    no_peak = needs_power & frame["hours"].isna() & hw["peak_flops"].isna() & ~no_power
    issues += reject(
        frame,
        SHEET,
        no_peak,
        "unknown-factor-key",
        "flops",
        "no hours and no peak FLOP/s for this hardware: the a-priori estimate "
        "from flops cannot be made; give hours or measured_kwh",
    )
    no_memory = needs_power & frame["memory_gb"].fillna(0).gt(0) & memory_w.isna()
    issues += reject(
        frame,
        SHEET,
        no_memory,
        "unknown-factor-key",
        "memory_gb",
        "no memory power factor in the library: memory is left out of the energy",
        severity=Severity.WARNING,
    )
    no_embodied = energy["kwh_it"].notna() & (hw["gwp"].isna() | hw["lifetime"].isna())
    issues += reject(
        frame,
        SHEET,
        no_embodied,
        "unknown-factor-key",
        "hardware",
        lambda v: (
            f"no embodied factor or lifetime for hardware {v!r}: its "
            "manufacturing share is not assessed"
        ),
        severity=Severity.INFO,
    )
    no_hours = energy["kwh_it"].notna() & ~no_embodied & energy["run_hours"].isna()
    issues += reject(
        frame,
        SHEET,
        no_hours,
        "missing-value",
        "hours",
        "measured energy without hours: the hardware's manufacturing share is not assessed",
        severity=Severity.INFO,
    )
    return issues
