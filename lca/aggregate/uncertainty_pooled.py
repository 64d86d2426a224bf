"""Speed-up of the Monte Carlo for large inventories: pooling many alike, independent rows.

The method is stated in ``lca.aggregate.uncertainty``: every counted line is
``value × A × F``, one activity draw per input row, one factor draw per factor id. Its cost is
iterations × lines (10,000 × 1.5 M lines for a 1,000,000-row cloud inventory: minutes). This
module changes how the draws of some rows are made, not what they are.

Rows are *alike* when their lines have the same kind of activity distribution, the same factor
(id and distribution) per indicator and count in the same figures: the same **signature**; their
values and their activities' σ and μ may differ (the moments below are summed row by row).
Given the factor draws, the rows of a signature add up independent terms, so their sum ``S``
(one number per line position and indicator: a *cell*) tends to a normal (central limit
theorem). A signature is pooled when, leaving out its heavy rows (more than
``HEAVY_SHARE`` of the signature's activity variance in an indicator: Lindeberg's condition),
at least ``POOL_MIN_ROWS`` rows remain and the skewness of their sum is at most ``MAX_SKEW`` in
every indicator (the normal's neglected term; Cornish–Fisher). Its cells are then drawn as one
multivariate normal with the exact mean and covariance of the sums,

    E[S_c] = Σ_r v_rc E[A_j]              Cov(S_c, S_d) = Σ_r v_rc v_rd Cov(A_j, A_k)

(``c`` = line position ``j`` × indicator, ``d`` = position ``k`` × indicator, each row with its
own ``A``; the lines of a row are comonotone lognormals or exact: ``Cov(A_j, A_k) = exp(μj + μk
+ (σj² + σk²)/2) × (exp(σj σk) − 1)``, 0 for an exact one), and each cell is multiplied by
the draw of its shared factor. Rows with a normal activity distribution (a user's
``uncertainty_pct``, truncated at 0) and the heavy rows stay drawn one by one. Against the
factor draws the rows share, the pooled figures agree with drawing every row to within the
Monte Carlo's own error (checked in ``tests/test_uncertainty_pooled.py``). The draws of pooled
cells come from a generator of their own (the seed's ``PCG64`` jumped once), so nothing
changes for an inventory without a pooled signature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lca import distinct
from lca.aggregate.multipliers import LOGNORMAL, NORMAL, Multipliers

#: Fewest rows of one signature that are pooled.
POOL_MIN_ROWS = 100
#: Largest skewness of a pooled sum (Cornish–Fisher: its 2.5 and 97.5 percentiles then move
#: by less than 5 % of its standard deviation from the normal's).
MAX_SKEW = 0.1
#: Largest share of its signature's activity variance (per indicator) a pooled row may carry.
HEAVY_SHARE = 0.01


@dataclass
class Pool:
    """The pooled cells: the mean and Cholesky factor of each signature's sums, each cell's
    factor multiplier (drivers in the shared numbering) and weight in each figure."""

    mean: np.ndarray  # cells
    blocks: list[tuple[slice, np.ndarray]]  # the cells of a signature, lower-triangular L
    factor: Multipliers  # cells
    weights: np.ndarray  # cells × figures
    rows: int  # input rows pooled

    def sums(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws of every cell's sum (size × cells)."""
        z = rng.standard_normal((size, len(self.mean)))
        out = np.broadcast_to(self.mean, z.shape).copy()
        for cells, chol in self.blocks:
            out[:, cells] += z[:, cells] @ chol.T
        return out


def _code(values: np.ndarray) -> np.ndarray:
    return pd.factorize(values, sort=False)[0]


def _distribution(m: Multipliers) -> np.ndarray:
    """A code per distinct (kind, spread, μ): one complex number each (a normal's spread
    negated; an exact multiplier has spread 0), factorized once."""
    spread = np.where(m.kind == NORMAL, -m.spread, m.spread)
    return _code(spread + 1j * m.mu)


def _activity_moments(m: Multipliers) -> tuple[np.ndarray, np.ndarray]:
    """Mean and σ-of-ln of each line's activity multiplier (exact: 1 and 0)."""
    log = m.kind == LOGNORMAL
    mean = np.where(log, np.exp(m.mu + m.spread**2 / 2), 1.0)
    return mean, np.where(log, m.spread, 0.0)


def split(
    activity: Multipliers,
    factor: dict[str, Multipliers],
    values: dict[str, np.ndarray],
    figures: dict[str, list[tuple[str, np.ndarray]]],
    row_codes: np.ndarray,
    rows: int,
    drivers: int,
) -> tuple[Multipliers, dict[str, Multipliers], dict, dict, int, Pool | None]:
    """The lines still drawn one by one (activity, factors, values and figures restricted to
    them, drivers renumbered: their rows, then every factor) and the pool of the others.
    Drivers on input: rows 0 … ``rows`` − 1, then factors up to ``drivers`` − 1, −1 exact."""
    n = len(activity.kind)
    if not n:
        return activity, factor, values, figures, drivers, None
    parts = [(name, k, mask) for name, ps in figures.items() for k, mask in ps]
    line_key = distinct.combine(_line_codes(activity, factor, parts, n), n)

    # one run of lines per row, sorted by line key: the row's signature is its runs' keys
    order = np.lexsort((line_key, row_codes))
    run_rows = row_codes[order]
    starts = np.flatnonzero(np.r_[True, run_rows[1:] != run_rows[:-1]])
    per_row = np.diff(np.r_[starts, n])
    grid = np.full((len(starts), int(per_row.max(initial=0))), -1, dtype=np.int64)
    grid[np.repeat(np.arange(len(starts)), per_row), np.arange(n) - np.repeat(starts, per_row)] = (
        order
    )
    keyed = np.where(grid < 0, -1, line_key[np.maximum(grid, 0)])
    signature = np.full(rows, -1, dtype=np.int64)
    signature[run_rows[starts]] = distinct.combine(keyed.T, len(starts))

    pooled_row = _poolable(activity, factor, values, row_codes, signature, rows)
    if not pooled_row.any():
        return activity, factor, values, figures, drivers, None

    # renumber the drivers: the rows kept, then every factor
    new_driver = np.full(drivers + 1, -1, dtype=np.int64)
    kept_rows = np.flatnonzero(~pooled_row)
    new_driver[kept_rows] = np.arange(len(kept_rows))
    new_driver[rows:drivers] = len(kept_rows) + np.arange(drivers - rows)
    keep = ~pooled_row[row_codes]

    def take(m: Multipliers) -> Multipliers:
        out = Multipliers(int(keep.sum()))
        out.kind, out.spread, out.mu = m.kind[keep], m.spread[keep], m.mu[keep]
        out.driver, out.source = new_driver[m.driver[keep]], m.source[keep]
        return out

    runs = pooled_row[run_rows[starts]]
    groups = [
        grid[runs & (signature[run_rows[starts]] == s)][:, : int(per_row[runs][i])]
        for i, s in _first_of_each(signature[run_rows[starts]][runs])
    ]
    pool = _pool(activity, factor, values, parts, list(figures), groups, new_driver)
    pool.rows = int(pooled_row.sum())
    return (
        take(activity),
        {k: take(m) for k, m in factor.items()},
        {k: v[keep] for k, v in values.items()},
        {name: [(k, mask[keep]) for k, mask in ps] for name, ps in figures.items()},
        len(kept_rows) + drivers - rows,
        pool,
    )


def _line_codes(activity, factor, parts, n: int):
    """The codes that make a line's key, one column at a time: the kind of its activity
    distribution (its σ and μ may differ from row to row: the pool's moments are summed row by
    row), its factor (distribution and driver) per indicator, and the figures it counts in (as
    bits)."""
    yield _code(activity.kind)
    for m in factor.values():
        yield from (_distribution(m), m.driver)
    for start in range(0, len(parts), 62):
        bits = np.zeros(n, dtype=np.int64)
        for i, (_, _, mask) in enumerate(parts[start : start + 62]):
            bits |= mask.astype(np.int64) << i
        yield _code(bits)


def _first_of_each(codes: np.ndarray) -> list[tuple[int, int]]:
    """(index of its first occurrence, code) of each distinct code, by first occurrence."""
    _, first = np.unique(codes, return_index=True)
    first.sort()
    return [(int(i), int(codes[i])) for i in first]


def _poolable(activity, factor, values, row_codes, signature, rows) -> np.ndarray:
    """The rows to pool: of a signature without a normal activity, each carrying at most
    ``HEAVY_SHARE`` of the signature's activity variance in every indicator; pooled when the
    skewness of their sum is at most ``MAX_SKEW`` in every indicator (taking the signature's
    largest σ for every line: skewness Σ|v|³ / (Σv²)^1.5 × (e^σ² + 2)√(e^σ² − 1))."""
    signatures = int(signature.max(initial=-1)) + 1
    mean_a, sigma_a = _activity_moments(activity)
    sd_a = mean_a * np.sqrt(np.expm1(sigma_a**2))
    light = np.ones(rows, dtype=bool)
    for k in factor:
        w_row = np.bincount(row_codes, (values[k] * sd_a) ** 2, minlength=rows)
        w_sig = np.bincount(signature, w_row, minlength=signatures)[signature]
        light &= w_row <= HEAVY_SHARE * w_sig
    sigma = np.zeros(signatures)
    np.maximum.at(sigma, signature[row_codes], sigma_a)
    gamma = (np.exp(sigma**2) + 2) * np.sqrt(np.expm1(sigma**2))  # skewness of one lognormal
    poolable = np.bincount(signature[light], minlength=signatures) >= POOL_MIN_ROWS
    for k in factor:  # each row weighed by its standard deviation (rows' σ may differ)
        v_row = np.bincount(row_codes, values[k] * sd_a, minlength=rows)[light]
        s2 = np.bincount(signature[light], v_row**2, minlength=signatures)
        s3 = np.bincount(signature[light], np.abs(v_row) ** 3, minlength=signatures)
        with np.errstate(divide="ignore", invalid="ignore"):
            skew = np.where(s2 > 0, gamma * s3 / s2**1.5, 0.0)
        poolable &= skew <= MAX_SKEW
    poolable[signature[row_codes[activity.kind == NORMAL]]] = False
    return light & poolable[signature]


def _sum_moments(
    values: np.ndarray, mean_a: np.ndarray, mu_a: np.ndarray, sigma_a: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of the cells' sums ``S_c = Σ_r v_rc A_rc`` (rows × cells arrays:
    the values, and each activity's mean, μ and σ of ln; exact: 1, 0, 0):
    ``E[S_c] = Σ_r v_rc E[A_rc]``, ``Cov(S_c, S_d) = Σ_r v_rc v_rd E[A_rc] E[A_rd] (exp(σ_rc
    σ_rd) − 1)`` (the lines of a row are comonotone lognormals or exact). Where every row has
    the same activity in a cell (one distribution for the signature), the sums factor:
    ``E[A_c] Σ_r v_rc`` and ``exp(μ_c + μ_d + (σ_c² + σ_d²)/2) (exp(σ_c σ_d) − 1) Σ_r v_rc
    v_rd``."""
    alike = len(values) and all((a == a[0]).all() for a in (mean_a, mu_a, sigma_a))
    if alike:
        mean, mu, sigma = mean_a[0], mu_a[0], sigma_a[0]
        cov_a = np.exp(mu[:, None] + mu[None, :] + (sigma[:, None] ** 2 + sigma[None, :] ** 2) / 2)
        cov_a *= np.expm1(sigma[:, None] * sigma[None, :])
        return values.sum(axis=0) * mean, (values.T @ values) * cov_a
    expected = values * mean_a
    covariance = np.empty((values.shape[1], values.shape[1]))
    for c in range(values.shape[1]):
        both = expected[:, c : c + 1] * expected * np.expm1(sigma_a[:, c : c + 1] * sigma_a)
        covariance[c] = both.sum(axis=0)
    return expected.sum(axis=0), covariance


def _pool(activity, factor, values, parts, names, groups, new_driver) -> Pool:
    """The pool of the pooled rows' lines, one signature (rows × line positions) at a time."""
    indicators = list(factor)
    mean_a, sigma_a = _activity_moments(activity)
    mu_a = np.where(activity.kind == LOGNORMAL, activity.mu, 0.0)
    means, blocks, cells_line, cells_k = [], [], [], []
    cell = 0
    for group in groups:
        width = group.shape[1]
        values_cells = np.concatenate([values[k][group] for k in indicators], axis=1)
        used = np.flatnonzero(np.any(values_cells != 0, axis=0))
        if not len(used):
            continue
        values_cells = values_cells[:, used]
        lines = np.tile(group, len(indicators))[:, used]  # each row's line of each cell
        line = lines[0]  # the line (of the first row) of each cell
        mean, covariance = _sum_moments(values_cells, mean_a[lines], mu_a[lines], sigma_a[lines])
        means.append(mean)
        jitter = 1e-12 * max(float(np.trace(covariance)), 1e-300)
        blocks.append(
            (
                slice(cell, cell + len(used)),
                np.linalg.cholesky(covariance + jitter * np.eye(len(used))),
            )
        )
        cell += len(used)
        cells_line.append(line)
        cells_k.append(used // width)
    line = np.concatenate(cells_line) if cells_line else np.zeros(0, dtype=np.int64)
    k_of = np.concatenate(cells_k) if cells_k else np.zeros(0, dtype=np.int64)
    cells = Multipliers(cell)
    for i, k in enumerate(indicators):
        at, m = k_of == i, factor[k]
        cells.kind[at], cells.spread[at], cells.mu[at] = (
            m.kind[line[at]],
            m.spread[line[at]],
            m.mu[line[at]],
        )
        cells.driver[at] = new_driver[m.driver[line[at]]]
    weights = np.zeros((cell, len(names)))
    for name_p, k, mask in parts:
        at = (k_of == indicators.index(k)) & mask[line]
        weights[at, names.index(name_p)] += 1.0
    return Pool(
        mean=np.concatenate(means) if means else np.zeros(0),
        blocks=blocks,
        factor=cells,
        weights=weights,
        rows=0,
    )
