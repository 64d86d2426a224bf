"""Cloud coefficients (``cloud.csv``), mostly from Cloud Carbon Footprint (Apache-2.0).

* ``<provider>``: ``pue`` and ``wue`` (L/kWh) as reported by the providers (hand-compiled
  evidence file; Google's WUE is derived there from water volume / electricity), one row per
  reported year; ``utilization`` = CCF AVG_CPU_UTILIZATION_2020 (share); ``lifetime`` = CCF
  SERVER_EXPECTED_LIFESPAN (hours / 8760).
* ``<provider>:<region>``: CCF's regional PUE where the provider publishes one (GCP).
* ``<provider>:<microarchitecture>`` and ``<provider>:default``: CCF min/max W per vCPU (the
  app's values; microarchitectures only the 2026 ccf-coefficients files have come from there;
  those Azure types name that only the AWS file has, from the AWS file: ``azure_power_rows``).
* ``gpu:<model>``: CCF min/max W per GPU; ``gpu:default`` = median over those models.
* ``memory``, ``storage_ssd``, ``storage_hdd``, ``network``: CCF ``energy`` coefficients.
* ``<provider>:embodied_per_vcpu``: median over the provider's instance families of host
  embodied kgCO2e / host vCPUs / lifetime hours (kgCO2e/vcpu_h).
* ``<provider>:functions``: ``memory_per_vcpu``, the GB of function memory that come with one
  vCPU in the provider's serverless functions (AWS Lambda: 1,769 MB), from the provider's
  documentation (``curated/cloud_functions.csv``, source per row).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lca.factors.build.cloud_mappings import gpu_key, instance_table, norm_key
from lca.factors.build.common import Output, factor, factor_output, read_curated, rounded

CCF = "ccf/app"
YEAR = 2024
LIC = "Apache-2.0"
REPORTING = {"AWS": "aws", "Microsoft": "azure", "Google": "gcp"}
PROVIDERS = {"AWS": "aws", "GCP": "gcp", "AZURE": "azure"}


def constants(data: Path) -> pd.DataFrame:
    """CCF provider constants for AWS, GCP and Azure (provider = our lowercase key)."""
    table = pd.read_csv(data / CCF / "provider_constants.csv")
    table = table[table["provider"].isin(PROVIDERS) & (table["unit"] != "enum")]
    return table.assign(
        provider=table["provider"].map(PROVIDERS), value=table["value"].astype(float)
    )


def reported_rows(data: Path) -> list[dict]:
    """Provider PUE and WUE as reported (one row per provider, metric and year)."""
    table = pd.read_csv(data / "hyperscaler-datacenter-wue-pue/hyperscaler_wue_pue_reported.csv")
    table = table[
        table["provider"].isin(REPORTING) & table["metric"].isin(["PUE", "WUE", "WUE (derived)"])
    ]
    rows = {}
    for rec in table.itertuples():
        found = re.search(r"(20\d\d)", str(rec.period))
        if found is None:
            raise ValueError(f"{rec.provider} {rec.metric}: no year in period {rec.period!r}")
        year = int(found.group(1))
        indicator = "pue" if rec.metric == "PUE" else "wue"
        unit = "dimensionless" if indicator == "pue" else "L/kWh"
        key = REPORTING[rec.provider]
        rows[(key, indicator, year)] = factor(
            "cloud",
            key,
            indicator,
            float(rec.value),
            unit,
            year,
            "hyperscaler",
            "facts from public reports",
            f"{rec.period}, {rec.scope_of_metric}; {rec.evidence_page}",
        )
    return list(rows.values())


def ccf_rows(data: Path) -> list[dict]:
    """Utilisation, lifetime, energy coefficients and default W per vCPU."""
    const = constants(data).set_index(["provider", "constant"])["value"]
    rows = []
    for provider in PROVIDERS.values():

        def c(name: str, p: str = provider) -> float:
            return float(const[(p, name)])

        rows += [
            factor(
                "cloud",
                provider,
                "utilization",
                c("AVG_CPU_UTILIZATION_2020") / 100,
                "dimensionless",
                YEAR,
                "ccf",
                LIC,
                "CCF AVG_CPU_UTILIZATION_2020",
            ),
            factor(
                "cloud",
                provider,
                "lifetime",
                rounded(c("SERVER_EXPECTED_LIFESPAN") / 8760),
                "year",
                YEAR,
                "ccf",
                LIC,
                "CCF SERVER_EXPECTED_LIFESPAN (h) / 8760",
            ),
        ]
        for indicator, name in (("min_power", "MIN_WATTS"), ("max_power", "MAX_WATTS")):
            constant = next(k for (p, k) in const.index if p == provider and k.startswith(name))
            rows.append(
                factor(
                    "cloud",
                    f"{provider}:default",
                    indicator,
                    c(constant),
                    "W/vcpu",
                    YEAR,
                    "ccf",
                    LIC,
                    f"CCF {constant} (fleet average or median)",
                )
            )
    aws = "aws"
    for key, constant, unit, scale in (
        ("memory", "MEMORY_COEFFICIENT", "kWh/GB_h", 1.0),
        ("storage_ssd", "SSDCOEFFICIENT", "kWh/TB_h", 0.001),
        ("storage_hdd", "HDDCOEFFICIENT", "kWh/TB_h", 0.001),
        ("network", "NETWORKING_COEFFICIENT", "kWh/GB", 1.0),
    ):
        rows.append(
            factor(
                "cloud",
                key,
                "energy",
                rounded(float(const[(aws, constant)]) * scale),
                unit,
                YEAR,
                "ccf",
                LIC,
                f"CCF {constant} (same for all providers)",
            )
        )
    return rows


def power_rows(data: Path) -> list[dict]:
    """Min/max W per vCPU per microarchitecture and per GPU model; regional PUE."""
    coef = pd.read_csv(data / CCF / "compute_coefficients_by_microarchitecture.csv")
    coef = coef[coef["provider"].isin(PROVIDERS)]
    rows, gpus = [], {}
    for rec in coef.itertuples():
        if rec.kind == "cpu":
            key, unit = f"{PROVIDERS[rec.provider]}:{norm_key(rec.processor)}", "W/vcpu"
        else:
            key, unit = f"gpu:{gpu_key(rec.processor)}", "W/gpu"
            if key in gpus:
                continue
            gpus[key] = (rec.min_watts, rec.max_watts)
        for indicator, value in (("min_power", rec.min_watts), ("max_power", rec.max_watts)):
            rows.append(
                factor(
                    "cloud",
                    key,
                    indicator,
                    value,
                    unit,
                    YEAR,
                    "ccf",
                    LIC,
                    f"CCF {rec.provider} {rec.processor} ({rec.kind})",
                )
            )
    rows += newer_power_rows(data, {r["key"] for r in rows})
    frame = pd.DataFrame(gpus.values(), columns=["min", "max"])
    for indicator, column in (("min_power", "min"), ("max_power", "max")):
        rows.append(
            factor(
                "cloud",
                "gpu:default",
                indicator,
                rounded(frame[column].median()),
                "W/gpu",
                YEAR,
                "ccf",
                LIC,
                f"median of {len(frame)} CCF GPU models",
            )
        )
    pue = pd.read_csv(data / CCF / "pue.csv")
    for rec in pue[pue["provider"].isin(PROVIDERS) & (pue["region"] != "*default*")].itertuples():
        rows.append(
            factor(
                "cloud",
                f"{PROVIDERS[rec.provider]}:{rec.region}",
                "pue",
                rec.pue,
                "dimensionless",
                YEAR,
                "ccf",
                LIC,
                f"CCF regional PUE: {rec.note}",
            )
        )
    return rows


def newer_power_rows(data: Path, known: set[str]) -> list[dict]:
    """Min/max W per vCPU of the microarchitectures only CCF's 2026 coefficient files have
    (Sapphire/Emerald/Granite Rapids, Ice Lake, EPYC 4th/5th gen, Graviton3/4 …); the app's
    own values stay where both exist."""
    rows = []
    for provider in PROVIDERS.values():
        table = pd.read_csv(data / f"ccf/coefficients/output/coefficients-{provider}-use.csv")
        for arch, w_min, w_max in zip(
            table["Architecture"].astype(str), table["Min Watts"], table["Max Watts"], strict=True
        ):
            named = (
                "AMD " if arch.startswith("EPYC") else "AWS " if arch.startswith("Graviton") else ""
            ) + arch
            key = f"{provider}:{norm_key(named)}"
            if key in known:
                continue
            known.add(key)
            for indicator, value in (("min_power", w_min), ("max_power", w_max)):
                rows.append(
                    factor(
                        "cloud",
                        key,
                        indicator,
                        rounded(value),
                        "W/vcpu",
                        YEAR,
                        "ccf_coef",
                        LIC,
                        f"ccf-coefficients 2026 {provider} {arch}",
                    )
                )
    return rows + azure_power_rows(data, known)


def azure_power_rows(data: Path, known: set[str]) -> list[dict]:
    """Min/max W per vCPU of the microarchitectures Azure types name (``cloud_instances``) that
    neither the app nor the Azure file has (Ice Lake, Sapphire and Emerald Rapids, EPYC 4th
    gen): the AWS file's figure. ccfcoef computes one SPECpower average per microarchitecture
    and prints it unadjusted for AWS and Azure alike (GCP's maximum is adjusted); its Azure file
    lists only the architectures of its azure-instances.csv and was not regenerated in 2026
    (where both files have an architecture computed the same way, Broadwell, EPYC 2nd gen,
    Coffee Lake, the values are equal)."""
    aws = pd.read_csv(data / "ccf/coefficients/output/coefficients-aws-use.csv")
    named = {
        norm_key(("AMD " if arch.startswith("EPYC") else "") + arch): (arch, w_min, w_max)
        for arch, w_min, w_max in zip(
            aws["Architecture"].astype(str), aws["Min Watts"], aws["Max Watts"], strict=True
        )
    }
    instances = instance_table(data)
    wanted = instances.loc[instances["provider"] == "azure", "microarchitecture"].unique()
    rows = []
    for arch_key in sorted(a for a in wanted if a and f"azure:{a}" not in known and a in named):
        arch, w_min, w_max = named[arch_key]
        for indicator, value in (("min_power", w_min), ("max_power", w_max)):
            rows.append(
                factor(
                    "cloud",
                    f"azure:{arch_key}",
                    indicator,
                    rounded(value),
                    "W/vcpu",
                    YEAR,
                    "ccf_coef",
                    LIC,
                    f"ccf-coefficients 2026 aws {arch}: ccfcoef's SPECpower average of the "
                    "microarchitecture, printed unadjusted for AWS and Azure alike; its Azure "
                    "file lists only the architectures of azure-instances.csv",
                )
            )
    return rows


def embodied_rows(data: Path) -> list[dict]:
    """Median host embodied kgCO2e per vCPU-hour per provider."""
    const = constants(data).set_index(["provider", "constant"])["value"]
    instances = instance_table(data).dropna(subset=["embodied_kgco2e"])
    families = instances.drop_duplicates(["provider", "family"])
    rows = []
    for provider, group in families.groupby("provider"):
        hours = float(const[(provider, "SERVER_EXPECTED_LIFESPAN")])
        per = (group["embodied_kgco2e"] / group["host_vcpu"] / hours).median()
        rows.append(
            factor(
                "cloud",
                f"{provider}:embodied_per_vcpu",
                "gwp",
                rounded(per),
                "kgCO2e/vcpu_h",
                YEAR,
                "ccf",
                LIC,
                f"median over {len(group)} CCF instance families of host embodied / "
                f"host vCPUs / {hours:g} h",
            )
        )
    return rows


def function_rows() -> list[dict]:
    """GB of function memory per vCPU of serverless functions (``curated/cloud_functions.csv``:
    the CPU a provider gives a function in proportion to its memory)."""
    return [
        factor(
            "cloud",
            f"{rec.provider}:functions",
            rec.indicator,
            float(rec.value),
            rec.unit,
            YEAR,
            "curated",
            "facts cited per row",
            rec.source,
        )
        for rec in read_curated("cloud_functions.csv").itertuples()
    ]


def build(data: Path) -> list[Output]:
    """The cloud coefficients table."""
    rows = (
        reported_rows(data)
        + ccf_rows(data)
        + power_rows(data)
        + embodied_rows(data)
        + function_rows()
    )
    return [
        factor_output(
            "cloud.csv",
            "cloud",
            "Apache-2.0 (CCF); provider reports",
            ("ccf", "ccf_coef", "hyperscaler", "curated"),
            "Cloud energy and embodied coefficients",
            rows,
        )
    ]
