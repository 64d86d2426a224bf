"""Helpers shared by the activity modules: line skeletons, site attributes, issues."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.context import Context
from lca.issues import Issue, Severity
from lca.read import ROW
from lca.validate import FILE, IssueLog


def constant(value: object, index: pd.Index) -> pd.Series:
    """A column holding one text value, stored as a categorical (cheap for a million rows)."""
    codes = np.zeros(len(index), dtype=np.int8)
    return pd.Series(pd.Categorical.from_codes(codes, categories=[value]), index=index)


def categorical(values: pd.Series) -> pd.Series:
    """Text values as a categorical column (blank for NA)."""
    return values.astype(object).where(values.notna(), "").astype("category")


def line_columns(frame: pd.DataFrame, *, activity: str, stage: str, part: str = "",
                 scope: int, category: int | float | pd.Series = np.nan,
                 method: str | np.ndarray, counted: bool | pd.Series = True) -> dict:
    """The identity columns of one line per row of ``frame``, as a dict of columns (``line_id``
    is derived later by ``lca.ledger.with_line_ids``)."""
    index = frame.index
    file = str(frame[FILE].iloc[0]) if len(frame) else ""
    return {
        "file": constant(file, index), "sheet": constant(activity, index),
        "row": frame[ROW].astype("int64"), "activity": constant(activity, index),
        "stage": constant(stage, index), "part": constant(part, index), "scope": scope,
        "category": category,
        "method": constant(method, index) if isinstance(method, str)
        else pd.Series(pd.Categorical(method), index=index),
        "counted": counted, "fallback": False, "allocation_share": 1.0,
        "allocation_share_alternative": np.nan,
    }


def new_lines(frame: pd.DataFrame, **identity) -> pd.DataFrame:
    """``line_columns`` as a DataFrame, ready for ``.assign(...)`` of the activity's values."""
    return pd.DataFrame(line_columns(frame, **identity), index=frame.index)


def site_columns(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """The site attributes of each row (country, kind, zone, pue, wue …) by its site_id."""
    return ctx.sites.reindex(frame["site_id"]).set_index(frame.index)


def reject(frame: pd.DataFrame, sheet: str, mask: pd.Series, code: str, column: str, message,
           severity: Severity = Severity.ERROR) -> list[Issue]:
    """Issues for the rows of ``mask`` (an activity's unmatched rows)."""
    if frame.empty or not mask.any():
        return []
    log = IssueLog(sheet, str(frame[FILE].iloc[0]), frame)
    log.cells(mask, code, column, message, severity=severity)
    return log.issues


def electricity_keys(sites: pd.DataFrame) -> tuple[pd.Series, tuple[pd.Series, ...]]:
    """Electricity factor keys: the site's grid zone when given, with its country as fallback."""
    zone = sites["grid_zone"].astype("string")
    country = sites["country"].astype("string")
    primary = zone.fillna(country)
    return primary, (country, pd.Series("WORLD", index=sites.index, dtype="string"))


def fallback_issues(frame: pd.DataFrame, sheet: str, fallback: pd.Series, column: str,
                    what: str) -> list[Issue]:
    """Warnings that a less specific factor was used (zone → country → world)."""
    return reject(frame, sheet, fallback, "factor-fallback", column,
                  lambda v: f"no {what} factor for {v!r}; a less specific one was used",
                  severity=Severity.WARNING)
