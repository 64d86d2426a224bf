"""Helpers shared by the activity modules: line skeletons, site attributes, issues."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.issue_log import IssueLog
from lca.issues import Issue, Severity
from lca.mapping.context import Context
from lca.mapping.match import resolve
from lca.spec import FILE, ROW


def constant(value: object, index: pd.Index) -> pd.Series:
    """A column holding one text value, stored as a categorical (cheap for a million rows)."""
    codes = np.zeros(len(index), dtype=np.int8)
    return pd.Series(pd.Categorical.from_codes(codes, categories=[value]), index=index)


def line_columns(
    rows: np.ndarray | pd.Series,
    file: str,
    *,
    activity: str,
    stage: str,
    part: str = "",
    scope: int | np.ndarray,
    category: int | float | np.ndarray | pd.Series = np.nan,
    method,
    counted: bool | pd.Series = True,
) -> dict:
    """The identity columns of one line per entry of ``rows`` (spreadsheet row numbers), text
    as scalars that the ledger broadcasts (``line_id`` is derived later by
    ``lca.ledger.with_line_ids``)."""
    return {
        "file": file,
        "sheet": activity,
        "row": rows,
        "activity": activity,
        "stage": stage,
        "part": part,
        "scope": scope,
        "category": category,
        "method": method,
        "counted": counted,
        "fallback": False,
        "allocation_share": 1.0,
        "allocation_share_alternative": np.nan,
    }


def new_lines(frame: pd.DataFrame, **identity) -> pd.DataFrame:
    """``line_columns`` for the rows of ``frame`` as a DataFrame (text as categoricals), ready
    for ``.assign(...)`` of the activity's values."""
    index = frame.index
    file = str(frame[FILE].iloc[0]) if len(frame) else ""
    columns = line_columns(frame[ROW].astype("int64"), file, **identity)
    for name, value in columns.items():
        if isinstance(value, str):
            columns[name] = constant(value, index)
        elif name == "method":
            columns[name] = pd.Series(pd.Categorical(value), index=index)
    return pd.DataFrame(columns, index=index)


def site_columns(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """The site attributes of each row (country, kind, zone, pue, wue …) by its site_id."""
    return ctx.sites.reindex(frame["site_id"]).set_index(frame.index)


def reject(
    frame: pd.DataFrame,
    sheet: str,
    mask: pd.Series,
    code: str,
    column: str,
    message,
    severity: Severity = Severity.ERROR,
) -> list[Issue]:
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


def grid_factor(
    ctx: Context,
    where: pd.DataFrame,
    indicator: str,
    target_unit: str,
    lifecycle: bool | pd.Series = False,
) -> pd.DataFrame:
    """The electricity factor of each location: the one path for sites, cloud regions and
    compute jobs (``match.RESOLVED`` columns).

    ``where`` has ``country`` and ``grid_zone``, and ``provider`` and ``region`` where the
    location is a cloud region. First the inventory's own factor: ``cloud,
    <provider>:<region>`` for a cloud region, else ``energy, electricity:<country>``; then the
    library's electricity factor of the grid zone, of the country (a disclosed fallback when a
    zone was given), of the world (a disclosed fallback). ``indicator`` is the own factor's
    (gwp, gwp_upstream, water, adpe); where ``lifecycle`` holds, the library's life-cycle
    factor (``gwp_lifecycle``) stands for ``gwp``.
    """
    if not isinstance(lifecycle, bool):
        direct = grid_factor(ctx, where, indicator, target_unit, False)
        if lifecycle.any():
            life = grid_factor(ctx, where, indicator, target_unit, True)
            direct.loc[lifecycle] = life.loc[lifecycle]
        return direct
    country = where["country"].astype("string")
    cloud = (
        where["provider"].notna() if "provider" in where else pd.Series(False, index=where.index)
    )
    own_sheet = pd.Series("energy", index=where.index, dtype="string").mask(cloud, "cloud")
    own_keys = ("electricity:" + country).astype("string")
    if cloud.any():
        region = where["provider"].astype("string") + ":" + where["region"].astype("string")
        own_keys = own_keys.mask(cloud, region)
    primary, fallbacks = electricity_keys(where)
    library_indicator = "gwp_lifecycle" if lifecycle and indicator == "gwp" else indicator
    return resolve(
        ctx,
        table="electricity",
        keys=primary,
        indicator=library_indicator,
        own_indicator=indicator,
        target_unit=target_unit,
        override_sheet=own_sheet,
        override_keys=own_keys,
        fallbacks=fallbacks,
    )


def fallback_issues(
    frame: pd.DataFrame, sheet: str, fallback: pd.Series, column: str, what: str
) -> list[Issue]:
    """Warnings that a less specific factor was used (zone → country → world)."""
    return reject(
        frame,
        sheet,
        fallback,
        "factor-fallback",
        column,
        lambda v: f"no {what} factor for {v!r}; a less specific one was used",
        severity=Severity.WARNING,
    )


def onsite_water_m3_per_kwh(wue_l_per_kwh, pue):
    """On-site cooling water per kWh of facility energy, m³/kWh.

    WUE is litres per kWh of IT energy; a ledger line's activity is facility energy
    (IT kWh × PUE), so per facility kWh it is WUE / PUE, and 1,000 L make a m³."""
    return wue_l_per_kwh / 1000.0 / pue


def water_factor_ids(
    grid_ids: pd.Series, wue_l_per_kwh: pd.Series, wue_ids: pd.Series, pue_ids: pd.Series
) -> pd.Series:
    """The factor ids of a line's ``ef_water`` = the grid's water per kWh +
    ``onsite_water_m3_per_kwh``: the grid factor's id alone where no on-site water is added,
    else ``grid;wue;pue`` (the three factors of the sum), so that an id named alone always
    holds one value."""
    onsite = wue_l_per_kwh.astype("float64").fillna(0.0).to_numpy() > 0
    combined = grid_ids.astype(object) + ";" + wue_ids.astype(str) + ";" + pue_ids.astype(str)
    return grid_ids.astype(object).where(~onsite, combined)
