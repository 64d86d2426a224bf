"""CodeCarbon ``emissions.csv`` (v2 and v3 columns) → compute_jobs rows, one per run.

CodeCarbon multiplies every measured energy by its ``pue`` parameter, so ``energy_consumed``
is facility energy. The row's ``measured_kwh`` is IT energy = energy_consumed / pue, and the
pue is kept on the row: the engine applies it once and gets energy_consumed back. Files from
versions without a ``pue`` column were written with PUE 1.
Location: ``cloud_provider:cloud_region`` on cloud, else the grid zone of the log's
``region`` where the library's ``tracker_regions`` table places it (``quebec`` → ``CA-QC``,
``SE3`` → ``SE-SE3``), else the country (ISO alpha-3). The log's ``emissions`` (kgCO2e,
computed with CodeCarbon's own factors) is kept as ``reported_kgco2e``: the engine shows it
beside its own figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lca.importers.base import Imported, ImportOptions, read_table, require, with_provenance


def read(path: Path, options: ImportOptions) -> Imported:
    """compute_jobs rows of a CodeCarbon emissions.csv."""
    runs = read_table(path)
    require(runs.columns, ("duration", "energy_consumed"), path, "a CodeCarbon emissions.csv")
    text = {
        c: runs[c].astype("string")
        if c in runs
        else pd.Series(pd.NA, index=runs.index, dtype="string")
        for c in (
            "project_name",
            "run_id",
            "cpu_model",
            "gpu_model",
            "cloud_provider",
            "cloud_region",
            "country_iso_code",
            "on_cloud",
            "region",
        )
    }
    number = {
        c: pd.to_numeric(runs[c], errors="coerce").astype("float64")
        if c in runs
        else pd.Series(np.nan, index=runs.index)
        for c in ("duration", "energy_consumed", "pue", "gpu_count", "emissions")
    }
    pue = number["pue"].fillna(1.0)
    on_cloud = text["on_cloud"].eq("Y").fillna(False) & text["cloud_provider"].notna()
    cloud_place = text["cloud_provider"].str.lower() + ":" + text["cloud_region"]
    gpus = number["gpu_count"].fillna(0.0)
    runs_on = pd.Series(options.runs_on, index=runs.index, dtype="string")
    runs_on = runs_on.where(runs_on.notna() | ~on_cloud, "cloud")
    zone = _grid_zones(text["region"], options)
    location = cloud_place.where(on_cloud, zone.fillna(text["country_iso_code"]))
    if options.location:
        location = location.fillna(options.location)
    jobs = pd.DataFrame(
        {
            "job_id": text["project_name"].fillna("codecarbon")
            + ":"
            + text["run_id"].fillna(runs["_row"].astype(str)),
            "hardware": text["gpu_model"].where(gpus > 0, text["cpu_model"]),
            "device_count": gpus.where(gpus > 0, 1.0),
            "hours": number["duration"] / 3600,
            "location": location,
            "runs_on": runs_on,
            "pue": pue,
            # an infinite or non-positive pue divides into 0 or infinity: no figure at all
            "measured_kwh": (number["energy_consumed"] / pue).where(np.isfinite(pue) & (pue > 0)),
            "reported_kgco2e": number["emissions"],
        },
        index=runs.index,
    )
    notes = [
        f"{len(jobs)} CodeCarbon run(s): measured_kwh = energy_consumed / pue (IT energy); "
        "the engine applies the pue once"
    ]
    unplaced = text["region"].notna() & zone.isna() & ~on_cloud
    if unplaced.any():
        notes.append(
            "region(s) without a grid zone in the library, the country's factor is "
            "used: " + ", ".join(sorted(text["region"][unplaced].unique()))
        )
    if runs_on.isna().any():
        notes.append(
            f"{int(runs_on.isna().sum())} run(s) not on cloud: fill runs_on with "
            "asset:<asset_id> (or give --runs-on)"
        )
    return Imported({"compute_jobs": with_provenance(jobs, path, runs["_row"])}, notes)


def _grid_zones(region: pd.Series, options: ImportOptions) -> pd.Series:
    """Grid zone of CodeCarbon's ``region`` names (library table ``tracker_regions``)."""
    from lca.factors.library import load_library

    table = (options.library or load_library()).table("tracker_regions")
    zones = table[table["tool"] == "codecarbon"].set_index("region")["grid_zone"]
    return region.map(zones).astype("string")
