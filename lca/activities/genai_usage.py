"""Generative-AI usage (hosted models called through an API): EcoLogits' per-request model.

A row holds ``requests`` calls to one ``model`` of one ``provider`` with ``output_tokens``
generated in all; EcoLogits (Rincé & Banse, JOSS 2025; MPL-2.0) estimates one request of
``output_tokens / requests`` tokens, and the row is that times ``requests``. Per request:

  GPU energy    T × (α_E · e^(β_E·B) · P_active + γ_E) / 1000                  kWh per GPU
  latency       T × (α_L · P_active + β_L · B + γ_L) + 0, or T / tps + ttft when the model's
                deployment speed is known; never more than the measured ``latency_s``
  GPUs          2^⌈log2 ⌈overhead × P_total × bits / 8 / GPU memory⌉⌉
  server        latency / 3600 × server kW × GPUs / GPUs per server / B          kWh
  IT energy     server + GPUs × GPU energy                                       kWh
  facility      PUE × IT energy                                                  kWh
  water         on-site: IT energy × WUE; off-site: facility kWh × the grid's water per kWh
  embodied      latency × GPUs / B GPU-seconds, × (server / GPUs per server + GPU) embodied
                impact, / hardware lifetime in seconds

with B the batch size, P in billions of parameters and every constant read from the library
(``genai`` table; the model's parameters from ``genai_models``). A model whose parameters (or
a provider whose PUE/WUE) are a range is computed at both ends: the lines carry the two as
``activity_amount_low``/``_high`` and take the mean of the bounds as their value, EcoLogits'
point value of a range.

Lines, scope 3 category 1 (purchased services), method ``estimated``:
  use                 facility kWh × the grid's carbon, ADPe and off-site (generation) water
  use, onsite_water   litres of the provider's on-site water (IT energy × WUE), kept apart
  manufacturing       the GPUs' and servers' embodied share (no embodied water: EcoLogits has
                      none, listed in not_assessed)
Grid factors: the library's life-cycle grid factor of the row's ``region`` (a country; blank:
the provider's default zone) and its water and ADPe; ``--method ecologits`` takes EcoLogits'
own electricity mix of the zone instead (``lca.methods.ecologits``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.activities.common import new_lines
from lca.errors import FactorLibraryError
from lca.issues import Issue, IssueLog, Severity, SourceRef, suggest
from lca.mapping.context import Context
from lca.mapping.match import resolve
from lca.spec import FILE, ROW
from lca.units import conversion_factor
from lca.validate import country_lookup

SHEET = "genai_usage"
#: The inference model's constants in the library's ``genai`` table: (key, indicator, unit).
CONSTANTS = {
    "alpha_e_wh": ("llm", "gpu_energy_alpha", "Wh"),
    "beta_e": ("llm", "gpu_energy_beta", "dimensionless"),
    "gamma_e_wh": ("llm", "gpu_energy_gamma", "Wh"),
    "alpha_l_s": ("llm", "latency_alpha", "s"),
    "beta_l_s": ("llm", "latency_beta", "s"),
    "gamma_l_s": ("llm", "latency_gamma", "s"),
    "batch_size": ("llm", "batch_size", "dimensionless"),
    "bits": ("llm", "quantization", "bit"),
    "memory_overhead": ("llm", "memory_overhead", "dimensionless"),
    "gpu_memory_gb": ("llm", "gpu_memory", "GB"),
    "server_gpus": ("llm", "server_gpus", "dimensionless"),
    "server_kw": ("llm", "server_power", "kW"),
    "lifetime_s": ("server", "lifetime", "s"),
}
#: The constants are one edition, not a yearly series: the latest the library has.
LATEST = 9999
WORLD_ZONE = "WOR"


# --- EcoLogits' steps, one pure function each (numbers or numpy arrays) -------------------

def gpu_energy_kwh(active_params_b, output_tokens, batch_size, alpha_e_wh, beta_e, gamma_e_wh):
    """Energy of one GPU generating ``output_tokens`` tokens, kWh."""
    per_token_wh = alpha_e_wh * np.exp(beta_e * batch_size) * active_params_b + gamma_e_wh
    return output_tokens * (per_token_wh / 1000)


def generation_latency_s(active_params_b, output_tokens, batch_size, alpha_l_s, beta_l_s,
                         gamma_l_s, tps, ttft_s, measured_latency_s):
    """Time the request holds the server, s: the model's speed (tokens per second plus time
    to first token where known, else the latency regression), capped by the measured latency
    (NaN: not measured)."""
    modelled_s = alpha_l_s * active_params_b + beta_l_s * batch_size + gamma_l_s
    per_token_s = np.where(np.isnan(tps), modelled_s, 1 / tps)
    generation_s = output_tokens * per_token_s + np.nan_to_num(ttft_s)
    return np.where(measured_latency_s < generation_s, measured_latency_s, generation_s)


def model_memory_gb(total_params_b, bits, memory_overhead):
    """GPU memory needed to serve the model, GB."""
    return memory_overhead * total_params_b * bits / 8


def gpu_count(memory_gb, gpu_memory_gb):
    """GPUs holding the model: enough for its memory, rounded up to a power of two."""
    return 2 ** np.ceil(np.log2(np.ceil(memory_gb / gpu_memory_gb)))


def server_energy_kwh(latency_s, server_kw, server_gpus, gpus, batch_size):
    """The request's share of the server's energy without its GPUs, kWh."""
    return (latency_s / 3600) * server_kw * (gpus / server_gpus) * (1 / batch_size)


def it_energy_kwh(server_kwh, gpus, gpu_kwh):
    """IT energy of the request (server share and its GPUs), kWh, before PUE."""
    return server_kwh + gpus * gpu_kwh


def facility_energy_kwh(pue, it_kwh):
    """Energy of the request with the data centre's overhead, kWh."""
    return pue * it_kwh


def onsite_water_l(it_kwh, wue_l_per_kwh):
    """Water consumed on site (cooling) for the request, L."""
    return it_kwh * wue_l_per_kwh


def gpu_seconds(latency_s, gpus, batch_size):
    """GPU time the request occupies (its share of the batch), GPU-seconds."""
    return latency_s * gpus / batch_size


def embodied_per_gpu(server_impact, server_gpus, gpu_impact):
    """Embodied impact of one GPU with its share of the server (per GPU)."""
    return server_impact / server_gpus + gpu_impact


def per_request(active_params_b, total_params_b, output_tokens, measured_latency_s, tps, ttft_s,
                pue, wue_l_per_kwh, k: dict) -> dict[str, np.ndarray]:
    """One side (low or high) of a request: IT and facility kWh, on-site L and GPU-seconds."""
    gpu_kwh = gpu_energy_kwh(active_params_b, output_tokens, k["batch_size"], k["alpha_e_wh"],
                             k["beta_e"], k["gamma_e_wh"])
    latency_s = generation_latency_s(active_params_b, output_tokens, k["batch_size"],
                                     k["alpha_l_s"], k["beta_l_s"], k["gamma_l_s"], tps,
                                     ttft_s, measured_latency_s)
    gpus = gpu_count(model_memory_gb(total_params_b, k["bits"], k["memory_overhead"]),
                     k["gpu_memory_gb"])
    server_kwh = server_energy_kwh(latency_s, k["server_kw"], k["server_gpus"], gpus,
                                   k["batch_size"])
    it_kwh = it_energy_kwh(server_kwh, gpus, gpu_kwh)
    return {"it_kwh": it_kwh, "facility_kwh": facility_energy_kwh(pue, it_kwh),
            "onsite_l": onsite_water_l(it_kwh, wue_l_per_kwh),
            "gpu_s": gpu_seconds(latency_s, gpus, k["batch_size"])}


# --- factor data -----------------------------------------------------------------------------

def constants(ctx: Context) -> tuple[dict[str, float], list[str]]:
    """The inference model's constants in the units of ``CONSTANTS``, and their factor ids."""
    values, ids = {}, []
    for name, (key, indicator, unit) in CONSTANTS.items():
        found = ctx.library.value("genai", key, indicator, LATEST)
        if found is None:
            raise FactorLibraryError(f"genai.csv has no {indicator!r} for {key!r}")
        value, stored_unit, factor_id = found
        values[name] = value * conversion_factor(stored_unit, unit)
        ids.append(factor_id)
    return values, ids


def hardware_factors(ctx: Context, server_gpus: float) -> dict[str, tuple[float, str]]:
    """Per indicator (gwp, adpe): embodied impact of one GPU with its share of the server,
    and the factor ids it comes from."""
    out = {}
    for indicator, unit in (("gwp", "kgCO2e/device"), ("adpe", "kgSbeq/device")):
        parts = [ctx.library.value("genai", key, indicator, LATEST, "manufacturing")
                 for key in ("server", "gpu")]
        if any(p is None for p in parts):
            raise FactorLibraryError(f"genai.csv lacks the embodied {indicator} of server or gpu")
        (server, s_unit, s_id), (gpu, g_unit, g_id) = parts
        value = embodied_per_gpu(server * conversion_factor(s_unit, unit), server_gpus,
                                 gpu * conversion_factor(g_unit, unit))
        out[indicator] = (float(value), f"{s_id};{g_id}")
    return out


def providers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Each row's provider as EcoLogits spells it and its default zone (NA: unknown name)."""
    names = ctx.library.table("genai_providers").drop_duplicates("name").set_index("name")
    spelled = frame["provider"].astype("string").str.strip().str.lower()
    return pd.DataFrame({"provider": spelled.map(names["provider"]).astype("string"),
                         "zone": spelled.map(names["zone"]).astype("string")},
                        index=frame.index)


def models(frame: pd.DataFrame, provider: pd.Series, ctx: Context) -> pd.DataFrame:
    """Each row's model entry (canonical name, parameters, deployment), aliases resolved and
    names matched ignoring case; NA where the provider has no such model."""
    table = ctx.library.table("genai_models")
    key = table["provider"] + "/" + table["model"].str.lower()
    table = table.assign(canonical=table["alias_of"].fillna(table["model"])).set_index(key)
    wanted = provider + "/" + frame["model"].astype("string").str.strip().str.lower()
    codes, uniques = pd.factorize(wanted.astype(object), use_na_sentinel=True)
    distinct = table.reindex(pd.Index(list(uniques) + [None], dtype=object))
    found = distinct.iloc[np.where(codes < 0, len(uniques), codes)]
    found.index = frame.index
    numbers = ["active_low_b", "active_high_b", "total_low_b", "total_high_b", "tps", "ttft"]
    return found[["canonical", "warnings"]].astype("string").join(
        found[numbers].astype("float64"))


def provider_bounds(provider: pd.Series, ctx: Context) -> tuple[dict, dict]:
    """PUE and WUE (L/kWh) of each row's provider, low and high (arrays), and the factor ids
    of each (per row)."""
    values: dict[str, dict] = {}
    ids: dict[str, dict] = {"pue": {}, "wue": {}}
    for name in provider.dropna().unique():
        for indicator, unit in (("pue", "dimensionless"), ("wue", "L/kWh")):
            found = []
            for side in ("low", "high"):
                hit = ctx.library.value("genai", f"{name}:{side}", indicator, LATEST)
                if hit is None:
                    raise FactorLibraryError(f"genai.csv has no {indicator} for {name}:{side}")
                values.setdefault(f"{indicator}_{side}", {})[name] = \
                    hit[0] * conversion_factor(hit[1], unit)
                found.append(hit[2])
            ids[indicator][name] = ";".join(found)
    return ({column: provider.map(per).to_numpy(dtype="float64")
             for column, per in values.items()},
            {indicator: provider.map(per).astype(object) for indicator, per in ids.items()})


def zones(frame: pd.DataFrame, default_zone: pd.Series, ctx: Context) -> pd.DataFrame:
    """Electricity zone of each row: its ``region`` (a country as ISO code or name, or
    ``WOR``/world), else the provider's default zone; as EcoLogits' zone (alpha-3 or WOR)
    and ISO alpha-2 country (NA for the world)."""
    region = frame["region"].astype("string").str.strip()
    asked = region.fillna(default_zone)
    world = asked.str.upper().isin(["WOR", "WORLD"]).fillna(False).astype(bool)
    country = asked.str.lower().map(country_lookup(ctx.library)).astype("string").where(~world)
    alpha3 = ctx.library.table("countries").set_index("alpha2")["alpha3"]
    zone = country.map(alpha3).astype("string").str.upper().where(~world, WORLD_ZONE)
    return pd.DataFrame({"zone": zone, "country": country,
                         "unknown": region.notna() & ~world & country.isna()},
                        index=frame.index)


def grid_factors(where: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """Carbon (life-cycle), ADPe and generation water per kWh of each row's zone: the
    library's grid factors of the country, EcoLogits' mix of the zone where the library has
    none (the world; marked ``fallback``); EcoLogits' mix only under ``--method ecologits``."""
    units = {"gwp": "kgCO2e/kWh", "adpe": "kgSbeq/kWh", "water": "m**3/kWh"}
    mixes = {name: resolve(ctx, table="genai", keys="mix:" + where["zone"], indicator=name,
                           target_unit=unit) for name, unit in units.items()}
    if ctx.method == "ecologits":
        return mixes
    out = {}
    for name, unit in units.items():
        found = resolve(ctx, table="electricity", keys=where["country"].fillna(""),
                        indicator="gwp_lifecycle" if name == "gwp" else name, target_unit=unit)
        take = found["value"].isna() & mixes[name]["value"].notna()
        columns = ["factor_id", "value", "unit", "year"]
        found.loc[take, columns] = mixes[name].loc[take, columns]
        found.loc[take, "fallback"] = True
        out[name] = found
    return out


# --- the sheet ---------------------------------------------------------------------------------

def lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[pd.DataFrame], list[Issue]]:
    """Ledger lines of the genai_usage sheet."""
    if frame.empty:
        return [], []
    log = IssueLog(SHEET, str(frame[FILE].iloc[0]), frame)
    who = providers(frame, ctx)
    model = models(frame, who["provider"], ctx)
    _name_issues(frame, who, model, log, ctx)
    where = zones(frame, who["zone"], ctx)
    log.cells(where["unknown"], "unknown-factor-key", "region",
              lambda v: f"region {v!r} is not a country (ISO code or name) nor WOR (world)")
    grid = grid_factors(where, ctx)
    log.cells(grid["gwp"]["value"].isna() & where["zone"].notna(), "unknown-factor-key",
              "region", lambda v: f"no electricity mix for zone {v!r} under --method "
                                  f"{ctx.method}", values=where["zone"])
    _usage_notes(frame, model, log)
    keep = pd.Series(~log.rejected, index=frame.index)
    mixed = keep & (grid["gwp"]["fallback"] | grid["water"]["fallback"]
                    | grid["adpe"]["fallback"])
    log.cells(mixed, "factor-fallback", "region",
              lambda v: f"no library grid factor for zone {v!r}: EcoLogits' electricity mix "
                        "of the zone is used", severity=Severity.WARNING, values=where["zone"])
    issues = log.issues
    if not keep.any():
        return [], issues
    grid = {name: found[keep] for name, found in grid.items()}
    return _lines(frame[keep], who["provider"][keep], model[keep], where[keep], grid,
                  ctx), issues


def _name_issues(frame, who, model, log: IssueLog, ctx: Context) -> None:
    """Unknown providers and models (errors, with the closest names)."""
    names = ctx.library.table("genai_providers")["name"].tolist()
    log.cells(who["provider"].isna(), "unknown-factor-key", "provider",
              lambda v: f"provider {v!r} is not one EcoLogits knows" + suggest(v, names))
    table = ctx.library.table("genai_models")
    by_provider = table.groupby("provider")["model"].apply(list).to_dict()
    unknown = who["provider"].notna() & model["canonical"].isna()
    log.cells(unknown, "unknown-factor-key", "model",
              _model_message(frame, who["provider"], unknown, by_provider),
              values=frame["model"])


def _model_message(frame, provider, unknown, by_provider):
    """Message of an unknown model: the provider's closest model names."""
    lookup = dict(zip(frame["model"][unknown].astype(str), provider[unknown].astype(str)))

    def message(value: str | None) -> str:
        owner = lookup.get(str(value), "")
        return (f"model {value!r} is not among {owner}'s models in EcoLogits "
                + suggest(str(value), by_provider.get(owner, []), n=3)).rstrip()
    return message


def _usage_notes(frame, model, log: IssueLog) -> None:
    """What is estimated over a range, and what is recorded but not used (info)."""
    not_released = model["warnings"].str.contains("model-arch-not-released").fillna(False)
    if not_released.any():
        first = int(frame.loc[not_released, ROW].iloc[0])
        log.issues.append(Issue(
            code="estimated-range", severity=Severity.INFO, value=None,
            message=f"{int(not_released.sum())} row(s) use a model whose architecture is not "
                    "published: EcoLogits' parameter range is computed at both ends, the "
                    f"mean of the bounds counted; first at row {first}",
            source=SourceRef(file=log.file, sheet=SHEET, row=first, column="model")))
    if frame["input_tokens"].notna().any():
        first = int(frame.loc[frame["input_tokens"].notna(), ROW].iloc[0])
        log.issues.append(Issue(
            code="not-used", severity=Severity.INFO, value=None,
            message="input_tokens are recorded but not used: EcoLogits' energy model depends "
                    f"on output tokens only; first at row {first}",
            source=SourceRef(file=log.file, sheet=SHEET, row=first, column="input_tokens")))


def _lines(frame, provider, model, where, grid, ctx: Context) -> list[pd.DataFrame]:
    """The three lines of each accepted row (use, on-site water, manufacturing)."""
    k, constant_ids = constants(ctx)
    bounds, ids = provider_bounds(provider, ctx)
    requests = frame["requests"].to_numpy(dtype="float64")
    tokens = np.divide(frame["output_tokens"].to_numpy(dtype="float64"), requests,
                       out=np.zeros(len(frame)), where=requests > 0)
    common = dict(output_tokens=tokens,
                  measured_latency_s=frame["latency_s"].to_numpy(dtype="float64"),
                  tps=model["tps"].to_numpy(), ttft_s=model["ttft"].to_numpy(), k=k)
    side = {s: per_request(model[f"active_{s}_b"].to_numpy(), model[f"total_{s}_b"].to_numpy(),
                           pue=bounds[f"pue_{s}"], wue_l_per_kwh=bounds[f"wue_{s}"], **common)
            for s in ("low", "high")}

    def amounts(name: str) -> dict:
        low, high = requests * side["low"][name], requests * side["high"][name]
        return {"activity_amount": (low + high) / 2, "activity_amount_low": low,
                "activity_amount_high": high}

    identity = dict(country=where["country"].fillna(""), group=provider,
                    item_id=frame["project"].fillna(""),
                    label=provider + " · " + model["canonical"], quantity=frame["requests"],
                    quantity_unit="request")
    line = dict(activity=SHEET, scope=3, category=1, method="estimated")
    constant_text = ";".join(constant_ids)
    use = new_lines(frame, stage="use", **line).assign(
        **identity, **amounts("facility_kwh"), activity_unit="kWh",
        energy_it_kwh=requests * (side["low"]["it_kwh"] + side["high"]["it_kwh"]) / 2,
        pue=(bounds["pue_low"] + bounds["pue_high"]) / 2, ef_gwp=grid["gwp"]["value"],
        ef_gwp_market=grid["gwp"]["value"], ef_energy=1.0, ef_water=grid["water"]["value"],
        ef_adpe=grid["adpe"]["value"], factor_gwp=grid["gwp"]["factor_id"],
        factor_gwp_market=grid["gwp"]["factor_id"], factor_water=grid["water"]["factor_id"],
        factor_adpe=grid["adpe"]["factor_id"], fallback=grid["gwp"]["fallback"],
        factor_other=ids["pue"] + ";" + constant_text,
        formula="requests × PUE × (server share + GPUs × GPU energy) per request × grid "
                "factor; water: off-site generation water per kWh")
    onsite = new_lines(frame, stage="use", part="onsite_water", **line).assign(
        **identity, **amounts("onsite_l"), activity_unit="L", ef_gwp=0.0, ef_gwp_market=0.0,
        ef_energy=0.0, ef_water=0.001, ef_adpe=0.0, factor_water=ids["wue"],
        factor_other=constant_text,
        formula="requests × IT kWh per request × the provider's WUE (on-site water, L)")
    hardware = hardware_factors(ctx, k["server_gpus"])
    made = new_lines(frame, stage="manufacturing", **line).assign(
        **identity, **amounts("gpu_s"), activity_unit="gpu_s",
        allocation_share=1.0 / k["lifetime_s"], ef_gwp=hardware["gwp"][0],
        ef_gwp_market=hardware["gwp"][0], ef_energy=0.0, ef_water=np.nan,
        ef_adpe=hardware["adpe"][0], factor_gwp=hardware["gwp"][1],
        factor_gwp_market=hardware["gwp"][1], factor_adpe=hardware["adpe"][1],
        factor_other=constant_text,
        formula="requests × latency × GPUs / batch (GPU-seconds) × (server embodied / GPUs "
                "per server + GPU embodied) / lifetime seconds")
    return [use, onsite, made]
