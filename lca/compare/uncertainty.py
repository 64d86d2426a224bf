"""Uncertainty of the comparison: each option's total with its 95 % interval, and how likely
the ranking is to hold.

One Monte Carlo over all options and all years of the horizon
(``lca.aggregate.uncertainty_compare``), with the annual report's multipliers (a row's
``uncertainty_pct``, else its range, else the method's default; an own factor's
``uncertainty_pct``, else the method's default), settings ``uncertainty_iterations`` (default
10,000) and ``uncertainty_seed`` (default 0):

* a row's activity is one draw, shared by its lines in every year of the horizon (a device
  and its replacements are one row); rows of different options are independent;
* a row with a blank ``option`` is one row of the workbook that every option carries: it is
  one draw, the same in every option, so it moves all options together and cancels in their
  difference;
* a factor is one draw per factor id, shared by every option and year that uses it: a grid
  factor's uncertainty moves all options that run on that grid together.

Per option: ``point`` (the reported total), ``mean``, ``p2_5``, ``p50``, ``p97_5`` and
``relative_half_width`` = (p97.5 − p2.5) / 2 / point of its total kgCO2e (location-based, the
figure the ranking uses) and of each year's.

Ranking: for options a (ranked better, lower point total) and b, ``probability`` = the share
of draws in which a's total is below b's (draw i: Σ a's lines < Σ b's lines, the same draws
of shared rows and factors on both sides), ``ties`` the share in which they are equal; pairs
listed: each option with the next in the ranking, and the best with every other option.
``ranking_probability`` = the share of draws in which the whole ranking holds (every option's
total below the next one's).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from lca.aggregate.uncertainty import stats
from lca.aggregate.uncertainty_compare import Part, share_in_order, share_lower, simulate_parts
from lca.compare.options import CompareSettings
from lca.compare.spec import OPTION_SHEETS
from lca.factors.library import FactorLibrary
from lca.issues import Issue, Severity, SourceRef
from lca.mapping.own_factors import own_factors
from lca.spec import ROW
from lca.validate import Inventory

INDICATOR = "kgco2e"
CORRELATION = (
    "one draw per input row (all its years and replacements; a row with a blank option is "
    "one draw shared by every option) and one per factor id, shared by every option and year"
)


def shared_rows(inventories: dict[str, Inventory]) -> set[tuple[str, int]]:
    """(sheet, row) of the workbook rows that more than one option reads (blank ``option``)."""
    seen: dict[tuple[str, int], int] = {}
    for inventory in inventories.values():
        for sheet in OPTION_SHEETS:
            frame = inventory.sheet(sheet)
            if frame.empty or ROW not in frame:
                continue
            for row in set(frame[ROW].astype("int64")):
                seen[(sheet, row)] = seen.get((sheet, row), 0) + 1
    return {key for key, count in seen.items() if count > 1}


def parts_of(ledger: pd.DataFrame, inventories: dict[str, Inventory]) -> list[Part]:
    """One part per option: its counted lines (all years), its inventory and own factors, and
    which lines come from a shared row."""
    shared = shared_rows(inventories)
    parts = []
    for name, inventory in inventories.items():
        lines = ledger[ledger["counted"].to_numpy(dtype=bool) & (ledger["option"] == name)]
        lines = lines.reset_index(drop=True)
        keys = zip(lines["sheet"].astype(str), lines["row"].astype("int64"), strict=True)
        overrides, _ = own_factors(inventory.sheet("factors"))  # its issues are reported
        parts.append(
            Part(
                name=name,
                lines=lines,
                inventory=inventory,
                overrides=overrides,
                shared=np.array([k in shared for k in keys], dtype=bool),
            )
        )
    return parts


def figure_masks(parts: list[Part], years: int) -> dict[str, np.ndarray]:
    """Per option, its total (``<option>``) and each year's (``<option>\\x00<k>``), as masks
    over the concatenated lines of the parts."""
    n = sum(len(p.lines) for p in parts)
    masks, start = {}, 0
    for part in parts:
        end = start + len(part.lines)
        mine = np.zeros(n, dtype=bool)
        mine[start:end] = True
        masks[part.name] = mine
        year = np.zeros(n, dtype="int64")
        year[start:end] = part.lines["year"].to_numpy(dtype="int64")
        for k in range(1, years + 1):
            masks[f"{part.name}\x00{k}"] = mine & (year == k)
        start = end
    return masks


def pairs(ranking: list[str]) -> list[tuple[str, str]]:
    """(better, worse): each option with the next in the ranking, then the best with every
    option that is not next to it."""
    adjacent = list(itertools.pairwise(ranking))
    best = [(ranking[0], other) for other in ranking[2:]]
    return adjacent + best


def _not_assessed(name: str, file: str) -> Issue:
    return Issue(
        code="uncertainty-not-assessed",
        severity=Severity.WARNING,
        message=f"option {name!r}: no counted line of its total has an uncertainty (every "
        "activity and factor is exact, or the option has no counted line): its interval is "
        "its point total, and the probabilities that involve it come from the other options' "
        "draws only",
        value=name,
        source=SourceRef(file=file),
    )


def assess(
    ledger: pd.DataFrame,
    inventories: dict[str, Inventory],
    settings: CompareSettings,
    library: FactorLibrary,
    options: list[dict],
    ranking: list[str],
) -> tuple[dict | None, dict[str, dict], list[Issue]]:
    """The comparison's ``uncertainty`` block, each option's ``uncertainty`` (by name) and the
    issues met. None and nothing when there is no option; None and an issue per option when
    no line is counted (nothing to draw)."""
    file = next((str(i.inputs[0]["path"]) for i in inventories.values() if i.inputs), "")
    if not options:
        return None, {}, []
    if ledger.empty or not ledger["counted"].any():
        return None, {}, [_not_assessed(o["option"], file) for o in options]
    parts = parts_of(ledger, inventories)
    years = settings.horizon_years
    iterations, seed = settings.uncertainty_iterations, settings.uncertainty_seed
    joint = simulate_parts(
        parts, figure_masks(parts, years), library, iterations, seed, indicator=INDICATOR
    )
    samples = joint.samples
    issues = list(joint.issues)
    per_option = {}
    for option in options:
        name = option["option"]
        per_option[name] = {
            "assessed": joint.assessed[name],
            "totals": {INDICATOR: stats(samples[name], option["totals"][INDICATOR])},
            "by_year_kgco2e": [
                stats(samples[f"{name}\x00{k}"], option["by_year_kgco2e"][k - 1])
                for k in range(1, years + 1)
            ],
        }
        if not joint.assessed[name]:
            issues.append(_not_assessed(name, file))
    block = {
        "method": "monte_carlo",
        "generator": "numpy PCG64",
        "iterations": iterations,
        "seed": seed,
        "confidence": 0.95,
        "indicator": INDICATOR,
        "correlation": CORRELATION,
        "ranking_probability": share_in_order([samples[name] for name in ranking]),
        "pairs": [pair(samples, a, b, ranking) for a, b in pairs(ranking)],
    }
    return block, per_option, issues


def percent(share: float | None) -> str:
    """A share of draws as a percentage; never rounded to 0 % or 100 % unless it is."""
    if share is None or math.isnan(share):
        return "–"
    if 0 < share < 0.001:
        return "< 0.1 %"
    if 0.999 < share < 1:
        return "> 99.9 %"
    return f"{share * 100:.1f} %".replace(".0 %", " %")


def pair(samples: dict[str, np.ndarray], a: str, b: str, ranking: list[str]) -> dict:
    """One ranking pair: ``a`` ranked better than ``b``; the share of draws where a's total is
    below b's (``probability``) and where they are equal (``ties``)."""
    lower, ties = share_lower(samples[a], samples[b])
    return {
        "a": a,
        "b": b,
        "adjacent": ranking.index(b) == ranking.index(a) + 1,
        "probability": lower,
        "ties": ties,
    }
