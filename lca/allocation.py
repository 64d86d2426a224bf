"""Date arithmetic for allocating impacts to the reporting period (vectorised, day-based).

Intervals are half-open ``[start, end)`` of dates; the reporting period ``[period_start,
period_end]`` is inclusive, i.e. ``[period_start, period_end + 1 day)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAY = pd.Timedelta(days=1)


def add_years(dates: pd.Series, years: pd.Series) -> pd.Series:
    """``dates`` plus a (possibly fractional) number of years.

    Whole years are calendar years (29 February → 28 February); the fraction is converted with
    365.25 days per year and rounded to whole days.
    """
    whole = np.floor(years.to_numpy(dtype="float64"))
    fraction_days = np.rint((years.to_numpy(dtype="float64") - whole) * 365.25)
    year = dates.dt.year.to_numpy() + whole
    month = dates.dt.month.to_numpy()
    day = dates.dt.day.to_numpy()
    valid = ~(np.isnan(year) | pd.isna(dates).to_numpy())
    out = pd.Series(pd.NaT, index=dates.index, dtype="datetime64[ns]")
    if valid.any():
        frame = pd.DataFrame({"year": year[valid].astype(int), "month": month[valid], "day": 1})
        first = pd.to_datetime(frame)
        last_day = first.dt.days_in_month.to_numpy()
        shifted = first + pd.to_timedelta(np.minimum(day[valid], last_day) - 1, unit="D")
        out[valid] = (shifted + pd.to_timedelta(fraction_days[valid], unit="D")).to_numpy()
    return out


def overlap_days(
    start: pd.Series, end: pd.Series, period_start: pd.Timestamp, period_end_exclusive: pd.Timestamp
) -> pd.Series:
    """Days of ``[start, end)`` inside ``[period_start, period_end_exclusive)`` (≥ 0).

    A missing ``end`` means open-ended.
    """
    lo = start.where(start > period_start, period_start)
    end_filled = end.fillna(period_end_exclusive)
    hi = end_filled.where(end_filled < period_end_exclusive, period_end_exclusive)
    return ((hi - lo) / DAY).clip(lower=0).astype("float64")


def calendar_years_in(
    start: pd.Series, end: pd.Series, period_start: pd.Timestamp, period_end_exclusive: pd.Timestamp
) -> pd.Series:
    """Years of ``[start, end) ∩ period`` counted per calendar year: each day weighs
    1/(days in its year), so a whole calendar year counts exactly 1, leap or not."""
    total = pd.Series(0.0, index=start.index)
    for year in range(period_start.year, period_end_exclusive.year + 1):
        year_start = max(pd.Timestamp(year, 1, 1), period_start)
        year_end = min(pd.Timestamp(year + 1, 1, 1), period_end_exclusive)
        if year_end <= year_start:
            continue
        days_in_year = 366 if pd.Timestamp(year, 12, 31).day_of_year == 366 else 365
        total += overlap_days(start, end, year_start, year_end) / days_in_year
    return total
