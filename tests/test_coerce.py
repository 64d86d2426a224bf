"""Text columns made by validation keep their codes in the inventory's ``TextCodes``:
``coerce.factorize`` must agree with ``pd.factorize`` on the same values, however the column was
made or changed afterwards."""

import numpy as np
import pandas as pd

from lca import coerce
from lca.activities.cloud import SIGNATURE
from lca.factors.library import load_library
from lca.read import read_inventory
from lca.validate import validate
from tests.helpers import report_inventory

RAW = pd.Series([" eu-west-3", "eu-west-3", None, "us-east-1 ", "", 12.0, "us-east-1", None])


def _same_as_pandas(column: pd.Series, known: coerce.TextCodes | None = None) -> None:
    codes, uniques = coerce.factorize(column, known)
    expected_codes, expected_uniques = pd.factorize(column, use_na_sentinel=True)
    np.testing.assert_array_equal(codes, expected_codes)
    assert list(uniques) == list(expected_uniques)


def test_text_codes_are_those_of_the_cleaned_values():
    known = coerce.TextCodes()
    column = coerce.text(RAW, known)
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
    codes, uniques = coerce.factorize(column, known)
    # " eu-west-3" and "eu-west-3" were two raw values: one code once trimmed; blanks are NA
    assert list(codes) == [0, 0, -1, 1, -1, 2, 1, -1]
    assert list(uniques) == ["eu-west-3", "us-east-1", "12"]
    _same_as_pandas(column, known)


def test_codes_are_reused_not_recomputed():
    known = coerce.TextCodes()
    column = coerce.text(RAW, known)
    assert coerce.factorize(column, known)[0] is coerce.factorize(column, known)[0]
    frame = pd.DataFrame({"region": column}).reset_index(drop=True)
    assert coerce.factorize(frame["region"], known)[0] is coerce.factorize(column, known)[0]
    assert coerce.factorize(column)[0] is not coerce.factorize(column, known)[0]  # no global


def test_changed_columns_are_factorized_afresh():
    known = coerce.TextCodes()
    column = coerce.text(RAW, known)
    _same_as_pandas(column.str.upper(), known)
    _same_as_pandas(column[column.notna()], known)
    column.iloc[0] = "ap-south-1"  # in place: pandas replaces the column's Arrow data
    _same_as_pandas(column, known)
    assert coerce.factorize(column, known)[1][0] == "ap-south-1"


def test_retain_keeps_only_the_columns_of_the_frames_kept():
    known = coerce.TextCodes()
    kept, dropped = coerce.text(RAW, known), coerce.text(RAW.str.upper(), known)
    assert len(known) == 2
    known.retain([pd.DataFrame({"region": kept})])
    assert len(known) == 1
    assert known.get(kept) is not None and known.get(dropped) is None


def test_validation_hands_the_cloud_signature_codes_to_the_activities(tmp_path):
    folder = report_inventory(tmp_path / "inv")
    inventory, _ = validate(read_inventory(folder), load_library())
    cloud = inventory.sheet("cloud")
    assert len(cloud) > 0
    for column in SIGNATURE:
        found = inventory.text_codes.get(cloud[column])
        assert found is not None, column
        _same_as_pandas(cloud[column], inventory.text_codes)


def test_choice_and_map_text_columns():
    known = coerce.TextCodes()
    usage, bad, _ = coerce.choice(
        pd.Series(["Compute", "storage-ssd", "compute", "disk"]), ("compute", "storage_ssd"), known
    )
    assert list(bad) == [False, False, False, True]
    assert list(coerce.factorize(usage, known)[0]) == [0, 1, 0, -1]
    _same_as_pandas(usage, known)
    units = coerce.map_text(
        coerce.text(pd.Series(["kwh", "KWH", "GB", None]), known),
        lambda unit: "kWh" if unit.lower() == "kwh" else unit,
        known,
    )
    assert list(units.fillna("<NA>")) == ["kWh", "kWh", "GB", "<NA>"]
    assert list(coerce.factorize(units, known)[0]) == [0, 0, 1, -1]
    assert known.get(units) is not None
    _same_as_pandas(units, known)


def test_an_integer_beyond_any_float_is_flagged_not_raised():
    # a cell holding a 401-digit integer (found by the fuzz test): no OverflowError, the cell
    # is unreadable like ``1e999``, its neighbours are read
    values, bad, _ = coerce.number(pd.Series([10**400, -(10**400), 5], dtype=object))
    assert list(bad) == [True, True, False]
    assert values.isna().tolist() == [True, True, False] and values.iloc[2] == 5.0
