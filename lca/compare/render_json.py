"""``compare.json`` (contract ``lca.compare/1``, ``shared/spec/compare.md``).

Deterministic: options in the options sheet's order, floats as ``json`` writes them, no
timestamps. Keys beyond the contract: engine, factor library, inputs, start date, capital
goods, each option's description and per-year values of every indicator, the option below at
the end of each pair (``lower``), the sensitivity table and the issues.
"""

from __future__ import annotations

from pathlib import Path

from lca import __version__
from lca.compare.model import CompareResult
from lca.report.results import write_json

SCHEMA = "lca.compare/1"


def compare_dict(result: CompareResult) -> dict:
    """The whole compare.json document."""
    settings = result.settings
    return {
        "schema": SCHEMA,
        "engine": {"name": "lca", "version": __version__},
        "factor_library": {"version": result.library.version, "sha256": result.library.sha256},
        "inputs": result.workbook.inputs,
        "horizon_years": settings.horizon_years if settings else None,
        "start_date": settings.start_date.isoformat() if settings else None,
        "capital_goods": settings.capital_goods if settings else None,
        "functional_unit": {
            "name": settings.functional_unit,
            "per_year": settings.functional_unit_per_year,
        }
        if settings
        else None,
        "options": result.options,
        "ranking_kgco2e": result.ranking,
        "break_even": result.break_even,
        "sensitivity": result.sensitivity,
        "uncertainty": result.uncertainty,
        "issues": [i.to_json() for i in result.issues],
    }


def write_compare_json(result: CompareResult, out_dir: Path) -> Path:
    """Write ``compare.json`` into ``out_dir`` and return its path."""
    return write_json(compare_dict(result), out_dir / "compare.json")
