"""Purchased energy (scope 2, location- and market-based) and fuels burned on site (scope 1).

Electricity, district heating/cooling and steam:
    kWh = quantity → kWh, × share of the bill's period inside the reporting period
    scope 2 location-based = kWh × direct grid factor of the site's zone or country
    scope 2 market-based   = kWh × (contractual rate → renewable instrument 0 → residual mix →
                             location-based factor, each fallback disclosed)
    scope 3 cat 3          = kWh × upstream factor (generation upstream + T&D losses)
Fuels:
    scope 1 = quantity × combustion factor per unit; scope 3 cat 3 = quantity × well-to-tank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.activities.common import (
    electricity_keys,
    grid_factor,
    new_lines,
    onsite_water_m3_per_kwh,
    reject,
    site_columns,
)
from lca.allocation import overlap_days
from lca.issues import Issue, Severity
from lca.mapping.context import Context
from lca.mapping.match import resolve, resolve_per_unit
from lca.spec import CARRIERS_SCOPE2
from lca.units import conversion_factor, try_conversion

RENEWABLE_INSTRUMENTS = ("go", "rec", "i_rec", "ppa", "green_tariff")
#: The period rule of every energy line (``period_share``), closing its ``basis``.
PERIOD_BASIS = "; the bill's days in the period"


def _basis(frame: pd.DataFrame, rule: str) -> pd.Series:
    """Each row's ``basis``: ``rule`` with ``{carrier}`` (in words), then the period rule."""
    before, after = rule.split("{carrier}")
    carrier = frame["carrier"].astype(str).str.replace("_", " ")
    return before + carrier + after + PERIOD_BASIS


def period_share(frame: pd.DataFrame, ctx: Context) -> tuple[pd.Series, pd.Series]:
    """Share of each bill's own period inside the reporting period, and the overlap days."""
    start = frame["period_start"].fillna(ctx.period_start)
    end = frame["period_end"].fillna(
        ctx.period_end_exclusive - pd.Timedelta(days=1)
    ) + pd.Timedelta(days=1)
    days = ((end - start) / pd.Timedelta(days=1)).astype("float64")
    inside = overlap_days(start, end, ctx.period_start, ctx.period_end_exclusive)
    return (inside / days).where(days > 0, 0.0), inside


def to_kwh(quantity: pd.Series, unit: pd.Series) -> pd.Series:
    """Quantities in any energy unit → kWh (one pint conversion per distinct unit)."""
    factors = {u: conversion_factor(u, "kWh") for u in unit.dropna().unique()}
    return quantity * unit.map(factors).astype("float64")


def lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Ledger lines of the energy sheet."""
    scope2 = frame[frame["carrier"].isin(list(CARRIERS_SCOPE2))]
    fuels = frame[~frame["carrier"].isin(list(CARRIERS_SCOPE2))]
    a, issues_a = purchased_energy(scope2, ctx)
    b, issues_b = fuel_lines(fuels, ctx)
    unused = cv_basis_unused(
        scope2,
        scope2["cv_basis"].notna(),
        "a calorific value applies to fuels burned on site, not to purchased electricity, "
        "heat, cooling or steam",
    )
    return a + b, issues_a + issues_b + unused


def cv_basis_unused(frame: pd.DataFrame, mask: pd.Series, reason: str) -> list[Issue]:
    """Warnings for rows whose ``cv_basis`` is given but cannot apply, with the reason."""
    return reject(
        frame,
        "energy",
        mask,
        "not-used",
        "cv_basis",
        lambda v: f"cv_basis {v!r} is not used: {reason}",
        severity=Severity.WARNING,
    )


def _location_factor(frame, sites, ctx, indicator):
    """Location-based factor of each purchased-energy row (the grid, or the heat table)."""
    electric = frame["carrier"].eq("electricity")
    own_keys = frame["carrier"] + ":" + sites["country"].astype("string")
    elec = grid_factor(ctx, sites, indicator, "kgCO2e/kWh")
    heat = resolve(
        ctx,
        table="heat",
        keys=own_keys,
        indicator=indicator,
        target_unit="kgCO2e/kWh",
        override_sheet="energy",
        override_keys=own_keys,
        fallbacks=(frame["carrier"],),
    )
    return elec.where(electric, heat)


def purchased_energy(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Scope 2 lines (and their scope 3 cat 3 upstream lines) of electricity, heat, steam."""
    if frame.empty:
        return [], []
    sites = site_columns(frame, ctx)
    kwh = to_kwh(frame["quantity"], frame["unit"])
    share, inside = period_share(frame, ctx)
    location = _location_factor(frame, sites, ctx, "gwp")
    upstream = _location_factor(frame, sites, ctx, "gwp_upstream")
    market, market_ids, market_basis, market_issues = market_factor(frame, sites, location, ctx)
    water = grid_factor(ctx, sites, "water", "m**3/kWh")
    adpe = grid_factor(ctx, sites, "adpe", "kgSbeq/kWh")
    electric = frame["carrier"].eq("electricity")
    onsite = onsite_water_m3_per_kwh(sites["wue_l_per_kwh"].fillna(0.0), sites["pue"]).where(
        sites["kind"].isin(["datacenter", "colocation"]) & electric, 0.0
    )
    missing = location["value"].isna()
    issues = reject(
        frame,
        "energy",
        missing,
        "unknown-factor-key",
        "carrier",
        lambda v: f"no {v} factor for this site's country or zone (add one to the factors sheet)",
    )
    issues += reject(
        frame,
        "energy",
        location["fallback"] & ~missing,
        "factor-fallback",
        "carrier",
        lambda v: (
            f"no {v} factor for this site's zone or country: a less specific one (another "
            "country's or the world's, named in the ledger's factor id) was used"
        ),
        severity=Severity.WARNING,
    )
    issues += market_issues
    keep = ~missing
    method = np.where(location["supplier_specific"], "supplier_specific", "measured")
    main = new_lines(frame, activity="energy", stage="use", scope=2, method=method)
    main = main.assign(
        site_id=frame["site_id"],
        country=sites["country"],
        group=frame["carrier"],
        label=frame["carrier"] + " · " + frame["site_id"],
        quantity=frame["quantity"],
        quantity_unit=frame["unit"],
        activity_amount=kwh,
        activity_unit="kWh",
        allocation_share=share,
        overlap_days=inside,
        fallback=location["fallback"],
        ef_gwp=location["value"],
        ef_gwp_market=market,
        ef_energy=1.0,
        ef_water=water["value"].where(electric, np.nan) + onsite,
        ef_adpe=adpe["value"].where(electric, np.nan),
        factor_gwp=location["factor_id"],
        factor_gwp_market=market_ids,
        market_basis=market_basis,
        factor_water=water["factor_id"],
        factor_adpe=adpe["factor_id"],
        pue=sites["pue"].where(onsite > 0),
        basis=_basis(frame, "purchased {carrier} used at a site in the boundary: scope 2"),
        formula="kWh × share of the bill in the period × grid factor (kgCO2e/kWh)",
    )
    up = new_lines(
        frame,
        activity="energy",
        stage="use",
        part="upstream",
        scope=3,
        category=3,
        method="average_data",
    )
    up = up.assign(
        site_id=frame["site_id"],
        country=sites["country"],
        group=frame["carrier"],
        label=frame["carrier"] + " upstream and T&D · " + frame["site_id"],
        quantity=frame["quantity"],
        quantity_unit=frame["unit"],
        activity_amount=kwh,
        activity_unit="kWh",
        allocation_share=share,
        overlap_days=inside,
        ef_gwp=upstream["value"],
        ef_gwp_market=upstream["value"],
        ef_energy=0.0,
        ef_water=0.0,
        ef_adpe=0.0,
        factor_gwp=upstream["factor_id"],
        factor_gwp_market=upstream["factor_id"],
        fallback=upstream["fallback"],
        basis=_basis(frame, "upstream and T&D losses of purchased {carrier}: scope 3 category 3"),
        formula="kWh × share × upstream factor (generation upstream and T&D losses)",
    )
    no_upstream = upstream["value"].isna() & keep
    issues += reject(
        frame,
        "energy",
        upstream["fallback"] & ~location["fallback"] & keep & ~no_upstream,
        "factor-fallback",
        "carrier",
        lambda v: (
            f"no category 3 (upstream) factor for {str(v).replace('_', ' ')} of this site's "
            "zone or country: a less specific one (named in the ledger's factor id, how it was "
            "built in its note) was used"
        ),
        severity=Severity.WARNING,
    )
    issues += reject(
        frame,
        "energy",
        no_upstream,
        "unknown-factor-key",
        "carrier",
        lambda v: (
            f"no upstream (scope 3 cat 3) factor for {v} here; the category 3 line is missing"
        ),
        severity=Severity.WARNING,
    )
    return [main[keep], up[keep & ~no_upstream]], issues


def market_factor(
    frame, sites, location, ctx
) -> tuple[pd.Series, pd.Series, pd.Series, list[Issue]]:
    """Market-based factor per row, by the GHG Protocol Scope 2 hierarchy: its value, factor
    id and basis (what it is, for the report: never read back from the id), with
    disclosures."""
    contractual = frame["contractual_kgco2e_per_kwh"]
    instrument = frame["instrument"].fillna("none")
    renewable = contractual.isna() & instrument.isin(list(RENEWABLE_INSTRUMENTS))
    primary, fallbacks = electricity_keys(sites)
    residual = resolve(
        ctx,
        table="residual_mix",
        keys=primary,
        indicator="gwp_market",
        target_unit="kgCO2e/kWh",
        fallbacks=fallbacks[:1],
    )
    electric = frame["carrier"].eq("electricity")
    use_residual = contractual.isna() & ~renewable & residual["value"].notna() & electric
    value = contractual.where(contractual.notna(), np.nan)
    value = value.where(~renewable, 0.0)
    value = value.where(~use_residual, residual["value"])
    fell_back = value.isna()
    value = value.fillna(location["value"])
    ids = pd.Series("", index=frame.index, dtype="object")
    ids = ids.where(contractual.isna(), "contract:energy:" + frame["_row"].astype(str))
    ids = ids.where(~renewable, "instrument:" + instrument)
    ids = ids.where(~use_residual, residual["factor_id"].astype(object))
    ids = ids.where(~fell_back, location["factor_id"].astype(object))
    basis = pd.Series("location-based factor (no residual mix)", index=frame.index, dtype="object")
    basis = basis.mask(use_residual, "residual mix")
    basis = basis.mask(renewable, "renewable instrument (" + instrument.astype(str) + ")")
    basis = basis.mask(contractual.notna(), "contractual emission rate")
    issues = reject(
        frame,
        "energy",
        renewable,
        "market-based-fallback",
        "instrument",
        lambda v: (
            f"instrument {v!r} without contractual_kgco2e_per_kwh: taken as "
            "0 kgCO2e/kWh for the market-based method; keep the "
            "certificates as evidence"
        ),
        severity=Severity.INFO,
    )
    issues += reject(
        frame,
        "energy",
        fell_back & location["value"].notna(),
        "market-based-fallback",
        "site_id",
        lambda site: (
            f"site {site}: no contractual rate and no residual mix for "
            "this carrier or country, so its market-based figure uses the "
            "location-based factor (understates it where certificates "
            "were sold off the grid)"
        ),
        severity=Severity.WARNING,
    )
    return value, ids, basis, issues


def fuel_lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Scope 1 combustion lines and scope 3 cat 3 well-to-tank lines of fuels."""
    if frame.empty:
        return [], []
    sites = site_columns(frame, ctx)
    own = frame["carrier"] + ":" + sites["country"].astype("string")
    kwh_direct = frame["unit"].map(lambda u: _energy_unit_factor(u))
    gross = gross_cv(frame, kwh_direct)
    keys = frame["carrier"].where(~gross, frame["carrier"] + ":gross_cv")
    common = dict(
        table="fuels",
        keys=keys,
        units=frame["unit"],
        override_sheet="energy",
        override_keys=own,
    )
    combustion = resolve_per_unit(ctx, indicator="gwp", numerator="kgCO2e", **common)
    wtt = resolve_per_unit(ctx, indicator="gwp_upstream", numerator="kgCO2e", **common)
    biogenic = resolve_per_unit(ctx, indicator="gwp_biogenic", numerator="kgCO2e", **common)
    content = resolve_per_unit(
        ctx,
        table="fuels",
        keys=keys,
        units=frame["unit"],
        indicator="energy_content",
        numerator="kWh",
    )
    # kWh (net CV) per unit: an energy unit as it is (× net per gross kWh on a gross bill),
    # else the fuel's net calorific value
    energy_per_unit = kwh_direct.where(~gross, kwh_direct * content["value"]).fillna(
        content["value"]
    )
    share, inside = period_share(frame, ctx)
    missing = combustion["value"].isna()
    issues = reject(
        frame,
        "energy",
        missing,
        "unknown-factor-key",
        "unit",
        lambda v: f"no combustion factor for this fuel in unit {v!r}",
    )
    issues += reject(
        frame,
        "energy",
        missing & gross,
        "unknown-factor-key",
        "cv_basis",
        lambda v: (
            "the library has no gross-calorific-value factor for this fuel; give "
            "cv_basis net if the bill's kWh are on the net calorific value"
        ),
        severity=Severity.INFO,
    )
    issues += cv_basis_unused(
        frame,
        frame["cv_basis"].notna() & kwh_direct.isna(),
        "the quantity is not an energy (the fuel's net calorific value converts it)",
    )
    method = np.where(combustion["supplier_specific"], "supplier_specific", "measured")
    base = dict(
        site_id=frame["site_id"],
        country=sites["country"],
        group=frame["carrier"],
        quantity=frame["quantity"],
        quantity_unit=frame["unit"],
        activity_amount=frame["quantity"],
        activity_unit=frame["unit"],
        allocation_share=share,
        overlap_days=inside,
    )
    burn = new_lines(frame, activity="energy", stage="operation", scope=1, method=method).assign(
        **base,
        label=frame["carrier"] + " combustion · " + frame["site_id"],
        ef_gwp=combustion["value"],
        ef_gwp_market=combustion["value"],
        ef_energy=energy_per_unit,
        factor_gwp=combustion["factor_id"],
        factor_gwp_market=combustion["factor_id"],
        factor_other=content["factor_id"],
        basis=_basis(frame, "{carrier} burned at a site in the boundary: scope 1"),
        formula="quantity × share × combustion factor per unit",
    )

    def part_lines(part: str, factor: pd.DataFrame, what: str, **line) -> pd.DataFrame:
        """Lines of one part of the rows (no energy, no water), ``what`` per unit of fuel."""
        return new_lines(
            frame, activity="energy", stage="operation", part=part, method="average_data", **line
        ).assign(
            **base,
            label=frame["carrier"] + f" {what} · " + frame["site_id"],
            ef_gwp=factor["value"],
            ef_gwp_market=factor["value"],
            ef_energy=0.0,
            ef_water=np.nan,
            factor_gwp=factor["factor_id"],
            factor_gwp_market=factor["factor_id"],
            formula=f"quantity × share × {what} factor per unit",
        )

    up = part_lines("upstream", wtt, "well-to-tank", scope=3, category=3).assign(
        basis=_basis(frame, "well-to-tank of {carrier} burned in the boundary: scope 3 category 3")
    )
    bio = part_lines("biogenic_co2", biogenic, "biogenic CO₂", scope=0, counted=False).assign(
        label=frame["carrier"] + " biogenic CO₂, outside the scopes · " + frame["site_id"],
        basis="biogenic CO2 of the fuel's biofuel blend: reported apart from the scopes "
        "(GHG Protocol Corporate Standard ch. 9; ISO 14064-1 5.2.4)",
        formula="quantity × share × biogenic CO2 factor per unit",
    )
    keep = ~missing
    has_biogenic = biogenic["value"].notna() & keep
    no_wtt = wtt["value"].isna() & keep
    issues += reject(
        frame,
        "energy",
        no_wtt,
        "unknown-factor-key",
        "carrier",
        lambda v: f"no well-to-tank factor for {v}: the category 3 line is missing",
        severity=Severity.WARNING,
    )
    return [burn[keep], up[keep & ~no_wtt], bio[has_biogenic]], issues


def gross_cv(frame: pd.DataFrame, kwh_direct: pd.Series) -> pd.Series:
    """True for fuel rows whose quantity is an energy on the gross calorific value: an energy
    unit (kWh, MWh, GJ, therm …) with ``cv_basis`` gross or blank (utility bills' basis)."""
    basis = frame["cv_basis"].astype("string").fillna("gross")
    return (kwh_direct.notna() & (basis == "gross")).astype(bool)


def _energy_unit_factor(unit: str) -> float:
    factor = try_conversion(unit, "kWh")  # None: not an energy unit, the fuel's energy content
    return np.nan if factor is None else factor
