"""Fuels (``fuels.csv``) from the UK DESNZ 2025 conversion factors.

Per fuel key and denominator (L, kWh net CV, kg, m³):
* ``gwp`` scope 1 combustion (DESNZ "Fuels", kgCO2e per unit; AR5 GWPs),
* ``gwp_upstream`` well-to-tank (DESNZ "WTT- fuels"),
* ``gwp_co2``, ``gwp_ch4``, ``gwp_n2o`` the split of ``gwp`` by gas, as DESNZ gives it,
* ``gwp_biogenic`` biogenic CO2 of the blend's biofuel (DESNZ "Outside of scopes"; never in a
  scope, reported apart as the GHG Protocol requires),
* ``energy_content`` net calorific value (kWh per unit) = factor per unit / factor per kWh
  (net CV) of the same fuel, i.e. derived from two DESNZ figures (≈1e-4 relative rounding).

Energy billed on the gross calorific value (kWh gross CV, as utility bills are) has its own key
``<fuel>:gross_cv``: ``gwp`` and ``gwp_upstream`` per kWh (Gross CV) as DESNZ publishes them,
and ``energy_content`` in kWh (net CV) per kWh (gross CV) = factor per kWh gross / factor per
kWh net, so that energy totals stay on the net basis of the other fuel rows.
Per-kg values are DESNZ per-tonne values / 1000. The fuels are UK market fuels (diesel and
petrol with the average biofuel blend); they serve as the generic default elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from lca.factors.build.common import Output, factor, factor_output, rounded
from lca.factors.build.desnz import desnz_factor, desnz_gas

YEAR = 2025
#: our key → DESNZ "Level 3" name.
FUELS = {
    "diesel": "Diesel (average biofuel blend)",
    "petrol": "Petrol (average biofuel blend)",
    "natural_gas": "Natural gas",
    "lpg": "LPG",
    "fuel_oil": "Fuel oil",
}
#: DESNZ UOM → (our denominator unit, divisor from the DESNZ unit to ours).
DENOMINATORS = {
    "litres": ("L", 1.0),
    "kWh (Net CV)": ("kWh", 1.0),
    "kWh (Gross CV)": ("kWh", 1.0),
    "tonnes": ("kg", 1000.0),
    "cubic metres": ("m**3", 1.0),
}
PER = {"L": "L", "kWh": "kWh", "kg": "kg", "m**3": "m3"}
#: The gases of DESNZ's split of a fuel's scope 1 factor ("kg CO2e of <gas> per unit").
GASES = ("CO2", "CH4", "N2O")
#: DESNZ UOM of a fuel's "Outside of scopes" biogenic CO2 for each of our denominators' UOM
#: (DESNZ gives one kWh figure for both calorific bases).
BIOGENIC_UOM = {
    "litres": "litres",
    "tonnes": "tonnes",
    "kWh (Net CV)": "kWh",
    "kWh (Gross CV)": "kWh",
}


def _lookup(data: Path, level1: str, name: str, uom: str) -> float | None:
    try:
        return desnz_factor(data, level1, name, uom)
    except ValueError:
        return None


def fuel_rows(data: Path, key: str, name: str) -> list[dict]:
    """gwp, gwp_upstream and energy_content rows of one fuel."""
    rows = []
    per_kwh = desnz_factor(data, "Fuels", name, "kWh (Net CV)")
    for uom, (unit, divisor) in DENOMINATORS.items():
        scope1 = _lookup(data, "Fuels", name, uom)
        if scope1 is None:
            continue
        wtt = _lookup(data, "WTT- fuels", name, uom)
        per = PER[unit]
        gross = uom == "kWh (Gross CV)"
        fuel = f"{key}:gross_cv" if gross else key
        rows.append(
            factor(
                "fuels",
                fuel,
                "gwp",
                rounded(scope1 / divisor),
                f"kgCO2e/{unit}",
                YEAR,
                "desnz_2025",
                "OGL-3.0",
                f"DESNZ 2025 Fuels / {name} / {uom}, scope 1 (AR5)",
                per=per,
            )
        )
        if wtt is not None:
            rows.append(
                factor(
                    "fuels",
                    fuel,
                    "gwp_upstream",
                    rounded(wtt / divisor),
                    f"kgCO2e/{unit}",
                    YEAR,
                    "desnz_2025",
                    "OGL-3.0",
                    f"DESNZ 2025 WTT- fuels / {name} / {uom}",
                    per=per,
                )
            )
        biogenic = (
            desnz_gas(data, "Outside of scopes", name, BIOGENIC_UOM[uom], "CO2")
            if uom in BIOGENIC_UOM
            else None
        )
        for gas in GASES:
            split = desnz_gas(data, "Fuels", name, uom, gas)
            if split is not None:
                rows.append(
                    factor(
                        "fuels",
                        fuel,
                        f"gwp_{gas.lower()}",
                        rounded(split / divisor),
                        f"kgCO2e/{unit}",
                        YEAR,
                        "desnz_2025",
                        "OGL-3.0",
                        f"DESNZ 2025 Fuels / {name} / {uom}: the {gas} part of the scope 1 factor",
                        per=per,
                    )
                )
        if biogenic is not None:
            rows.append(
                factor(
                    "fuels",
                    fuel,
                    "gwp_biogenic",
                    rounded(biogenic / divisor),
                    f"kgCO2e/{unit}",
                    YEAR,
                    "desnz_2025",
                    "OGL-3.0",
                    f"DESNZ 2025 Outside of scopes / {name} / {BIOGENIC_UOM[uom]}: biogenic CO2 of "
                    "the biofuel blend, reported apart from the scopes",
                    per=per,
                )
            )
        if gross:
            rows.append(
                factor(
                    "fuels",
                    fuel,
                    "energy_content",
                    rounded(scope1 / per_kwh),
                    "kWh/kWh",
                    YEAR,
                    "desnz_2025",
                    "OGL-3.0",
                    "kWh net CV per kWh gross CV = DESNZ factor per kWh (Gross CV) / factor per "
                    "kWh (Net CV)",
                    per=per,
                )
            )
        elif unit != "kWh":
            rows.append(
                factor(
                    "fuels",
                    key,
                    "energy_content",
                    rounded(scope1 / divisor / per_kwh),
                    f"kWh/{unit}",
                    YEAR,
                    "desnz_2025",
                    "OGL-3.0",
                    f"net CV = DESNZ factor per {uom} / factor per kWh (Net CV)",
                    per=per,
                )
            )
    return rows


def build(data: Path) -> list[Output]:
    """The fuels table."""
    rows = [row for key, name in FUELS.items() for row in fuel_rows(data, key, name)]
    return [
        factor_output(
            "fuels.csv",
            "fuels",
            "OGL-3.0",
            ("desnz_2025",),
            "Scope 1 and well-to-tank factors of fuels, and net calorific values",
            rows,
        )
    ]
