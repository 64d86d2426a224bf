"""Cloud usage (scope 3 category 1): usage × coefficient × provider PUE → kWh → region grid.

Per row, with u the provider's average utilisation (CCF's billing-mode value):
    compute  kWh_IT = vCPU-hours × (W_min + u × (W_max − W_min)) / 1000 per vCPU of the
             instance's processors (+ the same per GPU for GPU instances); for an instance
             type CCF lists (``instance_power``, compat rows ``ccf:<provider>:<type>``):
             W of the mean (or median) of its processors, burstable vCPU-hours × baseline / u,
             + GB-hours of memory above the SPECpower server's × kWh/GB-h
             (vCPU-hours without an instance type: the W of the microarchitecture the
             resource names, e.g. aws_graviton2, else the provider's average; GB-seconds of
             serverless functions, AWS Lambda: vCPU-hours = GB-hours / the library's GB of
             function memory per vCPU ``<provider>:functions``, under ``--method ccf`` one
             vCPU per GB as CCF reads them)
    gpu      kWh_IT = GPU-hours × (W_min + u × (W_max − W_min)) / 1000 per GPU (instance-hours ×
             the type's GPUs; an error when the library has no GPU count for the type) — W of
             the row's ``gpu_model`` when it names one, else CCF's for the type, else the
             type's GPU model's, else the median of CCF's GPU models (``gpu:default``)
    memory   kWh_IT = GB-hours × kWh/GB-h;  storage kWh_IT = TB-hours × kWh/TB-h (SSD, HDD)
    network  kWh_IT = GB × kWh/GB
    kWh_IT × replication_factor (the copies the provider keeps, CCF's factor per service, that
             ``lca import`` writes; blank = 1) for compute, gpu, storage and memory (not GCP
             memory), never network (``replication``); the embodied share is not multiplied
    kWh = kWh_IT × PUE(provider[, region]);  kgCO2e = kWh × lifecycle grid factor of the region
    water = kWh × water/kWh of the grid + kWh_IT × WUE of the provider
Compute rows add an embodied line: vCPU-hours × host embodied kgCO2e / (host vCPUs × lifetime
hours) — CCF's formula with its double division by vCPUs corrected.
Nothing falls back silently: where CCF has no W for an instance type's processors (its own
fallback to its provider average, compat ``power_fallback``), the default method takes the
microarchitecture's W; a provider's average W per vCPU (for an instance type or processor
named without one) or ``gpu:default`` (for a GPU of no known model) marks the line
``fallback`` with a ``factor-fallback`` warning; a ``gpu_model`` not used, or at odds with the
instance type's GPU, is a warning too.
``reported_kgco2e`` (the provider's own figure) wins as supplier-specific, with
``reported_kgco2e_market`` as its market-based figure when given; ``other`` rows are
spend-based, unless given in kWh (IT energy an importer estimated for unclassified usage,
labelled ``estimated``). All work is done once per distinct (provider, region, usage,
resource, unit). ``--method ccf`` reshapes the estimated lines (``lca.methods.ccf``).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from lca.activities.common import (
    grid_factor,
    line_columns,
    new_lines,
    onsite_water_m3_per_kwh,
    reject,
    water_factor_ids,
)
from lca.activities.services import spend_lines
from lca.coerce import TextCodes, factorize
from lca.factors.library import FactorLibrary
from lca.issue_log import IssueLog
from lca.issues import Issue, Severity, suggest
from lca.ledger import WORKERS, LedgerPart, Spread, materialize
from lca.mapping.context import Context
from lca.methods import ccf
from lca.methods.compat import compat_value
from lca.spec import FILE, ROW
from lca.units import conversion_factor, has_dimension, unit_text

SHEET = "cloud"
SIGNATURE = ["provider", "region", "usage_type", "resource", "unit"]
#: What a row's coefficients depend on: its signature and the GPU model it may name.
KEY = [*SIGNATURE, "gpu_model"]
ENERGY_KEYS = {
    "memory": ("memory", "kWh/GB_h", "GB_h"),
    "storage_ssd": ("storage_ssd", "kWh/TB_h", "TB_h"),
    "storage_hdd": ("storage_hdd", "kWh/TB_h", "TB_h"),
    "network": ("network", "kWh/GB", "GB"),
}


def _value(ctx, table, key, indicator, unit="") -> tuple[float, str]:
    """One library value (latest year ≤ reporting year) converted to ``unit``; NaN if absent."""
    found = ctx.library.value(table, key, indicator, ctx.year)
    if found is None:
        return np.nan, ""
    value, stored_unit, factor_id = found
    return value * (conversion_factor(stored_unit, unit) if unit else 1.0), factor_id


def _first(ctx, table, keys, indicator, unit) -> tuple[float, str]:
    for key in keys:
        value, fid = _value(ctx, table, key, indicator, unit)
        if not np.isnan(value):
            return value, fid
    return np.nan, ""


def _watts(ctx, keys, unit, table="cloud") -> tuple[float, float, list[str]]:
    w_min, id_min = _first(ctx, table, keys, "min_power", unit)
    w_max, id_max = _first(ctx, table, keys, "max_power", unit)
    return w_min, w_max, [id_min, id_max]


def _average_w(w_min: float, w_max: float, utilization: float) -> float:
    """Average power at ``utilization`` (share) between idle and full load (CCF's formula)."""
    return w_min + utilization * (w_max - w_min)


def _embodied_per_vcpu_h(instance: dict, lifetime_h: float) -> float:
    """Host embodied kgCO2e per vCPU-hour: embodied / host vCPUs / lifetime hours."""
    return float(instance["embodied_kgco2e"]) / float(instance["host_vcpu"]) / lifetime_h


def _ccf_region(provider: str, region: str) -> str:
    """Key of a region in CCF's tables (CCF spells Azure regions in lower case, no spaces)."""
    return f"ccf:{provider}:" + (region.lower().replace(" ", "") if provider == "azure" else region)


def _text(value) -> str:
    """A library or inventory cell as text ("" for a blank, which the tables read as NaN)."""
    return value if isinstance(value, str) else ""


class _Watts(NamedTuple):
    """Min and max W (per vCPU or per GPU), the factor ids, and why a less specific figure was
    used ("" when the one asked for was found)."""

    w_min: float
    w_max: float
    ids: list[str]
    fallback: str = ""


def _ccf_type_watts(ctx, key: str, unit: str, what: str) -> _Watts | None:
    """CCF's W for an instance type (compat ``key``), or None when CCF does not list it, or
    when CCF has no W for its processors (``power_fallback``: CCF then takes its provider
    average) and the method is not ``ccf``, so that the caller takes the processors' own
    figure. Under ``--method ccf`` CCF's average is kept, as CCF does, and said."""
    w_min, w_max, ids = _watts(ctx, [key], unit, table="compat")
    if np.isnan(w_min):
        return None
    average, average_id = _value(ctx, "compat", key, "power_fallback", "dimensionless")
    if np.isnan(average):
        return _Watts(w_min, w_max, ids)
    if ctx.method != "ccf":
        return None
    return _Watts(
        w_min,
        w_max,
        [*ids, average_id],
        f"CCF has no W for {what}: CCF's provider average was used, as CCF does",
    )


def _cpu_watts(ctx, provider: str, arch: str, what: str) -> _Watts:
    """W per vCPU of a microarchitecture (``<provider>:<arch>``), else the provider's average
    (``<provider>:default``, CCF's): a fallback naming ``what`` was asked for, unless nothing
    was (``what`` blank: vCPU-hours of no named instance type or processor)."""
    if arch:
        w_min, w_max, ids = _watts(ctx, [f"{provider}:{arch}"], "W/vcpu")
        if not np.isnan(w_min):
            return _Watts(w_min, w_max, ids)
    w_min, w_max, ids = _watts(ctx, [f"{provider}:default"], "W/vcpu")
    why = f"no W per vCPU for {what}: {provider}'s average (CCF) was used" if what else ""
    return _Watts(w_min, w_max, ids, why)


def _instance_cpu_watts(ctx, provider: str, resource: str, instance: dict) -> _Watts:
    """W per vCPU of an instance type: CCF's for the type (``_ccf_type_watts``), else its
    microarchitecture's, else the provider's average (a fallback)."""
    arch = _text(instance["microarchitecture"])
    what = f"the processors of {resource}"
    found = _ccf_type_watts(ctx, _ccf_key(provider, resource, instance), "W/vcpu", what)
    if found is not None:
        return found
    return _cpu_watts(ctx, provider, arch, _processors(resource, arch))


def _processors(resource: str, arch: str) -> str:
    """What a fallback of an instance type's W per vCPU was asked for."""
    if arch:
        return f"the {arch} processors of {resource}"
    return f"the processors of {resource} (microarchitecture not in the library)"


def _gpu_watts(ctx, provider: str, resource, instance: dict | None, gpu_model: str) -> _Watts:
    """W per GPU: of the row's ``gpu_model`` when it names another model than the instance
    type's; else CCF's for the type (``_ccf_type_watts``), else the type's GPU model's; else
    the median of CCF's GPU models (``gpu:default``), a fallback saying what was missing."""
    named = _text(instance.get("gpu_model")) if instance else ""
    if gpu_model and gpu_model != named:
        named, what = gpu_model, f"gpu_model {gpu_model!r}"
    elif instance:
        key = _ccf_key(provider, resource, instance) + ":gpu"
        found = _ccf_type_watts(ctx, key, "W/gpu", f"the GPUs of {resource}")
        if found is not None:
            return found
        if named:
            what = f"the {named} GPUs of {resource}"
        elif float(instance.get("gpu_count") or 0):
            what = f"the GPUs of {resource} (model not in the library; give gpu_model)"
        else:
            what = f"{resource}, which has no GPU in the library (give gpu_model)"
    elif isinstance(resource, str) and resource:
        what = f"{resource!r}, not an instance type the library knows (give gpu_model)"
    else:
        what = "a GPU of no named model (give gpu_model)"
    if named:
        w_min, w_max, ids = _watts(ctx, [f"gpu:{named}"], "W/gpu")
        if not np.isnan(w_min):
            return _Watts(w_min, w_max, ids)
    w_min, w_max, ids = _watts(ctx, ["gpu:default"], "W/gpu")
    return _Watts(
        w_min,
        w_max,
        ids,
        f"no per-GPU power for {what}: the median of CCF's GPU models (gpu:default) was used",
    )


def _ccf_key(provider: str, resource: str, instance: dict) -> str:
    """Compat key of an instance type in CCF's spelling (an API spelling such as
    ``Standard_D4s_v5`` stands for CCF's ``D4s v5``: ``alias_of``)."""
    return f"ccf:{provider}:{_text(instance.get('alias_of')) or resource}"


def instance_power(
    ctx,
    provider: str,
    resource: str,
    instance: dict,
    hours: float,
    utilization: float,
    gpu_model: str = "",
) -> dict:
    """IT power of one instance-hour as CCF derives it from its instance tables (compat rows
    ``ccf:<provider>:<type>``, the type in CCF's spelling): W per vCPU of the mean (or median)
    of the instance's processors, its vCPUs scaled by baseline / average utilisation when
    burstable, its GPUs' W, and the IT kWh of its memory above the SPECpower server's (GB ×
    kWh/GB-h). Where CCF does not list the type, the W of its microarchitecture and no
    memory; where CCF has no W for its processors (its own fallback to its average, kept under
    ``--method ccf``), the W of its microarchitecture and its GB per chip (compat
    ``memory_architecture``); then the provider's average (``_instance_cpu_watts``). GPUs:
    ``_gpu_watts`` (``gpu_model`` the row's, when given). Returns vcpu (compute vCPU-hours),
    w_min, w_max, gpus (GPU-hours), g_min, g_max, memory_kwh, the factor ids used and
    ``fallbacks`` ((column, why) of each less specific figure used)."""
    key = _ccf_key(provider, resource, instance)
    cpu = _instance_cpu_watts(ctx, provider, resource, instance)
    ids, fallbacks = list(cpu.ids), [("resource", cpu.fallback)]
    vcpu = float(instance["vcpu"]) * hours
    baseline, baseline_id = _value(ctx, "compat", key, "utilization", "dimensionless")
    if not np.isnan(baseline):
        vcpu *= baseline / utilization
        ids.append(baseline_id)
    gpus = float(instance.get("gpu_count") or 0) * hours
    g_min = g_max = 0.0
    if gpus:
        gpu = _gpu_watts(ctx, provider, resource, instance, gpu_model)
        g_min, g_max = gpu.w_min, gpu.w_max
        ids += gpu.ids
        fallbacks.append(("gpu_model", gpu.fallback))
    memory_gb, memory_id = _value(ctx, "compat", key, "memory", "GB")
    average, _ = _value(ctx, "compat", key, "power_fallback", "dimensionless")
    if ctx.method != "ccf" and not np.isnan(average):  # CCF's memory from its average per chip
        own_gb, own_id = _value(ctx, "compat", key, "memory_architecture", "GB")
        if not np.isnan(own_gb):
            memory_gb, memory_id = own_gb, own_id
        elif not np.isnan(memory_gb):
            fallbacks.append(
                (
                    "resource",
                    f"no GB per chip for the processors of {resource}: its memory above the "
                    "SPECpower server's is CCF's, from CCF's average GB per chip",
                )
            )
    memory_kwh = 0.0
    if not np.isnan(memory_gb):
        coefficient, coefficient_id = _value(ctx, "cloud", "memory", "energy", "kWh/GB_h")
        memory_kwh = memory_gb * hours * coefficient
        ids += [memory_id, coefficient_id]
    return {
        "vcpu": vcpu,
        "w_min": cpu.w_min,
        "w_max": cpu.w_max,
        "gpus": gpus,
        "g_min": g_min,
        "g_max": g_max,
        "memory_kwh": memory_kwh,
        "ids": ids,
        "fallbacks": [(column, why) for column, why in fallbacks if why],
    }


class CoefficientBasis(NamedTuple):
    """What the cloud coefficient model reads: the factor library, the year whose factors
    apply (the latest not after it) and the estimation method. A ``Context`` provides the same
    three; an importer, which has no inventory, builds this."""

    library: FactorLibrary
    year: int
    method: str = "default"


class _Lookups(NamedTuple):
    """The provider regions (→ country, grid zone), the instance types the signatures name and
    the GPU models of the library (``gpu_models``)."""

    regions: dict
    instances: dict
    gpu_models: frozenset[str]


def gpu_models(library: FactorLibrary) -> frozenset[str]:
    """The library's GPU models: those with a per-GPU power (``cloud`` keys ``gpu:<model>``) and
    those instance types name (``cloud_instances.gpu_model``), in key form (``a100``)."""
    powered = {k[4:] for k in library.known_keys("cloud", "max_power") if k.startswith("gpu:")}
    named = library.table("cloud_instances")["gpu_model"].dropna()
    return frozenset((powered - {"default"}) | {m for m in named if isinstance(m, str) and m})


#: Vendor words a gpu_model may carry before the model (``NVIDIA Tesla V100`` → ``v100``).
GPU_VENDOR = re.compile(r"^(?:nvidia_tesla|nvidia|tesla|amd|xilinx)_")


def gpu_model_key(text: str) -> str:
    """A gpu_model cell in the library's key form: lower case, runs of spaces and punctuation
    → ``_``, without the vendor (``NVIDIA A100`` → ``a100``, ``Radeon Pro V520`` →
    ``radeon_pro_v520``), as the build writes ``gpu:`` keys."""
    key = re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")
    return GPU_VENDOR.sub("", key)


def _lookups(sigs: pd.DataFrame, library: FactorLibrary) -> _Lookups:
    """The regions, the instance types the signatures name and the library's GPU models."""
    regions = library.table("cloud_regions")
    instances = library.table("cloud_instances")
    instances = instances[instances["instance_type"].isin(sigs["resource"].dropna().unique())]
    region_map = {
        (p, r): (c, z)
        for p, r, c, z in regions[["provider", "region", "country", "grid_zone"]].itertuples(
            index=False
        )
    }
    instance_map = {
        (p, t): row
        for p, t, row in zip(
            instances["provider"],
            instances["instance_type"],
            instances.to_dict("records"),
            strict=True,
        )
    }
    return _Lookups(region_map, instance_map, gpu_models(library))


def signature_table(sigs: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Coefficients for each distinct signature (one row each)."""
    lookups = _lookups(sigs, ctx.library)
    grid = region_grid(sigs, lookups.regions, ctx)
    records = []
    for sig, factors in zip(sigs.itertuples(index=False), grid, strict=True):
        records.append(_coefficients(sig, ctx, lookups, factors))
    return pd.DataFrame(records, index=sigs.index)


def it_energy_table(sigs: pd.DataFrame, basis: CoefficientBasis) -> pd.DataFrame:
    """IT energy coefficients (``kwh_per_unit``, ``error``…) for each distinct signature,
    without grid factors or PUE: what an importer needs to estimate kWh per unit of spend."""
    lookups = _lookups(sigs, basis.library)
    records = []
    for sig in sigs.itertuples(index=False):
        out = _blank_coefficients()
        if (sig.provider, sig.region) not in lookups.regions:
            records.append(_unknown_region(out, sig, lookups.regions))
            continue
        records.append(_usage_coefficients(out, sig, basis, lookups, _load(sig, basis)))
    return pd.DataFrame(records, index=sigs.index)


#: Grid factors of a cloud row: ledger column → (own-factor indicator, unit); carbon is the
#: library's life-cycle factor.
GRID = {
    "ef_gwp": ("gwp", "kgCO2e/kWh"),
    "grid_water": ("water", "m**3/kWh"),
    "ef_adpe": ("adpe", "kgSbeq/kWh"),
}


def region_grid(sigs: pd.DataFrame, region_map: dict, ctx: Context) -> list[dict]:
    """Per signature, its region's grid factors ``{column: (value, factor id, own)}`` by
    ``common.grid_factor`` (the own ``cloud, <provider>:<region>`` factor first)."""
    places = [
        region_map.get((p, r), (None, None))
        for p, r in zip(sigs["provider"], sigs["region"], strict=True)
    ]
    where = pd.DataFrame(
        {
            "provider": sigs["provider"],
            "region": sigs["region"],
            "country": [c for c, _ in places],
            "grid_zone": [z if isinstance(z, str) and z else None for _, z in places],
        },
        index=sigs.index,
    )
    found = {
        column: grid_factor(ctx, where, indicator, unit, lifecycle=column == "ef_gwp")
        for column, (indicator, unit) in GRID.items()
    }
    return [
        {
            column: (
                float(found[column]["value"].iloc[i]),
                ""
                if pd.isna(found[column]["factor_id"].iloc[i])
                else str(found[column]["factor_id"].iloc[i]),
                bool(found[column]["supplier_specific"].iloc[i]),
            )
            for column in GRID
        }
        for i in range(len(sigs))
    ]


class _Load(NamedTuple):
    """A provider's average utilisation (share) and server lifetime (hours), with their ids."""

    utilization: float
    util_id: str
    lifetime: float
    life_id: str


def _coefficients(sig, ctx, lookups: _Lookups, grid) -> dict:
    """kWh per unit, embodied per unit and grid factors (``grid``, see ``region_grid``) for
    one signature."""
    out = _blank_coefficients()
    country, _ = lookups.regions.get((sig.provider, sig.region), (None, None))
    if country is None:
        return _unknown_region(out, sig, lookups.regions)
    out["country"] = country
    _apply_grid(out, sig, ctx, grid)
    out["pue"], pue_id = _first(
        ctx, "cloud", [f"{sig.provider}:{sig.region}", sig.provider], "pue", "dimensionless"
    )
    out["wue"], wue_id = _first(ctx, "cloud", [sig.provider], "wue", "L/kWh")
    load = _load(sig, ctx)
    out["ids"] += [pue_id, wue_id]
    out["pue_id"], out["wue_id"] = pue_id, wue_id
    if np.isnan(out["ef_gwp"]) or np.isnan(out["pue"]):
        out.update(
            error=f"no grid factor or PUE for {sig.provider}:{sig.region}", error_column="region"
        )
        return out
    return _usage_coefficients(out, sig, ctx, lookups, load)


def _blank_coefficients() -> dict:
    """The coefficients of a signature before anything is known (every key, all NaN)."""
    out = {
        "error": "",
        "error_column": "",
        "kwh_per_unit": np.nan,
        "vcpu_per_unit": np.nan,
        "embodied_per_vcpu_h": np.nan,
        "embodied_id": "",
        "ids": [],
        "country": None,
        "method": "average_data",
        "pue": np.nan,
        "wue": np.nan,
        "pue_id": "",
        "wue_id": "",
        "gpu_model": "",  # the row's gpu_model in key form
        "gpu_used": False,  # whether the signature's energy holds GPU power
        "fallback": False,
        "notes": [],  # warnings of the signature's rows: (code, column, message)
    }
    for name in ("ef_gwp", "grid_water", "ef_adpe"):  # every key, even for an unknown region
        out[name], out[f"id_{name}"] = np.nan, ""
    return out


def _unknown_region(out: dict, sig, region_map: dict) -> dict:
    """The error of a region the provider does not have."""
    known = [r for p, r in region_map if p == sig.provider]
    out.update(
        error=f"region {sig.region!r} is not a known {sig.provider} region"
        + suggest(sig.region, known),
        error_column="region",
    )
    return out


def _apply_grid(out: dict, sig, ctx, grid: dict) -> None:
    """The region's grid factors (CCF's own carbon factor under ``--method ccf`` unless an own
    factor was given), and the method they make the line."""
    for name, (value, fid, own) in grid.items():
        if name == "ef_gwp" and not own and ctx.method == "ccf":  # CCF's own grid factors
            ccf_value, ccf_id = _value(
                ctx, "compat", _ccf_region(sig.provider, sig.region), "gwp", "kgCO2e/kWh"
            )
            if not np.isnan(ccf_value):
                value, fid = ccf_value, ccf_id
        out[name], out[f"id_{name}"] = value, fid
    out["method"] = "supplier_specific" if grid["ef_gwp"][2] else "average_data"


def _load(sig, ctx) -> _Load:
    """The provider's utilisation and server lifetime (CCF's lifetime under ``--method ccf``)."""
    utilization, util_id = _first(ctx, "cloud", [sig.provider], "utilization", "dimensionless")
    lifetime, life_id = (
        (
            compat_value(ctx.library, f"ccf:{sig.provider}", "lifetime", "hour"),
            f"compat:ccf:{sig.provider}:lifetime",
        )
        if ctx.method == "ccf"
        else _first(ctx, "cloud", [sig.provider], "lifetime", "hour")
    )
    return _Load(utilization, util_id, lifetime, life_id)


def _usage_coefficients(out: dict, sig, ctx, lookups: _Lookups, load: _Load) -> dict:
    """kWh (and embodied) per unit by usage type, for a signature whose region is known; the
    row's gpu_model checked (``_row_gpu_model``), and said when it is not used or contradicts
    the instance type's GPU."""
    gpu_model = _row_gpu_model(out, sig, lookups.gpu_models)
    if out["error"]:
        return out
    instance = (
        lookups.instances.get((sig.provider, sig.resource))
        if isinstance(sig.resource, str)
        else None
    )
    out = _by_usage(out, sig, ctx, lookups.instances, instance, load, gpu_model)
    if not gpu_model or out["error"]:
        return out
    named = _text(instance.get("gpu_model")) if instance else ""
    if not out["gpu_used"]:
        _note(
            out,
            "not-used",
            "gpu_model",
            "gpu_model is read for gpu usage and for compute of an instance type with GPUs; "
            "this row uses no GPU power and it is ignored",
        )
    elif named and named != gpu_model:
        _note(
            out,
            "inconsistent-columns",
            "gpu_model",
            f"gpu_model {gpu_model!r} contradicts {sig.resource}, whose GPUs are {named!r} in "
            f"the library: the per-GPU power of {gpu_model!r} was used",
        )
    return out


def _row_gpu_model(out: dict, sig, models: frozenset[str]) -> str:
    """The row's gpu_model in key form (``gpu_model_key``; "" when blank), or an error when it
    is not a GPU model of the library."""
    raw = getattr(sig, "gpu_model", None)  # an importer's signatures have none
    if not isinstance(raw, str) or not raw.strip():
        return ""
    key = gpu_model_key(raw)
    if key in models:
        out["gpu_model"] = key
        return key
    out.update(
        error=f"gpu_model {raw!r} is not a GPU model of the library"
        + (suggest(key, models) or f" (known: {', '.join(sorted(models))})"),
        error_column="gpu_model",
    )
    return ""


def _note(out: dict, code: str, column: str, message: str) -> None:
    """A warning for the signature's rows (a ``factor-fallback`` marks their lines too)."""
    out["notes"] = out["notes"] + [(code, column, message)]
    if code == "factor-fallback":
        out["fallback"] = True


def _by_usage(out: dict, sig, ctx, instance_map, instance, load: _Load, gpu_model: str) -> dict:
    """The coefficients of the signature's usage type."""
    per_hour = has_dimension(sig.unit, "h")
    usage = sig.usage_type
    if usage == "other":  # IT energy estimated by an importer for unclassified usage
        out.update(kwh_per_unit=conversion_factor(sig.unit, "kWh"), method="estimated")
        return out
    if usage in ENERGY_KEYS:
        return _energy_coefficients(out, sig, ctx)
    if usage == "compute" and instance is None and _memory_time(sig.unit):
        return _function_coefficients(out, sig, ctx, load)
    if per_hour and instance is None:
        return _unknown_instance(out, sig, instance_map)
    hours = conversion_factor(sig.unit, "h") if per_hour else np.nan
    if usage == "compute" and instance and per_hour:
        return _instance_coefficients(out, sig, ctx, instance, hours, load, gpu_model)
    if usage == "compute":
        return _compute_coefficients(out, sig, ctx, instance, load, gpu_model=gpu_model)
    return _gpu_coefficients(out, sig, ctx, instance, hours, load, gpu_model)


def _energy_coefficients(out: dict, sig, ctx) -> dict:
    """Memory, storage and network: quantity × the library's kWh per unit."""
    key, unit, quantity_unit = ENERGY_KEYS[sig.usage_type]
    if ctx.method == "ccf" and "iB" in str(sig.unit):  # CCF reads bytes as binary GB, TB
        quantity_unit = quantity_unit.replace("GB", "GiB").replace("TB", "TiB")
    value, fid = _value(ctx, "cloud", key, "energy", unit)
    out.update(
        kwh_per_unit=value * conversion_factor(sig.unit, quantity_unit), ids=out["ids"] + [fid]
    )
    return out


def _unknown_instance(out: dict, sig, instance_map: dict) -> dict:
    """The error of instance-hours of a type the provider does not list."""
    known = [t for p, t in instance_map if p == sig.provider]
    out.update(
        error=f"resource {sig.resource!r} is not a known {sig.provider} instance "
        "type; give a known type or usage in vcpu_h / gpu_h" + suggest(str(sig.resource), known),
        error_column="resource",
    )
    return out


def _instance_coefficients(
    out: dict, sig, ctx, instance: dict, hours: float, load: _Load, gpu_model: str
) -> dict:
    """Compute in hours of a known instance type: its power as CCF derives it
    (``instance_power``) and its host's embodied share."""
    power = instance_power(
        ctx, sig.provider, sig.resource, instance, hours, load.utilization, gpu_model
    )
    for column, why in power["fallbacks"]:
        _note(out, "factor-fallback", column, why)
    kwh = (
        power["vcpu"] * _average_w(power["w_min"], power["w_max"], load.utilization)
        + power["gpus"] * _average_w(power["g_min"], power["g_max"], load.utilization)
    ) / 1000 + power["memory_kwh"]
    out.update(
        kwh_per_unit=kwh,
        vcpu_per_unit=float(instance["vcpu"]) * hours,
        embodied_per_vcpu_h=_embodied_per_vcpu_h(instance, load.lifetime),
        embodied_id=f"cloud_instances:{sig.provider}:{sig.resource}",
        ids=out["ids"] + power["ids"] + [load.util_id, load.life_id],
        gpu_used=bool(power["gpus"]),
    )
    return out


def _memory_time(unit) -> bool:
    """True for a unit of memory × time (GB-seconds: what serverless functions are billed in)."""
    return isinstance(unit, str) and has_dimension(unit, "h") and "byte" in unit_text(unit)


def _function_coefficients(out: dict, sig, ctx, load: _Load) -> dict:
    """Compute in GB-seconds of function memory (AWS Lambda): vCPU-hours = GB-hours / the GB of
    memory that come with one vCPU (library ``<provider>:functions``, 1,769 MB for Lambda),
    then as vCPU-hours. ``--method ccf`` reads a GB-second as a vCPU-second, as CCF does."""
    gb_h = conversion_factor(sig.unit, "GB_h")
    if ctx.method == "ccf":
        return _compute_coefficients(out, sig, ctx, None, load, vcpu=gb_h)
    per_vcpu, per_id = _value(
        ctx, "cloud", f"{sig.provider}:functions", "memory_per_vcpu", "GB/vcpu"
    )
    if np.isnan(per_vcpu):
        out.update(
            error=f"compute in {sig.unit} needs the memory per vCPU of {sig.provider}'s "
            "functions, which the library does not have; give the usage in vcpu_h",
            error_column="unit",
        )
        return out
    out["ids"] = out["ids"] + [per_id]
    return _compute_coefficients(out, sig, ctx, None, load, vcpu=gb_h / per_vcpu)


def _compute_coefficients(
    out: dict,
    sig,
    ctx,
    instance: dict | None,
    load: _Load,
    vcpu: float | None = None,
    gpu_model: str = "",
) -> dict:
    """Compute in vCPU-hours (``vcpu`` per unit when the caller derived it): W per vCPU of the
    instance's microarchitecture (or of the microarchitecture the resource names, e.g.
    ``aws_graviton2``), else the provider's average, a fallback when something was named
    (``_cpu_watts``); + the instance type's GPUs, its GPU-hours per vCPU-hour its GPUs / its
    vCPUs (``_gpu_watts``); and an embodied share (``_compute_embodied``)."""
    if vcpu is None:
        vcpu = conversion_factor(sig.unit, "vcpu_h")
    if instance:
        arch = _text(instance["microarchitecture"])
        cpu = _cpu_watts(ctx, sig.provider, arch, _processors(sig.resource, arch))
    elif isinstance(sig.resource, str) and sig.resource:  # a processor (Lambda arm64: Graviton2)
        cpu = _cpu_watts(ctx, sig.provider, norm_key(sig.resource), _named(ctx, sig))
    else:
        cpu = _cpu_watts(ctx, sig.provider, "", "")
    if cpu.fallback:
        _note(out, "factor-fallback", "resource", cpu.fallback)
    watts = vcpu * _average_w(cpu.w_min, cpu.w_max, load.utilization)
    ids = list(cpu.ids)
    gpus = float(instance.get("gpu_count") or 0) if instance else 0.0
    if instance and gpus:
        gpu = _gpu_watts(ctx, sig.provider, sig.resource, instance, gpu_model)
        if gpu.fallback:
            _note(out, "factor-fallback", "gpu_model", gpu.fallback)
        gpu_hours = vcpu * gpus / float(instance["vcpu"])
        watts += gpu_hours * _average_w(gpu.w_min, gpu.w_max, load.utilization)
        ids += gpu.ids
        out["gpu_used"] = True
    embodied, embodied_id = _compute_embodied(sig, ctx, instance, load.lifetime)
    out.update(
        kwh_per_unit=watts / 1000,
        vcpu_per_unit=vcpu,
        embodied_per_vcpu_h=embodied,
        embodied_id=embodied_id,
        ids=out["ids"] + ids + [load.util_id, load.life_id],
    )
    return out


def norm_key(text: str) -> str:
    """A processor named in ``resource`` in the library's key form (lower case, runs of other
    characters → ``_``: ``AWS Graviton2`` → ``aws_graviton2``)."""
    return re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")


def _named(ctx, sig) -> str:
    """What a resource that is no instance type was asked for, with the closest processor."""
    prefix = f"{sig.provider}:"
    known = [
        k[len(prefix) :]
        for k in ctx.library.known_keys("cloud", "max_power")
        if k.startswith(prefix) and k != f"{prefix}default"
    ]
    return (
        f"{sig.resource!r}, neither an instance type nor a microarchitecture of "
        f"{sig.provider} in the library" + suggest(norm_key(sig.resource), known)
    )


def _compute_embodied(sig, ctx, instance, lifetime: float) -> tuple[float, str]:
    """Embodied kgCO2e per vCPU-hour: the instance's host, else the provider's average (none
    under ``--method ccf``)."""
    if instance:
        return (
            _embodied_per_vcpu_h(instance, lifetime),
            f"cloud_instances:{sig.provider}:{sig.resource}",
        )
    if ctx.method == "ccf":  # CCF adds no embodied share without a machine type
        return np.nan, ""
    return _value(ctx, "cloud", f"{sig.provider}:embodied_per_vcpu", "gwp", "kgCO2e/vcpu_h")


def _gpu_coefficients(
    out: dict, sig, ctx, instance: dict | None, hours: float, load: _Load, gpu_model: str
) -> dict:
    """GPU-hours (instance-hours × the type's GPUs: an error when the library has no GPU count
    for the type) × W per GPU (``_gpu_watts``)."""
    if np.isnan(hours):
        gpus = conversion_factor(sig.unit, "gpu_h")
    else:
        count = float(instance.get("gpu_count") or 0) if instance else 0.0
        if not count:
            out.update(
                error=f"the library has no GPU count for {sig.resource} (no source lists GPUs "
                "for it): its instance-hours cannot be turned into GPU-hours; give the usage "
                "in gpu_h, with gpu_model",
                error_column="resource",
            )
            return out
        gpus = count * hours
    gpu = _gpu_watts(ctx, sig.provider, sig.resource, instance, gpu_model)
    if gpu.fallback:
        _note(out, "factor-fallback", "gpu_model", gpu.fallback)
    out.update(
        kwh_per_unit=gpus * _average_w(gpu.w_min, gpu.w_max, load.utilization) / 1000,
        ids=out["ids"] + gpu.ids + [load.util_id],
        gpu_used=True,
    )
    return out


def lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Ledger lines of the cloud sheet."""
    if frame.empty:
        return [], []
    codes, first = signature_codes(frame, ctx.text_codes, KEY)
    sigs = frame[KEY].iloc[first].astype(object).reset_index(drop=True)
    sigs = sigs.where(sigs.notna(), None)
    spend_based = np.array(
        [
            usage == "other" and not (isinstance(unit, str) and has_dimension(unit, "kWh"))
            for usage, unit in zip(sigs["usage_type"], sigs["unit"], strict=True)
        ],
        dtype=bool,
    )
    reported = frame["reported_kgco2e"].notna().to_numpy()
    other = spend_based[codes] & ~reported
    estimated = ~reported & ~other
    parts, issues = [], []
    issues += reject(
        frame,
        SHEET,
        frame["gpu_model"].notna() & ~estimated,
        "not-used",
        "gpu_model",
        "gpu_model is not used: the row's figure is the provider's own (reported_kgco2e) or "
        "spend-based",
        severity=Severity.WARNING,
    )
    if reported.any():
        parts.append(_reported(frame[reported]))
    if other.any():
        rows = frame[other]
        key = pd.Series("cloud_services", index=rows.index, dtype="string")
        spent, ok, found = spend_lines(
            rows.assign(spend_year=ctx.year),
            ctx,
            sheet=SHEET,
            category=key,
            spend_key=key,
            scope3_category=pd.Series(1, index=rows.index),
            group=rows["provider"],
            label=rows["provider"] + " " + rows["region"] + " other",
        )
        parts.append(spent[ok])
        issues += found
    if estimated.any():
        if estimated.all():
            est, found = _estimated(frame, codes, sigs, ctx)
        else:  # only the signatures of these rows: others may not be convertible to kWh
            subset, used = pd.factorize(codes[estimated])
            est, found = _estimated(
                frame[estimated], subset, sigs.iloc[used].reset_index(drop=True), ctx
            )
        parts += est
        issues += found
    return parts, issues


def _reported(frame: pd.DataFrame) -> pd.DataFrame:
    fid = "supplier:cloud:" + frame["_row"].astype(str)
    return new_lines(
        frame, activity=SHEET, stage="use", scope=3, category=1, method="supplier_specific"
    ).assign(
        group=frame["provider"],
        label=frame["provider"] + " " + frame["region"] + " (reported)",
        quantity=frame["quantity"],
        quantity_unit=frame["unit"],
        activity_amount=frame["reported_kgco2e"],
        activity_unit="kgCO2e",
        ef_gwp=1.0,
        ef_gwp_market=_market_ratio(frame),
        ef_energy=np.nan,
        ef_water=np.nan,
        ef_adpe=np.nan,
        factor_gwp=fid,
        factor_gwp_market=fid,
        formula="provider-reported kgCO2e as given",
    )


def _market_ratio(frame: pd.DataFrame) -> pd.Series:
    """Market-based per location-based kgCO2e of a provider's figure (1 when not given)."""
    market = frame["reported_kgco2e_market"] / frame["reported_kgco2e"]
    return market.where(
        frame["reported_kgco2e_market"].notna() & frame["reported_kgco2e"].gt(0), 1.0
    )


def signature_codes(
    frame: pd.DataFrame, known: TextCodes | None = None, columns: list[str] = SIGNATURE
) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the number of its distinct ``columns`` (provider, region, usage, resource,
    unit …), and the position of the first row of each — from integer codes (``known``'s,
    made while validating, where it has them), never from row-wise strings."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:  # Arrow hashes without the GIL
        factorized = list(pool.map(lambda column: factorize(frame[column], known), columns))
    combined = np.zeros(len(frame), dtype=np.int64)
    for codes, uniques in factorized:  # in place: no million-row temporaries
        combined *= len(uniques) + 1
        combined += codes
        combined += 1
    codes, _ = pd.factorize(combined)
    # codes are numbered in order of first appearance: a first row is where their maximum grows
    highest = np.maximum.accumulate(codes, out=combined)
    first = (
        np.concatenate([[0], np.flatnonzero(highest[1:] != highest[:-1]) + 1])
        if len(codes)
        else codes
    )
    return codes, first


#: Usage types whose energy CCF multiplies by the replication factor (GCP memory excepted).
REPLICATED = ("compute", "gpu", "memory", "storage_ssd", "storage_hdd")


def replication(frame: pd.DataFrame) -> np.ndarray:
    """Per row, the factor its IT energy is multiplied by: ``replication_factor`` (blank = 1)
    where the usage type is replicated (``REPLICATED``; GCP memory is not), else 1."""
    if "replication_factor" not in frame:
        return np.ones(len(frame))
    applies = frame["usage_type"].isin(REPLICATED) & ~(
        frame["provider"].eq("gcp") & frame["usage_type"].eq("memory")
    )
    factor = frame["replication_factor"].astype("float64").fillna(1.0)
    return factor.where(applies.fillna(False), 1.0).to_numpy()


def _estimated(
    frame: pd.DataFrame, codes: np.ndarray, sigs: pd.DataFrame, ctx: Context
) -> tuple[list, list[Issue]]:
    """Use and embodied lines of the rows of ``frame`` (``codes``: their rows of ``sigs``)."""
    table = signature_table(sigs, ctx)
    notes, fallback = table.pop("notes"), table.pop("fallback").to_numpy(dtype=bool)
    gpu_keys = table.pop("gpu_model")
    table = table.drop(columns="gpu_used")
    table["ids"] = table["ids"].map(lambda xs: ";".join(sorted({x for x in xs if x})))
    table["label"] = sigs["provider"] + " " + sigs["region"] + " " + sigs["usage_type"]
    table["provider"] = sigs["provider"]
    table["quantity_unit"] = sigs["unit"]
    table["ef_water"] = table["grid_water"] + onsite_water_m3_per_kwh(
        np.nan_to_num(table["wue"]), table["pue"]
    )
    table["id_water"] = water_factor_ids(
        table["id_grid_water"], table["wue"], table.pop("wue_id"), table.pop("pue_id")
    )
    bad_signature = table["error"].ne("").to_numpy()
    issues = []
    keep = slice(None)
    if bad_signature.any():
        bad = pd.Series(bad_signature[codes], index=frame.index)
        issues = _unmatched_issues(frame, spread(table, codes, frame.index), bad)
        keep = ~bad.to_numpy()
    issues += _signature_notes(frame, codes, notes, bad_signature, gpu_keys)
    codes = codes[keep]
    per_row = spread_columns(table, codes)
    quantity = frame["quantity"].to_numpy()[keep]
    rows = frame[ROW].to_numpy()[keep]
    file = str(frame[FILE].iloc[0])
    kwh_it = per_row["kwh_per_unit"].numbers()
    kwh_it *= quantity
    kwh_it *= replication(frame)[keep]
    use = LedgerPart(
        len(rows),
        {
            **line_columns(
                rows,
                file,
                activity=SHEET,
                stage="use",
                scope=3,
                category=1,
                method=per_row["method"],
            ),
            "fallback": fallback[codes],
            "country": per_row["country"],
            "group": per_row["provider"],
            "label": per_row["label"],
            "quantity": quantity,
            "quantity_unit": per_row["quantity_unit"],
            "activity_amount": per_row["pue"].scaled(kwh_it),
            "activity_unit": "kWh",
            "energy_it_kwh": kwh_it,
            "pue": per_row["pue"],
            "ef_gwp": per_row["ef_gwp"],
            "ef_gwp_market": per_row["ef_gwp"],
            "ef_energy": 1.0,
            "ef_water": per_row["ef_water"],
            "ef_adpe": per_row["ef_adpe"],
            "factor_gwp": per_row["id_ef_gwp"],
            "factor_gwp_market": per_row["id_ef_gwp"],
            "factor_water": per_row["id_water"],
            "factor_adpe": per_row["id_ef_adpe"],
            "factor_other": per_row["ids"],
            "formula": "usage × kWh per unit × replication factor × PUE × lifecycle grid "
            "factor of the region",
        },
    )
    embodied = np.flatnonzero(~np.isnan(table["embodied_per_vcpu_h"].to_numpy())[codes])
    made_codes = codes.take(embodied)
    made_rows = {name: replace(column, codes=made_codes) for name, column in per_row.items()}
    made_quantity = quantity.take(embodied)
    made = LedgerPart(
        len(made_quantity),
        {
            **line_columns(
                rows.take(embodied),
                file,
                activity=SHEET,
                stage="manufacturing",
                scope=3,
                category=1,
                method="average_data",
            ),
            "country": made_rows["country"],
            "group": made_rows["provider"],
            "label": made_rows["label"],
            "quantity": made_quantity,
            "quantity_unit": made_rows["quantity_unit"],
            "activity_amount": made_rows["vcpu_per_unit"].scaled(made_quantity),
            "activity_unit": "vcpu_h",
            "ef_gwp": made_rows["embodied_per_vcpu_h"],
            "ef_gwp_market": made_rows["embodied_per_vcpu_h"],
            "ef_energy": 0.0,
            "factor_gwp": made_rows["embodied_id"],
            "factor_gwp_market": made_rows["embodied_id"],
            "factor_other": made_rows["ids"],
            "formula": "vCPU-hours × host embodied kgCO2e / (host vCPUs × lifetime hours)",
        },
    )
    if ctx.method == "ccf":
        index = frame.index[keep]
        use, made = ccf.adjust_cloud_lines(
            pd.DataFrame(materialize(use.columns), index=index),
            pd.DataFrame(materialize(made.columns), index=index[embodied]),
            frame,
            spread(table, codes, index),
            ctx.library,
        )
    return [use, made], issues


def spread_columns(table: pd.DataFrame, codes: np.ndarray) -> dict[str, Spread]:
    """Columns of a per-signature table for every input row (``codes`` → signature), as
    ``Spread`` columns: numbers stay per signature, text becomes a categorical over the
    table's distinct values, so a million rows cost no per-row work until the ledger takes
    them."""
    out = {}
    for column in table.columns:
        values = table[column]
        if values.dtype.kind in "fiub":
            out[column] = Spread(values.to_numpy(dtype="float64"), codes)
        else:
            sub_codes, uniques = pd.factorize(values.astype(object).where(values.notna(), ""))
            out[column] = Spread(pd.Categorical.from_codes(sub_codes, categories=uniques), codes)
    return out


def spread(table: pd.DataFrame, codes: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """``spread_columns`` taken per row, as a DataFrame on ``index`` (for issue reporting and
    ``--method ccf``)."""
    return pd.DataFrame(materialize(spread_columns(table, codes)), index=index)


def _unmatched_issues(frame, per_row, bad) -> list[Issue]:
    """One issue per unmatched row, with its signature's own message."""
    log = IssueLog(SHEET, str(frame["_file"].iloc[0]), frame)
    for column in ("region", "resource", "unit", "gpu_model"):
        mask = bad & per_row["error_column"].eq(column)
        for message in per_row.loc[mask, "error"].unique():
            log.cells(
                mask & per_row["error"].eq(message),
                "unknown-factor-key",
                column,
                message,
                severity=Severity.ERROR,
            )
    return log.issues


def _signature_notes(frame, codes, notes, bad_signature, gpu_keys) -> list[Issue]:
    """The warnings of each signature (``_note``: fallbacks, a gpu_model not used or at odds
    with the instance type) for the rows of the signatures without an error, and one note
    for the gpu_model cells read leniently."""
    log = IssueLog(SHEET, str(frame["_file"].iloc[0]), frame)
    by_note: dict[tuple, list[int]] = {}
    for position, items in enumerate(notes):
        if not bad_signature[position]:
            for item in items:
                by_note.setdefault(item, []).append(position)
    for (code, column, message), positions in by_note.items():
        log.cells(np.isin(codes, positions), code, column, message, severity=Severity.WARNING)
    if frame["gpu_model"].isna().all():  # the usual case: no per-row work on large sheets
        return log.issues
    given = frame["gpu_model"].astype("string").str.strip()
    lenient = given.notna() & given.ne(pd.Series(gpu_keys.to_numpy()[codes], index=frame.index))
    log.summary(
        lenient & ~bad_signature[codes],
        "value-normalized",
        "gpu_model",
        "matched to the library's GPU models ignoring case, spaces and the vendor name",
    )
    return log.issues
