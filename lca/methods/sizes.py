"""Size of each difference between lca's default method and a reproduced tool, measured on the
bundled example (results.json ``method.difference_sizes_on_example``).

``python -m lca.report.method_sizes`` runs ``examples/acme`` under the default method and
under each tool and writes ``example_sizes.json`` next to this module (``measure``). Each size
comes from the two ledgers, line by line, over the counted lines of the tool's sheet: a use
line's kgCO2e is IT kWh × PUE × grid factor, so its change splits exactly into the IT-energy
change (at the default's PUE and factor), then the PUE change, then the grid-factor change;
embodied lines give their own change; the pseudo-kWh is the tool's embodied energy; water and
ADPe the use lines' change; a fallback the change on the lines where the default took the
tool's data. A difference the pipeline cannot express has no size (``value`` null).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lca.methods import ccf, ecologits, green_algorithms

SIZES = Path(__file__).with_name("example_sizes.json")
SHEETS = {"ccf": "cloud", "green-algorithms": "compute_jobs", "ecologits": "genai_usage"}
DIFFERENCES = {
    "ccf": ccf.DIFFERENCES,
    "green-algorithms": green_algorithms.DIFFERENCES,
    "ecologits": ecologits.DIFFERENCES,
}
#: Differences whose size the pipeline cannot measure (not reproduced by the tool's method).
NOT_EXPRESSIBLE = {"gb_month", "managed_disks"}


def _counted(ledger: pd.DataFrame, sheet: str, stage: str) -> pd.DataFrame:
    lines = ledger[
        (ledger["sheet"] == sheet) & ledger["counted"].astype(bool) & (ledger["stage"] == stage)
    ]
    return lines.set_index("line_id")


def measure(default: pd.DataFrame, tool: pd.DataFrame, method: str) -> dict[str, dict]:
    """Size of each of ``method``'s differences, from the ledgers of one inventory run under
    the default method and under ``method``."""
    sheet = SHEETS[method]
    use_d = _counted(default, sheet, "use")
    use_t = _counted(tool, sheet, "use").reindex(use_d.index)
    made_d, made_t = (
        _counted(default, sheet, "manufacturing"),
        _counted(tool, sheet, "manufacturing"),
    )
    it_d, it_t = use_d["energy_it_kwh"], use_t["energy_it_kwh"]
    common = made_d.index.intersection(made_t.index)
    changed = (made_t.loc[common, "kgco2e"] - made_d.loc[common, "kgco2e"]).sum()
    dropped = made_d.loc[made_d.index.difference(made_t.index), "kgco2e"].sum()
    it_energy = ((it_t - it_d) * use_d["pue"] * use_d["ef_gwp"]).sum()
    # compute in GB-seconds of function memory (Lambda, as lca import writes it)
    functions = use_d["quantity_unit"].astype(str).str.contains("B*s", regex=False)
    values = {
        "it_power": (it_energy, "kgCO2e"),
        "functions": (
            ((it_t - it_d) * use_d["pue"] * use_d["ef_gwp"])[functions].sum(),
            "kgCO2e",
        ),
        "binary_units": (it_energy, "kgCO2e"),
        "pue": ((it_t * (use_t["pue"] - use_d["pue"]) * use_d["ef_gwp"]).sum(), "kgCO2e"),
        "grid": ((it_t * use_t["pue"] * (use_t["ef_gwp"] - use_d["ef_gwp"])).sum(), "kgCO2e"),
        "water": ((use_t["water_m3"] - use_d["water_m3"]).sum(), "m3"),
        "adpe": ((use_t["adpe_kgsbeq"] - use_d["adpe_kgsbeq"]).sum(), "kgSbeq"),
        # lines where the default fell back on the tool's own data
        "fallback": (
            (use_t["kgco2e"] - use_d["kgco2e"])[use_d["fallback"].astype(bool)].sum(),
            "kgCO2e",
        ),
        # lines where the tool took its own fallback (CCF's provider average W per vCPU)
        "processor_power": (
            ((it_t - it_d) * use_d["pue"] * use_d["ef_gwp"])[
                use_t["fallback"].fillna(False).astype(bool)
            ].sum(),
            "kgCO2e",
        ),
        "embodied_kwh": (made_t["energy_kwh"].sum(), "kWh"),
        "no_machine_type": (-dropped, "kgCO2e"),
        # lines the tool drops count under no_machine_type when the tool lists it
        "embodied": (
            changed - (0.0 if "no_machine_type" in DIFFERENCES[method] else dropped),
            "kgCO2e",
        ),
    }
    out = {}
    for key in DIFFERENCES[method]:
        value, unit = values.get(key, (None, "kgCO2e"))
        out[key] = {
            "value": None if key in NOT_EXPRESSIBLE else round(float(value), 6) + 0.0,
            "unit": unit,
        }
    return out


def example_sizes() -> dict[str, list[dict]]:
    """The committed sizes, per tool in the order of its ``DIFFERENCES``."""
    stored = json.loads(SIZES.read_text(encoding="utf-8"))
    return {
        method: [{"id": key, **stored[method][key]} for key in DIFFERENCES[method]]
        for method in SHEETS
    }
