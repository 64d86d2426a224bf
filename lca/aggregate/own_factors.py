"""Every own factor accounted for, once the ledger is built.

Rows whose lines use an own factor that cannot serve (``lca.mapping.own_factors``) are
rejected; each own factor gets the number of ledger lines that use it (results.json
``own_factors``); a row used by none is a warning naming the closest sheet, key, indicator and
stage that a row of the inventory asked for (``Context.asked``); one used at a value two
orders of magnitude from the library's for the same key is a warning.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.issue_log import MAX_LISTED
from lca.issues import Issue, Severity, SourceRef, suggest
from lca.ledger import FACTOR_ID_COLUMNS
from lca.spec import FILE, ROW

SHEET = "factors"


def lines_using(ledger: pd.DataFrame, factor_ids: list[str]) -> dict[str, np.ndarray]:
    """For each factor id, the mask of ledger lines that name it in a factor column (each
    column's distinct values are read once, not its lines)."""
    masks = {factor_id: np.zeros(len(ledger), dtype=bool) for factor_id in factor_ids}
    for column in FACTOR_ID_COLUMNS:
        values = pd.Categorical(ledger[column])
        for code, text in enumerate(values.categories):
            for part in str(text).split(";"):
                if part in masks:
                    masks[part] |= values.codes == code
    return masks


def _described(sheet, key, indicator, stage) -> str:
    return " / ".join(str(x) for x in (sheet, key, indicator, stage) if isinstance(x, str) and x)


def account(
    ledger: pd.DataFrame, own: pd.DataFrame, asked: set, far: dict | None = None
) -> tuple[pd.DataFrame, list[Issue], list[dict]]:
    """Reject the rows whose lines use an unusable own factor, count the ledger lines of every
    own factor, and warn of each one no line uses, and of each one far from the library's
    value for the same key (``far``: ``Context.far_from_library``).

    Returns the ledger without the rejected rows' lines, the issues, and one record per own
    factor (``factor_id``, ``row``, ``sheet``, ``key``, ``indicator``, ``stage``, ``lines``)."""
    if own.empty:
        return ledger, [], []
    far = far or {}
    masks = lines_using(ledger, own["factor_id"].tolist())
    issues: list[Issue] = []
    unusable = own.loc[~own["usable"], ["factor_id", ROW]]
    using_bad = np.zeros(len(ledger), dtype=bool)
    for factor_id in unusable["factor_id"]:
        using_bad |= masks[factor_id]
    if using_bad.any():
        ledger, keep, found = _reject_rows(ledger, using_bad, masks, unusable)
        issues += found
        masks = {factor_id: mask[keep] for factor_id, mask in masks.items()}
    wanted = sorted({_described(*key) for key in asked})
    used = []
    columns = ("factor_id", "sheet", "key", "indicator", "stage", "usable", ROW, FILE)
    for factor_id, sheet, key, indicator, stage, usable, row, file in zip(
        *(own[c] for c in columns), strict=True
    ):
        stage = (
            stage if isinstance(stage, str) else ("manufacturing" if sheet == "equipment" else "")
        )
        lines = int(np.count_nonzero(masks[factor_id]))
        used.append(
            {
                "factor_id": factor_id,
                "row": int(row),
                "sheet": sheet,
                "key": key,
                "indicator": indicator,
                "stage": stage,
                "lines": lines,
            }
        )
        if lines and factor_id in far:
            issues.append(_far_issue(factor_id, far[factor_id], file, row))
        if lines or not usable:
            continue
        described = _described(sheet, key, indicator, stage)
        hint = suggest(described, wanted) or (
            "; no row of the inventory asks for a factor of that sheet"
            if not any(w.startswith(f"{sheet} / ") for w in wanted)
            else ""
        )
        issues.append(
            Issue(
                code="unused-factor",
                severity=Severity.WARNING,
                value=described,
                message=f"own factor {factor_id!r} ({described}) is used by no ledger line" + hint,
                source=SourceRef(file=str(file), sheet=SHEET, row=int(row), column="key"),
            )
        )
    return ledger, issues, used


def _far_issue(factor_id: str, far: tuple, file, row) -> Issue:
    mine, theirs, library_id, unit = far
    times = f"{mine / theirs:,.0f} times" if mine > theirs else f"1/{theirs / mine:,.0f} of"
    return Issue(
        code="implausible-value",
        severity=Severity.WARNING,
        value=f"{mine:g}",
        message=f"own factor {factor_id!r} is {mine:.4g} {unit}, {times} the "
        f"library's {theirs:.4g} {unit} for the same key ({library_id}): check its value and "
        "unit (it was used)",
        source=SourceRef(file=str(file), sheet=SHEET, row=int(row), column="value"),
    )


def _reject_rows(ledger, using_bad, masks, unusable):
    """Drop every line of the input rows that use an unusable own factor; one error per row
    and factor (at most ``MAX_LISTED`` per factor, then a count)."""
    keys = ledger["sheet"].astype(str) + ":" + ledger["row"].astype(str)
    drop = keys.isin(set(keys[using_bad])).to_numpy()
    issues = []
    for factor_id, factor_row in unusable.itertuples(index=False):
        rows = ledger.loc[masks[factor_id], ["file", "sheet", "row"]].drop_duplicates()
        for file, sheet, row in rows.head(MAX_LISTED).itertuples(index=False):
            issues.append(
                Issue(
                    code="invalid-factor",
                    severity=Severity.ERROR,
                    value=factor_id,
                    message=f"the row uses own factor {factor_id!r} "
                    f"(factors row {int(factor_row)}), whose unit cannot serve: the row is "
                    "rejected",
                    source=SourceRef(file=str(file), sheet=str(sheet), row=int(row)),
                )
            )
        if len(rows) > MAX_LISTED:
            issues.append(
                Issue(
                    code="invalid-factor",
                    severity=Severity.ERROR,
                    value=factor_id,
                    message=f"… and {len(rows) - MAX_LISTED} more rows that use own factor "
                    f"{factor_id!r}, rejected",
                    source=SourceRef(
                        file=str(rows["file"].iloc[0]), sheet=str(rows["sheet"].iloc[0])
                    ),
                )
            )
    keep = ~drop
    return ledger[keep].reset_index(drop=True), keep, issues
