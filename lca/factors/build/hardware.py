"""Compute hardware (``compute_hardware.csv``): GPUs and CPUs per device.

* GPUs: ``power`` (TDP, W) and ``peak_flops`` (dense FP16/BF16 tensor FLOP/s, the basis in
  the notes) from vendor datasheets, reviewed in ``curated/gpu_specs.csv`` (address per row).
* CPUs: ``power`` (TDP, W) of every CPU of Green Algorithms' ``TDP_cpu.csv`` (CC BY 4.0, each
  row citing the vendor page or techpowerup), key = normalised model (``xeon_gold_6148``).
* ``lifetime`` (year) for every device = CCF server expected lifespan (35 040 h), the
  amortisation period the cloud model uses.
* key ``memory``: ``power`` per GB of memory available (W/GB), Green Algorithms'
  ``memoryPower`` (``referenceValues.csv``), for the compute_jobs energy model.
* ``compute_hardware_names.csv`` (mapping): each key's name as people write it (the GPU's
  name in ``curated/gpu_specs.csv``, the CPU's model in Green Algorithms' table), for the
  report to print ``NVIDIA H100 SXM5`` where the inventory says ``nvidia_h100_sxm``.
* Manufacturing ``gwp`` and ``adpe`` per device for 80 GB data-centre GPUs only: EcoLogits'
  embodied impact of one GPU with 80 GB of memory (``GPU_EMBODIED_IMPACT_*``, the card of an
  8-GPU server, MPL-2.0), applied to the GPUs of that class (``EIGHTY_GB_GPUS``). Other GPUs
  and CPUs have no open per-device figure in the data at hand (README gaps): their jobs'
  manufacturing share is reported as not assessed, never guessed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lca.factors.build.cloud import constants
from lca.factors.build.cloud_mappings import norm_key
from lca.factors.build.common import (
    Output,
    factor,
    factor_output,
    mapping_output,
    read_curated,
    rounded,
)

YEAR = 2025
#: GPUs with 80 GB of HBM, the device EcoLogits' per-GPU embodied impact describes.
EIGHTY_GB_GPUS = (
    "nvidia_a100_pcie_80gb",
    "nvidia_a100_sxm_80gb",
    "nvidia_h100_pcie",
    "nvidia_h100_sxm",
)
ECOLOGITS_CONSTANTS = "ecologits/pypi-0.11.3/llm_constants_and_providers.json"


def build(data: Path) -> list[Output]:
    """The compute_hardware table."""
    life = constants(data).query("provider == 'aws' and constant == 'SERVER_EXPECTED_LIFESPAN'")
    lifetime = rounded(float(life["value"].iloc[0]) / 8760)
    rows = []
    gpus = read_curated("gpu_specs.csv")
    for rec in gpus.itertuples():
        rows.append(
            factor(
                "compute_hardware",
                rec.key,
                "power",
                float(rec.power_w),
                "W",
                YEAR,
                "curated",
                "vendor datasheet (facts)",
                f"{rec.name} TDP; {rec.source}",
            )
        )
        if rec.peak_flops:
            rows.append(
                factor(
                    "compute_hardware",
                    rec.key,
                    "peak_flops",
                    float(rec.peak_flops),
                    "FLOP/s",
                    YEAR,
                    "curated",
                    "vendor datasheet (facts)",
                    f"{rec.name} {rec.flops_basis}; {rec.source}",
                )
            )
    cpus = pd.read_csv(data / "green-algorithms/TDP_cpu.csv", skiprows=1).dropna(subset=["TDP"])
    cpus = cpus.assign(key=cpus["model"].map(norm_key)).drop_duplicates("key")
    for rec in cpus.itertuples():
        rows.append(
            factor(
                "compute_hardware",
                rec.key,
                "power",
                float(rec.TDP),
                "W",
                YEAR,
                "green_algorithms",
                "CC-BY-4.0",
                f"{rec.model} TDP, {rec.n_cores:g} cores; {rec.source}",
            )
        )
    keys = sorted({row["key"] for row in rows})
    rows += [
        factor(
            "compute_hardware",
            key,
            "lifetime",
            lifetime,
            "year",
            2024,
            "ccf",
            "Apache-2.0",
            "CCF SERVER_EXPECTED_LIFESPAN 35040 h",
        )
        for key in keys
    ]
    reference = pd.read_csv(data / "green-algorithms/referenceValues.csv", skiprows=1).set_index(
        "variable"
    )
    rows.append(
        factor(
            "compute_hardware",
            "memory",
            "power",
            float(reference.loc["memoryPower", "value"]),
            "W/GB",
            YEAR,
            "green_algorithms",
            "CC-BY-4.0",
            "memory power per GB available (Green Algorithms memoryPower); "
            + str(reference.loc["memoryPower", "source"]),
        )
    )
    rows += embodied_rows(data)
    names = pd.concat(
        [
            pd.DataFrame(
                {
                    "key": gpus["key"],
                    "name": gpus["name"],
                    "source": "curated",
                    "licence": "vendor datasheet (facts)",
                }
            ),
            pd.DataFrame(
                {
                    "key": cpus["key"],
                    "name": cpus["model"],
                    "source": "green_algorithms",
                    "licence": "CC-BY-4.0",
                }
            ),
        ],
        ignore_index=True,
    ).assign(year=YEAR)
    return [
        factor_output(
            "compute_hardware.csv",
            "compute_hardware",
            "vendor datasheets; CC-BY-4.0; Apache-2.0; MPL-2.0",
            ("curated", "green_algorithms", "ccf", "ecologits"),
            "GPU and CPU TDP, peak FLOP/s and lifetime",
            rows,
        ),
        mapping_output(
            "compute_hardware_names.csv",
            "compute_hardware_names",
            "vendor datasheets; CC-BY-4.0",
            ("curated", "green_algorithms"),
            "GPU and CPU key → the name people write",
            names.drop_duplicates("key"),
            ["key"],
        ),
    ]


def embodied_rows(data: Path) -> list[dict]:
    """Per-device manufacturing gwp and adpe of the 80 GB GPU class (EcoLogits 0.11.3)."""
    constants_ = json.loads((data / ECOLOGITS_CONSTANTS).read_text())["llm_constants"]
    note = (
        "EcoLogits 0.11.3 GPU_EMBODIED_IMPACT ({indicator}) of one data-centre GPU with "
        f"{constants_['GPU_MEMORY_GB']} GB memory, applied to this GPU of that class"
    )
    rows = []
    for key in EIGHTY_GB_GPUS:
        rows.append(
            factor(
                "compute_hardware",
                key,
                "gwp",
                constants_["GPU_EMBODIED_IMPACT_GWP_kgCO2eq"],
                "kgCO2e/device",
                YEAR,
                "ecologits",
                "MPL-2.0",
                note.format(indicator="GWP"),
                stage="manufacturing",
            )
        )
        rows.append(
            factor(
                "compute_hardware",
                key,
                "adpe",
                constants_["GPU_EMBODIED_IMPACT_ADPE_kgSbeq"],
                "kgSbeq/device",
                YEAR,
                "ecologits",
                "MPL-2.0",
                note.format(indicator="ADPe"),
                stage="manufacturing",
            )
        )
    return rows
