"""The ledger's assembly: Spread columns are the same lines as the arrays they stand for;
the formula on every line; the ledger's own arrays."""

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from lca.activities.common import line_columns
from lca.ledger import INDICATORS, NUMERIC, LedgerPart, Spread, assemble, materialize
from lca.ledger.assemble import CHUNK, ledger_array
from lca.ledger.contract import apply_formula


def _lines(columns_of) -> LedgerPart:
    codes = np.array([1, 0, 1])
    quantity = np.array([10.0, 20.0, 30.0])
    kwh = Spread(np.array([2.0, 3.0]), codes)
    return LedgerPart(
        3,
        columns_of(
            {
                **line_columns(
                    np.array([2, 3, 4]),
                    "cloud.csv",
                    activity="cloud",
                    stage="use",
                    scope=3,
                    category=1,
                    method="average_data",
                ),
                "label": Spread(pd.Categorical(["a", "b"]), codes),
                "quantity": quantity,
                "activity_amount": kwh.scaled(quantity),
                "activity_unit": "kWh",
                "ef_gwp": Spread(np.array([0.5, 0.25]), codes),
            }
        ),
    )


def test_a_spread_takes_per_key_values_and_scales_them():
    values = Spread(np.array([2.0, 3.0]), np.array([1, 0, 1])).scaled(np.array([10.0, 20, 30]))
    assert values.numbers().tolist() == [3.0 * 10, 2.0 * 20, 3.0 * 30]


def test_assemble_takes_spread_columns_as_the_arrays_they_stand_for():
    lazy = assemble([_lines(dict)])
    eager = assemble([_lines(materialize)])
    pdt.assert_frame_equal(lazy, eager)
    assert lazy["label"].astype(str).tolist() == ["b", "a", "b"]
    assert lazy["kgco2e"].tolist() == [3.0 * 10 * 0.25, 2.0 * 20 * 0.5, 3.0 * 30 * 0.25]
    assert lazy["spend"].isna().all()  # a column no part gives is NaN, never 0


def test_text_columns_join_the_parts_categories_in_order_of_first_appearance():
    first = _lines(dict)
    second = LedgerPart(
        2,
        {
            **line_columns(
                np.array([7, 8]),
                "equipment.csv",
                activity="equipment",
                stage="manufacturing",
                scope=3,
                category=2,
                method="average_data",
            ),
            "label": pd.Series(["c", None], dtype="string"),
            "site_id": pd.Categorical(["PAR", None]),
            "item_id": np.array([7, 7]),
            "quantity": np.array([1.0, 2.0]),
        },
    )
    ledger = assemble([first, second])
    label = ledger["label"].array
    # the Spread's categories (all of its keys), then the new ones; a blank becomes ""
    assert list(label.categories) == ["a", "b", "c", ""]
    assert label.astype(str).tolist() == ["b", "a", "b", "c", ""]
    assert ledger["site_id"].astype(str).tolist() == ["", "", "", "PAR", ""]
    assert list(ledger["item_id"].array.categories) == ["", "7"]  # numbers as text
    assert list(ledger["stage"].array.categories) == ["use", "manufacturing"]
    assert ledger["sheet"].astype(str).tolist() == ["cloud"] * 3 + ["equipment"] * 2
    assert ledger["file"].astype(str).tolist() == ["cloud.csv"] * 3 + ["equipment.csv"] * 2


def test_the_formula_holds_on_every_line_across_chunk_boundaries():
    n = CHUNK * 2 + 5
    rng = np.random.default_rng(3)
    values = {
        name: rng.uniform(0.1, 10.0, n)
        for name in (
            "activity_amount",
            "allocation_share",
            "allocation_share_alternative",
            *INDICATORS.values(),
        )
    }
    values["ef_water"][CHUNK - 1 : CHUNK + 1] = np.nan  # no factor: no figure, never 0
    part = LedgerPart(
        n,
        {
            **line_columns(
                np.arange(2, n + 2),
                "cloud.csv",
                activity="cloud",
                stage="use",
                scope=3,
                category=1,
                method="average_data",
            ),
            **values,
        },
    )
    ledger = assemble([part])
    amount = values["activity_amount"] * values["allocation_share"]
    for indicator, factor in INDICATORS.items():
        np.testing.assert_array_equal(ledger[indicator].to_numpy(), amount * values[factor])
    np.testing.assert_array_equal(
        ledger["kgco2e_alternative"].to_numpy(),
        values["activity_amount"] * values["ef_gwp"] * values["allocation_share_alternative"],
    )
    assert ledger["water_m3"].iloc[CHUNK - 1 : CHUNK + 1].isna().all()


def test_the_formula_on_a_slice_leaves_other_lines_alone():
    block = {name: np.full(4, np.nan) for name in NUMERIC}
    for name in (
        "activity_amount",
        "allocation_share",
        "allocation_share_alternative",
        *INDICATORS.values(),
    ):
        block[name][:] = 2.0
    apply_formula(block, slice(1, 3))
    assert block["kgco2e"][1:3].tolist() == [2.0 * 2.0 * 2.0] * 2
    assert np.isnan(block["kgco2e"][[0, 3]]).all()


def test_a_part_whose_column_has_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="has 2 values for 3 lines"):
        LedgerPart(3, {"quantity": np.array([1.0, 2.0])})


def test_a_spread_code_outside_its_values_is_refused():
    # np.take(mode="clip") would read -1 as the first value and 5 as the last: never silently
    with pytest.raises(ValueError, match="codes outside"):
        Spread(np.array([1.0, 2.0]), np.array([0, -1]))
    with pytest.raises(ValueError, match="codes outside"):
        Spread(np.array([1.0, 2.0]), np.array([5]))


def test_ledger_arrays_are_ordinary_writable_arrays_that_outlive_their_maker():
    small = ledger_array(10, "int8")
    big = ledger_array((3, 1 << 20))  # 24 MiB: outside huge pages where Linux allows
    assert small.shape == (10,) and small.dtype == np.int8
    assert big.shape == (3, 1 << 20) and big.dtype == np.float64 and big.flags.writeable
    big[:] = 2.5
    frame = pd.DataFrame(big.T, columns=["a", "b", "c"], copy=False)
    del big
    assert frame["c"].sum() == 2.5 * (1 << 20)
