"""Azure cost export (Cost Management ``MeterCategory``, ``MeterName``, ``UnitOfMeasure``,
``Quantity``, ``CostInBillingCurrency``, ``BillingCurrency``, ``ResourceLocation``,
``ChargeType``; CSV or Parquet) → cloud rows.

Classification (after Cloud Carbon Footprint's, ``ccf.md`` §2.10, quirks corrected): non-usage
charges dropped; the pack size of ``UnitOfMeasure`` ("10 Hours", "100 GB") multiplies the
quantity (CCF ignores it); hours of a Virtual Machines meter whose size is in the library →
compute (``gpu`` for N-series); GB/Month and TB/Month of storage meters → storage_ssd
(SSD/Premium meters) or storage_hdd; GB/TB of Bandwidth → network; GB Second/GB Hour →
memory; the rest unknown. Regions are matched to the library's names ignoring case and spaces
("westeurope" → "West Europe").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lca.importers.base import Imported, ImportOptions
from lca.importers.billing import (
    ExportColumns,
    known_instances,
    read_grouped,
    replication_factors,
    to_cloud_rows,
)

COLUMNS = {
    "region": ("resource_location",),
    "service": ("meter_category", "consumed_service"),
    "meter": ("meter_name",),
    "unit": ("unit_of_measure",),
    "charge_type": (),
    "currency": ("billing_currency", "billing_currency_code"),
    "amount": ("quantity", "usage_quantity"),
    "cost": ("cost_in_billing_currency", "pre_tax_cost"),
}
PACK = r"^\s*([\d.]+)\s+"


def _region_names(options: ImportOptions) -> dict[str, str]:
    from lca.factors.library import load_library

    table = (options.library or load_library()).table("cloud_regions")
    names = table.loc[table["provider"] == "azure", "region"]
    return {n.lower().replace(" ", ""): n for n in names}


def classify(
    groups: pd.DataFrame, instances: set[str], regions: dict[str, str], method: str = "default"
) -> pd.DataFrame:
    """Class, cloud usage type, quantity, unit and resource of each usage group; with
    ``method`` ccf, the pack size of the unit is ignored, as CCF does (quirk c)."""
    unit, meter, service = groups["unit"], groups["meter"], groups["service"]
    pack = unit.str.extract(PACK, expand=False).astype("float64").fillna(1.0)
    if method == "ccf":
        pack = pd.Series(1.0, index=pack.index)
    base = unit.str.replace(PACK, "", regex=True).str.strip()
    size = meter.str.replace(r"\s*(Low Priority|Spot)$", "", regex=True).str.split("/").str[0]
    hours = (
        base.str.fullmatch(r"Hours?") & service.eq("Virtual Machines") & size.isin(list(instances))
    )
    storage = base.isin(("GB/Month", "TB/Month"))
    ssd = storage & meter.str.contains(r"SSD|Premium|\bP\d+\b")
    conditions = [
        groups["charge_type"].ne("") & groups["charge_type"].ne("Usage"),
        hours & size.str.match(r"^N[CDV]"),
        hours,
        ssd,
        storage,
        base.isin(("GB", "TB")) & service.eq("Bandwidth"),
        base.isin(("GB Second", "GB Seconds", "GB Hour", "GB Hours")),
    ]
    classes = ["dropped", "gpu", "compute", "storage_ssd", "storage_hdd", "network", "memory"]
    usage_types = ["", "compute", "compute", "storage_ssd", "storage_hdd", "network", "memory"]
    tera = base.str.startswith("TB")
    storage_unit = np.where(tera, "TB_month", "GB_month")
    network_unit = np.where(tera, "TB", "GB")
    memory_unit = np.where(base.str.contains("Second"), "GB*s", "GB_h")
    units: list = ["", "h", "h", storage_unit, storage_unit, network_unit, memory_unit]
    chosen = np.select(conditions, classes, "unknown")
    key = groups["region"].str.lower().str.replace(" ", "", regex=False)
    return groups.assign(
        **{
            "class": chosen,
            "usage_type": np.select(conditions, usage_types, "other"),
            "unit": np.select(conditions, units, ""),
            "resource": size.where(hours, ""),
            "quantity": groups["amount"] * pack,
            "region": key.map(regions).astype("string").fillna(groups["region"]),
        }
    )


def read(path: Path, options: ImportOptions) -> Imported:
    """Cloud rows of an Azure cost export."""
    columns = ExportColumns(
        COLUMNS,
        ("amount", "cost"),
        ("region", "service", "meter", "unit", "charge_type", "currency"),
        "an Azure cost export",
    )
    read_ = read_grouped(path, columns, options)
    groups = read_.frame
    groups["currency"] = groups["currency"].replace("", "USD")
    groups["replication_factor"] = replication_factors(
        "azure", groups["service"], groups["meter"], options
    )
    classified = classify(
        groups, known_instances(options, "azure"), _region_names(options), options.method
    )
    return to_cloud_rows("azure", classified, read_, path, options)
