"""One option's ledger summed for the comparison: totals, per functional unit, per year and per
stage; the ranking of options and the break-even year of each pair (see ``lca.compare.model``
for the rule)."""

from __future__ import annotations

import pandas as pd

from lca.compare.options import CompareSettings

#: compare.json indicator keys (ledger columns).
INDICATORS = ("kgco2e", "water_m3", "adpe_kgsbeq", "energy_kwh")
STAGES = ("manufacturing", "use", "end_of_life", "operation")


def summarize(ledger: pd.DataFrame, settings: CompareSettings) -> dict:
    """Totals, per functional unit, per year and per stage of one option's counted lines."""
    counted = ledger[ledger["counted"]] if len(ledger) else ledger
    years = range(1, settings.horizon_years + 1)
    by_year = {}
    for indicator in INDICATORS:
        sums = (
            counted.groupby("year")[indicator].sum() if len(counted) else pd.Series(dtype="float64")
        )
        by_year[indicator] = [float(sums.get(year, 0.0)) for year in years]
    totals = {indicator: float(sum(by_year[indicator])) for indicator in INDICATORS}
    units = settings.functional_unit_per_year * settings.horizon_years
    stages = (
        counted.groupby("stage")["kgco2e"].sum() if len(counted) else pd.Series(dtype="float64")
    )
    by_stage = {stage: float(stages.get(stage, 0.0)) for stage in STAGES}
    by_stage.update(
        {stage: float(v) for stage, v in sorted(stages.items()) if stage not in by_stage}
    )
    return {
        "totals": totals,
        "per_functional_unit": {k: v / units for k, v in totals.items()},
        "by_year_kgco2e": by_year["kgco2e"],
        "by_year": by_year,
        "by_stage_kgco2e": by_stage,
    }


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
    diff = [x - y for x, y in zip(cumulative(a), cumulative(b), strict=True)]
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
        for b in options[i + 1 :]:
            year, sign = break_even_year(a["by_year_kgco2e"], b["by_year_kgco2e"])
            lower = {-1: a["option"], 1: b["option"]}.get(sign)
            out.append({"a": a["option"], "b": b["option"], "year": year, "lower": lower})
    return out
