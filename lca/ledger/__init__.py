"""The ledger: one line per input row × lifecycle stage (× part), the spine of every report.

Every indicator of every line obeys one formula an auditor can re-perform::

    indicator = activity_amount × ef_<indicator> × allocation_share

with ``activity_amount`` in ``activity_unit`` (kWh, device, kg, USD, vcpu_h …), the factor
``ef_<indicator>`` per ``activity_unit`` and ``allocation_share`` (1 unless the line is a share
of something: amortization of a device over its lifetime, the part of a bill inside the
period). The other view of capital goods uses ``allocation_share_alternative``.

A factor that does not apply to a line (water of a spend-based purchase) is NaN, listed in
``not_assessed``; a line whose carbon cannot be computed never enters the ledger: it is an issue.
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

#: Column → meaning: text and identity columns first, then the numbers (one float block).
COLUMNS: dict[str, str] = {
    "line_id": "sheet:row:stage[:part], unique",
    "file": "input file of the row",
    "sheet": "input sheet of the row",
    "row": "spreadsheet row number of the input row (header = 1)",
    "activity": "equipment, energy, refrigerants, cloud, services, compute_jobs",
    "stage": "manufacturing, use, end_of_life, operation",
    "part": "blank, or 'upstream' (scope 3 cat 3 part of energy) / 'embodied'",
    "scope": "GHG Protocol scope 1, 2 or 3",
    "category": "scope 3 category (1–15), blank for scopes 1 and 2",
    "method": "supplier_specific, average_data, spend_based, measured, estimated",
    "counted": "True: in the totals; False: attribution ('of which') only",
    "fallback": "True when a less specific factor than asked for was used",
    "site_id": "site of the row, where there is one",
    "country": "ISO alpha-2 country of the electricity or site",
    "group": "breakdown key: equipment category, carrier, provider, spend category, gas",
    "item_id": "the row's own identifier where it has one (asset_id, job_id), for budgets",
    "label": "short human description of the line",
    "quantity_unit": "the unit of that quantity as given",
    "activity_unit": "unit of activity_amount",
    "factor_gwp": "factor id of ef_gwp",
    "factor_gwp_market": "factor id of ef_gwp_market",
    "factor_water": "factor id(s) of ef_water",
    "factor_adpe": "factor id of ef_adpe",
    "factor_other": "other factor ids used (PUE, coefficients, exchange rates …)",
    "currency": "currency of the spend as given",
    "not_assessed": "indicators without a factor for this line (';'-separated)",
    "formula": "the formula of the line, in words",
    "quantity": "the row's quantity as given",
    "activity_amount": "the activity the factors multiply, in activity_unit",
    "energy_it_kwh": "IT energy before PUE, kWh (use lines)",
    "pue": "power usage effectiveness applied",
    "allocation_share": "share of the activity allocated to the period (chosen view)",
    "allocation_share_alternative": "share under the other capital-goods view (cat 2 and 5)",
    "lifetime_days": "device lifetime in days (amortized lines)",
    "overlap_days": "days of the lifetime (or the bill) inside the period",
    "ef_gwp": "kgCO2e per activity_unit, location-based",
    "ef_gwp_market": "kgCO2e per activity_unit, market-based",
    "ef_energy": "kWh per activity_unit",
    "ef_water": "m³ per activity_unit",
    "ef_adpe": "kgSbeq per activity_unit",
    "spend": "spend as given",
    "fx_rate": "exchange rate applied (factor currency per spend currency)",
    "price_index_ratio": "price-year adjustment applied",
    "kgco2e": "location-based kgCO2e",
    "kgco2e_market": "market-based kgCO2e",
    "kgco2e_alternative": "kgCO2e under the other capital-goods view",
    "energy_kwh": "energy, kWh",
    "water_m3": "water consumed, m³",
    "adpe_kgsbeq": "abiotic resource depletion, kg Sb eq",
}

NUMERIC = ("quantity", "activity_amount", "energy_it_kwh", "pue", "allocation_share",
           "allocation_share_alternative", "lifetime_days", "overlap_days", "ef_gwp",
           "ef_gwp_market", "ef_energy", "ef_water", "ef_adpe", "spend", "fx_rate",
           "price_index_ratio", "kgco2e", "kgco2e_market", "kgco2e_alternative", "energy_kwh",
           "water_m3", "adpe_kgsbeq")
INDICATORS = {"kgco2e": "ef_gwp", "kgco2e_market": "ef_gwp_market", "energy_kwh": "ef_energy",
              "water_m3": "ef_water", "adpe_kgsbeq": "ef_adpe"}
FACTOR_ID_COLUMNS = ("factor_gwp", "factor_gwp_market", "factor_water", "factor_adpe",
                     "factor_other")


#: Threads that fill the ledger's columns (numpy releases the GIL while it copies and multiplies).
WORKERS = min(4, os.cpu_count() or 1)

TEXT = tuple(c for c in COLUMNS if c not in NUMERIC and c not in
             ("line_id", "row", "scope", "category", "counted", "fallback"))
_ASSESSED = (("energy_kwh", "ef_energy"), ("water_m3", "ef_water"), ("adpe_kgsbeq", "ef_adpe"))


class Lines(dict):
    """Ledger lines as a dict of columns (arrays, categoricals or scalars broadcast to
    ``length``): what an activity builds when a DataFrame's consolidation would cost more
    than the lines themselves (a million cloud rows). ``assemble`` takes it like a frame."""

    def __init__(self, length: int, columns: dict):
        super().__init__(columns)
        self.length = length

    @property
    def columns(self) -> list[str]:
        return list(self.keys())

    def __len__(self) -> int:  # the number of lines, as for a DataFrame
        return self.length


@dataclass(frozen=True)
class Spread:
    """A column of per-key values repeated for every line: ``values[codes]`` (× ``scale``).

    What an activity gives when its lines share a few distinct factor sets (a million cloud
    rows, a dozen signatures): ``assemble`` takes the values straight into the ledger, with no
    per-line intermediate. ``values`` are numbers (an array) or text (a categorical)."""

    values: np.ndarray | pd.Categorical
    codes: np.ndarray
    scale: np.ndarray | None = None

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
        return pd.Categorical.from_codes(self.values.codes[self.codes],
                                         categories=self.values.categories)


def materialize(lines: dict) -> dict:
    """Columns with every ``Spread`` taken per line (for code that wants a DataFrame)."""
    return {name: (value.text() if isinstance(value.values, pd.Categorical) else value.numbers())
            if isinstance(value, Spread) else value for name, value in lines.items()}


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
    elif isinstance(value, np.ndarray) and (value.dtype == out.dtype or (
            out.dtype == np.float64 and value.dtype.kind in "iuf")):
        out[:] = value  # numbers as they are: no intermediate copy
    elif out.dtype == bool:
        out[:] = np.asarray(pd.Series(value).fillna(False), dtype=bool)
    elif out.dtype == np.float64:
        out[:] = pd.to_numeric(pd.Series(value)).to_numpy(dtype="float64", na_value=np.nan)
    else:
        out[:] = np.asarray(value, dtype=out.dtype)


def not_assessed(block: dict[str, np.ndarray]) -> pd.Categorical:
    """Per line, the indicators without a factor (``;``-separated), as a categorical."""
    code = np.zeros(len(block["ef_gwp"]), dtype=np.int8)
    for bit, (_, factor) in enumerate(_ASSESSED):
        code |= (np.isnan(block[factor]).astype(np.int8) << bit)
    names = [";".join(name for bit, (name, _) in enumerate(_ASSESSED) if combo >> bit & 1)
             for combo in range(1 << len(_ASSESSED))]
    return pd.Categorical.from_codes(code, categories=pd.Index(names, dtype="str"))


#: Lines per job of ``apply_formula``: its temporaries stay small and in cache.
CHUNK = 1 << 16


def apply_formula(block: dict[str, np.ndarray], pool: ThreadPoolExecutor) -> None:
    """Every indicator = activity_amount × ef_<indicator> × allocation_share (NaN ef → NaN);
    the other capital-goods view uses allocation_share_alternative. Lines are taken in chunks
    of ``CHUNK``, each a job on ``pool``."""
    def chunk(start: int) -> None:
        part = slice(start, start + CHUNK)
        amount = block["activity_amount"][part] * block["allocation_share"][part]
        for indicator, factor in INDICATORS.items():
            np.multiply(amount, block[factor][part], out=block[indicator][part])
        np.multiply(block["activity_amount"][part] * block["ef_gwp"][part],
                    block["allocation_share_alternative"][part],
                    out=block["kgco2e_alternative"][part])

    list(pool.map(chunk, range(0, len(block["activity_amount"]), CHUNK)))


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
    for (categories, codes), n in zip(parts, lengths):
        position, first = places[first:first + len(categories)], first + len(categories)
        target = out[offset:offset + n]
        if isinstance(codes, Spread):
            np.take(position[codes.values], codes.codes, out=target, mode="clip")
        elif np.isscalar(codes):
            target.fill(position[codes])
        else:
            np.take(position, codes, out=target, mode="clip")
        offset += n
    categories = pd.Index(pd.array(union, dtype="str"))
    return pd.Categorical.from_codes(out, dtype=pd.CategoricalDtype(categories), validate=False)


def _line_ids(sheet: pd.Categorical, row: np.ndarray, stage: pd.Categorical,
              part: pd.Categorical) -> pd.Series:
    """``sheet:row:stage[:part]`` for every line: one prefix and suffix per distinct
    (sheet, stage, part), joined around the row numbers with Arrow kernels."""
    n_stage, n_part = len(stage.categories), len(part.categories)
    packed = (sheet.codes.astype(np.int64) * n_stage + stage.codes) * n_part + part.codes
    combo, combos = pd.factorize(packed)
    triples = [(int(c) // (n_stage * n_part), int(c) // n_part % n_stage, int(c) % n_part)
               for c in combos]
    prefixes = [f"{sheet.categories[s]}:" for s, _, _ in triples]
    suffixes = [f":{stage.categories[t]}" + (f":{part.categories[p]}" if part.categories[p]
                                              else "") for _, t, p in triples]
    codes = pa.array(combo.astype(np.int32))
    ids = pc.binary_join_element_wise(
        pa.DictionaryArray.from_arrays(codes, pa.array(prefixes)).cast(pa.string()),
        pc.cast(pa.array(row), pa.string()),
        pa.DictionaryArray.from_arrays(codes, pa.array(suffixes)).cast(pa.string()), "")
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


def assemble(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the lines of every activity into the ledger and apply the formula
    (every column of COLUMNS but ``line_id``, which ``with_line_ids`` derives).

    Lines keep the order of ``parts`` (activities in pipeline order, each in input-row order),
    so the ledger is deterministic for given inputs. Text columns are categoricals; the
    numbers are one float block filled in place (no per-column concatenation copies).
    """
    frames = [p for p in parts if len(p)]
    lengths = [len(p) for p in frames]
    total = sum(lengths)
    numbers = ledger_array((len(NUMERIC), total))
    block = dict(zip(NUMERIC, numbers))
    slices, offset = [], 0
    for frame, n in zip(frames, lengths):
        slices += [(frame[column] if column in frame.columns else None,
                    block[column][offset:offset + n]) for column in NUMERIC]
        offset += n
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:  # numpy releases the GIL
        list(pool.map(lambda job: _write(*job), slices))
        apply_formula(block, pool)
    columns: dict[str, object] = {}
    for column in COLUMNS:
        if column in NUMERIC or column == "line_id":
            continue
        present = [f[column] if column in f.columns else None for f in frames]
        if column in _FLAT:
            columns[column] = _joined(present, lengths, total, _FLAT[column])
        elif column == "not_assessed":
            columns[column] = not_assessed(block)
        else:
            columns[column] = _joined_text(present, lengths, total)
    text = pd.DataFrame(columns, copy=False)
    figures = pd.DataFrame(numbers.T, columns=list(NUMERIC), copy=False)
    return pd.concat([text, figures], axis=1)


#: Identity columns stored as plain arrays (``category`` as nullable integers).
_FLAT = {"row": "int64", "scope": "int64", "category": "Int64", "counted": "bool",
         "fallback": "bool"}


def _joined(present: list, lengths: list[int], total: int, dtype: str):
    """One flat column from the parts' values, each written into its slice of the result."""
    nullable = dtype == "Int64"
    out = ledger_array(total, "int64" if nullable else dtype)
    missing = np.zeros(total, dtype=bool) if nullable else None
    offset = 0
    for value, n in zip(present, lengths):
        if nullable:
            value = _integers(value, missing[offset:offset + n])
        _write(value, out[offset:offset + n])
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
    ids = _line_ids(lines["sheet"].array, lines["row"].to_numpy(), lines["stage"].array,
                    lines["part"].array) if len(lines) else pd.Series([], dtype="string")
    ids.index = lines.index
    return pd.concat([ids.rename("line_id"), lines], axis=1)


def factor_ids(ledger: pd.DataFrame) -> pd.Series:
    """The distinct factor ids of each line, as a sorted list (results.json ``factor_ids``).

    Computed once per distinct combination of the factor-id columns.
    """
    columns = list(FACTOR_ID_COLUMNS)
    combos = ledger[columns].astype(str)
    codes = combos.groupby(columns, sort=False, observed=True).ngroup().to_numpy()
    first = pd.Series(np.arange(len(ledger))).groupby(codes).first().sort_index().to_numpy()
    lists = [sorted({x for value in combos.iloc[i] for x in str(value).split(";") if x})
             for i in first]
    return pd.Series([lists[c] for c in codes], index=ledger.index)
