"""The workbook's applied factors and each line's row of them (``applied_factors``) are the
group-by of every line's (indicator, factor id, activity unit, value), found from codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lca.report.xlsx_ledger import INDICATORS, applied_factors

KEYS = ["indicator", "factor_id", "activity_unit", "value"]


def grouped(ledger: pd.DataFrame) -> pd.DataFrame:
    """The statement: group every line's keys (a missing id reads as ""), count, sort."""
    parts = []
    for ef, (_result, id_column) in INDICATORS.items():
        present = ledger[ledger[ef].notna()]
        ids = present[id_column] if id_column else ""
        parts.append(
            pd.DataFrame(
                {
                    "indicator": ef,
                    "factor_id": ids,
                    "value": present[ef],
                    "activity_unit": present["activity_unit"],
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame["factor_id"] = frame["factor_id"].fillna("").astype(str)
    out = frame.groupby(["indicator", "factor_id", "activity_unit", "value"]).size()
    out = out.rename("lines").reset_index()
    out["order"] = out["indicator"].map({name: i for i, name in enumerate(INDICATORS)})
    out = out.sort_values(["order", "factor_id", "activity_unit", "value"], kind="stable")
    out = out.drop(columns="order").reset_index(drop=True)
    out["position"] = out.index
    return out


def ledger(seed: int, categorical: bool) -> pd.DataFrame:
    """Lines with missing and empty ids, missing units and values, 0.0 and −0.0 in different
    indicators, a few distinct values."""
    rng = np.random.default_rng(seed)
    n = 400

    def text(choices):
        values = pd.Series(rng.choice(np.array(choices, dtype=object), n), dtype=object)
        return values.astype("category") if categorical else values

    frame = pd.DataFrame({"activity_unit": text(["kWh", "GB_month", "hour", None])})
    for ef, (_result, id_column) in INDICATORS.items():
        values = rng.choice([1.5, 0.25, 0.0, -0.0, np.nan, 2e-7], n)
        frame[ef] = values
        if id_column:
            frame[id_column] = text(["a", "b", "", None, "c"])
    return frame


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("categorical", [True, False], ids=["categorical", "object"])
@pytest.mark.parametrize("labels", ["range", "reversed", "repeated"])
def test_the_applied_factors_are_the_group_by(seed, categorical, labels):
    """Lines are taken by position whatever their index's labels."""
    lines = ledger(seed, categorical)
    if labels != "range":
        n = len(lines)
        lines.index = np.arange(n)[::-1] if labels == "reversed" else np.arange(n) // 3
    expected = grouped(lines)
    applied, rows = applied_factors(lines)
    pd.testing.assert_frame_equal(applied, expected)
    assert [str(v) for v in applied["value"]] == [str(v) for v in expected["value"]]  # −0.0
    position = expected.set_index(KEYS)["position"]
    for ef, (_result, id_column) in INDICATORS.items():
        ids = (
            lines[id_column].astype(object).fillna("").astype(str)
            if id_column
            else pd.Series("", index=lines.index)
        )
        keys = pd.MultiIndex.from_arrays(
            [pd.Series(ef, index=lines.index), ids, lines["activity_unit"], lines[ef]]
        )
        want = position.reindex(keys).to_numpy(dtype=np.float64)
        got = rows[ef]
        assert got.index.equals(lines.index)
        assert np.array_equal(got.to_numpy(dtype=np.float64), want, equal_nan=True), ef


def test_ids_are_compared_as_text():
    """Object ids 1, 1.0 and True are three ids ("1", "1.0", "True"), as the group-by of
    their text finds them, never one."""
    lines = ledger(0, False)
    lines["factor_gwp"] = pd.Series(
        [[1, 1.0, True, "1", None][n % 5] for n in range(len(lines))], dtype=object
    )
    expected = grouped(lines)
    pd.testing.assert_frame_equal(applied_factors(lines)[0], expected)
    assert {"1", "1.0", "True"} <= set(expected["factor_id"])


def test_no_lines_no_factors():
    lines = ledger(0, True).iloc[:0]
    applied, rows = applied_factors(lines)
    assert applied.empty
    assert all(positions.empty for positions in rows.values())
