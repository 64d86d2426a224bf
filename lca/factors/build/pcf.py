"""Read the Boavizta manufacturer PCF database (ODbL) and map it to lca's categories."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lca.factors.build.common import read_curated

FILE = "boavizta/environmental-footprint-data/boavizta-data-us.csv"
LICENCE = "ODbL-1.0"


def normalise(text: str) -> str:
    """Lowercase; runs of non-alphanumerics → one space; stripped."""
    return re.sub(r"[^0-9a-z]+", " ", str(text).lower()).strip()


@lru_cache(maxsize=2)
def pcf_table(data: Path) -> pd.DataFrame:
    """PCF rows with ``our_category``, ``embodied`` (kgCO2e), ``year`` and ``model`` key text.

    embodied = gwp_total × (1 − gwp_use_ratio): every life-cycle stage except use
    (manufacturing, transport, end of life).
    """
    pcf = pd.read_csv(data / FILE)
    mapping = read_curated("pcf_categories.csv")
    pcf = pcf.merge(
        mapping[["category", "subcategory", "our_category"]],
        on=["category", "subcategory"],
        how="inner",
    )
    pcf["embodied"] = pcf["gwp_total"] * (1 - pcf["gwp_use_ratio"])
    pcf["year"] = pd.to_numeric(pcf["report_date"].str.extract(r"(\d{4})")[0], errors="coerce")
    name = pcf["name"].map(normalise)
    maker = pcf["manufacturer"].map(normalise)
    pcf["model"] = [n if n.startswith(m) else f"{m} {n}" for m, n in zip(maker, name, strict=True)]
    return pcf
