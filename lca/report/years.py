"""Year two in the report: the E1-6 retrospective columns, the E1-4 targets table and the
restatement log, read from results.json's ``base_year``, ``comparatives``, ``change_vs_prior``
and ``targets`` (``lca.aggregate.comparatives`` computes them; nothing is recomputed here).
"""

from __future__ import annotations

from lca.aggregate.comparatives import figures
from lca.aggregate.result import RunResult

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
