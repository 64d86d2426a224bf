"""Site defaults (``sites.csv``): ``pue`` (dimensionless) and ``wue`` (L/kWh) per site kind.

datacenter and colocation PUE = the Uptime Institute 2024 global survey average as carried by
Green Algorithms' ``defaults_PUE.csv`` (provider "Unknown"); the other values are reviewed
rows of ``curated/site_defaults.csv``, each citing its source or stating its definition.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lca.factors.build.common import Output, factor, factor_output, read_curated


def build(data: Path) -> list[Output]:
    """The sites table."""
    pue = pd.read_csv(data / "green-algorithms/defaults_PUE.csv", skiprows=1)
    unknown = pue[pue["provider"] == "Unknown"].iloc[0]
    year = int(str(unknown["source"]).split()[0])
    rows = [
        factor(
            "sites",
            kind,
            "pue",
            float(unknown["PUE"]),
            "dimensionless",
            year,
            "green_algorithms",
            "CC-BY-4.0",
            f"Uptime Institute global survey average PUE; {unknown['source']}",
        )
        for kind in ("datacenter", "colocation")
    ]
    rows += [
        factor(
            "sites",
            rec.key,
            rec.indicator,
            float(rec.value),
            rec.unit,
            int(rec.year),
            "curated",
            "Apache-2.0 (facts cited)",
            rec.source,
        )
        for rec in read_curated("site_defaults.csv").itertuples()
    ]
    return [
        factor_output(
            "sites.csv",
            "sites",
            "CC-BY-4.0; Apache-2.0",
            ("green_algorithms", "curated"),
            "PUE and WUE defaults per site kind",
            rows,
        )
    ]
