"""The AI figures (results.json ``ai``, the report's AI section and the workbook's AI sheet),
and budgets on genai_usage projects, by hand on the fixture library.

The inventory: gpt-4o-mini (the fixture's 10–30 B dense model, OpenAI, default zone USA: PUE
1.2, WUE 0.5 L/kWh, 80 tokens/s after 0.5 s) twice, once without a project; the fixture's
Mistral model (40 B active / 600 B total, zone Sweden); a T4 job in a German cloud region; an
office's electricity in France (not AI).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from lca.pipeline import run
from lca.report import ai
from lca.report.pdf import figure
from lca.report.render import render_all
from lca.report.results import results_dict
from tests.helpers import close, recalculate, write_inventory

# EcoLogits 0.11.3 constants (ecologits/impacts/llm.py), as the fixture library holds them.
ALPHA_E, BETA_E, GAMMA_E = 1.1665273170451914e-06, -0.011205921025579175, 4.052928146734005e-05
ALPHA_L, BETA_L, GAMMA_L = 0.0006785088094353663, 0.0003119310311688259, 0.019473717579473387
EMBODIED_PER_GPU_S = (6000 / 8 + 300) / 94_608_000  # fixture server and GPU, 3-year lifetime

GENAI = """\
provider,model,requests,output_tokens,project
openai,gpt-4o-mini,4,2000,chat-a
mistral,mistral-large-2512,2,200,chat-b
openai,gpt-4o-mini,6,1200,
"""
JOBS = "job_id,hardware,device_count,hours,location,runs_on\nchat-eval,nvidia_t4,1,1000,DE,cloud\n"
SITES = "site_id,country,kind\nPAR,FR,office\n"
ENERGY = "site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh\n"
BUDGETS = "scope,kgco2e\nchat-,1\nchat-a,1000\nchat-e,1000\n"


def gpt_4o_mini(requests: float, tokens: float, params_b: float) -> dict[str, float]:
    """One row of gpt-4o-mini at ``params_b`` (one GPU at both ends: 2.4 × P GB ≤ 80 GB)."""
    per = tokens / requests
    latency = per / 80 + 0.5
    gpu_kwh = per * (ALPHA_E * math.exp(BETA_E * 64) * params_b + GAMMA_E) / 1000
    it_kwh = latency / 3600 * 1.2 * 1 / 8 / 64 + gpu_kwh
    kwh = requests * 1.2 * it_kwh
    return {
        "kgco2e": kwh * 0.42 + requests * latency / 64 * EMBODIED_PER_GPU_S,  # US life-cycle
        "energy_kwh": kwh,
        "water_m3": kwh * 0.00313 + requests * it_kwh * 0.5 / 1000,  # generation + on site
    }


def mistral(requests: float, tokens: float) -> dict[str, float]:
    """One row of the fixture's Mistral model (32 GPUs; Swedish grid, EcoLogits' water)."""
    per = tokens / requests
    latency = per * (ALPHA_L * 40 + BETA_L * 64 + GAMMA_L)
    gpu_kwh = per * (ALPHA_E * math.exp(BETA_E * 64) * 40 + GAMMA_E) / 1000
    it_kwh = latency / 3600 * 1.2 * 32 / 8 / 64 + 32 * gpu_kwh
    kwh = requests * 1.2 * it_kwh
    return {
        "kgco2e": kwh * 0.04 + requests * latency * 32 / 64 * EMBODIED_PER_GPU_S,
        "energy_kwh": kwh,
        "water_m3": kwh * 3 / 1000 + requests * it_kwh * 0.1 / 1000,
    }


def mean(low: dict, high: dict) -> dict:
    return {k: (low[k] + high[k]) / 2 for k in low}


def added(*rows: dict) -> dict:
    return {k: sum(r[k] for r in rows) for k in rows[0]}


CHAT_A = {side: gpt_4o_mini(4, 2000, p) for side, p in (("low", 10), ("high", 30))}
NO_PROJECT = {side: gpt_4o_mini(6, 1200, p) for side, p in (("low", 10), ("high", 30))}
CHAT_B = mistral(2, 200)
JOB_KG, JOB_KWH = 1000 * 0.070 * 1.5 * 0.4, 1000 * 0.070 * 1.5  # T4 70 W, PUE 1.5, DE 0.4
OFFICE_KG = 1000 * (0.02 + 0.01)  # French grid, scope 2 and its upstream part (category 3)


def inventory(folder: Path, **extra: str) -> Path:
    return write_inventory(
        folder,
        settings="key,value\norganization,Test Org\nreporting_year,2025\n",
        genai_usage=GENAI,
        compute_jobs=JOBS,
        sites=SITES,
        energy=ENERGY,
        **extra,
    )


@pytest.fixture(scope="module")
def result(tmp_path_factory, fixture_library):
    folder = tmp_path_factory.mktemp("ai") / "inv"
    return run(inventory(folder, budgets=BUDGETS), library=fixture_library)


@pytest.fixture(scope="module")
def block(result):
    return results_dict(result)["ai"]


def approx(value: float):
    return pytest.approx(value, rel=1e-12)


def test_counted_ai_lines_and_share_by_hand(result, block):
    genai = added(mean(CHAT_A["low"], CHAT_A["high"]), CHAT_B, mean(**NO_PROJECT))
    counted = block["counted"]
    assert counted["genai_usage"]["kgco2e"] == approx(genai["kgco2e"])
    assert counted["genai_usage"]["energy_kwh"] == approx(genai["energy_kwh"])
    assert counted["genai_usage"]["water_m3"] == approx(genai["water_m3"])
    assert counted["genai_usage"]["lines"] == 3 * 3  # use, on-site water, manufacturing
    low = added(CHAT_A["low"], CHAT_B, NO_PROJECT["low"])
    high = added(CHAT_A["high"], CHAT_B, NO_PROJECT["high"])
    assert counted["genai_usage"]["range"]["kgco2e"] == [
        approx(low["kgco2e"]),
        approx(high["kgco2e"]),
    ]
    assert counted["genai_usage"]["range"]["water_m3"][1] == approx(high["water_m3"])
    assert counted["compute_jobs"]["kgco2e"] == approx(JOB_KG)
    assert counted["compute_jobs"]["energy_kwh"] == approx(JOB_KWH)
    assert counted["total"]["kgco2e"] == approx(genai["kgco2e"] + JOB_KG)
    total = genai["kgco2e"] + JOB_KG + OFFICE_KG
    assert block["total_location_kgco2e"] == approx(total)
    assert result.totals["total_location_kgco2e"] == approx(total)
    assert block["share_of_total_location"] == approx((genai["kgco2e"] + JOB_KG) / total)
    assert block["of_which_compute_jobs_on_owned_equipment"]["lines"] == 0


def test_hosted_models_by_provider_model_and_project_by_hand(block):
    rows = {(r["provider"], r["model"], r["project"]): r for r in block["genai_usage"]}
    assert list(rows) == [
        ("mistralai", "mistral-large-2512", "chat-b"),
        ("openai", "gpt-4o-mini", ""),
        ("openai", "gpt-4o-mini", "chat-a"),
    ]
    chat_a = rows[("openai", "gpt-4o-mini", "chat-a")]
    assert (chat_a["requests"], chat_a["output_tokens"], chat_a["lines"]) == (4, 2000, 3)
    assert chat_a["kgco2e"] == approx(mean(CHAT_A["low"], CHAT_A["high"])["kgco2e"])
    assert chat_a["range"]["energy_kwh"] == [
        approx(CHAT_A["low"]["energy_kwh"]),
        approx(CHAT_A["high"]["energy_kwh"]),
    ]
    chat_b = rows[("mistralai", "mistral-large-2512", "chat-b")]
    assert chat_b["water_m3"] == approx(CHAT_B["water_m3"])
    assert chat_b["range"]["kgco2e"] == [approx(CHAT_B["kgco2e"])] * 2  # a published size


def test_intensities_per_model_by_hand(block):
    models = {m["model"]: m for m in block["intensities"]}
    gpt = models["gpt-4o-mini"]
    assert (gpt["requests"], gpt["output_tokens"]) == (4 + 6, 2000 + 1200)
    point = added(mean(CHAT_A["low"], CHAT_A["high"]), mean(**NO_PROJECT))
    high = added(CHAT_A["high"], NO_PROJECT["high"])
    assert gpt["per_request"]["gco2e"] == approx(point["kgco2e"] * 1000 / 10)
    assert gpt["per_request"]["wh"] == approx(point["energy_kwh"] * 1000 / 10)
    assert gpt["per_request"]["ml_water"] == approx(point["water_m3"] * 1e6 / 10)
    assert gpt["per_1000_output_tokens"]["gco2e"] == approx(point["kgco2e"] * 1000 / 3.2)
    assert gpt["per_1000_output_tokens_range"]["wh"][1] == approx(high["energy_kwh"] * 1000 / 3.2)
    assert gpt["per_request_range"]["ml_water"][1] == approx(high["water_m3"] * 1e6 / 10)
    small = models["mistral-large-2512"]
    assert small["per_1000_output_tokens"]["gco2e"] == approx(CHAT_B["kgco2e"] * 1000 / 0.2)


def test_budgets_match_genai_projects_and_job_ids_by_hand(result):
    chat_a = mean(CHAT_A["low"], CHAT_A["high"])["kgco2e"]
    everything, project, job = result.budgets
    assert everything["actual_kgco2e"] == approx(chat_a + CHAT_B["kgco2e"] + JOB_KG)
    assert everything["lines"] == 3 + 3 + 1  # two projects' three lines each, the job's use
    assert project["actual_kgco2e"] == approx(chat_a)
    assert job["actual_kgco2e"] == approx(JOB_KG)
    exceeded = [i.source.row for i in result.issues if i.code == "budget-exceeded"]
    assert exceeded == [2]


def test_a_budget_matching_nothing_names_every_kind_of_item(tmp_path, fixture_library):
    folder = inventory(tmp_path / "inv", budgets="scope,kgco2e\nvision-,10\n")
    found = [i for i in run(folder, library=fixture_library).issues if i.source.sheet == "budgets"]
    assert [i.code for i in found] == ["unknown-reference"]
    assert "project (genai_usage)" in found[0].message


def test_the_example_block_reads_the_ledger():
    """Owned-equipment jobs are the attribution figure, never in the AI total; the rows add
    up to the counted genai_usage figure; the report model carries the same block."""
    from lca.report.model import build

    example = run(Path(__file__).resolve().parents[1] / "examples" / "acme")
    block = results_dict(example)["ai"]
    owned = block["of_which_compute_jobs_on_owned_equipment"]["kgco2e"]
    assert owned == approx(example.attribution["compute_jobs_kgco2e"]) and owned > 0
    ledger = example.ledger[example.ledger["counted"]]
    jobs = ledger.loc[ledger["activity"] == "compute_jobs", "kgco2e"].sum()
    genai = ledger.loc[ledger["activity"] == "genai_usage", "kgco2e"].sum()
    assert block["counted"]["total"]["kgco2e"] == approx(jobs + genai)
    assert sum(r["kgco2e"] for r in block["genai_usage"]) == approx(genai)
    assert block["total_location_kgco2e"] == approx(example.totals["total_location_kgco2e"])
    assert build(example)["ai"] == block


def test_no_ai_lines_gives_an_empty_block(tmp_path, fixture_library):
    folder = write_inventory(tmp_path / "inv", sites=SITES, energy=ENERGY)
    office = run(folder, library=fixture_library)
    block = ai.block(office.ledger, office.inventory.sheet("genai_usage"))
    assert block["counted"]["total"] == {
        "kgco2e": 0.0,
        "energy_kwh": 0.0,
        "water_m3": 0.0,
        "adpe_kgsbeq": 0.0,
        "lines": 0,
    }
    assert block["share_of_total_location"] == 0.0
    assert (block["genai_usage"], block["intensities"]) == ([], [])
    json.dumps(block, allow_nan=False)


@pytest.fixture(scope="module")
def rendered(result, tmp_path_factory):
    paths, found = render_all(result, tmp_path_factory.mktemp("ai-out") / "out")
    assert found == []
    return {p.suffix: p for p in paths}


@pytest.mark.slow  # renders the workbook and recalculates it in LibreOffice
def test_the_ai_sheet_recalculates_to_the_block(rendered, tmp_path_factory, block):
    sheet = recalculate(rendered[".xlsx"], tmp_path_factory.mktemp("ai-csv"))["AI"]
    rows = {r[0]: r for r in sheet if r and r[0]}
    figures = {
        "Hosted models (genai_usage), counted": block["counted"]["genai_usage"],
        "Compute jobs in the cloud, counted": block["counted"]["compute_jobs"],
        "AI, counted": block["counted"]["total"],
    }
    for label, expected in figures.items():
        got = [float(v) for v in rows[label][1:4]]
        assert all(close(g, expected[k]) for g, k in zip(got, ai.RANGED, strict=True)), (label, got)
    assert close(
        float(rows["AI share of the location-based total"][1].rstrip("%")) / 100,
        block["share_of_total_location"],
    )
    high = rows["Hosted models, high bound (SUMPRODUCT of activity_amount_high × ef × "
                "allocation_share)"]  # fmt: skip
    assert close(float(high[1]), block["counted"]["genai_usage"]["range"]["kgco2e"][1])
    # by provider, model and project: requests, tokens, kgCO2e and its bounds
    by_project = {(r[1], r[2]): r for r in sheet if len(r) > 7 and r[1].startswith("openai ·")}
    for expected in block["genai_usage"]:
        if expected["provider"] != "openai":
            continue
        got = by_project[(expected["label"], expected["project"])]
        assert [float(v) for v in got[3:8]] == [
            pytest.approx(v, rel=1e-9)
            for v in (
                expected["requests"],
                expected["output_tokens"],
                expected["kgco2e"],
                *expected["range"]["kgco2e"],
            )
        ]
    # intensities per model: the value, low and high of each, per request then per 1,000 tokens
    per_model = {r[0]: r for r in sheet if r and r[0] in {m["label"] for m in block["intensities"]}}
    for m in block["intensities"]:
        got = [float(v) for v in per_model[m["label"]][12:30]]
        expected = [
            v
            for per in ("per_request", "per_1000_output_tokens")
            for name in ai.INTENSITIES
            for v in (m[per][name], *m[f"{per}_range"][name])
        ]
        assert got == [pytest.approx(v, rel=1e-9) for v in expected], m["label"]


@pytest.mark.slow  # renders the PDF
def test_the_pdf_shows_the_ai_section(rendered, block):
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    out = subprocess.run(
        ["pdftotext", str(rendered[".pdf"]), "-"], check=True, capture_output=True, text=True
    ).stdout
    text = " ".join(out.split()).replace("– ", "–")  # a range may wrap after its dash
    share = f"{block['share_of_total_location'] * 100:.2f} %"
    for shown in (
        "AI: hosted models and compute jobs",
        "Hosted models (genai_usage), counted",
        "Compute jobs in the cloud, counted",
        f"Share of the location-based total ({block['total_location_kgco2e'] / 1000:.3f} tCO₂e) "
        f"{share}",
        "Of which: compute jobs on owned equipment",
        "Hosted models by provider, model and project",
        "mistral-large-2512",
        "chat-b",
        "Intensities per model",
        "gCO₂e per 1 000 output tokens",  # thousands grouped by a narrow space
    ):
        assert shown in text, shown
    gpt = next(m for m in block["intensities"] if m["model"] == "gpt-4o-mini")
    low, high = gpt["per_request_range"]["wh"]
    for shown in (figure(gpt["per_request"]["wh"], 3), f"{figure(low, 3)}–{figure(high, 3)}"):
        assert shown in text, shown


@pytest.mark.slow  # renders the workbook and recalculates it in LibreOffice
def test_the_ai_sheet_sums_every_ledger_and_input_sheet(monkeypatch, tmp_path, fixture_library):
    """With 11 data rows per sheet, 12 genai_usage rows fill In-genai_usage and (2), their 36
    lines four Ledger sheets: every AI figure still adds every part."""
    from lca.report import xlsx_cells, xlsx_ledger

    monkeypatch.setattr(xlsx_cells, "MAX_SHEET_ROWS", 12)
    monkeypatch.setattr(xlsx_ledger, "RECORDS", 5)
    rows = "provider,model,requests,output_tokens,project\n" + "".join(
        f"openai,gpt-4o-mini,{n + 1},{500 * (n + 1)},p{n % 3}\n" for n in range(12)
    )
    folder = inventory(tmp_path / "inv").joinpath("genai_usage.csv")
    folder.write_text(rows)
    result = run(folder.parent, library=fixture_library)
    paths, found = render_all(result, tmp_path / "out")
    assert found == []
    xlsx = next(p for p in paths if p.suffix == ".xlsx")
    sheets = recalculate(xlsx, tmp_path / "csv")
    assert {"Ledger (4)", "In-genai_usage (2)"} <= set(sheets)
    block = results_dict(result)["ai"]
    ai_rows = {r[0]: r for r in sheets["AI"] if r and r[0]}
    genai = ai_rows["Hosted models (genai_usage), counted"]
    assert close(float(genai[1]), block["counted"]["genai_usage"]["kgco2e"])
    (model,) = block["intensities"]
    assert (model["requests"], model["output_tokens"]) == (78, 500 * 78)
    got = ai_rows[model["label"]]
    assert [float(v) for v in got[1:3]] == [78, 500 * 78]
    assert close(float(got[12]), model["per_request"]["gco2e"])
    assert close(float(got[21]), model["per_1000_output_tokens"]["gco2e"])
    by_project = [r for r in sheets["AI"] if len(r) > 4 and r[0] == "openai"]
    assert [(r[2], float(r[3]), float(r[4])) for r in by_project] == [
        (f"p{k}", sum(n + 1 for n in range(k, 12, 3)), 500 * sum(n + 1 for n in range(k, 12, 3)))
        for k in range(3)
    ]
