"""The orchestrator: read → validate → map to factors and compute the ledger → aggregate.

Rendering (results.json, CSV, PDF, workbook) takes the ``RunResult`` this returns.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from pathlib import Path

from lca import aggregate
from lca.activities import (
    cloud,
    compute_jobs,
    energy,
    equipment,
    genai_usage,
    refrigerants,
    services,
)
from lca.aggregate import bridge, comparatives, data_quality, gases, overlap, uncertainty
from lca.aggregate.budgets import budget_vs_actual
from lca.aggregate.checks import finite_lines, total_rules
from lca.aggregate.own_factors import account
from lca.aggregate.result import RunResult
from lca.aggregate.screening import hints, scope3_screening
from lca.factors import refurbished
from lca.factors.gwp import on_gwp_set
from lca.factors.library import FactorLibrary, load_library
from lca.issues import Issue
from lca.ledger import assemble
from lca.mapping.context import build_context, meter_coverage_by_site
from lca.read import read_inventory
from lca.validate import Inventory, validate

log = logging.getLogger("lca")

#: Activity sheets and the module that turns their rows into ledger lines, in ledger order.
ACTIVITIES = (
    ("equipment", equipment),
    ("energy", energy),
    ("refrigerants", refrigerants),
    ("cloud", cloud),
    ("services", services),
    ("compute_jobs", compute_jobs),
    ("genai_usage", genai_usage),
)


@contextmanager
def _timed(timings: dict, stage: str):
    start = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - start
    log.debug("%s: %.3f s", stage, timings[stage])


def run(
    path: str | Path,
    library: FactorLibrary | None = None,
    method: str = "default",
    priors: tuple[str | Path, ...] = (),
    prior_reported: tuple[str | Path, ...] = (),
    draws: bool = True,
) -> RunResult:
    """Run the pipeline on the inventory at ``path`` (xlsx workbook or CSV folder).

    ``method`` selects the estimation method of cloud and compute-job estimates: ``default``,
    ``ccf`` (Cloud Carbon Footprint) or ``green-algorithms`` (see ``lca.methods``).
    ``priors`` are inventories of earlier years, recomputed with the same engine, library and
    method; ``prior_reported`` the results.json files first published for them. ``draws``
    False: every issue, but no uncertainty intervals nor data-quality scores (``lca
    validate``, which shows issues only, skips the Monte Carlo)."""
    library = library or load_library()
    result = run_year(path, library, method, draws=draws)
    if result.settings is None:
        return result
    with _timed(result.timings, "comparatives"):
        # priors give totals and lines to the comparatives and the bridge, never intervals
        earlier = [run_year(prior, library, method, intervals=False) for prior in priors]
        years, found = comparatives.prior_years(result.settings.year, earlier)
        reported = [(Path(p), *comparatives.read_reported(Path(p))) for p in prior_reported]
        found += [i for _, _, _, issues_ in reported for i in issues_]
        published, unmatched = comparatives.reported_by_year(
            [(p, y, t) for p, y, t, _ in reported], set(years)
        )
        blocks, own = comparatives.year_blocks(result, years, published)
        result.base_year, result.comparatives = blocks["base_year"], blocks["comparatives"]
        result.change_vs_prior, result.targets = blocks["change_vs_prior"], blocks["targets"]
        result.priors = years
        result.issues += found + unmatched + own
    if years:
        with _timed(result.timings, "bridge"):
            latest = max(years)
            result.bridge, found = bridge.bridge(result, latest, years[latest])
            result.issues += found
    return result


def run_year(
    path: str | Path,
    library: FactorLibrary,
    method: str = "default",
    intervals: bool = True,
    draws: bool = True,
) -> RunResult:
    """Read, validate and compute one year's inventory (without comparatives or targets;
    without its uncertainty analysis when ``intervals`` is False; with its issues only when
    ``draws`` is False)."""
    timings: dict[str, float] = {}
    with _timed(timings, "read"):
        raw = read_inventory(path)
    with _timed(timings, "validate"):
        inventory, issues = validate(raw, library)
    return compute(inventory, library, issues, timings, method, intervals, draws)


def compute(
    inventory: Inventory,
    library: FactorLibrary,
    issues: list[Issue],
    timings: dict | None = None,
    method: str = "default",
    intervals: bool = True,
    draws: bool = True,
) -> RunResult:
    """Map the validated inventory to factors, compute the ledger and aggregate it; then
    (``intervals``) the Monte Carlo intervals and each line's data-quality scores, which
    only a reported year needs (priors and compare's years are reported by their totals) —
    or, ``draws`` False, only the issues the uncertainty analysis would meet."""
    timings = {} if timings is None else timings
    if inventory.settings is None:
        empty = assemble([])
        return RunResult(inventory, library, empty, issues, timings=timings)
    with _timed(timings, "compute"):
        # one GWP set for the report: factors published on another set with a known split
        # by gas are converted per gas (lca.factors.gwp); the others say so per line
        library = on_gwp_set(library, inventory.settings.gwp_set)
        ctx, found = build_context(inventory, library, method)
        issues = issues + found
        parts = []
        for name, module in ACTIVITIES:
            frame = inventory.sheet(name)
            lines, found = module.lines(frame, ctx)
            parts += lines
            issues += found
        ledger, found = finite_lines(assemble(parts))
        issues += found
        # derived factors (a refurbished device's) join the run's library under their own id
        library = refurbished.with_derived(library, ledger, ctx.overrides)
        ledger, found, own_use = account(ledger, ctx.overrides, ctx.asked, ctx.far_from_library)
        issues += found
        ledger, found = overlap.guard(inventory, ledger)
        issues += found
        ledger, found = gases.disclose_gwp_sets(
            ledger,
            library,
            inventory.settings.gwp_set,
            inventory.settings_cells.ref("gwp_set"),
            frozenset(ctx.overrides["factor_id"].dropna().astype(str)),
        )
        issues += found
    with _timed(timings, "aggregate"):
        totals = aggregate.totals(ledger)
        issues += total_rules(totals)
        budgets, found = budget_vs_actual(inventory.sheet("budgets"), ledger, totals)
        screening, screened = scope3_screening(
            inventory, totals, hints(inventory, ctx.period_start, ctx.period_end_exclusive)
        )
        result = RunResult(
            inventory=inventory,
            library=library,
            lines=ledger,
            issues=issues,
            totals=totals,
            capital_goods_alternative=aggregate.capital_goods_alternative(
                ledger, inventory.settings.capital_goods, totals
            ),
            attribution=aggregate.attribution(ledger, inventory.settings.capital_goods),
            offsets_memo=aggregate.offsets_memo(inventory),
            outside_scopes=aggregate.outside_scopes(ledger),
            biogenic_co2=aggregate.biogenic_co2(ledger),
            scope1_by_gas_kgco2e=gases.scope1_by_gas(ledger, library),
            scope2_location_by_gas_kgco2e=gases.scope2_location_by_gas(ledger, library),
            gwp_sets=gases.gwp_set_totals(ledger, inventory.settings.gwp_set),
            scope3_screening=screening,
            reconciliation=aggregate.reconciliation(
                inventory, ledger, {"factors": int((~ctx.overrides["usable"]).sum())}
            ),
            timings=timings,
            budgets=budgets,
            method=method,
            context=ctx,
            own_factors=own_use,
            meter_coverage=meter_coverage_by_site(ctx),
        )
        result.issues += found + screened + aggregate.capital_goods_departure(inventory)
    if not intervals:
        return result
    if not draws:
        result.issues += uncertainty.unassessed(ledger, inventory, ctx.overrides, library)
        return result
    with _timed(timings, "uncertainty"):
        result.uncertainty, found = uncertainty.analyse(
            ledger, inventory, ctx.overrides, library, totals
        )
        result.issues += found
    with _timed(timings, "data_quality"):
        _line_quality(result, ledger, inventory, ctx.overrides, library)
    return result


def _line_quality(result: RunResult, ledger, inventory, overrides, library) -> None:
    """Each line's data-quality scores and 95 % interval as ledger columns
    (``data_quality.COLUMNS``, ``kgco2e_p2_5``, ``kgco2e_p97_5``), and the scores' roll-up
    per scope and category as results.json ``uncertainty.data_quality``."""
    for column, values in data_quality.score(
        ledger, library, inventory.valid_settings.year
    ).items():
        ledger[column] = values
    ledger["kgco2e_p2_5"], ledger["kgco2e_p97_5"] = uncertainty.line_intervals(
        ledger, inventory, overrides, library
    )
    result.__dict__.pop("ledger", None)  # the cached ledger with line ids predates the columns
    if result.uncertainty:
        used = [*uncertainty.COLUMNS, *data_quality.COLUMNS]
        lines = ledger.loc[uncertainty.counted(ledger), used]
        result.uncertainty["data_quality"] = data_quality.rollup(
            lines, uncertainty.figures_of(lines)
        )
