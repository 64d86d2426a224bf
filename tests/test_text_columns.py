"""results.json's lines and ledger.csv, written column by column (``text_columns``,
``csv_fast``), are the very bytes of the reference writers on hostile values: ``json.dumps``
of each line as a dict, and pandas' ``to_csv``."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lca.csv_injection import neutralize_formulas
from lca.ledger import FACTOR_ID_COLUMNS, INDICATORS
from lca.report import csv_fast, results, text_columns
from lca.report.results import FIGURES, RANGED, lines_bytes, write_ledger_csv

HOSTILE = [
    "plain",
    'say "hi"',
    "a,b",
    "line\nbreak",
    "cr\rhere",
    "crlf\r\n",
    "tab\there",
    "=1+1",
    "+cmd",
    "-5",
    "@SUM(A1)",
    "\uff1dfull-width",
    "back\\slash",
    "bell\x07 \x1f \x7f",
    "é ü 漢字 😀 \u2028 \xa0",
    "",
    " ",
    "'quoted'",
    # each the only control character of its text (one among others is escaped anyway)
    "unit\x1fsep",
    "esc\x1b[0m",
    "nul\x00end",
    "fs\x1c",
    "\x85next line",
    "trailing ",
]
#: Floats a writer gets wrong first: signs of zero, extremes, shortest repr vs %.17g.
FLOATS = [
    0.0,
    -0.0,
    0.1 + 0.2,
    1e16,
    1e-5,
    123456789.125,
    1.7976931348623157e308,
    5e-324,
    -2.5e-310,
    1.0,
    np.nan,
    3.0,
]
N = len(HOSTILE) * 2


def texts(n: int, shift: int = 0) -> list[str]:
    return [HOSTILE[(i + shift) % len(HOSTILE)] for i in range(n)]


def floats(n: int, shift: int = 0) -> np.ndarray:
    return np.array([FLOATS[(i * 7 + shift) % len(FLOATS)] for i in range(n)])


def frame() -> pd.DataFrame:
    """Every column type ``csv_fast`` writes, with blanks and hostile text."""
    blanks = [None if i % 5 == 4 else t for i, t in enumerate(texts(N))]
    return pd.DataFrame(
        {
            "object text": pd.Series(blanks, dtype=object),
            "with NaN": pd.Series([np.nan if v is None else v for v in blanks], dtype=object),
            "string[pyarrow]": pd.Series(texts(N, 3), dtype="string[pyarrow]"),
            "string[python]": pd.Series(blanks, dtype="string[python]"),
            "str": pd.Series(texts(N, 5), dtype="str"),
            "category": pd.Categorical(texts(N, 7)),
            "category with NaN": pd.Categorical(blanks),
            # no "" among the categories: the first category's code (0) is written as its text
            "category, no empty text": pd.Categorical(["electricity", "gas", None] * (N // 3)),
            "float64": floats(N),
            "float32": np.array([0.1, -0.0, np.nan, 3.4e38, 1e-45, 16777217.0] * (N // 6), "f4"),
            "int64": np.array([0, -1, 2**63 - 1, -(2**63)] * (N // 4)),
            "uint64": np.array([2**64 - 1, 0] * (N // 2), dtype="uint64"),
            "int8": np.array([-128, 127] * (N // 2), dtype="int8"),
            "Int64": pd.array([1, None, -3, 2**62] * (N // 4), dtype="Int64"),
            "bool": np.array([True, False, False] * (N // 3) + [True] * (N % 3)),
            "boolean": pd.array([True, None, False] * (N // 3) + [None] * (N % 3), "boolean"),
            'a,"name"\nacross lines': 1.5,
            "=formula name": "x",
        }
    )


def pandas_csv(data: pd.DataFrame, tmp_path) -> bytes:
    path = tmp_path / "pandas.csv"
    safe = neutralize_formulas(data)[0]
    safe.to_csv(path, index=False, lineterminator="\n", float_format="%.17g")
    return path.read_bytes()


@pytest.mark.parametrize("block", [text_columns.BLOCK, 3])
def test_ledger_csv_is_pandas_bytes_on_hostile_values(tmp_path, monkeypatch, block):
    monkeypatch.setattr(csv_fast, "BLOCK", block)
    for data in (frame(), frame().iloc[:0]):
        assert csv_fast.supported(neutralize_formulas(data)[0])  # the fast path is tested
        written = write_ledger_csv(SimpleNamespace(ledger=data), tmp_path).read_bytes()
        assert written == pandas_csv(data, tmp_path)
    written = write_ledger_csv(SimpleNamespace(ledger=frame()), tmp_path).read_bytes()
    assert b'"say ""hi"""' in written and b"'=1+1" in written and b",-0," in written


def test_ledger_csv_other_types_are_written_by_pandas(tmp_path):
    for data in (
        frame()[["string[python]"]],  # one column: a blank row is written ""
        frame().assign(when=pd.Timestamp("2025-01-01")),
        frame().assign(mixed=pd.Series([1, "a"] * (N // 2), dtype=object)),
        frame().assign(Float64=pd.array([0.1, None] * (N // 2), dtype="Float64")),
        frame().assign(numbers=pd.Categorical([1.5, 2.5] * (N // 2))),
        frame().assign(raw=pd.Series([b"x", "a"] * (N // 2), dtype=object)),  # bytes
    ):
        assert not csv_fast.supported(neutralize_formulas(data)[0])
        written = write_ledger_csv(SimpleNamespace(ledger=data), tmp_path).read_bytes()
        assert written == pandas_csv(data, tmp_path)


def test_csv_quotes_what_the_csv_module_quotes():
    assert {",", '"', "\n"} <= set(csv_fast.QUOTED)
    assert not {"'", " ", "=", "\t"} & set(csv_fast.QUOTED)


def ledger() -> pd.DataFrame:
    """A ledger with hostile text in every text field, odd floats in every figure, blanks,
    NaN scores, ranged lines, lines without an interval and lines without a factor."""
    n = N
    ids = [";".join(t for t in (f"id:{i % 3}", HOSTILE[i % 4]) if t) for i in range(n)]
    line = {
        "line_id": pd.Series([f"{t}:{i}" for i, t in enumerate(texts(n))], dtype="string"),
        "file": pd.Categorical(texts(n, 1)),
        "sheet": pd.Series(texts(n, 2), dtype=object),
        "row": np.arange(2, n + 2),
        "stage": pd.Series(texts(n, 3), dtype="str"),
        "part": pd.Categorical(texts(n, 4)),
        "scope": np.array([1, 2, 3] * (n // 3) + [3] * (n % 3)),
        "category": pd.array([None if i % 4 == 0 else i % 15 + 1 for i in range(n)], "Int64"),
        "method": pd.Categorical(texts(n, 5)),
        "counted": np.arange(n) % 3 != 0,
        "not_assessed": pd.Categorical(["", "water_m3", "water_m3;adpe_kgsbeq"] * (n // 3)),
        "basis": pd.Categorical(texts(n, 6)),
        "gwp_set": pd.Series(texts(n, 8), dtype="string"),
        "activity_amount_low": np.where(np.arange(n) % 4 == 1, 2.0, np.nan),
        "activity_amount_high": np.where(np.arange(n) % 4 == 1, 5.5, np.nan),
        "allocation_share": np.array([1.0, 0.25, 1 / 3] * (n // 3) + [1.0] * (n % 3)),
        "kgco2e_p2_5": np.where(np.arange(n) % 3 == 0, np.nan, floats(n, 4)),
        "kgco2e_p97_5": floats(n, 5),
        "primary_data": np.arange(n) % 2 == 0,
    }
    for offset, name in enumerate(FIGURES):
        line[name] = floats(n, offset)
    factors = np.array([0.1 + 0.2, -0.0, 1e-300, 2.5, 1e10] * (n // 5) + [7.0] * (n % 5))
    for offset, factor in enumerate(INDICATORS.values()):
        line[factor] = np.where(np.arange(n) % 5 == offset, np.nan, np.roll(factors, offset))
    for offset, column in enumerate(FACTOR_ID_COLUMNS):
        rotated = ids[offset:] + ids[:offset]
        line[column] = pd.Categorical(["" if i % 6 == 5 else x for i, x in enumerate(rotated)])
    for offset, name in enumerate(("technological", "temporal", "geographical")):
        line[f"dqi_{name}"] = np.where(np.arange(n) % 7 == offset, np.nan, 1.0 + offset)
    line["dqi_completeness"], line["dqi_reliability"] = 4.0, 5.0
    frame = pd.DataFrame(line)
    finite = np.isfinite(frame["kgco2e_p97_5"])
    frame.loc[~finite, "kgco2e_p2_5"] = np.nan  # json.dumps refuses a NaN bound
    return frame


def expected_lines(ledger: pd.DataFrame) -> list[dict]:
    """Each line as a dict, straight from the contract (results.json ``lines``)."""
    out = []
    for _, r in ledger.iterrows():
        line = {
            "line_id": r["line_id"],
            "source": {"file": r["file"], "sheet": r["sheet"], "row": int(r["row"])},
            "scope": int(r["scope"]),
            "category": None if pd.isna(r["category"]) else int(r["category"]),
            "stage": r["stage"],
            "method": r["method"],
            "counted": bool(r["counted"]),
            **{name: 0.0 if math.isnan(r[name]) else float(r[name]) for name in FIGURES},
            "factor_ids": sorted({x for c in FACTOR_ID_COLUMNS for x in r[c].split(";") if x}),
        }
        line |= {key: r[key] for key in ("part", "basis", "gwp_set") if r[key]}
        if r["not_assessed"]:
            line["not_assessed"] = r["not_assessed"].split(";")
        share = r["allocation_share"]
        bounds = {
            name: [r[f"activity_amount_{end}"] * r[factor] * share for end in ("low", "high")]
            for name, factor in INDICATORS.items()
            if name in RANGED and not math.isnan(r[factor])
        }
        if not math.isnan(r["activity_amount_low"]) and bounds:
            line["range"] = bounds
        scores = {c: r[f"dqi_{c}"] for c in results.DQI}
        if not any(math.isnan(v) for v in scores.values()):
            line["dqi"] = {c: int(v) for c, v in scores.items()}
        line["primary_data"] = bool(r["primary_data"])
        if not math.isnan(r["kgco2e_p2_5"]):
            line["interval"] = {"kgco2e": [r["kgco2e_p2_5"], r["kgco2e_p97_5"]]}
        out.append(line)
    return out


def test_lines_are_what_json_writes_on_hostile_values():
    data = ledger()
    reference = json.dumps(expected_lines(data), indent=1, ensure_ascii=False, allow_nan=False)
    written = b"".join(lines_bytes(data)).decode("utf-8")
    assert written == reference.replace("\n", "\n ")
    assert b"".join(lines_bytes(data, block=4)).decode("utf-8") == written
    assert '"kgco2e": -0.0' in written and "5e-324" in written and '"category": null' in written


@pytest.mark.parametrize(
    "column, values",
    [
        ("kgco2e", [math.inf]),
        ("kgco2e", [-math.inf]),
        ("kgco2e_p97_5", [math.inf]),  # an interval's bound
        ("kgco2e_p97_5", [np.nan]),  # where the low bound is not NaN
        ("file", pd.Series([np.nan] * N, dtype=object)),
        ("sheet", pd.Series([None, np.nan, *texts(N - 2)], dtype=object)),  # NaN after None
        ("stage", pd.Series([None, *texts(N - 1)], dtype="str")),  # a blank in Arrow's text
    ],
)
def test_lines_refuse_what_json_refuses(column, values):
    data = ledger()
    if len(values) == 1:
        data.loc[1, column] = values[0]  # line 1 has an interval
    else:
        data[column] = values
    with pytest.raises(ValueError):
        json.dumps(expected_lines(data), allow_nan=False)
    with pytest.raises(ValueError):
        b"".join(lines_bytes(data))


def test_no_lines_are_an_empty_list():
    assert results.lines_json(ledger().iloc[:0]) == []
