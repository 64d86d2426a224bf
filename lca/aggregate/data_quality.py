"""Data-quality indicators of every ledger line, and their roll-up per scope and category.

The five indicators of the GHG Protocol Scope 3 Standard (ch. 7) — technological, temporal,
geographical representativeness, completeness, reliability — scored 1 (best) to 5 per line:

1. the scores of the line's ``method`` (library table ``uncertainty_defaults``: one set for
   the activity, one for the factor; the same scores its default uncertainty comes from);
2. the factor's scores are replaced where the engine knows better, by the rules of the library
   table ``dqi_rules`` (data, not code): ``temporal`` from the age of the line's carbon factor
   (``factor_gwp``: |reporting year − factor year|, a rule ``low ≤ age < high``);
   ``geographical`` from the factor's region against the line's ``country`` (``same``; a
   literal region code such as ``GLO``; ``other``: two different countries); ``technological``
   when the line used a fallback factor. A factor that is not in the library (an own factor,
   a supplier's figure) or a line without a country keeps the method's scores;
3. the line's score of each indicator is the worse (higher) of its activity's and its factor's:
   a figure is only as good as the weaker of the two numbers it multiplies.

``primary_data`` is the method's rule (measured and supplier-specific data are primary).

The roll-up of a figure (scope, category, total) weights each counted line's scores by its
absolute kgCO2e; ``primary_data_share`` is the share of that weight on primary lines (the
report's method mix gives the same share of the signed kgCO2e).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca import distinct
from lca.factors.library import FactorLibrary

INDICATORS = ("technological", "temporal", "geographical", "completeness", "reliability")
#: Ledger columns this module adds (the scores as numbers, NaN where not scored).
COLUMNS = (*(f"dqi_{name}" for name in INDICATORS), "primary_data")
#: The ledger columns the scores are computed from.
EVIDENCE = ("method", "factor_gwp", "country", "fallback")


def _method_scores(library: FactorLibrary, quantity: str, methods: np.ndarray) -> dict:
    """Per indicator, each line's score of its method for ``quantity`` (NaN: no scores)."""
    table = library.table("uncertainty_defaults")
    table = table[table["quantity"] == quantity]
    out = {}
    for name in INDICATORS:
        if name not in table:
            out[name] = np.full(len(methods), np.nan)
            continue
        scores = dict(zip(table["method"], pd.to_numeric(table[name]), strict=True))
        out[name] = pd.Series(methods).map(scores).to_numpy(dtype="float64")
    return out


def _rules(library: FactorLibrary) -> pd.DataFrame:
    rules = library.table("dqi_rules").copy()
    rules["match"] = rules["match"].fillna("").astype(str)
    for column in ("low", "high", "score"):
        rules[column] = pd.to_numeric(rules[column])
    return rules


def _factor_facts(library: FactorLibrary, ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Year (NaN where unknown) and region ("" where unknown) of each line's factor id, each
    distinct id looked up once."""
    codes, distinct = pd.factorize(ids)
    known = library.factors.drop_duplicates("factor_id").set_index("factor_id")
    facts = known.reindex(pd.Index(np.asarray(distinct, dtype=object)))
    year = np.append(facts["year"].to_numpy(dtype="float64", na_value=np.nan), np.nan)
    region = np.append(facts["region"].fillna("").astype(str).to_numpy(dtype=object), "")
    return year[codes], region[codes]  # code −1 (a missing id): the appended unknown


def score(ledger: pd.DataFrame, library: FactorLibrary, year: int) -> dict[str, np.ndarray]:
    """The ``COLUMNS`` of every ledger line, scored once per distinct method, carbon factor,
    country and fallback (the scores depend on nothing else)."""
    codes, first = distinct.of_columns(ledger, list(EVIDENCE))
    scores = _score(ledger[list(EVIDENCE)].iloc[first], library, year)
    return {column: values[codes] for column, values in scores.items()}


def _score(ledger: pd.DataFrame, library: FactorLibrary, year: int) -> dict[str, np.ndarray]:
    """The ``COLUMNS`` of each line of ``ledger`` (its ``EVIDENCE`` columns)."""
    methods = ledger["method"].astype(str).to_numpy()
    activity = _method_scores(library, "activity", methods)
    factor = _method_scores(library, "factor", methods)
    rules = _rules(library)
    factor_year, region = _factor_facts(library, ledger["factor_gwp"].astype(str))
    country = ledger["country"].fillna("").astype(str).to_numpy(dtype=object)

    age = np.abs(year - factor_year)
    for rule in rules[rules["evidence"] == "factor_age_years"].itertuples(index=False):
        high = np.inf if np.isnan(rule.high) else rule.high
        hit = (age >= rule.low) & (age < high)  # NaN age: no rule applies
        factor[rule.indicator] = np.where(hit, rule.score, factor[rule.indicator])
    for rule in rules[rules["evidence"] == "factor_region"].itertuples(index=False):
        if rule.match == "same":
            hit = (region == country) & (country != "")
        elif rule.match == "other":
            two = (np.char.str_len(region.astype(str)) == 2) & (
                np.char.str_len(country.astype(str)) == 2
            )
            hit = two & (region != country)
        else:
            hit = (region == rule.match) & (country != "")
        factor[rule.indicator] = np.where(hit, rule.score, factor[rule.indicator])
    fallback = ledger["fallback"].to_numpy(dtype=bool)
    for rule in rules[rules["evidence"] == "fallback"].itertuples(index=False):
        hit = fallback if rule.match == "true" else ~fallback
        factor[rule.indicator] = np.where(hit, rule.score, factor[rule.indicator])

    out = {f"dqi_{name}": np.fmax(activity[name], factor[name]) for name in INDICATORS}
    for name in INDICATORS:  # fmax keeps a score where one side is NaN; both must be scored
        out[f"dqi_{name}"][np.isnan(activity[name]) | np.isnan(factor[name])] = np.nan
    primary = rules[(rules["indicator"] == "primary_data") & (rules["evidence"] == "method")]
    out["primary_data"] = np.isin(methods, primary.loc[primary["score"] > 0, "match"].to_numpy())
    return out


def rollup(lines: pd.DataFrame, figures: dict[str, list[tuple[str, np.ndarray]]]) -> dict:
    """Per figure (its parts: indicator, mask of the counted ``lines`` it sums), the weighted
    mean of each score (weight |kgCO2e| of the line, lines without scores left out) and the
    share of primary data; scores rounded to 2 decimals, the share to 4."""
    out = {}
    for name, parts in figures.items():
        if not name.startswith(("scope", "total")):
            continue  # energy, water, ADPe: the carbon figures' scores are the ones reported
        weights = np.concatenate([np.abs(lines[k].to_numpy(dtype="float64")[m]) for k, m in parts])
        weights = np.nan_to_num(weights)
        entry: dict = {"lines": int(sum(int(m.sum()) for _k, m in parts))}
        for column in COLUMNS:
            values = np.concatenate([lines[column].to_numpy(dtype="float64")[m] for _k, m in parts])
            scored = ~np.isnan(values)
            total = float(weights[scored].sum())
            key = "primary_data_share" if column == "primary_data" else column[4:]
            mean = float((weights * np.nan_to_num(values))[scored].sum()) / total if total else None
            entry[key] = (
                None if mean is None else round(mean, 4 if key == "primary_data_share" else 2)
            )
        out[name] = entry
    return out
