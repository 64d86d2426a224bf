"""Scope 3 screening: every category 1–15 included, excluded or not applicable, and why.

A category with counted ledger lines is ``included`` (its kgCO2e is the total's). Any other
takes the status, reason and estimated size the user gave on the ``scope3_screening`` sheet,
else ``not_assessed`` with a reason saying so — the absence of activity rows is never offered
as a justification. The inventory hints at some categories (devices retired in the period:
5; remote sites: 7; leased devices: 8): a hinted category left unscreened and empty is a
warning, and a screening row that contradicts the ledger is one too.
"""

from __future__ import annotations

import pandas as pd

from lca.issues import Issue, Severity, SourceRef
from lca.spec import FILE, ROW, SCOPE3_CATEGORIES

SHEET = "scope3_screening"
NOT_ASSESSED = (
    "not assessed: the inventory has no screening for this category (give one on "
    "the scope3_screening sheet)"
)


def hints(
    inventory, period_start: pd.Timestamp, period_end_exclusive: pd.Timestamp
) -> dict[str, list[str]]:
    """Categories the inventory points at, with what points at them."""
    out: dict[str, list[str]] = {}
    equipment, sites = inventory.sheet("equipment"), inventory.sheet("sites")
    retired = equipment["retired_on"]
    gone = equipment.loc[(retired >= period_start) & (retired < period_end_exclusive), "asset_id"]
    if len(gone):
        out["5"] = [f"devices retired in the period ({', '.join(map(str, gone))})"]
    remote = sites.loc[sites["kind"] == "remote", "site_id"]
    if len(remote):
        out["7"] = [f"remote (home-working) sites ({', '.join(map(str, remote))})"]
    leased = equipment.loc[
        equipment["holding"].isin(["operating_lease", "finance_lease", "colocation_hosted"]),
        "asset_id",
    ]
    if len(leased):
        out["8"] = [
            f"leased or hosted devices ({', '.join(map(str, leased))}): are other "
            "leased assets outside the boundary?"
        ]
    return out


def scope3_screening(
    inventory, totals: dict, hinted: dict[str, list[str]]
) -> tuple[dict, list[Issue]]:
    """The ``scope3_screening`` block of results.json (keys "1" … "15") and its issues."""
    sheet = inventory.sheet(SHEET)
    given = {str(r["category"]): r for r in sheet.to_dict("records")}
    by_category = totals["scope3_by_category_kgco2e"]
    out, issues = {}, []
    for number in map(str, SCOPE3_CATEGORIES):
        row = given.get(number)
        hinted_by: list[str] = hinted.get(number, [])
        entry: dict[str, object] = {
            "status": "not_assessed",
            "kgco2e": None,
            "reason": NOT_ASSESSED,
            "estimated_kgco2e": None,
            "reason_from": "engine",
            "hinted_by": hinted_by,
        }
        if row is not None:
            entry.update(
                status=row["status"],
                reason=_text(row["reason"])
                or f"{row['status'].replace('_', ' ')}: no reason given",
                reason_from="inventory",
                estimated_kgco2e=None
                if pd.isna(row["estimated_kgco2e"])
                else float(row["estimated_kgco2e"]),
            )
        if number in by_category:
            if row is not None and row["status"] != "included":
                issues.append(
                    _issue(
                        inventory,
                        row,
                        "screening-conflict",
                        f"category {number} is screened {row['status']} but the "
                        "inventory has lines in it: it is reported as included",
                    )
                )
            entry.update(status="included", kgco2e=by_category[number])
            if row is None or row["status"] != "included":
                entry.update(reason="computed from the inventory's rows", reason_from="engine")
        elif row is not None and row["status"] == "included":
            issues.append(
                _issue(
                    inventory,
                    row,
                    "screening-conflict",
                    f"category {number} is screened included but no line of the "
                    "inventory falls in it",
                )
            )
        elif row is None and hinted_by:
            issues.append(
                Issue(
                    code="scope3-category-hinted",
                    severity=Severity.WARNING,
                    message=f"scope 3 category {number} is empty and not screened, yet the "
                    f"inventory points at it: {'; '.join(hinted_by)}",
                    source=SourceRef(file=_file(inventory), sheet=SHEET),
                )
            )
        out[number] = entry
    return out, issues


def _text(value) -> str:
    return "" if pd.isna(value) else str(value)


def _file(inventory) -> str:
    """The screening sheet's file, else the inventory's first input."""
    sheet = inventory.sheet(SHEET)
    if len(sheet):
        return str(sheet[FILE].iloc[0])
    return str(inventory.inputs[0]["path"]) if inventory.inputs else ""


def _issue(inventory, row: dict, code: str, message: str) -> Issue:
    return Issue(
        code=code,
        severity=Severity.WARNING,
        message=message,
        source=SourceRef(file=_file(inventory), sheet=SHEET, row=int(row[ROW]), column="status"),
    )
