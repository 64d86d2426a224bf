"""Render stage — ``results.json`` (contract ``lca.results/1``) and the ledger CSV.

Deterministic: keys sorted where the contract does not fix an order, lines in ledger order,
floats written by ``json`` (shortest round-trip repr), no timestamps.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from lca import __version__
from lca.aggregate.data_quality import COLUMNS as DQI_COLUMNS
from lca.aggregate.result import RunResult
from lca.csv_injection import neutralize_formulas
from lca.ledger import INDICATORS, factor_ids, indicator_bounds
from lca.methods import method_block
from lca.report import ai

SCHEMA = "lca.results/1"
#: What json.dumps(ensure_ascii=False) writes for a str (its C function).
_ENCODE = json.encoder.encode_basestring
#: Separators of ``lines_text`` at the depth the ``lines`` array puts a line (indent 1: a
#: line at 2 spaces, its keys at 3, the members of its lists and of ``source`` at 4).
_FIELD = ",\n   "
_NESTED = "\n   "
_LINE = ",\n  "
NEWLINE = "\n"


def _scalar(value) -> str:
    """A JSON scalar as ``json_text`` writes it (NaN and infinity refused)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _texts(column: pd.Series) -> np.ndarray:
    """The JSON text of each value of a column of strings (None → null), each distinct value
    encoded once."""
    codes, distinct = pd.factorize(column)
    encoded = [_ENCODE(v) if isinstance(v, str) else _scalar(v) for v in distinct]
    out = np.array([*encoded, ""], dtype=object)[codes]  # code -1: a missing value
    for position in np.flatnonzero(codes < 0):  # None is null, NaN is refused as json does
        out[position] = _scalar(column.iat[position])
    return out


def _numbers(column: pd.Series) -> list[str]:
    """A figure of every line (NaN → 0.0: a not-assessed indicator, listed in
    ``not_assessed``), as ``json_text`` writes floats."""
    values = column.to_numpy(dtype=float, na_value=np.nan)
    values = np.where(np.isnan(values), 0.0, values)
    if not np.isfinite(values).all():
        raise ValueError("Out of range float values are not JSON compliant")
    return [float.__repr__(v) for v in values.tolist()]


def _list(items: list[str]) -> str:
    """A list of strings as a line's field (items at 4 spaces)."""
    if not items:
        return "[]"
    return "[\n    " + ",\n    ".join(_ENCODE(x) for x in items) + _NESTED + "]"


def lines_text(ledger: pd.DataFrame, block: int = 65_536) -> Iterator[str]:
    """The ``lines`` array of results.json, as ``json_text`` writes it inside the document,
    in blocks of ``block`` lines: one object per ledger line. Columns are turned into text
    whole, each distinct string once, instead of one dict per line through the pure-Python
    encoder (``json`` has no C path with an indent)."""
    n = len(ledger)
    if n == 0:
        yield "[]"
        return
    line_id, file, sheet, stage, method = (
        _texts(ledger[c]) for c in ("line_id", "file", "sheet", "stage", "method")
    )
    row, scope = ([str(int(v)) for v in ledger[c].tolist()] for c in ("row", "scope"))
    category = [
        "null" if missing else str(int(v))
        for v, missing in zip(
            ledger["category"].tolist(), ledger["category"].isna().to_numpy(), strict=True
        )
    ]
    counted = ["true" if v else "false" for v in ledger["counted"].tolist()]
    figures = [
        _numbers(ledger[c])
        for c in ("kgco2e", "kgco2e_market", "energy_kwh", "water_m3", "adpe_kgsbeq")
    ]
    lists: dict = {}  # one list text per distinct factor_ids combination or not_assessed text
    ids = [
        lists.get(id(x)) or lists.setdefault(id(x), _list(x)) for x in factor_ids(ledger).tolist()
    ]
    part, basis, not_assessed, gwp_set = (
        ledger[c].tolist() for c in ("part", "basis", "not_assessed", "gwp_set")
    )
    ranges = line_ranges(ledger)
    quality = line_quality(ledger)
    texts: dict = {}
    pieces = ["[\n  "]
    for i in range(n):
        extra = ""
        if part[i]:
            extra += f'{_FIELD}"part": {texts.get(part[i]) or _cache(texts, part[i])}'
        if basis[i]:
            extra += f'{_FIELD}"basis": {texts.get(basis[i]) or _cache(texts, basis[i])}'
        if gwp_set[i]:
            extra += f'{_FIELD}"gwp_set": {texts.get(gwp_set[i]) or _cache(texts, gwp_set[i])}'
        if not_assessed[i]:
            names = not_assessed[i]
            extra += f'{_FIELD}"not_assessed": {lists.get(names) or _cache_list(lists, names)}'
        if ranges[i]:
            bounds = json.dumps(ranges[i], indent=1, ensure_ascii=False, allow_nan=False)
            extra += f'{_FIELD}"range": {bounds.replace(NEWLINE, _NESTED)}'
        if quality[i]:
            extra += quality[i]
        pieces.append(
            f'{_LINE if i else ""}{{{_NESTED}"line_id": {line_id[i]}'
            f'{_FIELD}"source": {{\n    "file": {file[i]},\n    "sheet": {sheet[i]},'
            f'\n    "row": {row[i]}{_NESTED}}}'
            f'{_FIELD}"scope": {scope[i]}{_FIELD}"category": {category[i]}'
            f'{_FIELD}"stage": {stage[i]}{_FIELD}"method": {method[i]}'
            f'{_FIELD}"counted": {counted[i]}'
            f'{_FIELD}"kgco2e": {figures[0][i]}{_FIELD}"kgco2e_market": {figures[1][i]}'
            f'{_FIELD}"energy_kwh": {figures[2][i]}{_FIELD}"water_m3": {figures[3][i]}'
            f'{_FIELD}"adpe_kgsbeq": {figures[4][i]}{_FIELD}"factor_ids": {ids[i]}'
            f"{extra}\n  }}"
        )
        if len(pieces) >= block:
            yield "".join(pieces)
            pieces.clear()
    pieces.append("\n ]")
    yield "".join(pieces)


def _cache_list(lists: dict, names: str) -> str:
    lists[names] = _list(names.split(";"))
    return lists[names]


def _cache(texts: dict, value) -> str:
    texts[value] = _ENCODE(value) if isinstance(value, str) else _scalar(value)
    return texts[value]


def lines_json(ledger: pd.DataFrame) -> list[dict]:
    """The ``lines`` array: one object per ledger line (``lines_text`` read back)."""
    return json.loads("".join(lines_text(ledger)))


def line_quality(ledger: pd.DataFrame) -> list[str]:
    """Per line, its ``dqi`` (the five scores, where scored), ``primary_data`` and ``interval``
    (the 95 % interval of its kgCO2e, counted lines) as ``lines_text`` writes them ("" for a
    ledger without these columns, ``lca.aggregate.data_quality``)."""
    n = len(ledger)
    if "dqi_reliability" not in ledger or not n:
        return [""] * n
    names = [c[4:] for c in DQI_COLUMNS if c.startswith("dqi_")]
    scores = np.column_stack([ledger[f"dqi_{c}"].to_numpy(dtype="float64") for c in names])
    scored = ~np.isnan(scores).any(axis=1)
    texts: dict = {}  # one text per distinct set of scores
    primary = ledger["primary_data"].to_numpy(dtype="float64") > 0
    low = ledger["kgco2e_p2_5"].to_numpy(dtype="float64")
    high = ledger["kgco2e_p97_5"].to_numpy(dtype="float64")
    out = []
    for i in range(n):
        text = ""
        if scored[i]:
            key = tuple(scores[i].tolist())
            if key not in texts:
                members = ",".join(
                    f'\n    "{c}": {int(v)}' for c, v in zip(names, key, strict=True)
                )
                texts[key] = f'{_FIELD}"dqi": {{{members}{_NESTED}}}'
            text += texts[key]
        text += f'{_FIELD}"primary_data": {"true" if primary[i] else "false"}'
        if not math.isnan(low[i]):
            text += (
                f'{_FIELD}"interval": {{\n    "kgco2e": [\n     {float.__repr__(float(low[i]))},'
                f"\n     {float.__repr__(float(high[i]))}\n    ]{_NESTED}}}"
            )
        out.append(text)
    return out


#: Indicators whose low/high bounds a line with ``activity_amount_low``/``_high`` carries.
RANGED = ("kgco2e", "energy_kwh", "water_m3", "adpe_kgsbeq")


def line_ranges(ledger: pd.DataFrame) -> list[dict | None]:
    """Per line, ``{indicator: [low, high]}`` (``indicator_bounds``, assessed indicators
    only) where the line has bounds, else None."""
    out: list[dict | None] = [None] * len(ledger)
    ranged = np.flatnonzero(ledger["activity_amount_low"].notna().to_numpy())
    if not len(ranged):
        return out
    lines = ledger.iloc[ranged]
    bounds = {name: indicator_bounds(lines, name) for name in RANGED}
    for at, position in enumerate(ranged.tolist()):
        out[position] = {
            name: [float(low.iat[at]), float(high.iat[at])]
            for name, (low, high) in bounds.items()
            if not math.isnan(lines[INDICATORS[name]].iat[at])
        }
    return out


def results_dict(result: RunResult) -> dict:
    """The whole results.json document."""
    return document(result, lines_json(result.ledger))


def document(result: RunResult, lines) -> dict:
    """The results.json document with ``lines`` as its lines."""
    settings = result.settings
    return {
        "schema": SCHEMA,
        "engine": {"name": "lca", "version": __version__},
        "organization": settings.organization if settings else None,
        "period": {
            "start": settings.period_start.isoformat() if settings else None,
            "end": settings.period_end.isoformat() if settings else None,
        },
        "capital_goods": settings.capital_goods if settings else None,
        "consolidation_approach": settings.consolidation_approach if settings else None,
        "gwp_set": settings.gwp_set if settings else None,
        "inputs": result.inventory.inputs,
        "factor_library": {"version": result.library.version, "sha256": result.library.sha256},
        "totals": result.totals,
        "capital_goods_alternative": result.capital_goods_alternative,
        "attribution": result.attribution,
        "offsets_memo": result.offsets_memo,
        "outside_scopes": result.outside_scopes,
        "biogenic_co2": result.biogenic_co2,
        "scope1_by_gas_kgco2e": result.scope1_by_gas_kgco2e,
        "scope2_location_by_gas_kgco2e": result.scope2_location_by_gas_kgco2e,
        "gwp_sets": result.gwp_sets,
        "scope3_screening": result.scope3_screening,
        "lines": lines,
        "issues": [i.to_json() for i in result.issues],
        "reconciliation": result.reconciliation,
        "method": method_block(result.method),
        "budgets": result.budgets,
        "own_factors": result.own_factors,
        "meter_coverage": result.meter_coverage,
        "base_year": result.base_year,
        "comparatives": result.comparatives,
        "change_vs_prior": result.change_vs_prior,
        "bridge": result.bridge,
        "targets": result.targets,
        "uncertainty": result.uncertainty,
        "ai": ai.block(result.ledger, result.inventory.sheet("genai_usage")),
    }


def json_text(document: dict) -> str:
    """A JSON document the deterministic way: indent 1, UTF-8, no NaN, final newline."""
    return json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


#: Pieces of the JSON encoder joined and encoded at a time by ``json_bytes``.
BLOCK = 65_536


def json_bytes(document: dict) -> bytes:
    """``json_text(document)`` encoded as UTF-8, built block by block: the encoder yields
    one small string per token, and a million-line document would otherwise keep them all
    (and then the whole text) before encoding."""
    encoder = json.JSONEncoder(indent=1, ensure_ascii=False, allow_nan=False)
    blocks, pieces = [], []
    for piece in encoder.iterencode(document):
        pieces.append(piece)
        if len(pieces) == BLOCK:
            blocks.append("".join(pieces).encode("utf-8"))
            pieces.clear()
    pieces.append("\n")
    blocks.append("".join(pieces).encode("utf-8"))
    return b"".join(blocks)


def results_bytes(result: RunResult) -> bytes:
    """The exact bytes of results.json (``json_text(results_dict(result))``), built once per
    report: the reports print their SHA-256 and ``write_results`` writes them. The lines come
    from ``lines_text``; every other member is written by ``json_bytes``, one level in."""
    blocks = [b"{"]
    for number, (key, value) in enumerate(document(result, LINES).items()):
        blocks.append(f"{',' if number else ''}\n {_ENCODE(key)}: ".encode())
        if value is LINES:
            blocks += (text.encode("utf-8") for text in lines_text(result.ledger))
        else:
            blocks.append(json_bytes(value)[:-1].replace(b"\n", b"\n "))
    blocks.append(b"\n}\n")
    return b"".join(blocks)


#: Stands for the lines in the document ``results_bytes`` writes member by member.
LINES = object()


def write_results(result: RunResult, out_dir: Path, document: bytes | None = None) -> Path:
    """Write ``results.json`` into ``out_dir`` and return its path; ``document`` is its
    ``results_bytes`` when they are already built."""
    path = out_dir / "results.json"
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_bytes(results_bytes(result) if document is None else document)
    return path


def write_json(document: dict, path: Path) -> Path:
    """Write a JSON document with ``json_text`` and return ``path``; its folder is created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json_text(document), encoding="utf-8")
    return path


def write_ledger_csv(result: RunResult, out_dir: Path) -> Path:
    """Write the ledger as ``ledger.csv`` (every column, full precision; text that a
    spreadsheet would run as a formula is neutralised, ``lca.csv_injection``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "ledger.csv"
    safe, _changed = neutralize_formulas(result.ledger)
    floats = {c: _formatted(safe[c]) for c in safe.columns if safe[c].dtype in _FLOATS}
    # the same text as float_format="%.17g" (NaN → ""), formatted once per distinct value:
    # pandas formats each cell through several Python calls (12 s at 300,000 lines)
    safe.assign(**floats).to_csv(path, index=False, lineterminator="\n", float_format="%.17g")
    return path


_FLOATS = (np.dtype("float64"), np.dtype("float32"))


def _formatted(column: pd.Series) -> pd.Series:
    """``column`` as the text ``"%.17g" % value`` (blank for NaN), as an object column."""
    values = column.to_numpy()
    bits = values.view(np.int64 if values.dtype.itemsize == 8 else np.int32)  # keeps −0 ≠ 0
    distinct, inverse = np.unique(bits, return_inverse=True)
    numbers = distinct.view(values.dtype).tolist()
    # "%" as pandas applies float_format (the same text, byte for byte)
    text = np.array(["" if v != v else "%.17g" % v for v in numbers], dtype=object)  # noqa: UP031
    return pd.Series(text[inverse.reshape(-1)], index=column.index, dtype=object)
