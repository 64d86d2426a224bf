"""Purchased heat and steam (``heat.csv``).

* ``district_heating`` / ``steam`` and ``…:GB``: DESNZ 2025 "District heat and steam"
  (``gwp``, kgCO2e/kWh) and ``gwp_upstream`` = WTT heat and steam + distribution losses (5%) +
  WTT of the losses. The key without a country is this UK figure used as the generic default.
* ``steam:US`` and ``district_heating:US``: EPA Hub 2025 Table 7 (natural gas at 80%
  efficiency), combustion only.
* ``district_cooling:FR`` and ``district_cooling``: ADEME Base Carbone element 37090 "Réseau de
  froid / Autres réseaux de froid" (DPE 2021 value, combustion without LCA, France, ±30 %); the
  key without a country is this French figure used as the generic default (a factor-fallback
  warning says so).
* ``district_cooling`` ``gwp_upstream``: no publisher gives a category 3 factor for district
  cooling (DESNZ publishes no cooling factor and says to use the chillers' energy; ADEME's
  cooling networks are DPE combustion values without upstream posts). A modelled estimate
  under the generic key only, so that every country's cooling takes it as a fallback (a
  factor-fallback warning): the ADEME figure × the upstream share of DESNZ's district heat
  and steam (the upstream above ÷ the direct factor), the one published upstream of a
  thermal network.
"""

from __future__ import annotations

from pathlib import Path

from lca.factors.build.ademe import element
from lca.factors.build.common import Output, factor, factor_output, rounded
from lca.factors.build.desnz import desnz_factor
from lca.factors.build.egrid import steam_heat

UNIT = "kgCO2e/kWh"
#: ADEME Base Carbone element: district cooling networks of France without their own figure.
COOLING_ELEMENT = "37090"


def build(data: Path) -> list[Output]:
    """The heat table."""
    district = "District heat and steam"
    gwp = desnz_factor(data, "Heat and steam", district, "kWh")
    upstream = rounded(
        desnz_factor(data, "WTT- heat and steam", district, "kWh")
        + desnz_factor(data, "Transmission and distribution", "5% loss", "kWh")
        + desnz_factor(data, "WTT- heat and steam", "5% loss", "kWh")
    )
    us_value, us_note = steam_heat(data)
    rows = []
    for carrier in ("district_heating", "steam"):
        for key, note in ((carrier, "generic default = UK figure"), (f"{carrier}:GB", "UK")):
            rows += [
                factor(
                    "heat",
                    key,
                    "gwp",
                    gwp,
                    UNIT,
                    2025,
                    "desnz_2025",
                    "OGL-3.0",
                    f"DESNZ 2025 Heat and steam / {district}; {note}",
                ),
                factor(
                    "heat",
                    key,
                    "gwp_upstream",
                    upstream,
                    UNIT,
                    2025,
                    "desnz_2025",
                    "OGL-3.0",
                    f"DESNZ 2025 WTT heat and steam + 5% distribution loss + WTT "
                    f"of the loss; {note}",
                ),
            ]
        rows.append(
            factor(
                "heat",
                f"{carrier}:US",
                "gwp",
                us_value,
                UNIT,
                2025,
                "egrid_hub",
                "Public domain",
                us_note,
            )
        )
    cooling, _ = element(data, COOLING_ELEMENT)
    for key, note in (("district_cooling", "generic default = French figure"),
                      ("district_cooling:FR", "France")):  # fmt: skip
        rows.append(
            factor(
                "heat",
                key,
                "gwp",
                cooling,
                UNIT,
                2023,
                "ademe_bc",
                "Licence Ouverte 2.0",
                f"ADEME Base Carbone {COOLING_ELEMENT} Réseau de froid / Autres réseaux de froid "
                f"(DPE 2021, combustion without LCA, ±30 %); {note}",
            )
        )
    rows.append(
        factor(
            "heat",
            "district_cooling",
            "gwp_upstream",
            rounded(cooling * upstream / gwp),
            UNIT,
            2023,
            "ademe_bc;desnz_2025",
            "Licence Ouverte 2.0; OGL-3.0",
            f"modelled estimate, no published category 3 factor for district cooling: ADEME "
            f"Base Carbone {COOLING_ELEMENT} {cooling:g} × DESNZ 2025 district heat and steam "
            f"upstream share {upstream:g} / {gwp:g} (WTT + 5% distribution loss + WTT of the "
            f"loss); generic, used for every country as a fallback",
        )
    )
    return [
        factor_output(
            "heat.csv",
            "heat",
            "OGL-3.0; Public domain; Licence Ouverte 2.0",
            ("desnz_2025", "egrid_hub", "ademe_bc"),
            "Purchased district heat, steam and cooling",
            rows,
        )
    ]
