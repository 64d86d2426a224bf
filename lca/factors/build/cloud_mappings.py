"""Cloud mapping tables: ``cloud_regions.csv`` and ``cloud_instances.csv``.

cloud_regions (provider, region, country ISO2, grid_zone, location): the union of the region
lists of CCF (AWS, GCP, Azure grid tables), BoaviztAPI (aws, azure, gcp, ovhcloud → ovh,
scaleway) and Green Algorithms (datacentre locations). Country from BoaviztAPI's ISO3, else
Green Algorithms' location code, else CCF's Electricity Maps zone. grid_zone = CCF's
Electricity Maps zone when it names one, else the country. ``curated/cloud_regions_supplement.csv``
adds the country of regions and Azure geographies none of those lists place. Regions with no
country (multi-region names such as ``us``, ``europe``) are left out.

cloud_instances: AWS EC2, GCP and Azure VM types from the CCF app tables, plus the types only
CCF's 2026 instance lists have (``source`` ccf_coef) and a curated supplement (Azure v6, H100
types; ``source`` curated): vcpu, memory_gb, gpu_count, gpu_model (``gpu:`` key suffix; counts
of GPU types from ``curated/cloud_gpu_instances.csv``, else from ccf-coefficients' and
BoaviztAPI's instance lists where the app's are blank: g4ad.xlarge, Azure NC Promo …),
microarchitecture (normalised to the ``cloud`` coefficient keys, e.g. ``cascade_lake``),
host_vcpu (largest vCPU count of the family, or Azure's platform vCPUs) and embodied_kgco2e
of the host platform; every Azure type again under its API spelling ``Standard_D4s_v5``
(column ``alias_of``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lca.factors.build.common import Output, mapping_output, read_curated
from lca.factors.build.countries import alpha3_to_alpha2

CCF = "ccf/app"
PROVIDERS = {
    "AWS": "aws",
    "GCP": "gcp",
    "AZURE": "azure",
    "aws": "aws",
    "gcp": "gcp",
    "azure": "azure",
    "ovhcloud": "ovh",
    "scaleway": "scaleway",
}


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
    green = pd.read_csv(
        data / "green-algorithms/cloudProviders_datacenters.csv",
        skiprows=1,
        dtype=str,
        keep_default_na=False,
    )
    frames = [
        pd.DataFrame(
            {
                "provider": ccf["provider"].map(PROVIDERS),
                "region": ccf["region"],
                "zone": ccf["electricity_maps_zone"],
                "source": "ccf",
            }
        ),
        pd.DataFrame(
            {
                "provider": boa["provider"].map(PROVIDERS),
                "region": boa["region"],
                "iso": boa["usage_location"].map(to2),
                "source": "boaviztapi",
            }
        ),
        pd.DataFrame(
            {
                "provider": green["provider"].map(PROVIDERS),
                "region": green["Name"],
                "green": green["location"],
                "location": green["location_freeForm"].str.strip(),
                "source": "green_algorithms",
            }
        ),
        read_curated("cloud_regions_supplement.csv")
        .rename(columns={"country": "iso"})
        .assign(source="curated"),
    ]
    rows = pd.concat(frames, ignore_index=True).dropna(subset=["provider"]).fillna("")
    grouped = rows.groupby(["provider", "region"]).agg(lambda s: next((v for v in s if v), ""))
    grouped["sources"] = rows.groupby(["provider", "region"])["source"].agg(
        lambda s: ";".join(sorted(set(s)))
    )
    grouped["country"] = [
        iso or green[:2] or zone[:2]
        for iso, green, zone in zip(grouped["iso"], grouped["green"], grouped["zone"], strict=True)
    ]
    grouped["grid_zone"] = [
        zone or country for zone, country in zip(grouped["zone"], grouped["country"], strict=True)
    ]
    return grouped.reset_index()


def _first(processors: str) -> str:
    first = str(processors).split("|")[0] if processors == processors else ""
    return "" if first in ("", "Unknown") else norm_key(first)


COEF = "ccf/coefficients/data"


def cpu_microarchitecture(names: pd.Series) -> pd.Series:
    """CPU model names of CCF's 2026 lists → coefficient keys (``curated/
    cloud_cpu_microarchitectures.csv``, first matching pattern; blank when none matches)."""
    patterns = read_curated("cloud_cpu_microarchitectures.csv")

    def one(name: object) -> str:
        text = str(name) if isinstance(name, str) else ""
        return next(
            (
                key
                for pattern, key in zip(
                    patterns["pattern"], patterns["microarchitecture"], strict=True
                )
                if pattern.lower() in text.lower()
            ),
            "",
        )

    return names.map(one)


def newer_instances(data: Path) -> pd.DataFrame:
    """AWS and GCP types of CCF's 2026 instance lists (ccf-coefficients ``data/``), in the
    columns of the app tables; family = AWS type prefix or GCP platform. The GCP list's
    platform emissions are left out (0.4 to 3 900 "mtCO2eq" per platform: not a consistent
    unit); ``instance_table`` gives those platforms the app families' median per vCPU."""
    aws = pd.read_csv(data / COEF / "aws-instances-latest-2026.csv").dropna(
        subset=["Instance Type", "vCPUs"]
    )
    gcp = pd.read_csv(data / COEF / "gcp-instances-latest-2026.csv").dropna(
        subset=["Instance Type", "Instance vCPU"]
    )
    gcp_arch = [
        norm_key(("AMD " if maker == "AMD" else "") + arch)
        if isinstance(arch, str) and arch
        else ""
        for maker, arch in zip(gcp["Manufacturer"], gcp["Microarchitecture"], strict=True)
    ]
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "provider": "aws",
                    "family": aws["Instance Type"].str.split(".").str[0],
                    "instance_type": aws["Instance Type"],
                    "vcpu": aws["vCPUs"],
                    "memory_gb": aws["Memory (GiB)"],
                    "gpu_count": 0,
                    "gpu": "",
                    "microarchitecture": cpu_microarchitecture(aws["Platform CPU Name"]),
                    "platform_vcpu": float("nan"),
                    "embodied": aws["Platform Embedded Emissions (mtCo2eq)"],
                    "source": "ccf_coef",
                }
            ),
            pd.DataFrame(
                {
                    "provider": "gcp",
                    "family": gcp["Platform"],
                    "instance_type": gcp["Instance Type"],
                    "vcpu": gcp["Instance vCPU"],
                    "memory_gb": gcp["Instance Memory"],
                    "gpu_count": 0,
                    "gpu": "",
                    "microarchitecture": gcp_arch,
                    "platform_vcpu": float("nan"),
                    "embodied": float("nan"),
                    "source": "ccf_coef",
                }
            ),
        ],
        ignore_index=True,
    )


def supplement(app: pd.DataFrame) -> pd.DataFrame:
    """``curated/cloud_instances_supplement.csv`` (types no CCF list has yet): embodied of the
    host platform taken from the CCF type named in ``embodied_as``."""
    rows = read_curated("cloud_instances_supplement.csv")
    embodied = app.set_index(["provider", "instance_type"])["embodied"]
    return pd.DataFrame(
        {
            "provider": rows["provider"],
            "family": rows["instance_type"] + " (curated)",
            "instance_type": rows["instance_type"],
            "vcpu": rows["vcpu"].astype("int64"),
            "memory_gb": rows["memory_gb"].astype("float64"),
            "gpu_count": rows["gpu_count"].astype("int64"),
            "gpu": rows["gpu_model"],
            "microarchitecture": rows["microarchitecture"],
            "platform_vcpu": rows["host_vcpu"].astype("float64"),
            "embodied": [
                embodied[(p, t)] for p, t in zip(rows["provider"], rows["embodied_as"], strict=True)
            ],
            "source": "curated",
        }
    )


def gpu_models(data: Path) -> set[str]:
    """The GPU models the library knows (``gpu_key`` form): those of CCF's GPU coefficients, of
    the app's GPU instance types and of ``curated/cloud_gpu_instances.csv``."""
    coef = pd.read_csv(data / CCF / "compute_coefficients_by_microarchitecture.csv")
    aws = pd.read_csv(data / CCF / "aws_instance_types.csv")["gpu_processors"].dropna()
    azure = pd.read_csv(data / CCF / "azure_vm_types.csv")["gpu_processors"].dropna()
    names = [
        *coef.loc[coef["kind"] == "gpu", "processor"],
        *(name for cell in (*aws, *azure) for name in str(cell).split("|")),
    ]
    curated = read_curated("cloud_gpu_instances.csv")["gpu_model"]
    return {gpu_key(name) for name in names if name} | set(curated)


def sourced_gpus(data: Path, models: set[str]) -> pd.DataFrame:
    """GPUs per instance type in the other instance lists of ``data``, for the types the CCF
    app, CCF's 2026 lists and the curated list give none (``instance_table``): first
    ccf-coefficients' ``data/{aws,azure,gcp}-instances.csv`` (GPUs per instance; the AWS list
    also names them), then BoaviztAPI's cloud archetypes (``gpu_units`` of AWS and GCP types,
    named by the ``GPU.name`` of the type's platform in ``archetypes/server.csv``; Azure's
    ``gpu_units`` are text such as "1/8th MI25" and are not read). A named accelerator that is
    not a GPU model the library knows (``models``: AWS Inferentia and Trainium, Intel Gaudi)
    is left out, so its type keeps no GPUs; a count without a name leaves the model blank.
    Indexed by (provider, instance_type): gpu_count, gpu (name or ""), origin."""
    coef = data / "ccf/coefficients/data"
    boa = data / "boavizta/boaviztapi/archetypes"
    aws = pd.read_csv(coef / "aws-instances.csv")
    azure = pd.read_csv(coef / "azure-instances.csv")
    gcp = pd.read_csv(coef / "gcp-instances.csv")
    platforms = pd.read_csv(boa / "server.csv", dtype=str).set_index("id")["GPU.name"]
    frames = [
        pd.DataFrame(
            {
                "provider": provider,
                "instance_type": types,
                "gpu_count": counts,
                "gpu": names,
                "origin": f"ccf_coef (GPU count: data/{provider}-instances.csv)",
            }
        )
        for provider, types, counts, names in (
            ("aws", aws["Instance type"], aws["Instance Number of GPU"], aws["Platform GPU Name"]),
            ("azure", azure["Virtual Machine"], azure["Instance GPUs"], ""),
            ("gcp", gcp["Machine type"], gcp["Instance GPUs"], ""),
        )
    ]
    for provider in ("aws", "gcp"):
        listed = pd.read_csv(boa / f"cloud/{provider}.csv", dtype=str)
        frames.append(
            pd.DataFrame(
                {
                    "provider": provider,
                    "instance_type": listed["id"],
                    "gpu_count": listed["gpu_units"],
                    "gpu": listed["platform"].map(platforms),
                    "origin": "boaviztapi (GPU count and model: archetypes/cloud, server.csv)",
                }
            )
        )
    rows = pd.concat(frames, ignore_index=True)
    rows["gpu_count"] = pd.to_numeric(rows["gpu_count"], errors="coerce")
    rows["gpu"] = rows["gpu"].fillna("").astype(str)
    named = rows["gpu"].ne("")
    is_gpu = ~named | rows["gpu"].map(gpu_key).isin(models)
    rows = rows[rows["gpu_count"].gt(0) & is_gpu]
    rows = rows.assign(gpu_count=rows["gpu_count"].astype("int64"))
    return rows.drop_duplicates(["provider", "instance_type"]).set_index(
        ["provider", "instance_type"]
    )


@lru_cache(maxsize=2)
def instance_table(data: Path) -> pd.DataFrame:
    """provider, family, instance_type, vcpu, memory_gb, gpu_count, gpu_model,
    microarchitecture, host_vcpu, embodied_kgco2e (host platform), source, alias_of.

    Rows: the CCF app tables, then types only CCF's 2026 lists have, then the curated
    supplement; GPU counts and models of ``curated/cloud_gpu_instances.csv`` replace CCF's
    zeros, then those of the other instance lists (``sourced_gpus``; ``source`` names the
    list); every Azure type also under the API spelling ``Standard_<name with _>``
    (``alias_of`` names the CCF spelling)."""
    aws = pd.read_csv(data / CCF / "aws_instance_types.csv").query("table == 'EC2_INSTANCE_TYPES'")
    gcp = pd.read_csv(data / CCF / "gcp_machine_types.csv").query(
        "table == 'MACHINE_FAMILY_TO_MACHINE_TYPE_MAPPING'"
    )
    prefixes = pd.read_csv(data / CCF / "gcp_machine_prefix_processors.csv").set_index(
        "machine_type_prefix"
    )["processors"]
    azure = pd.read_csv(data / CCF / "azure_vm_types.csv").query(
        "table == 'VIRTUAL_MACHINE_TYPE_SERIES_MAPPING'"
    )
    frames = [
        pd.DataFrame(
            {
                "provider": "aws",
                "family": aws["family"],
                "instance_type": aws["instance_type"],
                "vcpu": aws["vcpus"],
                "memory_gb": aws["memory_gb"],
                "gpu_count": aws["gpu_count"],
                "gpu": aws["gpu_processors"],
                "cpu": aws["cpu_processors"],
                "platform_vcpu": float("nan"),
                "embodied": aws["embodied_mtco2e"],
            }
        ),
        pd.DataFrame(
            {
                "provider": "gcp",
                "family": gcp["family"],
                "instance_type": gcp["machine_type"],
                "vcpu": gcp["vcpus"],
                "memory_gb": float("nan"),
                "gpu_count": 0,
                "gpu": "",
                "cpu": gcp["machine_type"].str.split("-").str[0].map(prefixes),
                "platform_vcpu": float("nan"),
                "embodied": gcp["embodied_mtco2e"],
            }
        ),
        pd.DataFrame(
            {
                "provider": "azure",
                "family": azure["series"],
                "instance_type": azure["vm_type"],
                "vcpu": azure["vcpus"],
                "memory_gb": azure["memory_gb"],
                "gpu_count": azure["gpu_count"],
                "gpu": azure["gpu_processors"],
                "cpu": azure["cpu_processors"],
                "platform_vcpu": azure["platform_vcpus"],
                "embodied": azure["embodied_mtco2e"],
            }
        ),
    ]
    app = pd.concat(frames, ignore_index=True).drop_duplicates(["provider", "instance_type"])
    app = app.assign(microarchitecture=app.pop("cpu").map(_first), source="ccf")
    table = pd.concat([app, newer_instances(data), supplement(app)], ignore_index=True)
    table = table.drop_duplicates(["provider", "instance_type"])
    # host vCPUs = largest type of the family within its own list (the app's rows unchanged)
    largest = table.groupby(["provider", "family", "source"])["vcpu"].transform("max")
    host = table["platform_vcpu"].fillna(largest)
    families = app.assign(host=host[: len(app)]).drop_duplicates(["provider", "family"])
    per_vcpu = (families["embodied"] / families["host"]).groupby(families["provider"]).median()
    blank = table["embodied"].isna() & table["source"].eq("ccf_coef")
    table.loc[blank, "embodied"] = (table.loc[blank, "provider"].map(per_vcpu) * host[blank]).round(
        9
    )
    table.loc[blank, "source"] = "ccf_coef;ccf (embodied = app median per vCPU × host vCPUs)"
    gpus = read_curated("cloud_gpu_instances.csv").set_index(["provider", "instance_type"])
    at = pd.MultiIndex.from_frame(table[["provider", "instance_type"]])
    known = at.isin(gpus.index)
    table.loc[known, "gpu_count"] = gpus.loc[at[known], "gpu_count"].astype("int64").to_numpy()
    table.loc[known, "gpu"] = gpus.loc[at[known], "gpu_model"].to_numpy()
    listed = sourced_gpus(data, gpu_models(data))
    fill = table["gpu_count"].fillna(0).eq(0).to_numpy() & at.isin(listed.index)
    table.loc[fill, "gpu_count"] = listed.loc[at[fill], "gpu_count"].to_numpy()
    table.loc[fill, "gpu"] = listed.loc[at[fill], "gpu"].to_numpy()
    table.loc[fill, "source"] = (
        table.loc[fill, "source"] + ";" + listed.loc[at[fill], "origin"].to_numpy()
    )
    out = pd.DataFrame(
        {
            "provider": table["provider"],
            "family": table["family"],
            "instance_type": table["instance_type"],
            "vcpu": table["vcpu"].astype("int64"),
            "memory_gb": table["memory_gb"].astype("float64"),
            "gpu_count": table["gpu_count"].fillna(0).astype("int64"),
            "gpu_model": [gpu_key(g) if isinstance(g, str) and g else "" for g in table["gpu"]],
            "microarchitecture": table["microarchitecture"].fillna(""),
            "host_vcpu": host.astype("int64"),
            "embodied_kgco2e": (table["embodied"].astype("float64") * 1000).round(6),
            "source": table["source"],
            "alias_of": "",
        }
    )
    azure_rows = out[out["provider"] == "azure"]
    aliases = azure_rows.assign(
        instance_type="Standard_" + azure_rows["instance_type"].str.replace(" ", "_"),
        alias_of=azure_rows["instance_type"],
    )
    return pd.concat([out, aliases], ignore_index=True).reset_index(drop=True)


def build(data: Path) -> list[Output]:
    """The two cloud mapping tables."""
    regions = region_table(data)
    regions = regions[regions["country"] != ""].assign(
        licence="Apache-2.0 (CCF); AGPL-3.0 (BoaviztAPI); CC-BY-4.0 (Green Algorithms)", year=2025
    )
    regions = regions.rename(columns={"sources": "source"})[
        ["provider", "region", "country", "grid_zone", "location", "source", "licence", "year"]
    ]
    instances = instance_table(data).drop(columns="family").assign(licence="Apache-2.0", year=2024)
    boavizta = instances["source"].str.contains("boaviztapi", regex=False)
    instances.loc[boavizta, "licence"] = "Apache-2.0; AGPL-3.0 (BoaviztAPI GPU count)"
    instances = instances[[c for c in instances.columns if c != "alias_of"] + ["alias_of"]]
    return [
        mapping_output(
            "cloud_regions.csv",
            "cloud_regions",
            "Apache-2.0; AGPL-3.0 (BoaviztAPI region list); CC-BY-4.0",
            ("ccf", "boaviztapi", "green_algorithms"),
            "Cloud region → country, grid zone and location",
            regions,
            ["provider", "region"],
        ),
        mapping_output(
            "cloud_instances.csv",
            "cloud_instances",
            "Apache-2.0; AGPL-3.0 (BoaviztAPI GPU counts of some types)",
            ("ccf", "ccf_coef", "curated", "boaviztapi"),
            "Cloud instance types → vCPU, memory, GPU, microarchitecture, embodied",
            instances,
            ["provider", "instance_type"],
        ),
    ]
