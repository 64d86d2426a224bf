"""Compatibility methods: other tools' published formulas, reproduced for reconciliation.

``--method ccf`` (Cloud Carbon Footprint) and ``--method green-algorithms`` (the Green
Algorithms calculator) select them for cloud and compute-job estimates; each module lists how it
differs from lca's default method in ``DIFFERENCES``.
"""

METHODS = ("default", "ccf", "green-algorithms")


def method_block(name: str) -> dict:
    """results.json ``method``: the method used and how lca's default differs from each tool
    (the methodology section lists these)."""
    from lca.methods import ccf, green_algorithms

    return {"name": name,
            "default_differs_from": {"ccf": list(ccf.DIFFERENCES),
                                     "green-algorithms": list(green_algorithms.DIFFERENCES)}}
