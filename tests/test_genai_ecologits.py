"""``--method ecologits`` against the EcoLogits package itself (test-only dependency, pinned).

Each case is one request (``requests`` 1) of EcoLogits' high-level ``llm_impacts`` for the
same provider, model, output tokens, measured latency and zone, compared with the sum of the
row's ledger lines: energy, GWP, ADPe and water (EcoLogits' ``wcf``), low and high bounds, to
1e-9 relative. Models: dense and mixture-of-experts, known counts and ranges, aliases, with
and without deployment speed, six providers.
"""

from __future__ import annotations

import importlib.metadata
import math

import numpy as np
import pandas as pd
import pytest

from lca.pipeline import run

ecologits_utils = pytest.importorskip("ecologits.tracers.utils")

#: (provider, model, region, latency_s): region None is the provider's default zone.
CASES = [
    ("openai", "gpt-4o-mini", None, None),  # dense range, tps and ttft
    ("openai", "gpt-35-turbo", None, 2.0),  # alias of gpt-3.5-turbo, latency cap
    ("anthropic", "claude-opus-4-5", None, None),  # alias, moe with active range, PUE range
    ("mistralai", "mistral-large-2512", None, None),  # moe, Swedish zone
    ("mistralai", "magistral-medium-latest", "FRA", None),  # dense range, latency regression
    ("cohere", "c4ai-aya-expanse-32b", None, None),  # dense, no deployment data
    ("cohere", "command-a-03-2025", "DEU", 1.0),  # dense, tps, latency cap
    ("huggingface_hub", "mistralai/Mixtral-8x7B-v0.1", None, None),  # moe, PUE/WUE ranges
    ("google_genai", "gemini-2.5-flash-image", None, None),  # ttft without tps
    ("huggingface_hub", "openai/gpt-oss-120b", "WOR", None),  # moe, world mix
]
TOKENS = (150, 2400)
INDICATORS = {
    "energy": ("energy_kwh", 1.0),
    "gwp": ("kgco2e", 1.0),
    "adpe": ("adpe_kgsbeq", 1.0),
    "wcf": ("water_m3", 1000.0),
}
EF = {
    "energy_kwh": "ef_energy",
    "kgco2e": "ef_gwp",
    "adpe_kgsbeq": "ef_adpe",
    "water_m3": "ef_water",
}


def test_pinned_version():
    assert importlib.metadata.version("ecologits") == "0.11.3"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    folder = tmp_path_factory.mktemp("genai")
    (folder / "settings.csv").write_text("key,value\norganization,Test\nreporting_year,2025\n")
    rows = [
        {
            "provider": p,
            "model": m,
            "requests": 1,
            "output_tokens": t,
            "region": r,
            "latency_s": latency,
        }
        for p, m, r, latency in CASES
        for t in TOKENS
    ]
    pd.DataFrame(rows).to_csv(folder / "genai_usage.csv", index=False)
    result = run(folder, method="ecologits")
    assert not [i for i in result.issues if i.severity.value == "error"]
    return result.ledger


def _sums(ledger, row: int, column: str) -> tuple[float, ...]:
    """The row's lines summed: value, low and high of one indicator (bound × ef × share)."""
    lines = ledger[ledger["row"] == row]
    per_amount = lines[EF[column]] * lines["allocation_share"]
    return tuple(
        float(np.nansum(lines[amount] * per_amount))
        for amount in ("activity_amount", "activity_amount_low", "activity_amount_high")
    )


@pytest.mark.parametrize("position", range(len(CASES) * len(TOKENS)))
def test_matches_ecologits(ledger, position):
    provider, model, region, latency = CASES[position // len(TOKENS)]
    tokens = TOKENS[position % len(TOKENS)]
    expected = ecologits_utils.llm_impacts(
        provider, model, tokens, math.inf if latency is None else latency, region
    )
    assert not expected.errors
    for name, (column, scale) in INDICATORS.items():
        value = getattr(expected, name).value
        low, high = (value.min, value.max) if hasattr(value, "min") else (value, value)
        point, got_low, got_high = _sums(ledger, position + 2, column)
        assert got_low * scale == pytest.approx(low, rel=1e-9), (name, "low")
        assert got_high * scale == pytest.approx(high, rel=1e-9), (name, "high")
        assert point * scale == pytest.approx((low + high) / 2, rel=1e-9), (name, "mean")
