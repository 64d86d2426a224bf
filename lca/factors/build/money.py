"""Currencies (``currency.csv``) and price indices (``price_index.csv``).

* ``currency``: ``usd_per_unit`` (USD/<code>) per ISO 4217 code and complete calendar year,
  cross-computed via EUR from the ECB annual average reference rates:
  USD per unit = (USD per EUR) / (units per EUR). EUR itself = USD per EUR; USD = 1.
* ``price_index``: ``index`` (dimensionless) per currency economy and year: USD → US CPI-U
  all items annual average (BLS, 1982–84 = 100); EUR → euro-area HICP annual average
  (Eurostat, 2015 = 100). Only ratios between years are meaningful.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lca.factors.build.common import Output, factor, factor_output, rounded

ECB_LICENCE = "ECB: reuse with acknowledgement"


def currency_rows(data: Path) -> list[dict]:
    """usd_per_unit per currency and complete year."""
    rates = pd.read_csv(data / "ecb-euro-reference-rates/ecb_annual_average_rates_2010_2026.csv")
    rates = rates[rates["complete_year"]]
    usd_per_eur = rates[rates["currency"] == "USD"].set_index("year")["units_per_eur"]
    rows = []
    for rec in rates.itertuples():
        value = rounded(usd_per_eur[rec.year] / rec.units_per_eur)
        rows.append(
            factor(
                "currency",
                rec.currency,
                "usd_per_unit",
                value,
                f"USD/{rec.currency}",
                int(rec.year),
                "ecb_rates",
                ECB_LICENCE,
                f"ECB annual average {rec.year}: USD per EUR "
                f"{usd_per_eur[rec.year]:g} / {rec.currency} per EUR "
                f"{rec.units_per_eur:g} ({rec.n_days} days)",
            )
        )
    return rows


def price_rows(data: Path) -> list[dict]:
    """CPI-U (USD) and HICP euro area (EUR) annual averages."""
    cpi = pd.read_csv(data / "us-bls-cpi-u/cpi_u_all_items_CUUR0000SA0_2000_2026.csv")
    cpi = cpi[cpi["period"] == "M13"]
    rows = [
        factor(
            "price_index",
            "USD",
            "index",
            rec.value,
            "dimensionless",
            int(rec.year),
            "us_cpi",
            "Public domain",
            "US CPI-U all items (CUUR0000SA0), BLS annual average, 1982-84=100",
        )
        for rec in cpi.itertuples()
    ]
    hicp = pd.read_csv(data / "eurostat-hicp-annual-average/hicp_annual_average_2010_2025.csv")
    hicp = hicp[hicp["geo"] == "EA"]
    rows += [
        factor(
            "price_index",
            "EUR",
            "index",
            rec.hicp_all_items_annual_avg_2015eq100,
            "dimensionless",
            int(rec.year),
            "eurostat_hicp",
            "Eurostat: reuse with acknowledgement",
            f"euro-area HICP all items, 2015=100; {rec.method}",
        )
        for rec in hicp.itertuples()
    ]
    return rows


def build(data: Path) -> list[Output]:
    """The currency and price_index tables."""
    return [
        factor_output(
            "currency.csv",
            "currency",
            ECB_LICENCE,
            ("ecb_rates",),
            "USD per unit of currency, ECB annual averages",
            currency_rows(data),
        ),
        factor_output(
            "price_index.csv",
            "price_index",
            "Public domain; Eurostat",
            ("us_cpi", "eurostat_hicp"),
            "Consumer price indices per currency economy",
            price_rows(data),
        ),
    ]
