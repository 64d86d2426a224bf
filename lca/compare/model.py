"""Compare options: run each over the horizon, sum its ledger per year, stage and indicator,
rank the options and find the break-even year of each pair.

Totals are location-based (the grid of each site or cloud region) and sum the lines the
annual engine counts; an indicator a line has no factor for (water of a spend-based line)
adds nothing and is listed in the ledger's ``not_assessed``.

Break-even of options a and b: with A_k and B_k the cumulative kgCO2e of a and b at the end of
year k (1-based) of the horizon, the option below at the end of the horizon is the one whose
cumulative impact stays below the other's from some year on; the break-even ``year`` is the
first year k from which it stays strictly below through the end of the horizon. When it is
below from year 1 on (no crossing), or when A and B end equal, ``year`` is null.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lca.compare.horizon import run_option, with_lifetimes
from lca.compare.options import CompareSettings, OptionsWorkbook, read_options, unique
from lca.factors.library import FactorLibrary, load_library
from lca.issues import Issue, Severity

#: compare.json indicator keys (ledger columns).
INDICATORS = ("kgco2e", "water_m3", "adpe_kgsbeq", "energy_kwh")
STAGES = ("manufacturing", "use", "end_of_life", "operation")


@dataclass
class CompareResult:
    """Everything the comparison's renderers need."""

    workbook: OptionsWorkbook
    library: FactorLibrary
    ledger: pd.DataFrame
    options: list[dict] = field(default_factory=list)
    ranking: list[str] = field(default_factory=list)
    break_even: list[dict] = field(default_factory=list)
    sensitivity: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def settings(self) -> CompareSettings:
        return self.workbook.settings

    @property
    def ok(self) -> bool:
        return not any(i.severity is Severity.ERROR for i in self.issues)


def compare(path: str | Path, library: FactorLibrary | None = None, *,
            sensitivity: bool = True) -> CompareResult:
    """Read the options workbook at ``path`` and compare its options."""
    from lca.compare.sensitivity import sensitivity_table

    library = library or load_library()
    workbook = read_options(path, library)
    result = CompareResult(workbook=workbook, library=library, ledger=pd.DataFrame(),
                           issues=list(workbook.issues))
    if workbook.settings is None or not workbook.inventories:
        return result
    settings = workbook.settings
    inventories = {name: with_lifetimes(inv, library)
                   for name, inv in workbook.inventories.items()}
    ledgers, issues = [], []
    for name, inventory in inventories.items():
        ledger, found = run_option(inventory, settings, library)
        ledgers.append(ledger.assign(option=name))
        issues += found
    result.ledger = pd.concat(ledgers, ignore_index=True)
    result.issues = unique(result.issues + issues)
    descriptions = dict(zip(workbook.options["option"], workbook.options["description"]))
    result.options = [dict(option=name, description=_text(descriptions.get(name)),
                           **summarize(result.ledger[result.ledger["option"] == name],
                                       settings))
                      for name in inventories]
    result.ranking = ranking(result.options)
    result.break_even = break_even(result.options)
    if sensitivity:
        result.sensitivity = sensitivity_table(inventories, settings, library, result.ranking)
    return result


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def summarize(ledger: pd.DataFrame, settings: CompareSettings) -> dict:
    """Totals, per functional unit, per year and per stage of one option's counted lines."""
    counted = ledger[ledger["counted"]] if len(ledger) else ledger
    years = range(1, settings.horizon_years + 1)
    by_year = {}
    for indicator in INDICATORS:
        sums = counted.groupby("year")[indicator].sum() if len(counted) else pd.Series(
            dtype="float64")
        by_year[indicator] = [float(sums.get(year, 0.0)) for year in years]
    totals = {indicator: float(sum(by_year[indicator])) for indicator in INDICATORS}
    units = settings.functional_unit_per_year * settings.horizon_years
    stages = counted.groupby("stage")["kgco2e"].sum() if len(counted) else pd.Series(
        dtype="float64")
    by_stage = {stage: float(stages.get(stage, 0.0)) for stage in STAGES}
    by_stage.update({stage: float(v) for stage, v in sorted(stages.items())
                     if stage not in by_stage})
    return {"totals": totals,
            "per_functional_unit": {k: v / units for k, v in totals.items()},
            "by_year_kgco2e": by_year["kgco2e"], "by_year": by_year,
            "by_stage_kgco2e": by_stage}


def ranking(options: list[dict], key: str = "kgco2e") -> list[str]:
    """Option names from the lowest total to the highest (ties: the options sheet's order)."""
    order = sorted(range(len(options)), key=lambda i: (options[i]["totals"][key], i))
    return [options[i]["option"] for i in order]


def cumulative(values: list[float]) -> list[float]:
    """Running sums, year by year."""
    out, running = [], 0.0
    for value in values:
        running += value
        out.append(running)
    return out


def break_even_year(a: list[float], b: list[float]) -> tuple[int | None, int]:
    """(break-even year or None, sign of a − b at the end: −1 a below, 1 b below, 0 equal).

    ``a`` and ``b`` are per-year values; see the module docstring for the rule."""
    diff = [x - y for x, y in zip(cumulative(a), cumulative(b))]
    if not diff:
        return None, 0
    final = (diff[-1] > 0) - (diff[-1] < 0)
    if final == 0:
        return None, 0
    first = len(diff)
    while first > 0 and (diff[first - 1] > 0) - (diff[first - 1] < 0) == final:
        first -= 1
    return (None if first == 0 else first + 1), final


def break_even(options: list[dict]) -> list[dict]:
    """One entry per pair of options (in the options sheet's order)."""
    out = []
    for i, a in enumerate(options):
        for b in options[i + 1:]:
            year, sign = break_even_year(a["by_year_kgco2e"], b["by_year_kgco2e"])
            lower = {-1: a["option"], 1: b["option"]}.get(sign)
            out.append({"a": a["option"], "b": b["option"], "year": year, "lower": lower})
    return out
