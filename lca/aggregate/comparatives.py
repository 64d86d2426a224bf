"""Year two: the base year, prior-year comparatives, restatements and target progress.

Each prior inventory is recomputed with the current engine and factor library (the restated
figure, GHG Protocol ch. 5, ISO 14064-1 §6.4); the figure first published for it, when given,
is compared per scope and scope 3 category against the recalculation threshold (ESRS 2 BP-2
§13–14). Targets (ESRS E1-4) are measured against the base year of each one. Every function
here is pure but ``read_reported``; ``lca.pipeline`` calls them in order.

Figures are keyed ``scope1``, ``scope2_location``, ``scope2_market``, ``scope3``,
``scope3_category_<n>``, ``total_location`` and ``total_market`` (kgCO2e).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pandas as pd

from lca.aggregate.result import RunResult
from lca.issues import Issue, Severity, SourceRef
from lca.ratio import not_computable, ratio
from lca.validate.rules import target_scope
from lca.validate.settings import Settings

#: totals keys → figure keys (the scope 3 categories are added per category).
_SCALARS = {
    "scope1_kgco2e": "scope1",
    "scope2_location_kgco2e": "scope2_location",
    "scope2_market_kgco2e": "scope2_market",
    "scope3_kgco2e": "scope3",
    "total_location_kgco2e": "total_location",
    "total_market_kgco2e": "total_market",
}


def figures(totals: dict) -> dict[str, float]:
    """The carbon figures of a ``totals`` block, flat, one per scope and scope 3 category."""
    out = {key: float(totals[name]) for name, key in _SCALARS.items()}
    for category, value in totals["scope3_by_category_kgco2e"].items():
        out[f"scope3_category_{category}"] = float(value)
    return out


def _keys(*blocks: dict) -> list[str]:
    """The figure keys of several blocks: scalars first, then categories in numeric order."""
    keys = {k for block in blocks for k in block}
    categories = sorted(
        (k for k in keys if k.startswith("scope3_category_")),
        key=lambda k: int(k.rsplit("_", 1)[1]),
    )
    return [k for k in _SCALARS.values() if k in keys] + categories


def pct_of(difference: float, reference: float) -> float | None:
    """``difference`` in % of ``reference`` (None when the reference is 0, or so close to 0
    that the % is not a finite number: see ``not_computable``)."""
    return ratio(difference, reference, 100)


def _pct_issues(what: str, pct: dict, reference_totals: dict, source: SourceRef) -> list[Issue]:
    """``not-computable`` for the % figures that are None although their reference figure
    is not 0 (it is so close to 0 that the % is beyond any number)."""
    reference = figures(reference_totals)
    lost = [k for k, value in pct.items() if value is None and reference.get(k, 0.0)]
    return not_computable(
        what,
        lost,
        "the reference figure "
        + ", ".join(f"{reference[k]:g} kgCO2e" for k in lost)
        + " is this close to 0; the difference in kgCO2e is given",
        source,
    )


def change(new: dict[str, float], old: dict[str, float]) -> dict[str, dict]:
    """Per figure: ``new − old`` in kgCO2e and in % of ``old`` (a category absent is 0)."""
    out = {}
    for key in _keys(new, old):
        difference = new.get(key, 0.0) - old.get(key, 0.0)
        out[key] = {"kgco2e": difference, "pct": pct_of(difference, old.get(key, 0.0))}
    return out


def thresholds(base_totals: dict, threshold_pct: float) -> dict:
    """The recalculation threshold in kgCO2e: ``threshold_pct`` % of the base year's total,
    location-based and market-based."""
    return {
        "pct": threshold_pct,
        "location_kgco2e": threshold_pct / 100 * base_totals["total_location_kgco2e"],
        "market_kgco2e": threshold_pct / 100 * base_totals["total_market_kgco2e"],
    }


def above_threshold(differences: dict[str, dict], limits: dict) -> dict[str, bool]:
    """Per figure: is the difference larger than the threshold? Market-based figures are held
    against the market-based total, the others against the location-based one."""
    return {
        key: abs(d["kgco2e"])
        > limits["market_kgco2e" if key.endswith("_market") else "location_kgco2e"]
        for key, d in differences.items()
    }


def comparative(
    year: int,
    totals: dict,
    reported_totals: dict | None,
    limits: dict | None,
    settings: Settings,
) -> dict:
    """One ``comparatives`` entry: the restated totals of a prior year, its restatement reason
    and net revenue (from its own settings) and, when the figure first published is given, the
    difference to it and whether it crosses the threshold."""
    entry: dict[str, object] = {
        "reporting_year": year,
        "totals": totals,
        "net_revenue": settings.net_revenue,
        "currency": settings.currency,
        "restated": False,
        "restatement_reason": settings.restatement_reason,
        "reported_totals": reported_totals,
        "difference_kgco2e": None,
        "difference_pct": None,
        "above_threshold": None,
    }
    if reported_totals is None:
        return entry
    differences = change(figures(totals), figures(reported_totals))
    entry["difference_kgco2e"] = {k: d["kgco2e"] for k, d in differences.items()}
    entry["difference_pct"] = {k: d["pct"] for k, d in differences.items()}
    if limits is not None:
        entry["above_threshold"] = above_threshold(differences, limits)
        entry["restated"] = any(above_threshold(differences, limits).values())
    return entry


def change_vs_prior(current_totals: dict, prior_year: int, prior_totals: dict) -> dict:
    """``change_vs_prior``: N against N-1 (the latest prior), per figure in kgCO2e and %."""
    differences = change(figures(current_totals), figures(prior_totals))
    return {
        "prior_year": prior_year,
        "kgco2e": {k: d["kgco2e"] for k, d in differences.items()},
        "pct": {k: d["pct"] for k, d in differences.items()},
    }


def scope_kgco2e(totals: dict, scope: str, scope2_method: str | None) -> float:
    """The kgCO2e of a target's scope (``1+2``, ``3.1+3.2`` …) in a ``totals`` block."""
    values = figures(totals)
    names = {"1": "scope1", "2": f"scope2_{scope2_method}", "3": "scope3"}
    terms = target_scope(scope) or ()
    return sum(values.get(names.get(t, f"scope3_category_{t[2:]}"), 0.0) for t in terms)


def linear_path(base: float, target: float, base_year: int, target_year: int, year: int) -> float:
    """The straight line from ``base`` in the base year to ``target`` in the target year, read
    at ``year`` (the target itself after the target year)."""
    share = min(max((year - base_year) / (target_year - base_year), 0.0), 1.0)
    return base - (base - target) * share


def target_progress(target: dict, base: float, current: float, year: int) -> dict:
    """A target's figures: ``base`` and ``current`` are kgCO2e (absolute) or kgCO2e per unit
    of the denominator (intensity). ``achieved_pct`` is the share of the targeted reduction
    reached; ``on_track`` compares the current figure with the linear path."""
    goal = base * (1 - target["reduction_pct"] / 100)
    path = linear_path(base, goal, target["base_year"], target["target_year"], year)
    wanted = base - goal
    return {
        "base": base,
        "current": current,
        "target": goal,
        "linear_path": path,
        "reduction_to_date_pct": pct_of(base - current, base),
        "achieved_pct": ratio(base - current, wanted, 100),
        "on_track": current <= path,
    }


def _checked(entry: dict, progress: dict, source: SourceRef) -> tuple[dict, list[Issue]]:
    """A target's entry with every figure a finite number or null, and a ``not-computable``
    warning naming the null ones that had a reference (a base figure close to 0 against the
    current one makes its % beyond any number)."""
    base, wanted = progress["base"], progress["base"] - progress["target"]
    figures = [
        name
        for name, reference in (("reduction_to_date_pct", base), ("achieved_pct", wanted))
        if progress[name] is None and reference
    ]
    for name, value in entry.items():
        if isinstance(value, float) and not math.isfinite(value):
            entry[name] = None
            figures.append(name)
    unit = "kgCO2e per unit" if entry["kind"] == "intensity" else "kgCO2e"
    return entry, not_computable(
        f"target {entry['target_id']}",
        figures,
        f"the base year's {progress['base']:g} {unit} against the current "
        f"{progress['current']:g}: their difference in % of the base is beyond any number",
        source,
    )


def unknown_year_severity(priors_given: bool) -> Severity:
    """A base year that is no year of the run: an error when --prior inventories were given
    (none is of that year), a warning when none was (``lca validate``, or a report of the
    reporting year alone: the inventory is not wrong, the comparison is not made)."""
    return Severity.ERROR if priors_given else Severity.WARNING


def _no_prior(priors_given: bool) -> str:
    return "" if priors_given else "; no --prior inventory was given, so it is not measured"


def target_entry(
    target: dict,
    years: dict[int, dict],
    denominators: dict[int, dict],
    current_year: int,
    priors_given: bool = True,
) -> tuple[dict | None, list[Issue]]:
    """One ``targets`` entry from a validated targets row (a dict), the totals of every year
    given and their settings' denominators; None with an issue when it cannot be measured."""
    source = SourceRef(file=str(target["_file"]), sheet="targets", row=int(target["_row"]))
    base_year = int(target["base_year"])
    if base_year not in years:
        return None, [
            Issue(
                code="target-base-year-unknown",
                severity=unknown_year_severity(priors_given),
                message=f"target {target['target_id']}: base_year {base_year} is "
                "neither the reporting year nor the year of a --prior inventory "
                f"(given: {', '.join(map(str, sorted(years)))}){_no_prior(priors_given)}",
                source=source.model_copy(update={"column": "base_year"}),
                value=str(base_year),
            )
        ]
    method = target["scope2_method"] or None
    base_kg = scope_kgco2e(years[base_year], target["scope"], method)
    current_kg = scope_kgco2e(years[current_year], target["scope"], method)
    entry = {
        "target_id": target["target_id"],
        "scope": target["scope"],
        "scope2_method": method,
        "kind": target["kind"],
        "intensity_denominator": target["intensity_denominator"] or None,
        "base_year": base_year,
        "target_year": int(target["target_year"]),
        "reduction_pct": float(target["reduction_pct"]),
        "science_based": target["science_based"] or None,
        "base_kgco2e": base_kg,
        "current_kgco2e": current_kg,
    }
    if target["kind"] == "absolute":
        progress = target_progress(entry, base_kg, current_kg, current_year)
        absolute = {
            **entry,
            "target_kgco2e": progress["target"],
            "linear_path_kgco2e": progress["linear_path"],
            "reduction_to_date_pct": progress["reduction_to_date_pct"],
            "achieved_pct": progress["achieved_pct"],
            "on_track": progress["on_track"],
        }
        return _checked(absolute, progress, source)
    name = entry["intensity_denominator"]
    missing = [y for y in (base_year, current_year) if not denominators[y].get(name)]
    if missing:
        return None, [
            Issue(
                code="target-denominator-missing",
                severity=Severity.ERROR,
                message=f"target {target['target_id']}: setting {name!r} is not "
                f"given (or 0) for {', '.join(map(str, missing))}; an intensity "
                "target needs it in the base year and the reporting year",
                source=source.model_copy(update={"column": "intensity_denominator"}),
                value=name,
            )
        ]
    base_value, current_value = denominators[base_year][name], denominators[current_year][name]
    base_intensity, current_intensity = ratio(base_kg, base_value), ratio(current_kg, current_value)
    if base_intensity is None or current_intensity is None:
        return None, not_computable(
            f"target {target['target_id']}",
            ["the intensity"],
            f"{base_kg:g} kgCO2e per {name} {base_value:g} in {base_year} and {current_kg:g} "
            f"per {current_value:g} in {current_year}: a {name} this close to 0 gives an "
            "intensity beyond any number",
            source.model_copy(update={"column": "intensity_denominator"}),
            "the target is not measured",
        )
    progress = target_progress(entry, base_intensity, current_intensity, current_year)
    intensity = {
        **entry,
        "base_denominator": base_value,
        "current_denominator": current_value,
        "base_intensity": progress["base"],
        "current_intensity": progress["current"],
        "target_intensity": progress["target"],
        "linear_path_intensity": progress["linear_path"],
        "target_kgco2e": progress["target"] * current_value,
        "linear_path_kgco2e": progress["linear_path"] * current_value,
        "reduction_to_date_pct": progress["reduction_to_date_pct"],
        "achieved_pct": progress["achieved_pct"],
        "on_track": progress["on_track"],
    }
    return _checked(intensity, progress, source)


def labelled(issues: list[Issue], year: int | None) -> list[Issue]:
    """A prior inventory's issues, their message prefixed with its reporting year."""
    label = f"prior year {year}" if year is not None else "prior inventory"
    return [i.model_copy(update={"message": f"{label}: {i.message}"}) for i in issues]


def read_reported(path: Path) -> tuple[int | None, dict | None, list[Issue]]:
    """The reporting year and ``totals`` of a results.json first published for a prior year."""
    source = SourceRef(file=str(path))
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        year = dt.date.fromisoformat(document["period"]["end"]).year
        totals = document["totals"]
        figures(totals)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return (
            None,
            None,
            [
                Issue(
                    code="prior-reported-unreadable",
                    severity=Severity.ERROR,
                    message=f"--prior-reported: not a readable results.json with "
                    f"period.end and totals ({type(exc).__name__}: {exc})",
                    source=source,
                )
            ],
        )
    return year, totals, []


def prior_years(
    current_year: int, priors: list[RunResult]
) -> tuple[dict[int, RunResult], list[Issue]]:
    """The priors by reporting year, with their issues labelled by year. A prior without
    settings, not earlier than the reporting year, or of a year already given is left out
    with an issue."""
    kept: dict[int, RunResult] = {}
    issues: list[Issue] = []
    for prior in priors:
        year = prior.settings.year if prior.settings else None
        issues += labelled(prior.issues, year)
        if year is None:
            continue
        problem = (
            "is not earlier than the reporting year " + str(current_year)
            if year >= current_year
            else "is given twice"
            if year in kept
            else None
        )
        if problem:
            issues.append(
                Issue(
                    code="prior-year-order",
                    severity=Severity.ERROR,
                    message=f"--prior: the inventory of {year} {problem}; it is "
                    "left out of the comparatives",
                    value=str(year),
                    source=SourceRef(file=str(prior.inventory.path)),
                )
            )
            continue
        kept[year] = prior
    return dict(sorted(kept.items())), issues


def reported_by_year(
    reported: list[tuple[Path, int | None, dict | None]], years: set[int]
) -> tuple[dict[int, dict], list[Issue]]:
    """The figures first published, by year; one for a year without a --prior, or a second
    one for a year, is left out with an issue."""
    out: dict[int, dict] = {}
    issues: list[Issue] = []
    for path, year, totals in reported:
        if year is None or totals is None:
            continue
        problem = (
            "matches no --prior inventory"
            if year not in years
            else "is given twice"
            if year in out
            else None
        )
        if problem:
            issues.append(
                Issue(
                    code="prior-reported-unmatched",
                    severity=Severity.ERROR,
                    message=f"--prior-reported: the results of {year} {problem}; "
                    "they are not compared",
                    value=str(year),
                    source=SourceRef(file=str(path)),
                )
            )
            continue
        out[year] = totals
    return out, issues


def _rows(frame: pd.DataFrame) -> list[dict]:
    """The rows of a validated sheet as dicts, blanks as None."""
    return [
        {
            k: (None if v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v)
            for k, v in row.items()
        }
        for row in frame.to_dict("records")
    ]


def year_blocks(
    current: RunResult, priors: dict[int, RunResult], reported: dict[int, dict]
) -> tuple[dict, list[Issue]]:
    """The results.json blocks ``base_year``, ``comparatives``, ``change_vs_prior`` and
    ``targets`` of a run, from its priors (by year) and the figures first published."""
    settings = current.valid_settings
    year = settings.year
    totals = {y: p.totals for y, p in priors.items()} | {year: current.totals}
    issues: list[Issue] = []
    base, limits = None, None
    targets = current.inventory.sheet("targets")
    if settings.base_year is None and (priors or len(targets)):
        issues.append(
            Issue(
                code="base-year-missing",
                severity=Severity.WARNING,
                message="no base_year setting: comparatives are not held against a "
                "recalculation threshold",
                source=current.inventory.settings_cells.ref("base_year"),
            )
        )
    elif settings.base_year is not None and settings.base_year not in totals:
        issues.append(
            Issue(
                code="base-year-unknown",
                severity=unknown_year_severity(bool(priors)),
                message=f"base_year {settings.base_year} is neither the reporting "
                "year nor the year of a --prior inventory (given: "
                f"{', '.join(map(str, sorted(totals)))}){_no_prior(bool(priors))}",
                value=str(settings.base_year),
                source=current.inventory.settings_cells.ref("base_year"),
            )
        )
    elif settings.base_year is not None:
        limits = thresholds(totals[settings.base_year], settings.recalculation_threshold)
        base = {
            "year": settings.base_year,
            "totals": totals[settings.base_year],
            "recalculation_threshold": limits,
            "restated": settings.base_year in reported and settings.base_year != year,
        }
    comparatives = [
        comparative(y, p.totals, reported.get(y), limits, p.valid_settings)
        for y, p in priors.items()
    ]
    if base is not None and base["restated"]:
        base["restated"] = next(
            c["restated"] for c in comparatives if c["reporting_year"] == settings.base_year
        )
    latest = max(priors, default=None)
    denominators = {y: p.valid_settings.model_dump() for y, p in priors.items()} | {
        year: settings.model_dump()
    }
    for c in comparatives:
        if c["reported_totals"] is not None:
            issues += _pct_issues(
                f"the restatement of {c['reporting_year']} (% of the figure first reported)",
                c["difference_pct"],
                c["reported_totals"],
                SourceRef(file=str(priors[c["reporting_year"]].inventory.path)),
            )
    change = None
    if latest is not None:
        change = change_vs_prior(current.totals, latest, priors[latest].totals)
        issues += _pct_issues(
            f"% N / N-1 against {latest}",
            change["pct"],
            priors[latest].totals,
            SourceRef(file=str(priors[latest].inventory.path)),
        )
    entries = []
    for row in _rows(targets):
        entry, found = target_entry(row, totals, denominators, year, bool(priors))
        issues += found
        if entry is not None:
            entries.append(entry)
    return {
        "base_year": base,
        "comparatives": comparatives,
        "change_vs_prior": change,
        "targets": entries,
    }, issues
