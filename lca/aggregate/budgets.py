"""Carbon budgets: budget against actual for each row of the ``budgets`` sheet.

A budget's ``scope`` is a prefix of ``item_id`` (``ITEMS``: the job_id of compute jobs, the
asset_id of equipment, the project of genai_usage rows), or ``all``. Actual = the
location-based kgCO2e of every ledger line whose item starts with the prefix, counted or
attribution alike (a job on an owned asset is inside the site's totals, and still spends its
team's budget); ``all`` is the inventory's location-based total. One prefix may match items of
several kinds (``chat`` matches a job ``chat-eval`` and a project ``chatbot-support``): each
matched line is added once. An actual above its budget is a ``budget-exceeded`` warning on the
budget's row; a scope that matches nothing is an ``unknown-reference`` warning.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.issues import Issue, Severity, SourceRef
from lca.ratio import not_computable, ratio
from lca.spec import FILE

#: What a budget's prefix is matched against: the ledger's ``item_id`` of each kind of line.
ITEMS = "job_id (compute jobs), asset_id (equipment) or project (genai_usage)"


def budget_vs_actual(
    budgets: pd.DataFrame, ledger: pd.DataFrame, totals: dict
) -> tuple[list[dict], list[Issue]]:
    """One entry per budget row (in sheet order) and a warning per exceeded budget."""
    out, issues = [], []
    items = ledger["item_id"].array  # a categorical: prefixes are matched on its categories
    names = items.categories.astype(str)
    for scope, kgco2e, note, row, file in zip(
        budgets["scope"],
        budgets["kgco2e"],
        budgets["note"],
        budgets["_row"],
        budgets[FILE],
        strict=True,
    ):
        scope = str(scope).strip()
        if scope.lower() == "all":
            actual, lines = totals.get("total_location_kgco2e", 0.0), int(ledger["counted"].sum())
        else:
            hit = np.append((names != "") & names.str.startswith(scope), False)
            matched = hit[items.codes]  # code −1 (no item) takes the appended False
            actual, lines = float(ledger.loc[matched, "kgco2e"].sum()), int(matched.sum())
        budget = float(kgco2e)
        entry = {
            "scope": scope,
            "budget_kgco2e": budget,
            "actual_kgco2e": actual,
            "remaining_kgco2e": budget - actual,
            "used_share": ratio(actual, budget) if budget > 0 else None,
            "exceeded": actual > budget,
            "lines": lines,
            "note": None if pd.isna(note) else str(note),
            "source": {"file": str(file), "sheet": "budgets", "row": int(row)},
        }
        out.append(entry)
        if not lines:
            issues.append(
                Issue(
                    code="unknown-reference",
                    severity=Severity.WARNING,
                    value=scope,
                    message=f"budget {scope!r} matches no {ITEMS}: its actual is 0",
                    source=SourceRef(file=str(file), sheet="budgets", row=int(row), column="scope"),
                )
            )
        if budget > 0 and entry["used_share"] is None:
            issues += not_computable(
                f"budget {scope!r}",
                ["used_share"],
                f"a budget of {budget:g} kgCO2e is this close to 0",
                SourceRef(file=str(file), sheet="budgets", row=int(row), column="kgco2e"),
            )
        if entry["exceeded"]:
            issues.append(
                Issue(
                    code="budget-exceeded",
                    severity=Severity.WARNING,
                    value=scope,
                    message=f"budget {scope!r}: actual {actual:,.1f} kgCO2e exceeds the budget of "
                    f"{budget:,.1f} kgCO2e by {actual - budget:,.1f}",
                    source=SourceRef(
                        file=str(file), sheet="budgets", row=int(row), column="kgco2e"
                    ),
                )
            )
    return out, issues
