"""Render stage — ``results.json`` (contract ``lca.results/1``) and the ledger CSV.

Deterministic: keys sorted where the contract does not fix an order, lines in ledger order,
floats written by ``json`` (shortest round-trip repr), no timestamps.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from lca import __version__
from lca.aggregate.result import RunResult
from lca.csv_injection import neutralize_formulas
from lca.ledger import factor_ids
from lca.methods import method_block

SCHEMA = "lca.results/1"


def _number(value) -> float:
    """A JSON-safe float (NaN → 0.0: a not-assessed indicator; listed in ``not_assessed``)."""
    return (
        0.0 if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    )


def lines_json(ledger: pd.DataFrame) -> list[dict]:
    """The ``lines`` array: one object per ledger line."""
    ids = factor_ids(ledger)
    out = []
    columns = ledger[
        [
            "line_id",
            "file",
            "sheet",
            "row",
            "scope",
            "category",
            "stage",
            "method",
            "counted",
            "kgco2e",
            "kgco2e_market",
            "energy_kwh",
            "water_m3",
            "adpe_kgsbeq",
            "not_assessed",
            "part",
            "basis",
        ]
    ]
    ranges = line_ranges(ledger)
    for record, factor_list, bounds in zip(
        columns.itertuples(index=False), ids, ranges, strict=True
    ):
        line = {
            "line_id": record.line_id,
            "source": {"file": record.file, "sheet": record.sheet, "row": int(record.row)},
            "scope": int(record.scope),
            "category": None if pd.isna(record.category) else int(record.category),
            "stage": record.stage,
            "method": record.method,
            "counted": bool(record.counted),
            "kgco2e": _number(record.kgco2e),
            "kgco2e_market": _number(record.kgco2e_market),
            "energy_kwh": _number(record.energy_kwh),
            "water_m3": _number(record.water_m3),
            "adpe_kgsbeq": _number(record.adpe_kgsbeq),
            "factor_ids": factor_list,
        }
        if record.part:
            line["part"] = record.part
        if record.basis:
            line["basis"] = record.basis
        if record.not_assessed:
            line["not_assessed"] = record.not_assessed.split(";")
        if bounds:
            line["range"] = bounds
        out.append(line)
    return out


#: Indicators whose low/high bounds a line with ``activity_amount_low``/``_high`` carries.
RANGED = {
    "kgco2e": "ef_gwp",
    "energy_kwh": "ef_energy",
    "water_m3": "ef_water",
    "adpe_kgsbeq": "ef_adpe",
}


def line_ranges(ledger: pd.DataFrame) -> list[dict | None]:
    """Per line, ``{indicator: [low, high]}`` (bound × ef × allocation_share, assessed
    indicators only) where the line has bounds, else None."""
    low, high = ledger["activity_amount_low"], ledger["activity_amount_high"]
    out: list[dict | None] = [None] * len(ledger)
    for position in np.flatnonzero(low.notna().to_numpy()):
        share = ledger["allocation_share"].iat[position]
        out[position] = {
            name: [
                float(low.iat[position] * ledger[ef].iat[position] * share),
                float(high.iat[position] * ledger[ef].iat[position] * share),
            ]
            for name, ef in RANGED.items()
            if not math.isnan(ledger[ef].iat[position])
        }
    return out


def results_dict(result: RunResult) -> dict:
    """The whole results.json document."""
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
        "scope3_screening": result.scope3_screening,
        "lines": lines_json(result.ledger),
        "issues": [i.to_json() for i in result.issues],
        "reconciliation": result.reconciliation,
        "method": method_block(result.method),
        "budgets": result.budgets,
        "own_factors": result.own_factors,
        "meter_coverage": result.meter_coverage,
        "base_year": result.base_year,
        "comparatives": result.comparatives,
        "change_vs_prior": result.change_vs_prior,
        "targets": result.targets,
        "uncertainty": result.uncertainty,
    }


def json_text(document: dict) -> str:
    """A JSON document the deterministic way: indent 1, UTF-8, no NaN, final newline."""
    return json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def results_text(result: RunResult) -> str:
    """The exact text of results.json (the reports print its SHA-256)."""
    return json_text(results_dict(result))


def write_results(result: RunResult, out_dir: Path) -> Path:
    """Write ``results.json`` into ``out_dir`` and return its path."""
    return write_json(results_dict(result), out_dir / "results.json")


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
    safe.to_csv(path, index=False, lineterminator="\n", float_format="%.17g")
    return path
