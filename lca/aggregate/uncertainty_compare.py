"""One Monte Carlo over several ledgers at once (the options of a procurement comparison),
so that what they share is drawn once and the difference between them is not blurred by it.

Each counted line is ``value × A × F`` as in ``lca.aggregate.uncertainty`` (same multipliers,
same sources: the row's ``uncertainty_pct``, the line's range, the method's default; the own
factor's ``uncertainty_pct``, the method's default), with the drivers shared as follows:

* activity: one standard normal per input row, keyed by (owner, sheet, row). The owner of a
  line is its part's name (the option), or ``""`` when the part says the row is shared (in a
  comparison: a row whose ``option`` is blank, one row of the workbook that every option
  reads). So the lines of one row in every year of the horizon share its draw; rows of
  different options are independent; a shared row is one uncertain quantity, the same draw in
  every option that carries it (it cancels in their difference).
* factor: one standard normal per distinct factor id, across all parts: a grid factor used by
  two options is one uncertain number in both (own factors with the same ``factor_id`` in two
  options are taken as the same factor, each keeping its own ``uncertainty_pct``).

A figure is a named set of lines (``figures``: name → mask over the parts' lines, in order);
``simulate_parts`` returns ``iterations`` joint draws of every figure, draw ``i`` of all
figures coming from the same standard normals, so that figures can be compared draw by draw:
P(a < b) = (number of draws with a_i < b_i) / iterations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lca.aggregate.uncertainty import (
    COLUMNS,
    EXACT,
    INDICATORS,
    Multipliers,
    _activity,
    _default_spread,
    _defaults,
    _factor,
    _factor_codes,
    _missing_defaults,
    own_pct,
    simulate,
)
from lca.factors.library import FactorLibrary
from lca.issues import Issue
from lca.validate import Inventory

#: The owner of a shared row's activity draw.
SHARED = ""


@dataclass
class Part:
    """One ledger of the joint simulation: its counted lines (``COLUMNS`` at least), the
    inventory they were computed from (its rows' ``uncertainty_pct``), its own factors (the
    factors sheet: ``factor_id``, ``uncertainty_pct``) and, per line, whether its input row is
    shared with the other parts."""

    name: str
    lines: pd.DataFrame
    inventory: Inventory
    overrides: pd.DataFrame
    shared: np.ndarray


@dataclass
class Joint:
    """The draws of every figure, whether each figure has any uncertainty, and the issues."""

    samples: dict[str, np.ndarray]
    assessed: dict[str, bool]
    issues: list[Issue]


def activity_codes(parts: list[Part]) -> np.ndarray:
    """One code per distinct (owner, sheet, row) over the parts' lines in order, the owner
    being the part's name, or ``SHARED`` for a shared row."""
    owner = np.concatenate(
        [np.where(p.shared, SHARED, p.name).astype(object) for p in parts]
        or [np.array([], dtype=object)]
    )
    sheet = np.concatenate(
        [p.lines["sheet"].astype(str).to_numpy(dtype=object) for p in parts]
        or [np.array([], dtype=object)]
    )
    row = np.concatenate(
        [p.lines["row"].to_numpy(dtype="int64") for p in parts] or [np.array([], dtype="int64")]
    )
    keys = pd.MultiIndex.from_arrays([owner, sheet, row])
    return pd.factorize(keys, sort=False)[0].astype("int64")


def concat(multipliers: list[Multipliers]) -> Multipliers:
    """The multipliers of several sets of lines, one after the other."""
    out = Multipliers(sum(len(m.kind) for m in multipliers))
    if multipliers:
        for field in ("kind", "spread", "mu", "driver", "source"):
            setattr(out, field, np.concatenate([getattr(m, field) for m in multipliers]))
    return out


def _named(issues: list[Issue], name: str) -> list[Issue]:
    """The issues with the part's name before their message."""
    return [i.model_copy(update={"message": f"option {name!r}: {i.message}"}) for i in issues]


def simulate_parts(
    parts: list[Part],
    figures: dict[str, np.ndarray],
    library: FactorLibrary,
    iterations: int,
    seed: int,
    indicator: str = "kgco2e",
) -> Joint:
    """``iterations`` joint draws of each figure of ``indicator`` (Σ over its lines of
    value × A × F), the drivers shared as the module says; ``figures`` masks index the
    concatenation of the parts' lines."""
    column = INDICATORS[indicator]
    defaults = _defaults(library)
    lines = pd.concat([p.lines[list(COLUMNS)] for p in parts], ignore_index=True)
    rows = activity_codes(parts)
    rows_n = int(rows.max(initial=-1)) + 1
    factor_codes, factor_names = _factor_codes(lines, [column])
    drivers = rows_n + len(factor_names)
    activity, factor, issues, start = [], [], [], 0
    for part in parts:
        end = start + len(part.lines)
        a = _activity(part.lines, part.inventory, defaults, rows[start:end])
        f = _factor(
            part.lines,
            column,
            own_pct(part.overrides),
            _default_spread(part.lines["method"], "factor", defaults),
            factor_codes[column][start:end],
        )
        f.driver[f.driver >= 0] += rows_n
        issues += _named(
            _missing_defaults(part.lines, a, {indicator: f}, part.inventory), part.name
        )
        activity.append(a)
        factor.append(f)
        start = end
    a, f = concat(activity), concat(factor)
    values = {indicator: np.nan_to_num(lines[indicator].to_numpy(dtype="float64"))}
    uncertain = ((a.kind != EXACT) | (f.kind != EXACT)) & (values[indicator] != 0)
    samples = simulate(
        a,
        {indicator: f},
        values,
        {name: [(indicator, mask)] for name, mask in figures.items()},
        drivers,
        iterations,
        seed,
    )
    assessed = {name: bool(uncertain[mask].any()) for name, mask in figures.items()}
    return Joint(samples=samples, assessed=assessed, issues=issues)


def share_lower(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(P(a < b), P(a = b)) over the joint draws: the share of draws i with a_i < b_i, and
    with a_i = b_i."""
    if not len(a):
        return float("nan"), float("nan")
    return float(np.mean(a < b)), float(np.mean(a == b))


def share_in_order(samples: list[np.ndarray]) -> float:
    """The share of draws in which the figures are strictly increasing in the order given
    (the whole ranking holds): draws i with x1_i < x2_i < … < xn_i."""
    if len(samples) < 2:
        return 1.0
    stacked = np.vstack(samples)
    return float(np.mean(np.all(np.diff(stacked, axis=0) > 0, axis=0)))
