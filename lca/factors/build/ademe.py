"""Read ADEME Base Carbone V23.6 once: elements (valid rows) with their posts, by identifier.

An element is one factor (``Type Ligne`` = ``Elément``) with its total; its ``Poste`` rows split
that total (``Combustion``, ``Amont``, ``Transport et distribution`` …). Archived elements are
left out. Values are kgCO2e per the element's unit (AR5 GWPs, as ADEME publishes them).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

FILE = "ademe-base-carbone/Base_Carbone_V23.6.csv"
ID = "Identifiant de l'élément"


@lru_cache(maxsize=2)
def base_carbone(data: Path) -> pd.DataFrame:
    """Valid (not archived) rows: id, line (Elément/Poste), post, name, attribute, frontier,
    unit, category, value."""
    frame = pd.read_csv(data / FILE, dtype=str, keep_default_na=False)
    frame = frame[frame["Statut de l'élément"] != "Archivé"]
    return pd.DataFrame(
        {
            "id": frame[ID],
            "line": frame["Type Ligne"],
            "post": frame["Type poste"],
            "name": frame["Nom base français"],
            "attribute": frame["Nom attribut français"],
            "frontier": frame["Nom frontière français"],
            "unit": frame["Unité français"],
            "category": frame["Code de la catégorie"],
            "value": pd.to_numeric(
                frame["Total poste non décomposé"].str.replace(",", "."), errors="coerce"
            ),
        }
    )


def element(data: Path, ident: str) -> tuple[float, dict[str, float]]:
    """Total of element ``ident`` and its posts (post name → value)."""
    rows = base_carbone(data)
    rows = rows[rows["id"] == str(ident)]
    total = rows.loc[rows["line"] == "Elément", "value"]
    if len(total) != 1:
        raise ValueError(f"ADEME Base Carbone: expected one element {ident}, found {len(total)}")
    posts = rows[rows["line"] == "Poste"]
    return float(total.iloc[0]), dict(zip(posts["post"], posts["value"].fillna(0.0), strict=True))
