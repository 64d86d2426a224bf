"""The shipped factor library: loads, every row sourced, units and keys sane, coverage."""

from __future__ import annotations

import dataclasses
import math
import shutil

import pandas as pd
import pytest

from lca.errors import FactorLibraryError
from lca.factors.library import FACTOR_COLUMNS, read_library
from lca.paths import data_dir
from lca.units import has_dimension

FACTORS = data_dir("factors")


@pytest.fixture(scope="module")
def library():
    return read_library(FACTORS)


def test_library_loads_with_hashes_verified(library):
    assert library.version == "2026.1"
    assert set(library.tables) == {
        "cloud_regions",
        "cloud_replication",
        "cloud_instances",
        "compute_hardware_names",
        "countries",
        "dqi_rules",
        "gas_aliases",
        "grid_calibration",
        "tracker_regions",
        "genai_models",
        "genai_providers",
        "uncertainty_defaults",
    }
    assert len(library.factors) > 13_000


def test_uncertainty_defaults_follow_the_pedigree_formula(library):
    """σ of ln = √(Σ ln(uncertainty factor)²) / 2 (ecoinvent guideline), from the basic factor
    1.05 and the scores' factors: spend-based factors score 3, 3, 3, 4, 4."""
    table = library.table("uncertainty_defaults").set_index(["method", "quantity"])
    spend = table.loc[("spend_based", "factor")]
    logs = [math.log(f) for f in (1.05, 1.61, 1.04, 1.1, 1.11, 2.08)]
    assert spend["sigma_ln"] == pytest.approx(math.sqrt(sum(x * x for x in logs)) / 2, rel=1e-9)
    metered = table.loc[("measured", "activity")]  # all scores 1: the basic uncertainty only
    assert metered["sigma_ln"] == pytest.approx(math.log(1.05) / 2, rel=1e-9)
    methods = {"measured", "supplier_specific", "average_data", "spend_based", "estimated"}
    assert set(table.index) == {(m, q) for m in methods for q in ("activity", "factor")}


def test_a_broken_uncertainty_table_is_refused(tmp_path):
    shutil.copytree(FACTORS, tmp_path / "f")
    path = tmp_path / "f" / "uncertainty_defaults.csv"
    path.write_text(path.read_text().replace("lognormal,0.4435807459", "lognormal,-1"))
    with pytest.raises(FactorLibraryError, match="sigma_ln a number ≥ 0"):
        read_library(tmp_path / "f", verify_hashes=False)


@pytest.mark.parametrize("column", ["unit", "source", "year", "licence", "value", "notes"])
def test_every_factor_row_has_provenance(library, column):
    blank = library.factors[column].isna() | (library.factors[column].astype(str).str.strip() == "")
    assert not blank.any(), library.factors.loc[blank, "factor_id"].head().tolist()


def test_every_mapping_row_has_provenance(library):
    for name, frame in library.tables.items():
        for column in ("source", "licence", "year"):
            assert frame[column].notna().all() and (frame[column].str.strip() != "").all(), name


def test_a_missing_licence_is_refused(tmp_path):
    for entry in (FACTORS / "manifest.json", FACTORS / "units.txt", FACTORS / "heat.csv"):
        (tmp_path / entry.name).write_bytes(entry.read_bytes())
    manifest = pd.read_json(FACTORS / "manifest.json", typ="series")
    heat = pd.read_csv(FACTORS / "heat.csv", dtype=str, keep_default_na=False)
    heat.loc[0, "licence"] = ""
    heat.to_csv(tmp_path / "heat.csv", index=False)
    one = {**manifest.to_dict(), "files": [f for f in manifest["files"] if f["path"] == "heat.csv"]}
    (tmp_path / "manifest.json").write_text(pd.Series(one).to_json())
    with pytest.raises(FactorLibraryError, match="blank licence"):
        read_library(tmp_path, verify_hashes=False)


@pytest.mark.parametrize(
    ("table", "indicator", "reference"),
    [
        ("electricity", "gwp", "kgCO2e/kWh"),
        ("electricity", "water", "m**3/kWh"),
        ("fuels", "energy_content", "kWh/L"),
        ("gases", "gwp_ar6", "kgCO2e/kg"),
        ("equipment", "gwp", "kgCO2e/device"),
        ("cloud", "min_power", "W/vcpu"),
        ("currency", "usd_per_unit", "USD/EUR"),
        ("spend", "gwp", "kgCO2e/USD"),
        ("compute_hardware", "peak_flops", "FLOP/s"),
    ],
)
def test_units_have_the_expected_dimension(library, table, indicator, reference):
    units = library.select(table, indicator)["unit"].unique()
    assert len(units) >= 1
    if indicator in ("energy_content", "usd_per_unit", "min_power") or table == "spend":
        units = [u for u in units if u == reference]
    assert units and all(has_dimension(u, reference) for u in units)


def test_keys_unique(library):
    keys = ["table", "key", "indicator", "stage", "region", "year", "unit"]
    assert not library.factors.duplicated(keys).any()
    assert library.factors["factor_id"].is_unique
    assert list(library.factors.columns[: len(FACTOR_COLUMNS)]) == list(FACTOR_COLUMNS)


def test_at_least_200_electricity_countries(library):
    countries = library.select("electricity", "gwp")["key"]
    assert countries[countries.str.fullmatch(r"[A-Z]{2}")].nunique() >= 200


def test_gases_cover_25_refrigerants_in_three_ar_sets(library):
    gases = library.select("gases")
    refrigerants = gases[
        gases["key"].str.startswith("R-")
        & gases["indicator"].isin(["gwp_ar4", "gwp_ar5", "gwp_ar6"])
    ]
    per_key = refrigerants.groupby("key")["indicator"].nunique()
    assert (per_key == 3).sum() >= 25
    for key in ("CO2", "CH4", "CH4_fossil", "N2O", "NF3", "SF6", "R-410A", "HFC-134a"):
        assert key in set(gases["key"]), key


def test_cloud_regions_cover_source_lists(library):
    regions = library.table("cloud_regions")
    for provider, minimum in (("aws", 25), ("gcp", 40), ("azure", 56)):
        assert (regions["provider"] == provider).sum() >= minimum
    assert regions["country"].str.fullmatch(r"[A-Z]{2}").all()


def test_instances_microarchitecture_matches_coefficients(library):
    instances = library.table("cloud_instances")
    keys = set(library.select("cloud", "min_power")["key"])
    used = instances[instances["microarchitecture"].notna()]
    known = (used["provider"] + ":" + used["microarchitecture"]).isin(keys)
    assert known.mean() > 0.8  # the rest (Ice Lake, Graviton …) use <provider>:default
    for provider in ("aws", "gcp", "azure"):
        assert f"{provider}:default" in keys
    assert (instances["host_vcpu"].astype(int) >= instances["vcpu"].astype(int)).all()


def test_licences_listed_per_file(library):
    licences = {entry["path"]: entry["licence"] for entry in library.licences()}
    assert licences["electricity_zones_odbl.csv"] == "ODbL-1.0"
    assert licences["equipment_models_odbl.csv"] == "ODbL-1.0"
    assert "AGPL" in licences["equipment_boavizta_agpl.csv"]


def test_desnz_and_egrid_factors_converted_per_gas_to_ar6(library):
    """DESNZ 2024 UK electricity generated: 0.20705 kgCO2e/kWh = CO2 0.20493 + CH4 0.0009 +
    N2O 0.00122 (AR5, the full set's columns); on AR6 CH4 × 29.8/28 (fossil), N2O × 273/265."""
    from lca.factors.gwp import on_gwp_set

    values = library.factors.set_index("factor_id")["value"]
    assert [values[f"electricity:GB:gwp_{g}:2024"] for g in ("co2", "ch4", "n2o")] == [
        0.20493,
        0.0009,
        0.00122,
    ]
    converted = on_gwp_set(library, "AR6").factors.set_index("factor_id")["value"]
    assert converted["electricity:GB:gwp:2024:AR6"] == pytest.approx(
        0.20705 * (0.20493 + 0.0009 * 29.8 / 28 + 0.00122 * 273 / 265) / 0.20705, rel=1e-12
    )
    assert "electricity:GB:gwp:2024" not in converted.index  # the AR5 figure is not offered
    # eGRID2023 US average: CO2 + CH4 + N2O add up to the published AR5 total
    us = [values[f"electricity:US:gwp_{g}:2023"] for g in ("co2", "ch4", "n2o")]
    assert sum(us) == pytest.approx(values["electricity:US:gwp:2023"], rel=1e-9)
    assert on_gwp_set(library, "AR5") is library  # nothing to convert on the publishers' set


def test_a_library_made_from_another_never_reads_its_cached_slices(fixture_library):
    """``dataclasses.replace`` gives a library whose cache is its own: a slice picked from the
    first library's factors is not served for the second's (nor a value, nor a GWP set)."""
    grid = fixture_library.picked("electricity", "gwp", 2024)
    key = grid.index[0]
    value = fixture_library.value("electricity", key, "gwp", 2024)
    assert value is not None and value[0] == grid.at[key, "value"]
    factors = fixture_library.factors.copy()
    factors.loc[factors["factor_id"] == grid.at[key, "factor_id"], "value"] = value[0] * 2
    doubled = dataclasses.replace(fixture_library, factors=factors)
    assert doubled.picked("electricity", "gwp", 2024).at[key, "value"] == value[0] * 2
    assert doubled.value("electricity", key, "gwp", 2024)[0] == value[0] * 2
    assert fixture_library.value("electricity", key, "gwp", 2024) == value  # its own, kept
    with pytest.raises(ValueError, match="init=False"):
        dataclasses.replace(fixture_library, _cache={})
