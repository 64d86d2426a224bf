"""The cloud providers' own carbon exports → supplier-specific cloud rows (scope 3 cat 1).

One cloud row per (month, account, service, region) of the export: ``usage_type`` other,
``quantity`` 1 ``month``, ``reported_kgco2e`` the location-based total and
``reported_kgco2e_market`` the market-based total where the export gives one.
- AWS Data Exports ``CARBON_EMISSIONS`` (CSV or Parquet): ``total_lbm_emissions_value`` /
  ``total_mbm_emissions_value`` with their ``…_unit`` (MTCO2e); of each month only the rows
  of its latest ``model_version`` (AWS re-publishes history under every new model).
- Google Cloud Carbon Footprint (BigQuery export flattened to CSV/Parquet):
  ``carbon_footprint_total_kgCO2e.location_based`` / ``.market_based`` (kgCO2e).
- Azure emissions (Microsoft Cloud for Sustainability ``EnrollmentEmission``): one row per
  scope, ``totalEmissions`` in mtCO2e; summed over scopes; no market-based figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lca.errors import InputFileError
from lca.importers.base import Imported, ImportOptions, read_table, require, with_provenance
from lca.units import UNIT_ERRORS, conversion_factor

GROUP = ["month", "account", "service", "region"]


def _kg(values: pd.Series, units: pd.Series | str) -> pd.Series:
    """Values in kgCO2e, from a unit per row (MTCO2e, tCO2e, kgCO2e …)."""
    units = pd.Series(units, index=values.index) if isinstance(units, str) else units
    spelled = units.astype("string").str.replace("MTCO2e", "tCO2e", case=False, regex=False)
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    unitless = numbers.notna() & spelled.fillna("").str.strip().eq("")
    if unitless.any():  # a figure without its unit would be dropped without a word
        raise InputFileError(
            f"{int(unitless.sum())} emissions value(s) without a unit (the first on data row "
            f"{int(unitless.to_numpy().argmax()) + 1}): expected kgCO2e, tCO2e or MTCO2e"
        )
    factor = spelled.map(_to_kg, na_action="ignore")
    return numbers * factor.astype("float64")


def _to_kg(unit: str) -> float:
    """kgCO2e per ``unit``; a unit that is not a CO2e mass (pounds, kWh) refuses the file."""
    try:
        return conversion_factor(unit, "kgCO2e")
    except UNIT_ERRORS as exc:
        raise InputFileError(
            f"emissions unit {unit!r} is not a mass of CO2e (expected kgCO2e, tCO2e or MTCO2e)"
        ) from exc


def _cloud_rows(
    provider: str, frame: pd.DataFrame, path: Path, note: str, year: int | None
) -> Imported:
    """Sum ``kg``/``kg_market`` per GROUP and shape them as cloud rows with provenance; only
    the months of ``year`` when it is given."""
    frame = frame.assign(**{c: frame[c].astype("string").fillna("") for c in GROUP})
    summed = (
        frame.groupby(GROUP, sort=True)
        .agg(
            kg=("kg", lambda s: s.sum(min_count=1)),
            kg_market=("kg_market", lambda s: s.sum(min_count=1)),
            first=("_row", "min"),
            rows=("_row", "size"),
        )
        .reset_index()
    )
    region = summed["region"].str.strip().replace("", "global")
    rows = pd.DataFrame(
        {
            "provider": provider,
            "region": region,
            "service": summed["service"],
            "usage_type": "other",
            "quantity": 1.0,
            "unit": "month",
            "reported_kgco2e": summed["kg"],
            "reported_kgco2e_market": summed["kg_market"],
        }
    )
    rows = with_provenance(rows, path, summed["first"], summed["rows"])
    notes = [
        f"{len(rows)} {provider} row(s) from {note} ({int(summed['rows'].sum())} export "
        "rows), one per month, account, service and region"
    ]
    if year is not None:
        inside = summed["month"].str.startswith(str(year))
        notes.append(
            f"kept the {int(inside.sum())} row(s) of {year}; "
            f"{int((~inside).sum())} of other years left out"
        )
        rows = rows[inside.to_numpy()]
    return Imported({"cloud": rows}, notes)


def latest_model(table: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Rows of the latest ``model_version`` of each month (AWS re-publishes past months under
    each new model: summing versions would count a month twice), and how many were left."""
    if "model_version" not in table:
        return table, 0
    version = (
        table["model_version"]
        .astype("string")
        .str.findall(r"\d+")
        .map(lambda parts: tuple(int(p) for p in parts), na_action="ignore")
    )
    month = table["usage_period_start"].astype("string")
    latest = version.groupby(month).transform("max")
    keep = (version == latest).to_numpy(dtype=bool)
    return table[keep], int((~keep).sum())


def read_aws(path: Path, options: ImportOptions) -> Imported:
    """AWS Data Exports carbon emissions table (latest carbon model of each month)."""
    table = read_table(path)
    require(
        table.columns,
        (
            "usage_period_start",
            "product_code",
            "region_code",
            "total_lbm_emissions_value",
            "total_lbm_emissions_unit",
        ),
        path,
        "an AWS carbon emissions export",
    )
    table, superseded = latest_model(table)
    frame = pd.DataFrame(
        {
            "month": table["usage_period_start"].astype("string"),
            "account": table.get("usage_account_id", pd.Series(pd.NA, index=table.index)),
            "service": table["product_code"],
            "region": table["region_code"],
            "kg": _kg(table["total_lbm_emissions_value"], table["total_lbm_emissions_unit"]),
            "kg_market": _kg(table["total_mbm_emissions_value"], table["total_mbm_emissions_unit"])
            if "total_mbm_emissions_value" in table
            else np.nan,
            "_row": table["_row"],
        }
    )
    imported = _cloud_rows("aws", frame, path, "the AWS carbon emissions export", options.year)
    if superseded:
        imported.notes.append(
            f"{superseded} row(s) of superseded carbon model versions left "
            "out (each month counted once, with its latest model)"
        )
    return imported


def read_gcp(path: Path, options: ImportOptions) -> Imported:
    """Google Cloud Carbon Footprint export (flattened nested columns)."""
    table = read_table(path)
    located = [c for c in ("location_region", "location_location") if c in table]
    require(
        table.columns,
        (
            "usage_month",
            "project_id",
            "service_description",
            "carbon_footprint_total_kg_co2e_location_based",
            *(located[:1] or ["location_region"]),
        ),
        path,
        "a Google Cloud Carbon Footprint export",
    )
    places = [table[c].astype("string") for c in located]
    region = places[0].fillna(places[-1])
    frame = pd.DataFrame(
        {
            "month": table["usage_month"].astype("string"),
            "account": table["project_id"],
            "service": table["service_description"],
            "region": region,
            "kg": _kg(table["carbon_footprint_total_kg_co2e_location_based"], "kgCO2e"),
            "kg_market": _kg(table["carbon_footprint_total_kg_co2e_market_based"], "kgCO2e")
            if "carbon_footprint_total_kg_co2e_market_based" in table
            else np.nan,
            "_row": table["_row"],
        }
    )
    return _cloud_rows("gcp", frame, path, "the Google Cloud Carbon Footprint export", options.year)


def read_azure(path: Path, options: ImportOptions) -> Imported:
    """Azure emissions export (Microsoft Cloud for Sustainability), summed over scopes."""
    table = read_table(path)
    require(
        table.columns,
        (
            "date_key",
            "subscription_id",
            "azure_service_name",
            "azure_region_name",
            "total_emissions",
        ),
        path,
        "an Azure emissions export",
    )
    frame = pd.DataFrame(
        {
            "month": table["date_key"]
            .astype("string")
            .str.replace(r"^(\d{4})(\d{2})\d{2}$", r"\1-\2", regex=True),
            "account": table["subscription_id"],
            "service": table["azure_service_name"],
            "region": table["azure_region_name"],
            "kg": _kg(table["total_emissions"], "tCO2e"),
            "kg_market": np.nan,
            "_row": table["_row"],
        }
    )
    return _cloud_rows("azure", frame, path, "the Azure emissions export", options.year)
