"""Rebuild the library from ../shared/data and pin values to the source files."""

from __future__ import annotations

import hashlib
import json

import openpyxl
import pandas as pd
import pytest

from lca.factors.build.runner import run
from lca.factors.library import read_library
from lca.paths import data_dir
from tests.conftest import SHARED_DATA, needs_shared_data

pytestmark = needs_shared_data
FACTORS = data_dir("factors")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("factors")
    run(SHARED_DATA, out)
    (out / "units.txt").write_bytes((FACTORS / "units.txt").read_bytes())
    return out


@pytest.fixture(scope="module")
def library():
    return read_library(FACTORS)


def value(library, table, key, indicator, year, unit=None):
    rows = library.select(table, indicator)
    rows = rows[(rows["key"] == key) & (rows["year"] == year)]
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    assert len(rows) == 1, (table, key, indicator, year, len(rows))
    return float(rows["value"].iloc[0])


def test_shipped_tables_equal_the_rebuild(rebuilt):
    manifest = json.loads((FACTORS / "manifest.json").read_text())
    for entry in manifest["files"]:
        assert (rebuilt / entry["path"]).read_bytes() == (FACTORS / entry["path"]).read_bytes(), (
            entry["path"]
        )
    assert (rebuilt / "manifest.json").read_bytes() == (FACTORS / "manifest.json").read_bytes()
    for name in ("library.arrow", "library.arrow.json", "units.json"):  # the prebuilt forms too
        assert (rebuilt / name).read_bytes() == (FACTORS / name).read_bytes(), name


def test_manifest_hashes_match_files():
    manifest = json.loads((FACTORS / "manifest.json").read_text())
    for entry in manifest["files"]:
        digest = hashlib.sha256((FACTORS / entry["path"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], entry["path"]
        assert entry["generated"] is True
    assert manifest["build_date"].isdigit() and manifest["sources"]["epa_sef"]["files"]


def test_grid_lifecycle_equals_owid(library):
    owid = pd.read_csv(SHARED_DATA / "owid-energy-data/owid-energy-data_subset-columns.csv")
    for iso3, iso2, year in (("FRA", "FR", 2023), ("DEU", "DE", 2024), ("IND", "IN", 2020)):
        row = owid[(owid["iso_code"] == iso3) & (owid["year"] == year)]
        expected = float(row["carbon_intensity_elec"].iloc[0]) / 1000
        assert value(library, "electricity", iso2, "gwp_lifecycle", year) == pytest.approx(
            expected, rel=1e-9
        )
    # IN has no published direct factor: OWID 2023 mix (CodeCarbon) × ADEME combustion factors
    # (coal 0.969, gas 0.351, oil 0.628 kgCO2e/kWh) × Ember lifecycle 2020 / 2023
    mix = json.loads((SHARED_DATA / "codecarbon/private_infra/global_energy_mix.json").read_text())[
        "IND"
    ]
    total = sum(
        mix[c]
        for c in (
            "coal_TWh",
            "gas_TWh",
            "oil_TWh",
            "nuclear_TWh",
            "hydroelectricity_TWh",
            "wind_TWh",
            "solar_TWh",
            "biofuel_TWh",
            "other_renewable_exc_biofuel_TWh",
        )
    )
    direct = (mix["coal_TWh"] * 0.969 + mix["gas_TWh"] * 0.351 + mix["oil_TWh"] * 0.628) / total
    lifecycle = owid[owid["iso_code"] == "IND"].set_index("year")["carbon_intensity_elec"]
    assert value(library, "electricity", "IN", "gwp", 2020) == pytest.approx(
        direct * lifecycle[2020] / lifecycle[2023], rel=1e-9
    )


def test_us_gwp_is_egrid_us_average(library):
    book = openpyxl.load_workbook(
        SHARED_DATA / "us-epa-ghg-emission-factors-hub/ghg-emission-factors-hub-2025.xlsx",
        read_only=True,
        data_only=True,
    )
    row = next(
        r for r in book["Emission Factors Hub"].iter_rows(values_only=True) if r[2] == "RFCE"
    )
    expected = (row[4] + row[5] * 28 + row[6] * 265) * 0.45359237 / 1000
    assert value(library, "electricity", "RFCE", "gwp", 2023) == pytest.approx(expected, rel=1e-8)


def test_desnz_diesel_and_uk_electricity(library):
    desnz = pd.read_csv(
        SHARED_DATA / "uk-desnz-ghg-conversion-factors/ghg-conversion-factors-2025-flat-format.csv",
        encoding="utf-8-sig",
    )
    diesel = desnz[
        (desnz["Level 1"] == "Fuels")
        & (desnz["Level 3"] == "Diesel (average biofuel blend)")
        & (desnz["UOM"] == "litres")
        & (desnz["GHG/Unit"] == "kg CO2e")
    ]
    expected = float(diesel["GHG Conversion Factor 2025"].iloc[0])
    assert value(library, "fuels", "diesel", "gwp", 2025, "kgCO2e/L") == expected == 2.57082
    assert value(library, "electricity", "GB", "gwp", 2025) == 0.177


def test_epa_naics_518210(library):
    sef = pd.read_csv(
        SHARED_DATA / "us-epa-supply-chain-ghg-factors/"
        "SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv",
        dtype={"2017 NAICS Code": str},
    ).set_index("2017 NAICS Code")
    expected = float(sef.loc["518210", "Supply Chain Emission Factors with Margins"])
    assert value(library, "spend", "518210", "gwp", 2022) == expected
    assert value(library, "spend", "hosting", "gwp", 2022) == expected


def test_r410a_from_composition(library):
    gwp = pd.read_csv(
        SHARED_DATA / "ipcc-gwp-openclimatedata/globalwarmingpotentials.csv", comment="#"
    ).set_index("Species")["AR6GWP100"]
    expected = 0.5 * gwp["HFC32"] + 0.5 * gwp["HFC125"]
    assert expected == 2255.5
    assert value(library, "gases", "R-410A", "gwp_ar6", 2021) == expected
    assert value(library, "gases", "R-410A", "gwp_ar5", 2013) == 1923.5


def test_hfo_blends_under_ar5_and_the_kyoto_split(library):
    # DESNZ 2025 (AR5 basis) gives R1234yf 1 kgCO2e/kg; HFC-32 is 677 in AR5, 771 in AR6.
    assert value(library, "gases", "R-1234yf", "gwp_ar5", 2013) == 1.0
    assert value(library, "gases", "R-454B", "gwp_ar5", 2013) == pytest.approx(
        0.689 * 677 + 0.311 * 1, rel=1e-9
    )
    assert value(library, "gases", "R-454B", "gwp_ar6_kyoto", 2021) == pytest.approx(
        0.689 * 771, rel=1e-9
    )
    assert value(library, "gases", "R-454B", "gwp_ar6_non_kyoto", 2021) == pytest.approx(
        0.311 * 0.501, rel=1e-9
    )
    # an HCFC lies wholly outside the Kyoto basket; a pure HFC blend has no split rows
    assert value(library, "gases", "R-22", "gwp_ar6_kyoto", 2021) == 0.0
    assert value(library, "gases", "R-22", "gwp_ar6_non_kyoto", 2021) == 1960.0
    assert not library.select("gases", "gwp_ar6_kyoto")["key"].eq("R-410A").any()


def test_ccf_cascade_lake(library):
    coef = pd.read_csv(SHARED_DATA / "ccf/app/compute_coefficients_by_microarchitecture.csv")
    row = coef[(coef["provider"] == "AWS") & (coef["processor"] == "Cascade Lake")].iloc[0]
    assert (
        value(library, "cloud", "aws:cascade_lake", "min_power", 2024) == row["min_watts"] == 0.64
    )
    assert (
        value(library, "cloud", "aws:cascade_lake", "max_power", 2024) == row["max_watts"] == 3.97
    )


def test_currency_cross_rate(library):
    ecb = pd.read_csv(
        SHARED_DATA / "ecb-euro-reference-rates/ecb_annual_average_rates_2010_2026.csv"
    )
    per_eur = ecb[ecb["year"] == 2023].set_index("currency")["units_per_eur"]
    assert value(library, "currency", "GBP", "usd_per_unit", 2023) == pytest.approx(
        per_eur["USD"] / per_eur["GBP"], rel=1e-9
    )
    assert value(library, "currency", "USD", "usd_per_unit", 2023) == 1.0
