"""Google Cloud billing export (BigQuery ``gcp_billing_export_v1`` flattened to CSV or Parquet:
``service.description``, ``sku.description``, ``usage.amount``, ``usage.unit``, ``cost``,
``currency``, ``location.region``, ``cost_type``) → cloud rows.

Classification (after Cloud Carbon Footprint's, ``ccf.md`` §2.10): rounding errors and taxes
dropped; ``seconds`` of a GPU SKU → gpu (GPU-hours), of a core/CPU SKU → compute (vCPU-hours);
``byte-seconds`` of a RAM/memory SKU → memory, of an SSD SKU → storage_ssd, else storage_hdd
(in GiB-hours: bytes are binary); ``bytes`` of an egress/network SKU → network (GiB); the
rest unknown.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lca.importers.base import Imported, ImportOptions
from lca.importers.billing import (
    ExportColumns,
    read_grouped,
    replication_factors,
    to_cloud_rows,
)

COLUMNS = {
    "region": ("location_region", "location_location"),
    "service": ("service_description",),
    "sku": ("sku_description",),
    "unit": ("usage_unit",),
    "cost_type": (),
    "currency": (),
    "amount": ("usage_amount",),
    "cost": (),
}
GIB = 2.0**30
GPU_SKU = r"GPU"
CPU_SKU = r"\b(?:Core|CPU|vCPU)\b"
MEMORY_SKU = r"\b(?:RAM|Ram|Memory)\b"
NETWORK_SKU = r"(?:Egress|egress|Network|network|Download|data delivery)"


def classify(groups: pd.DataFrame) -> pd.DataFrame:
    """Class, cloud usage type, quantity and unit of each usage group."""
    sku, unit = groups["sku"], groups["unit"]
    seconds, byte_seconds = unit.eq("seconds"), unit.eq("byte-seconds")
    conditions = [
        groups["cost_type"].isin(("rounding_error", "tax")),
        seconds & sku.str.contains(GPU_SKU),
        seconds & sku.str.contains(CPU_SKU),
        byte_seconds & sku.str.contains(MEMORY_SKU),
        byte_seconds & sku.str.contains("SSD", regex=False),
        byte_seconds,
        unit.eq("bytes") & sku.str.contains(NETWORK_SKU),
    ]
    classes = ["dropped", "gpu", "compute", "memory", "storage_ssd", "storage_hdd", "network"]
    units = ["", "gpu_h", "vcpu_h", "GiB_h", "GiB_h", "GiB_h", "GiB"]
    scale = [1.0, 1 / 3600, 1 / 3600, 1 / GIB / 3600, 1 / GIB / 3600, 1 / GIB / 3600, 1 / GIB]
    chosen = np.select(conditions, classes, "unknown")
    return groups.assign(
        **{
            "class": chosen,
            "usage_type": np.where(chosen == "unknown", "other", chosen),
            "unit": np.select(conditions, units, ""),
            "resource": "",
            "quantity": groups["amount"] * np.select(conditions, scale, 1.0),
        }
    )


def read(path: Path, options: ImportOptions) -> Imported:
    """Cloud rows of a GCP billing export."""
    columns = ExportColumns(
        COLUMNS,
        ("amount", "cost"),
        ("region", "service", "sku", "unit", "cost_type", "currency"),
        "a GCP billing export",
    )
    read_ = read_grouped(path, columns, options)
    groups = read_.frame
    groups["currency"] = groups["currency"].replace("", "USD")
    groups["replication_factor"] = replication_factors(
        "gcp", groups["service"], groups["sku"], options
    )
    return to_cloud_rows("gcp", classify(groups), read_, path, options)
