"""Budgets: budget against actual per job or asset prefix, and a warning when exceeded."""

from __future__ import annotations

import json

import pytest

from lca.pipeline import run
from lca.report.results import results_dict
from tests.helpers import write_inventory

JOBS = """\
job_id,hardware,device_count,hours,location,runs_on
llm-train,nvidia_t4,1,1000,DE,cloud
llm-eval,nvidia_t4,1,100,DE,cloud
web-batch,nvidia_t4,1,10,DE,cloud
"""
T4_KWH = 70 / 1000  # per hour, the fixture T4; datacenter PUE 1.5, DE life-cycle 0.4


def test_budget_against_actual_and_exceeded_warning(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path / "inv",
        compute_jobs=JOBS,
        budgets="""\
        scope,kgco2e,note
        llm-,40,training and evaluation 2024
        web-,100,
        all,1000,
        """,
    )
    result = run(folder, library=fixture_library)
    llm, web, everything = result.budgets
    actual_llm = (1000 + 100) * T4_KWH * 1.5 * 0.4
    assert llm["actual_kgco2e"] == pytest.approx(actual_llm)
    assert (llm["lines"], llm["exceeded"], llm["note"]) == (2, True, "training and evaluation 2024")
    assert llm["remaining_kgco2e"] == pytest.approx(40 - actual_llm)
    assert web["actual_kgco2e"] == pytest.approx(10 * T4_KWH * 1.5 * 0.4)
    assert web["exceeded"] is False
    assert everything["actual_kgco2e"] == pytest.approx(result.totals["total_location_kgco2e"])
    warnings = [i for i in result.issues if i.code == "budget-exceeded"]
    assert [
        (i.source.sheet, i.source.row, i.source.column, i.severity.value) for i in warnings
    ] == [("budgets", 2, "kgco2e", "warning")]
    document = results_dict(result)
    assert document["budgets"][0]["scope"] == "llm-"
    json.dumps(document, allow_nan=False)


def test_budget_on_asset_prefix_counts_its_lines(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path / "inv",
        sites="site_id,country,kind\nDC,FR,datacenter\n",
        equipment="asset_id,category,model,quantity,acquired_on,site_id,power_w,lifetime_years\n"
        "GPU-01,server,R740,1,2024-01-01,DC,100,5\n"
        "WEB-01,server,R740,1,2024-01-01,DC,100,5\n",
        budgets="scope,kgco2e\nGPU-,1\n",
    )
    result = run(folder, library=fixture_library)
    gpu_lines = result.ledger[result.ledger["item_id"] == "GPU-01"]
    assert len(gpu_lines) >= 2  # manufacturing, end of life, use …
    assert result.budgets[0]["actual_kgco2e"] == pytest.approx(gpu_lines["kgco2e"].sum())
    assert result.budgets[0]["exceeded"] is True


def test_budget_matching_nothing_is_flagged(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path / "inv", compute_jobs=JOBS, budgets="scope,kgco2e\nvision-,10\n"
    )
    result = run(folder, library=fixture_library)
    assert result.budgets[0]["actual_kgco2e"] == 0 and result.budgets[0]["lines"] == 0
    assert [
        (i.code, i.source.row, i.source.column)
        for i in result.issues
        if i.source.sheet == "budgets"
    ] == [("unknown-reference", 2, "scope")]


def test_report_cli_method_option(tmp_path):
    from click.testing import CliRunner

    from lca.cli import main

    folder = write_inventory(
        tmp_path / "inv",
        compute_jobs="""\
        job_id,hardware,device_count,hours,memory_gb,location,runs_on
        ga,nvidia_a100_sxm_40gb,2,10,64,FR,cloud
        """,
    )
    out = CliRunner().invoke(
        main,
        ["report", str(folder), "--out", str(tmp_path / "out"), "--method", "green-algorithms"],
    )
    assert out.exit_code == 0, out.output
    document = json.loads((tmp_path / "out" / "results.json").read_text())
    assert document["method"]["name"] == "green-algorithms"
    assert document["method"]["default_differs_from"]["ccf"]
