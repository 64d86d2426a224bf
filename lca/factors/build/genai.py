"""Generative-AI inference (EcoLogits 0.11.3, MPL-2.0): the data of the ``genai_usage`` sheet.

* ``genai_models.csv`` (mapping): one row per model of EcoLogits' ``models.json`` and one per
  alias (``alias_of`` names the canonical model): provider, architecture (dense or moe),
  active and total parameter counts in billions as low/high bounds (equal when the count is
  known; EcoLogits' range otherwise), and the deployment's tokens per second and
  time-to-first-token where EcoLogits has them.
* ``genai_providers.csv`` (mapping): each accepted provider name → EcoLogits' provider and its
  default electricity zone (ISO 3166-1 alpha-3 or ``WOR``). EcoLogits' own names map to
  themselves; the common names of ``curated/genai_provider_names.csv`` are ours.
* ``genai.csv`` (factors): the provider's data-centre PUE and WUE as low/high bounds (keys
  ``<provider>:low`` and ``<provider>:high``, equal for a point value); the inference model's
  constants (key ``llm``: the fitted GPU-energy and latency regressions, batch size,
  quantisation, memory overhead, GPU memory, GPUs and power of a server); the embodied impact
  of one GPU and of one server without its GPUs and the hardware lifetime (keys ``gpu`` and
  ``server``); EcoLogits' electricity mixes (key ``mix:<zone>``: gwp, adpe and off-site water
  per kWh), which ``--method ecologits`` uses instead of the library's grid factors.

Values are written at full precision (the shortest text that reads back to the same double),
not the ten digits of the other tables: ``--method ecologits`` reproduces the package to
floating point, and its fitted coefficients carry seventeen digits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lca.factors.build.common import Output, factor, factor_output, mapping_output, read_curated

FOLDER = "ecologits/pypi-0.11.3"
VERSION = "ecologits 0.11.3"
SOURCE = "ecologits_llm"
LICENCE = "MPL-2.0"
#: Year of the EcoLogits 0.11.3 data (its model list holds models released in 2026).
YEAR = 2026
#: Constants of ``llm_constants_and_providers.json`` → (key, indicator, unit, stage, meaning).
CONSTANTS = {
    "GPU_ENERGY_ALPHA": (
        "llm",
        "gpu_energy_alpha",
        "Wh",
        "",
        (
            "GPU energy per output token per GPU per billion active parameters, "
            "times exp(beta × batch size)"
        ),
    ),
    "GPU_ENERGY_BETA": (
        "llm",
        "gpu_energy_beta",
        "dimensionless",
        "",
        "exponent of the GPU energy regression per request in the batch",
    ),
    "GPU_ENERGY_GAMMA": (
        "llm",
        "gpu_energy_gamma",
        "Wh",
        "",
        "GPU energy per output token per GPU, constant term",
    ),
    "LATENCY_ALPHA": (
        "llm",
        "latency_alpha",
        "s",
        "",
        "generation time per output token per billion active parameters",
    ),
    "LATENCY_BETA": (
        "llm",
        "latency_beta",
        "s",
        "",
        "generation time per output token per request in the batch",
    ),
    "LATENCY_GAMMA": (
        "llm",
        "latency_gamma",
        "s",
        "",
        "generation time per output token, constant term",
    ),
    "BATCH_SIZE": (
        "llm",
        "batch_size",
        "dimensionless",
        "",
        "requests served at once by one server",
    ),
    "MODEL_QUANTIZATION_BITS": ("llm", "quantization", "bit", "", "bits per model weight"),
    "MEMORY_OVERHEAD_FACTOR": (
        "llm",
        "memory_overhead",
        "dimensionless",
        "",
        "GPU memory needed per byte of weights",
    ),
    "GPU_MEMORY_GB": ("llm", "gpu_memory", "GB", "", "memory of one GPU"),
    "SERVER_GPUS": ("llm", "server_gpus", "dimensionless", "", "GPUs in one server"),
    "SERVER_POWER_kW": ("llm", "server_power", "kW", "", "power of one server without its GPUs"),
    "GPU_EMBODIED_IMPACT_GWP_kgCO2eq": (
        "gpu",
        "gwp",
        "kgCO2e/device",
        "manufacturing",
        "embodied GWP of one GPU",
    ),
    "GPU_EMBODIED_IMPACT_ADPE_kgSbeq": (
        "gpu",
        "adpe",
        "kgSbeq/device",
        "manufacturing",
        "embodied ADPe of one GPU",
    ),
    "SERVER_EMBODIED_IMPACT_GWP_kgCO2eq": (
        "server",
        "gwp",
        "kgCO2e/device",
        "manufacturing",
        "embodied GWP of one server without its GPUs",
    ),
    "SERVER_EMBODIED_IMPACT_ADPE_kgSbeq": (
        "server",
        "adpe",
        "kgSbeq/device",
        "manufacturing",
        "embodied ADPe of one server without its GPUs",
    ),
    "HARDWARE_LIFESPAN_s": (
        "server",
        "lifetime",
        "s",
        "",
        "lifetime of servers and GPUs (3 × 365 days)",
    ),
}
#: Electricity-mix fields → (indicator, unit).
MIX = {"gwp": ("gwp", "kgCO2e/kWh"), "adpe": ("adpe", "kgSbeq/kWh"), "wue": ("water", "L/kWh")}
MODEL_COLUMNS = (
    "provider",
    "model",
    "alias_of",
    "architecture",
    "active_low_b",
    "active_high_b",
    "total_low_b",
    "total_high_b",
    "tps",
    "ttft",
    "warnings",
    "version",
    "source",
    "licence",
    "year",
)


def bounds(value) -> tuple[float, float]:
    """A parameter count (billions) as (low, high): a number is both; a range is min, max."""
    if isinstance(value, dict):
        return float(value["min"]), float(value["max"])
    return float(value), float(value)


def model_record(model: dict, name: str, alias_of: str) -> dict:
    """One row of ``genai_models.csv``."""
    parameters = model["architecture"]["parameters"]
    if model["architecture"]["type"] == "moe":
        active, total = bounds(parameters["active"]), bounds(parameters["total"])
    else:
        active = total = bounds(parameters)
    deployment = model.get("deployment") or {}
    return {
        "provider": model["provider"],
        "model": name,
        "alias_of": alias_of,
        "architecture": model["architecture"]["type"],
        "active_low_b": active[0],
        "active_high_b": active[1],
        "total_low_b": total[0],
        "total_high_b": total[1],
        "tps": deployment.get("tps"),
        "ttft": deployment.get("ttft"),
        "warnings": ";".join(model.get("warnings") or []),
        "version": VERSION,
        "source": SOURCE,
        "licence": LICENCE,
        "year": YEAR,
    }


def models_frame(data: Path) -> pd.DataFrame:
    """Every model and alias of EcoLogits' ``models.json``."""
    document = json.loads((data / FOLDER / "models.json").read_text(encoding="utf-8"))
    by_key = {(m["provider"], m["name"]): m for m in document["models"]}
    records = [model_record(m, m["name"], "") for m in document["models"]]
    for alias in document["aliases"]:
        target = by_key[(alias["provider"], alias["alias"])]
        records.append(model_record(target, alias["name"], alias["alias"]))
    return full_precision(
        pd.DataFrame(records, columns=list(MODEL_COLUMNS)),
        ("active_low_b", "active_high_b", "total_low_b", "total_high_b", "tps", "ttft"),
    )


def providers_frame(data: Path) -> pd.DataFrame:
    """Accepted provider names → EcoLogits provider and default electricity zone."""
    config = json.loads(
        (data / FOLDER / "llm_constants_and_providers.json").read_text(encoding="utf-8")
    )
    zones = {p: c["datacenter_location"] for p, c in config["provider_config"].items()}
    rows = [
        {
            "name": p,
            "provider": p,
            "zone": zone,
            "source": SOURCE,
            "licence": LICENCE,
            "year": YEAR,
            "notes": "EcoLogits provider and its datacenter_location",
        }
        for p, zone in zones.items()
    ]
    for rec in read_curated("genai_provider_names.csv").itertuples():
        rows.append(
            {
                "name": rec.name,
                "provider": rec.provider,
                "zone": zones[rec.provider],
                "source": "curated",
                "licence": "Apache-2.0",
                "year": YEAR,
                "notes": rec.notes,
            }
        )
    return pd.DataFrame(rows)


def factor_rows(data: Path) -> list[dict]:
    """Provider PUE/WUE bounds, the inference constants and EcoLogits' electricity mixes."""
    config = json.loads(
        (data / FOLDER / "llm_constants_and_providers.json").read_text(encoding="utf-8")
    )
    rows = []
    for provider, setting in sorted(config["provider_config"].items()):
        for indicator, field, unit in (
            ("pue", "datacenter_pue", "dimensionless"),
            ("wue", "datacenter_wue_L_per_kWh", "L/kWh"),
        ):
            low, high = bounds(setting[field])
            for side, value in (("low", low), ("high", high)):
                rows.append(
                    factor(
                        "genai",
                        f"{provider}:{side}",
                        indicator,
                        value,
                        unit,
                        YEAR,
                        SOURCE,
                        LICENCE,
                        f"EcoLogits PROVIDER_CONFIG_MAP {provider} {field} ({side} bound)",
                    )
                )
    for name, (key, indicator, unit, stage, meaning) in CONSTANTS.items():
        rows.append(
            factor(
                "genai",
                key,
                indicator,
                config["llm_constants"][name],
                unit,
                YEAR,
                SOURCE,
                LICENCE,
                f"EcoLogits {name}: {meaning}",
                stage=stage,
            )
        )
    mixes = json.loads((data / FOLDER / "electricity_mixes.json").read_text(encoding="utf-8"))
    for mix in mixes["electricity_mixes"]:
        world = set(mix.get("warnings") or [])
        for field, (indicator, unit) in MIX.items():
            note = (
                "EcoLogits electricity mix "
                + field
                + (
                    " (world value: no data for the zone)"
                    if f"electricity-mix-{field}-world" in world
                    else ""
                )
            )
            rows.append(
                factor(
                    "genai",
                    f"mix:{mix['name']}",
                    indicator,
                    mix[field],
                    unit,
                    YEAR,
                    SOURCE,
                    LICENCE,
                    note,
                    region=mix["name"],
                )
            )
    return rows


def full_precision(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Numbers of ``columns`` as their shortest round-trip text (blank when missing)."""
    return frame.assign(
        **{c: [repr(float(v)) if pd.notna(v) else "" for v in frame[c]] for c in columns}
    )


def build(data: Path) -> list[Output]:
    """The genai tables."""
    factors = factor_output(
        "genai.csv",
        "genai",
        LICENCE,
        (SOURCE,),
        "Generative-AI inference: provider PUE/WUE, EcoLogits' energy and "
        "latency model, embodied hardware and electricity mixes",
        factor_rows(data),
    )
    factors = Output(
        factors.path,
        factors.kind,
        factors.table,
        factors.licence,
        factors.sources,
        factors.description,
        full_precision(factors.frame, ("value",)),
    )
    return [
        factors,
        mapping_output(
            "genai_models.csv",
            "genai_models",
            LICENCE,
            (SOURCE,),
            "Generative-AI models (EcoLogits): provider, aliases, architecture, "
            "active/total parameters (billions, low/high), deployment speed",
            models_frame(data),
            ["provider", "model"],
        ),
        mapping_output(
            "genai_providers.csv",
            "genai_providers",
            "MPL-2.0; Apache-2.0",
            (SOURCE, "curated"),
            "Generative-AI provider names → EcoLogits provider and default electricity zone",
            providers_frame(data),
            ["name"],
        ),
    ]
