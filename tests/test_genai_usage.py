"""The genai_usage sheet: EcoLogits' steps by hand, names and aliases, issues, bounds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lca.activities import genai_usage as genai
from lca.factors.library import load_library
from lca.pipeline import run

# EcoLogits 0.11.3 constants (ecologits/impacts/llm.py), written out for the hand computations.
ALPHA_E, BETA_E, GAMMA_E = 1.1665273170451914e-06, -0.011205921025579175, 4.052928146734005e-05
ALPHA_L, BETA_L, GAMMA_L = 0.0006785088094353663, 0.0003119310311688259, 0.019473717579473387
LIFETIME_S = 3 * 365 * 24 * 3600


def inventory(tmp_path, rows: list[dict], method: str = "default"):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "settings.csv").write_text("key,value\norganization,Test\nreporting_year,2025\n")
    pd.DataFrame(rows).to_csv(tmp_path / "genai_usage.csv", index=False)
    return run(tmp_path, method=method)


def by_code(result, code: str) -> list:
    return [i for i in result.issues if i.code == code]


def test_steps_by_hand():
    tokens, params = 100.0, 32.3
    gpu_kwh = genai.gpu_energy_kwh(params, tokens, 64, ALPHA_E, BETA_E, GAMMA_E)
    assert gpu_kwh == pytest.approx(
        100 * (ALPHA_E * math.exp(BETA_E * 64) * 32.3 + GAMMA_E) / 1000, rel=1e-15
    )
    latency = genai.generation_latency_s(
        params, tokens, 64, ALPHA_L, BETA_L, GAMMA_L, np.nan, np.nan, np.nan
    )
    assert latency == pytest.approx(100 * (ALPHA_L * 32.3 + BETA_L * 64 + GAMMA_L), rel=1e-15)
    assert genai.generation_latency_s(
        params, tokens, 64, ALPHA_L, BETA_L, GAMMA_L, 50.0, 0.5, np.nan
    ) == pytest.approx(100 / 50 + 0.5)
    assert (
        genai.generation_latency_s(params, tokens, 64, ALPHA_L, BETA_L, GAMMA_L, 50.0, 0.5, 1.0)
        == 1.0
    )  # capped by the measured latency
    assert genai.gpu_count(genai.model_memory_gb(32.3, 16, 1.2), 80) == 1  # 77.52 GB
    assert genai.gpu_count(genai.model_memory_gb(70, 16, 1.2), 80) == 4  # 168 GB → 3 → 4
    assert genai.gpu_count(genai.model_memory_gb(670, 16, 1.2), 80) == 32  # 1608 GB → 21 → 32
    assert genai.server_energy_kwh(36.0, 1.2, 8, 4, 64) == pytest.approx(
        36 / 3600 * 1.2 * 4 / 8 / 64
    )
    assert genai.embodied_per_gpu(5700, 8, 273) == pytest.approx(5700 / 8 + 273)


def test_row_by_hand_default_method(tmp_path):
    """Four requests of 100 tokens to a dense 32.3 B model (Cohere, default zone USA)."""
    result = inventory(
        tmp_path,
        [
            {
                "provider": "cohere",
                "model": "c4ai-aya-expanse-32b",
                "requests": 4,
                "output_tokens": 400,
                "project": "chat",
            }
        ],
    )
    ledger = result.ledger
    gpu_kwh = 100 * (ALPHA_E * math.exp(BETA_E * 64) * 32.3 + GAMMA_E) / 1000
    latency = 100 * (ALPHA_L * 32.3 + BETA_L * 64 + GAMMA_L)
    it_kwh = latency / 3600 * 1.2 * 1 / 8 / 64 + 1 * gpu_kwh
    library = load_library()
    us = library.lookup("electricity", pd.Series(["US"]), "gwp_lifecycle", 2025).iloc[0]
    water = library.lookup("electricity", pd.Series(["US"]), "water", 2025).iloc[0]
    use = ledger[(ledger["stage"] == "use") & (ledger["part"] == "")].iloc[0]
    assert use["energy_kwh"] == pytest.approx(4 * 1.09 * it_kwh, rel=1e-12)
    assert use["kgco2e"] == pytest.approx(4 * 1.09 * it_kwh * us["value"], rel=1e-12)
    assert use["water_m3"] == pytest.approx(4 * 1.09 * it_kwh * water["value"], rel=1e-12)
    onsite = ledger[ledger["part"] == "onsite_water"].iloc[0]
    assert onsite["water_m3"] == pytest.approx(4 * it_kwh * 0.999 / 1000, rel=1e-12)
    assert onsite["kgco2e"] == 0
    made = ledger[ledger["stage"] == "manufacturing"].iloc[0]
    assert made["kgco2e"] == pytest.approx(
        4 * latency * 1 / 64 * (5700 / 8 + 273) / LIFETIME_S, rel=1e-12
    )
    assert made["adpe_kgsbeq"] == pytest.approx(
        4 * latency / 64 * (0.37 / 8 + 0.00895) / LIFETIME_S, rel=1e-12
    )
    assert "water_m3" in made["not_assessed"]
    assert set(ledger["scope"]) == {3} and set(ledger["category"]) == {1}
    assert set(ledger["item_id"]) == {"chat"}
    assert (ledger["activity_amount_low"] == ledger["activity_amount_high"]).all()


def test_range_is_carried_and_mean_counted(tmp_path):
    """gpt-4o-mini: 8–28 B parameters; the line counts the mean of its two ends."""
    result = inventory(
        tmp_path,
        [{"provider": "openai", "model": "gpt-4o-mini", "requests": 1, "output_tokens": 500}],
    )
    use = result.ledger[result.ledger["part"] == "onsite_water"].iloc[0]
    assert use["activity_amount_low"] < use["activity_amount_high"]
    assert use["activity_amount"] == (use["activity_amount_low"] + use["activity_amount_high"]) / 2
    assert by_code(result, "estimated-range")


def test_names_aliases_and_suggestions(tmp_path):
    result = inventory(
        tmp_path,
        [
            {
                "provider": "Google",
                "model": "gemini-2.5-flash-image",
                "requests": 1,
                "output_tokens": 10,
            },
            {
                "provider": "mistral",
                "model": "Mistral-Large-2512",
                "requests": 1,
                "output_tokens": 10,
            },
            {"provider": "openai", "model": "gpt-35-turbo", "requests": 1, "output_tokens": 10},
            {"provider": "openai", "model": "gpt-4o-mnii", "requests": 1, "output_tokens": 10},
            {"provider": "openia", "model": "gpt-4o", "requests": 1, "output_tokens": 10},
            {
                "provider": "openai",
                "model": "gpt-4o",
                "requests": 1,
                "output_tokens": 10,
                "region": "Atlantis",
            },
            {"provider": "openai", "model": "gpt-4o", "requests": 0, "output_tokens": 10},
        ],
    )
    labels = set(result.ledger["label"])
    assert {
        "google_genai · gemini-2.5-flash-image",
        "mistralai · mistral-large-2512",
        "openai · gpt-3.5-turbo",
    } <= labels
    unknown = {(i.source.row, i.source.column): i for i in by_code(result, "unknown-factor-key")}
    assert "did you mean 'gpt-4o-mini'" in unknown[(5, "model")].message
    assert "did you mean 'openai'" in unknown[(6, "provider")].message
    assert (7, "region") in unknown
    assert [i.source.row for i in by_code(result, "inconsistent-columns")] == [8]
    assert result.reconciliation["by_sheet"]["genai_usage"] == {
        "rows_read": 7,
        "rows_accounted": 3,
        "rows_rejected": 4,
    }


def test_default_zone_and_region(tmp_path):
    """Mistral's default zone is Sweden; a region given as a country wins."""
    result = inventory(
        tmp_path,
        [
            {
                "provider": "mistralai",
                "model": "mistral-large-2512",
                "requests": 1,
                "output_tokens": 10,
            },
            {
                "provider": "mistralai",
                "model": "mistral-large-2512",
                "requests": 1,
                "output_tokens": 10,
                "region": "FR",
            },
            {
                "provider": "mistralai",
                "model": "mistral-large-2512",
                "requests": 1,
                "output_tokens": 10,
                "region": "world",
            },
        ],
    )
    use = result.ledger[(result.ledger["stage"] == "use") & (result.ledger["part"] == "")]
    assert list(use["country"]) == ["SE", "FR", ""]
    assert use["factor_gwp"].iloc[0].startswith("electricity:SE:gwp_lifecycle")
    # the library has no world life-cycle factor: EcoLogits' world mix, disclosed
    assert use["factor_gwp"].iloc[2] == "genai:mix:WOR:gwp:2026"
    assert use["ef_gwp"].iloc[2] == 0.45829
    assert [(i.source.row, i.value) for i in by_code(result, "factor-fallback")] == [(4, "WOR")]


def test_requests_scale_one_request(tmp_path):
    one = inventory(
        tmp_path / "a",
        [
            {
                "provider": "anthropic",
                "model": "claude-opus-4-5",
                "requests": 1,
                "output_tokens": 300,
            }
        ],
    )
    ten = inventory(
        tmp_path / "b",
        [
            {
                "provider": "anthropic",
                "model": "claude-opus-4-5",
                "requests": 10,
                "output_tokens": 3000,
            }
        ],
    )
    for column in ("kgco2e", "energy_kwh", "water_m3", "adpe_kgsbeq"):
        assert ten.ledger[column].sum() == pytest.approx(10 * one.ledger[column].sum(), rel=1e-12)


def test_budgets_match_projects(tmp_path):
    (tmp_path / "budgets.csv").write_text("scope,kgco2e,note\ncode-,0.001,assistants\n")
    result = inventory(
        tmp_path,
        [
            {
                "provider": "openai",
                "model": "gpt-4o",
                "requests": 10,
                "output_tokens": 5000,
                "project": "code-assist",
            },
            {
                "provider": "openai",
                "model": "gpt-4o",
                "requests": 10,
                "output_tokens": 5000,
                "project": "chat",
            },
        ],
    )
    budget = result.budgets[0]
    lines = result.ledger[result.ledger["item_id"] == "code-assist"]
    assert budget["lines"] == 3
    assert budget["actual_kgco2e"] == pytest.approx(lines["kgco2e"].sum())
    assert budget["exceeded"] and by_code(result, "budget-exceeded")


def test_row_by_hand_on_the_fixture_library(tmp_path, fixture_library):
    """Two requests of 100 tokens to the fixture's 40 B active / 600 B total model (Mistral,
    default zone Sweden): 1440 GB → 18 GPUs' worth → 32 GPUs; the fixture has no Swedish
    water or ADPe factor, so EcoLogits' mix of the zone is used and disclosed."""
    (tmp_path / "settings.csv").write_text("key,value\norganization,T\nreporting_year,2025\n")
    (tmp_path / "genai_usage.csv").write_text(
        "provider,model,requests,output_tokens\nmistral,mistral-large-2512,2,200\n"
    )
    result = run(tmp_path, library=fixture_library)
    ledger = result.ledger
    gpu_kwh = 100 * (ALPHA_E * math.exp(BETA_E * 64) * 40 + GAMMA_E) / 1000
    latency = 100 * (ALPHA_L * 40 + BETA_L * 64 + GAMMA_L)
    it_kwh = latency / 3600 * 1.2 * 32 / 8 / 64 + 32 * gpu_kwh
    se = fixture_library.lookup("electricity", pd.Series(["SE"]), "gwp_lifecycle", 2025)
    use = ledger[(ledger["stage"] == "use") & (ledger["part"] == "")].iloc[0]
    assert use["energy_kwh"] == pytest.approx(2 * 1.2 * it_kwh, rel=1e-12)
    assert use["kgco2e"] == pytest.approx(2 * 1.2 * it_kwh * se["value"].iloc[0], rel=1e-12)
    assert use["water_m3"] == pytest.approx(2 * 1.2 * it_kwh * 3 / 1000, rel=1e-12)
    assert use["adpe_kgsbeq"] == pytest.approx(2 * 1.2 * it_kwh * 1e-7, rel=1e-12)
    onsite = ledger[ledger["part"] == "onsite_water"].iloc[0]
    assert onsite["water_m3"] == pytest.approx(2 * it_kwh * 0.1 / 1000, rel=1e-12)
    made = ledger[ledger["stage"] == "manufacturing"].iloc[0]
    assert made["kgco2e"] == pytest.approx(
        2 * latency * 32 / 64 * (6000 / 8 + 300) / 94_608_000, rel=1e-12
    )
    assert [i.value for i in by_code(result, "factor-fallback")] == ["SWE"]
