"""Azure cost export (Cost Management ``MeterCategory``, ``MeterName``, ``UnitOfMeasure``,
``Quantity``, ``CostInBillingCurrency``, ``BillingCurrency``, ``ResourceLocation``,
``ChargeType``; CSV or Parquet) → cloud rows.

Classification (after Cloud Carbon Footprint's, ``ccf.md`` §2.10, quirks corrected): non-usage
charges dropped; the pack size of ``UnitOfMeasure`` ("10 Hours", "100 GB") multiplies the
quantity (CCF ignores it); hours of a Virtual Machines meter whose size is in the library →
compute (``gpu`` for N-series); GB/Month and TB/Month of storage meters → storage_ssd
(SSD/Premium meters) or storage_hdd; managed disks billed per disk-month (``/Month``, a
meter naming a tier: "P30 LRS Disk", "E10 Disks", "S4 Disks") → storage_ssd (P, E tiers) or
storage_hdd (S tiers) of the tier's capacity, GiB-months = disk-months × pack × capacity (the
library's ``ccf:azure:<ssd|hdd>_disk:<tier>``, Cloud Carbon Footprint's table; a tier it does
not list stays unknown); GB/TB of Bandwidth → network; GB Second/GB Hour → memory; the rest
unknown. Regions are matched to the library's names ignoring case and spaces ("westeurope" →
"West Europe").

With ``method`` ccf, a managed disk counts as CCF counts it (quirk d): one day of the tier's
capacity per billing line, GB-hours = capacity × 24 × lines, whatever its quantity.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lca.importers.base import Imported, ImportOptions
from lca.importers.billing import (
    LATEST,
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
#: A managed-disk meter: its tier first ("P30 LRS Disk", "S4 Disks").
DISK_METER = r"^\s*([PES]\d{1,2})\b.*\bDisks?\b"


def _disk_capacities(options: ImportOptions) -> dict[tuple[str, str], float]:
    """(ssd|hdd, tier) → capacity in GiB of Azure's managed-disk tiers (library compat rows
    ``ccf:azure:<ssd|hdd>_disk:<tier>``, indicator capacity)."""
    from lca.factors.library import load_library
    from lca.units import conversion_factor

    rows = (options.library or load_library()).picked("compat", "capacity", LATEST)
    out = {}
    for key, value, unit in zip(rows.index, rows["value"], rows["unit"], strict=True):
        parts = str(key).split(":")
        if len(parts) == 4 and parts[:2] == ["ccf", "azure"] and parts[2].endswith("_disk"):
            out[(parts[2].removesuffix("_disk"), parts[3])] = float(value) * conversion_factor(
                unit, "GiB"
            )
    return out


def _region_names(options: ImportOptions) -> dict[str, str]:
    from lca.factors.library import load_library

    table = (options.library or load_library()).table("cloud_regions")
    names = table.loc[table["provider"] == "azure", "region"]
    return {n.lower().replace(" ", ""): n for n in names}


def classify(
    groups: pd.DataFrame,
    instances: set[str],
    regions: dict[str, str],
    method: str = "default",
    disks: dict[tuple[str, str], float] | None = None,
) -> pd.DataFrame:
    """Class, cloud usage type, quantity, unit and resource of each usage group; with
    ``method`` ccf, the pack size of the unit is ignored, as CCF does (quirk c), and managed
    disks are a day of their capacity per line (quirk d). ``disks``: (ssd|hdd, tier) →
    capacity in GiB (``_disk_capacities``)."""
    unit, meter, service = groups["unit"], groups["meter"], groups["service"]
    pack = unit.str.extract(PACK, expand=False).astype("float64").fillna(1.0)
    if method == "ccf":
        pack = pd.Series(1.0, index=pack.index)
    base = unit.str.replace(PACK, "", regex=True).str.strip()
    tier = meter.str.extract(DISK_METER, expand=False).fillna("")
    kind = pd.Series(np.where(tier.str.startswith("S"), "hdd", "ssd"), index=tier.index)
    capacity = pd.Series(
        [(disks or {}).get(pair, np.nan) for pair in zip(kind, tier, strict=True)],
        index=tier.index,
        dtype="float64",
    )
    # per disk-month: "1 /Month", "100 /Month" (CCF knows only these two), or "1/Month"
    per_month = unit.str.extract(r"^\s*([\d.]*)\s*/\s*Month\s*$", expand=False)
    if method == "ccf":
        per_month = per_month.where(unit.isin(("1 /Month", "100 /Month")))
    disk_pack = pd.to_numeric(per_month.replace("", "1"), errors="coerce")
    disk = disk_pack.notna() & capacity.notna()
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
        ssd | (disk & kind.eq("ssd")),
        storage | disk,
        base.isin(("GB", "TB")) & service.eq("Bandwidth"),
        base.isin(("GB Second", "GB Seconds", "GB Hour", "GB Hours")),
    ]
    classes = ["dropped", "gpu", "compute", "storage_ssd", "storage_hdd", "network", "memory"]
    usage_types = ["", "compute", "compute", "storage_ssd", "storage_hdd", "network", "memory"]
    tera = base.str.startswith("TB")
    disk_unit = "GB_h" if method == "ccf" else "GiB_month"
    storage_unit = np.where(disk, disk_unit, np.where(tera, "TB_month", "GB_month"))
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
            "resource": size.where(hours, "").where(~disk, tier),
            "quantity": (groups["amount"] * pack).where(
                ~disk, _disk_quantity(groups, disk_pack, capacity, method)
            ),
            "region": key.map(regions).astype("string").fillna(groups["region"]),
        }
    )


def _disk_quantity(
    groups: pd.DataFrame, pack: pd.Series, capacity: pd.Series, method: str
) -> pd.Series:
    """Managed disks: GiB-months = disk-months × pack × capacity; CCF's GB-hours = capacity ×
    24 h per billing line (its quantity ignored)."""
    if method == "ccf":
        return capacity * 24.0 * groups["rows"]
    return groups["amount"] * pack * capacity


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
        groups,
        known_instances(options, "azure"),
        _region_names(options),
        options.method,
        _disk_capacities(options),
    )
    return to_cloud_rows("azure", classified, read_, path, options)
