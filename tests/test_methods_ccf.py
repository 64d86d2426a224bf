"""--method ccf: CCF's coefficients come from the library and the pipeline applies its quirks
to cloud rows (CCF's own published cases run through the engine in
tests/test_methods_reproduction.py)."""

from __future__ import annotations

import pytest

from lca.factors import load_library
from lca.methods.compat import compat_value
from lca.pipeline import run
from tests.helpers import line, write_inventory


def test_the_library_holds_ccf_constants():
    # CCF packages/aws/src/domain/AwsFootprintEstimationConstants.ts and GCP's PUE_AVG
    library = load_library()
    assert (
        compat_value(library, "ccf:aws:storage_ssd", "energy", "Wh/TB_h"),
        compat_value(library, "ccf:aws:storage_hdd", "energy", "Wh/TB_h"),
        compat_value(library, "ccf:aws:memory", "energy", "kWh/GB_h"),
        compat_value(library, "ccf:aws:network", "energy", "kWh/GB"),
        compat_value(library, "ccf:aws", "lifetime", "hour"),
        compat_value(library, "ccf:aws", "utilization", "percent"),
        compat_value(library, "ccf:aws", "pue", "dimensionless"),
    ) == (1.2, 0.65, 0.000392, 0.001, 35040, 50, 1.135)
    assert compat_value(library, "ccf:gcp", "pue", "dimensionless") == 1.1


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
