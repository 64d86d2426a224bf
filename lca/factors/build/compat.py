"""The constants of the tools lca reproduces (``compat.csv``): ``--method ccf`` and
``--method green-algorithms`` read their coefficients from here, never from Python.

* Cloud Carbon Footprint (``ccf/app``, Apache-2.0): per provider ``ccf:<provider>`` the fleet
  PUE (``PUE_AVG``), the billing-mode CPU utilisation (``AVG_CPU_UTILIZATION_2020``, as a
  fraction), the embodied lifespan (``SERVER_EXPECTED_LIFESPAN``); ``ccf:<provider>:<usage>``
  the memory, SSD, HDD and networking coefficients; ``ccf:gcp:<region>`` GCP's regional PUE.
* Green Algorithms (CC BY 4.0): ``green_algorithms:<platform>`` default PUE
  (``defaults_PUE.csv``; "Unknown" is the local-server default; a personal computer has no
  data-centre overhead, PUE 1 by the calculator's definition); ``green_algorithms:memory``
  power per GB; ``green_algorithms:any_cpu`` W per core and ``green_algorithms:any_gpu`` W
  when the processor is "Any"; ``green_algorithms:world`` carbon intensity.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lca.factors.build.cloud import constants
from lca.factors.build.common import Output, factor, factor_output

CCF_YEAR = 2024  # the CCF snapshot (trunk, 2024-03)
GA_YEAR = 2024  # Green Algorithms data v3.0
GA = "green-algorithms"
CCF_USAGE = {"MEMORY_COEFFICIENT": ("memory", "kWh/GB_h", 1.0),
             "SSDCOEFFICIENT": ("storage_ssd", "Wh/TB_h", 1.0),
             "HDDCOEFFICIENT": ("storage_hdd", "Wh/TB_h", 1.0),
             "NETWORKING_COEFFICIENT": ("network", "kWh/GB", 1.0)}
GA_PLATFORMS = {"Unknown": "local_server", "gcp": "gcp", "aws": "aws", "azure": "azure",
                "OVHcloud": "ovh", "Oracle": "oracle"}


def ccf_rows(data: Path) -> list[dict]:
    """CCF's provider constants and GCP regional PUE."""
    rows = []
    for rec in constants(data).itertuples():
        key = f"ccf:{rec.provider}"
        note = f"CCF {rec.constant} ({rec.description}); {rec.source_file}"
        if rec.constant == "PUE_AVG":
            rows.append(factor("compat", key, "pue", rec.value, "dimensionless", CCF_YEAR,
                               "ccf", "Apache-2.0", note))
        elif rec.constant == "AVG_CPU_UTILIZATION_2020":
            rows.append(factor("compat", key, "utilization", rec.value / 100, "dimensionless",
                               CCF_YEAR, "ccf", "Apache-2.0", note + " (percent / 100)"))
        elif rec.constant == "SERVER_EXPECTED_LIFESPAN":
            rows.append(factor("compat", key, "lifetime", rec.value, "hour", CCF_YEAR, "ccf",
                               "Apache-2.0", note))
        elif rec.constant in CCF_USAGE:
            usage, unit, _ = CCF_USAGE[rec.constant]
            rows.append(factor("compat", f"{key}:{usage}", "energy", rec.value, unit, CCF_YEAR,
                               "ccf", "Apache-2.0", note))
    pue = pd.read_csv(data / "ccf/app/pue.csv")
    regional = pue[(pue["provider"] == "GCP") & (pue["region"] != "*default*")]
    for rec in regional.itertuples():
        rows.append(factor("compat", f"ccf:gcp:{rec.region}", "pue", rec.pue, "dimensionless",
                           CCF_YEAR, "ccf", "Apache-2.0", f"CCF {rec.note}; {rec.source_file}"))
    return rows


def green_algorithms_rows(data: Path) -> list[dict]:
    """The Green Algorithms calculator's defaults."""
    folder = data / "green-algorithms"
    rows = []
    pue = pd.read_csv(folder / "defaults_PUE.csv", skiprows=1)
    for rec in pue.itertuples():
        if rec.provider in GA_PLATFORMS:
            rows.append(factor("compat", f"{GA}:{GA_PLATFORMS[rec.provider]}", "pue", rec.PUE,
                               "dimensionless", GA_YEAR, "green_algorithms", "CC-BY-4.0",
                               f"defaults_PUE.csv {rec.provider}; {rec.source}"))
    rows.append(factor("compat", f"{GA}:personal_computer", "pue", 1.0, "dimensionless",
                       GA_YEAR, "green_algorithms", "CC-BY-4.0",
                       "a personal computer has no data-centre overhead (calculator form)"))
    reference = pd.read_csv(folder / "referenceValues.csv", skiprows=1).set_index("variable")
    rows.append(factor("compat", f"{GA}:memory", "power",
                       float(reference.loc["memoryPower", "value"]), "W/GB", GA_YEAR,
                       "green_algorithms", "CC-BY-4.0",
                       "memoryPower; " + str(reference.loc["memoryPower", "source"])))
    cpus = pd.read_csv(folder / "TDP_cpu.csv", skiprows=1).set_index("model")
    rows.append(factor("compat", f"{GA}:any_cpu", "power",
                       float(cpus.loc["Any", "TDP_per_core"]), "W/vcpu", GA_YEAR,
                       "green_algorithms", "CC-BY-4.0", "TDP_cpu.csv 'Any': W per core"))
    gpus = pd.read_csv(folder / "TDP_gpu.csv", skiprows=1).set_index("model")
    rows.append(factor("compat", f"{GA}:any_gpu", "power", float(gpus.loc["Any", "TDP_per_core"]),
                       "W/gpu", GA_YEAR, "green_algorithms", "CC-BY-4.0",
                       "TDP_gpu.csv 'Any': W per GPU"))
    intensity = pd.read_csv(folder / "CI_aggregated.csv", skiprows=1)
    world = intensity[intensity["location"] == "WORLD"].iloc[0]
    rows.append(factor("compat", f"{GA}:world", "gwp", float(world["carbonIntensity"]),
                       "gCO2e/kWh", GA_YEAR, "green_algorithms", "CC-BY-4.0",
                       f"CI_aggregated.csv WORLD; {world['source']}"))
    return rows


def build(data: Path) -> list[Output]:
    """The compat table."""
    return [factor_output("compat.csv", "compat", "Apache-2.0 (CCF); CC-BY-4.0 (Green "
                          "Algorithms)", ("ccf", "green_algorithms"),
                          "Constants of Cloud Carbon Footprint and the Green Algorithms "
                          "calculator, for --method ccf and --method green-algorithms",
                          ccf_rows(data) + green_algorithms_rows(data))]
