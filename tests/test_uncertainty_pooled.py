"""Pooling alike rows in the Monte Carlo (``lca.aggregate.uncertainty_pooled``): the pooled
draws agree with drawing every row, and what must stay drawn one by one does."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lca.aggregate import uncertainty as u
from lca.aggregate import uncertainty_pooled as pooled
from lca.factors.library import load_library
from lca.pipeline import run
from tests.helpers import write_inventory

ITERATIONS, SEED = 10_000, 42


def _lines(rows: int, sigma_activity: float, sigma_factor: float, factors: int = 3, seed=1):
    """``rows`` input rows of two lines each (kgCO2e only): line 0 of a row uses factor
    ``row % factors``, line 1 the last factor; lognormal activity and factors."""
    rng = np.random.default_rng(seed)
    n = 2 * rows
    row_codes = np.repeat(np.arange(rows), 2)
    activity = u.Multipliers(n)
    activity.kind[:] = u.LOGNORMAL
    activity.spread[:] = sigma_activity
    activity.driver[:] = row_codes
    factor_code = np.where(np.arange(n) % 2 == 0, row_codes % factors, factors - 1)
    factor = u.Multipliers(n)
    factor.kind[:] = u.LOGNORMAL
    factor.spread[:] = sigma_factor
    factor.driver[:] = rows + factor_code
    values = {"kgco2e": rng.uniform(1, 100, n)}
    figures = {"total": [("kgco2e", np.ones(n, dtype=bool))]}
    return activity, {"kgco2e": factor}, values, figures, row_codes, rows, rows + factors


def _percentiles(samples: np.ndarray) -> np.ndarray:
    return np.percentile(samples, [2.5, 50, 97.5])


def _both(*case):
    """The total's draws drawn row by row, and with the pooling."""
    activity, factor, values, figures, _, _, drivers = case
    exact = u.simulate(activity, factor, values, figures, drivers, ITERATIONS, SEED)["total"]
    *one_by_one, pool = pooled.split(*case)
    assert pool is not None
    fast = u.simulate(*one_by_one, ITERATIONS, SEED, pool)["total"]
    return exact, fast, pool


def test_pooled_rows_give_the_intervals_of_rows_drawn_one_by_one():
    # 3,000 rows, σ 0.37 on the activity (the "estimated" default), 0.33 on the factors
    exact, fast, pool = _both(*_lines(3_000, 0.3663, 0.3327))
    assert pool.rows == 3_000
    assert _percentiles(fast) == pytest.approx(_percentiles(exact), rel=0.02)
    assert fast.std() == pytest.approx(exact.std(), rel=0.03)


def test_pooled_rows_keep_their_own_spread_when_the_factors_are_exact():
    # only the activities vary: the sum of 3,000 independent lognormals, whose standard
    # deviation is √(Σ v²) × √(e^σ² − 1) × e^(σ²/2) (lines of one row together)
    case = _lines(3_000, 0.3663, 0.0)
    exact, fast, _ = _both(*case)
    v = case[2]["kgco2e"].reshape(-1, 2).sum(axis=1)
    sigma = 0.3663
    expected_sd = math.sqrt((v**2).sum()) * math.sqrt(math.expm1(sigma**2)) * math.exp(sigma**2 / 2)
    assert fast.std() == pytest.approx(expected_sd, rel=0.03)
    assert exact.std() == pytest.approx(expected_sd, rel=0.03)
    assert fast.mean() == pytest.approx(v.sum() * math.exp(sigma**2 / 2), rel=1e-3)


def test_a_heavy_row_and_a_small_group_stay_drawn_one_by_one():
    activity, factor, values, figures, row_codes, rows, drivers = _lines(500, 0.3, 0.3)
    values["kgco2e"][:] = 10.0  # 3 signatures of ~167 alike rows: each 0.6 % of its variance
    values["kgco2e"][:2] = 1e6  # but row 0, which carries nearly all of its signature's
    *one_by_one, pool = pooled.split(activity, factor, values, figures, row_codes, rows, drivers)
    one_activity = one_by_one[0]
    assert pool is not None and pool.rows == 499
    assert len(one_activity.kind) == 2  # row 0's two lines
    small = _lines(50, 0.3, 0.3)  # fewer than POOL_MIN_ROWS alike rows
    assert pooled.split(*small)[-1] is None


def test_rows_with_a_users_normal_uncertainty_are_not_pooled():
    case = _lines(3_000, 0.3, 0.3)
    activity = case[0]
    activity.kind[:] = u.NORMAL  # uncertainty_pct on every row: truncated normals
    assert pooled.split(*case)[-1] is None


def test_a_very_skewed_sum_is_not_pooled():
    # σ = 2: the skewness of one lognormal is ≈ 414; over 3,000 rows ≈ 8 > MAX_SKEW
    assert pooled.split(*_lines(3_000, 2.0, 0.3))[-1] is None


def test_the_same_seed_gives_the_same_pooled_draws():
    draws = []
    for _ in range(2):
        *one_by_one, pool = pooled.split(*_lines(2_000, 0.3, 0.3))
        draws.append(u.simulate(*one_by_one, ITERATIONS, SEED, pool)["total"])
    assert np.array_equal(draws[0], draws[1])


def test_a_cloud_inventory_is_pooled_and_agrees_with_the_analytical_result(tmp_path):
    rng = np.random.default_rng(3)
    quantities = rng.integers(1, 1_000, 2_000)
    cloud = "provider,region,service,resource,usage_type,quantity,unit\n" + "\n".join(
        f"aws,eu-west-3,Compute,m5.xlarge,compute,{q},h" for q in quantities
    )
    result = run(
        write_inventory(tmp_path, sites="site_id,country,kind\nPAR,FR,office", cloud=cloud),
        library=load_library(),
    )
    block = result.uncertainty
    assert block["pooled_rows"] == 2_000
    for name in ("total_location_kgco2e", "total_market_kgco2e", "energy_kwh"):
        figure = block["figures"][name]
        assert figure["relative_half_width"] == pytest.approx(
            figure["analytical_relative_half_width"], rel=0.05
        )


def test_rows_of_different_activity_spreads_are_pooled_with_their_own_moments():
    # 3,000 rows whose activity σ differs row by row (0.1 … 0.4: a hosted model's parameter
    # range gives each row its own), one signature; the pooled sum agrees with drawing each
    # row, and with exact factors its variance is Σ_r (v_r E[A_r])² (exp(σ_r²) − 1)
    activity, factor, values, figures, row_codes, rows, drivers = _lines(3_000, 0.3, 0.0)
    sigma = np.repeat(np.linspace(0.1, 0.4, rows), 2)
    activity.spread[:] = sigma
    exact, fast, pool = _both(activity, factor, values, figures, row_codes, rows, drivers)
    assert pool.rows == 3_000
    v = values["kgco2e"].reshape(-1, 2).sum(axis=1)
    s = sigma[::2]
    expected_sd = math.sqrt((((v * np.exp(s**2 / 2)) ** 2) * np.expm1(s**2)).sum())
    assert fast.std() == pytest.approx(expected_sd, rel=0.03)
    assert exact.std() == pytest.approx(expected_sd, rel=0.03)
    assert fast.mean() == pytest.approx((v * np.exp(s**2 / 2)).sum(), rel=1e-3)
    # with uncertain factors too, the intervals of drawing every row
    activity, factor, values, figures, row_codes, rows, drivers = _lines(3_000, 0.3, 0.3327)
    activity.spread[:] = sigma
    exact, fast, _ = _both(activity, factor, values, figures, row_codes, rows, drivers)
    assert _percentiles(fast) == pytest.approx(_percentiles(exact), rel=0.02)
