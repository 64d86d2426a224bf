"""Per-model embodied emissions (``equipment_models_odbl.csv``) from the Boavizta PCF database.

Key ``<category>:<normalised manufacturer + model>`` (lowercase, runs of non-alphanumerics →
one space; the manufacturer is prefixed unless the name already starts with it). Per model:
``gwp`` stage manufacturing = gwp_total × (1 − use ratio) (kgCO2e/device), ``lifetime`` and
``annual_energy`` as declared. The year is the report year; when a model has several reports
in one year the last row of the database wins.
"""

from __future__ import annotations

from pathlib import Path

from lca.factors.build.common import Output, factor, factor_output, rounded
from lca.factors.build.pcf import LICENCE, pcf_table


def build(data: Path) -> list[Output]:
    """The per-model table."""
    pcf = pcf_table(data).dropna(subset=["embodied", "year"]).copy()
    pcf["key"] = pcf["our_category"] + ":" + pcf["model"]
    pcf = pcf.drop_duplicates(["key", "year"], keep="last")
    rows = []
    for rec in pcf.itertuples():
        note = f"{rec.manufacturer} {rec.name}; PCF report {rec.report_date}; {rec.sources}"
        year = int(rec.year)
        rows.append(
            factor(
                "equipment_models",
                rec.key,
                "gwp",
                rounded(rec.embodied),
                "kgCO2e/device",
                year,
                "boavizta_pcf",
                LICENCE,
                f"embodied = gwp_total {rec.gwp_total} × (1 − use ratio "
                f"{rec.gwp_use_ratio}); {note}",
                stage="manufacturing",
            )
        )
        if rec.lifetime == rec.lifetime:
            rows.append(
                factor(
                    "equipment_models",
                    rec.key,
                    "lifetime",
                    rec.lifetime,
                    "year",
                    year,
                    "boavizta_pcf",
                    LICENCE,
                    f"declared lifetime; {note}",
                )
            )
        if rec.yearly_tec == rec.yearly_tec:
            rows.append(
                factor(
                    "equipment_models",
                    rec.key,
                    "annual_energy",
                    rec.yearly_tec,
                    "kWh/year",
                    year,
                    "boavizta_pcf",
                    LICENCE,
                    f"declared yearly energy; {note}",
                )
            )
    return [
        factor_output(
            "equipment_models_odbl.csv",
            "equipment_models",
            LICENCE,
            ("boavizta_pcf", "curated"),
            "Per-model manufacturer PCFs (ODbL share-alike)",
            rows,
        )
    ]
