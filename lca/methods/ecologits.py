"""EcoLogits (Rincé & Banse, JOSS 2025; MPL-2.0), reproduced for ``genai_usage`` rows.

The per-request model is ``lca.activities.genai_usage`` under both methods, with the
constants, models and provider PUE/WUE of the library's ``genai`` tables (EcoLogits 0.11.3).
``--method ecologits`` takes the electricity mix of EcoLogits for the zone too, so that every
line reproduces the package to floating point (tests/test_genai_ecologits.py runs the package
itself). Under both methods a range is carried as low/high bounds with the mean of the bounds
counted (EcoLogits reports only the range), on-site and off-site water are separate lines
(EcoLogits sums them as ``wcf``), and primary energy is not reported (the ledger has no such
indicator).
"""

#: How lca's default method differs from ``--method ecologits`` for genai_usage rows.
DIFFERENCES = {
    "grid": "carbon per kWh is the library's life-cycle grid factor of the zone's country for "
    "the reporting year (as for cloud rows) instead of EcoLogits' electricity mix of the "
    "zone",
    "adpe": "ADPe per kWh is the library's electricity factor of the country (the same "
    "EcoLogits data, by ISO alpha-2 code) instead of EcoLogits' mix of the zone",
    "water": "generation water per kWh is the library's electricity factor of the country (the "
    "same EcoLogits data, by ISO alpha-2 code) instead of EcoLogits' mix of the zone",
    "fallback": "a zone the library has no grid factor for (the world, or a country it lacks) "
    "takes EcoLogits' mix of the zone, disclosed as factor-fallback",
}
