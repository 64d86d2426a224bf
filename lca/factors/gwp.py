"""One GWP set for the whole report (GHG Protocol; ESRS E1-6 AR 39): factors on another set.

Each source of the library says in its manifest entry (``gwp_set``, from
``curated/sources.csv``) which IPCC GWP100 set its CO2e figures use: ``AR4``, ``AR5``,
``AR6``, ``all`` (the gases table: every set, the report's is taken) or ``CO2`` (a CO2-only
figure, the same on every set); a source without one does not state it.

A ``gwp`` factor published on another set than the report's, whose split by gas the library
holds (``gwp_co2``, ``gwp_ch4``, ``gwp_n2o`` rows of the same id: DESNZ fuels and UK
electricity, eGRID), is converted per gas::

    converted = published × Σ split_gas × GWP_report(gas) / GWP_published(gas) / Σ split_gas

(the published total scaled by the converted split over the published split, so that a factor
on the report's set is unchanged to the last bit; CH4 takes the fossil GWP where the set has
one: combustion and grid methane is fossil). The converted factor has its own id
(``<id>:<set>``) and its notes say how it was converted. Every other factor is used as
published and each line says so in the ledger's ``gwp_set`` column (``gwp_set_labels``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from lca.coerce import map_values
from lca.factors.library import FactorLibrary

#: The gases of a factor's split (indicators ``gwp_co2`` …) and the gases-table key of each;
#: CH4 is fossil where the set distinguishes it (AR6), else the one CH4 value.
SPLIT_GASES = {"CO2": ("CO2",), "CH4": ("CH4_fossil", "CH4"), "N2O": ("N2O",)}
#: The IPCC sets a figure can be converted from and to.
CONVERTIBLE = ("AR4", "AR5", "AR6")


def split_id(factor_id: str, gas: str) -> str:
    """The id of one gas's part of a ``gwp`` factor: ``…:gwp:…`` → ``…:gwp_<gas>:…``."""
    return factor_id.replace(":gwp:", f":gwp_{gas.lower()}:", 1)


def source_sets(library: FactorLibrary) -> dict[str, str]:
    """Source id → the GWP set its manifest entry states (absent: not stated)."""
    return {
        source: str(entry["gwp_set"])
        for source, entry in library.manifest.get("sources", {}).items()
        if entry.get("gwp_set")
    }


def published_set(sources: str, sets: dict[str, str]) -> str:
    """The set of a factor from its ``source`` ids (``a;b``): the one set they all state, or
    '' when one of them states none or they differ. CO2-only and all-set sources go with any."""
    stated = {sets.get(s.strip(), "") for s in str(sources).split(";") if s.strip()}
    if "" in stated or not stated:
        return ""
    sets_only = stated - {"CO2", "all"}
    if len(sets_only) > 1:
        return ""
    return sets_only.pop() if sets_only else ("all" if "all" in stated else "CO2")


def gas_gwp(library: FactorLibrary, gas: str, gwp_set: str) -> tuple[float, str]:
    """GWP100 of a split gas on ``gwp_set`` and the gases-table factor id it comes from."""
    table = library.cached(
        ("gases", gwp_set),
        lambda: library.select("gases", f"gwp_{gwp_set.lower()}").set_index("key"),
    )
    for key in SPLIT_GASES[gas]:
        if key in table.index:
            return float(table.at[key, "value"]), str(table.at[key, "factor_id"])
    raise KeyError(f"the gases table has no {gwp_set} GWP of {gas}")


def on_gwp_set(library: FactorLibrary, gwp_set: str) -> FactorLibrary:
    """The library with every convertible ``gwp`` factor (and its split) on ``gwp_set``
    (computed once per set and library)."""
    return library.cached(("on_gwp_set", gwp_set), lambda: _converted(library, gwp_set))


def _converted(library: FactorLibrary, target: str) -> FactorLibrary:
    factors = library.factors
    sets = source_sets(library)
    # ids are unique
    values = dict(zip(factors["factor_id"].tolist(), factors["value"].tolist(), strict=True))
    gwp = factors.loc[factors["indicator"] == "gwp", ["factor_id", "value", "source"]]
    published = map_values(gwp["source"], lambda s: published_set(s, sets))
    gwp = gwp[published.isin(CONVERTIBLE) & (published != target)]
    parts = {
        gas: gwp["factor_id"].map(lambda i, g=gas: values.get(split_id(i, g)))
        for gas in SPLIT_GASES
    }
    whole = pd.DataFrame(parts).astype("float64")
    gwp = gwp[whole.notna().all(axis=1) & (whole.sum(axis=1) > 0)]
    if gwp.empty:
        return library
    # the converted columns, written cell by cell as plain arrays, then put back once
    new = {c: factors[c].to_numpy(dtype=object) for c in ("factor_id", "value", "notes")}
    position = pd.Series(np.arange(len(factors)), index=factors["factor_id"])
    ratios = {source: _ratios(library, source, target) for source in set(published[gwp.index])}
    for row in gwp.itertuples():
        source = published_set(row.source, sets)
        ratio = ratios[source]
        split = {gas: float(values[split_id(row.factor_id, gas)]) for gas in SPLIT_GASES}
        scale = sum(split[g] * ratio[g][0] for g in SPLIT_GASES) / sum(split.values())
        how = (
            f"converted per gas to IPCC {target} GWP100 from {source}: published × "
            f"Σ split × GWP ratio / Σ split = {float(row.value):g} × {scale:.10g}; "
            + ", ".join(ratio[g][1] for g in SPLIT_GASES)
        )
        _take(new, position[row.factor_id], target, float(row.value) * scale, how)
        for gas in SPLIT_GASES:
            _take(
                new,
                position[split_id(row.factor_id, gas)],
                target,
                split[gas] * ratio[gas][0],
                how,
            )
    frame = factors.copy()
    for column, cells in new.items():
        frame[column] = pd.array(cells, dtype=factors[column].dtype)
    return replace(library, factors=frame)


def _ratios(library: FactorLibrary, source: str, target: str) -> dict[str, tuple[float, str]]:
    """Per split gas, GWP on ``target`` / GWP on ``source`` and the text that says so."""
    ratio = {}
    for gas in SPLIT_GASES:
        to, to_id = gas_gwp(library, gas, target)
        of, of_id = gas_gwp(library, gas, source)
        ratio[gas] = (to / of, f"{gas} × {to:g}/{of:g} ({to_id}/{of_id})")
    return ratio


def _take(columns: dict[str, np.ndarray], at: int, target: str, value: float, how: str) -> None:
    """Row ``at`` of the library's ``factor_id``, ``value`` and ``notes`` columns becomes its
    converted factor: own id, value and notes."""
    columns["factor_id"][at] = f"{columns['factor_id'][at]}:{target}"
    columns["value"][at] = value
    notes = columns["notes"][at]
    columns["notes"][at] = how if pd.isna(notes) or not notes else f"{notes}; {how}"


def converted_from(factor_id: str, target: str) -> bool:
    """True when ``factor_id`` names a factor converted to ``target`` by ``on_gwp_set``."""
    return factor_id.endswith(f":{target}")


def gwp_set_labels(
    factor_ids: pd.Series, library: FactorLibrary, target: str, own: frozenset[str] = frozenset()
) -> pd.Series:
    """Per line, the GWP set of its ``ef_gwp`` (the ledger's ``gwp_set``): the report's set
    (native or ``converted from <set> per gas``), the other set it was published on, ``CO2
    only``, ``not stated`` by the publisher (or a figure derived from mapping tables), or
    ``own factor, not stated`` (an id of ``own``, the inventory's factors sheet); blank
    without a gwp factor. Computed once per distinct factor id."""
    sets = source_sets(library)
    sources = library.factors.set_index("factor_id")["source"]
    codes, uniques = pd.factorize(factor_ids, use_na_sentinel=True)
    ids = [str(u) for u in uniques] + ([""] if (codes < 0).any() else [])
    labels = [_label(factor_id, sources, sets, target, own) for factor_id in ids]
    categories = sorted(set(labels))
    position = np.array([categories.index(label) for label in labels], dtype=np.int64)
    return pd.Series(pd.Categorical.from_codes(position[codes], categories), index=factor_ids.index)


def _label(
    factor_id: str, sources: pd.Series, sets: dict[str, str], target: str, own: frozenset[str]
) -> str:
    if not factor_id:
        return ""
    ids = [i for i in factor_id.split(";") if i]
    if any(i in own for i in ids):
        return "own factor, not stated"
    found = [sources.get(i) for i in ids]
    if any(s is None for s in found):
        return "not stated"
    stated = published_set(";".join(str(s) for s in found), sets)
    if converted_from(factor_id, target) and factor_id.split(";")[0] in sources.index:
        origin = published_set(str(found[0]), sets)
        return f"{target} (converted from {origin} per gas)"
    if stated in (target, "all"):
        return target
    if stated == "CO2":
        return "CO2 only"
    if not stated:
        return "not stated"
    return f"{stated} (as published, no split by gas)"
