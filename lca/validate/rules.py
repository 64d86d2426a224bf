"""Validation rules that involve several columns or sheets.

Each rule is a function ``(typed sheets, logs, settings) -> None`` that flags rows in the
sheet's ``IssueLog``; ``apply_rules`` runs them all, in order.
"""

from __future__ import annotations

import pandas as pd

from lca.coerce import map_text, map_values
from lca.issues import Severity, suggest
from lca.spec import CARRIERS_SCOPE2
from lca.units import has_dimension, is_unit, normalize_unit, try_conversion
from lca.validate.plausibility import PLAUSIBILITY_RULES
from lca.validate.settings import Settings

#: Units a quantity may be given in, per carrier or usage type (any unit of the same kind).
ENERGY_UNITS = {
    "electricity": ("kWh",),
    "district_heating": ("kWh",),
    "district_cooling": ("kWh",),
    "steam": ("kWh", "kg"),
    "natural_gas": ("kWh", "m**3", "kg"),
    "diesel": ("kWh", "L", "kg"),
    "petrol": ("kWh", "L", "kg"),
    "lpg": ("kWh", "L", "kg"),
    "fuel_oil": ("kWh", "L", "kg"),
}
CLOUD_UNITS = {
    "compute": ("h", "vcpu_h"),
    "gpu": ("h", "gpu_h"),
    "memory": ("GB_h",),
    "storage_ssd": ("GB_h",),
    "storage_hdd": ("GB_h",),
    "network": ("GB",),
    "other": (),
}


def _duplicates(frame: pd.DataFrame, column: str, log) -> None:
    values = frame[column]
    dup = values.notna() & values.duplicated(keep="first")
    log.cells(dup, "duplicate-key", column, lambda v: f"{column} {v!r} appears more than once")


def _site_reference(frame: pd.DataFrame, log, site_ids: set[str]) -> None:
    if "site_id" not in frame.columns:
        return
    unknown = frame["site_id"].notna() & ~frame["site_id"].isin(list(site_ids))
    lowered: dict[str, list[str]] = {}
    for site in site_ids:
        lowered.setdefault(site.lower(), []).append(site)
    by_case = {low: sites[0] for low, sites in lowered.items() if len(sites) == 1}
    matched = frame["site_id"].str.lower().map(by_case).astype("string").where(unknown)
    log.summary(
        matched.notna(),
        "value-normalized",
        "site_id",
        "matched to a site_id of the sites sheet ignoring case",
    )
    frame["site_id"] = matched.fillna(frame["site_id"]).astype("string")
    log.cells(
        unknown & matched.isna(),
        "unknown-reference",
        "site_id",
        lambda v: f"site_id {v!r} is not in the sites sheet" + suggest(v, site_ids),
    )


def _unit_kind(
    frame: pd.DataFrame, selector: str, allowed: dict[str, tuple[str, ...]], log
) -> None:
    """Flag units that do not parse, and units of the wrong kind for the row's selector."""
    pairs = frame[[selector, "unit"]].dropna().drop_duplicates()
    bad_parse, wrong = set(), set()
    for kind, unit in pairs.itertuples(index=False):
        if not is_unit(unit):
            bad_parse.add(unit)
            continue
        references = allowed.get(kind, ())
        if references and not any(has_dimension(unit, ref) for ref in references):
            wrong.add((kind, unit))
    log.cells(
        frame["unit"].isin(list(bad_parse)),
        "unknown-unit",
        "unit",
        lambda v: f"unit {v!r} is not a unit lca knows",
    )
    if wrong:
        mask = pd.Series(
            pd.MultiIndex.from_arrays([frame[selector], frame["unit"]]).isin(list(wrong)),
            index=frame.index,
        )
        log.cells(
            mask,
            "unit-dimension",
            "unit",
            lambda v: (
                f"unit {v!r} does not measure what this row needs "
                f"({_expected(frame, selector, allowed, v)})"
            ),
        )
    normalized = map_text(frame["unit"], normalize_unit, log.codes)
    recased = map_values(frame["unit"], _recased).fillna(False).astype(bool)
    log.summary(
        recased,
        "value-normalized",
        "unit",
        "unit symbols read with standard capitals (e.g. 'kwh' as 'kWh')",
    )
    frame["unit"] = normalized


def _recased(unit: str) -> bool:
    """True when the normal spelling of ``unit`` differs from it only by capitals."""
    normal = normalize_unit(unit)
    return normal != unit.strip() and normal.lower() == unit.strip().lower()


def _expected(frame, selector, allowed, unit) -> str:
    kinds = frame.loc[frame["unit"] == unit, selector].dropna().unique()
    refs = sorted({r for k in kinds for r in allowed.get(k, ())})
    return "e.g. " + ", ".join(refs)


def sites_rules(sheets, logs, settings) -> None:
    if "sites" in sheets:
        _duplicates(sheets["sites"], "site_id", logs["sites"])


def equipment_rules(sheets, logs, settings: Settings) -> None:
    if "equipment" not in sheets:
        return
    frame, log = sheets["equipment"], logs["equipment"]
    _duplicates(frame, "asset_id", log)
    _site_reference(frame, log, _site_ids(sheets))
    end = pd.Timestamp(settings.period_end)
    log.cells(
        frame["acquired_on"] > end,
        "date-outside-period",
        "acquired_on",
        lambda v: (
            f"acquired_on {v[:10]} is after the end of the reporting period "
            f"({settings.period_end}); this asset belongs to a later inventory"
        ),
    )
    log.cells(
        frame["retired_on"] < frame["acquired_on"],
        "date-order",
        "retired_on",
        lambda v: f"retired_on {v[:10]} is before acquired_on",
    )
    missing = frame["embodied_kgco2e"].notna() & frame["embodied_source"].isna()
    log.cells(
        missing,
        "missing-evidence",
        "embodied_source",
        "embodied_kgco2e is given without embodied_source (the document it comes from)",
        severity=Severity.WARNING,
    )


def energy_rules(sheets, logs, settings) -> None:
    if "energy" not in sheets:
        return
    frame, log = sheets["energy"], logs["energy"]
    _site_reference(frame, log, _site_ids(sheets))
    _unit_kind(frame, "carrier", ENERGY_UNITS, log)
    log.cells(
        frame["period_end"] < frame["period_start"],
        "date-order",
        "period_end",
        lambda v: f"period_end {v[:10]} is before period_start",
    )
    not_elec = frame["carrier"].notna() & ~frame["carrier"].isin(list(CARRIERS_SCOPE2))
    has_contract = (
        frame["instrument"].fillna("none").ne("none") | frame["contractual_kgco2e_per_kwh"].notna()
    )
    log.cells(
        not_elec & has_contract,
        "inconsistent-columns",
        "instrument",
        "contractual instruments apply to purchased electricity, heat, steam or cooling only",
    )


def refrigerant_rules(sheets, logs, settings) -> None:
    if "refrigerants" not in sheets:
        return
    frame, log = sheets["refrigerants"], logs["refrigerants"]
    _site_reference(frame, log, _site_ids(sheets))
    neither = frame["leaked_kg"].isna() & (
        frame["charge_kg"].isna() | frame["annual_leak_rate"].isna()
    )
    log.cells(
        neither, "missing-value", "leaked_kg", "give leaked_kg, or charge_kg with annual_leak_rate"
    )
    log.cells(
        frame["annual_leak_rate"] > 1,
        "out-of-range",
        "annual_leak_rate",
        lambda v: f"annual_leak_rate {v} is a fraction per year and must be ≤ 1",
    )


def cloud_rules(sheets, logs, settings) -> None:
    if "cloud" not in sheets:
        return
    frame, log = sheets["cloud"], logs["cloud"]
    _unit_kind(frame, "usage_type", CLOUD_UNITS, log)
    in_kwh = map_values(frame["unit"], _is_energy).fillna(False).astype(bool)
    other = (
        frame["usage_type"].eq("other")
        & frame["spend"].isna()
        & frame["reported_kgco2e"].isna()
        & ~in_kwh
    )
    log.cells(
        other,
        "missing-value",
        "spend",
        "usage_type 'other' needs spend (spend-based estimate), reported_kgco2e or an "
        "energy in kWh",
    )
    reported = frame["reported_kgco2e"].notna()
    if not reported.any():
        return
    covered = set(zip(frame.loc[reported, "provider"], frame.loc[reported, "region"], strict=True))
    pairs = pd.MultiIndex.from_arrays([frame["provider"], frame["region"]])
    log.cells(
        ~reported & pairs.isin(list(covered)),
        "double-counting-risk",
        "reported_kgco2e",
        "this usage is estimated for a provider and region whose own carbon figures are "
        "also in the sheet: keep one of the two",
        severity=Severity.WARNING,
    )


def _is_energy(unit: str) -> bool:
    # an unparsable unit converts to nothing; it is reported by _unit_kind
    return try_conversion(unit, "kWh") is not None


def services_rules(sheets, logs, settings) -> None:
    if "services" not in sheets:
        return
    frame, log = sheets["services"], logs["services"]
    category = frame["scope3_category"]
    log.cells(
        category.notna() & ~category.isin(list(range(1, 16))),
        "out-of-range",
        "scope3_category",
        lambda v: f"scope3_category {v} is not a GHG Protocol scope 3 category (1–15)",
    )


def factors_rules(sheets, logs, settings) -> None:
    if "factors" in sheets:
        _duplicates(sheets["factors"], "factor_id", logs["factors"])


def compute_jobs_rules(sheets, logs, settings) -> None:
    if "compute_jobs" not in sheets:
        return
    frame, log = sheets["compute_jobs"], logs["compute_jobs"]
    _duplicates(frame, "job_id", log)
    runs_on = frame["runs_on"].astype("string")
    asset = runs_on.str.startswith("asset:").fillna(False)
    log.cells(
        runs_on.notna() & runs_on.ne("cloud") & ~asset,
        "invalid-choice",
        "runs_on",
        lambda v: f"runs_on {v!r} must be 'cloud' or 'asset:<asset_id>'",
    )
    assets = set(sheets["equipment"]["asset_id"].dropna()) if "equipment" in sheets else set()
    named = runs_on.str.removeprefix("asset:")
    log.cells(
        asset & ~named.isin(list(assets)),
        "unknown-reference",
        "runs_on",
        lambda v: (
            f"runs_on {v!r}: asset {v[6:]!r} is not in the equipment sheet" + suggest(v[6:], assets)
        ),
    )
    log.cells(
        frame["hours"].isna() & frame["measured_kwh"].isna() & frame["flops"].isna(),
        "missing-value",
        "hours",
        "give hours, measured_kwh or flops",
    )
    log.cells(
        frame["utilization"] > 1,
        "out-of-range",
        "utilization",
        lambda v: f"utilization {v} is a fraction and must be ≤ 1",
    )
    log.cells(
        frame["utilization"].eq(0) & frame["hours"].isna() & frame["measured_kwh"].isna(),
        "out-of-range",
        "utilization",
        "utilization 0 with flops: the a-priori estimate needs a utilization above 0",
    )


def genai_usage_rules(sheets, logs, settings) -> None:
    if "genai_usage" not in sheets:
        return
    frame, log = sheets["genai_usage"], logs["genai_usage"]
    log.cells(
        frame["period_end"] < frame["period_start"],
        "date-order",
        "period_end",
        lambda v: f"period_end {v[:10]} is before period_start",
    )
    log.cells(
        frame["requests"].eq(0) & frame["output_tokens"].gt(0),
        "inconsistent-columns",
        "requests",
        "output_tokens without any request: give the number of requests",
    )


def target_scope(text: str) -> tuple[str, ...] | None:
    """The terms of a target's scope (``"1+2"`` → ``("1", "2")``, ``"3.1+3.2"`` →
    ``("3.1", "3.2")``), or None when it is not a sum of distinct scopes 1, 2, 3 and scope 3
    categories 3.1 … 3.15 (a category beside scope 3 would count it twice)."""
    terms = tuple(t.strip() for t in str(text).split("+"))
    allowed = {"1", "2", "3", *(f"3.{n}" for n in range(1, 16))}
    if not terms or any(t not in allowed for t in terms) or len(set(terms)) != len(terms):
        return None
    if "3" in terms and any(t.startswith("3.") for t in terms):
        return None
    return terms


def targets_rules(sheets, logs, settings) -> None:
    if "targets" not in sheets:
        return
    frame, log = sheets["targets"], logs["targets"]
    _duplicates(frame, "target_id", log)
    scopes = map_text(frame["scope"], lambda v: "+".join(target_scope(v) or ()) or None)
    log.cells(
        frame["scope"].notna() & scopes.isna(),
        "invalid-choice",
        "scope",
        lambda v: (
            f"scope {v!r} is not 1, 2, 3 or scope 3 categories 3.1 … 3.15 joined "
            "by '+' (e.g. 1+2, 3.1+3.2), each once"
        ),
    )
    frame["scope"] = scopes.fillna(frame["scope"]).astype("string")
    has_scope2 = scopes.str.split("+").map(lambda t: isinstance(t, list) and "2" in t)
    log.cells(
        has_scope2 & frame["scope2_method"].isna(),
        "missing-value",
        "scope2_method",
        "a target covering scope 2 needs scope2_method (location or market)",
    )
    log.cells(
        frame["kind"].eq("intensity").fillna(False) & frame["intensity_denominator"].isna(),
        "missing-value",
        "intensity_denominator",
        "an intensity target needs intensity_denominator (e.g. net_revenue)",
    )
    log.cells(
        frame["target_year"] <= frame["base_year"],
        "date-order",
        "target_year",
        lambda v: f"target_year {v} is not after base_year",
    )
    log.cells(
        frame["reduction_pct"] > 100,
        "out-of-range",
        "reduction_pct",
        lambda v: f"reduction_pct {v} is a percentage and must be ≤ 100",
    )


def _site_ids(sheets) -> set[str]:
    if "sites" not in sheets:
        return set()
    return set(sheets["sites"]["site_id"].dropna())


RULES = (
    sites_rules,
    equipment_rules,
    energy_rules,
    refrigerant_rules,
    cloud_rules,
    services_rules,
    factors_rules,
    compute_jobs_rules,
    genai_usage_rules,
    targets_rules,
)


def apply_rules(sheets: dict, logs: dict, settings: Settings) -> None:
    """Run every rule over the typed sheets, then the plausibility rules (identifiers are
    cleaned of invisible characters first, before references are matched)."""
    for rule in PLAUSIBILITY_RULES[:1] + RULES + PLAUSIBILITY_RULES[1:]:
        rule(sheets, logs, settings)
