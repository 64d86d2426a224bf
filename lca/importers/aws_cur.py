"""AWS Cost and Usage Report (legacy ``lineItem/UsageType`` or CUR 2.0 ``line_item_usage_type``
columns; CSV or Parquet) → cloud rows.

Classification (after Cloud Carbon Footprint's, ``ccf.md`` §2.10, with its quirks corrected):
- line item types other than Usage, DiscountedUsage, SavingsPlanCoveredUsage: dropped (tax,
  fees, credits, refunds, reservation fees); CloudFront (end-user delivery): dropped;
- pricing unit Hrs/Hours with an instance usage type (BoxUsage, SpotUsage, DedicatedUsage,
  HostUsage, InstanceUsage, NodeUsage): compute, instance-hours of the instance type; ``gpu``
  when the family has GPUs (p*, g*) — written as compute rows, whose estimate includes the
  instance's GPUs; an instance type absent from the library's table is unknown;
- vCPU-Hours: compute in vCPU-hours; Fargate GB-Hours: memory (CCF counts it as SSD storage,
  as ``--method ccf`` does);
- GB-Mo: storage, SSD for SSD volumes and SSD-backed services, HDD for S3, Glacier, snapshots,
  backups and magnetic volumes; AWS bills a GB-month as GB-hours over the hours of the usage's
  month, so a line with a usage start date becomes GB-hours = GB-Mo × 24 × days of that month
  (as CCF reads it); a line without one stays GB-months (a mean month, 730.5 h);
- GB of data transfer (…Bytes usage types): network;
- Lambda GB-seconds (pricing unit ``Lambda-GB-Second`` or ``Lambda-Edge-GB-Second``, or an
  AWSLambda usage type with ``GB-Second``): compute in GB-seconds of function memory, which
  the cloud sheet turns into vCPU-hours with the library's memory per vCPU of Lambda (AWS:
  one vCPU at 1,769 MB); ``--method ccf`` instead reads the pricing units CCF knows as
  seconds (``seconds``, ``Second``, ``Lambda-GB-Second``) as vCPU-seconds, vCPU-hours =
  amount / 3600, as CCF does (``Lambda-Edge-GB-Second`` is unknown there, as in CCF). An
  AWSLambda usage type ending in ``-ARM`` runs on Graviton2 (resource ``aws_graviton2``,
  whose watts are used), others on the provider's average processor;
- everything else: unknown.

Each group carries CCF's replication factor of its service and usage type
(``billing.replication_factors``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from lca.distinct import per_distinct
from lca.importers.base import Imported, ImportOptions
from lca.importers.billing import (
    ExportColumns,
    known_instances,
    read_grouped,
    replication_factors,
    to_cloud_rows,
)

COLUMNS = {
    "region": ("product_region_code", "product_region"),
    "service": ("line_item_product_code",),
    "usage_type": ("line_item_usage_type",),
    "unit": ("pricing_unit",),
    "line_type": ("line_item_line_item_type",),
    "currency": ("line_item_currency_code",),
    "instance_type": ("product_instance_type",),
    "amount": ("line_item_usage_amount",),
    "cost": ("line_item_unblended_cost", "line_item_blended_cost"),
    "usage_start": ("line_item_usage_start_date",),
}
USAGE_LINES = ("Usage", "DiscountedUsage", "SavingsPlanCoveredUsage")
INSTANCE_USAGE = re.compile(
    r"(?:BoxUsage|SpotUsage|DedicatedUsage|HostUsage|InstanceUsage|"
    r"NodeUsage|Multi-AZUsage)"
)
GPU_FAMILY = re.compile(r"^(?:p\d|g\d|dl\d|inf\d|trn\d)")
SSD_SERVICES = (
    "AmazonDynamoDB",
    "AmazonDocDB",
    "AmazonEFS",
    "AmazonES",
    "AmazonSageMaker",
    "AmazonRDS",
    "AmazonElastiCache",
    "AmazonRedshift",
    "AmazonNeptune",
)
HDD_USAGE = re.compile(
    r"TimedStorage|Glacier|Snapshot|Backup|VolumeUsage$|"
    r"VolumeUsage\.(?:st1|sc1)"
)
SSD_USAGE = re.compile(r"VolumeUsage\.(?:gp2|gp3|io1|io2)|SSD")
NETWORK_USAGE = re.compile(r"Bytes$")
HOUR_UNITS = ("Hrs", "Hours", "hours", "Hour")
LAMBDA_UNITS = ("Lambda-GB-Second", "Lambda-Edge-GB-Second")
#: Pricing units CCF reads as vCPU-seconds (``KNOWN_USAGE_UNITS`` SECONDS_1, SECONDS_2,
#: LAMBDA_SECONDS).
CCF_SECOND_UNITS = ("seconds", "Second", "Lambda-GB-Second")
MONTH_UNITS = ("GB-Mo", "GB-Month", "GB-month", "GB-Mp")


def instance_of(usage_type: pd.Series, instance_type: pd.Series) -> pd.Series:
    """Instance type: the product column, else the usage type after ':' (db./cache. removed)."""
    parsed = usage_type.str.split(":", n=1).str[1].astype("string").fillna("")
    chosen = instance_type.where(instance_type.ne(""), parsed)
    return chosen.str.replace(r"^(db|cache|Kafka)\.", "", regex=True)


#: The columns a usage group's classification reads (its amount aside).
CLASSIFIED_BY = ["usage_type", "unit", "service", "line_type", "instance_type", "month"]


def classify(groups: pd.DataFrame, instances: set[str], method: str = "default") -> pd.DataFrame:
    """Class, cloud usage type, quantity, unit and resource of each usage group: its usage's
    (``usage_class``, once per distinct usage), the quantity its amount × ``per_amount``."""
    usage = per_distinct(groups, CLASSIFIED_BY, lambda keys: usage_class(keys, instances, method))
    return groups.assign(
        **{c: usage[c] for c in ("class", "usage_type", "unit", "resource")},
        quantity=groups["amount"] * usage["per_amount"],
    )


def usage_class(groups: pd.DataFrame, instances: set[str], method: str) -> pd.DataFrame:
    """Class, cloud usage type, unit, resource and quantity per billed amount of each usage
    (the ``CLASSIFIED_BY`` columns); with ``method`` ccf, Fargate GB-hours are SSD storage,
    as CCF counts them (quirk g), and second units are vCPU-seconds (CCF's Lambda rule)."""
    usage, unit, service = groups["usage_type"], groups["unit"], groups["service"]
    lambda_ = service.eq("AWSLambda")
    if method == "ccf":
        functions = unit.isin(CCF_SECOND_UNITS)
        function_unit, function_scale = "vcpu_h", 1 / 3600
    else:
        functions = unit.isin(LAMBDA_UNITS) | (lambda_ & usage.str.contains("GB-Second"))
        function_unit, function_scale = "GB*s", 1.0
    functions &= groups["line_type"].isin(USAGE_LINES)
    arm = functions & lambda_ & usage.str.endswith("-ARM")
    instance = instance_of(usage, groups["instance_type"])
    hours = unit.isin(HOUR_UNITS) & usage.str.contains(INSTANCE_USAGE)
    known = instance.isin(list(instances))
    gpu = hours & known & instance.str.contains(GPU_FAMILY)
    storage = unit.isin(MONTH_UNITS)
    hours_of_month = month_hours(groups["month"])
    dated = storage & hours_of_month.notna()
    fargate_memory = unit.eq("GB-Hours") & usage.str.contains("Fargate-GB-Hours", regex=False)
    backup = usage.str.contains("Backup", regex=False)
    ssd = storage & ~backup & (service.isin(SSD_SERVICES) | usage.str.contains(SSD_USAGE))
    hdd = storage & ~ssd & usage.str.contains(HDD_USAGE)
    conditions = [
        ~groups["line_type"].isin(USAGE_LINES) | service.eq("AmazonCloudFront"),
        gpu,
        hours & known,
        unit.eq("vCPU-Hours"),
        fargate_memory & (method != "ccf"),
        ssd | (fargate_memory & (method == "ccf")),
        hdd,
        unit.isin(("GB", "GigaBytes")) & usage.str.contains(NETWORK_USAGE),
        functions,
    ]
    classes = [
        "dropped",
        "gpu",
        "compute",
        "compute",
        "memory",
        "storage_ssd",
        "storage_hdd",
        "network",
        "compute",
    ]
    usage_types = [
        "",
        "compute",
        "compute",
        "compute",
        "memory",
        "storage_ssd",
        "storage_hdd",
        "network",
        "compute",
    ]
    units: list = [
        "",
        "h",
        "h",
        "vcpu_h",
        "GB_h",
        np.where(fargate_memory | dated, "GB_h", "GB_month"),
        np.where(dated, "GB_h", "GB_month"),
        "GB",
        function_unit,
    ]
    return pd.DataFrame(
        {
            "class": np.select(conditions, classes, "unknown"),
            "usage_type": np.select(conditions, usage_types, "other"),
            "unit": np.select(conditions, units, ""),
            "resource": instance.where(hours & known, "").where(~arm, "aws_graviton2"),
            "per_amount": pd.Series(1.0, index=groups.index)
            .where(~dated, hours_of_month)
            .where(~functions, function_scale),
        },
        index=groups.index,
    )


def month_hours(month: pd.Series) -> pd.Series:
    """Hours of each ``YYYY-MM`` month (NA where the text is not one)."""
    first = pd.to_datetime(month + "-01", format="%Y-%m-%d", errors="coerce")
    return first.dt.days_in_month * 24.0


def read(path: Path, options: ImportOptions) -> Imported:
    """Cloud rows of an AWS CUR file."""
    columns = ExportColumns(
        COLUMNS,
        ("amount", "cost"),
        ("region", "service", "usage_type", "unit", "line_type", "currency", "instance_type"),
        "an AWS Cost and Usage Report",
        month_of="usage_start",
    )
    read_ = read_grouped(path, columns, options)
    groups = read_.frame
    groups["currency"] = groups["currency"].replace("", "USD")
    groups["replication_factor"] = replication_factors(
        "aws", groups["service"], groups["usage_type"], options
    )
    classified = classify(groups, known_instances(options, "aws"), options.method)
    return to_cloud_rows("aws", classified, read_, path, options)
