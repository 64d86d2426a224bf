"""The AI figures: hosted-model use (genai_usage) beside compute jobs, the AI share of the
footprint and per-model intensities, every one a sum of ledger lines.

What counts as "AI" is stated here once (``AI_ACTIVITIES``): the counted lines of the
genai_usage sheet (hosted models called through an API) and of the compute_jobs sheet (jobs
run in the cloud), both scope 3 category 1. Compute jobs on owned equipment are "of which"
attribution: their electricity is already inside the site's meter (scope 2) and their hardware
in category 2, so they are shown apart and never added to the AI figure.

A genai_usage line carries the low and high bounds of its activity when the model's size is
published as a range only; a figure's range is the sum of its lines' bounds
(``lca.ledger.indicator_bounds``), its value the mean of the two.

Intensities per model (the ledger label ``provider · model``): per request and per 1,000
output tokens, of carbon (gCO2e), energy (Wh) and water (mL: the provider's on-site water and
the generation water of its electricity). Requests are the ``quantity`` of the model's use
lines (activity unit ``REQUEST_UNIT``); output tokens the ``output_tokens`` of their input rows.
results.json (``ai``), the PDF and the workbook's AI sheet all read ``block``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.ledger import indicator_bounds
from lca.ratio import ratio

GENAI, JOBS = "genai_usage", "compute_jobs"
#: The activities whose counted lines are "AI".
AI_ACTIVITIES = (GENAI, JOBS)
RULE = (
    "AI = the counted lines of hosted models called through an API (the genai_usage sheet) and "
    "of compute jobs run in the cloud, scope 3 category 1. Compute jobs on owned equipment are "
    'attribution ("of which"): already inside the site\'s meter and equipment, shown apart '
    "and never added."
)
#: Figures summed per group, and those with a range on genai_usage lines.
FIGURES = ("kgco2e", "energy_kwh", "water_m3", "adpe_kgsbeq")
RANGED = ("kgco2e", "energy_kwh", "water_m3")
#: Activity unit of a genai_usage row's use line, whose ``quantity`` is the row's requests.
REQUEST_UNIT = "kWh"
#: Intensity name → (ledger column, multiplier from the ledger's unit: kg → g, kWh → Wh,
#: m³ → mL).
INTENSITIES = {
    "gco2e": ("kgco2e", 1000.0),
    "wh": ("energy_kwh", 1000.0),
    "ml_water": ("water_m3", 1_000_000.0),
}
#: Output tokens of the "per 1,000 output tokens" intensities.
PER_TOKENS = 1000


def intensity(amount: float, multiplier: float, per: float) -> float | None:
    """``amount`` in the ledger's unit × ``multiplier`` / ``per`` (None when ``per`` is 0 or
    the result is beyond any number)."""
    return ratio(amount * multiplier, per)


def _sum(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].sum())


def totals(lines: pd.DataFrame) -> dict:
    """The figures of some ledger lines, and their line count."""
    return {**{c: _sum(lines, c) for c in FIGURES}, "lines": len(lines)}


def genai_frame(ledger: pd.DataFrame, sheet: pd.DataFrame) -> pd.DataFrame:
    """The counted genai_usage lines: provider, model label, project, the figures with their
    bounds, and the requests and output tokens of the row (on its use line only)."""
    lines = ledger[(ledger["activity"] == GENAI) & ledger["counted"]]
    use = (lines["activity_unit"] == REQUEST_UNIT).to_numpy()
    tokens = pd.Series(dtype="float64")
    if len(sheet):
        tokens = pd.Series(
            sheet["output_tokens"].to_numpy(dtype="float64"), index=sheet["_row"].to_numpy()
        )
    frame = pd.DataFrame(
        {
            "provider": lines["group"].astype("string").fillna("").to_numpy(dtype=object),
            "label": lines["label"].astype("string").fillna("").to_numpy(dtype=object),
            "project": lines["item_id"].astype("string").fillna("").to_numpy(dtype=object),
            "requests": np.where(use, lines["quantity"].to_numpy(dtype="float64"), 0.0),
            "output_tokens": np.where(use, lines["row"].map(tokens).to_numpy(dtype="float64"), 0.0),
        },
        index=lines.index,
    )
    for column in FIGURES:
        frame[column] = lines[column]
    for column in RANGED:
        frame[f"{column}_low"], frame[f"{column}_high"] = indicator_bounds(lines, column)
    return frame


def _groups(frame: pd.DataFrame, keys: list[str]) -> list[dict]:
    """Sums of ``frame`` by ``keys``, sorted, with the figures' ranges and line counts."""
    if frame.empty:
        return []
    sums = frame.groupby(keys, sort=True).sum(numeric_only=True)
    sizes = frame.groupby(keys, sort=True).size()
    rows = []
    for key, values in sums.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(keys, key, strict=True))
        row["model"] = model_name(row["provider"], row["label"])
        row.update(
            requests=float(values["requests"]),
            output_tokens=float(values["output_tokens"]),
            lines=int(sizes[key if len(key) > 1 else key[0]]),
            **{c: float(values[c]) for c in FIGURES},
            range={c: [float(values[f"{c}_low"]), float(values[f"{c}_high"])] for c in RANGED},
        )
        rows.append(row)
    return rows


def model_name(provider: str, label: str) -> str:
    """The model of a genai_usage ledger label (``provider · model``)."""
    return label.removeprefix(f"{provider} · ")


def intensities(row: dict) -> dict:
    """Per request and per 1,000 output tokens, each with its range, of one model's sums."""
    tokens = row["output_tokens"] / PER_TOKENS
    out: dict = {}
    for per, count in (("per_request", row["requests"]), ("per_1000_output_tokens", tokens)):
        out[per] = {
            name: intensity(row[column], multiplier, count)
            for name, (column, multiplier) in INTENSITIES.items()
        }
        out[f"{per}_range"] = {
            name: [intensity(bound, multiplier, count) for bound in row["range"][column]]
            for name, (column, multiplier) in INTENSITIES.items()
        }
    return out


def block(ledger: pd.DataFrame, sheet: pd.DataFrame) -> dict:
    """The AI figures of a run (results.json ``ai``; the report's AI section and sheet):
    counted AI lines by activity and their share of the location-based total, the "of which"
    compute jobs on owned equipment, hosted-model use by provider, model and project, and the
    intensities per model. ``sheet`` is the inventory's genai_usage sheet."""
    counted = ledger[ledger["counted"]]
    genai = genai_frame(ledger, sheet)
    by_activity = {a: totals(counted[counted["activity"] == a]) for a in AI_ACTIVITIES}
    by_activity[GENAI]["range"] = {
        c: [_sum(genai, f"{c}_low"), _sum(genai, f"{c}_high")] for c in RANGED
    }
    ai = counted[counted["activity"].isin(list(AI_ACTIVITIES))]
    total = _sum(counted, "kgco2e")
    owned = ledger[(ledger["activity"] == JOBS) & ~ledger["counted"]]
    models = _groups(genai, ["provider", "label"])
    return {
        "rule": RULE,
        "counted": {**by_activity, "total": totals(ai)},
        "total_location_kgco2e": total,
        "share_of_total_location": ratio(_sum(ai, "kgco2e"), total),
        "of_which_compute_jobs_on_owned_equipment": totals(owned),
        "genai_usage": _groups(genai, ["provider", "label", "project"]),
        "intensities": [
            {
                key: m[key]
                for key in ("provider", "model", "label", "requests", "output_tokens", "lines")
            }
            | intensities(m)
            for m in models
        ],
    }
