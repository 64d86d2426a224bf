"""Compatibility methods: other tools' published formulas, reproduced for reconciliation.

``--method ccf`` (Cloud Carbon Footprint) and ``--method green-algorithms`` (the Green
Algorithms calculator) select them for cloud and compute-job estimates; each module lists how it
differs from lca's default method in ``DIFFERENCES``.
"""

METHODS = ("default", "ccf", "green-algorithms")
