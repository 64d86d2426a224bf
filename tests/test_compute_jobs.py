"""compute_jobs: the Green Algorithms energy model, measured energy, a-priori FLOPs, embodied
share, scope 3 cat 1 for cloud jobs and attribution only for jobs on owned assets.

Fixture factors (tests/fixtures/factors): A100 SXM 40GB 400 W, 3e14 FLOP/s, 175.2 kgCO2e,
4 years; T4 70 W (no embodied factor); memory 0.4 W/GB; AWS PUE 1.135, WUE 0.18 L/kWh;
aws:us-east-1 → US (life-cycle 0.42 kgCO2e/kWh, water 0.00313 m³/kWh, ADPe 6e-8);
FR operational 0.02, life-cycle 0.05; datacenter PUE 1.5.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lca.activities.compute_jobs import it_energy
from lca.pipeline import run
from tests.helpers import codes, line, write_inventory

LIFETIME_H = 4 * 365.25 * 24  # pint's year is the Julian year

SITES = """\
site_id,country,kind
DC,FR,datacenter
"""
EQUIPMENT = """\
asset_id,category,quantity,acquired_on,site_id,power_w
GPU-01,gpu_server,1,2023-01-01,DC,500
"""


def _run(tmp_path, jobs: str, fixture_library, method="default", **sheets):
    folder = write_inventory(tmp_path / "inv", compute_jobs=jobs, **sheets)
    return run(folder, library=fixture_library, method=method)


def test_cloud_job_hours_model_energy_carbon_water_and_embodied(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        """\
        job_id,phase,hardware,device_count,hours,utilization,memory_gb,location,runs_on,repeats
        llm-ft,fine_tuning,NVIDIA A100 SXM 40GB,8,72,0.5,256,aws:us-east-1,cloud,2
        """,
        fixture_library,
    )
    assert codes(result) == []
    use = line(result, "compute_jobs:2:use")
    it_kwh = 72 * (8 * 400 * 0.5 + 256 * 0.4) / 1000 * 2
    assert use["energy_it_kwh"] == pytest.approx(it_kwh)
    assert use["energy_kwh"] == pytest.approx(it_kwh * 1.135)
    assert use["kgco2e"] == pytest.approx(it_kwh * 1.135 * 0.42)
    assert use["water_m3"] == pytest.approx(it_kwh * 1.135 * 0.00313 + it_kwh * 0.18 / 1000)
    # the water factor is the grid's plus the on-site WUE ÷ PUE: it names all three factors
    assert use["ef_water"] == pytest.approx(0.00313 + 0.18 / 1000 / 1.135)
    assert use["factor_water"] == "electricity:US:water:2024;cloud:aws:wue:2024;cloud:aws:pue:2024"
    assert use["adpe_kgsbeq"] == pytest.approx(it_kwh * 1.135 * 6e-8)
    assert (use["scope"], use["category"], use["counted"]) == (3, 1, True)
    assert use["method"] == "average_data"
    made = line(result, "compute_jobs:2:manufacturing")
    assert made["kgco2e"] == pytest.approx(8 * 175.2 * 72 * 2 / LIFETIME_H)
    assert (made["scope"], made["category"], made["counted"]) == (3, 1, True)
    assert result.totals["scope3_by_category_kgco2e"]["1"] == pytest.approx(
        it_kwh * 1.135 * 0.42 + 8 * 175.2 * 72 * 2 / LIFETIME_H
    )


def test_measured_energy_wins_and_pue_is_applied_once(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        """\
        job_id,hardware,device_count,hours,measured_kwh,pue,location,runs_on
        tracked,nvidia_a100_sxm_40gb,1,10,100,1.2,FR,cloud
        """,
        fixture_library,
    )
    use = line(result, "compute_jobs:2:use")
    assert use["energy_it_kwh"] == 100  # measured IT energy, not 10 h × 400 W
    assert use["energy_kwh"] == pytest.approx(100 * 1.2)
    assert use["kgco2e"] == pytest.approx(100 * 1.2 * 0.05)
    assert use["method"] == "measured"


def test_job_on_owned_asset_is_attribution_only(tmp_path, fixture_library):
    sheets = dict(sites=SITES, equipment=EQUIPMENT)
    without = run(write_inventory(tmp_path / "a", **sheets), library=fixture_library)
    result = _run(
        tmp_path,
        """\
        job_id,hardware,device_count,hours,location,runs_on
        infer-1,nvidia_t4,2,10,FR,asset:GPU-01
        """,
        fixture_library,
        **sheets,
    )
    use = line(result, "compute_jobs:2:use")
    assert use["energy_kwh"] == pytest.approx(10 * 2 * 70 / 1000 * 1.5)  # the site's PUE
    assert use["kgco2e"] == pytest.approx(10 * 2 * 70 / 1000 * 1.5 * 0.02)
    assert (use["scope"], use["counted"], use["site_id"]) == (2, False, "DC")
    assert result.totals == without.totals  # no double counting
    assert result.attribution["compute_jobs_kgco2e"] == pytest.approx(0.042)
    site = result.attribution["compute_jobs_by_site"]["DC"]
    # the site in the lifecycle view: GPU-01's use (500 W, 8,784 h, PUE 1.5) at FR 0.02 + 0.01
    # upstream, and its 2,500 kgCO2e amortized: 366 of its 1,461 days in 2024
    site_kgco2e = 500 * 8784 / 1000 * 1.5 * (0.02 + 0.01) + 2500 * 366 / 1461
    assert site == {
        "kgco2e": pytest.approx(0.042),
        "site_kgco2e": pytest.approx(site_kgco2e),
        "share": pytest.approx(0.042 / site_kgco2e),
    }
    assert "unknown-factor-key" in codes(result)  # T4: embodied not assessed (info)


@pytest.mark.parametrize("headline", ["acquisition_year", "amortized"])
def test_site_share_and_site_table_use_the_lifecycle_view(tmp_path, fixture_library, headline):
    """The AI share of a site and the per-site table's lifecycle scope 3 are in the amortized
    view, whatever the headline: GPU-01 (2,500 kgCO2e, 4 years from 2023-01-01: 1,461 days, 366
    of them in 2024) and SRV-2 (1,000 kgCO2e, 5 years from 2024-07-01: 1,826 days, 184 in
    2024); the headline's scope 3 holds SRV-2 whole (acquisition year) or amortized."""
    from lca.report.tables import by_site

    settings = f"key,value\norganization,T\nreporting_year,2024\ncapital_goods,{headline}\n"
    equipment = EQUIPMENT + "SRV-2,server,1,2024-07-01,DC,0\n"
    result = _run(
        tmp_path,
        """\
        job_id,hardware,device_count,hours,location,runs_on
        train,nvidia_a100_sxm_40gb,1,876.6,FR,asset:GPU-01
        """,
        fixture_library,
        sites=SITES,
        equipment=equipment,
        settings=settings,
    )
    kwh = 500 * 366 * 24 / 1000 * 1.5  # GPU-01's use, PUE 1.5 (SRV-2 draws 0 W)
    embodied = 2500 * 366 / 1461 + 1000 * 184 / 1826
    site_lifecycle = kwh * 0.02 + kwh * 0.01 + embodied  # scope 2, category 3, category 2
    job = 876.6 * 400 / 1000 * 1.5 * 0.02 + 175.2 * 876.6 / LIFETIME_H  # use + embodied share
    share = result.attribution["compute_jobs_by_site"]["DC"]
    assert share["kgco2e"] == pytest.approx(job, rel=1e-12)
    assert share["site_kgco2e"] == pytest.approx(site_lifecycle, rel=1e-12)
    assert share["share"] == pytest.approx(job / site_lifecycle, rel=1e-12)
    (site,) = by_site(result.ledger, result.context.sites, headline)
    assert site["scope3_lifecycle_kgco2e"] == pytest.approx(kwh * 0.01 + embodied, rel=1e-12)
    in_totals = 1000 if headline == "acquisition_year" else embodied  # GPU-01 bought in 2023
    assert site["scope3_kgco2e"] == pytest.approx(kwh * 0.01 + in_totals, rel=1e-12)
    assert site["scope2_location_kgco2e"] == pytest.approx(kwh * 0.02, rel=1e-12)


def test_asset_job_hardware_share_is_category_2_attribution(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        """\
        job_id,hardware,device_count,hours,location,runs_on
        train,nvidia_a100_sxm_40gb,1,876.6,FR,asset:GPU-01
        """,
        fixture_library,
        sites=SITES,
        equipment=EQUIPMENT,
    )
    made = line(result, "compute_jobs:2:manufacturing")
    assert made["kgco2e"] == pytest.approx(175.2 * 876.6 / LIFETIME_H)
    assert (made["scope"], made["category"], made["counted"]) == (3, 2, False)


def test_a_priori_estimate_from_flops(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        """\
        job_id,hardware,device_count,utilization,flops,location,runs_on
        prior,nvidia_a100_sxm_40gb,1,0.5,1.08e18,FR,cloud
        """,
        fixture_library,
    )
    use = line(result, "compute_jobs:2:use")
    hours = 1.08e18 / (3e14 * 0.5) / 3600
    assert hours == pytest.approx(2.0)
    assert use["energy_it_kwh"] == pytest.approx(hours * 400 / 1000)
    assert use["method"] == "estimated"


def test_green_algorithms_method(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        """\
        job_id,hardware,device_count,hours,utilization,memory_gb,location,runs_on
        ga,nvidia_a100_sxm_40gb,4,12,0.8,64,aws:us-east-1,cloud
        """,
        fixture_library,
        method="green-algorithms",
    )
    use = line(result, "compute_jobs:2:use")
    kwh = 12 * (4 * 400 * 0.8 + 64 * 0.3725) * 1.2 / 1000
    assert use["energy_kwh"] == pytest.approx(kwh)
    assert use["kgco2e"] == pytest.approx(kwh * 0.37)  # operational US factor
    assert "compute_jobs:2:manufacturing" not in set(result.ledger["line_id"])


def test_bad_rows_become_precise_issues(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        """\
        job_id,hardware,hours,location,runs_on
        a,nvidia_t4,1,FR,laptop
        b,nvidia_t4,1,FR,asset:NOPE
        c,nvidia_t4,,FR,cloud
        d,unknown_gpu,1,FR,cloud
        e,nvidia_t4,1,Atlantis,cloud
        f,nvidia_t4,1,aws:mars-1,cloud
        """,
        fixture_library,
        sites=SITES,
        equipment=EQUIPMENT,
    )
    found = {
        (i.code, i.source.row, i.source.column)
        for i in result.issues
        if i.severity.value == "error" and i.source.sheet == "compute_jobs"
    }
    assert found == {
        ("invalid-choice", 2, "runs_on"),
        ("unknown-reference", 3, "runs_on"),
        ("missing-value", 4, "hours"),
        ("unknown-factor-key", 5, "hardware"),
        ("unknown-factor-key", 6, "location"),
        ("unknown-factor-key", 7, "location"),
    }
    assert not result.ledger["sheet"].eq("compute_jobs").any()
    assert result.reconciliation["by_sheet"]["compute_jobs"] == {
        "rows_read": 6,
        "rows_accounted": 0,
        "rows_rejected": 6,
    }


def test_asset_job_elsewhere_than_its_site_is_flagged(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        """\
        job_id,hardware,device_count,hours,measured_kwh,location,runs_on
        moved,nvidia_t4,1,,5,DE,asset:GPU-01
        """,
        fixture_library,
        sites=SITES,
        equipment=EQUIPMENT,
    )
    found = {
        (i.code, i.severity.value, i.source.row, i.source.column)
        for i in result.issues
        if i.source.sheet == "compute_jobs"
    }
    assert ("inconsistent-columns", "warning", 2, "location") in found
    use = line(result, "compute_jobs:2:use")
    assert use["kgco2e"] == pytest.approx(5 * 1.5 * 0.35)  # DE operational, site PUE 1.5


def _job(**values):
    columns = (
        "device_count",
        "hours",
        "utilization",
        "memory_gb",
        "repeats",
        "measured_kwh",
        "flops",
    )
    return pd.DataFrame({c: [values.get(c, float("nan"))] for c in columns}, dtype="float64")


def _hardware(power=400.0, peak=3e14):
    return {"power": pd.Series([power]), "peak_flops": pd.Series([peak])}


@settings(max_examples=60, deadline=None)
@given(
    devices=st.integers(1, 64),
    hours=st.floats(0.01, 1e4),
    utilization=st.floats(0.01, 1),
    memory=st.floats(0, 2048),
    repeats=st.integers(1, 50),
)
def test_hours_model_is_the_green_algorithms_formula_and_linear_in_repeats(
    devices, hours, utilization, memory, repeats
):
    memory_w = pd.Series([0.4])
    once = it_energy(
        _job(device_count=devices, hours=hours, utilization=utilization, memory_gb=memory),
        _hardware(),
        memory_w,
    )
    many = it_energy(
        _job(
            device_count=devices,
            hours=hours,
            utilization=utilization,
            memory_gb=memory,
            repeats=repeats,
        ),
        _hardware(),
        memory_w,
    )
    expected = hours * (devices * 400.0 * utilization + memory * 0.4) / 1000
    assert once["kwh_it"][0] == pytest.approx(expected)
    assert many["kwh_it"][0] == pytest.approx(expected * repeats)


@settings(max_examples=60, deadline=None)
@given(measured=st.floats(0.001, 1e6), hours=st.floats(0.01, 1e4), repeats=st.integers(1, 9))
def test_measured_energy_ignores_the_model(measured, hours, repeats):
    energy = it_energy(
        _job(device_count=8, hours=hours, memory_gb=512, repeats=repeats, measured_kwh=measured),
        _hardware(),
        pd.Series([0.4]),
    )
    assert energy["kwh_it"][0] == pytest.approx(measured * repeats)
    assert energy["method"][0] == "measured"
