"""Render stage — ``results.json`` (contract ``lca.results/1``) and the ledger CSV.

Deterministic: keys sorted where the contract does not fix an order, lines in ledger order,
floats written by ``json`` (shortest round-trip repr), no timestamps.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd

from lca import __version__
from lca.aggregate.data_quality import COLUMNS as DQI_COLUMNS
from lca.aggregate.result import RunResult
from lca.csv_injection import neutralize_formulas
from lca.ledger import INDICATORS, factor_id_lists, indicator_bounds
from lca.methods import method_block
from lca.read_ahead import mapped_ahead
from lca.report import ai, csv_fast, text_columns
from lca.report.text_columns import Column

SCHEMA = "lca.results/1"
#: What json.dumps(ensure_ascii=False) writes for a str (its C function).
_ENCODE = json.encoder.encode_basestring
#: Separators of ``lines_bytes`` at the depth the ``lines`` array puts a line (indent 1: a
#: line at 2 spaces, its keys at 3, the members of its lists and of ``source`` at 4).
_FIELD = ",\n   "
_NESTED = "\n   "
_LINE = ",\n  "
NEWLINE = "\n"


def _scalar(value) -> str:
    """A JSON scalar as ``json_text`` writes it (NaN and infinity refused)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _json(value) -> str:
    """A value of a text column as ``json_text`` writes it (None is null, NaN refused)."""
    return _ENCODE(value) if isinstance(value, str) else _scalar(value)


#: A str that json writes as it is between quotes: no quote, backslash or control character.
_PLAIN_JSON = r'^[^\x00-\x1f"\\]*$'


def _text(column: pd.Series) -> Column:
    return text_columns.plain_text(column, _PLAIN_JSON, _json)


def _integer(value) -> str:
    return str(int(value))


def _integer_or_null(value) -> str:
    return "null" if pd.isna(value) else str(int(value))


def _boolean(value) -> str:
    return "true" if value else "false"


def _float(value: float) -> str:
    """A float as ``json_text`` writes it (NaN and infinity refused)."""
    if not math.isfinite(value):
        raise ValueError("Out of range float values are not JSON compliant")
    return float.__repr__(value)


def _figure(value: float) -> str:
    """A figure of a line (NaN → 0.0: a not-assessed indicator, listed in ``not_assessed``),
    as ``json_text`` writes floats."""
    return "0.0" if math.isnan(value) else _float(value)


def _list(items: list[str]) -> str:
    """A list of strings as a line's field (items at 4 spaces)."""
    if not items:
        return "[]"
    return "[\n    " + ",\n    ".join(_ENCODE(x) for x in items) + _NESTED + "]"


def _optional(name: str):
    """The rule of a text field written only where the line's value is not blank."""
    return lambda value: f'{_FIELD}"{name}": {_json(value)}' if value else ""


def _not_assessed(value) -> str:
    return f'{_FIELD}"not_assessed": {_list(value.split(";"))}' if value else ""


#: The figures of a line, in the contract's order.
FIGURES = ("kgco2e", "kgco2e_market", "energy_kwh", "water_m3", "adpe_kgsbeq")


def lines_bytes(
    ledger: pd.DataFrame, block: int = text_columns.BLOCK
) -> Iterator[bytes | memoryview]:
    """The ``lines`` array of results.json, as ``json_text`` writes it inside the document
    (UTF-8), in blocks of ``block`` lines: one object per ledger line. Each field is made
    column by column (``text_columns``: each distinct value written once) instead of one dict
    per line through the pure-Python encoder (``json`` has no C path with an indent)."""
    n = len(ledger)
    if n == 0:
        yield b"[]"
        return
    lines = text_columns.Lines([*_line(ledger), _LINE])
    starts = range(0, n, block)
    yield b"[\n  "
    # the next blocks are made by threads while this one is written (a speed-up, see its
    # module: Arrow's kernels release the GIL); the same bytes in the same order
    made = mapped_ahead(lines.block, ((start, min(n, start + block)) for start in starts))
    with closing(made):
        for start, text in zip(starts, made, strict=True):
            yield text if start + block < n else text[: -len(_LINE)]
    yield b"\n ]"


def _line(ledger: pd.DataFrame) -> list[str | Column]:
    """A line's object as pieces: the text between its fields, and each field's text on
    every line."""
    codes, lists = factor_id_lists(ledger)
    return [
        f'{{{_NESTED}"line_id": ',
        _text(ledger["line_id"]),
        f'{_FIELD}"source": {{\n    "file": ',
        _text(ledger["file"]),
        ',\n    "sheet": ',
        _text(ledger["sheet"]),
        ',\n    "row": ',
        text_columns.integers(ledger["row"], _integer),
        f'{_NESTED}}}{_FIELD}"scope": ',
        text_columns.integers(ledger["scope"], _integer),
        f'{_FIELD}"category": ',
        text_columns.integers(ledger["category"], _integer_or_null),
        f'{_FIELD}"stage": ',
        _text(ledger["stage"]),
        f'{_FIELD}"method": ',
        _text(ledger["method"]),
        f'{_FIELD}"counted": ',
        text_columns.each_distinct(ledger["counted"], _boolean),
        *(
            piece
            for name in FIGURES
            for piece in (
                f'{_FIELD}"{name}": ',
                text_columns.each_float(
                    [ledger[name].to_numpy(dtype=float, na_value=np.nan)], _figure
                ),
            )
        ),
        f'{_FIELD}"factor_ids": ',
        Column.of([_list(x) for x in lists], codes),
        *(
            text_columns.each_distinct(ledger[c], _optional(c))
            for c in ("part", "basis", "gwp_set")
        ),
        text_columns.each_distinct(ledger["not_assessed"], _not_assessed),
        _ranges(ledger),
        *_quality(ledger),
        "\n  }",
    ]


def lines_json(ledger: pd.DataFrame) -> list[dict]:
    """The ``lines`` array: one object per ledger line (``lines_bytes`` read back)."""
    return json.loads(b"".join(lines_bytes(ledger)))


#: The five data-quality scores of a line, in the contract's order.
DQI = [c[4:] for c in DQI_COLUMNS if c.startswith("dqi_")]


def _dqi(*scores: float) -> str:
    """The ``dqi`` field of a line with these scores ("" where one is not scored)."""
    if any(math.isnan(v) for v in scores):
        return ""
    members = ",".join(f'\n    "{c}": {int(v)}' for c, v in zip(DQI, scores, strict=True))
    return f'{_FIELD}"dqi": {{{members}{_NESTED}}}'


def _interval(low: float, high: float) -> str:
    """The ``interval`` field of a line ("" where it has none: not counted)."""
    if math.isnan(low):
        return ""
    return (
        f'{_FIELD}"interval": {{\n    "kgco2e": [\n     {_float(low)},'
        f"\n     {_float(high)}\n    ]{_NESTED}}}"
    )


def _quality(ledger: pd.DataFrame) -> list[Column]:
    """Per line, its ``dqi`` (the five scores, where scored), ``primary_data`` and
    ``interval`` (the 95 % interval of its kgCO2e, counted lines), none for a ledger without
    these columns (``lca.aggregate.data_quality``)."""
    if "dqi_reliability" not in ledger:
        return []
    scores = [ledger[f"dqi_{c}"].to_numpy(dtype="float64") for c in DQI]
    primary = ledger["primary_data"].to_numpy(dtype="float64") > 0
    bounds = [ledger[c].to_numpy(dtype="float64") for c in ("kgco2e_p2_5", "kgco2e_p97_5")]
    return [
        text_columns.each_float(scores, _dqi),
        Column.of([f'{_FIELD}"primary_data": {v}' for v in ("false", "true")], primary),
        text_columns.each_float(bounds, _interval),
    ]


#: Indicators whose low/high bounds a line with ``activity_amount_low``/``_high`` carries.
RANGED = ("kgco2e", "energy_kwh", "water_m3", "adpe_kgsbeq")


def _ranges(ledger: pd.DataFrame) -> Column | str:
    """Per line, its ``range`` field, ``{indicator: [low, high]}`` (``indicator_bounds``,
    assessed indicators only), where the line has bounds, else "": written by ``json`` line
    by line, as lines with bounds are few."""
    ranged = np.flatnonzero(ledger["activity_amount_low"].notna().to_numpy())
    if not len(ranged):
        return ""
    lines = ledger.iloc[ranged]
    bounds = {name: indicator_bounds(lines, name) for name in RANGED}
    texts = [""]
    for at in range(len(ranged)):
        members = {
            name: [float(low.iat[at]), float(high.iat[at])]
            for name, (low, high) in bounds.items()
            if not math.isnan(lines[INDICATORS[name]].iat[at])
        }
        text = json.dumps(members, indent=1, ensure_ascii=False, allow_nan=False)
        texts.append(f'{_FIELD}"range": {text.replace(NEWLINE, _NESTED)}' if members else "")
    codes = np.zeros(len(ledger), dtype=np.int64)
    codes[ranged] = np.arange(1, len(ranged) + 1)
    return Column.of(texts, codes)


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


def results_blocks(result: RunResult) -> Iterator[bytes | memoryview]:
    """The exact bytes of results.json (``json_text(results_dict(result))``) in order, a
    block at a time: the lines come from ``lines_bytes``; every other member is written by
    ``json_bytes``, one level in. Joined they are ``results_bytes``; ``write_results_hashed``
    writes them without ever holding the whole document (1.5 GB at 1.5 M lines)."""
    yield b"{"
    for number, (key, value) in enumerate(document(result, LINES).items()):
        yield f"{',' if number else ''}\n {_ENCODE(key)}: ".encode()
        if value is LINES:
            yield from lines_bytes(result.ledger)
        else:
            yield json_bytes(value)[:-1].replace(b"\n", b"\n ")
    yield b"\n}\n"


def results_bytes(result: RunResult) -> bytes:
    """The exact bytes of results.json, whole."""
    return b"".join(results_blocks(result))


#: Stands for the lines in the document ``results_blocks`` writes member by member.
LINES = object()


def write_results(result: RunResult, out_dir: Path) -> Path:
    """Write ``results.json`` into ``out_dir`` and return its path."""
    return write_results_hashed(result, out_dir)[0]


def write_results_hashed(result: RunResult, out_dir: Path) -> tuple[Path, str]:
    """Write ``results.json`` into ``out_dir`` block by block; its path and the SHA-256 of
    its bytes (the reports print it)."""
    path = out_dir / "results.json"
    out_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("wb") as file:
        for block in results_blocks(result):
            digest.update(block)
            file.write(block)
    return path, digest.hexdigest()


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
    if csv_fast.supported(safe):  # the same bytes, column by column (pandas: 30 s at 1.5 M lines)
        csv_fast.write_csv(safe, path)
    else:
        safe.to_csv(path, index=False, lineterminator="\n", float_format="%.17g")
    return path
