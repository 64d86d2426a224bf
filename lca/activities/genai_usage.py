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
the provider's default zone) and its water and ADPe, EcoLogits' mix of the zone where the
library has none (the world; a ``factor-fallback`` warning); ``--method ecologits`` takes
EcoLogits' own electricity mix of the zone throughout (``lca.methods.ecologits``).
Names, zones and factors are resolved once per distinct (provider, model, region); the
per-request steps run on whole columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.activities.cloud import spread_columns
from lca.activities.common import line_columns
from lca.coerce import TextCodes, factorize
from lca.errors import FactorLibraryError
from lca.issue_log import IssueLog
from lca.issues import Issue, Severity, SourceRef, suggest
from lca.ledger import LedgerPart, Spread
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


def generation_latency_s(
    active_params_b,
    output_tokens,
    batch_size,
    alpha_l_s,
    beta_l_s,
    gamma_l_s,
    tps,
    ttft_s,
    measured_latency_s,
):
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


def per_request(
    active_params_b,
    total_params_b,
    output_tokens,
    measured_latency_s,
    tps,
    ttft_s,
    pue,
    wue_l_per_kwh,
    k: dict,
) -> dict[str, np.ndarray]:
    """One side (low or high) of a request: IT and facility kWh, on-site L and GPU-seconds."""
    gpu_kwh = gpu_energy_kwh(
        active_params_b,
        output_tokens,
        k["batch_size"],
        k["alpha_e_wh"],
        k["beta_e"],
        k["gamma_e_wh"],
    )
    latency_s = generation_latency_s(
        active_params_b,
        output_tokens,
        k["batch_size"],
        k["alpha_l_s"],
        k["beta_l_s"],
        k["gamma_l_s"],
        tps,
        ttft_s,
        measured_latency_s,
    )
    gpus = gpu_count(
        model_memory_gb(total_params_b, k["bits"], k["memory_overhead"]), k["gpu_memory_gb"]
    )
    server_kwh = server_energy_kwh(
        latency_s, k["server_kw"], k["server_gpus"], gpus, k["batch_size"]
    )
    it_kwh = it_energy_kwh(server_kwh, gpus, gpu_kwh)
    return {
        "it_kwh": it_kwh,
        "facility_kwh": facility_energy_kwh(pue, it_kwh),
        "onsite_l": onsite_water_l(it_kwh, wue_l_per_kwh),
        "gpu_s": gpu_seconds(latency_s, gpus, k["batch_size"]),
    }


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
        server_found = ctx.library.value("genai", "server", indicator, LATEST, "manufacturing")
        gpu_found = ctx.library.value("genai", "gpu", indicator, LATEST, "manufacturing")
        if server_found is None or gpu_found is None:
            raise FactorLibraryError(f"genai.csv lacks the embodied {indicator} of server or gpu")
        (server, s_unit, s_id), (gpu, g_unit, g_id) = server_found, gpu_found
        value = embodied_per_gpu(
            server * conversion_factor(s_unit, unit),
            server_gpus,
            gpu * conversion_factor(g_unit, unit),
        )
        out[indicator] = (float(value), f"{s_id};{g_id}")
    return out


def providers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Each row's provider as EcoLogits spells it and its default zone (NA: unknown name)."""
    names = ctx.library.table("genai_providers").drop_duplicates("name").set_index("name")
    spelled = frame["provider"].astype("string").str.strip().str.lower()
    return pd.DataFrame(
        {
            "provider": spelled.map(names["provider"]).astype("string"),
            "zone": spelled.map(names["zone"]).astype("string"),
        },
        index=frame.index,
    )


def models(frame: pd.DataFrame, provider: pd.Series, ctx: Context) -> pd.DataFrame:
    """Each row's model entry (canonical name, parameters, deployment), aliases resolved and
    names matched ignoring case; NA where the provider has no such model."""
    table = ctx.library.table("genai_models")
    numbers = ["active_low_b", "active_high_b", "total_low_b", "total_high_b", "tps", "ttft"]
    entries = (
        table[numbers]
        .astype("float64")
        .assign(canonical=table["alias_of"].fillna(table["model"]).astype("string"))
    )
    entries.index = table["provider"] + "/" + table["model"].str.lower()
    wanted = provider + "/" + frame["model"].astype("string").str.strip().str.lower()
    codes, uniques = pd.factorize(wanted.astype(object), use_na_sentinel=True)
    distinct = entries.reindex(pd.Index([*uniques, None], dtype=object))
    found = distinct.iloc[np.where(codes < 0, len(uniques), codes)]
    found.index = frame.index
    return found


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
                values.setdefault(f"{indicator}_{side}", {})[name] = hit[0] * conversion_factor(
                    hit[1], unit
                )
                found.append(hit[2])
            ids[indicator][name] = ";".join(found)
    return (
        {column: provider.map(per).to_numpy(dtype="float64") for column, per in values.items()},
        {indicator: provider.map(per).astype(object) for indicator, per in ids.items()},
    )


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
    return pd.DataFrame(
        {"zone": zone, "country": country, "unknown": region.notna() & ~world & country.isna()},
        index=frame.index,
    )


def grid_factors(where: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """Carbon (life-cycle), ADPe and generation water per kWh of each row's zone: the
    library's grid factors of the country, EcoLogits' mix of the zone where the library has
    none (the world; marked ``fallback``); EcoLogits' mix only under ``--method ecologits``."""
    units = {"gwp": "kgCO2e/kWh", "adpe": "kgSbeq/kWh", "water": "m**3/kWh"}
    mixes = {
        name: resolve(
            ctx, table="genai", keys="mix:" + where["zone"], indicator=name, target_unit=unit
        )
        for name, unit in units.items()
    }
    if ctx.method == "ecologits":
        return mixes
    out = {}
    for name, unit in units.items():
        found = resolve(
            ctx,
            table="electricity",
            keys=where["country"].fillna(""),
            indicator="gwp_lifecycle" if name == "gwp" else name,
            target_unit=unit,
        )
        take = found["value"].isna() & mixes[name]["value"].notna()
        columns = ["factor_id", "value", "unit", "year"]
        found.loc[take, columns] = mixes[name].loc[take, columns]
        found.loc[take, "fallback"] = True
        out[name] = found
    return out


# --- the sheet ---------------------------------------------------------------------------------

#: Columns that decide everything but the amounts: rows sharing them share one signature.
SIGNATURE = ("provider", "model", "region")


def signature_codes(
    frame: pd.DataFrame, known: TextCodes | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the number of its distinct (provider, model, region), and the position
    of the first row of each (from the columns' integer codes — ``known``'s where it has
    them — not row-wise strings)."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for column in SIGNATURE:
        codes, uniques = factorize(frame[column], known)
        combined *= len(uniques) + 1
        combined += codes + 1
    codes, _ = pd.factorize(combined)
    first = np.unique(codes, return_index=True)[1]
    return codes, first


def signature_table(sigs: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Per signature: provider, label, zone and country, the model's parameters and speed,
    the provider's PUE/WUE bounds, the grid factors, the factor ids, and the error (with its
    column) that keeps its rows out of the ledger, if any."""
    who = providers(sigs, ctx)
    model = models(sigs, who["provider"], ctx)
    where = zones(sigs, who["zone"], ctx)
    grid = grid_factors(where, ctx)
    bounds, ids = provider_bounds(who["provider"], ctx)
    table = model.reset_index(drop=True).assign(
        provider=who["provider"].to_numpy(),
        country=where["country"].to_numpy(),
        zone=where["zone"].to_numpy(),
        label=(who["provider"] + " · " + model["canonical"]).to_numpy(),
        **bounds,
        ids_pue=ids["pue"].to_numpy(),
        ids_wue=ids["wue"].to_numpy(),
    )
    for name, found in grid.items():
        table[f"ef_{name}"] = found["value"].to_numpy(dtype="float64")
        table[f"id_{name}"] = found["factor_id"].to_numpy()
    table["fallback"] = (
        grid["gwp"]["fallback"] | grid["water"]["fallback"] | grid["adpe"]["fallback"]
    ).to_numpy()
    table[["error_column", "error"]] = [
        _signature_error(sig, who_, model_, where_, gwp, ctx)
        for sig, who_, model_, where_, gwp in zip(
            sigs.itertuples(),
            who["provider"],
            model["canonical"],
            where["unknown"],
            grid["gwp"]["value"],
            strict=True,
        )
    ]
    return table


def _signature_error(
    sig, provider, canonical, unknown_region, gwp, ctx: Context
) -> tuple[str, str]:
    """(column, message) of what keeps a signature's rows out of the ledger, or ("", "")."""
    if pd.isna(provider):
        names = ctx.library.table("genai_providers")["name"].tolist()
        return "provider", (
            f"provider {sig.provider!r} is not one EcoLogits knows" + suggest(sig.provider, names)
        )
    if pd.isna(canonical):
        table = ctx.library.table("genai_models")
        names = table.loc[table["provider"] == provider, "model"].tolist()
        return "model", (
            f"model {sig.model!r} is not among {provider}'s models in EcoLogits"
            + suggest(sig.model, names, n=3)
        )
    if unknown_region:
        return "region", (
            f"region {sig.region!r} is not a country (ISO code or name) nor WOR (world)"
        )
    if pd.isna(gwp):
        return "region", (
            f"no electricity mix for the zone of {provider} under --method {ctx.method}"
        )
    return "", ""


def lines(frame: pd.DataFrame, ctx: Context) -> tuple[list[LedgerPart], list[Issue]]:
    """Ledger lines of the genai_usage sheet."""
    if frame.empty:
        return [], []
    codes, first = signature_codes(frame, ctx.text_codes)
    table = signature_table(frame.iloc[first].reset_index(drop=True), ctx)
    log = IssueLog(SHEET, str(frame[FILE].iloc[0]), frame)
    for (column, message), part in table[table["error"] != ""].groupby(
        ["error_column", "error"], sort=False
    ):
        log.cells(np.isin(codes, part.index), "unknown-factor-key", column, message)
    mixed = np.isin(codes, np.flatnonzero(table["fallback"].to_numpy(dtype=bool)))
    log.cells(
        mixed & ~log.rejected,
        "factor-fallback",
        "region",
        lambda v: (
            f"no library grid factor for zone {v!r}: EcoLogits' electricity mix of the zone is used"
        ),
        severity=Severity.WARNING,
        values=pd.Series(table["zone"].to_numpy()[codes], index=frame.index),
    )
    _usage_notes(frame, table, codes, log)
    keep = np.flatnonzero(~log.rejected)
    if not len(keep):
        return [], log.issues
    return _lines(frame, table, codes, keep, ctx), log.issues


def _usage_notes(
    frame: pd.DataFrame, table: pd.DataFrame, codes: np.ndarray, log: IssueLog
) -> None:
    """What is estimated over a range, and what is recorded but not used (info)."""
    ranged_sig = (table["active_low_b"] != table["active_high_b"]) | (
        table["total_low_b"] != table["total_high_b"]
    )
    ranged = ranged_sig.to_numpy(dtype=bool)[codes]
    for mask, code, column, message in (
        (
            ranged,
            "estimated-range",
            "model",
            (
                "row(s) use a model whose parameter count is published as a range only: it is "
                "computed at both ends, the mean of the bounds counted"
            ),
        ),
        (
            frame["input_tokens"].notna().to_numpy(),
            "not-used",
            "input_tokens",
            (
                "row(s) give input_tokens: recorded, not used (EcoLogits' energy model depends on "
                "output tokens only)"
            ),
        ),
    ):
        if mask.any():
            first = int(frame[ROW].to_numpy()[np.flatnonzero(mask)[0]])
            log.issues.append(
                Issue(
                    code=code,
                    severity=Severity.INFO,
                    message=f"{int(mask.sum())} {message}; first at row {first}",
                    source=SourceRef(file=log.file, sheet=SHEET, row=first, column=column),
                )
            )


def _lines(
    frame: pd.DataFrame, table: pd.DataFrame, codes: np.ndarray, keep: np.ndarray, ctx: Context
) -> list[LedgerPart]:
    """The three lines of each accepted row (use, on-site water, manufacturing)."""
    k, constant_ids = constants(ctx)
    codes = codes[keep]
    per_sig = {
        column: table[column].to_numpy(dtype="float64")[codes]
        for column in (
            "active_low_b",
            "active_high_b",
            "total_low_b",
            "total_high_b",
            "tps",
            "ttft",
            "pue_low",
            "pue_high",
            "wue_low",
            "wue_high",
        )
    }
    requests = frame["requests"].to_numpy(dtype="float64")[keep]
    tokens = np.divide(
        frame["output_tokens"].to_numpy(dtype="float64")[keep],
        requests,
        out=np.zeros(len(keep)),
        where=requests > 0,
    )
    side = {
        s: per_request(
            per_sig[f"active_{s}_b"],
            per_sig[f"total_{s}_b"],
            tokens,
            frame["latency_s"].to_numpy(dtype="float64")[keep],
            per_sig["tps"],
            per_sig["ttft"],
            per_sig[f"pue_{s}"],
            per_sig[f"wue_{s}"],
            k,
        )
        for s in ("low", "high")
    }

    def amounts(name: str) -> dict:
        low, high = requests * side["low"][name], requests * side["high"][name]
        return {
            "activity_amount": (low + high) / 2,
            "activity_amount_low": low,
            "activity_amount_high": high,
        }

    constant_text = ";".join(constant_ids)
    table = table.assign(other_use=table["ids_pue"] + ";" + constant_text)
    text = spread_columns(
        table[
            [
                "provider",
                "label",
                "country",
                "id_gwp",
                "id_water",
                "id_adpe",
                "other_use",
                "ids_wue",
            ]
        ].fillna(""),
        codes,
    )
    ef = {
        name: Spread(table[f"ef_{name}"].to_numpy(dtype="float64"), codes)
        for name in ("gwp", "water", "adpe")
    }
    project_codes, projects = factorize(frame["project"])
    common = {
        "country": text["country"],
        "group": text["provider"],
        "label": text["label"],
        "item_id": pd.Categorical.from_codes(project_codes[keep], categories=projects),
        "quantity": requests,
        "quantity_unit": "request",
    }
    rows, file = frame[ROW].to_numpy()[keep], str(frame[FILE].iloc[0])

    def identity(stage: str, part: str = "") -> dict:
        return line_columns(
            rows,
            file,
            activity=SHEET,
            stage=stage,
            part=part,
            scope=3,
            category=1,
            method="estimated",
        )

    use = LedgerPart(
        len(rows),
        {
            **identity("use"),
            **common,
            **amounts("facility_kwh"),
            "activity_unit": "kWh",
            "energy_it_kwh": requests * (side["low"]["it_kwh"] + side["high"]["it_kwh"]) / 2,
            "pue": (per_sig["pue_low"] + per_sig["pue_high"]) / 2,
            "ef_gwp": ef["gwp"],
            "ef_gwp_market": ef["gwp"],
            "ef_energy": 1.0,
            "ef_water": ef["water"],
            "ef_adpe": ef["adpe"],
            "factor_gwp": text["id_gwp"],
            "factor_gwp_market": text["id_gwp"],
            "factor_water": text["id_water"],
            "factor_adpe": text["id_adpe"],
            "fallback": table["fallback"].to_numpy(dtype=bool)[codes],
            "factor_other": text["other_use"],
            "formula": "requests × PUE × (server share + GPUs × GPU energy) per request × grid "
            "factor; water: off-site generation water per kWh",
        },
    )
    onsite = LedgerPart(
        len(rows),
        {
            **identity("use", "onsite_water"),
            **common,
            **amounts("onsite_l"),
            "activity_unit": "L",
            "ef_gwp": 0.0,
            "ef_gwp_market": 0.0,
            "ef_energy": 0.0,
            "ef_water": 0.001,
            "ef_adpe": 0.0,
            "factor_water": text["ids_wue"],
            "factor_other": constant_text,
            "formula": "requests × IT kWh per request × the provider's WUE (on-site water, L)",
        },
    )
    hardware = hardware_factors(ctx, k["server_gpus"])
    made = LedgerPart(
        len(rows),
        {
            **identity("manufacturing"),
            **common,
            **amounts("gpu_s"),
            "activity_unit": "gpu_s",
            "allocation_share": 1.0 / k["lifetime_s"],
            "ef_gwp": hardware["gwp"][0],
            "ef_gwp_market": hardware["gwp"][0],
            "ef_energy": 0.0,
            "ef_water": np.nan,
            "ef_adpe": hardware["adpe"][0],
            "factor_gwp": hardware["gwp"][1],
            "factor_gwp_market": hardware["gwp"][1],
            "factor_adpe": hardware["adpe"][1],
            "factor_other": constant_text,
            "formula": "requests × latency × GPUs / batch (GPU-seconds) × (server embodied / GPUs "
            "per server + GPU embodied) / lifetime seconds",
        },
    )
    return [use, onsite, made]
