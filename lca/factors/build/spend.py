"""Spend-based factors (``spend.csv``) from US EPA Supply Chain GHG Emission Factors v1.3.0.

Every NAICS-6 code gets ``gwp`` = the factor *with margins* (kgCO2e per 2022 USD, purchaser
price; cradle-to-gate, AR5 GWPs per the USEEIO v2.2 model). Named keys for common IT purchases
(``curated/spend_aliases.csv``) are duplicated rows whose notes say "alias of NAICS xxxxxx".
Convert other currencies and years with ``currency`` and ``price_index`` before use.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lca.factors.build.common import Output, factor, factor_output, read_curated

FILE = ("us-epa-supply-chain-ghg-factors/"
        "SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv")
YEAR = 2022
UNIT = "kgCO2e/USD"
LICENCE = "Public domain"


def naics_table(data: Path) -> pd.DataFrame:
    """code (str), title, value (with margins) of every NAICS-6 row."""
    table = pd.read_csv(data / FILE, dtype={"2017 NAICS Code": str})
    return pd.DataFrame({"code": table["2017 NAICS Code"], "title": table["2017 NAICS Title"],
                         "value": table["Supply Chain Emission Factors with Margins"]})


def build(data: Path) -> list[Output]:
    """The spend table: NAICS codes and their named aliases."""
    naics = naics_table(data).set_index("code")
    rows = [factor("spend", code, "gwp", rec.value, UNIT, YEAR, "epa_sef", LICENCE,
                   f"{rec.title}; with margins, kgCO2e per 2022 USD purchaser price",
                   region="US")
            for code, rec in naics.iterrows()]
    for alias in read_curated("spend_aliases.csv").itertuples():
        rec = naics.loc[alias.naics]
        rows.append(factor("spend", alias.key, "gwp", rec.value, UNIT, YEAR, "epa_sef;curated",
                           LICENCE, f"alias of NAICS {alias.naics} ({rec.title}): "
                                    f"{alias.rationale}", region="US"))
    return [factor_output("spend.csv", "spend", LICENCE, ("epa_sef", "curated"),
                          "Spend-based supply-chain factors per NAICS-6 (USD 2022, with margins)",
                          rows)]
