"""Cloud mapping tables: ``cloud_regions.csv`` and ``cloud_instances.csv``.

cloud_regions (provider, region, country ISO2, grid_zone, location): the union of the region
lists of CCF (AWS, GCP, Azure grid tables), BoaviztAPI (aws, azure, gcp, ovhcloud → ovh,
scaleway) and Green Algorithms (datacentre locations). Country from BoaviztAPI's ISO3, else
Green Algorithms' location code, else CCF's Electricity Maps zone. grid_zone = CCF's
Electricity Maps zone when it names one, else the country. ``curated/cloud_regions_supplement.csv``
adds the country of regions and Azure geographies none of those lists place. Regions with no
country (multi-region names such as ``us``, ``europe``) are left out.

cloud_instances: AWS EC2, GCP and Azure VM types from the CCF app tables: vcpu, memory_gb,
gpu_count, gpu_model (``gpu:`` key suffix), microarchitecture (first processor, normalised to
the ``cloud`` coefficient keys, e.g. ``cascade_lake``), host_vcpu (largest vCPU count of the
family, or Azure's platform vCPUs) and embodied_kgco2e of the host platform.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lca.factors.build.common import Output, mapping_output, read_curated
from lca.factors.build.countries import alpha3_to_alpha2

CCF = "ccf/app"
PROVIDERS = {"AWS": "aws", "GCP": "gcp", "AZURE": "azure", "aws": "aws", "gcp": "gcp",
             "azure": "azure", "ovhcloud": "ovh", "scaleway": "scaleway"}


def norm_key(text: str) -> str:
    """Coefficient-key form: lowercase, runs of non-alphanumerics → ``_``."""
    return re.sub(r"[^0-9a-z]+", "_", str(text).lower()).strip("_")


def gpu_key(name: str) -> str:
    """``Nvidia Tesla V100`` → ``v100``; ``AMD Radeon Pro V520`` → ``radeon_pro_v520``."""
    return norm_key(re.sub(r"^(nvidia tesla|nvidia|amd|xilinx)\s+", "", str(name).lower()))


def region_table(data: Path) -> pd.DataFrame:
    """One row per (provider, region) with country, grid_zone, location, source."""
    to2 = alpha3_to_alpha2(data)
    ccf = pd.read_csv(data / CCF / "grid_emission_factors.csv", dtype=str, keep_default_na=False)
    ccf = ccf[ccf["provider"].isin(["AWS", "GCP", "AZURE"]) & (ccf["variant"] == "grid")]
    boa = pd.read_csv(data / "boavizta/boaviztapi/archetypes/cloud/regions.csv", dtype=str)
    green = pd.read_csv(data / "green-algorithms/cloudProviders_datacenters.csv", skiprows=1,
                        dtype=str, keep_default_na=False)
    frames = [
        pd.DataFrame({"provider": ccf["provider"].map(PROVIDERS), "region": ccf["region"],
                      "zone": ccf["electricity_maps_zone"], "source": "ccf"}),
        pd.DataFrame({"provider": boa["provider"].map(PROVIDERS), "region": boa["region"],
                      "iso": boa["usage_location"].map(to2), "source": "boaviztapi"}),
        pd.DataFrame({"provider": green["provider"].map(PROVIDERS), "region": green["Name"],
                      "green": green["location"], "location": green["location_freeForm"]
                      .str.strip(), "source": "green_algorithms"}),
        read_curated("cloud_regions_supplement.csv").rename(columns={"country": "iso"})
        .assign(source="curated"),
    ]
    rows = pd.concat(frames, ignore_index=True).dropna(subset=["provider"]).fillna("")
    grouped = rows.groupby(["provider", "region"]).agg(
        lambda s: next((v for v in s if v), ""))
    grouped["sources"] = rows.groupby(["provider", "region"])["source"].agg(
        lambda s: ";".join(sorted(set(s))))
    grouped["country"] = [iso or green[:2] or zone[:2] for iso, green, zone
                          in zip(grouped["iso"], grouped["green"], grouped["zone"], strict=True)]
    grouped["grid_zone"] = [zone or country for zone, country
                            in zip(grouped["zone"], grouped["country"], strict=True)]
    return grouped.reset_index()


def _first(processors: str) -> str:
    first = str(processors).split("|")[0] if processors == processors else ""
    return "" if first in ("", "Unknown") else norm_key(first)


@lru_cache(maxsize=2)
def instance_table(data: Path) -> pd.DataFrame:
    """provider, family, instance_type, vcpu, memory_gb, gpu_count, gpu_model,
    microarchitecture, host_vcpu, embodied_kgco2e (host platform)."""
    aws = pd.read_csv(data / CCF / "aws_instance_types.csv").query(
        "table == 'EC2_INSTANCE_TYPES'")
    gcp = pd.read_csv(data / CCF / "gcp_machine_types.csv").query(
        "table == 'MACHINE_FAMILY_TO_MACHINE_TYPE_MAPPING'")
    prefixes = pd.read_csv(data / CCF / "gcp_machine_prefix_processors.csv").set_index(
        "machine_type_prefix")["processors"]
    azure = pd.read_csv(data / CCF / "azure_vm_types.csv").query(
        "table == 'VIRTUAL_MACHINE_TYPE_SERIES_MAPPING'")
    frames = [
        pd.DataFrame({"provider": "aws", "family": aws["family"],
                      "instance_type": aws["instance_type"], "vcpu": aws["vcpus"],
                      "memory_gb": aws["memory_gb"], "gpu_count": aws["gpu_count"],
                      "gpu": aws["gpu_processors"], "cpu": aws["cpu_processors"],
                      "platform_vcpu": float("nan"), "embodied": aws["embodied_mtco2e"]}),
        pd.DataFrame({"provider": "gcp", "family": gcp["family"],
                      "instance_type": gcp["machine_type"], "vcpu": gcp["vcpus"],
                      "memory_gb": float("nan"), "gpu_count": 0, "gpu": "",
                      "cpu": gcp["machine_type"].str.split("-").str[0].map(prefixes),
                      "platform_vcpu": float("nan"), "embodied": gcp["embodied_mtco2e"]}),
        pd.DataFrame({"provider": "azure", "family": azure["series"],
                      "instance_type": azure["vm_type"], "vcpu": azure["vcpus"],
                      "memory_gb": azure["memory_gb"], "gpu_count": azure["gpu_count"],
                      "gpu": azure["gpu_processors"], "cpu": azure["cpu_processors"],
                      "platform_vcpu": azure["platform_vcpus"],
                      "embodied": azure["embodied_mtco2e"]}),
    ]
    table = pd.concat(frames, ignore_index=True).drop_duplicates(["provider", "instance_type"])
    largest = table.groupby(["provider", "family"])["vcpu"].transform("max")
    return pd.DataFrame({
        "provider": table["provider"], "family": table["family"],
        "instance_type": table["instance_type"], "vcpu": table["vcpu"].astype("int64"),
        "memory_gb": table["memory_gb"].astype("float64"),
        "gpu_count": table["gpu_count"].fillna(0).astype("int64"),
        "gpu_model": [gpu_key(g) if isinstance(g, str) and g else "" for g in table["gpu"]],
        "microarchitecture": table["cpu"].map(_first),
        "host_vcpu": table["platform_vcpu"].fillna(largest).astype("int64"),
        "embodied_kgco2e": (table["embodied"].astype("float64") * 1000).round(6),
    })


def build(data: Path) -> list[Output]:
    """The two cloud mapping tables."""
    regions = region_table(data)
    regions = regions[regions["country"] != ""].assign(
        licence="Apache-2.0 (CCF); AGPL-3.0 (BoaviztAPI); CC-BY-4.0 (Green Algorithms)",
        year=2025)
    regions = regions.rename(columns={"sources": "source"})[
        ["provider", "region", "country", "grid_zone", "location", "source", "licence", "year"]]
    instances = instance_table(data).drop(columns="family").assign(
        source="ccf", licence="Apache-2.0", year=2024)
    return [
        mapping_output("cloud_regions.csv", "cloud_regions",
                       "Apache-2.0; AGPL-3.0 (BoaviztAPI region list); CC-BY-4.0",
                       ("ccf", "boaviztapi", "green_algorithms"),
                       "Cloud region → country, grid zone and location", regions,
                       ["provider", "region"]),
        mapping_output("cloud_instances.csv", "cloud_instances", "Apache-2.0", ("ccf",),
                       "Cloud instance types → vCPU, memory, GPU, microarchitecture, embodied",
                       instances, ["provider", "instance_type"]),
    ]
