"""Per-category equipment defaults, in three files by licence (one source per value).

* ``equipment_pcf_odbl.csv`` (ODbL): medians over the Boavizta manufacturer PCFs per category:
  ``gwp`` stage manufacturing = median embodied (kgCO2e/device, all stages but use), its note
  saying why the PCF median was kept against BoaviztAPI's archetype and ADEME Base Carbone
  (``curated/equipment_defaults.csv``, their values quoted); ``gwp_low`` / ``gwp_high`` = 10th
  and 90th percentiles of the same PCFs (the spread behind the median, for the uncertainty
  work; categories of at least 5 PCFs), ``lifetime`` (year) and ``annual_energy`` (kWh/year) =
  medians of the declared values; ``gwp`` stage end_of_life = median declared weight (kg) ×
  the ADEME Base Carbone WEEE treatment factor of the category's stream (kgCO2e per tonne,
  "Impacts" only: avoided impacts of recycling are never deducted from a scope 3 category),
  streams per ``curated/weee_streams.csv``. It serves devices whose embodied factor is not a
  manufacturer PCF (a PCF already holds its end of life).
* ``equipment_boavizta_agpl.csv`` (AGPL-3.0, values from ADEME Base Empreinte/NegaOctet via
  BoaviztAPI): ``adpe`` stage manufacturing (kgSbeq/device) of the device archetypes.
* ``equipment.csv``: ``gpu_server`` manufacturing ``gwp`` = median CCF host-platform embodied
  emissions of GPU instances (Apache-2.0) and its ``lifetime`` (CCF 35 040 h); ``refurbished``
  ``refurbished_factor`` (``curated/refurbished.csv``, a documented assumption).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lca.factors.build.ademe import base_carbone, element
from lca.factors.build.cloud_mappings import instance_table
from lca.factors.build.common import Output, factor, factor_output, read_curated, rounded
from lca.factors.build.pcf import LICENCE, pcf_table

#: BoaviztAPI archetype (Category, type) → our category.
BOAVIZTA_DEVICES = {
    ("Laptop", "pro"): "laptop",
    ("Desktop", "pro"): "desktop",
    ("Monitor", ""): "monitor",
    ("Smartphone", ""): "smartphone",
    ("Tablet", ""): "tablet",
    ("Server", ""): "server",
}
PCF_YEAR = 2023


#: Fewest PCFs behind a category for its 10th-90th percentile spread to be published.
MIN_PCFS_FOR_SPREAD = 5


def default_notes(data: Path) -> dict[str, str]:
    """Per category, why the PCF median is the default, with BoaviztAPI's and ADEME's values."""
    archetypes = pd.read_csv(
        data / "boavizta/boaviztapi/crowdsourcing/ademe_base_impacts_negaoctet.csv",
        dtype=str,
        keep_default_na=False,
    )
    boavizta = {
        f"{r.Category} {r.type}".strip(): float(r.GWP.replace(",", "."))
        for r in archetypes.itertuples()
    }
    notes = {}
    for rec in read_curated("equipment_defaults.csv").itertuples():
        compared = []
        if rec.boaviztapi_archetype:
            compared.append(
                f"BoaviztAPI archetype {rec.boaviztapi_archetype} "
                f"{boavizta[rec.boaviztapi_archetype]:g} kg"
            )
        if rec.ademe_id:
            total, _ = element(data, rec.ademe_id)
            compared.append(f"ADEME Base Carbone element {rec.ademe_id} {total:g} kg")
        notes[rec.category] = rec.reason + (f" ({'; '.join(compared)})" if compared else "")
    return notes


def pcf_rows(data: Path) -> list[dict]:
    """Median embodied gwp (its choice justified) with its 10th-90th percentile spread,
    lifetime and annual energy per category."""
    pcf = pcf_table(data)
    why = default_notes(data)
    rows = []
    for category, group in pcf.groupby("our_category"):
        embodied = group["embodied"].dropna()
        if len(embodied) >= MIN_PCFS_FOR_SPREAD:
            for indicator, share, rank in (("gwp_low", 0.1, "10th"), ("gwp_high", 0.9, "90th")):
                rows.append(
                    factor(
                        "equipment",
                        category,
                        indicator,
                        rounded(embodied.quantile(share)),
                        "kgCO2e/device",
                        PCF_YEAR,
                        "boavizta_pcf",
                        LICENCE,
                        f"{rank} percentile (linear) of {len(embodied)} manufacturer PCFs "
                        f"(embodied), the spread behind the median; min {embodied.min():g}, "
                        f"max {embodied.max():g}",
                        stage="manufacturing",
                    )
                )
        for column, indicator, unit, stage in (
            ("embodied", "gwp", "kgCO2e/device", "manufacturing"),
            ("lifetime", "lifetime", "year", ""),
            ("yearly_tec", "annual_energy", "kWh/year", ""),
        ):
            values = group[column].dropna()
            if values.empty:
                continue
            rows.append(
                factor(
                    "equipment",
                    category,
                    indicator,
                    rounded(values.median()),
                    unit,
                    PCF_YEAR,
                    "boavizta_pcf",
                    LICENCE,
                    f"median of {len(values)} manufacturer PCFs ({column}; "
                    "embodied = gwp_total × (1 − use ratio)); " + why[category]
                    if column == "embodied"
                    else f"median of {len(values)} manufacturer declarations",
                    stage=stage,
                )
            )
    return rows


def weee_rows(data: Path) -> list[dict]:
    """End of life per device: median PCF weight × ADEME WEEE treatment factor of its stream."""
    pcf = pcf_table(data)
    ademe = base_carbone(data).set_index("id")
    rows = []
    for rec in read_curated("weee_streams.csv").itertuples():
        weights = pcf.loc[pcf["our_category"] == rec.category, "weight"].dropna()
        element = ademe.loc[[rec.ademe_id]]
        element = element[element["line"] == "Elément"]
        if weights.empty or len(element) != 1 or "tonne" not in element["unit"].iloc[0]:
            raise ValueError(f"weee_streams.csv: no weight or per-tonne factor for {rec}")
        per_tonne = float(element["value"].iloc[0])
        kg = float(weights.median())
        rows.append(
            factor(
                "equipment",
                rec.category,
                "gwp",
                rounded(kg * per_tonne / 1000),
                "kgCO2e/device",
                PCF_YEAR,
                "boavizta_pcf;ademe_bc",
                f"{LICENCE}; Licence Ouverte 2.0",
                f"median weight {kg:g} kg of {len(weights)} manufacturer PCFs × ADEME Base "
                f"Carbone {rec.ademe_id} WEEE {rec.stream}, average end of life in the EPR "
                f"scheme, impacts {per_tonne:g} kgCO2e/t (avoided impacts not deducted); "
                f"stream: {rec.source}",
                stage="end_of_life",
            )
        )
    return rows


def boavizta_rows(data: Path) -> list[dict]:
    """ADPe per device archetype (BoaviztAPI, ADEME Base Empreinte)."""
    table = pd.read_csv(
        data / "boavizta/boaviztapi/crowdsourcing/ademe_base_impacts_negaoctet.csv",
        dtype=str,
        keep_default_na=False,
    )
    rows = []
    for rec in table.itertuples():
        category = BOAVIZTA_DEVICES.get((rec.Category, rec.type))
        if category is None:
            continue
        rows.append(
            factor(
                "equipment",
                category,
                "adpe",
                float(rec.ADPe.replace(",", ".")),
                "kgSbeq/device",
                2025,
                "boaviztapi",
                "AGPL-3.0 (BoaviztAPI); ADEME Base Empreinte",
                f"BoaviztAPI archetype {rec.Category} {rec.type}".strip(),
                stage="manufacturing",
            )
        )
    return rows


def other_rows(data: Path) -> list[dict]:
    """gpu_server from CCF, and the refurbished share."""
    instances = instance_table(data)
    # the app tables' GPU hosts: their embodied is CCF's formula (types only the 2026 lists have
    # carry a per-vCPU median with no GPU term, so they are left out)
    gpu_hosts = instances[(instances["gpu_count"] > 0) & instances["source"].eq("ccf")]
    embodied = gpu_hosts.drop_duplicates(["provider", "family"])["embodied_kgco2e"].dropna()
    rows = [
        factor(
            "equipment",
            "gpu_server",
            "gwp",
            rounded(embodied.median()),
            "kgCO2e/device",
            2024,
            "ccf",
            "Apache-2.0",
            f"median CCF host-platform embodied of {len(embodied)} GPU instance families "
            "(1000 kg base + memory, storage, CPU and 150 kg per GPU)",
            stage="manufacturing",
        ),
        factor(
            "equipment",
            "gpu_server",
            "lifetime",
            4,
            "year",
            2024,
            "ccf",
            "Apache-2.0",
            "CCF SERVER_EXPECTED_LIFESPAN 35040 h",
        ),
    ]
    for rec in read_curated("refurbished.csv").itertuples():
        rows.append(
            factor(
                "equipment",
                "refurbished",
                "refurbished_factor",
                float(rec.value),
                "dimensionless",
                int(rec.year),
                "curated",
                "Apache-2.0 (assumption)",
                rec.source,
            )
        )
    return rows


def build(data: Path) -> list[Output]:
    """The equipment defaults, split by licence."""
    return [
        factor_output(
            "equipment_pcf_odbl.csv",
            "equipment",
            LICENCE,
            ("boavizta_pcf", "curated", "boaviztapi", "ademe_bc"),
            "Per-category medians of manufacturer PCFs with their spread (ODbL share-alike); "
            "end of life as median weight × ADEME WEEE treatment",
            pcf_rows(data) + weee_rows(data),
        ),
        factor_output(
            "equipment_boavizta_agpl.csv",
            "equipment",
            "AGPL-3.0 (BoaviztAPI data); values from ADEME Base Empreinte",
            ("boaviztapi",),
            "ADPe of device archetypes (BoaviztAPI, AGPL notice)",
            boavizta_rows(data),
        ),
        factor_output(
            "equipment.csv",
            "equipment",
            "Apache-2.0",
            ("ccf", "curated"),
            "GPU server defaults and the refurbished share",
            other_rows(data),
        ),
    ]
