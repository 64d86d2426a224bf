"""Countries mapping (``countries.csv``): ISO 3166-1 alpha-2, alpha-3 and an English name.

Derived, in order of precedence, from:
1. carbontracker's ``carbon-intensities.csv`` (alpha-2 with OWID's alpha-3 ``Code`` and name);
2. OWID energy-data countries (alpha-3 + name) matched by name to the alpha-2 zone keys of
   Electricity Maps ``zone_names.json``;
3. ``curated/iso3166_supplement.csv`` for the remaining ISO 3166-1 codes (each row cites the
   ISO Online Browsing Platform).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lca.factors.build.common import Output, mapping_output, read_curated

SOURCES = ("carbontracker", "owid_energy", "zone_names", "curated")


@lru_cache(maxsize=2)
def country_table(data: Path) -> pd.DataFrame:
    """alpha2, alpha3, name, source, licence for every country code found (one row each)."""
    tracker = pd.read_csv(
        data / "carbontracker/commit-8beb2b9/carbon-intensities.csv",
        keep_default_na=False,
        dtype=str,
    )
    rows = pd.DataFrame(
        {
            "alpha2": tracker["alpha-2"],
            "alpha3": tracker["Code"],
            "name": tracker["Entity"],
            "source": "carbontracker",
            "licence": "MIT",
        }
    )
    owid = pd.read_csv(
        data / "owid-energy-data/owid-energy-data_subset-columns.csv",
        keep_default_na=False,
        dtype=str,
        usecols=["country", "iso_code"],
    )
    owid = owid[owid["iso_code"].str.len() == 3].drop_duplicates()
    zones = json.loads((data / "experiment-impact-tracker/zone_names.json").read_text())
    by_name = {v["zoneName"].lower(): k for k, v in zones["zoneShortName"].items() if len(k) == 2}
    extra = owid[~owid["iso_code"].isin(rows["alpha3"])].copy()
    extra["alpha2"] = extra["country"].str.lower().map(by_name)
    extra = extra.dropna(subset=["alpha2"])
    rows = pd.concat(
        [
            rows,
            pd.DataFrame(
                {
                    "alpha2": extra["alpha2"],
                    "alpha3": extra["iso_code"],
                    "name": extra["country"],
                    "source": "owid_energy+zone_names",
                    "licence": "CC-BY-4.0; MIT",
                }
            ),
        ]
    )
    supplement = read_curated("iso3166_supplement.csv")
    supplement = supplement[~supplement["alpha2"].isin(rows["alpha2"])]
    rows = pd.concat(
        [
            rows,
            supplement.assign(licence="ISO 3166-1 codes (facts)")[
                ["alpha2", "alpha3", "name", "source", "licence"]
            ],
        ]
    )
    return rows.drop_duplicates("alpha2").reset_index(drop=True)


def alpha3_to_alpha2(data: Path) -> dict[str, str]:
    """ISO alpha-3 → alpha-2 for every country in the table."""
    table = country_table(data)
    return dict(zip(table["alpha3"], table["alpha2"], strict=True))


def build(data: Path) -> list[Output]:
    """The ``countries`` mapping table."""
    frame = country_table(data).assign(year=2025)
    return [
        mapping_output(
            "countries.csv",
            "countries",
            "CC-BY-4.0; MIT; ISO codes",
            SOURCES,
            "ISO 3166-1 alpha-2/alpha-3 codes and English names",
            frame[["alpha2", "alpha3", "name", "source", "licence", "year"]],
            ["alpha2"],
        )
    ]
