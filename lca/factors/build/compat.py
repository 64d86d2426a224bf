"""The constants of the tools lca reproduces (``compat.csv``): ``--method ccf`` and
``--method green-algorithms`` read their coefficients from here, never from Python.

* Cloud Carbon Footprint (``ccf/app``, Apache-2.0): per provider ``ccf:<provider>`` the fleet
  PUE (``PUE_AVG``), the billing-mode CPU utilisation (``AVG_CPU_UTILIZATION_2020``, as a
  fraction), the embodied lifespan (``SERVER_EXPECTED_LIFESPAN``); ``ccf:<provider>:<usage>``
  the memory, SSD, HDD and networking coefficients; ``ccf:gcp:<region>`` GCP's regional PUE;
  ``ccf:<provider>:<region>`` CCF's grid factor (its ``grid`` variant, Azure regions written
  as CCF spells them, lower case without spaces); per instance type
  ``ccf:<provider>:<type>`` the watts, memory and burstable baseline CCF derives from its
  instance tables (``ccf_instance_rows``); ``ccf:azure:ssd_disk:<tier>`` and
  ``ccf:azure:hdd_disk:<tier>`` the capacity of an Azure managed-disk tier (P30, E10, S4 …)
  from CCF's ``SSD_MANAGED_DISKS_STORAGE_GB`` and ``HDD_MANAGED_DISKS_STORAGE_GB``
  (``ccf_azure_disk_rows``).
* Green Algorithms (CC BY 4.0): ``green-algorithms:<platform>`` default PUE
  (``defaults_PUE.csv``; "Unknown" is the local-server default; a personal computer has no
  data-centre overhead, PUE 1 by the calculator's definition); ``green-algorithms:memory``
  power per GB; its hardware, carbon-intensity and datacentre tables
  (``green_algorithms_table_rows``).
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import pandas as pd

from lca.factors.build.cloud import PROVIDERS as CCF_PROVIDERS
from lca.factors.build.cloud import constants
from lca.factors.build.cloud_mappings import norm_key
from lca.factors.build.common import Output, factor, factor_output, mapping_output, read_curated

CCF_YEAR = 2024  # the CCF snapshot (trunk, 2024-03)
GA_YEAR = 2024  # Green Algorithms data v3.0
GA = "green-algorithms"
CCF_USAGE = {
    "MEMORY_COEFFICIENT": ("memory", "kWh/GB_h", 1.0),
    "SSDCOEFFICIENT": ("storage_ssd", "Wh/TB_h", 1.0),
    "HDDCOEFFICIENT": ("storage_hdd", "Wh/TB_h", 1.0),
    "NETWORKING_COEFFICIENT": ("network", "kWh/GB", 1.0),
}
GA_PLATFORMS = {
    "Unknown": "local_server",
    "gcp": "gcp",
    "aws": "aws",
    "azure": "azure",
    "OVHcloud": "ovh",
    "Oracle": "oracle",
}
#: CCF's memory is counted per physical chip of at most this many vCPUs (``getPhysicalChips``).
CCF_VCPUS_PER_CHIP = 96
#: AWS families CCF gives two chips whatever their size (``AWSMemoryEstimatesBuilder``).
CCF_TWO_CHIP_FAMILIES = ("m5zn", "z1d")
#: Processors whose group takes the median, not the mean (``getWattsByAverageOrMedian``).
CCF_MEDIAN_PROCESSORS = ("Sandy Bridge", "Ivy Bridge")


def _ccf_mean(values: list[float]) -> float:
    """CCF ``getAverage``: left-to-right sum / count (NaN if a value is missing)."""
    if not values:
        return 0.0
    total = values[0]
    for value in values[1:]:
        total += value
    return total / len(values) if len(values) > 1 else total


def _ccf_group(processors: list[str], values: list[float]) -> float:
    """CCF ``getWattsByAverageOrMedian``: mean of the processors' values, median when the
    group holds Sandy Bridge or Ivy Bridge."""
    if any(p in CCF_MEDIAN_PROCESSORS for p in processors):
        return float(statistics.median(values))
    return _ccf_mean(values)


def _or_fallback(value: float, fallback: float) -> float:
    """CCF's ``value ? value : fallback`` (0 and NaN fall back)."""
    return value if value == value and value else fallback


def _ccf_instances(data: Path) -> pd.DataFrame:
    """CCF's instance tables in upstream order: provider, family, instance_type, vcpus,
    memory_gb, cpu (list), gpu_count, gpu (list), baseline (burstable %, NaN)."""
    app = data / "ccf/app"
    aws = pd.read_csv(app / "aws_instance_types.csv").query("table == 'EC2_INSTANCE_TYPES'")
    azure = pd.read_csv(app / "azure_vm_types.csv").query(
        "table == 'VIRTUAL_MACHINE_TYPE_SERIES_MAPPING'"
    )
    gcp = pd.read_csv(app / "gcp_machine_types.csv").query(
        "table == 'MACHINE_FAMILY_TO_MACHINE_TYPE_MAPPING'"
    )
    prefixes = pd.read_csv(app / "gcp_machine_prefix_processors.csv").set_index(
        "machine_type_prefix"
    )["processors"]
    split = lambda s: [p for p in str(s).split("|") if p] if s == s else []  # noqa: E731
    frames = [
        pd.DataFrame(
            {
                "provider": "aws",
                "family": aws["family"],
                "instance_type": aws["instance_type"],
                "vcpus": aws["vcpus"],
                "memory_gb": aws["memory_gb"],
                "cpu": aws["cpu_processors"].map(split),
                "gpu_count": aws["gpu_count"],
                "gpu": aws["gpu_processors"].map(split),
                "baseline": aws["burstable_baseline_utilization_pct"],
            }
        ),
        pd.DataFrame(
            {
                "provider": "azure",
                "family": azure["series"],
                "instance_type": azure["vm_type"],
                "vcpus": azure["vcpus"],
                "memory_gb": azure["memory_gb"],
                "cpu": azure["cpu_processors"].map(split),
                "gpu_count": azure["gpu_count"],
                "gpu": azure["gpu_processors"].map(split),
                "baseline": float("nan"),
            }
        ),
        pd.DataFrame(
            {
                "provider": "gcp",
                "family": gcp["family"],
                "instance_type": gcp["machine_type"],
                "vcpus": gcp["vcpus"],
                "memory_gb": float("nan"),
                "cpu": gcp["machine_type"].str.split("-").str[0].map(prefixes).map(split),
                "gpu_count": float("nan"),
                "gpu": [[]] * len(gcp),
                "baseline": float("nan"),
            }
        ),
    ]
    return pd.concat(frames, ignore_index=True)


def ccf_instance_rows(data: Path) -> list[dict]:
    """Per instance type ``ccf:<provider>:<type>``, as CCF computes them: ``min_power`` and
    ``max_power`` W per vCPU (the mean, or median, of the instance's processors; the
    provider's fallback when none is known, marked by ``power_fallback`` = 1, so that the
    default method can take the microarchitecture's own figure and every method can say so),
    ``memory`` GB per instance-hour above the SPECpower server's (AWS, Azure: largest type of
    the family over its chips, minus GB per chip, scaled by the type's share of the largest's
    memory; none for burstable types) and, where CCF took its average GB per chip, the same
    with the microarchitecture's GB per chip from ccf-coefficients 2026
    (``memory_architecture``, for the default method),
    ``utilization`` the burstable baseline (AWS t-types; CCF scales their vCPU-hours by
    baseline / average utilisation); ``ccf:<provider>:<type>:gpu`` min/max W per GPU."""
    coef = pd.read_csv(data / "ccf/app/compute_coefficients_by_microarchitecture.csv")
    const = constants(data).set_index(["provider", "constant"])["value"]
    chip_gb = _gb_per_chip(data)
    rows, seen = [], set()
    for (provider, family), group in _ccf_instances(data).groupby(
        ["provider", "family"], sort=False
    ):
        upstream = next(k for k, v in CCF_PROVIDERS.items() if v == provider)
        table = coef[coef["provider"] == upstream].set_index("processor")
        fallback = {
            c: float(const[(provider, n)])
            for (p, n) in const.index
            if p == provider
            for c in ("MIN_WATTS", "MAX_WATTS", "MEMORY_AVG")
            if n.startswith(c)
        }
        largest = group.iloc[-1]  # CCF: the last type of the family is its largest
        chips = (
            2
            if family in CCF_TWO_CHIP_FAMILIES
            else math.ceil(largest["vcpus"] / CCF_VCPUS_PER_CHIP)
        )
        for rec in group.itertuples():
            key, note = f"ccf:{provider}:{rec.instance_type}", f"CCF {upstream} {rec.instance_type}"
            if key in seen:  # a type listed in two families: CCF's first match, as cloud_instances
                continue
            seen.add(key)
            gpus = rec.gpu_count == rec.gpu_count and rec.gpu_count
            average = False  # CCF has no W (nor GB per chip) for the type's processors
            for part, processors, unit in (("", rec.cpu, "W/vcpu"), (":gpu", rec.gpu, "W/gpu")):
                if part and not gpus:
                    continue
                named = f"{' | '.join(processors) or 'unknown'} {'GPUs' if part else 'processors'}"
                for indicator, column, name in (
                    ("min_power", "min_watts", "MIN_WATTS"),
                    ("max_power", "max_watts", "MAX_WATTS"),
                ):
                    watts = _ccf_group(
                        processors,
                        [float(table[column].get(p, float("nan"))) for p in processors],
                    )
                    rows.append(
                        factor(
                            "compat",
                            key + part,
                            indicator,
                            _or_fallback(watts, fallback[name]),
                            unit,
                            CCF_YEAR,
                            "ccf",
                            "Apache-2.0",
                            f"{note}: {named}",
                        )
                    )
                if _or_fallback(watts, 0.0) == 0.0:  # CCF has no W for them: its average
                    average = average or not part
                    rows.append(
                        factor(
                            "compat",
                            key + part,
                            "power_fallback",
                            1.0,
                            "dimensionless",
                            CCF_YEAR,
                            "ccf",
                            "Apache-2.0",
                            f"{note}: CCF has no W for its {named}; its min_power and "
                            f"max_power are CCF's {upstream} average per vCPU "
                            "(MIN_WATTS_AVG/MEDIAN, MAX_WATTS_AVG/MEDIAN)",
                        )
                    )
            if rec.baseline == rec.baseline:
                rows.append(
                    factor(
                        "compat",
                        key,
                        "utilization",
                        rec.baseline / 100,
                        "dimensionless",
                        CCF_YEAR,
                        "ccf",
                        "Apache-2.0",
                        f"{note}: burstable baseline utilisation (percent / 100)",
                    )
                )
            elif rec.memory_gb == rec.memory_gb and rec.memory_gb:
                per_chip = _or_fallback(
                    _ccf_mean([float(table["memory_gb"].get(p, float("nan"))) for p in rec.cpu]),
                    fallback["MEMORY_AVG"],
                )
                excess = largest["memory_gb"] / chips - per_chip
                if excess > 0:
                    rows.append(
                        factor(
                            "compat",
                            key,
                            "memory",
                            excess / (largest["memory_gb"] / rec.memory_gb),
                            "GB",
                            CCF_YEAR,
                            "ccf",
                            "Apache-2.0",
                            f"{note}: memory above the SPECpower server's, GB per instance-hour "
                            f"(({largest['memory_gb']:g} GB / {chips} chip(s) − {per_chip:g} GB "
                            f"per chip) × {rec.memory_gb:g} / {largest['memory_gb']:g})",
                        )
                    )
                own = chip_gb[provider].get(norm_key(rec.cpu[0])) if rec.cpu else None
                if average and own is not None:
                    share = max(largest["memory_gb"] / chips - own, 0.0) / largest["memory_gb"]
                    rows.append(
                        factor(
                            "compat",
                            key,
                            "memory_architecture",
                            share * rec.memory_gb,
                            "GB",
                            CCF_YEAR,
                            "ccf_coef",
                            "Apache-2.0",
                            f"{note}: memory above the SPECpower server's with the GB per chip "
                            f"of {rec.cpu[0]} in ccf-coefficients 2026 ({own:g}) instead of "
                            f"CCF's average ({per_chip:g}): (max({largest['memory_gb']:g} GB / "
                            f"{chips} chip(s) − {own:g}, 0)) × {rec.memory_gb:g} / "
                            f"{largest['memory_gb']:g}; read by the default method",
                        )
                    )
    return rows


def _gb_per_chip(data: Path) -> dict[str, dict[str, float]]:
    """GB per chip of the SPECpower servers per microarchitecture (ccf-coefficients 2026
    ``coefficients-<provider>-use.csv``, keys as ``norm_key`` of CCF's processor names; Azure's
    file completed from the AWS file, as ``cloud.azure_power_rows`` does for watts)."""
    out: dict[str, dict[str, float]] = {}
    for provider in ("aws", "gcp", "azure"):
        table = pd.read_csv(data / f"ccf/coefficients/output/coefficients-{provider}-use.csv")
        out[provider] = {
            norm_key(_vendor(arch) + arch): float(gb)
            for arch, gb in zip(table["Architecture"].astype(str), table["GB/Chip"], strict=True)
        }
    out["azure"] = {**out["aws"], **out["azure"]}
    return out


def ccf_grid_rows(data: Path) -> list[dict]:
    """CCF's grid factor per ``ccf:<provider>:<region>`` (its ``grid`` variant; t → kg).
    Azure regions are keyed in lower case without spaces (CCF writes ``EastUS`` and
    ``westeurope``; lca ``East US``, ``West Europe``)."""
    grid = pd.read_csv(data / "ccf/app/grid_emission_factors.csv")
    grid = grid[grid["provider"].isin(CCF_PROVIDERS) & (grid["variant"] == "grid")]
    rows: dict[str, dict] = {}
    for rec in grid.itertuples():
        provider = CCF_PROVIDERS[rec.provider]
        region = rec.region.lower().replace(" ", "") if provider == "azure" else rec.region
        rows.setdefault(
            f"ccf:{provider}:{region}",
            factor(
                "compat",
                f"ccf:{provider}:{region}",
                "gwp",
                rec.mtco2e_per_kwh * 1000,
                "kgCO2e/kWh",
                CCF_YEAR,
                "ccf",
                "Apache-2.0",
                f"CCF grid factor of {rec.region} ({rec.mtco2e_per_kwh:g} t/kWh); {rec.source}",
            ),
        )
    return list(rows.values())


#: CCF's Azure managed-disk tables → the kind of disk (``azure_size_lookups.csv``).
CCF_AZURE_DISKS = {"SSD_MANAGED_DISKS_STORAGE_GB": "ssd", "HDD_MANAGED_DISKS_STORAGE_GB": "hdd"}


def ccf_azure_disk_rows(data: Path) -> list[dict]:
    """Capacity of each Azure managed-disk tier as CCF counts it (``ConsumptionTypes.ts``,
    extracted in ``azure_size_lookups.csv``). CCF names the numbers GB; Azure's
    disk pages state the same numbers in GiB, the unit stored here."""
    table = pd.read_csv(data / "ccf/app/azure_size_lookups.csv")
    rows = []
    for rec in table[table["table"].isin(CCF_AZURE_DISKS)].itertuples():
        rows.append(
            factor(
                "compat",
                f"ccf:azure:{CCF_AZURE_DISKS[rec.table]}_disk:{rec.key}",
                "capacity",
                float(rec.value),
                "GiB",
                CCF_YEAR,
                "ccf",
                "Apache-2.0",
                f"CCF {rec.table} {rec.key} ({rec.unit}); packages/azure/src/lib/"
                "ConsumptionTypes.ts; Azure states the tier sizes in GiB "
                "(https://learn.microsoft.com/azure/virtual-machines/disks-types)",
            )
        )
    return rows


def ccf_rows(data: Path) -> list[dict]:
    """CCF's provider constants and GCP regional PUE."""
    rows = []
    for rec in constants(data).itertuples():
        key = f"ccf:{rec.provider}"
        note = f"CCF {rec.constant} ({rec.description}); {rec.source_file}"
        if rec.constant == "PUE_AVG":
            rows.append(
                factor(
                    "compat",
                    key,
                    "pue",
                    rec.value,
                    "dimensionless",
                    CCF_YEAR,
                    "ccf",
                    "Apache-2.0",
                    note,
                )
            )
        elif rec.constant == "AVG_CPU_UTILIZATION_2020":
            rows.append(
                factor(
                    "compat",
                    key,
                    "utilization",
                    rec.value / 100,
                    "dimensionless",
                    CCF_YEAR,
                    "ccf",
                    "Apache-2.0",
                    note + " (percent / 100)",
                )
            )
        elif rec.constant == "SERVER_EXPECTED_LIFESPAN":
            rows.append(
                factor(
                    "compat",
                    key,
                    "lifetime",
                    rec.value,
                    "hour",
                    CCF_YEAR,
                    "ccf",
                    "Apache-2.0",
                    note,
                )
            )
        elif rec.constant in CCF_USAGE:
            usage, unit, _ = CCF_USAGE[rec.constant]
            rows.append(
                factor(
                    "compat",
                    f"{key}:{usage}",
                    "energy",
                    rec.value,
                    unit,
                    CCF_YEAR,
                    "ccf",
                    "Apache-2.0",
                    note,
                )
            )
    pue = pd.read_csv(data / "ccf/app/pue.csv")
    regional = pue[(pue["provider"] == "GCP") & (pue["region"] != "*default*")]
    for rec in regional.itertuples():
        rows.append(
            factor(
                "compat",
                f"ccf:gcp:{rec.region}",
                "pue",
                rec.pue,
                "dimensionless",
                CCF_YEAR,
                "ccf",
                "Apache-2.0",
                f"CCF {rec.note}; {rec.source_file}",
            )
        )
    return rows


def green_algorithms_rows(data: Path) -> list[dict]:
    """The Green Algorithms calculator's defaults."""
    folder = data / "green-algorithms"
    rows = []
    pue = pd.read_csv(folder / "defaults_PUE.csv", skiprows=1)
    for rec in pue.itertuples():
        if rec.provider in GA_PLATFORMS:
            rows.append(
                factor(
                    "compat",
                    f"{GA}:{GA_PLATFORMS[rec.provider]}",
                    "pue",
                    rec.PUE,
                    "dimensionless",
                    GA_YEAR,
                    "green_algorithms",
                    "CC-BY-4.0",
                    f"defaults_PUE.csv {rec.provider}; {rec.source}",
                )
            )
    rows.append(
        factor(
            "compat",
            f"{GA}:personal_computer",
            "pue",
            1.0,
            "dimensionless",
            GA_YEAR,
            "green_algorithms",
            "CC-BY-4.0",
            "a personal computer has no data-centre overhead (calculator form)",
        )
    )
    reference = pd.read_csv(folder / "referenceValues.csv", skiprows=1).set_index("variable")
    rows.append(
        factor(
            "compat",
            f"{GA}:memory",
            "power",
            float(reference.loc["memoryPower", "value"]),
            "W/GB",
            GA_YEAR,
            "green_algorithms",
            "CC-BY-4.0",
            "memoryPower; " + str(reference.loc["memoryPower", "source"]),
        )
    )
    return rows


def green_algorithms_table_rows(data: Path) -> list[dict]:
    """The calculator's hardware and location tables: ``green-algorithms:cpu:<model>`` W per
    core (``TDP_cpu.csv`` TDP_per_core; "Any" as ``any_cpu``), ``green-algorithms:gpu:<model>``
    W per GPU (``TDP_gpu.csv``; "Any" as ``any_gpu``), ``green-algorithms:<location>`` carbon
    intensity (``CI_aggregated.csv``), and per datacentre ``green-algorithms:<provider>:<name>``
    its PUE where given and the carbon intensity of its location
    (``cloudProviders_datacenters.csv``)."""
    folder = data / "green-algorithms"
    rows = []
    for kind, unit, name in (("cpu", "W/vcpu", "TDP_cpu.csv"), ("gpu", "W/gpu", "TDP_gpu.csv")):
        table = pd.read_csv(folder / name, skiprows=1)
        for rec in table.dropna(subset=["TDP_per_core"]).itertuples():
            model = f"any_{kind}" if rec.model == "Any" else norm_key(rec.model)
            rows.append(
                factor(
                    "compat",
                    f"{GA}:{kind}:{model}",
                    "power",
                    rec.TDP_per_core,
                    unit,
                    GA_YEAR,
                    "green_algorithms",
                    "CC-BY-4.0",
                    f"{name} {rec.model!r}: TDP_per_core",
                )
            )
    intensity = pd.read_csv(folder / "CI_aggregated.csv", skiprows=1).set_index("location")
    for location, rec in intensity.iterrows():
        rows.append(
            factor(
                "compat",
                f"{GA}:{location}",
                "gwp",
                float(rec["carbonIntensity"]),
                "gCO2e/kWh",
                GA_YEAR,
                "green_algorithms",
                "CC-BY-4.0",
                f"CI_aggregated.csv {location}; {rec['source']}",
            )
        )
    centres = pd.read_csv(folder / "cloudProviders_datacenters.csv", skiprows=1)
    for rec in centres[centres["provider"].isin(GA_PLATFORMS)].itertuples():
        key = f"{GA}:{GA_PLATFORMS[rec.provider]}:{rec.Name}"
        note = f"cloudProviders_datacenters.csv {rec.provider} {rec.Name} ({rec.location})"
        if rec.PUE == rec.PUE:
            rows.append(
                factor(
                    "compat",
                    key,
                    "pue",
                    rec.PUE,
                    "dimensionless",
                    GA_YEAR,
                    "green_algorithms",
                    "CC-BY-4.0",
                    f"{note}; {rec.source_PUE}",
                )
            )
        if rec.location not in intensity.index:  # a datacentre without a location (Qatar)
            continue
        rows.append(
            factor(
                "compat",
                key,
                "gwp",
                float(intensity.loc[rec.location, "carbonIntensity"]),
                "gCO2e/kWh",
                GA_YEAR,
                "green_algorithms",
                "CC-BY-4.0",
                f"{note}: CI_aggregated.csv {rec.location}",
            )
        )
    return rows


def tracker_rows() -> list[dict]:
    """Trackers' own defaults (``curated/tracker_defaults.csv``, each row citing the tracker's
    source): ``<tool>`` ``pue`` is the PUE a tracker applied when its log states none."""
    return [
        factor(
            "compat",
            rec.tool,
            rec.indicator,
            float(rec.value),
            rec.unit,
            CCF_YEAR,
            rec.tool,
            "MIT",
            rec.source,
        )
        for rec in read_curated("tracker_defaults.csv").itertuples()
    ]


def tracker_regions() -> pd.DataFrame:
    """Trackers' sub-national region names → the library's grid zone
    (``curated/tracker_regions.csv``; CodeCarbon's ``region`` column)."""
    return read_curated("tracker_regions.csv").assign(licence="MIT", year=CCF_YEAR)


def cloud_replication(data: Path) -> pd.DataFrame:
    """CCF's replication factors per service and billing usage type: the match rules
    (``curated/cloud_replication_rules.csv``, from each provider's ``ReplicationFactors.ts``;
    the first rule of a service, by priority, whose ``contains_any`` — and ``and_contains_any``
    — substrings occur in the usage type wins; blank matches any) with the factor of each rule
    from ``ccf/app/replication_factors.csv``."""
    factors = pd.read_csv(data / "ccf" / "app" / "replication_factors.csv", dtype=str)
    value = {(p.lower(), k): float(f) for p, k, f in factors[["provider", "key", "factor"]].values}
    rules = read_curated("cloud_replication_rules.csv")
    missing = [r for r in zip(rules["provider"], rules["rule"], strict=True) if r not in value]
    if missing:
        raise ValueError(f"replication rules without a CCF factor: {missing}")
    return rules.assign(
        priority=rules["priority"].astype(int),
        replication_factor=[value[r] for r in zip(rules["provider"], rules["rule"], strict=True)],
        licence="Apache-2.0",
        year=CCF_YEAR,
    )


def build(data: Path) -> list[Output]:
    """The compat table, CCF's replication rules and the trackers' region table."""
    return [
        mapping_output(
            "cloud_replication.csv",
            "cloud_replication",
            "Apache-2.0",
            ("ccf", "curated"),
            "Cloud Carbon Footprint's replication factors per service and billing usage type",
            cloud_replication(data),
            ["provider", "service", "priority"],
        ),
        mapping_output(
            "tracker_regions.csv",
            "tracker_regions",
            "MIT",
            ("codecarbon_mix", "curated"),
            "Tracker region names (CodeCarbon) → grid zone",
            tracker_regions(),
            ["tool", "region"],
        ),
        factor_output(
            "compat.csv",
            "compat",
            "Apache-2.0 (CCF); CC-BY-4.0 (Green Algorithms)",
            ("ccf", "ccf_coef", "green_algorithms"),
            "Constants of Cloud Carbon Footprint and the Green Algorithms "
            "calculator, for --method ccf and --method green-algorithms",
            ccf_rows(data)
            + ccf_grid_rows(data)
            + ccf_instance_rows(data)
            + ccf_azure_disk_rows(data)
            + green_algorithms_rows(data)
            + green_algorithms_table_rows(data)
            + tracker_rows(),
        ),
    ]


def _vendor(architecture: str) -> str:
    """The vendor word CCF's processor names carry and ccf-coefficients' architectures omit."""
    if architecture.startswith("EPYC"):
        return "AMD "
    return "AWS " if architecture.startswith("Graviton") else ""
