"""Electricity Maps yearly zones (``electricity_zones_odbl.csv``, ODbL, kept in its own file).

Sub-national zones only (keys with a hyphen, e.g. ``US-MIDA-PJM``, ``SE-SE3``); country zones
are covered by ``electricity.csv``. Per zone and year 2021–2025:
* ``gwp_lifecycle`` = Electricity Maps yearly carbon intensity (lifecycle, consumption mix);
* ``gwp`` = lifecycle × the zone's country's shipped direct / lifecycle ratio of the same year
  (nearest year when absent; see ``grid.direct_shares``), flagged as an estimate;
* ``gwp_upstream`` = lifecycle − direct (T&D losses not included: no per-zone loss data).
"""

from __future__ import annotations

import json
from pathlib import Path

from lca.factors.build.common import Output, factor, factor_output, g_to_kg, rounded
from lca.factors.build.grid import UNIT, direct_shares
from lca.factors.coverage import MODELLED

YEARS = range(2021, 2026)
LICENCE = "ODbL-1.0"


def build(data: Path) -> list[Output]:
    """The sub-national electricity zones table."""
    shares, world_share = direct_shares(data)
    rows = []
    for year in YEARS:
        zones = json.loads(
            (data / f"electricity-maps-yearly-via-co2js/yearly_{year}.json").read_text()
        )
        for zone, record in zones.items():
            value = (record.get("carbonIntensity") or {}).get("value")
            if "-" not in zone or value is None:
                continue
            lifecycle = g_to_kg(value)
            own = shares.get(zone[:2], {})
            share = own[min(own, key=lambda y: (abs(y - year), -y))] if own else world_share
            direct = rounded(lifecycle * share)
            name = record["zone"]["zoneName"]
            rows += [
                factor(
                    "electricity",
                    zone,
                    "gwp_lifecycle",
                    lifecycle,
                    UNIT,
                    year,
                    "em_yearly",
                    LICENCE,
                    f"Electricity Maps yearly {year}, {name} (lifecycle, consumption mix)",
                    region=zone[:2],
                ),
                factor(
                    "electricity",
                    zone,
                    "gwp",
                    direct,
                    UNIT,
                    year,
                    "em_yearly;codecarbon_mix",
                    LICENCE,
                    f"{MODELLED}: lifecycle × direct share {share:.4f} of {zone[:2]}",
                    region=zone[:2],
                ),
                factor(
                    "electricity",
                    zone,
                    "gwp_upstream",
                    rounded(lifecycle - direct),
                    UNIT,
                    year,
                    "em_yearly;codecarbon_mix",
                    LICENCE,
                    "estimate: lifecycle − direct (no T&D loss for zones)",
                    region=zone[:2],
                ),
            ]
    return [
        factor_output(
            "electricity_zones_odbl.csv",
            "electricity",
            LICENCE,
            ("em_yearly", "codecarbon_mix", "ademe_bc"),
            "Sub-national Electricity Maps zones, yearly (ODbL share-alike)",
            rows,
        )
    ]
