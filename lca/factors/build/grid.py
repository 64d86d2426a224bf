"""Electricity per country (and eGRID subregion): ``electricity.csv``,
``electricity_water_adpe.csv`` and the calibration of the modelled direct factors,
``grid_calibration.csv``.

Per ISO alpha-2 country and year (2015 onwards):

* ``gwp_lifecycle`` (kgCO2e/kWh) = Ember carbon intensity via OWID energy-data (lifecycle,
  production mix). Countries absent from OWID get Ember's latest year via co2.js.
* ``gwp`` (kgCO2e/kWh, scope 2 location-based, combustion only), first that applies:

  1. **published**: the national publisher's own figure for that country and year — eGRID
     (US, the Hub edition named in the note), DESNZ (GB, one file per reporting year), ADEME
     Base Carbone (FR, "mix moyen consommation", post *Combustion à la centrale*), else the
     AIB production mix of the data year (European countries, CO2 only, via Green Algorithms);
  2. **anchored**: the nearest published year of the same country × Ember lifecycle(year) /
     Ember lifecycle(published year) (the country's own trend, the level of its publisher);
  3. **modelled**: the country's generation mix (OWID via CodeCarbon, one year per country) ×
     per-technology combustion factors (``curated/grid_technologies.csv``: ADEME Base Carbone
     per-technology production factors; biomass 0, biogenic) × Ember lifecycle(year) /
     Ember lifecycle(mix year); countries without a mix get the world mix's direct share of
     their lifecycle figure.

  ``grid_calibration.csv`` compares the model (3, and the same model with the Electricity Maps
  / IPCC AR5 technology factors) with every published figure of (1).
* ``gwp_upstream`` (kgCO2e/kWh, scope 3 cat 3) = generation upstream + T&D losses: DESNZ WTT
  generation + T&D + WTT T&D (GB), ADEME *Amont* + *Pertes* (FR), else the mix's per-technology
  upstream (ADEME *Amont* posts, biomass 230 g) scaled like the direct factor, plus
  (direct + upstream) × loss / (1 − loss), the loss being EPA's grid gross loss for the US and
  the World Bank's WDI EG.ELC.LOSS.ZS (IEA; % of output) of the country elsewhere
  (``curated/td_losses.csv``; the same year, else the latest earlier year, else the earliest
  later one; a value of 50 % or more is not read as a share of supply and, like a country
  without a value, takes the WDI world figure, said in the note).
* ``water`` (m³/kWh, WRI 2020) and ``adpe`` (kgSbeq/kWh, ADEME Base IMPACTS 2011) from
  EcoLogits (kept in their own file: MPL-2.0); the world ``adpe`` row is BoaviztAPI's world
  value 7.377e-8 (EcoLogits' own world default is 5× lower, below the median of the country
  values 8.2e-8); countries without their own ADPe fall back to it, disclosed.

eGRID subregions get ``gwp`` from EPA Hub Table 6 and ``gwp_upstream`` with the US national
upstream/direct ratio and their own grid gross loss.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lca.factors.build.ademe import base_carbone, element
from lca.factors.build.common import (
    Output,
    factor,
    factor_output,
    g_to_kg,
    mapping_output,
    read_curated,
    rounded,
)
from lca.factors.build.countries import alpha3_to_alpha2
from lca.factors.build.desnz import DESNZ_YEARS, desnz_electricity
from lca.factors.build.egrid import EGRID_EDITION, egrid_table
from lca.factors.coverage import ANCHORED, MODELLED

FIRST_YEAR = 2015
UNIT = "kgCO2e/kWh"
LIC = {
    "owid_energy": "CC-BY-4.0",
    "ember_latest": "CC-BY-4.0",
    "egrid_hub": "Public domain",
    "ademe_bc": "Licence Ouverte 2.0",
    "aib_production": "AIB via Green Algorithms (CC-BY-4.0)",
    "wdi_losses": "CC-BY-4.0 (World Bank WDI; IEA data)",
    **{f"desnz_{y}": "OGL-3.0" for y in DESNZ_YEARS},
}
MODEL_LICENCE = "CC-BY-4.0 (OWID mix, Ember); Licence Ouverte 2.0 (ADEME technologies)"
FR_MIX = "Electricité > Mix réseau électrique > France continentale > Moyen"


@dataclass(frozen=True)
class Published:
    """One published direct factor (kgCO2e/kWh) with its source id and note."""

    value: float
    source: str
    note: str
    upstream: float | None = None  # published generation upstream + T&D, when there is one
    gases: dict[str, float] | None = None  # the publisher's split (kgCO2e of CO2, CH4, N2O)


#: The gases of a published direct factor's split: indicators ``gwp_co2``, ``gwp_ch4``,
#: ``gwp_n2o`` beside ``gwp`` (what ``lca.factors.gwp`` converts and splits by gas).
SPLIT_GASES = ("CO2", "CH4", "N2O")


def split_rows(
    key: str, year: int, gases: dict[str, float], source: str, licence: str, note: str, **kw
) -> list[dict]:
    """The ``gwp_<gas>`` rows of a published direct factor's split by gas."""
    return [
        factor(
            "electricity",
            key,
            f"gwp_{gas.lower()}",
            gases[gas],
            UNIT,
            year,
            source,
            licence,
            f"{note}; kgCO2e of {gas} per kWh",
            **kw,
        )
        for gas in SPLIT_GASES
    ]


def owid_lifecycle(data: Path) -> pd.DataFrame:
    """alpha2, year, value (kgCO2e/kWh), source: Ember lifecycle intensity per country-year."""
    owid = pd.read_csv(
        data / "owid-energy-data/owid-energy-data_subset-columns.csv",
        usecols=["iso_code", "year", "carbon_intensity_elec"],
    )
    owid = owid.dropna()
    owid = owid[(owid["year"] >= FIRST_YEAR) & (owid["iso_code"].str.len() == 3)]
    to2 = alpha3_to_alpha2(data)
    frame = pd.DataFrame(
        {
            "alpha2": owid["iso_code"].map(to2),
            "year": owid["year"],
            "value": owid["carbon_intensity_elec"].map(g_to_kg),
            "source": "owid_energy",
        }
    ).dropna(subset=["alpha2"])
    latest = json.loads((data / "ember-latest-via-co2js/average-intensities.json").read_text())
    extra = [
        {
            "alpha2": to2[v["country_code"]],
            "year": v["year"],
            "value": g_to_kg(v["emissions_intensity_gco2_per_kwh"]),
            "source": "ember_latest",
        }
        for v in latest.values()
        if v["country_code"] in to2 and to2[v["country_code"]] not in set(frame["alpha2"])
    ]
    return pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)


def technologies(data: Path) -> pd.DataFrame:
    """Per technology: mix_column, direct and upstream (kgCO2e/kWh generated), and the
    Electricity Maps / IPCC AR5 direct factor (for the calibration's second model)."""
    em = pd.read_csv(
        data / "electricitymaps-default-emission-factors/"
        "default_emission_factors_direct_vs_lifecycle.csv"
    ).set_index("mode")
    rows = []
    for rec in read_curated("grid_technologies.csv").itertuples():
        em_direct = g_to_kg(em.at[rec.technology, "direct_gCO2eq_per_kWh"])
        if rec.ademe_id:
            total, posts = element(data, rec.ademe_id)
            direct = posts.get("Combustion", 0.0)
            upstream = posts.get("Amont", total - direct)
        else:
            direct = em_direct
            upstream = g_to_kg(em.at[rec.technology, "lifecycle_gCO2eq_per_kWh"]) - direct
        rows.append(
            {
                "technology": rec.technology,
                "mix_column": rec.mix_column,
                "kind": rec.kind,
                "direct": direct,
                "upstream": upstream,
                "em_direct": em_direct,
            }
        )
    return pd.DataFrame(rows).set_index("technology")


def mix_model(data: Path) -> tuple[pd.DataFrame, pd.Series]:
    """Per alpha2: mix year, direct, upstream and EM-direct per kWh generated (the mix ×
    technology factors), plus the same for the world (sum of every country's TWh)."""
    tech = technologies(data)
    mix = json.loads((data / "codecarbon/private_infra/global_energy_mix.json").read_text())
    to2 = alpha3_to_alpha2(data)
    twh = pd.DataFrame(
        {
            alpha3: {t: float(row[c]) for t, c in tech["mix_column"].items()}
            for alpha3, row in mix.items()
        }
    ).T.fillna(0.0)
    kinds = pd.get_dummies(tech["kind"]).astype("float64")
    per_country = pd.DataFrame(
        {
            "total_twh": twh.sum(axis=1),
            "direct": twh @ tech["direct"],
            "upstream": twh @ tech["upstream"],
            "em_direct": twh @ tech["em_direct"],
            **{f"share_{kind}": twh @ kinds[kind] for kind in sorted(kinds.columns)},
            "year": pd.Series({a3: int(row["year"]) for a3, row in mix.items()}),
        }
    )
    world = per_country[["total_twh", "direct", "upstream", "em_direct"]].sum()
    per_country = per_country[(per_country["total_twh"] > 0) & per_country.index.isin(list(to2))]
    for column in ("direct", "upstream", "em_direct", *(f"share_{k}" for k in kinds.columns)):
        per_country[column] = per_country[column] / per_country["total_twh"]
    per_country.index = per_country.index.map(to2)
    return per_country, world[["direct", "upstream", "em_direct"]] / world["total_twh"]


def ademe_france(data: Path) -> dict[int, Published]:
    """FR per year: ADEME 'mix moyen consommation' combustion post, with Amont + Pertes."""
    table = base_carbone(data)
    elements = table[
        (table["category"] == FR_MIX)
        & (table["line"] == "Elément")
        & table["attribute"].str.endswith("mix moyen")
    ]
    out = {}
    for ident, attribute in zip(elements["id"], elements["attribute"], strict=True):
        year = int(attribute[:4])
        if year < FIRST_YEAR:
            continue
        total, posts = element(data, ident)
        losses = posts.get("Transport et distribution", 0.0)
        out[year] = Published(
            posts["Combustion à la centrale"],
            "ademe_bc",
            f"ADEME Base Carbone V23.6 element {ident} Electricité {attribute} consommation, "
            f"France continentale: post Combustion à la centrale (total {total:g})",
            rounded(posts["Amont"] + losses),
        )
    return out


def aib_production(data: Path) -> dict[str, float]:
    """AIB production mix 2020 (gCO2/kWh → kg) per alpha2, as carried by Green Algorithms."""
    table = pd.read_csv(data / "green-algorithms/CI_aggregated.csv", skiprows=1)
    table = table[table["source"].str.contains("Association of Issuing Bodies", na=False)]
    return {rec.location: g_to_kg(rec.carbonIntensity) for rec in table.itertuples()}


AIB_YEAR = 2020


def published_direct(data: Path) -> dict[tuple[str, int], Published]:
    """Every published direct factor per (alpha2, year); national publishers win over AIB."""
    out = {
        (key, AIB_YEAR): Published(
            value,
            "aib_production",
            f"AIB production mix {AIB_YEAR} (CO2 only, direct), published "
            "2021, as carried by Green Algorithms v3.0 CI_aggregated.csv",
        )
        for key, value in aib_production(data).items()
    }
    out |= {("FR", year): pub for year, pub in ademe_france(data).items()}
    for year in DESNZ_YEARS:
        gen, upstream, note, gases = desnz_electricity(data, year)
        out[("GB", year)] = Published(gen, f"desnz_{year}", note, upstream, gases)
    egrid = egrid_table(data)
    us = egrid.loc["US Average"]
    out[("US", int(egrid.attrs["year"]))] = Published(
        float(us["gwp"]),
        "egrid_hub",
        egrid.attrs["note"],
        gases={gas: float(us[gas]) for gas in SPLIT_GASES},
    )
    return out


#: A WDI loss at or above this share of output is not read as a share of the supply reaching
#: consumers (WDI divides by domestic output, which inflates it for net importers: Benin 84 %).
IMPLAUSIBLE_LOSS = 0.5


@lru_cache(maxsize=2)
def wdi_losses(data: Path) -> dict[str, dict[int, float]]:
    """World Bank WDI EG.ELC.LOSS.ZS per alpha2 (and ``WORLD``) and year, as shares (the
    published percent / 100), from ``curated/td_losses.csv``."""
    to2 = {**alpha3_to_alpha2(data), "WLD": "WORLD"}
    out: dict[str, dict[int, float]] = {}
    for rec in read_curated("td_losses.csv").itertuples():
        out.setdefault(to2[rec.country_code], {})[int(rec.year)] = float(rec.loss_percent) / 100
    return out


def _wdi_year(series: dict[int, float], year: int) -> int | None:
    """The WDI year used for ``year``: itself, else the latest earlier, else the earliest later
    year with a plausible value."""
    usable = sorted(y for y, v in series.items() if v < IMPLAUSIBLE_LOSS)
    earlier = [y for y in usable if y <= year]
    return earlier[-1] if earlier else (usable[0] if usable else None)


def td_loss(data: Path, country: str, year: int, egrid: pd.DataFrame) -> tuple[float, str, str]:
    """Grid loss share for a country and year, the note saying where it comes from and its
    source id."""
    if country == "US":
        loss = float(egrid.loc["US Average", "loss"])
        return loss, f"T&D loss {loss:.1%} = EPA {EGRID_EDITION} US grid gross loss", "egrid_hub"
    losses = wdi_losses(data)
    series = losses.get(country, {})
    used = _wdi_year(series, year)
    if used is not None:
        loss = series[used]
        note = f"T&D loss {loss:.2%} = World Bank WDI EG.ELC.LOSS.ZS {country} {used}"
        skipped = sorted(y for y, v in series.items() if used < y <= year)
        if skipped:
            note += (
                f" (its {skipped[0]}–{skipped[-1]} values are ≥ {IMPLAUSIBLE_LOSS:.0%} of "
                "output, not read as a share of supply)"
            )
        return loss, note, "wdi_losses"
    world = losses["WORLD"]
    used = _wdi_year(world, year)
    assert used is not None, "the WDI world series has a value"
    reason = (
        f"its WDI values are ≥ {IMPLAUSIBLE_LOSS:.0%} of output, not a share of supply"
        if series
        else "no WDI value for the country"
    )
    note = (
        f"T&D loss {world[used]:.2%} = World Bank WDI EG.ELC.LOSS.ZS world {used} "
        f"(fallback: {reason})"
    )
    return world[used], note, "wdi_losses"


def nearest(years: list[int], year: int) -> int:
    """The published year closest to ``year`` (the later one on a tie)."""
    return min(years, key=lambda y: (abs(y - year), -y))


def country_rows(data: Path) -> list[dict]:
    """gwp, gwp_lifecycle and gwp_upstream per country and year (a fresh list of the rows)."""
    return [dict(row) for row in _country_rows(data)]


@lru_cache(maxsize=2)
def _country_rows(data: Path) -> tuple[dict, ...]:
    lifecycle = owid_lifecycle(data)
    lc = lifecycle.set_index(["alpha2", "year"])["value"]
    model, world = mix_model(data)
    published = published_direct(data)
    by_country: dict[str, list[int]] = {}
    for key, year in published:
        by_country.setdefault(key, []).append(year)
    egrid = egrid_table(data)
    world_lc = world["direct"] + world["upstream"]
    rows = []
    keys = sorted(set(lifecycle["alpha2"]) | {k for k, _ in published})
    for key in keys:
        years = sorted(
            set(lifecycle.loc[lifecycle["alpha2"] == key, "year"].astype(int))
            | set(by_country.get(key, []))
        )
        for year in years:
            here = lc.get((key, year))
            src = lifecycle.loc[
                (lifecycle["alpha2"] == key) & (lifecycle["year"] == year), "source"
            ]
            src = src.iloc[0] if len(src) else "owid_energy"
            if here is not None:
                rows.append(
                    factor(
                        "electricity",
                        key,
                        "gwp_lifecycle",
                        here,
                        UNIT,
                        year,
                        src,
                        LIC[src],
                        f"Ember lifecycle carbon intensity {year} (production mix)",
                    )
                )

            def trend(base_year: int, _key=key, _here=here) -> float | None:
                base = lc.get((_key, base_year))
                return None if _here is None or base is None or base == 0 else _here / base

            # generation upstream per kWh: modelled from the mix, scaled like the direct factor
            if key in model.index:
                m = model.loc[key]
                scale = trend(int(m["year"])) or 1.0
                up_gen, model_direct = m["upstream"] * scale, m["direct"] * scale
                model_note = f"OWID mix {int(m['year'])} × ADEME technology factors" + (
                    f" × Ember lifecycle {year}/{int(m['year'])}" if scale != 1.0 else ""
                )
            elif here is not None:
                up_gen = here * world["upstream"] / world_lc
                model_direct = here * world["direct"] / world_lc
                model_note = (
                    f"Ember lifecycle {year} × world-mix direct share "
                    f"{world['direct'] / world_lc:.4f} (country not in the mix file)"
                )
            else:
                continue
            pub = published.get((key, year))
            if pub is not None:
                direct, direct_src, lic, note = pub.value, pub.source, LIC[pub.source], pub.note
            elif key in by_country and (ratio := trend(nearest(by_country[key], year))):
                base_year = nearest(by_country[key], year)
                base = published[(key, base_year)]
                direct = base.value * ratio
                direct_src = f"{base.source};{src}"
                lic = f"{LIC[base.source]}; {LIC[src]}"
                note = (
                    f"{ANCHORED}: {base.source} {base_year} {base.value:g} × Ember "
                    f"lifecycle {year}/{base_year}"
                )
            else:
                direct, direct_src, lic = (
                    model_direct,
                    f"{src};codecarbon_mix;ademe_bc",
                    MODEL_LICENCE,
                )
                note = f"{MODELLED}: {model_note}"
            direct = rounded(direct)
            rows.append(
                factor("electricity", key, "gwp", direct, UNIT, year, direct_src, lic, note)
            )
            if pub is not None and pub.gases is not None:
                rows += split_rows(key, year, pub.gases, direct_src, lic, note)
            if pub is not None and pub.upstream is not None:
                rows.append(
                    factor(
                        "electricity",
                        key,
                        "gwp_upstream",
                        pub.upstream,
                        UNIT,
                        year,
                        pub.source,
                        LIC[pub.source],
                        "published generation upstream + T&D losses",
                    )
                )
                continue
            loss, loss_note, loss_src = td_loss(data, key, year, egrid)
            upstream = rounded(up_gen + (direct + up_gen) * loss / (1 - loss))
            rows.append(
                factor(
                    "electricity",
                    key,
                    "gwp_upstream",
                    upstream,
                    UNIT,
                    year,
                    f"{src};codecarbon_mix;ademe_bc;{loss_src}",
                    f"{MODEL_LICENCE}; {LIC[loss_src]}",
                    f"generation upstream ({model_note}) + (direct + upstream) × "
                    f"loss/(1−loss); {loss_note}",
                )
            )
    return tuple(rows)


def direct_shares(data: Path) -> tuple[dict[str, dict[int, float]], float]:
    """Per alpha2 and year, the shipped direct factor / Ember lifecycle (for sub-national zones),
    and the world mix's modelled direct share."""
    values: dict[tuple[str, int], dict[str, float]] = {}
    for row in country_rows(data):
        values.setdefault((row["key"], row["year"]), {})[row["indicator"]] = row["value"]
    shares: dict[str, dict[int, float]] = {}
    for (key, year), v in sorted(values.items()):
        if v.get("gwp_lifecycle") and "gwp" in v:
            shares.setdefault(key, {})[year] = rounded(v["gwp"] / v["gwp_lifecycle"])
    _, world = mix_model(data)
    return shares, rounded(world["direct"] / (world["direct"] + world["upstream"]))


def subregion_rows(data: Path, national: list[dict]) -> list[dict]:
    """eGRID subregions: direct gwp and gwp_upstream (US national upstream/direct ratio)."""
    egrid = egrid_table(data)
    year = int(egrid.attrs["year"])
    us = {r["indicator"]: r["value"] for r in national if r["key"] == "US" and r["year"] == year}
    us_loss = float(egrid.loc["US Average", "loss"])
    # generation upstream per kWh of direct, from the national row: upstream = g + (d+g)·l/(1−l)
    gen_up = us["gwp_upstream"] * (1 - us_loss) - us["gwp"] * us_loss
    ratio = gen_up / us["gwp"]
    rows = []
    for key, rec in egrid.drop(index="US Average").iterrows():
        loss = float(rec["loss"]) if rec["loss"] == rec["loss"] else us_loss
        upstream = rounded(rec["gwp"] * (ratio + (1 + ratio) * loss / (1 - loss)))
        rows += [
            factor(
                "electricity",
                key,
                "gwp",
                rec["gwp"],
                UNIT,
                year,
                "egrid_hub",
                "Public domain",
                egrid.attrs["note"],
                region="US",
            ),
            *split_rows(
                key,
                year,
                {gas: float(rec[gas]) for gas in SPLIT_GASES},
                "egrid_hub",
                "Public domain",
                egrid.attrs["note"],
                region="US",
            ),
            factor(
                "electricity",
                key,
                "gwp_upstream",
                upstream,
                UNIT,
                year,
                "egrid_hub;codecarbon_mix;ademe_bc",
                "Public domain; " + MODEL_LICENCE,
                f"direct × (US generation upstream/direct {ratio:.4f} + (1 + ratio) × "
                f"loss {loss:.1%}/(1 − loss))",
                region="US",
            ),
        ]
    return rows


def calibration(data: Path) -> pd.DataFrame:
    """The model's direct factor (ADEME and Electricity Maps technology factors) against every
    published direct figure, per country and year."""
    lc = owid_lifecycle(data).set_index(["alpha2", "year"])["value"]
    model, _ = mix_model(data)
    rows = []
    for (key, year), pub in sorted(published_direct(data).items()):
        if key not in model.index:
            continue
        m = model.loc[key]
        here, base = lc.get((key, year)), lc.get((key, int(m["year"])))
        scale = here / base if here is not None and base else 1.0
        value, em_value = rounded(m["direct"] * scale), rounded(m["em_direct"] * scale)
        rows.append(
            {
                "country": key,
                "year": year,
                "publisher": pub.source,
                "published_kgco2e_per_kwh": pub.value,
                "model_kgco2e_per_kwh": value,
                "model_error": rounded(value / pub.value - 1) if pub.value else float("nan"),
                "em_model_kgco2e_per_kwh": em_value,
                "em_model_error": rounded(em_value / pub.value - 1) if pub.value else float("nan"),
                "mix_year": int(m["year"]),
                "source": f"{pub.source};codecarbon_mix;ademe_bc;em_tech",
                "licence": f"{LIC[pub.source]}; {MODEL_LICENCE}",
            }
        )
    return pd.DataFrame(rows)


def world_adpe(data: Path) -> float:
    """BoaviztAPI's world (WOR) ADPe of electricity, kgSbeq/kWh (ADEME Base IMPACTS 2011)."""
    table = pd.read_csv(
        data / "boavizta-boaviztapi-factors/electricity_factors_by_country_long.csv"
    )
    values = table.loc[(table["zone"] == "WOR") & (table["indicator"] == "adpe"), "value"]
    return float(values.unique()[0])


def mix_share_rows(data: Path) -> list[dict]:
    """Fossil, nuclear and renewable shares of each country's generation (mix year), for the
    ESRS E1-5 split of purchased electricity."""
    model, _ = mix_model(data)
    rows = []
    for key, rec in model.sort_index().iterrows():
        for column in [c for c in model.columns if c.startswith("share_")]:
            rows.append(
                factor(
                    "electricity",
                    key,
                    column,
                    rounded(rec[column]),
                    "dimensionless",
                    int(rec["year"]),
                    "codecarbon_mix",
                    "CC-BY-4.0 (OWID via CodeCarbon)",
                    f"{column[6:]} share of generation {int(rec['year'])}"
                    " (OWID; production mix, imports not traced)",
                )
            )
    return rows


def water_adpe_rows(data: Path) -> list[dict]:
    """water (m³/kWh) and adpe (kgSbeq/kWh) per country from EcoLogits; the world adpe is
    BoaviztAPI's world value (EcoLogits' world default, 5× lower, is not used, nor copied to the
    countries that lack a value: those fall back to the world row, disclosed)."""
    mixes = json.loads((data / "ecologits/pypi-0.11.3/electricity_mixes.json").read_text())
    to2 = alpha3_to_alpha2(data)
    rows, own_adpe = [], []
    for mix in mixes["electricity_mixes"]:
        key = "WORLD" if mix["name"] == "WOR" else to2.get(mix["name"])
        if key is None:
            continue
        warnings = set(mix["warnings"] or [])
        water_note = (
            "world default (no WRI value for the country)"
            if "electricity-mix-wue-world" in warnings
            else "WRI 2020 country value"
        )
        rows.append(
            factor(
                "electricity",
                key,
                "water",
                rounded(mix["wue"] / 1000.0),
                "m**3/kWh",
                2020,
                "ecologits",
                "MPL-2.0; WRI",
                f"water consumed to generate; {water_note}",
            )
        )
        if key != "WORLD" and "electricity-mix-adpe-world" not in warnings:
            own_adpe.append(mix["adpe"])
            rows.append(
                factor(
                    "electricity",
                    key,
                    "adpe",
                    mix["adpe"],
                    "kgSbeq/kWh",
                    2011,
                    "ecologits",
                    "MPL-2.0; ADEME Base IMPACTS (redistribution unclear)",
                    "ADPe (CML ultimate reserves); ADEME country value",
                )
            )
    median = pd.Series(own_adpe).median()
    rows.append(
        factor(
            "electricity",
            "WORLD",
            "adpe",
            world_adpe(data),
            "kgSbeq/kWh",
            2011,
            "boaviztapi_elec",
            "AGPL-3.0 (BoaviztAPI); ADEME Base IMPACTS",
            f"ADPe (CML ultimate reserves); BoaviztAPI world (WOR) value, ADEME Base "
            f"IMPACTS 2011; the median of the {len(own_adpe)} country values is "
            f"{median:.4g}; EcoLogits' world default 1.349e-08 is not used",
        )
    )
    return rows


def build(data: Path) -> list[Output]:
    """The electricity factors: GHG per country/subregion, water and ADPe apart, calibration."""
    national = country_rows(data)
    sources = (
        "owid_energy",
        "ember_latest",
        "codecarbon_mix",
        "ademe_bc",
        "egrid_hub",
        "aib_production",
        "curated",
        "wdi_losses",
        *(f"desnz_{y}" for y in DESNZ_YEARS),
    )
    return [
        factor_output(
            "electricity.csv",
            "electricity",
            "CC-BY-4.0 (Ember/OWID); Public domain (EPA); OGL-3.0 (DESNZ); Licence "
            "Ouverte 2.0 (ADEME); AIB via Green Algorithms",
            sources,
            "Grid electricity GHG factors per country and eGRID subregion, yearly",
            national + subregion_rows(data, national) + mix_share_rows(data),
        ),
        factor_output(
            "electricity_water_adpe.csv",
            "electricity",
            "MPL-2.0 (EcoLogits); WRI; ADEME Base IMPACTS; AGPL-3.0 (BoaviztAPI world ADPe)",
            ("ecologits", "boaviztapi_elec"),
            "Water consumption and ADPe of electricity per country",
            water_adpe_rows(data),
        ),
        mapping_output(
            "grid_calibration.csv",
            "grid_calibration",
            "CC-BY-4.0; Licence Ouverte 2.0; OGL-3.0; Public domain",
            (*sources, "em_tech"),
            "Modelled direct grid factors against the publishers' own figures",
            calibration(data),
            ["country", "year", "publisher"],
        ),
    ]
