"""A refurbished device's manufacturing factor: derived, with an id of its own.

A refurbished device is charged the library's refurbishment share
(``equipment:refurbished:refurbished_factor``) of a new device's manufacturing kgCO2e
(``lca.activities.equipment``). The product is not the new device's factor: it has its own id,
``<id of the new device's factor>:refurbished``, so that one factor id names one value wherever
it is printed (ledger, the workbook's Factors sheet, the report's factor tables). The lines
name the new device's factor and the share in ``factor_other``.

``with_derived`` adds the derived factors a ledger names to the run's library, as the GWP
conversion adds its converted factors (``lca.factors.gwp``): the new device's row (from the
library, or the inventory's own factors) with the derived id, the value the lines used, and
notes that give the arithmetic.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from lca.factors.library import FactorLibrary

SUFFIX = ":refurbished"


def derived_id(factor_ids: pd.Series) -> pd.Series:
    """The id of the refurbished twin of each new device's factor id."""
    return factor_ids.astype(object) + SUFFIX


def with_derived(library: FactorLibrary, ledger: pd.DataFrame, own: pd.DataFrame) -> FactorLibrary:
    """``library`` with a row for every derived refurbished factor that ``ledger`` names in
    ``factor_gwp`` (``own``: the inventory's own factors, for a twin of one of them; a twin of
    an own factor not in ``own`` is left out); the library itself when there is none."""
    codes, names = pd.factorize(ledger["factor_gwp"], use_na_sentinel=True)
    derived = np.array([str(name).endswith(SUFFIX) for name in names] + [False])  # NA: last
    lines = ledger[derived[codes]]
    if lines.empty:
        return library
    known = library.factors.set_index("factor_id")
    mine = own.set_index("factor_id") if len(own) else own
    rows = []
    for factor_id, group in lines.groupby(lines["factor_gwp"].astype(str), sort=True):
        first = group.iloc[0]
        base_id = factor_id.removesuffix(SUFFIX)
        share_id = next(i for i in str(first["factor_other"]).split(";") if i and i != base_id)
        value = float(first["ef_gwp"])
        unit = f"kgCO2e/{first['activity_unit']}"
        if base_id in known.index:
            base = known.loc[base_id]
            base_value, base_unit = float(base["value"]), str(base["unit"])
            origin = {
                "key": f"{base['key']}{SUFFIX}",
                "region": base["region"],
                "year": base["year"],
                "source": base["source"],
                "licence": base["licence"],
                "table": base["table"],
                "file": base["file"],
            }
            notes = "" if pd.isna(base["notes"]) else f"; new device: {base['notes']}"
        elif len(mine) and base_id in mine.index:
            base = mine.loc[base_id]
            base_value, base_unit = float(base["value"]), str(base["unit"])
            origin = {
                "key": f"{base['key']}{SUFFIX}",
                "region": base.get("region", ""),
                "year": base.get("year"),
                "source": base.get("source", ""),
                "licence": "the organisation's own",
                "table": "own",
                "file": "",
            }
            notes = ""
        else:  # an own factor of an inventory not at hand: described where it is given
            continue
        share = float(known.loc[share_id, "value"]) if share_id in known.index else float("nan")
        rows.append(
            {
                "factor_id": factor_id,
                "indicator": "gwp",
                "stage": "manufacturing",
                "value": value,
                "unit": unit,
                **origin,
                "notes": f"refurbished device: {base_value:g} {base_unit} ({base_id}) × "
                f"refurbishment share {share:g} ({share_id}){notes}",
            }
        )
    if not rows:
        return library
    added = pd.DataFrame(rows).reindex(columns=library.factors.columns)
    factors = pd.concat([library.factors, added], ignore_index=True)
    return replace(library, factors=factors)
