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

Uncertainty (``lca.compare.uncertainty``): one Monte Carlo over all options and years gives
each option's total its 95 % interval and each pair of the ranking the share of draws in which
the better-ranked option's total is lower.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lca.compare.horizon import run_option, with_lifetimes
from lca.compare.options import CompareSettings, OptionsWorkbook, read_options, unique
from lca.compare.sensitivity import sensitivity_table
from lca.compare.summary import break_even, ranking, summarize
from lca.compare.uncertainty import assess
from lca.factors import refurbished
from lca.factors.gwp import on_gwp_set
from lca.factors.library import FactorLibrary, load_library
from lca.issues import Issue, Severity


@dataclass
class CompareResult:
    """Everything the comparison's renderers need."""

    workbook: OptionsWorkbook
    #: The library as the years used it (on the GWP set, with the derived factors the ledger
    #: names: ``lca.factors.refurbished``).
    library: FactorLibrary
    ledger: pd.DataFrame
    options: list[dict] = field(default_factory=list)
    ranking: list[str] = field(default_factory=list)
    break_even: list[dict] = field(default_factory=list)
    sensitivity: list[dict] = field(default_factory=list)
    #: ``lca.compare.uncertainty``: method, iterations, seed, the ranking's probabilities
    #: (None when not computed); each option's intervals are in its ``uncertainty``.
    uncertainty: dict | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def settings(self) -> CompareSettings:
        """The comparison's settings (a result with options has valid settings)."""
        assert self.workbook.settings is not None, "no settings: nothing was compared"
        return self.workbook.settings

    @property
    def ok(self) -> bool:
        return not any(i.severity is Severity.ERROR for i in self.issues)


def compare(
    path: str | Path,
    library: FactorLibrary | None = None,
    *,
    sensitivity: bool = True,
    uncertainty: bool = True,
) -> CompareResult:
    """Read the options workbook at ``path`` and compare its options (with the sensitivity
    cases and the Monte Carlo of ``lca.compare.uncertainty`` unless switched off)."""
    library = library or load_library()
    workbook = read_options(path, library)
    result = CompareResult(
        workbook=workbook, library=library, ledger=pd.DataFrame(), issues=list(workbook.issues)
    )
    if workbook.settings is None or not workbook.inventories:
        return result
    settings = workbook.settings
    inventories = {name: with_lifetimes(inv, library) for name, inv in workbook.inventories.items()}
    ledgers, issues = [], []
    for name, inventory in inventories.items():
        ledger, found = run_option(inventory, settings, library)
        ledgers.append(ledger.assign(option=name))
        issues += found
    result.ledger = pd.concat(ledgers, ignore_index=True)
    # the factors as the years used them: converted to the GWP set, derived ones under their id
    result.library = refurbished.with_derived(
        on_gwp_set(library, settings.gwp_set), result.ledger, pd.DataFrame()
    )
    result.issues = unique(result.issues + issues)
    descriptions = dict(
        zip(workbook.options["option"], workbook.options["description"], strict=True)
    )
    result.options = [
        dict(
            option=name,
            description=_text(descriptions.get(name)),
            **summarize(result.ledger[result.ledger["option"] == name], settings),
        )
        for name in inventories
    ]
    result.ranking = ranking(result.options)
    result.break_even = break_even(result.options)
    if uncertainty:
        result.uncertainty, by_option, found = assess(
            result.ledger, inventories, settings, library, result.options, result.ranking
        )
        for option in result.options:
            option["uncertainty"] = by_option.get(option["option"])
        result.issues = unique(result.issues + found)
    if sensitivity:
        result.sensitivity = sensitivity_table(inventories, settings, library, result.ranking)
    return result


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)
