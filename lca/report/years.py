"""Year two in the report: the E1-6 retrospective columns, the E1-4 targets table and the
restatement log, read from results.json's ``base_year``, ``comparatives``, ``change_vs_prior``
and ``targets`` (``lca.aggregate.comparatives`` computes them; nothing is recomputed here).
"""

from __future__ import annotations

from lca.aggregate.comparatives import figures, pct_of, scope_kgco2e
from lca.aggregate.result import RunResult
from lca.ratio import ratio

#: The figure (``comparatives.figures`` key) of each E1-6 row key that has one.
_SCALAR_ROWS = ("scope1", "scope2_location", "scope2_market", "scope3")


def figure_of(row_key: str | None) -> str | None:
    """The comparatives figure of an E1-6 row: ``cat3`` → ``scope3_category_3``; None for rows
    without one (the AR 51 sub-line, group titles)."""
    if row_key in _SCALAR_ROWS or row_key in ("total_location", "total_market"):
        return row_key
    if row_key and row_key.startswith("cat") and row_key[3:].isdigit():
        return f"scope3_category_{row_key[3:]}"
    return None


def retrospective(rows: list[dict], result: RunResult) -> list[dict]:
    """The E1-6 rows with ``base``, ``comparative`` (kgCO2e, restated with this run's engine and
    library) and ``pct`` (% N / N-1) where the run has a base year or a prior."""
    base = figures(result.base_year["totals"]) if result.base_year else {}
    change = result.change_vs_prior or {}
    prior = next(
        (
            figures(c["totals"])
            for c in result.comparatives
            if c["reporting_year"] == change.get("prior_year")
        ),
        {},
    )
    pct = change.get("pct", {})
    out = []
    for row in rows:
        figure = figure_of(row.get("key"))
        out.append(
            {
                **row,
                "base": base.get(figure) if figure else None,
                "comparative": prior.get(figure) if figure else None,
                "pct": pct.get(figure) if figure else None,
            }
        )
    return out


def note(result: RunResult) -> str:
    """What the retrospective columns hold, as the E1-6 note states it."""
    parts = []
    if result.base_year:
        parts.append(
            f"Base year {result.base_year['year']}"
            + (" (restated)" if result.base_year["restated"] else "")
        )
    else:
        parts.append("No base year is given in the inventory")
    change = result.change_vs_prior
    if change:
        parts.append(
            f"comparative {change['prior_year']}, recomputed with this report's engine and "
            "factor library; % N / N-1 = (N − N-1) / N-1"
        )
    else:
        parts.append("no prior year is given (no comparative)")
    parts.append(
        "targets are in the E1-4 table" if result.targets else "no target is given in the inventory"
    )
    return "; ".join(parts) + "."


def targets(result: RunResult) -> list[dict]:
    """E1-4 rows: each target with its base, current and target figures and its progress."""
    return [
        {
            "target_id": t["target_id"],
            "scope": t["scope"],
            "scope2_method": t.get("scope2_method"),
            "kind": t["kind"],
            "base_year": t["base_year"],
            "target_year": t["target_year"],
            "reduction_pct": t["reduction_pct"],
            "science_based": t.get("science_based"),
            "base": t.get("base_intensity") if t["kind"] == "intensity" else t["base_kgco2e"],
            "current": t.get("current_intensity")
            if t["kind"] == "intensity"
            else t["current_kgco2e"],
            "target": t.get("target_intensity") if t["kind"] == "intensity" else t["target_kgco2e"],
            "linear_path": t.get("linear_path_intensity")
            if t["kind"] == "intensity"
            else t["linear_path_kgco2e"],
            "reduction_to_date_pct": t["reduction_to_date_pct"],
            "achieved_pct": t["achieved_pct"],
            "on_track": t["on_track"],
        }
        for t in result.targets
    ]


def restatements(result: RunResult) -> list[dict]:
    """The restatement log: per prior year, the location-based total restated and as first
    reported (when given), the difference, whether it crosses the threshold, and why."""
    log = []
    for c in result.comparatives:
        reported = c["reported_totals"]
        difference = (c["difference_pct"] or {}).get("total_location")
        log.append(
            {
                "year": c["reporting_year"],
                "restated_kgco2e": c["totals"]["total_location_kgco2e"],
                "reported_kgco2e": reported["total_location_kgco2e"] if reported else None,
                "difference_pct": difference,
                "above_threshold": c["restated"],
                "reason": c["restatement_reason"],
            }
        )
    return log


#: Bridge rows in the report: figure key and label (scope 3 categories are added after scope 3).
_BRIDGE_ROWS = (
    ("scope1", "Scope 1"),
    ("scope2_location", "Scope 2 (location-based)"),
    ("scope2_market", "Scope 2 (market-based)"),
    ("scope3", "Scope 3"),
)
_TOTAL_ROWS = (
    ("total_location", "Total (location-based)"),
    ("total_market", "Total (market-based)"),
)


def bridge(result: RunResult, category_names: dict[str, str]) -> list[dict]:
    """The bridge table: per figure (the scope 3 categories under scope 3, then the totals),
    N-1, the activity, factor and method-or-boundary effects, N and the change, in kgCO2e,
    as ``lca.aggregate.bridge`` computed them; empty without a prior."""
    if not result.bridge:
        return []
    entries = result.bridge["figures"]
    categories = [k for k in entries if k.startswith("scope3_category_")]
    rows = [(k, label, "scope") for k, label in _BRIDGE_ROWS]
    rows += [
        (k, f"{k.rsplit('_', 1)[1]} {category_names.get(k.rsplit('_', 1)[1], '')}".strip(), "sub")
        for k in categories
    ]
    rows += [(k, label, "total") for k, label in _TOTAL_ROWS]
    return [
        {
            "key": key,
            "label": label,
            "kind": kind,
            **{
                name: entries[key][name]
                for name in (
                    "prior_kgco2e",
                    "activity_kgco2e",
                    "factor_kgco2e",
                    "method_kgco2e",
                    "current_kgco2e",
                    "change_kgco2e",
                )
            },
            "method_detail": entries[key]["method_detail"],
        }
        for key, label, kind in rows
    ]


def trend(result: RunResult) -> dict:
    """The trend chart's data: every year given (priors and N) with scopes 1, 2 (both
    methods) and 3, and each absolute target's straight path from its base year to its target
    year, with its scope's figure in every year (intensity targets are per unit of their
    denominator: not on this axis)."""
    totals = {c["reporting_year"]: c["totals"] for c in result.comparatives}
    totals[result.valid_settings.year] = result.totals
    years = {y: figures(t) for y, t in totals.items()}
    ordered = sorted(years)
    return {
        "years": ordered,
        "series": {
            key: [years[y][key] for y in ordered]
            for key in ("scope1", "scope2_location", "scope2_market", "scope3")
        },
        "paths": [
            {
                "target_id": t["target_id"],
                "scope": t["scope"],
                "scope2_method": t["scope2_method"],
                "years": [t["base_year"], t["target_year"]],
                "kgco2e": [t["base_kgco2e"], t["target_kgco2e"]],
                "actual_kgco2e": [
                    scope_kgco2e(totals[y], t["scope"], t["scope2_method"]) for y in ordered
                ],
            }
            for t in result.targets
            if t["kind"] == "absolute"
        ],
    }


def _per_unit(kgco2e: float, net_revenue: float) -> float | None:
    """kgCO2e per unit of net revenue; None when it, or the tCO2eq per million the report
    shows (× 1,000), is beyond any number (a net revenue close to 0, warned about as
    ``implausible-value`` on its setting)."""
    value = ratio(kgco2e, net_revenue)
    return value if value is not None and ratio(value, 1e-3) is not None else None


def _per_revenue(totals: dict, net_revenue: float) -> dict:
    """Total GHG emissions per unit of net revenue, both methods (kgCO2e per unit; None when
    not computable)."""
    return {
        "location_kgco2e_per_unit": _per_unit(totals["total_location_kgco2e"], net_revenue),
        "market_kgco2e_per_unit": _per_unit(totals["total_market_kgco2e"], net_revenue),
    }


def intensity(result: RunResult) -> dict | None:
    """GHG intensity per net revenue (AR 53), both methods, when the revenue is given; with
    N-1's (the latest prior's restated totals over its own net revenue) and % N / N-1 when
    that prior gives a net revenue in the same currency, else the reason it is not shown."""
    settings = result.valid_settings
    if not settings.net_revenue:
        return None
    out: dict = {
        "currency": settings.currency,
        "net_revenue": settings.net_revenue,
        **_per_revenue(result.totals, settings.net_revenue),
        "comparative": None,
        "comparative_note": None,
    }
    change = result.change_vs_prior
    prior = next(
        (c for c in result.comparatives if change and c["reporting_year"] == change["prior_year"]),
        None,
    )
    if prior is None:
        return out
    if not prior.get("net_revenue"):
        out["comparative_note"] = f"{prior['reporting_year']} gives no net revenue"
    elif prior.get("currency") != settings.currency:
        out["comparative_note"] = (
            f"{prior['reporting_year']}'s net revenue is in {prior.get('currency')}, not "
            f"{settings.currency}"
        )
    else:
        before = _per_revenue(prior["totals"], prior["net_revenue"])
        out["comparative"] = {
            "year": prior["reporting_year"],
            "net_revenue": prior["net_revenue"],
            **before,
            **{
                key.replace("kgco2e_per_unit", "pct"): None
                if out[key] is None or value is None
                else pct_of(out[key] - value, value)
                for key, value in before.items()
            },
        }
    return out
