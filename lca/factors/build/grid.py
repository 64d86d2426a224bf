"""Electricity per country (and eGRID subregion): ``electricity.csv`` and ``electricity_water_adpe.csv``.

Per ISO alpha-2 country and year (2015 onwards):

* ``gwp_lifecycle`` (kgCO2e/kWh) = Ember carbon intensity via OWID energy-data (lifecycle,
  production mix). Countries absent from OWID get Ember's latest year via co2.js.
* ``gwp`` (kgCO2e/kWh, scope 2 location-based, combustion only) = lifecycle × direct share, the
  direct share being Σ TWh_tech × direct_tech / Σ TWh_tech × lifecycle_tech with the OWID
  generation mix per country (CodeCarbon's copy, one year per country) and the IPCC AR5 WGIII
  Annex III technology factors (Electricity Maps defaults). Overrides: US 2023 = eGRID2023 US
  average (CO2 + CH4 + N2O with AR5 GWPs), GB 2025 = DESNZ 2025 UK electricity generation.
* ``gwp_upstream`` (kgCO2e/kWh, scope 3 cat 3) = (lifecycle − direct) + lifecycle × loss /
  (1 − loss), the T&D loss being EPA's grid gross loss for the US and the flagged default of
  ``curated/td_losses.csv`` elsewhere; GB 2025 = DESNZ WTT generation + T&D + WTT T&D.
* ``water`` (m³/kWh, WRI 2020) and ``adpe`` (kgSbeq/kWh, ADEME Base IMPACTS 2011) from
  EcoLogits, world fallback flagged in ``notes`` (kept in their own file: MPL-2.0).

eGRID subregions get ``gwp`` from EPA Hub Table 6 and ``gwp_upstream`` scaled with the US
national lifecycle/direct ratio.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lca.factors.build.common import (
    Output,
    factor,
    factor_output,
    g_to_kg,
    read_curated,
    rounded,
)
from lca.factors.build.countries import alpha3_to_alpha2
from lca.factors.build.desnz import desnz_factor
from lca.factors.build.egrid import egrid_table

FIRST_YEAR = 2015
UNIT = "kgCO2e/kWh"
#: OWID mix columns of CodeCarbon's file → technology names of the Electricity Maps table.
MIX_COLUMNS = {"coal_TWh": "coal", "gas_TWh": "gas", "oil_TWh": "oil", "nuclear_TWh": "nuclear",
               "hydroelectricity_TWh": "hydro", "wind_TWh": "wind", "solar_TWh": "solar",
               "biofuel_TWh": "biomass", "other_renewable_exc_biofuel_TWh": "geothermal"}
LIC = {"owid_energy": "CC-BY-4.0", "ember_latest": "CC-BY-4.0", "egrid_hub": "Public domain",
       "desnz_2025": "OGL-3.0"}


def owid_lifecycle(data: Path) -> pd.DataFrame:
    """alpha2, year, value (kgCO2e/kWh), source: Ember lifecycle intensity per country-year."""
    owid = pd.read_csv(data / "owid-energy-data/owid-energy-data_subset-columns.csv",
                       usecols=["iso_code", "year", "carbon_intensity_elec"])
    owid = owid.dropna()
    owid = owid[(owid["year"] >= FIRST_YEAR) & (owid["iso_code"].str.len() == 3)]
    to2 = alpha3_to_alpha2(data)
    frame = pd.DataFrame({"alpha2": owid["iso_code"].map(to2), "year": owid["year"],
                          "value": owid["carbon_intensity_elec"].map(g_to_kg),
                          "source": "owid_energy"}).dropna(subset=["alpha2"])
    latest = json.loads((data / "ember-latest-via-co2js/average-intensities.json").read_text())
    extra = [{"alpha2": to2[v["country_code"]], "year": v["year"],
              "value": g_to_kg(v["emissions_intensity_gco2_per_kwh"]), "source": "ember_latest"}
             for v in latest.values() if v["country_code"] in to2
             and to2[v["country_code"]] not in set(frame["alpha2"])]
    return pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)


def direct_shares(data: Path) -> tuple[dict[str, tuple[float, int]], float]:
    """Per alpha2 (direct/lifecycle share, mix year) and the world share (all countries' TWh)."""
    tech = pd.read_csv(data / "electricitymaps-default-emission-factors/"
                       "default_emission_factors_direct_vs_lifecycle.csv").set_index("mode")
    mix = json.loads((data / "codecarbon/private_infra/global_energy_mix.json").read_text())
    to2 = alpha3_to_alpha2(data)
    shares, world_direct, world_lc = {}, 0.0, 0.0
    for alpha3, row in sorted(mix.items()):
        direct = sum(row[c] * tech.at[t, "direct_gCO2eq_per_kWh"] for c, t in MIX_COLUMNS.items())
        lifecycle = sum(row[c] * tech.at[t, "lifecycle_gCO2eq_per_kWh"]
                        for c, t in MIX_COLUMNS.items())
        world_direct, world_lc = world_direct + direct, world_lc + lifecycle
        if lifecycle > 0 and alpha3 in to2:
            shares[to2[alpha3]] = (direct / lifecycle, int(row["year"]))
    return shares, world_direct / world_lc


def td_loss(country: str, egrid: pd.DataFrame) -> tuple[float, str]:
    """Grid loss share for a country and the note saying where it comes from."""
    if country == "US":
        loss = float(egrid.loc["US Average", "loss"])
        return loss, f"T&D loss {loss:.1%} = EPA eGRID2023 US grid gross loss"
    default = read_curated("td_losses.csv").set_index("key").loc["default"]
    return float(default["loss"]), (f"T&D loss {float(default['loss']):.0%} = flagged flat "
                                    "default (curated/td_losses.csv)")


def country_rows(data: Path) -> list[dict]:
    """gwp, gwp_lifecycle and gwp_upstream per country and year."""
    lifecycle = owid_lifecycle(data)
    shares, world_share = direct_shares(data)
    egrid = egrid_table(data)
    us_year = int(egrid.attrs["year"])
    us_lc = lifecycle.query("alpha2 == 'US' and year == @us_year")["value"].iloc[0]
    us_share = float(egrid.loc["US Average", "gwp"]) / us_lc
    rows = []
    for rec in lifecycle.sort_values(["alpha2", "year"]).itertuples():
        key, year, lc, src = rec.alpha2, int(rec.year), float(rec.value), rec.source
        share, mix_year = shares.get(key, (world_share, 0))
        mix_note = (f"OWID mix {mix_year} × IPCC AR5 direct/lifecycle technology factors"
                    if mix_year else "world mix (country not in the OWID mix file)")
        if key == "US":
            share, mix_note = us_share, f"eGRID{us_year} US direct / Ember lifecycle {us_year}"
        direct = rounded(lc * share)
        direct_src, direct_note = f"{src};codecarbon_mix;em_tech", (
            f"estimate: Ember lifecycle {year} × direct share {share:.4f} ({mix_note})")
        if key == "US" and year == us_year:
            direct = float(egrid.loc["US Average", "gwp"])
            direct_src, direct_note = "egrid_hub", egrid.attrs["note"]
        loss, loss_note = td_loss(key, egrid)
        upstream = rounded(max(lc - direct, 0.0) + lc * loss / (1 - loss))
        lic = LIC[src]
        rows += [
            factor("electricity", key, "gwp_lifecycle", lc, UNIT, year, src, lic,
                   f"Ember lifecycle carbon intensity {year} (production mix)"),
            factor("electricity", key, "gwp", direct, UNIT, year, direct_src,
                   f"{lic}; {LIC.get(direct_src, 'MIT; IPCC values')}", direct_note),
            factor("electricity", key, "gwp_upstream", upstream, UNIT, year,
                   f"{direct_src};{src}", lic,
                   f"(lifecycle − direct) + lifecycle × loss/(1−loss); {loss_note}"),
        ]
    return rows + uk_desnz_rows(data)


def uk_desnz_rows(data: Path) -> list[dict]:
    """GB 2025: DESNZ generation factor (scope 2) and WTT + T&D (scope 3 cat 3)."""
    gen = desnz_factor(data, "UK electricity", "Electricity: UK", "kWh")
    upstream = (desnz_factor(data, "WTT- UK electricity", "Electricity: UK", "kWh",
                             "WTT- UK electricity (generation)")
                + desnz_factor(data, "Transmission and distribution", "Electricity: UK", "kWh")
                + desnz_factor(data, "WTT- UK electricity", "Electricity: UK", "kWh",
                               "WTT- UK electricity (T&D)"))
    return [
        factor("electricity", "GB", "gwp", gen, UNIT, 2025, "desnz_2025", "OGL-3.0",
               "DESNZ 2025 UK electricity, generation (scope 2)"),
        factor("electricity", "GB", "gwp_upstream", rounded(upstream), UNIT, 2025, "desnz_2025",
               "OGL-3.0", "DESNZ 2025 WTT generation + T&D + WTT T&D"),
    ]


def subregion_rows(data: Path) -> list[dict]:
    """eGRID subregions: direct gwp and gwp_upstream (US national upstream ratio)."""
    egrid = egrid_table(data)
    year = int(egrid.attrs["year"])
    us_lc = owid_lifecycle(data).query("alpha2 == 'US'").set_index("year")["value"]
    lc_ratio = float(us_lc.get(year, us_lc.iloc[-1])) / float(egrid.loc["US Average", "gwp"])
    rows = []
    for key, rec in egrid.drop(index="US Average").iterrows():
        loss = float(rec["loss"]) if rec["loss"] == rec["loss"] else float(
            egrid.loc["US Average", "loss"])
        upstream = rounded(rec["gwp"] * (lc_ratio / (1 - loss) - 1))
        rows += [
            factor("electricity", key, "gwp", rec["gwp"], UNIT, year, "egrid_hub",
                   "Public domain", egrid.attrs["note"], region="US"),
            factor("electricity", key, "gwp_upstream", upstream, UNIT, year,
                   "egrid_hub;owid_energy", "Public domain; CC-BY-4.0",
                   f"direct × (US lifecycle/direct {lc_ratio:.4f} / (1 − loss {loss:.1%}) − 1)",
                   region="US"),
        ]
    return rows


def water_adpe_rows(data: Path) -> list[dict]:
    """water (m³/kWh) and adpe (kgSbeq/kWh) per country from EcoLogits, fallback flagged."""
    mixes = json.loads((data / "ecologits/pypi-0.11.3/electricity_mixes.json").read_text())
    to2 = alpha3_to_alpha2(data)
    rows = []
    for mix in mixes["electricity_mixes"]:
        key = "WORLD" if mix["name"] == "WOR" else to2.get(mix["name"])
        if key is None:
            continue
        warnings = set(mix["warnings"] or [])
        water_note = ("world default (no WRI value for the country)"
                      if "electricity-mix-wue-world" in warnings else "WRI 2020 country value")
        adpe_note = ("world default (no ADEME value for the country)"
                     if "electricity-mix-adpe-world" in warnings else "ADEME country value")
        rows += [
            factor("electricity", key, "water", rounded(mix["wue"] / 1000.0), "m**3/kWh", 2020,
                   "ecologits", "MPL-2.0; WRI", f"water consumed to generate; {water_note}"),
            factor("electricity", key, "adpe", mix["adpe"], "kgSbeq/kWh", 2011, "ecologits",
                   "MPL-2.0; ADEME Base IMPACTS (redistribution unclear)",
                   f"ADPe (CML ultimate reserves); {adpe_note}"),
        ]
    return rows


def build(data: Path) -> list[Output]:
    """The electricity factors: GHG per country/subregion, water and ADPe apart."""
    return [
        factor_output("electricity.csv", "electricity",
                      "CC-BY-4.0 (Ember/OWID); Public domain (EPA); OGL-3.0 (DESNZ)",
                      ("owid_energy", "ember_latest", "codecarbon_mix", "em_tech", "egrid_hub",
                       "desnz_2025", "curated"),
                      "Grid electricity GHG factors per country and eGRID subregion, yearly",
                      country_rows(data) + subregion_rows(data)),
        factor_output("electricity_water_adpe.csv", "electricity",
                      "MPL-2.0 (EcoLogits); WRI; ADEME Base IMPACTS", ("ecologits",),
                      "Water consumption and ADPe of electricity per country",
                      water_adpe_rows(data)),
    ]
