"""The ledger's assembler: activities' parts → one columnar ledger, fast.

The contract (columns, formula) is ``lca.ledger.contract``; this module only makes it fast for
a million lines: one float block filled in place by threads, text as categoricals matched with
Arrow, per-signature ``Spread`` columns taken straight into their slices, and arrays in ordinary
pages. Nothing here decides a number.
"""

from __future__ import annotations

import mmap
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lca.coerce import arrow_data
from lca.ledger.contract import ASSESSED, COLUMNS, FLAT, NUMERIC, apply_formula

#: Threads that fill the ledger's columns (numpy releases the GIL while it copies and multiplies).
WORKERS = min(4, os.cpu_count() or 1)
#: Lines per job of the formula: its temporaries stay small and in cache.
CHUNK = 1 << 16


@dataclass(frozen=True)
class LedgerPart:
    """An activity's lines for ``assemble``: ``length`` lines, ``columns`` a dict of ledger
    column → per-line values (array, Series or categorical of ``length``), a ``Spread``, or a
    scalar broadcast to every line. A column absent from a part is missing there (NaN numbers,
    blank text). A DataFrame is taken as the part of its columns (``LedgerPart.of``)."""

    length: int
    columns: dict

    def __post_init__(self) -> None:
        for name, value in self.columns.items():
            if not (value is None or np.isscalar(value)) and len(value) != self.length:
                raise ValueError(
                    f"ledger column {name!r} has {len(value)} values for {self.length} lines"
                )

    @classmethod
    def of(cls, part: LedgerPart | pd.DataFrame) -> LedgerPart:
        if isinstance(part, LedgerPart):
            return part
        return cls(len(part), {name: part[name] for name in part.columns})


@dataclass(frozen=True)
class Spread:
    """A column of per-key values repeated for every line: ``values[codes]`` (× ``scale``).

    What an activity gives when its lines share a few distinct factor sets (a million cloud
    rows, a dozen signatures): ``assemble`` takes the values straight into the ledger, with no
    per-line intermediate. ``values`` are numbers (an array) or text (a categorical)."""

    values: np.ndarray | pd.Categorical
    codes: np.ndarray
    scale: np.ndarray | None = None

    def __post_init__(self) -> None:
        # ``numbers`` and ``text`` take with mode="clip" (no bounds-check buffer on ``out``), which
        # would silently turn a code of -1 into the first value: codes must point into values.
        if len(self.codes) and (self.codes.min() < 0 or self.codes.max() >= len(self.values)):
            raise ValueError(f"Spread codes outside 0..{len(self.values) - 1}")
        if self.scale is not None and len(self.scale) != len(self.codes):
            raise ValueError("a Spread's scale has one value per line")

    def __len__(self) -> int:
        return len(self.codes)

    def scaled(self, scale: np.ndarray) -> Spread:
        """The same values, each multiplied by the line's ``scale``."""
        return replace(self, scale=scale)

    def numbers(self, out: np.ndarray | None = None) -> np.ndarray:
        """The line values as floats, written into ``out`` when given."""
        out = np.take(np.asarray(self.values, dtype="float64"), self.codes, mode="clip", out=out)
        if self.scale is not None:
            np.multiply(out, self.scale, out=out)
        return out

    def text(self) -> pd.Categorical:
        """The line values as a categorical over the distinct values."""
        values = self.values
        assert isinstance(values, pd.Categorical), "text() is for a Spread of text"
        return pd.Categorical.from_codes(values.codes[self.codes], categories=values.categories)


def materialize(columns: dict) -> dict:
    """Columns with every ``Spread`` taken per line (for code that wants a DataFrame)."""
    return {
        name: (value.text() if isinstance(value.values, pd.Categorical) else value.numbers())
        if isinstance(value, Spread)
        else value
        for name, value in columns.items()
    }


#: What a column no part gives holds, by dtype: numbers are NaN, never 0.
_MISSING = {"float64": np.nan, "int64": 0, "bool": False}


def _write(value, out: np.ndarray) -> None:
    """Write one part's column into its slice ``out`` of a ledger column: a ``Spread``, a scalar
    broadcast, None (missing), or per-line values converted to ``out``'s dtype."""
    if isinstance(value, Spread):
        value.numbers(out=out)
    elif value is None:
        out.fill(_MISSING[out.dtype.name])
    elif np.isscalar(value):
        out.fill(value)
    elif isinstance(value, np.ndarray) and (
        value.dtype == out.dtype or (out.dtype == np.float64 and value.dtype.kind in "iuf")
    ):
        out[:] = value  # numbers as they are: no intermediate copy
    elif out.dtype == bool:
        out[:] = np.asarray(pd.Series(value).fillna(False), dtype=bool)
    elif out.dtype == np.float64:
        out[:] = pd.to_numeric(pd.Series(value)).to_numpy(dtype="float64", na_value=np.nan)
    else:
        out[:] = np.asarray(value, dtype=out.dtype)


def not_assessed(block: dict[str, np.ndarray]) -> pd.Categorical:
    """Per line, the indicators without a factor (``;``-separated), as a categorical."""
    # one bit per indicator of ASSESSED, set where its factor is NaN: the 2**3 combinations
    # are the categories, so a million lines cost three vectorised passes and no strings
    code = np.zeros(len(block["ef_gwp"]), dtype=np.int8)
    for bit, (_, factor) in enumerate(ASSESSED):
        code |= np.isnan(block[factor]).astype(np.int8) << bit
    names = [
        ";".join(name for bit, (name, _) in enumerate(ASSESSED) if combo >> bit & 1)
        for combo in range(1 << len(ASSESSED))
    ]
    return pd.Categorical.from_codes(code, categories=pd.Index(names, dtype="str"))


def _text_part(values) -> tuple[pa.Array, object]:
    """One part's text column as ``(categories, codes)``, blanks as ``""``: ``codes`` are per
    line (an array), a ``Spread`` over ``categories``, or the one category's 0 — so a column
    of a few distinct values over a million lines is never touched line by line here."""
    if values is None or np.isscalar(values):
        return pa.array(["" if values is None else str(values)], pa.string()), 0
    if isinstance(values, Spread):
        categories, small = _text_part(values.values)
        return categories, replace(values, values=small)
    if isinstance(values, pd.Series):
        values = values.array
    if isinstance(values, pd.Categorical):
        codes, uniques = values.codes, values.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    categories = _arrow_text(uniques)
    if (codes < 0).any():
        blank = pc.index(categories, "").as_py()
        if blank < 0:
            blank = len(categories)
            categories = pa.concat_arrays([categories, pa.array([""], pa.string())])
        codes = np.where(codes < 0, blank, codes)
    return categories, codes


def _arrow_text(uniques) -> pa.Array:
    """Distinct values as Arrow strings: Arrow-backed text as it is, anything else by ``str``."""
    data = arrow_data(uniques)
    if data is not None:
        return data.combine_chunks().cast(pa.string())
    return pa.array(list(pd.Index(uniques).astype(object).astype(str)), pa.string())


def _joined_text(present: list, lengths: list[int], total: int) -> pd.Categorical:
    """One text column over every part: a categorical whose categories are the parts' in
    order of first appearance, each part's codes written into its slice of the result
    (distinct values matched by Arrow's hash kernels: a hundred thousand asset ids cost
    milliseconds, not Python string comparisons)."""
    parts = [_text_part(value) for value in present]
    if not parts:
        return pd.Categorical([])
    # every part's categories, one after the other, encoded at once: the dictionary is the
    # union in order of first appearance, the indices each category's place in it
    encoded = pa.concat_arrays([categories for categories, _ in parts]).dictionary_encode()
    union = encoded.dictionary
    out = ledger_array(total, np.min_scalar_type(-max(len(union), 1)))
    places = encoded.indices.to_numpy().astype(out.dtype)
    offset, first = 0, 0
    for (categories, codes), n in zip(parts, lengths, strict=True):
        position, first = places[first : first + len(categories)], first + len(categories)
        target = out[offset : offset + n]
        if isinstance(codes, Spread):
            np.take(position[np.asarray(codes.values)], codes.codes, out=target, mode="clip")
        elif np.isscalar(codes):
            target.fill(position[codes])
        else:
            np.take(position, np.asarray(codes), out=target, mode="clip")
        offset += n
    categories = pd.Index(pd.array(union, dtype="str"))
    return pd.Categorical.from_codes(out, dtype=pd.CategoricalDtype(categories), validate=False)


def _line_ids(
    sheet: pd.Categorical, row: np.ndarray, stage: pd.Categorical, part: pd.Categorical
) -> pd.Series:
    """``sheet:row:stage[:part]`` for every line: one prefix and suffix per distinct
    (sheet, stage, part), joined around the row numbers with Arrow kernels."""
    # (sheet, stage, part) codes packed into one integer (mixed radix: sheet, then stage, then
    # part digits), so the distinct triples are found by one factorize of int64s
    n_stage, n_part = len(stage.categories), len(part.categories)
    packed = (sheet.codes.astype(np.int64) * n_stage + stage.codes) * n_part + part.codes
    combo, combos = pd.factorize(packed)
    triples = [
        (int(c) // (n_stage * n_part), int(c) // n_part % n_stage, int(c) % n_part) for c in combos
    ]
    prefixes = [f"{sheet.categories[s]}:" for s, _, _ in triples]
    suffixes = [
        f":{stage.categories[t]}" + (f":{part.categories[p]}" if part.categories[p] else "")
        for _, t, p in triples
    ]
    codes = pa.array(combo.astype(np.int32))
    ids = pc.binary_join_element_wise(
        pa.DictionaryArray.from_arrays(codes, pa.array(prefixes)).cast(pa.string()),
        pc.cast(pa.array(row), pa.string()),
        pa.DictionaryArray.from_arrays(codes, pa.array(suffixes)).cast(pa.string()),
        "",
    )
    return pd.Series(pd.array(ids, dtype="string"))


def ledger_array(shape: int | tuple[int, ...], dtype: str | np.dtype = "float64") -> np.ndarray:
    """An uninitialised array for the ledger, in ordinary (4 KiB) pages.

    The ledger's columns are written once, in sequence, then read a few times: transparent
    huge pages (which numpy asks Linux for on arrays of 4 MiB and more) bring no speed here
    but, on virtual machines, first-touch stalls of up to 3 ms per 2 MiB page — measured
    0.07 s to 0.4 s for the 264 MB float block of a million cloud rows, against a steady
    0.06 s in small pages (the latency spikes for which Redis and MongoDB advise against
    them). Small arrays, and systems without ``MADV_NOHUGEPAGE``, get ``np.empty``."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape)) * dtype.itemsize
    if size < 4 << 20 or not hasattr(mmap, "MADV_NOHUGEPAGE"):
        return np.empty(shape, dtype=dtype)
    memory = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    memory.madvise(mmap.MADV_NOHUGEPAGE)
    return np.frombuffer(memory, dtype=dtype).reshape(shape)


def assemble(parts: list[LedgerPart | pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the lines of every activity into the ledger and apply the formula
    (every column of COLUMNS but ``line_id``, which ``with_line_ids`` derives).

    Lines keep the order of ``parts`` (activities in pipeline order, each in input-row order),
    so the ledger is deterministic for given inputs. Text columns are categoricals; the
    numbers are one float block filled in place (no per-column concatenation copies).
    """
    frames = [p for p in map(LedgerPart.of, parts) if p.length]
    lengths = [p.length for p in frames]
    total = sum(lengths)
    numbers = ledger_array((len(NUMERIC), total))
    block = dict(zip(NUMERIC, numbers, strict=True))
    slices, offset = [], 0
    for frame, n in zip(frames, lengths, strict=True):
        slices += [
            (frame.columns.get(column), block[column][offset : offset + n]) for column in NUMERIC
        ]
        offset += n
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:  # numpy releases the GIL
        list(pool.map(lambda job: _write(*job), slices))
        # the formula in chunks of CHUNK lines, each a job: temporaries stay small and in cache
        list(
            pool.map(
                lambda start: apply_formula(block, slice(start, start + CHUNK)),
                range(0, total, CHUNK),
            )
        )
    columns: dict[str, object] = {}
    for column in COLUMNS:
        if column in NUMERIC or column == "line_id":
            continue
        present = [f.columns.get(column) for f in frames]
        if column in FLAT:
            columns[column] = _joined(present, lengths, total, FLAT[column])
        elif column == "not_assessed":
            columns[column] = not_assessed(block)
        else:
            columns[column] = _joined_text(present, lengths, total)
    text = pd.DataFrame(columns, copy=False)
    figures = pd.DataFrame(numbers.T, columns=list(NUMERIC), copy=False)
    return pd.concat([text, figures], axis=1)


def _joined(present: list, lengths: list[int], total: int, dtype: str):
    """One flat column from the parts' values, each written into its slice of the result."""
    nullable = dtype == "Int64"
    out = ledger_array(total, "int64" if nullable else dtype)
    missing = np.zeros(total if nullable else 0, dtype=bool)  # blanks (nullable only)
    offset = 0
    for value, n in zip(present, lengths, strict=True):
        if nullable:
            value = _integers(value, missing[offset : offset + n])
        _write(value, out[offset : offset + n])
        offset += n
    return pd.arrays.IntegerArray(out, missing) if nullable else out


def _integers(value, missing: np.ndarray):
    """A part's nullable integers as plain ones (0 where blank), marking blanks in ``missing``."""
    if value is None or (np.isscalar(value) and pd.isna(value)):
        missing.fill(True)
        return 0
    if np.isscalar(value):
        return value
    floats = pd.to_numeric(pd.Series(value)).to_numpy(dtype="float64", na_value=np.nan)
    np.isnan(floats, out=missing)
    return np.where(missing, 0, floats)


def with_line_ids(lines: pd.DataFrame) -> pd.DataFrame:
    """The ledger with ``line_id`` (``sheet:row:stage[:part]``) as its first column."""
    if "line_id" in lines.columns:
        return lines
    ids = (
        _line_ids(
            lines["sheet"].array, lines["row"].to_numpy(), lines["stage"].array, lines["part"].array
        )
        if len(lines)
        else pd.Series([], dtype="string")
    )
    ids.index = lines.index
    return pd.concat([ids.rename("line_id"), lines], axis=1)
