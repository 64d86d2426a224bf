"""Spend-based factors (``spend.csv``) from US EPA Supply Chain GHG Emission Factors v1.3.0.

Every NAICS-6 code gets ``gwp`` = the factor *with margins* (kgCO2e per 2022 USD, purchaser
price; cradle-to-gate, AR5 GWPs per the USEEIO v2.2 model). Named keys for common IT purchases
(``curated/spend_aliases.csv``) are duplicated rows whose notes say "alias of NAICS xxxxxx".
Convert other currencies and years with ``currency`` and ``price_index`` before use.

``spend_ademe.csv`` (Licence Ouverte 2.0): ADEME Base Carbone V23.6 monetary ratios, kgCO2e per
euro excluding VAT of the ratio's own year (2019–2023; ADEME publishes kgCO2e/k€, divided by
1 000 here), keys ``ademe:<sector>`` (the French sector name in key form) and ``ademe:<alias>``
for the same named keys (``curated/spend_aliases.csv``, column ``ademe_sector``). The
``eeio_source`` setting chooses which of the two sets a services row uses.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

from lca.factors.build.ademe import base_carbone
from lca.factors.build.cloud_mappings import norm_key
from lca.factors.build.common import Output, factor, factor_output, read_curated, rounded

FILE = "us-epa-supply-chain-ghg-factors/SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv"
YEAR = 2022
UNIT = "kgCO2e/USD"
LICENCE = "Public domain"


def naics_table(data: Path) -> pd.DataFrame:
    """code (str), title, value (with margins) of every NAICS-6 row."""
    table = pd.read_csv(data / FILE, dtype={"2017 NAICS Code": str})
    return pd.DataFrame(
        {
            "code": table["2017 NAICS Code"],
            "title": table["2017 NAICS Title"],
            "value": table["Supply Chain Emission Factors with Margins"],
        }
    )


def ademe_key(name: str) -> str:
    """French sector name → ``ademe:<ascii key>`` (accents dropped)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "ademe:" + norm_key(ascii_name)


def ademe_ratios(data: Path) -> pd.DataFrame:
    """sector, year, value (kgCO2e/k€ HT of that year), element id of every monetary ratio."""
    table = base_carbone(data)
    table = table[(table["line"] == "Elément") & table["unit"].str.match(r"kgCO2e/keuro \(20")]
    parts = table["name"].str.extract(r"^(?P<sector>.*?)\s*[–-]\s*(?P<year>20\d\d)$")
    return pd.DataFrame(
        {
            "sector": parts["sector"],
            "year": parts["year"].astype("int64"),
            "value": table["value"],
            "id": table["id"],
        }
    ).dropna()


def ademe_rows(data: Path) -> list[dict]:
    """ADEME monetary ratios per sector and year, and the named aliases."""
    ratios = ademe_ratios(data)
    rows = []
    aliases = read_curated("spend_aliases.csv")
    targets = [(ademe_key(s), s, "") for s in sorted(set(ratios["sector"]))]
    targets += [
        (f"ademe:{a.key}", a.ademe_sector, f"alias of {ademe_key(a.ademe_sector)}: ")
        for a in aliases.itertuples()
    ]
    for key, sector, prefix in targets:
        for rec in ratios[ratios["sector"] == sector].itertuples():
            rows.append(
                factor(
                    "spend",
                    key,
                    "gwp",
                    rounded(rec.value / 1000.0),
                    "kgCO2e/EUR",
                    rec.year,
                    "ademe_bc",
                    "Licence Ouverte 2.0",
                    f"{prefix}ADEME Base Carbone V23.6 element {rec.id} {sector} – "
                    f"{rec.year}: {rec.value:g} kgCO2e/k€ ({rec.year}) HT",
                    region="FR",
                )
            )
    return rows


def build(data: Path) -> list[Output]:
    """The spend table: NAICS codes and their named aliases."""
    naics = naics_table(data).set_index("code")
    rows = [
        factor(
            "spend",
            code,
            "gwp",
            rec.value,
            UNIT,
            YEAR,
            "epa_sef",
            LICENCE,
            f"{rec.title}; with margins, kgCO2e per 2022 USD purchaser price",
            region="US",
        )
        for code, rec in naics.iterrows()
    ]
    for alias in read_curated("spend_aliases.csv").itertuples():
        rec = naics.loc[alias.naics]
        rows.append(
            factor(
                "spend",
                alias.key,
                "gwp",
                rec.value,
                UNIT,
                YEAR,
                "epa_sef;curated",
                LICENCE,
                f"alias of NAICS {alias.naics} ({rec.title}): {alias.rationale}",
                region="US",
            )
        )
    return [
        factor_output(
            "spend.csv",
            "spend",
            LICENCE,
            ("epa_sef", "curated"),
            "Spend-based supply-chain factors per NAICS-6 (USD 2022, with margins)",
            rows,
        ),
        factor_output(
            "spend_ademe.csv",
            "spend",
            "Licence Ouverte 2.0",
            ("ademe_bc",),
            "ADEME monetary ratios per sector (EUR of the ratio's year, excl. VAT)",
            ademe_rows(data),
        ),
    ]
