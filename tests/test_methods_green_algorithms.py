"""--method green-algorithms: the engine's compute_jobs lines give the Green Algorithms team's
own published numbers (Green-Algorithms-core tests/testdata/slurm/expected, cluster fixture:
Xeon Gold 6142 at 9.4 W per core, PUE 1.15, 0.3725 W per GB of memory requested).

The calculator's formula, E = t_h · PUE · (n_cores · TDP_per_core · u + GB · 0.3725) / 1000,
is the engine's under this method; the published energies are asserted on its ledger lines.
Their carbon (E × the fixture cluster's 231.12 gCO2e/kWh) depends on a cluster intensity that
no grid table holds, so only the energy is compared."""

from __future__ import annotations

import pytest

from lca.factors import load_library
from lca.methods.compat import compat_value
from lca.pipeline import run
from tests.helpers import write_inventory

#: (job, wall-clock hours, cores, GB of memory, published kWh)
PUBLISHED = [
    # single_job_completed: 2 h 50 min wall clock, 8 cores, 16 GB requested
    ("completed", 2 + 50 / 60, 8, 16.0, 0.26444633333333334),
    # the same job counting only the 12 GB it needed
    ("completed-12gb", 2 + 50 / 60, 8, 12.0, 0.2595914166666667),
    # single_job_failed: 3 min wall clock, 2 cores, 2 GB
    ("failed", 3 / 60, 2, 2.0, 0.0011238374999999999),
]


def _uses(tmp_path, rows: str):
    folder = write_inventory(
        tmp_path / "inv",
        compute_jobs="job_id,hardware,device_count,cores,hours,memory_gb,pue,location,runs_on\n"
        + rows,
    )
    result = run(folder, method="green-algorithms")
    assert not [i for i in result.issues if i.severity.name == "ERROR"], result.issues
    return result.ledger[result.ledger["stage"] == "use"].set_index("item_id")


def test_published_slurm_cases_through_the_engine(tmp_path):
    rows = "".join(
        f"{job},Xeon Gold 6142,,{cores},{hours!r},{memory!r},1.15,FR,cloud\n"
        for job, hours, cores, memory, _ in PUBLISHED
    )
    uses = _uses(tmp_path, rows)
    for job, _, _, _, kwh in PUBLISHED:
        assert uses.loc[job, "energy_kwh"] == pytest.approx(kwh, rel=1e-12), job


def test_gpus_and_memory(tmp_path):
    uses = _uses(tmp_path, "gpu-job,Any GPU,4,,10,64,1.2,FR,cloud\n")
    # 4 GPUs at the calculator's "Any" 200 W (TDP_gpu.csv) + 64 GB × 0.3725 W, PUE 1.2, 10 h
    assert uses.loc["gpu-job", "energy_kwh"] == pytest.approx(
        10 * 1.2 * (4 * 200 + 64 * 0.3725) / 1000, rel=1e-12
    )


def test_constants_come_from_the_library():
    library = load_library()
    assert compat_value(library, "green-algorithms:memory", "power", "W/GB") == 0.3725
    pues = [
        compat_value(library, f"green-algorithms:{p}", "pue", "dimensionless")
        for p in ("local_server", "aws", "gcp", "azure")
    ]
    assert pues == [1.56, 1.2, 1.12, 1.12]  # defaults_PUE.csv, providers' defaults
