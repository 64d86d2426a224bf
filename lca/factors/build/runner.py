"""Run every source module and write the library (see the package docstring)."""

from __future__ import annotations

from pathlib import Path

from lca.factors import binary
from lca.factors.build import (
    cloud,
    cloud_mappings,
    compat,
    countries,
    equipment,
    equipment_models,
    fuels,
    gases,
    genai,
    grid,
    hardware,
    heat,
    money,
    residual,
    sites,
    spend,
    uncertainty,
    unit_answers,
    zones,
)
from lca.factors.build.manifest import write_library
from lca.factors.library import read_library

REPO_ROOT = Path(__file__).resolve().parents[3]
MODULES = (
    countries,
    grid,
    zones,
    residual,
    heat,
    fuels,
    gases,
    equipment,
    equipment_models,
    sites,
    cloud,
    cloud_mappings,
    spend,
    money,
    hardware,
    compat,
    genai,
    uncertainty,
)


def run(data: Path, out: Path) -> dict:
    """Build every table from ``data`` into ``out``; return the manifest written."""
    if not data.is_dir():
        raise FileNotFoundError(f"source data folder not found: {data}")
    outputs = [output for module in MODULES for output in module.build(data)]
    paths = [o.path for o in outputs]
    if len(paths) != len(set(paths)):
        raise ValueError(f"two modules write the same file: {sorted(paths)}")
    manifest = write_library(outputs, data, out)
    write_binary(out)
    return manifest


def write_binary(out: Path) -> Path:
    """Read the library just written under ``out`` from its CSVs, with every check, and write
    its prebuilt binary form next to them (``lca.factors.binary``), and pint's answers about
    its units and those a run asks (``lca.factors.build.unit_answers``)."""
    checked = read_library(out, prebuilt=False)
    unit_answers.write(out, sorted(checked.factors["unit"].unique()))
    return binary.write(out, checked.factors, checked.tables)
