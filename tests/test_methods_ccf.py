"""--method ccf: Cloud Carbon Footprint's estimators give the numbers of CCF's own unit tests
(packages/core/src/*/__tests__ at trunk, 2024), to the last bit, and the pipeline applies its
quirks to cloud rows."""

from __future__ import annotations

import pytest

from lca.factors import load_library
from lca.methods import ccf
from lca.pipeline import run
from tests.helpers import line, write_inventory

AWS_US_EAST_1 = 0.000415755  # t CO2e/kWh, as in CCF's tests
#: CCF's coefficients, as the shipped library's compat table holds them.
AWS = ccf.constants(load_library(), "aws")
GCP = ccf.constants(load_library(), "gcp")


def test_constants_come_from_the_library():
    assert (
        AWS.ssd_wh_per_tbh,
        AWS.hdd_wh_per_tbh,
        AWS.memory_kwh_per_gbh,
        AWS.network_kwh_per_gb,
        AWS.lifespan_h,
        AWS.avg_cpu_utilization_pct,
        AWS.pue,
    ) == (1.2, 0.65, 0.000392, 0.001, 35040, 50, 1.135)
    assert GCP.pue == 1.1


def test_compute_estimator_cases():
    # ComputeEstimator.test.ts: 'do estimates for AWS US East 1 region'
    kwh = ccf.compute_kwh(1.0, 1.0, 0.71, 3.46, 1.135, 2)
    assert kwh == 0.0016741249999999998
    assert ccf.co2e_t(kwh, AWS_US_EAST_1) == 6.960258393749999e-7
    # 'do estimates for AWS South Africa with default replication factor'
    kwh = ccf.compute_kwh(1.0, 1.0, 0.71, 3.46, 1.135)
    assert kwh == 0.0008370624999999999
    assert ccf.co2e_t(kwh, 0.000928) == 7.76794e-7


@pytest.mark.parametrize(
    "coefficient, terabyte_hours, kwh, co2e",
    [
        (AWS.ssd_wh_per_tbh, 1.0, 0.001362, 5.6625831e-7),
        (AWS.hdd_wh_per_tbh, 1.0, 0.00073775, 3.0672325125e-7),
        (AWS.ssd_wh_per_tbh, 2.0, 0.002724, 0.00000113251662),
        (AWS.hdd_wh_per_tbh, 2.0, 0.0014755, 6.134465025e-7),
    ],
)
def test_storage_estimator_cases(coefficient, terabyte_hours, kwh, co2e):
    # StorageEstimator.test.ts (AWS us-east-1, PUE 1.135)
    assert ccf.storage_kwh(terabyte_hours, coefficient, 1.135) == kwh
    assert ccf.co2e_t(kwh, AWS_US_EAST_1) == co2e


def test_memory_estimator_cases():
    # MemoryEstimator.test.ts: GCP us-central1 (PUE 1.11), AWS us-east-1 (PUE 1.135)
    kwh = ccf.memory_kwh(90, 1.11, GCP.memory_kwh_per_gbh)
    assert (kwh, ccf.co2e_t(kwh, 0.000479)) == (0.0391608, 0.000018758023200000002)
    kwh = ccf.memory_kwh(80, 1.135, AWS.memory_kwh_per_gbh)
    assert (kwh, ccf.co2e_t(kwh, AWS_US_EAST_1)) == (0.035593599999999996, 0.000014798217168)


def test_networking_estimator_cases():
    # NetworkingEstimator.test.ts: 10 000 000 GB
    assert ccf.network_kwh(10000000, AWS.network_kwh_per_gb, 1.135) == 11350
    assert ccf.co2e_t(11350, AWS_US_EAST_1) == 4.71881925
    assert ccf.network_kwh(10000000, GCP.network_kwh_per_gb, 1.09) == 10900
    assert ccf.co2e_t(10900, 0.000109) == 1.1881000000000002
    assert ccf.network_kwh(10000000, AWS.network_kwh_per_gb) == 10000  # no PUE constant given
    assert ccf.co2e_t(10000, 0.000109) == 1.09


def test_embodied_emissions_estimator_case():
    # EmbodiedEmissionsEstimator.test.ts: GCP us-central1, 24 h, 1 of 96 vCPUs, 1.7957 t
    co2e = ccf.embodied_t(1.7957, 24, 1, 96, GCP.lifespan_h)
    assert co2e == 0.000012811786529680366
    assert ccf.embodied_kwh(co2e, 0.000454) == 0.028219794118238693
    assert ccf.embodied_usage_hours("gcp", 24, 1) == 24
    assert ccf.embodied_usage_hours("aws", 48, 96) == 0.5  # quirk (a)


@pytest.mark.parametrize(
    "known_cost, known_co2e, grid, kwh",
    [
        (50, 0.000987654321, AWS_US_EAST_1, 47.511362268643786),
        (50, 0.000987654321, 0.00048, 41.152263375),
    ],
)
def test_unknown_estimator_cases(known_cost, known_co2e, grid, kwh):
    # UnknownEstimator.test.ts: a row of cost 1000, ratio from the known rows
    co2e = ccf.unknown_estimate(1000, known_cost, known_co2e)
    assert co2e == 0.01975308642
    assert ccf.embodied_kwh(co2e, grid) == kwh  # CCF's estimateKwh (co2e / factor)
    memory = ccf.unknown_estimate(1000, 75, 0.00987654321)
    assert (memory, memory / 0.00048) == (0.13168724280000002, 274.3484225)


def test_pipeline_ccf_method_applies_quirks_to_cloud_rows(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path / "inv",
        cloud="""\
        provider,region,resource,usage_type,quantity,unit
        aws,us-east-1,m5.xlarge,compute,100,h
        """,
    )
    default = run(folder, library=fixture_library)
    result = run(folder, library=fixture_library, method="ccf")
    made_default = line(default, "cloud:2:manufacturing")
    made = line(result, "cloud:2:manufacturing")
    # quirk (a): ÷ 4 vCPU; CCF's lifespan is 35 040 h, the default's 4 years of 365.25 days
    assert made["kgco2e"] == pytest.approx(made_default["kgco2e"] / 4 * (4 * 365.25 * 24) / 35040)
    assert made["energy_kwh"] == pytest.approx(made["kgco2e"] / 0.42)  # quirk (b)
    use = line(result, "cloud:2:use")
    it_kwh = 100 * 4 * (0.64 + 0.5 * (3.97 - 0.64)) / 1000
    assert use["energy_kwh"] == pytest.approx(it_kwh * 1.135)
    assert use["water_m3"] == pytest.approx(it_kwh * 1.135 * 0.00313)  # no WUE
    assert line(default, "cloud:2:use")["water_m3"] > use["water_m3"]


def test_ccf_method_adds_no_embodied_share_without_a_machine_type(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path / "inv",
        cloud="""\
        provider,region,resource,usage_type,quantity,unit
        aws,us-east-1,,compute,10,vcpu_h
        """,
    )
    default = run(folder, library=fixture_library)
    result = run(folder, library=fixture_library, method="ccf")
    assert "cloud:2:manufacturing" in set(default.ledger["line_id"])
    assert list(result.ledger["line_id"]) == ["cloud:2:use"]
