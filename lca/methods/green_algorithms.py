"""The Green Algorithms calculator (Lannelongue, Grealey, Inouye, Adv. Sci. 2021), reproduced.

Formula of the calculator (``blueprints/form/form_blueprint.py``, app v3.0)::

    P_cpu = PUE · n_cores · TDP_per_core · u_cpu        [W]
    P_gpu = PUE · n_gpus · TDP_gpu · u_gpu              [W]
    P_mem = PUE · memory_GB · 0.3725                    [W]   (memory available, not used)
    E     = t_h · (P_cpu + P_gpu + P_mem) · PSF / 1000  [kWh]
    C     = E · CI                                      [gCO2e] (CI in gCO2e/kWh)

PSF is the "pragmatic scaling factor" (number of identical runs). PUE defaults: a personal
computer 1.0, a local server 1.56, a cloud provider's datacentre its own PUE, else the
provider's default below. The calculator has no embodied share, no water and no ADPe; its
carbon intensity is an operational (generation) factor.

``--method green-algorithms`` applies these constants and this formula to compute_jobs rows
(see ``DIFFERENCES``), with the calculator's tables (library table compat): TDP per core × the
row's ``cores`` (its "Any" CPU is the hardware ``Any CPU``), TDP per GPU (``Any GPU``), the
datacentre's PUE, then the provider's default, then a local server's, and the carbon
intensity of the datacentre's location, else of the job's grid zone or country (the library's
operational factor where the calculator has none). Its published cases are reproduced on the
engine's ledger lines (``tests/test_methods_green_algorithms.py``).
"""

from __future__ import annotations

from lca.methods.jobs import JobChoices

#: Key prefix of the calculator's constants in the library's ``compat`` table.
KEY = "green-algorithms"


#: The calculator's choices for compute_jobs lines (one per ``DIFFERENCES`` id).
JOBS = JobChoices(
    calculator_pue=True,  # "pue"
    memory_power=("compat", f"{KEY}:memory"),  # "it_power"
    calculator_tdp_first=True,  # "it_power"
    calculator_grid=True,  # "grid"
    embodied=False,  # "embodied"
)

#: How lca's default compute_jobs method differs from the calculator (id → text);
#: ``lca.methods.sizes`` measures each on the bundled example.
DIFFERENCES = {
    "it_power": "memory power is the calculator's constant per GB available and GPU power its "
    "TDP (library table compat: referenceValues.csv, TDP_gpu.csv) instead of the "
    "library's compute_hardware factors",
    "pue": "PUE is the calculator's: the datacentre's (cloudProviders_datacenters.csv), else "
    "the provider's default, else a local server's (library table compat), instead of "
    "the site's or the provider's published PUE",
    "grid": "carbon uses the calculator's carbon intensity of the datacentre or location "
    "(CI_aggregated.csv, mostly 2019-2020 data) instead of the library's life-cycle "
    "grid factor",
    "embodied": "no embodied share of the hardware (the calculator has none)",
}
