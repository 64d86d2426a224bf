"""Uncertainty of the totals: Monte Carlo propagation, with a first-order analytical check.

Every counted ledger line is ``value × A × F``: the point value times a multiplier ``A`` for
the activity amount and one ``F`` for the factor. Each multiplier's distribution comes from
the first source that applies:

activity
    1. the row's ``uncertainty_pct`` (inventory): normal, mean 1, 95 % half-width
       ``uncertainty_pct`` %, truncated at 0 (``0``: exact);
    2. the line's range (``activity_amount_low``/``_high``, e.g. a hosted model of unpublished
       size): lognormal whose 2.5 and 97.5 percentiles are the bounds;
    3. the default of the line's data-quality ``method`` (``factors/uncertainty_defaults.csv``):
       lognormal with median 1 (the point value is the median, as in ecoinvent).
factor
    1. the own factor's ``uncertainty_pct`` (factors sheet): normal as above;
    2. the default of the line's method for factors.

Correlation: a row's lines share one draw of its activity (a standard normal per input row);
lines that use the same factor share one draw of it (a standard normal per distinct factor
id), however many lines use it. Lines of the same row or factor with different spreads move
together (comonotone). The factor of each indicator is the line's factor id of that indicator
(``factor_gwp``, ``factor_gwp_market``, ``factor_water``, ``factor_adpe``; energy:
``factor_other``, the coefficients and PUE); a line without a factor id has an exact factor.

Monte Carlo: ``numpy.random.Generator(PCG64(seed))``, draws in a fixed order (rows, then
factors, chunk after chunk of iterations), so the same seed gives the same figures on any
machine. The analytical result is first-order error propagation: the variance of a figure is
the sum over rows and factors of (Σ value × standard deviation of the multiplier)², lines of
one row or factor added before squaring. Figures are rounded to 4 significant digits: the
Monte Carlo's own sampling error at 10,000 iterations is of the order of 1 %.
"""

from __future__ import annotations

import math
from contextlib import closing

import numpy as np
import pandas as pd

from lca import distinct
from lca.aggregate import uncertainty_pooled
from lca.aggregate.multipliers import EXACT, LOGNORMAL, NORMAL, SOURCES, UNSET, Multipliers
from lca.factors.library import FactorLibrary
from lca.issues import Issue, Severity, SourceRef
from lca.ratio import ratio
from lca.read_ahead import read_ahead
from lca.validate import Inventory

#: z of the two-sided 95 % interval.
Z95 = 1.959963984540054
#: Relative half-width above which a figure is flagged (ESRS 2 BP-2 §11).
HIGH = 0.5
#: Indicator → (its factor-id column, its totals key).
INDICATORS = {
    "kgco2e": "factor_gwp",
    "kgco2e_market": "factor_gwp_market",
    "energy_kwh": "factor_other",
    "water_m3": "factor_water",
    "adpe_kgsbeq": "factor_adpe",
}
#: The ledger columns the analysis reads (the counted lines are copied with these only).
COLUMNS = (
    "sheet", "row", "method", "scope", "category",
    "activity_amount", "activity_amount_low", "activity_amount_high",
    *INDICATORS, *sorted(set(INDICATORS.values())),
)  # fmt: skip
#: Contributors listed per total.
TOP = 10
#: Draws used at a time (iterations × (rows + factors + lines)); the next chunk's normals are
#: drawn meanwhile (``read_ahead``).
CHUNK_CELLS = 4_000_000
SIGNIFICANT = 4


def _defaults(library: FactorLibrary) -> dict[tuple[str, str], float]:
    table = library.table("uncertainty_defaults")
    return {
        (str(m), str(q)): float(s)
        for m, q, s in zip(table["method"], table["quantity"], table["sigma_ln"], strict=True)
    }


def _row_pct(inventory: Inventory, sheets: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Each line's row ``uncertainty_pct`` (NaN where blank)."""
    out = np.full(len(rows), np.nan)
    codes, names = pd.factorize(sheets)
    for code, sheet in enumerate(names):
        frame = inventory.sheet(str(sheet))
        if "uncertainty_pct" not in frame or not frame["uncertainty_pct"].notna().any():
            continue
        pct = pd.Series(frame["uncertainty_pct"].to_numpy(), index=frame["_row"].to_numpy())
        pct = pct[~pct.index.duplicated()]
        mask = codes == code
        out[mask] = pct.reindex(rows[mask]).to_numpy(dtype="float64")
    return out


def _default_spread(
    methods: pd.Series, quantity: str, defaults: dict[tuple[str, str], float]
) -> tuple[np.ndarray, np.ndarray]:
    """σ of ln per line from the defaults table, and where the method has none."""
    table = {m: s for (m, q), s in defaults.items() if q == quantity}
    spread = distinct.lookup(methods, table).astype("float64")
    return np.nan_to_num(spread), np.isnan(spread)


def _activity(lines: pd.DataFrame, inventory: Inventory, defaults, row_codes) -> Multipliers:
    n = len(lines)
    out = Multipliers(n)
    out.source[:] = UNSET
    out.driver[:] = row_codes
    pct = _row_pct(inventory, lines["sheet"], lines["row"].to_numpy())
    out.set(~np.isnan(pct), NORMAL, np.nan_to_num(pct) / 100 / Z95, 0.0, "inventory")
    amount = lines["activity_amount"].to_numpy(dtype="float64")
    low = lines["activity_amount_low"].to_numpy(dtype="float64")
    high = lines["activity_amount_high"].to_numpy(dtype="float64")
    ranged = (low > 0) & (high > low) & (amount > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.where(ranged, np.log(high / low) / (2 * Z95), 0.0)
        mu = np.where(ranged, np.log(np.sqrt(low * high) / amount), 0.0)
    out.set(ranged, LOGNORMAL, sigma, mu, "library_range")
    spread, missing = _default_spread(lines["method"], "activity", defaults)
    out.set(~missing, LOGNORMAL, spread, 0.0, "default")
    out.driver[out.kind == EXACT] = -1
    return out


def _factor(
    lines: pd.DataFrame,
    column: str,
    pct_by_id: dict[str, float],
    default: tuple[np.ndarray, np.ndarray],
    factor_codes,
) -> Multipliers:
    """The factor multipliers of ``column``'s ids; ``default`` is ``_default_spread`` of the
    lines' methods for factors (the same for every column)."""
    n = len(lines)
    out = Multipliers(n)
    out.source[:] = UNSET
    out.driver[:] = factor_codes
    codes, ids = pd.factorize(lines[column], use_na_sentinel=True)
    out.set(distinct.lookup_codes(codes, ids, {"": True}, False), EXACT, 0.0, 0.0, "exact")
    pct = distinct.lookup_codes(codes, ids, pct_by_id).astype("float64")
    out.set(~np.isnan(pct), NORMAL, np.nan_to_num(pct) / 100 / Z95, 0.0, "inventory")
    spread, missing = default
    out.set(~missing, LOGNORMAL, spread, 0.0, "default")
    out.driver[out.kind == EXACT] = -1
    return out


def figures_of(lines: pd.DataFrame) -> dict[str, list[tuple[str, np.ndarray]]]:
    """Each figure as its parts: (indicator, mask of the lines it sums)."""
    scope = lines["scope"].to_numpy()
    category = lines["category"].to_numpy(dtype="float64", na_value=np.nan)
    in_scope3 = (scope == 3) & ~np.isnan(category)
    s1, s2 = scope == 1, scope == 2
    figures: dict[str, list[tuple[str, np.ndarray]]] = {
        "scope1_kgco2e": [("kgco2e", s1)],
        "scope2_location_kgco2e": [("kgco2e", s2)],
        "scope2_market_kgco2e": [("kgco2e_market", s2)],
        "scope3_kgco2e": [("kgco2e", in_scope3)],
        "total_location_kgco2e": [("kgco2e", s1 | s2 | in_scope3)],
        "total_market_kgco2e": [("kgco2e", s1 | in_scope3), ("kgco2e_market", s2)],
    }
    everything = np.ones(len(lines), dtype=bool)
    for indicator in ("energy_kwh", "water_m3", "adpe_kgsbeq"):
        figures[indicator] = [(indicator, everything)]
    for c in np.unique(category[in_scope3]).astype(int).tolist():
        figures[f"scope3_category_{c}"] = [("kgco2e", in_scope3 & (category == c))]
    return figures


def _round(x: float) -> float:
    return float(f"{x:.{SIGNIFICANT}g}")


def _rounded(x: float | None) -> float | None:
    """``_round`` of a ratio, None when it is not computable (a point figure of 0)."""
    return None if x is None else _round(x)


def stats(samples: np.ndarray, point: float) -> dict:
    """``point``, ``mean``, ``p2_5``, ``p50``, ``p97_5`` and ``relative_half_width`` of the
    draws of a figure (4 significant digits)."""
    p2_5, p50, p97_5 = (float(v) for v in np.percentile(samples, [2.5, 50, 97.5]))
    half = (p97_5 - p2_5) / 2
    return {
        "point": point,
        "mean": _round(float(samples.mean())),
        "p2_5": _round(p2_5),
        "p50": _round(p50),
        "p97_5": _round(p97_5),
        "relative_half_width": _rounded(ratio(half, point)),
    }


def _truncate(z: np.ndarray, bound: np.ndarray, rng: np.random.Generator) -> None:
    """Redraw, in place, the draws of each column below its bound (a normal truncated at 0)."""
    low = z < bound
    while low.any():
        z[low] = rng.standard_normal(int(low.sum()))
        low = z < bound


def analyse(
    ledger: pd.DataFrame,
    inventory: Inventory,
    overrides: pd.DataFrame,
    library: FactorLibrary,
    totals: dict,
) -> tuple[dict, list[Issue]]:
    """The ``uncertainty`` block of results.json, and the issues met."""
    settings = inventory.valid_settings
    iterations, seed = settings.uncertainty_iterations, settings.uncertainty_seed
    lines = ledger.loc[counted(ledger), list(COLUMNS)]
    n = len(lines)
    sheet_codes, sheet_names = pd.factorize(lines["sheet"], sort=False)
    rows = lines["row"].to_numpy(dtype="int64")
    row_codes, row_keys = pd.factorize(sheet_codes * (int(rows.max(initial=0)) + 1) + rows)
    first = np.zeros(len(row_keys), dtype="int64")
    first[row_codes[::-1]] = np.arange(n)[::-1]  # a line of each row, for its name

    def row_name(code: int) -> str:
        return f"{sheet_names[sheet_codes[first[code]]]}:{rows[first[code]]}"

    factor_codes, factor_names = _factor_codes(lines, sorted(set(INDICATORS.values())))
    rows_n, factors_n = len(row_keys), len(factor_names)

    activity, factor = _multipliers(
        lines,
        inventory,
        overrides,
        library,
        row_codes,
        {column: codes + rows_n for column, codes in factor_codes.items()},
    )
    issues = _missing_defaults(lines, activity, factor, inventory)

    values = {k: np.nan_to_num(lines[k].to_numpy(dtype="float64")) for k in INDICATORS}
    figures = figures_of(lines)
    drivers = rows_n + factors_n
    for m in (activity, *factor.values()):
        m.driver[m.driver < 0] = drivers  # the exact bucket, of zero variance
    # large groups of alike rows are drawn as their sums (a speed-up, see its module)
    one_activity, one_factor, one_values, one_figures, one_drivers, pool = uncertainty_pooled.split(
        activity, factor, values, figures, row_codes, rows_n, drivers
    )
    samples = simulate(
        one_activity, one_factor, one_values, one_figures, one_drivers, iterations, seed, pool
    )

    out_figures, contributors = {}, {}
    activity_sd = activity.sd()
    factor_sd = {k: m.sd() for k, m in factor.items()}
    for name, parts in figures.items():
        point = _point(totals, name)
        figure = stats(samples[name], point)
        by_row = np.zeros(rows_n + factors_n + 1)
        by_factor = np.zeros(rows_n + factors_n + 1)
        for k, mask in parts:
            weight = values[k][mask]
            by_row += np.bincount(
                activity.driver[mask], weight * activity_sd[mask], minlength=len(by_row)
            )
            by_factor += np.bincount(
                factor[k].driver[mask], weight * factor_sd[k][mask], minlength=len(by_row)
            )
        variance_parts = by_row**2 + by_factor**2
        variance_parts[-1] = 0.0
        variance = float(variance_parts.sum())
        half = Z95 * math.sqrt(variance)
        figure["analytical_relative_half_width"] = _rounded(ratio(half, point))
        figure["high_uncertainty"] = bool(
            figure["relative_half_width"] is not None and figure["relative_half_width"] > HIGH
        )
        out_figures[name] = figure
        if name in ("total_location_kgco2e", "total_market_kgco2e") and variance > 0:
            order = largest(variance_parts[:-1], TOP)
            contributors[name] = [
                {
                    "input": "row" if i < rows_n else "factor",
                    "id": row_name(i) if i < rows_n else str(factor_names[i - rows_n]),
                    "share_of_variance": _round(float(variance_parts[i] / variance)),
                }
                for i in order
                if variance_parts[i] > 0
            ]
    return {
        "method": "monte_carlo",
        "generator": "numpy PCG64",
        "iterations": iterations,
        "seed": seed,
        "pooled_rows": pool.rows if pool else 0,
        "confidence": 0.95,
        "point": "the reported figure; lognormal inputs have it as median, normal ones as mean",
        "figures": out_figures,
        "high_uncertainty": sorted(k for k, v in out_figures.items() if v["high_uncertainty"]),
        "contributors": contributors,
        "sources": {
            "activity": _count(activity.source),
            **{f"factor_{k}": _count(m.source) for k, m in factor.items()},
        },
    }, issues


def line_intervals(
    ledger: pd.DataFrame, inventory: Inventory, overrides: pd.DataFrame, library: FactorLibrary
) -> tuple[np.ndarray, np.ndarray]:
    """The 95 % interval of each counted line's kgCO2e (NaN on the other lines), from the same
    activity and factor multipliers as the totals. Both lognormal (or exact): the product is
    lognormal, value × exp(μa + μf ± z √(σa² + σf²)), exact. A normal multiplier on either
    side: value × (m ± z s) with m and s the mean and standard deviation of the product of the
    two independent multipliers (normal untruncated), the low bound at least 0."""
    low, high = np.full(len(ledger), np.nan), np.full(len(ledger), np.nan)
    counts = counted(ledger)
    lines = ledger.loc[counts, list(COLUMNS)]
    if lines.empty:
        return low, high
    defaults = _defaults(library)
    default = _default_spread(lines["method"], "factor", defaults)
    no_driver = np.zeros(len(lines), dtype="int64")
    a = _activity(lines, inventory, defaults, no_driver)
    f = _factor(lines, INDICATORS["kgco2e"], own_pct(overrides), default, no_driver)
    for m in (a, f):
        m.source[m.source == UNSET] = SOURCES.index(
            "exact"
        )  # as analyse counts them (its warning says so)
    value = np.nan_to_num(lines["kgco2e"].to_numpy(dtype="float64"))
    log = (a.kind != NORMAL) & (f.kind != NORMAL)
    s_a = np.where(a.kind == EXACT, 0.0, a.spread)
    s_f = np.where(f.kind == EXACT, 0.0, f.spread)
    mu = np.where(a.kind == LOGNORMAL, a.mu, 0.0) + np.where(f.kind == LOGNORMAL, f.mu, 0.0)
    spread = np.sqrt(s_a * s_a + s_f * s_f)
    lo = value * np.exp(mu - Z95 * spread)
    hi = value * np.exp(mu + Z95 * spread)
    mean_a, mean_f = _mean(a), _mean(f)
    sd_a, sd_f = a.sd(), f.sd()
    second = (sd_a**2 + mean_a**2) * (sd_f**2 + mean_f**2)
    mean = mean_a * mean_f
    sd = np.sqrt(np.maximum(second - mean * mean, 0.0))
    lo = np.where(log, lo, value * np.maximum(mean - Z95 * sd, 0.0))
    hi = np.where(log, hi, value * (mean + Z95 * sd))
    low[counts], high[counts] = np.minimum(lo, hi), np.maximum(lo, hi)
    return low, high


def unassessed(
    ledger: pd.DataFrame, inventory: Inventory, overrides: pd.DataFrame, library: FactorLibrary
) -> list[Issue]:
    """The issues ``analyse`` meets, without its draws (what ``lca validate`` lists): the
    methods the defaults table does not cover."""
    lines = ledger.loc[counted(ledger), list(COLUMNS)]
    no_driver = np.zeros(len(lines), dtype="int64")
    activity, factor = _multipliers(
        lines,
        inventory,
        overrides,
        library,
        no_driver,
        dict.fromkeys(INDICATORS.values(), no_driver),
    )
    return _missing_defaults(lines, activity, factor, inventory)


def _multipliers(
    lines: pd.DataFrame,
    inventory: Inventory,
    overrides: pd.DataFrame,
    library: FactorLibrary,
    row_codes: np.ndarray,
    factor_codes: dict[str, np.ndarray],
) -> tuple[Multipliers, dict[str, Multipliers]]:
    """Each line's activity multiplier (driven by ``row_codes``) and its factor multiplier
    per indicator (driven by ``factor_codes`` of the indicator's factor-id column)."""
    defaults = _defaults(library)
    pct_by_id = own_pct(overrides)
    default = _default_spread(lines["method"], "factor", defaults)
    activity = _activity(lines, inventory, defaults, row_codes)
    factor = {
        name: _factor(lines, column, pct_by_id, default, factor_codes[column])
        for name, column in INDICATORS.items()
    }
    return activity, factor


def counted(ledger: pd.DataFrame) -> np.ndarray:
    """The lines the analysis covers: counted, in scope 1, 2 or 3."""
    return ledger["counted"].to_numpy(dtype=bool) & ledger["scope"].isin([1, 2, 3]).to_numpy()


def own_pct(overrides: pd.DataFrame) -> dict[str, float]:
    """Own factor id → its ``uncertainty_pct``, where given."""
    if overrides.empty or "uncertainty_pct" not in overrides:
        return {}
    known = overrides[overrides["uncertainty_pct"].notna()]
    return dict(zip(known["factor_id"].astype(str), known["uncertainty_pct"], strict=True))


def _mean(m: Multipliers) -> np.ndarray:
    """Mean of each multiplier (normal: 1, untruncated; lognormal: exp(μ + σ²/2))."""
    return np.where(m.kind == LOGNORMAL, np.exp(m.mu + m.spread**2 / 2), 1.0)


def simulate(
    activity: Multipliers,
    factor: dict[str, Multipliers],
    values: dict[str, np.ndarray],
    figures: dict[str, list[tuple[str, np.ndarray]]],
    drivers: int,
    iterations: int,
    seed: int,
    pool: uncertainty_pooled.Pool | None = None,
) -> dict[str, np.ndarray]:
    """The Monte Carlo: ``iterations`` draws of each figure (its parts: indicator, mask of the
    lines it sums), each line ``values[indicator] × activity × factor[indicator]``. The
    multipliers' drivers are 0 … ``drivers`` − 1 (−1 or ``drivers``: exact, an all-zero
    column); a normal driver is truncated so that its multiplier stays ≥ 0. ``pool``: the sums
    of pooled rows, each times the draw of its factor, added to the figures it counts in."""
    pooled = [pool.factor] if pool else []
    for m in (activity, *factor.values(), *pooled):
        m.driver[m.driver < 0] = drivers  # the all-zero column: exact
    bound = np.full(drivers + 1, -np.inf)
    for multipliers in (activity, *factor.values(), *pooled):
        normal = multipliers.kind == NORMAL
        np.maximum.at(bound, multipliers.driver[normal], -1.0 / multipliers.spread[normal])
    bound[-1] = -np.inf

    rng = np.random.Generator(np.random.PCG64(seed))
    pool_rng = np.random.Generator(np.random.PCG64(seed).jumped())
    n = len(activity.kind)
    cells = len(pool.mean) if pool else 0
    chunk = max(1, min(iterations, CHUNK_CELLS // (drivers + len(factor) * n + 2 * cells + 1)))
    samples = {name: np.empty(iterations) for name in figures}
    # each distinct multiplier drawn once, then taken to its lines (the same numbers)
    a_codes, a_first = activity.distinct()
    # and once across indicators: the gwp and market factors of a line are mostly the same
    joined_codes, f_first = Multipliers.joined(list(factor.values())).distinct()
    ends = np.cumsum([len(m.kind) for m in factor.values()])[:-1]
    f_codes = dict(zip(factor, np.split(joined_codes, ends), strict=True))
    every = {name: [mask.all() for _k, mask in parts] for name, parts in figures.items()}
    # the next chunk's standard normals are drawn while this one's are used (a speed-up, see
    # its module): the same draws in the same order
    with closing(read_ahead(_normals(rng, bound, iterations, chunk))) as chunks:
        for start, size, z in chunks:
            a = a_first.draw(z)[:, a_codes]
            f = f_first.draw(z)
            drawn = {k: values[k] * a * f[:, codes] for k, codes in f_codes.items()}
            for name, parts in figures.items():
                samples[name][start : start + size] = sum(
                    (drawn[k] if whole else drawn[k][:, mask]).sum(axis=1)
                    for (k, mask), whole in zip(parts, every[name], strict=True)
                )
            if pool:
                by_figure = (pool.sums(pool_rng, size) * pool.factor.draw(z)) @ pool.weights
                for i, name in enumerate(figures):
                    samples[name][start : start + size] += by_figure[:, i]
    return samples


def _normals(rng: np.random.Generator, bound: np.ndarray, iterations: int, chunk: int):
    """Chunk after chunk of ``chunk`` iterations: (first iteration, size, draws), the draws a
    standard normal per driver (the last column: 0, exact), each truncated at its ``bound``."""
    drivers = len(bound) - 1
    for start in range(0, iterations, chunk):
        size = min(chunk, iterations - start)
        z = np.zeros((size, drivers + 1))
        z[:, :-1] = rng.standard_normal((size, drivers))
        _truncate(z, bound, rng)
        yield start, size, z


def _factor_codes(lines: pd.DataFrame, columns: list[str]) -> tuple[dict, list[str]]:
    """One code per distinct factor id (text; NA reads as "") across ``columns``, in order
    of first appearance column after column: each column's codes, and the ids."""
    names: dict[str, int] = {}
    codes = {}
    for column in columns:
        local, uniques = pd.factorize(lines[column], use_na_sentinel=True)
        ids = [str(u) for u in uniques] + ([""] if (local < 0).any() else [])
        mapping = np.array([names.setdefault(i, len(names)) for i in ids], dtype=np.int64)
        codes[column] = mapping[local]  # NA (−1): the last, ""
    return codes, list(names)


def largest(values: np.ndarray, k: int) -> np.ndarray:
    """The positions of the ``k`` largest ``values``, largest first, ties in position order:
    ``np.argsort(-values, kind="stable")[:k]``, sorting only the values from the k-th
    largest up (NaN last, as argsort puts them)."""
    if len(values) <= k:
        return np.argsort(-values, kind="stable")
    kth = np.partition(-values, k - 1)[k - 1]
    if np.isnan(kth):  # fewer than k numbers: every position is a candidate
        return np.argsort(-values, kind="stable")[:k]
    candidates = np.flatnonzero(-values <= kth)
    return candidates[np.argsort(-values[candidates], kind="stable")][:k]


def _point(totals: dict, name: str) -> float:
    if name.startswith("scope3_category_"):
        return float(totals["scope3_by_category_kgco2e"].get(name.rsplit("_", 1)[1], 0.0))
    return float(totals[name])


def _count(source: np.ndarray) -> dict[str, int]:
    counts = np.bincount(source, minlength=len(SOURCES))
    return {
        name: int(counts[i])
        for i, name in sorted(enumerate(SOURCES), key=lambda x: x[1])
        if counts[i]
    }


def _missing_defaults(
    lines: pd.DataFrame, activity: Multipliers, factor: dict[str, Multipliers], inventory
) -> list[Issue]:
    """A warning per method that the defaults table does not cover (those lines are taken
    as exact where nothing else gives their uncertainty)."""
    unset = activity.source == UNSET
    for m in factor.values():
        unset |= m.source == UNSET
    if not unset.any():
        return []
    file = str(inventory.inputs[0]["path"]) if inventory.inputs else ""
    issues = []
    for method in sorted(set(lines["method"].astype(str).to_numpy()[unset])):
        count = int((unset & (lines["method"].astype(str).to_numpy() == method)).sum())
        issues.append(
            Issue(
                code="uncertainty-not-assessed",
                severity=Severity.WARNING,
                message=f"{count} ledger line(s) of method {method!r}: the factor library has "
                "no default uncertainty for it and no uncertainty_pct is given; they count "
                "as exact in the uncertainty analysis",
                value=method,
                source=SourceRef(file=file),
            )
        )
    for m in (activity, *factor.values()):
        m.source[m.source == UNSET] = SOURCES.index("exact")
    return issues
