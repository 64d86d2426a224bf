"""``lca.distinct``: the code of each tuple of columns, in order of first appearance."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lca.distinct import KEY_LIMIT, combine, lookup, per_distinct


def first_appearance(columns: list[list[int]], n: int) -> list[int]:
    """The reference: number each row's tuple by the first row that has it."""
    seen: dict[tuple, int] = {}
    return [seen.setdefault(tuple(c[i] for c in columns), len(seen)) for i in range(n)]


# columns of small codes (many repeats) and of codes up to 2**40 (a few of them pass
# KEY_LIMIT together, so the keys are renumbered on the way)
columns = st.integers(0, 40).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.one_of(
                st.lists(st.integers(-1, 3), min_size=n, max_size=n),
                st.lists(st.integers(-1, 2**40), min_size=n, max_size=n),
            ),
            max_size=6,
        ),
    )
)


@settings(max_examples=300, deadline=None)
@given(columns)
def test_combine_numbers_tuples_by_first_appearance(case):
    n, cols = case
    got = combine((np.array(c, dtype=np.int64) for c in cols), n)
    assert got.dtype == np.int64
    assert got.tolist() == first_appearance(cols, n)


def test_wide_codes_are_renumbered_before_they_overflow():
    # codes 0 and 16 in the first column, up to 2**30 - 2 in the others: radices 17, 2**30 and
    # 2**30 (each code + 1), so 17 × 2**60 keys, past KEY_LIMIT. Packed without renumbering,
    # rows 0 and 1 would differ by 16 × 2**60 = 2**64 and wrap to one key: one tuple
    wide = 2**30 - 2
    cols = [np.array([0, 16, 5]), np.array([0, 0, wide]), np.array([0, 0, wide])]
    assert KEY_LIMIT < 17 * 2**60
    assert combine(cols, 3).tolist() == [0, 1, 2]
    rng = np.random.default_rng(7)  # and many tuples, each twice
    half = [rng.integers(0, 2**30, 2_500) for _ in range(3)]
    cols = [np.concatenate([c, c]) for c in half]
    got = combine(cols, 5_000)
    assert got.tolist() == first_appearance([c.tolist() for c in cols], 5_000)
    assert got.max() == 2_499


def test_keys_renumbered_mid_way_keep_every_code_in_the_bound():
    """After a renumbering, the bound counts every code (the largest + 1): two 2**40-wide
    columns pass KEY_LIMIT and are renumbered to one code, 0; a bound of 0 (one short) would
    never renumber again, and the two rows, which differ in the third column only, would be
    packed past int64 by the two 2**32-wide columns and wrap to one key."""
    wide = 2**32 - 2
    cols = [[2**40] * 2, [2**40] * 2, [0, 1], [wide] * 2, [wide] * 2]
    assert KEY_LIMIT < (2**40 + 2) ** 2
    got = combine((np.array(c, dtype=np.int64) for c in cols), 2)
    assert got.tolist() == first_appearance(cols, 2)  # two tuples: two codes
    assert got[0] != got[1]


def test_lookup_reads_a_missing_key_as_blank_and_compares_keys_as_text():
    """``lookup``: a missing cell (None, pd.NA) is looked up as "" (``table[""]``, not
    ``default``: the uncertainty of a line with no factor id is exact), a number as its text
    ("7"), and a key not in the table gives ``default``."""
    import pandas as pd

    table = {"": 1.0, "a": 2.0}
    got = lookup(pd.Series(["a", None, pd.NA, "b"], dtype=object), table)
    np.testing.assert_array_equal(got, [table["a"], table[""], table[""], np.nan])
    got = lookup(pd.Series([7, 8, 7]), {"7": 1.0})
    np.testing.assert_array_equal(got, [1.0, np.nan, 1.0])
    got = lookup(pd.Series(["x", None]), {"x": True}, default=False)
    assert got.tolist() == [True, False]  # no "" in the table: a missing cell gets default


texts = st.one_of(st.none(), st.sampled_from(["", "a", "b", "BoxUsage:m5.large", "é"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(texts, texts, st.floats(allow_nan=True)), max_size=30))
def test_a_rule_per_distinct_row_is_the_rule_of_every_row(rows):
    """``per_distinct``: a row-wise rule computed once per distinct key gives the frame the
    rule gives on every row (values, dtypes, index), NA keys included."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["unit", "usage", "amount"], dtype=object)
    frame = frame.astype({"unit": "string", "usage": object, "amount": "float64"})
    frame.index = pd.RangeIndex(len(frame)) * 3 + 7  # not positions

    def rule(keys: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "label": keys["unit"].fillna("?") + "/" + keys["usage"].fillna("-").astype(str),
                "hours": keys["unit"].eq("a").fillna(False).astype(float) * 24.0,
            },
            index=keys.index,
        )

    got = per_distinct(frame, ["unit", "usage"], rule)
    pd.testing.assert_frame_equal(got, rule(frame[["unit", "usage"]]))
