"""Google Cloud billing export (BigQuery ``gcp_billing_export_v1`` flattened to CSV or Parquet:
``service.description``, ``sku.description``, ``usage.amount``, ``usage.unit``, ``cost``,
``currency``, ``location.region``, ``cost_type``, and the machine type: the system label
``compute.googleapis.com/machine_spec``, which BigQuery keeps in the repeated
``system_labels`` record, so a flattened export names it ``machine_type`` / ``machineType``
(Cloud Carbon Footprint's query alias), ``machine_spec``,
``compute.googleapis.com/machine_spec`` or ``system_labels.compute.googleapis.com/
machine_spec``) → cloud rows.

Classification (after Cloud Carbon Footprint's, ``ccf.md`` §2.10): rounding errors and taxes
dropped; ``seconds`` of a GPU SKU → gpu (GPU-hours), of a core/CPU SKU → compute (vCPU-hours);
``byte-seconds`` of a RAM/memory SKU → memory, of an SSD SKU → storage_ssd, else storage_hdd
(in GiB-hours: bytes are binary); ``bytes`` of an egress/network SKU → network (GiB); the
rest unknown. Core seconds of a machine type the library's ``cloud_instances`` table knows
become instance-hours of it (seconds / the type's vCPUs / 3600, resource = the machine type),
so that its processors' watts and its host's embodied share are found, as CCF reads the
machine type; RAM rows keep their GiB-hours with the machine type as resource; without a
known machine type, or for a GPU machine type (a2, g2 …: its GPUs are billed in their own
SKU rows, which instance-hours would count again), core seconds stay vCPU-hours of the
provider's average processor.
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
    "machine_type": (
        "machine_spec",
        "compute_googleapis_com_machine_spec",
        "system_labels_compute_googleapis_com_machine_spec",
    ),
}
GIB = 2.0**30
GPU_SKU = r"GPU"
CPU_SKU = r"\b(?:Core|CPU|vCPU)\b"
MEMORY_SKU = r"\b(?:RAM|Ram|Memory)\b"
NETWORK_SKU = r"(?:Egress|egress|Network|network|Download|data delivery)"


def classify(groups: pd.DataFrame, vcpus: dict[str, float] | None = None) -> pd.DataFrame:
    """Class, cloud usage type, quantity, unit and resource of each usage group; ``vcpus``:
    the vCPUs of each machine type the library knows."""
    sku, unit = groups["sku"], groups["unit"]
    machine = groups["machine_type"].str.strip()
    machine_vcpu = machine.map(vcpus or {}).astype("float64")
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
    instance = (chosen == "compute") & machine_vcpu.notna()
    return groups.assign(
        **{
            "class": chosen,
            "usage_type": np.where(chosen == "unknown", "other", chosen),
            "unit": np.where(instance, "h", np.select(conditions, units, "")),
            "resource": machine.where(
                machine_vcpu.notna()
                & pd.Series(np.isin(chosen, ("compute", "memory")), index=groups.index),
                "",
            ),
            "quantity": (groups["amount"] * np.select(conditions, scale, 1.0)).where(
                ~instance, groups["amount"] / machine_vcpu / 3600
            ),
        }
    )


def _machine_vcpus(options: ImportOptions) -> dict[str, float]:
    """vCPUs of each GCP machine type without GPUs of the library's ``cloud_instances`` table
    (a GPU type's instance-hours would count its GPUs, which GCP bills in GPU SKU rows)."""
    from lca.factors.library import load_library

    table = (options.library or load_library()).table("cloud_instances")
    gpus = pd.to_numeric(table["gpu_count"], errors="coerce").fillna(0)
    vcpus = pd.to_numeric(table["vcpu"], errors="coerce")
    gcp = (table["provider"] == "gcp") & gpus.eq(0) & vcpus.gt(0)  # never a non-finite quantity
    return dict(zip(table.loc[gcp, "instance_type"], vcpus[gcp], strict=True))


def read(path: Path, options: ImportOptions) -> Imported:
    """Cloud rows of a GCP billing export."""
    columns = ExportColumns(
        COLUMNS,
        ("amount", "cost"),
        ("region", "service", "sku", "unit", "cost_type", "currency", "machine_type"),
        "a GCP billing export",
    )
    read_ = read_grouped(path, columns, options)
    groups = read_.frame
    groups["currency"] = groups["currency"].replace("", "USD")
    groups["replication_factor"] = replication_factors(
        "gcp", groups["service"], groups["sku"], options
    )
    return to_cloud_rows("gcp", classify(groups, _machine_vcpus(options)), read_, path, options)
