"""Year two in the report: the E1-6 retrospective columns, the E1-4 targets table and the
restatement log, read from results.json's ``base_year``, ``comparatives``, ``change_vs_prior``
and ``targets`` (``lca.aggregate.comparatives`` computes them; nothing is recomputed here).
"""

from __future__ import annotations

from lca.aggregate.comparatives import figures, pct_of, scope_kgco2e
from lca.aggregate.result import RunResult
from lca.ratio import ratio
from lca.validate.rules import target_scope

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


def retrospective(
    rows: list[dict], result: RunResult, by_year: dict[str, dict[int, float | None]] | None = None
) -> list[dict]:
    """The E1-6 rows with ``base``, ``comparative`` (kgCO2e, restated with this run's engine and
    library) and ``pct`` (% N / N-1) where the run has a base year or a prior. ``by_year``
    gives, per row key, the figure of each year for rows that are not a results.json figure
    (the AR 51 sub-line: ``{"cat1_cloud": {2024: …, 2025: …}}``)."""
    by_year = by_year or {}
    base_year = result.base_year["year"] if result.base_year else None
    base = figures(result.base_year["totals"]) if result.base_year else {}
    change = result.change_vs_prior or {}
    prior_year = change.get("prior_year")
    prior = next(
        (figures(c["totals"]) for c in result.comparatives if c["reporting_year"] == prior_year),
        {},
    )
    pct = change.get("pct", {})
    out = []
    for row in rows:
        key = row.get("key")
        if key in by_year:
            years = by_year[key]
            before = years.get(prior_year) if prior_year is not None else None
            now = row.get("value")
            out.append(
                {
                    **row,
                    "base": years.get(base_year) if base_year is not None else None,
                    "comparative": before,
                    "pct": pct_of(now - before, before)
                    if now is not None and before is not None
                    else None,
                }
            )
            continue
        if key and "+" in key:  # scopes a target covers together: the sum of their figures
            parts = [figure_of(p) for p in key.split("+")]
            before = _sum(prior, parts)
            now = row.get("value")
            out.append(
                {
                    **row,
                    "base": _sum(base, parts),
                    "comparative": before,
                    "pct": pct_of(now - before, before)
                    if now is not None and before is not None
                    else None,
                }
            )
            continue
        figure = figure_of(key)
        out.append(
            {
                **row,
                "base": base.get(figure) if figure else None,
                "comparative": prior.get(figure) if figure else None,
                "pct": pct.get(figure) if figure else None,
            }
        )
    return out


def _sum(values: dict[str, float], parts: list[str | None]) -> float | None:
    """The sum of ``parts`` of a figures dict (a scope 3 category absent counts 0); None when
    the dict is empty (no such year)."""
    if not values:
        return None
    return sum(values.get(p, 0.0) for p in parts if p)


#: The E1-6 milestone and target-year columns of the AR 48 layout, when no absolute target
#: gives its own years.
TEMPLATE_YEARS = ["2025", "2030", "(2050)"]

#: How a target's term is named in a row label.
_TERM_LABELS = {
    "scope1": "Scope 1",
    "scope2_location": "location-based Scope 2",
    "scope2_market": "market-based Scope 2",
    "scope3": "Scope 3",
}


def target_row_key(scope: str, scope2_method: str | None) -> str:
    """The E1-6 row a target's scope covers: ``scope1``, ``scope2_market``, ``scope3``,
    ``cat<n>``, ``total_<method>`` for 1+2+3; scopes covered together (``1+2``, ``3.1+3.2``)
    give a key of their own, the row keys joined by ``+`` (``scope1+scope2_market``)."""
    terms = target_scope(scope) or ()
    if set(terms) == {"1", "2", "3"}:
        return f"total_{scope2_method}"
    order = {"1": 0.0, "2": 0.5, "3": 1.0}
    keys = {
        "1": "scope1",
        "2": f"scope2_{scope2_method}",
        "3": "scope3",
    }
    ranked = sorted(terms, key=lambda t: order[t] if t in order else int(t[2:]) + 1)
    return "+".join(keys.get(t, f"cat{t[2:]}") for t in ranked)


def _label(key: str, names: dict[str, str]) -> str:
    parts = [
        _TERM_LABELS.get(p, f"Scope 3 category {p[3:]} {names.get(p[3:], '')}".strip())
        for p in key.split("+")
    ]
    return f"Gross {' + '.join(parts)} GHG emissions (tCO2eq)"


def with_targets(rows: list[dict], result: RunResult, names: dict[str, str]) -> tuple[list, dict]:
    """The E1-6 rows with each absolute target of E1-4 on the row of its scope (AR 48
    milestone and target-year columns): ``targets`` {target year: kgCO2e} and ``annual``, per
    target, the targeted reduction spread evenly over the years from its base year (% of the
    base year's figure a year). Scopes a target covers together (``1+2``) get a row of their
    own under the totals, never added to them. Also the columns: the targets' years (the AR 48
    template's when there is none) and the note saying what a "–" in them means."""
    absolute = [t for t in result.targets if t["kind"] == "absolute"]
    placed: dict[str, list[dict]] = {}
    for t in sorted(absolute, key=lambda t: (t["target_year"], t["target_id"])):
        placed.setdefault(target_row_key(t["scope"], t["scope2_method"]), []).append(t)
    keys = {r["key"] for r in rows if r.get("key")}
    together = [k for k in placed if k not in keys]
    out = list(rows)
    if together:
        now = figures(result.totals)
        out.append(
            {
                "kind": "group",
                "label": "Scopes a target covers together (not in the totals)",
                "key": None,
                "value": None,
            }
        )
        out += [
            {
                "kind": "head",
                "label": _label(k, names),
                "key": k,
                "value": _sum(now, [figure_of(p) for p in k.split("+")]),
            }
            for k in together
        ]
    for row in out:
        on_row = placed.get(row.get("key") or "", [])
        row["targets"] = {str(t["target_year"]): t["target_kgco2e"] for t in on_row}
        row["annual"] = [
            {
                "target_id": t["target_id"],
                "base_year": t["base_year"],
                "target_year": t["target_year"],
                "reduction_pct": t["reduction_pct"],
                "pct": t["reduction_pct"] / (t["target_year"] - t["base_year"]),
            }
            for t in on_row
        ]
    years = sorted({str(t["target_year"]) for t in absolute}) or list(TEMPLATE_YEARS)
    intensity = [t["target_id"] for t in result.targets if t["kind"] == "intensity"]
    if absolute:
        note = (
            "Target-year columns: the absolute targets of E1-4 ("
            + ", ".join(t["target_id"] for t in absolute)
            + ") on the row of their scope; annual % target / base year: the reduction spread "
            'evenly from its base year. "–" there: no absolute target covers the row'
        )
    else:
        note = 'Target-year columns: "–", no absolute target is given in the inventory'
    if intensity:
        note += f"; intensity targets ({', '.join(intensity)}): in E1-4 only"
    return out, {"years": years, "note": note + "."}


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


#: The restatement log's rows: figure key and label (scope 3 categories after scope 3).
_LOG_ROWS = (
    ("scope1", "Scope 1", "scope"),
    ("scope2_location", "Scope 2 (location-based)", "scope"),
    ("scope2_market", "Scope 2 (market-based)", "scope"),
    ("scope3", "Scope 3", "scope"),
)
_LOG_TOTALS = (
    ("total_location", "Total (location-based)", "total"),
    ("total_market", "Total (market-based)", "total"),
)

#: Why a prior year's figures changed when its settings give no ``restatement_reason``.
RECOMPUTED = "recomputed with this year's methods and factors"


def restatements(result: RunResult, names: dict[str, str] | None = None) -> list[dict]:
    """The restatement log: per prior year, per scope, scope 3 category and total, the figure
    restated (recomputed with this run's engine and library) and, when given, the figure first
    published, the difference (kgCO2e and % of the published figure) and whether it crosses
    the recalculation threshold (market-based figures against the market-based threshold);
    whether the year is restated (a difference above the threshold) and why (the prior's
    ``restatement_reason``, else ``RECOMPUTED``)."""
    names = names or {}
    base_year = result.base_year["year"] if result.base_year else None
    limits = result.base_year["recalculation_threshold"] if result.base_year else None
    log = []
    for c in result.comparatives:
        restated = figures(c["totals"])
        reported = figures(c["reported_totals"]) if c["reported_totals"] else {}
        difference = c["difference_kgco2e"] or {}
        share = c["difference_pct"] or {}
        above = c["above_threshold"] or {}
        categories = sorted(
            {k for k in (*restated, *reported) if k.startswith("scope3_category_")},
            key=lambda k: int(k.rsplit("_", 1)[1]),
        )
        keys = [
            *_LOG_ROWS,
            *(
                (k, f"{k.rsplit('_', 1)[1]} {names.get(k.rsplit('_', 1)[1], '')}".strip(), "sub")
                for k in categories
            ),
            *_LOG_TOTALS,
        ]
        rows = [
            {
                "key": key,
                "label": label,
                "kind": kind,
                "restated_kgco2e": restated.get(key, 0.0),
                "reported_kgco2e": reported.get(key, 0.0) if reported else None,
                "difference_kgco2e": difference.get(key),
                "difference_pct": share.get(key),
                "above_threshold": above.get(key),
                "threshold_kgco2e": None
                if limits is None
                else limits["market_kgco2e" if key.endswith("_market") else "location_kgco2e"],
            }
            for key, label, kind in keys
        ]
        log.append(
            {
                "year": c["reporting_year"],
                "base_year": c["reporting_year"] == base_year,
                "reported_given": bool(reported),
                "restated": c["restated"],
                "reason": c["restatement_reason"],
                "why": c["restatement_reason"] or RECOMPUTED,
                "threshold_pct": limits["pct"] if limits else None,
                "above": [r["label"] for r in rows if r["above_threshold"]],
                "rows": rows,
                "totals": {r["key"]: r for r in rows if r["kind"] == "total"},
            }
        )
    return log


def policy(result: RunResult, text: dict) -> dict | None:
    """The base year and recalculation policy as the report states it (GHG Protocol Corporate
    Standard ch. 5, ISO 14064-1 §6.4): the base year, the significance threshold from the
    settings in % and in kgCO2e of the base year's totals, the triggers and how this report
    applies them (``text``: the data file's ``recalculation_policy``); None without a base
    year."""
    if not result.base_year:
        return None
    limits = result.base_year["recalculation_threshold"]
    return {
        "base_year": result.base_year["year"],
        "base_is_prior": result.base_year["year"] != result.valid_settings.year,
        "restated": result.base_year["restated"],
        "base_location_kgco2e": result.base_year["totals"]["total_location_kgco2e"],
        "base_market_kgco2e": result.base_year["totals"]["total_market_kgco2e"],
        "threshold_pct": limits["pct"],
        "threshold_location_kgco2e": limits["location_kgco2e"],
        "threshold_market_kgco2e": limits["market_kgco2e"],
        **{k: v for k, v in text.items() if not k.startswith("_")},
    }


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
