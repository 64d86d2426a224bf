"""ledger.csv's figures are written as ``%.17g`` text once per distinct value: the same bytes
as pandas' ``float_format="%.17g"``, with −0, NaN and the CSV-injection escaping kept."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from lca.csv_injection import neutralize_formulas
from lca.report.results import write_ledger_csv


def test_ledger_csv_figures_and_escaping(tmp_path):
    ledger = pd.DataFrame(
        {
            "line_id": ["a", "=1+1", "c", "d"],
            "kg_co2e": [0.1, -0.0, np.nan, 0.1 + 0.2],
            "share": np.array([1.5, 1.5, 2.0, 0.0], dtype="float32"),
            "scope": [1, 2, 3, 3],
        }
    )
    path = write_ledger_csv(SimpleNamespace(ledger=ledger), tmp_path)
    assert path.read_text(encoding="utf-8") == (
        "line_id,kg_co2e,share,scope\n"
        "a,0.10000000000000001,1.5,1\n"  # %.17g of 0.1
        "'=1+1,-0,1.5,2\n"  # a formula escaped; −0 stays −0
        "c,,2,3\n"  # NaN is blank
        "d,0.30000000000000004,0,3\n"  # 0.1 + 0.2 in binary
    )
    pandas_way = tmp_path / "pandas.csv"
    neutralize_formulas(ledger)[0].to_csv(
        pandas_way, index=False, lineterminator="\n", float_format="%.17g"
    )
    assert path.read_bytes() == pandas_way.read_bytes()


def test_formula_cells_are_found_in_every_kind_of_text_column():
    risky = ["=1", "+1", "-1", "@x", "\tx", "\rx", "\uff1d1", "\uff0b1", "\uff0d1", "\uff20x"]
    cells = [*risky, "x=1", " =1", "", "'=1", "1", "\u2212" + "1"]
    expected = ["'" + c for c in risky] + cells[len(risky) :]
    for dtype in ("string[pyarrow]", "string[python]", "str", object, "category"):
        safe, count = neutralize_formulas(pd.DataFrame({"text": pd.Series(cells, dtype=dtype)}))
        assert list(safe["text"].astype(object)) == expected
        assert count == len(risky)
