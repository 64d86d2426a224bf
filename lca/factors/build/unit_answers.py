"""pint's answers to the unit questions a run usually asks, written to ``units.json`` for
``lca.units_prebuilt`` (which says what the file holds and when it is used).

``python -m lca.factors.build`` writes it with the library; after a change to ``units.txt``,
``lca/units.py`` or the texts below alone, ``python -m lca.factors.build.unit_answers``
writes it again from the packaged library.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

from lca import units, units_prebuilt
from lca.factors.library import load_library
from lca.paths import data_dir

#: Units that lca asks about besides the library's, the spellings, the names and aliases of
#: ``units.txt`` and the services' kgCO2e per currency: the inventory spec's
#: (cloud ``unit``: instance-, vCPU-, GPU-hours, GB-hours and -months, TB-hours, GB), the
#: references validation and plausibility compare a row's unit with, and the units lca's own
#: code converts to. A text missing here is answered by pint, as exactly, more slowly.
ASKED = (
    "h",
    "s",
    "year",
    "vcpu_h",
    "gpu_h",
    "instance_h",
    "GB_h",
    "GB_month",
    "TB_h",
    "TB_month",
    "GiB_h",
    "GB",
    "TB",
    "GB*s",
    "kWh",
    "L",
    "kg",
    "m**3",
    "kgCO2e",
    "kgSbeq",
    "device",
    "vcpu",
    "gpu",
)
#: What ``resolve_per_unit`` converts an input unit (an amount of fuel: energy, volume or
#: mass) times a library unit to.
PER_UNIT_NUMERATORS = ("kgCO2e", "kWh")
PER_UNIT_AMOUNTS = ("kWh", "L", "kg")


def write(folder: Path, library_units: list[str]) -> Path:
    """Ask pint every question of the texts above (with the packaged ``units.txt``) and write
    the answers to ``folder/units.json``."""
    base = {*library_units, *units._SPELLINGS, *units._SPELLINGS.values(), *ASKED}
    base |= {*defined_names(), *(f"kgCO2e/{currency}" for currency in units.currencies())}
    spelled = {text: units._read(text) for text in sorted(base)}
    spelled.update({s: units._read(s) for s in sorted(set(spelled.values()))})
    wanted = [units.pint_dimensionality(n) for n in PER_UNIT_NUMERATORS]
    amounts = [units.pint_dimensionality(n) for n in PER_UNIT_AMOUNTS]
    inputs = [s for s in set(spelled.values()) if units.pint_dimensionality(s) in amounts]
    per_amount = [
        unit
        for unit in sorted(set(library_units))
        if any(units.pint_dimensionality(f"({a}) * ({unit})") in wanted for a in PER_UNIT_AMOUNTS)
    ]
    for input_unit in sorted(inputs):  # each product, those of another kind too (no match)
        for unit in per_amount:
            product = f"({input_unit}) * ({unit})"
            spelled[product] = units._read(product)
    described = {
        s: {"dimensionality": units.pint_dimensionality(s), "text": units.pint_text(s)}
        for s in sorted(set(spelled.values()))
    }
    conversions = {
        a: {
            b: units.pint_factor(a, b)
            for b in described
            if described[b]["dimensionality"] == described[a]["dimensionality"]
        }
        for a in described
    }
    answers = {"texts": spelled, "units": described, "conversions": conversions}
    table = {
        "format": units_prebuilt.FORMAT,
        "pint": metadata.version("pint"),
        "sources_sha256": units_prebuilt.sources_sha256(),
        "answers_sha256": units_prebuilt.digest(answers),
        **answers,
    }
    path = folder / units_prebuilt.FILE
    path.write_text(
        json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    return path


def defined_names() -> list[str]:
    """The names and aliases ``units.txt`` defines: lca's own units as a user may type them
    (``vCPU_h``, ``GB_mo``, ``kgCO2eq``, ``SEK``)."""
    names = []
    for line in (data_dir("factors") / "units.txt").read_text(encoding="utf-8").splitlines():
        if "=" not in line or line.lstrip().startswith("#"):
            continue
        name, _definition, *aliases = (part.strip() for part in line.split("="))
        names += [name, *(alias for alias in aliases if alias not in ("", "_"))]
    return names


if __name__ == "__main__":
    print(write(data_dir("factors"), sorted(load_library().factors["unit"].unique())))
