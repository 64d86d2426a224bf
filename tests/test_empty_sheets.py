"""An absent sheet reads as an empty frame with the dtypes its columns have when present."""

import pandas as pd
import pandas.testing as pdt
import pytest

from lca.spec import FILE, ROW, SHEETS
from lca.validate import blank_column, empty_sheet


@pytest.mark.parametrize("name", sorted(SHEETS))
def test_empty_sheet_has_the_columns_and_dtypes_of_blank_ones(name):
    spec = SHEETS[name]
    index = pd.RangeIndex(0)
    expected = pd.DataFrame(
        {
            **{c.name: blank_column(c, index) for c in spec.columns},
            ROW: pd.Series(dtype="int64"),
            FILE: pd.Series(dtype="string"),
        }
    )
    pdt.assert_frame_equal(empty_sheet(spec), expected)
