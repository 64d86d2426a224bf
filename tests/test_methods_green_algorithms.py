"""--method green-algorithms: the calculator's formula gives the Green Algorithms team's own
published numbers (Green-Algorithms-core tests/testdata/slurm/expected, cluster fixture:
Xeon Gold 6142 at 9.4 W per core, PUE 1.15, 231.12 gCO2e/kWh, 0.3725 W/GB)."""

from __future__ import annotations

import pytest

from lca.factors import load_library
from lca.methods import green_algorithms as ga

#: The calculator's memory power, as the shipped library's compat table holds it.
MEMORY_W_PER_GB = ga.memory_w_per_gb(load_library())
CLUSTER = dict(cpu_w_per_core=9.4, pue=1.15, memory_w_per_gb=MEMORY_W_PER_GB)
CI = 231.12


@pytest.mark.parametrize(
    "runtime_h, cores, memory_gb, energy, carbon",
    [
        # single_job_completed: 2 h 50 min wall clock, 22 h 40 min CPU time, 16 GB requested
        (2 + 50 / 60, 8, 16.0, 0.26444633333333334, 61.118836560000005),
        # the same job counting only the 12 GB it needed
        (2 + 50 / 60, 8, 12.0, 0.2595914166666667, 59.99676822000001),
        # single_job_failed: 3 min wall clock, 6 min CPU time, 2 GB
        (3 / 60, 2, 2.0, 0.0011238374999999999, 0.25974132299999997),
    ],
)
def test_published_cases(runtime_h, cores, memory_gb, energy, carbon):
    power = ga.power_w(n_cores=cores, memory_gb=memory_gb, **CLUSTER)
    kwh = ga.energy_kwh(runtime_h, power)
    assert kwh == pytest.approx(energy, rel=1e-12)
    assert kwh * CI == pytest.approx(carbon, rel=1e-12)  # gCO2e = kWh × gCO2e/kWh


def test_pragmatic_scaling_factor_and_gpus():
    power = ga.power_w(
        n_gpus=4, gpu_w=300, gpu_usage=0.5, memory_gb=64, pue=1.2, memory_w_per_gb=MEMORY_W_PER_GB
    )
    assert power == 1.2 * 4 * 300 * 0.5 + 1.2 * (64 * 0.3725)
    assert ga.energy_kwh(10, power, psf=3) == pytest.approx(10 * power * 3 / 1000)


def test_constants_come_from_the_library():
    assert MEMORY_W_PER_GB == 0.3725  # referenceValues.csv memoryPower


def test_default_pue_of_platforms():
    library = load_library()
    assert [ga.default_pue(p, library) for p in ("local_server", "aws", "gcp", "azure")] == [
        1.56,
        1.2,
        1.12,
        1.12,
    ]
