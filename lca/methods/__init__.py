"""Compatibility methods: other tools' published formulas, reproduced for reconciliation.

``--method ccf`` (Cloud Carbon Footprint) applies to the estimated rows of the cloud sheet and
``--method green-algorithms`` (the Green Algorithms calculator) to compute jobs; every other
line, and the other sheet under each method, is computed with lca's default method (CCF has no
job model, Green Algorithms no billing model); ``--method ecologits`` (EcoLogits) to
genai_usage rows. Each module lists how it differs from the default in ``DIFFERENCES``.
"""

from lca.methods import ccf, ecologits, green_algorithms, jobs

METHODS = ("default", "ccf", "green-algorithms", "ecologits")


def job_choices(method: str) -> jobs.JobChoices:
    """How compute_jobs lines are estimated under ``method`` (only Green Algorithms has a job
    model; every other method keeps lca's default)."""
    return green_algorithms.JOBS if method == "green-algorithms" else jobs.DEFAULT


def method_block(name: str) -> dict:
    """results.json ``method``: the method used, how lca's default differs from each tool (the
    methodology section lists these) and the size of each difference on the bundled example
    (``lca.methods.sizes``; null where the pipeline cannot express it)."""
    from lca.methods.sizes import example_sizes

    return {
        "name": name,
        "default_differs_from": {
            "ccf": list(ccf.DIFFERENCES.values()),
            "green-algorithms": list(green_algorithms.DIFFERENCES.values()),
            "ecologits": list(ecologits.DIFFERENCES.values()),
        },
        "difference_sizes_on_example": example_sizes(),
    }
