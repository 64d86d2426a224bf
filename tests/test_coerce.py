"""Text columns made by validation keep their codes: ``coerce.factorize`` must agree with
``pd.factorize`` on the same values, however the column was made or changed afterwards."""

import numpy as np
import pandas as pd

from lca import coerce

RAW = pd.Series([" eu-west-3", "eu-west-3", None, "us-east-1 ", "", 12.0, "us-east-1", None])


def _same_as_pandas(column: pd.Series) -> None:
    codes, uniques = coerce.factorize(column)
    expected_codes, expected_uniques = pd.factorize(column, use_na_sentinel=True)
    np.testing.assert_array_equal(codes, expected_codes)
    assert list(uniques) == list(expected_uniques)


def test_text_codes_are_those_of_the_cleaned_values():
    column = coerce.text(RAW)
    assert list(column.fillna("<NA>")) == [
        "eu-west-3",
        "eu-west-3",
        "<NA>",
        "us-east-1",
        "<NA>",
        "12",
        "us-east-1",
        "<NA>",
    ]
    codes, uniques = coerce.factorize(column)
    # " eu-west-3" and "eu-west-3" were two raw values: one code once trimmed; blanks are NA
    assert list(codes) == [0, 0, -1, 1, -1, 2, 1, -1]
    assert list(uniques) == ["eu-west-3", "us-east-1", "12"]
    _same_as_pandas(column)


def test_codes_are_reused_not_recomputed():
    column = coerce.text(RAW)
    assert coerce.factorize(column)[0] is coerce.factorize(column)[0]
    frame = pd.DataFrame({"region": column}).reset_index(drop=True)
    assert coerce.factorize(frame["region"])[0] is coerce.factorize(column)[0]


def test_changed_columns_are_factorized_afresh():
    column = coerce.text(RAW)
    _same_as_pandas(column.str.upper())
    _same_as_pandas(column[column.notna()])
    coerce.factorize(column)
    column.iloc[0] = "ap-south-1"  # in place: pandas replaces the column's Arrow data
    _same_as_pandas(column)
    assert coerce.factorize(column)[1][0] == "ap-south-1"


def test_choice_and_map_text_columns():
    usage, bad, _ = coerce.choice(
        pd.Series(["Compute", "storage-ssd", "compute", "disk"]), ("compute", "storage_ssd")
    )
    assert list(bad) == [False, False, False, True]
    assert list(coerce.factorize(usage)[0]) == [0, 1, 0, -1]
    _same_as_pandas(usage)
    units = coerce.map_text(
        coerce.text(pd.Series(["kwh", "KWH", "GB", None])),
        lambda unit: "kWh" if unit.lower() == "kwh" else unit,
    )
    assert list(units.fillna("<NA>")) == ["kWh", "kWh", "GB", "<NA>"]
    assert list(coerce.factorize(units)[0]) == [0, 0, 1, -1]
    _same_as_pandas(units)


def test_an_integer_beyond_any_float_is_flagged_not_raised():
    # a cell holding a 401-digit integer (found by the fuzz test): no OverflowError, the cell
    # is unreadable like ``1e999``, its neighbours are read
    values, bad, _ = coerce.number(pd.Series([10**400, -(10**400), 5], dtype=object))
    assert list(bad) == [True, True, False]
    assert values.isna().tolist() == [True, True, False] and values.iloc[2] == 5.0
