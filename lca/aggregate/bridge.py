"""The year-over-year bridge: the change from N-1 to N split into activity, emission-factor and
method-or-boundary effects, line by line on matching inputs (ESRS E1-6 read against N-1).

**Matching.** A ledger line is identified by what it is, not where it sits: ``KEY`` (its sheet,
stage, part, scope, category, method, activity unit, site, country, group — equipment
category, carrier, gas, provider, spend category —, item id — asset id, job id, use case — and
label — supplier and description, provider and region, model) and its *factor family*: the
factor id with its trailing edition year or row number taken off (``electricity:DE:gwp:2024``
→ ``electricity:DE:gwp``; ``supplier:equipment:12`` → ``supplier:equipment``). The row number
is not part of the key. Lines of one key are added together (several bills of one site and
carrier, several rows of one supplier): ``A`` = Σ activity_amount × allocation_share (the
allocated activity), ``E`` = Σ kgCO2e and the key's factor ``F = E / A``.

**Decomposition of a key found in both years** (``A0, F0`` in N-1, ``A1, F1`` in N)::

    activity effect = (A1 − A0) × F0
    factor effect   = A1 × (F1 − F0)
    activity + factor = A1 × F1 − A0 × F0 = E1 − E0   (exactly)

The activity effect is valued at last year's factors (what the change in kWh, devices, hours
or spend alone would have done) and the factor effect at this year's activity (what the new
factors do to the inventory as it now stands): the price-volume order of a management
accounts bridge, stated once here. When ``A0 = 0`` the key's change is all activity; when
``A1 = 0`` it is all activity too (the factor of an absent activity has no effect).

**Method or boundary effect**: the whole ``E`` of a key found in one year only (a new or
removed sheet or row, a changed method, unit or factor family — another dataset, model or
country), and the whole change of a key found in both years whose lines are not activity ×
factor (``lca.ledger.contract`` formula does not hold) or whose activity is itself a reported
kgCO2e (a supplier's or a provider's figure, ``activity_unit`` kgCO2e: its change is the
supplier's data, shown as a factor effect). Every line's value is in exactly one effect.

The effects of each figure (``scope1``, ``scope2_location``, ``scope2_market``, ``scope3``,
``scope3_category_<n>``, ``total_location``, ``total_market``) must add up to that figure's
change between the two ``totals`` blocks; ``closure_issues`` makes any gap an error issue.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from lca.aggregate.comparatives import change, figures
from lca.aggregate.result import RunResult
from lca.issues import Issue, Severity, SourceRef

#: The columns that identify a line across years (with its factor family).
KEY = (
    "sheet",
    "stage",
    "part",
    "scope",
    "category",
    "method",
    "activity_unit",
    "site_id",
    "country",
    "group",
    "item_id",
    "label",
)
#: The two carbon views: (kgCO2e column, factor column, factor id column).
VIEWS = {
    "location": ("kgco2e", "ef_gwp", "factor_gwp"),
    "market": ("kgco2e_market", "ef_gwp_market", "factor_gwp_market"),
}
#: Effects of a figure must add up to its change within this share of the larger of its two
#: years (or of 1 kgCO2e, for figures under 1 kg).
TOLERANCE = 1e-9
#: A line obeys the ledger formula when its kgCO2e is activity × factor to this tolerance.
_FORMULA_RTOL = 1e-12
_EDITION = re.compile(r":\d+$")
EFFECTS = ("activity_kgco2e", "factor_kgco2e", "method_kgco2e")


def factor_family(ids: str) -> str:
    """The factor ids of a line without their trailing year or row number, sorted."""
    return ";".join(sorted({_EDITION.sub("", part) for part in str(ids).split(";") if part}))


def counted_lines(ledger: pd.DataFrame, view: str) -> pd.DataFrame:
    """The lines in the totals (counted, scope 1–3) with their key, factor family, allocated
    activity ``A``, kgCO2e ``E`` and whether they obey the ledger formula, in one view."""
    kg, ef, factor = VIEWS[view]
    lines = ledger[ledger["counted"] & ledger["scope"].isin([1, 2, 3])]
    activity = lines["activity_amount"].to_numpy(float) * lines["allocation_share"].to_numpy(float)
    value = lines[kg].to_numpy(float)
    expected = activity * lines[ef].to_numpy(float)
    frame = pd.DataFrame(
        {c: lines[c].astype("string").fillna("").to_numpy() for c in KEY},
    )
    ids = lines[factor].astype("string").fillna("")
    frame["family"] = ids.map({i: factor_family(i) for i in ids.unique()}).to_numpy()
    frame["activity"] = np.nan_to_num(activity)
    frame["kgco2e"] = value
    frame["formula"] = np.isclose(value, expected, rtol=_FORMULA_RTOL, atol=0.0) & (
        lines["activity_unit"].astype("string").fillna("").to_numpy() != "kgCO2e"
    )
    return frame


def keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """The lines of one year added up per key: ``A``, ``E`` and whether all obey the formula."""
    return frame.groupby([*KEY, "family"], sort=True, dropna=False).agg(
        activity=("activity", "sum"), kgco2e=("kgco2e", "sum"), formula=("formula", "all")
    )


def effects(prior: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Per key of either year: E0, E1 and the three effects (see the module's decomposition)."""
    both = prior.merge(current, how="outer", left_index=True, right_index=True, suffixes=("0", "1"))
    a0, a1 = both["activity0"].fillna(0.0), both["activity1"].fillna(0.0)
    e0, e1 = both["kgco2e0"].fillna(0.0), both["kgco2e1"].fillna(0.0)
    matched = both["kgco2e0"].notna() & both["kgco2e1"].notna()
    split = matched & both["formula0"].eq(True) & both["formula1"].eq(True)
    f0 = (e0 / a0.where(a0 != 0)).fillna(0.0)
    f1 = (e1 / a1.where(a1 != 0)).fillna(f0)
    activity = ((a1 - a0) * f0).where(a0 != 0, e1 - e0)
    factor = (a1 * (f1 - f0)).where((a0 != 0) & (a1 != 0), 0.0)
    reported = matched & ~split & _unit(both.index).eq("kgCO2e").to_numpy()
    out = pd.DataFrame(
        {
            "scope": both.index.get_level_values("scope").astype(int),
            "category": both.index.get_level_values("category"),
            "prior_kgco2e": e0,
            "current_kgco2e": e1,
            "activity_kgco2e": activity.where(split, 0.0),
            "factor_kgco2e": factor.where(split, (e1 - e0).where(reported, 0.0)),
            "method_kgco2e": (e1 - e0).where(~split & ~reported, 0.0),
            "added": ~both["kgco2e0"].notna(),
            "removed": ~both["kgco2e1"].notna(),
        },
        index=both.index,
    )
    out["not_formula"] = matched & ~split & ~reported
    return out.reset_index(drop=True)


def _unit(index: pd.MultiIndex) -> pd.Series:
    return pd.Series(index.get_level_values("activity_unit"))


def figure_rows(keys: pd.DataFrame, view: str) -> dict[str, pd.DataFrame]:
    """The keys of each figure: scope 2 of the view; scopes 1 and 3 and the categories from the
    location view (the totals count their kgCO2e in both totals)."""
    if view == "market":
        return {"scope2_market": keys[keys["scope"] == 2]}
    out = {
        "scope1": keys[keys["scope"] == 1],
        "scope2_location": keys[keys["scope"] == 2],
        "scope3": keys[keys["scope"] == 3],
    }
    scope3 = keys[keys["scope"] == 3]
    for category in sorted({int(c) for c in scope3["category"] if c}):
        out[f"scope3_category_{category}"] = scope3[scope3["category"] == str(category)]
    return out


def summed(rows: pd.DataFrame) -> dict:
    """A figure's bridge entry from its keys: N-1, N, change, the three effects and the parts
    of the method effect (added, removed, not activity × factor) with their line counts."""
    added, removed, other = rows[rows["added"]], rows[rows["removed"]], rows[rows["not_formula"]]
    prior, current = math.fsum(rows["prior_kgco2e"]), math.fsum(rows["current_kgco2e"])
    return {
        "prior_kgco2e": prior,
        "current_kgco2e": current,
        "change_kgco2e": current - prior,
        **{effect: math.fsum(rows[effect]) for effect in EFFECTS},
        "method_detail": {
            "added_kgco2e": math.fsum(added["current_kgco2e"]),
            "removed_kgco2e": 0.0 - math.fsum(removed["prior_kgco2e"]),
            "not_activity_times_factor_kgco2e": math.fsum(other["method_kgco2e"]),
            "keys_added": len(added),
            "keys_removed": len(removed),
            "keys_not_activity_times_factor": len(other),
        },
    }


def combined(*entries: dict) -> dict:
    """The bridge entry of a sum of figures (the totals: scope 1 + scope 2 + scope 3)."""
    out: dict = {k: math.fsum(e[k] for e in entries) for k in entries[0] if k != "method_detail"}
    out["method_detail"] = {
        k: sum(e["method_detail"][k] for e in entries) for k in entries[0]["method_detail"]
    }
    return out


def figures_bridge(prior_ledger: pd.DataFrame, current_ledger: pd.DataFrame) -> dict[str, dict]:
    """The bridge entry of every figure, from the ledgers of N-1 and N."""
    out: dict[str, dict] = {}
    for view in VIEWS:
        keys = effects(
            keyed(counted_lines(prior_ledger, view)), keyed(counted_lines(current_ledger, view))
        )
        out |= {name: summed(rows) for name, rows in figure_rows(keys, view).items()}
    out["total_location"] = combined(out["scope1"], out["scope2_location"], out["scope3"])
    out["total_market"] = combined(out["scope1"], out["scope2_market"], out["scope3"])
    categories = sorted(
        (k for k in out if k.startswith("scope3_category_")), key=lambda k: int(k.rsplit("_")[-1])
    )
    order = ["scope1", "scope2_location", "scope2_market", "scope3", "total_location"]
    return {k: out[k] for k in [*order, "total_market", *categories]}


def closure_issues(
    bridge: dict[str, dict], change_kgco2e: dict[str, float], source: SourceRef
) -> list[Issue]:
    """An error issue for each figure whose effects do not add up to its change between the
    two years' totals (``change_vs_prior``), to ``TOLERANCE``: a bridge that does not close
    is never shown as if it did."""
    issues = []
    for name, entry in bridge.items():
        total = math.fsum(entry[e] for e in EFFECTS)
        change = change_kgco2e.get(name, 0.0)
        scale = max(abs(entry["prior_kgco2e"]), abs(entry["current_kgco2e"]), 1.0)
        if not math.isclose(total, change, rel_tol=0.0, abs_tol=TOLERANCE * scale):
            issues.append(
                Issue(
                    code="bridge-does-not-close",
                    severity=Severity.ERROR,
                    message=f"year-over-year bridge, {name}: activity + factor + method "
                    f"effects = {total!r} kgCO2e but the change between the totals is "
                    f"{change!r} kgCO2e",
                    value=name,
                    source=source,
                )
            )
    return issues


def bridge(current: RunResult, prior_year: int, prior: RunResult) -> tuple[dict, list[Issue]]:
    """results.json ``bridge``: N-1 (recomputed with this engine) to N, per figure, and the
    issues of its closure check against ``change_vs_prior``."""
    entries = figures_bridge(prior.lines, current.lines)
    difference = change(figures(current.totals), figures(prior.totals))
    return {
        "prior_year": prior_year,
        "reporting_year": current.valid_settings.year,
        "key": [*KEY, "factor family"],
        "decomposition": "activity effect = (A_N − A_N-1) × F_N-1; factor effect = A_N × "
        "(F_N − F_N-1); method or boundary effect = the whole kgCO2e of keys found in one year "
        "only and the whole change of keys whose lines are not activity × factor; A = "
        "activity_amount × allocation_share, F = kgCO2e / A, per key",
        "figures": entries,
    }, closure_issues(
        entries,
        {k: d["kgco2e"] for k, d in difference.items()},
        SourceRef(file=str(current.inventory.path)),
    )
