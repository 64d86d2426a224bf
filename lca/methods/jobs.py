"""The choices a compute_jobs estimate makes that an estimation method can change.

lca's default method and ``--method green-algorithms`` differ on exactly these (the calculator's
``DIFFERENCES``); ``lca.activities.compute_jobs`` reads them from one ``JobChoices`` instead of
testing the method's name where each choice is made.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobChoices:
    """How compute_jobs lines are estimated.

    ``calculator_pue``: the Green Algorithms calculator's PUE (its datacentre's, the provider's
    default, a local server's) after the row's own, instead of the site's or provider's
    published PUE. ``memory_power``: (library table, key) of memory W per GB.
    ``calculator_tdp_first``: the calculator's GPU TDP before the library's device power.
    ``calculator_grid``: every job on the operational grid factor, the calculator's carbon
    intensity first. ``embodied``: a manufacturing share of the hardware."""

    calculator_pue: bool = False
    memory_power: tuple[str, str] = ("compute_hardware", "memory")
    calculator_tdp_first: bool = False
    calculator_grid: bool = False
    embodied: bool = True


#: lca's default method (and every method without a job model of its own: ccf, ecologits).
DEFAULT = JobChoices()
