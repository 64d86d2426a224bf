"""Cloud rows never fall back silently: a provider's average W per vCPU, the median GPU
(``gpu:default``) and CCF's own averages mark the line ``fallback`` with a ``factor-fallback``
warning on the cell; instance-hours of gpu usage on a type without a GPU count are refused;
Azure's Ice Lake, Sapphire and Emerald Rapids types take their microarchitecture's watts; a
row may name its GPU model (``gpu_model``). Expectations are written with the shipped
library's figures (CCF and ccf-coefficients), as in tests/test_factor_truth.py."""

from __future__ import annotations

import pytest

from lca.factors import load_library
from lca.issues import Severity
from lca.pipeline import run
from tests.helpers import codes, line, write_inventory

LIBRARY = load_library()
AWS_PUE, AZURE_PUE = 1.15, 1.18  # providers' reported PUE, 2024
U = 0.5  # CCF's average utilisation (cloud <provider>:utilization)
MEMORY_KWH_PER_GB_H = 0.000392  # CCF MEMORY_COEFFICIENT
GPU_DEFAULT = (28.5, 242.25)  # median of CCF's GPU models, W idle and max


def average_w(w_min, w_max):
    return w_min + U * (w_max - w_min)


def issues_of(result, code):
    """(severity, sheet, row, column) of each issue with ``code``."""
    return [
        (i.severity, i.source.sheet, i.source.row, i.source.column)
        for i in result.issues
        if i.code == code
    ]


def cloud(tmp_path, rows: str, method: str = "default"):
    folder = write_inventory(
        tmp_path, cloud="provider,region,resource,usage_type,quantity,unit,gpu_model\n" + rows
    )
    return run(folder, library=LIBRARY, method=method)


# 1. GPU counts


def test_gpu_instance_hours_of_a_type_without_a_gpu_count_are_refused(tmp_path):
    result = cloud(tmp_path, "aws,us-east-1,m5.xlarge,gpu,10,h,")
    assert issues_of(result, "unknown-factor-key") == [(Severity.ERROR, "cloud", 2, "resource")]
    [issue] = [i for i in result.issues if i.code == "unknown-factor-key"]
    assert "no GPU count for m5.xlarge" in issue.message and "gpu_h" in issue.message
    assert result.ledger[result.ledger["sheet"] == "cloud"].empty  # not counted as 0 kWh
    assert result.reconciliation["by_sheet"]["cloud"]["rows_rejected"] == 1


def test_gpu_hours_of_a_gpu_no_library_model_fits_take_the_median_gpu_and_say_so(tmp_path):
    result = cloud(
        tmp_path,
        "aws,us-east-1,inf1.xlarge,gpu,3,gpu_h,\n"  # Inferentia: no GPU in the library
        "azure,westeurope,NC6 Promo,gpu,10,h,\n"  # 1 GPU (ccf-coefficients), model not named
        "aws,us-east-1,,gpu,2,gpu_h,",  # no type, no model
    )
    inf1, promo, bare = (line(result, f"cloud:{row}:use") for row in (2, 3, 4))
    assert inf1["activity_amount"] == pytest.approx(3 * average_w(*GPU_DEFAULT) / 1000 * AWS_PUE)
    assert promo["activity_amount"] == pytest.approx(
        10 * 1 * average_w(*GPU_DEFAULT) / 1000 * AZURE_PUE
    )
    assert bare["activity_amount"] == pytest.approx(2 * average_w(*GPU_DEFAULT) / 1000 * AWS_PUE)
    assert all(bool(x["fallback"]) for x in (inf1, promo, bare))
    assert issues_of(result, "factor-fallback") == [
        (Severity.WARNING, "cloud", row, "gpu_model") for row in (2, 3, 4)
    ]
    messages = [i.message for i in result.issues if i.code == "factor-fallback"]
    assert "inf1.xlarge, which has no GPU in the library" in messages[0]
    assert "the GPUs of NC6 Promo (model not in the library" in messages[1]
    assert all("gpu:default" in m for m in messages)


def test_gpu_of_a_known_type_with_ccf_power_is_no_fallback(tmp_path):
    result = cloud(tmp_path, "aws,us-east-1,g4dn.xlarge,gpu,10,gpu_h,")
    gpu = line(result, "cloud:2:use")
    # CCF T4: 8 W idle, 71 W max
    assert gpu["activity_amount"] == pytest.approx(10 * average_w(8, 71) / 1000 * AWS_PUE)
    assert not gpu["fallback"] and "factor-fallback" not in codes(result)


def test_vcpu_hours_of_a_gpu_type_carry_their_share_of_its_gpus(tmp_path):
    result = cloud(tmp_path, "aws,us-east-1,p3.2xlarge,compute,10,vcpu_h,")
    use = line(result, "cloud:2:use")
    # p3.2xlarge: 8 vCPUs (Broadwell 0.71–3.69 W) and 1 V100 (35–306 W): 10 vCPU-hours hold
    # 10 / 8 GPU-hours (the line was NaN)
    expected = (10 * average_w(0.71, 3.69) + 10 / 8 * 1 * average_w(35, 306)) / 1000
    assert use["activity_amount"] == pytest.approx(expected * AWS_PUE)


# 2. microarchitecture coefficients and CPU fallbacks


def test_azure_v5_and_v6_take_their_microarchitecture_not_the_provider_average(tmp_path):
    result = cloud(
        tmp_path,
        "azure,westeurope,Standard_D4s_v5,compute,10,h,\n"
        "azure,westeurope,D4s v5,compute,10,h,\n"
        "azure,westeurope,D4s v6,compute,10,h,",
    )
    assert codes(result) == []
    api, ccf_spelling, v6 = (line(result, f"cloud:{row}:use") for row in (2, 3, 4))
    # D4s v5: 4 vCPUs of Ice Lake (ccf-coefficients 2026, AWS file: 0.766796875–3.758203125 W;
    # CCF gives Azure Ice Lake its average 0.74–3.54 W) + memory above the SPECpower server's
    # with Ice Lake's 136 GB per chip: (384 GB / 1 chip − 136) × 16 / 384 GB
    v5_it = 10 * 4 * average_w(0.766796875, 3.758203125) / 1000
    v5_memory = (384 / 1 - 136) * 16 / 384 * 10 * MEMORY_KWH_PER_GB_H
    assert api["activity_amount"] == pytest.approx((v5_it + v5_memory) * AZURE_PUE)
    assert ccf_spelling["activity_amount"] == api["activity_amount"]  # one type, two spellings
    # D4s v6: 4 vCPUs of Emerald Rapids (AWS file: 0.8140104167–4.48203125 W), no CCF memory
    v6_it = 10 * 4 * average_w(0.8140104167, 4.48203125) / 1000
    assert v6["activity_amount"] == pytest.approx(v6_it * AZURE_PUE)
    assert not (api["fallback"] or ccf_spelling["fallback"] or v6["fallback"])


def test_a_processor_without_coefficients_falls_back_to_the_provider_average_and_says_so(
    tmp_path,
):
    result = cloud(
        tmp_path,
        "aws,us-east-1,a1.large,compute,10,h,\n"  # first-generation Graviton: no figure anywhere
        "aws,us-east-1,Graviton9,compute,5,vcpu_h,",
    )
    a1, named = line(result, "cloud:2:use"), line(result, "cloud:3:use")
    # CCF's AWS average 0.74–3.5 W per vCPU; a1.large has 2 vCPUs, no memory row (CCF's
    # per-chip memory is above the a1 family's)
    assert a1["activity_amount"] == pytest.approx(10 * 2 * average_w(0.74, 3.5) / 1000 * AWS_PUE)
    assert named["activity_amount"] == pytest.approx(5 * average_w(0.74, 3.5) / 1000 * AWS_PUE)
    assert bool(a1["fallback"]) and bool(named["fallback"])
    assert not line(result, "cloud:2:manufacturing")["fallback"]
    assert issues_of(result, "factor-fallback") == [
        (Severity.WARNING, "cloud", 2, "resource"),
        (Severity.WARNING, "cloud", 3, "resource"),
    ]
    first, second = (i.message for i in result.issues if i.code == "factor-fallback")
    assert "aws_graviton processors of a1.large" in first and "average" in first
    assert "'Graviton9'" in second and "did you mean 'aws_graviton4'" in second


def test_ccf_method_keeps_ccfs_average_and_says_so(tmp_path):
    result = cloud(tmp_path, "azure,westeurope,D4s v5,compute,10,h,", method="ccf")
    use = line(result, "cloud:2:use")
    # CCF: Azure average 0.74–3.54 W per vCPU, its memory from its average 80.47 GB per chip
    # (compat memory 12.64708333 GB), CCF's Azure PUE 1.185
    it = 10 * 4 * average_w(0.74, 3.54) / 1000 + 12.64708333 * 10 * MEMORY_KWH_PER_GB_H
    assert use["activity_amount"] == pytest.approx(it * 1.185)
    assert bool(use["fallback"])
    assert issues_of(result, "factor-fallback") == [(Severity.WARNING, "cloud", 2, "resource")]


# 3. gpu_model


def test_gpu_model_names_the_gpu_of_gpu_hours(tmp_path):
    result = cloud(
        tmp_path,
        "aws,us-east-1,,gpu,2,gpu_h,NVIDIA Tesla T4\ngcp,us-central1,,gpu,2,gpu_h,a100",
    )
    t4, a100 = line(result, "cloud:2:use"), line(result, "cloud:3:use")
    # CCF T4 8–71 W; A100 46–407 W; GCP us-central1 PUE 1.11
    assert t4["activity_amount"] == pytest.approx(2 * average_w(8, 71) / 1000 * AWS_PUE)
    assert a100["activity_amount"] == pytest.approx(2 * average_w(46, 407) / 1000 * 1.11)
    assert not (t4["fallback"] or a100["fallback"])
    assert issues_of(result, "value-normalized") == [(Severity.WARNING, "cloud", 2, "gpu_model")]
    assert "factor-fallback" not in codes(result)


def test_gpu_model_at_odds_with_the_instance_type_is_used_and_said(tmp_path):
    result = cloud(tmp_path, "aws,us-east-1,p3.2xlarge,gpu,10,h,t4")
    gpu = line(result, "cloud:2:use")
    # 10 instance-hours × 1 GPU (p3.2xlarge) × T4's 8–71 W, as the row says
    assert gpu["activity_amount"] == pytest.approx(10 * 1 * average_w(8, 71) / 1000 * AWS_PUE)
    assert issues_of(result, "inconsistent-columns") == [
        (Severity.WARNING, "cloud", 2, "gpu_model")
    ]
    [issue] = [i for i in result.issues if i.code == "inconsistent-columns"]
    assert "'v100'" in issue.message and "'t4' was used" in issue.message


def test_gpu_model_without_power_in_the_library_takes_the_median_gpu_and_says_so(tmp_path):
    result = cloud(tmp_path, "aws,us-east-1,,gpu,4,gpu_h,H100")
    gpu = line(result, "cloud:2:use")
    assert gpu["activity_amount"] == pytest.approx(4 * average_w(*GPU_DEFAULT) / 1000 * AWS_PUE)
    assert bool(gpu["fallback"])
    assert issues_of(result, "factor-fallback") == [(Severity.WARNING, "cloud", 2, "gpu_model")]


def test_an_unknown_gpu_model_is_refused_with_the_closest_model(tmp_path):
    result = cloud(tmp_path, "aws,us-east-1,,gpu,4,gpu_h,h200x")
    assert issues_of(result, "unknown-factor-key") == [(Severity.ERROR, "cloud", 2, "gpu_model")]
    [issue] = result.issues
    assert "did you mean 'h200'" in issue.message
    assert result.ledger[result.ledger["sheet"] == "cloud"].empty


def test_a_gpu_model_no_figure_reads_is_said_to_be_unused(tmp_path):
    folder = write_inventory(
        tmp_path,
        cloud="""\
        provider,region,resource,usage_type,quantity,unit,gpu_model,reported_kgco2e
        aws,us-east-1,m5.xlarge,compute,10,h,a100,
        aws,us-east-1,,storage_ssd,10,GB_month,t4,
        gcp,europe-west1,n2-standard-8,compute,10,h,t4,12.5""",
    )
    result = run(folder, library=LIBRARY)
    assert sorted(issues_of(result, "not-used")) == [
        (Severity.WARNING, "cloud", row, "gpu_model") for row in (2, 3, 4)
    ]
    # the m5.xlarge line is CCF's m5.xlarge, without GPUs
    m5 = line(result, "cloud:2:use")
    memory = 12.61166667 * 10 * MEMORY_KWH_PER_GB_H  # compat ccf:aws:m5.xlarge memory
    it = 10 * 4 * average_w(0.65, 4.26) / 1000 + memory
    assert m5["activity_amount"] == pytest.approx(it * AWS_PUE)


def test_template_offers_the_librarys_gpu_models(tmp_path):
    from openpyxl import load_workbook

    from lca.spec import SHEETS
    from lca.spreadsheet.template import build_template

    build_template(LIBRARY).save(tmp_path / "t.xlsx")
    book = load_workbook(tmp_path / "t.xlsx")
    sheet = book["cloud"]
    position = list(SHEETS["cloud"].column_names).index("gpu_model") + 1
    header = sheet.cell(1, position)
    assert header.value == "gpu_model"
    assert "Allowed: a100, a10g, alveo_u250, h100" in header.comment.text
    letter = header.column_letter
    rules = {str(r.sqref): r.formula1 for r in sheet.data_validations.dataValidation}
    listed = rules[f"{letter}2:{letter}1048576"].split("!$")[1].split("$")[0]
    values = [c.value for c in book["lists"][listed][1:] if c.value]
    assert values == sorted(values) and {"a100", "h100", "l4", "t4", "v100"} <= set(values)
