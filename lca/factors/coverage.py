"""What the factor library covers, and how good its modelled grid factors are.

``library_coverage`` summarises a loaded library for ``lca factors coverage --json``: countries
with a publisher's own direct (scope 2 location-based) factor for at least one year (their
other years are anchored on it) and countries whose direct factors are all modelled from the
generation mix; sub-national keys by basis (eGRID published, Electricity Maps zones
modelled); where each country's T&D loss comes from (its latest year); the countries and
zones with a residual mix; the calibration of the model against the publishers
(``grid_calibration``); cloud instance types, accepted spellings and GPU types.
"""

from __future__ import annotations

import pandas as pd

from lca.factors.library import FactorLibrary

#: Notes prefixes the grid build writes on estimated direct factors (see factors/build/grid.py).
ANCHORED = "anchored estimate"
MODELLED = "modelled estimate"
#: Share of the published figure the calibration aims at.
CALIBRATION_TARGET = 0.10


def grid_basis(notes: pd.Series) -> pd.Series:
    """published / anchored / modelled for direct grid factor notes."""
    basis = pd.Series("published", index=notes.index, dtype="object")
    basis = basis.mask(notes.str.startswith(ANCHORED), "anchored")
    return basis.mask(notes.str.startswith(MODELLED), "modelled")


def td_loss_basis(notes: pd.Series) -> pd.Series:
    """Where the T&D loss of a ``gwp_upstream`` row comes from, by its build note."""
    basis = pd.Series("publisher", index=notes.index, dtype="object")  # DESNZ, ADEME
    basis = basis.mask(notes.str.contains("= EPA ", regex=False), "epa")
    basis = basis.mask(notes.str.contains("= World Bank WDI", regex=False), "wdi_country")
    return basis.mask(notes.str.contains("WDI EG.ELC.LOSS.ZS world", regex=False), "wdi_world")


def library_coverage(library: FactorLibrary) -> dict:
    """Counts and the calibration table (records) of ``library``."""
    direct = library.select("electricity", "gwp")
    direct = direct.assign(basis=grid_basis(direct["notes"]))
    national = direct["key"].str.fullmatch(r"[A-Z]{2}")
    published = set(direct.loc[national & direct["basis"].eq("published"), "key"])
    countries = set(direct.loc[national, "key"])
    subnational = direct[~national].sort_values("year").drop_duplicates("key", keep="last")
    calibration = library.table("grid_calibration")
    errors = pd.to_numeric(calibration["model_error"], errors="coerce")
    instances = library.table("cloud_instances")
    own = instances[instances["alias_of"].isna()] if "alias_of" in instances else instances
    gpu = own[pd.to_numeric(own["gpu_count"], errors="coerce").fillna(0) > 0]
    upstream = library.select("electricity", "gwp_upstream")
    upstream = upstream[upstream["key"].str.fullmatch(r"[A-Z]{2}")]
    latest = upstream.sort_values("year").drop_duplicates("key", keep="last")
    residual = library.select("residual_mix", "gwp_market")["key"].drop_duplicates()
    return {
        "grid": {
            "countries_with_published_direct_factor": len(published),
            "countries_modelled_only": len(countries - published),
            "subnational_zones": {
                k: int(v) for k, v in subnational["basis"].value_counts().sort_index().items()
            },
            "calibration_target": CALIBRATION_TARGET,
            "calibration_within_target": int((errors.abs() <= CALIBRATION_TARGET).sum()),
            "calibration_points": int(errors.notna().sum()),
            "calibration": [
                {
                    "country": r.country,
                    "year": int(r.year),
                    "publisher": r.publisher,
                    "published_kgco2e_per_kwh": float(r.published_kgco2e_per_kwh),
                    "model_kgco2e_per_kwh": float(r.model_kgco2e_per_kwh),
                    "model_error": float(r.model_error),
                }
                for r in calibration.itertuples()
                if r.model_error == r.model_error
            ],
            "td_losses_latest_year": {
                k: int(v)
                for k, v in td_loss_basis(latest["notes"]).value_counts().sort_index().items()
            },
            "residual_mix_countries": sorted(residual[residual.str.fullmatch(r"[A-Z]{2}")]),
            "residual_mix_subnational_zones": int((~residual.str.fullmatch(r"[A-Z]{2}")).sum()),
        },
        "cloud": {
            "instance_types": {
                p: int(n) for p, n in own["provider"].value_counts().sort_index().items()
            },
            "accepted_spellings": len(instances),
            "gpu_instance_types": len(gpu),
            "gpu_models": sorted(gpu["gpu_model"].dropna().unique().tolist()),
        },
    }
