"""Benchmark: classify and aggregate a synthetic AWS CUR-like file against reading it.

    PYTHONPATH=. python benchmarks/bench_cur.py [--rows 1000000] [--dir /tmp/lca-bench]
                                               [--library tests/fixtures/factors]

Writes a deterministic CUR-like file (CSV and Parquet, legacy CUR column names, 40 usage
types × 12 regions, taxes and credits mixed in), then times, each phase in its own process so
that its peak resident memory (ru_maxrss) is its own:
  read-pandas     pandas.read_csv (default engine) / pandas.read_parquet of the whole file
  read-arrow      pyarrow.csv.read_csv / pyarrow.parquet.read_table of the whole file
  import          lca's aws-cur importer: read the needed columns, classify, aggregate, and
                  estimate unknown usage (the whole of ``lca import aws-cur``)
and prints seconds, rows/s, peak MB and the import/read time ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from apart import apart

REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-southeast-2",
    "sa-east-1",
    "ca-central-1",
)
USAGE = (  # (product code, usage type, pricing unit)
    *[
        ("AmazonEC2", f"BoxUsage:{t}", "Hrs")
        for t in (
            "m5.xlarge",
            "m5.2xlarge",
            "c5.large",
            "c5.4xlarge",
            "r5.xlarge",
            "t3.medium",
            "p4d.24xlarge",
            "g5.xlarge",
            "m6i.large",
            "c6g.xlarge",
        )
    ],
    *[("AmazonEC2", f"SpotUsage:{t}", "Hrs") for t in ("m5.large", "c5.9xlarge")],
    ("AmazonRDS", "InstanceUsage:db.m5.large", "Hrs"),
    ("AmazonRDS", "RDS:GP2-Storage", "GB-Mo"),
    ("AmazonEC2", "EBS:VolumeUsage.gp3", "GB-Mo"),
    ("AmazonEC2", "EBS:VolumeUsage.gp2", "GB-Mo"),
    ("AmazonEC2", "EBS:VolumeUsage.st1", "GB-Mo"),
    ("AmazonEC2", "EBS:SnapshotUsage", "GB-Mo"),
    ("AmazonS3", "TimedStorage-ByteHrs", "GB-Mo"),
    ("AmazonS3", "TimedStorage-GlacierByteHrs", "GB-Mo"),
    ("AmazonS3", "Requests-Tier1", "Requests"),
    ("AmazonS3", "Requests-Tier2", "Requests"),
    ("AmazonEC2", "DataTransfer-Regional-Bytes", "GB"),
    ("AmazonEC2", "DataTransfer-Out-Bytes", "GB"),
    ("AmazonEC2", "EUC1-AWS-Out-Bytes", "GB"),
    ("AmazonCloudFront", "DataTransfer-Out-Bytes", "GB"),
    ("AmazonEC2", "NatGateway-Hours", "Hrs"),
    ("AmazonEC2", "NatGateway-Bytes", "GB"),
    ("AWSELB", "LoadBalancerUsage", "Hrs"),
    ("AmazonECS", "Fargate-vCPU-Hours:perCPU", "vCPU-Hours"),
    ("AmazonECS", "Fargate-GB-Hours", "GB-Hours"),
    ("AWSLambda", "Lambda-GB-Second", "Lambda-GB-Second"),
    ("AmazonDynamoDB", "TimedStorage-ByteHrs", "GB-Mo"),
    ("AmazonDynamoDB", "ReadRequestUnits", "ReadRequestUnits"),
    ("AmazonCloudWatch", "CW:MetricMonitorUsage", "Metrics"),
    ("AmazonEFS", "TimedStorage-ByteHrs", "GB-Mo"),
    ("AmazonSageMaker", "ml.p3.2xlarge-Training", "Hrs"),
    ("AWSGlue", "ETL-DPU-Hour", "DPU-Hour"),
)
LINE_TYPES = (
    ("Usage",) * 90
    + ("DiscountedUsage",) * 5
    + ("SavingsPlanCoveredUsage",) * 3
    + ("Tax", "Credit")
)


def synthetic_cur(rows: int, seed: int = 20261123):
    """A CUR-like Arrow table of ``rows`` rows (legacy ``lineItem/...`` column names)."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    usage = rng.integers(0, len(USAGE), rows)
    products = np.array([u[0] for u in USAGE], dtype=object)[usage]
    types = np.array([u[1] for u in USAGE], dtype=object)[usage]
    units = np.array([u[2] for u in USAGE], dtype=object)[usage]
    line = np.array(LINE_TYPES, dtype=object)[rng.integers(0, len(LINE_TYPES), rows)]
    day = rng.integers(0, 365, rows)
    start = np.datetime64("2024-01-01T00:00:00") + day.astype("timedelta64[D]")
    return pa.table(
        {
            "identity/LineItemId": [f"li-{i:09d}" for i in range(rows)],
            "lineItem/UsageStartDate": np.datetime_as_string(start, unit="s"),
            "lineItem/UsageAccountId": rng.integers(100000000000, 100000000020, rows).astype(str),
            "lineItem/LineItemType": line,
            "lineItem/ProductCode": products,
            "product/region": np.array(REGIONS, dtype=object)[rng.integers(0, len(REGIONS), rows)],
            "lineItem/UsageType": types,
            "pricing/unit": units,
            "lineItem/UsageAmount": np.round(rng.gamma(2.0, 5.0, rows), 6),
            "lineItem/UnblendedCost": np.round(rng.gamma(2.0, 0.5, rows), 6),
            "lineItem/CurrencyCode": np.full(rows, "USD", dtype=object),
            "resourceTags/user:team": np.array(("ml", "web", "data", ""), dtype=object)[
                rng.integers(0, 4, rows)
            ],
        }
    )


def write_files(rows: int, folder: Path) -> tuple[Path, Path]:
    """The synthetic CUR as CSV and Parquet in ``folder`` (reused when already there)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    csv_path, parquet_path = folder / f"cur_{rows}.csv", folder / f"cur_{rows}.parquet"
    if not (csv_path.exists() and parquet_path.exists()):
        table = synthetic_cur(rows)
        pacsv.write_csv(table, csv_path)
        pq.write_table(table, parquet_path)
    return csv_path, parquet_path


def phase(name: str, path: Path, library: str) -> dict:
    """Run one phase in this process; return its seconds, peak RSS (MB) and rows out."""
    parquet = path.suffix == ".parquet"
    # every side's modules are imported before its timer starts (the reads' timers took in
    # pandas' and pyarrow's imports, ~0.3 s, until 2026-12-06; the import's took in lca's
    # activity modules, ~0.1 s, until 2026-12-07); lca's unit registry, built on its first
    # use, is work of the import and stays inside
    if name == "read-pandas":
        import pandas as pd

        start = time.perf_counter()
        frame = pd.read_parquet(path) if parquet else pd.read_csv(path)
        rows = len(frame)
    elif name == "read-arrow":
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        start = time.perf_counter()
        rows = (pq.read_table(path) if parquet else pacsv.read_csv(path)).num_rows
    else:
        import lca.activities.cloud  # noqa: F401  (the estimate's, imported on its first call)
        from lca.factors.library import read_library
        from lca.importers import ImportOptions, registry

        options = ImportOptions(library=read_library(Path(library)), year=2024)
        start = time.perf_counter()
        rows = len(registry()["aws-cur"](path, options).sheets["cloud"])
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"phase": name, "rows": rows, "seconds": seconds, "peak_mb": peak_mb}


def measure(name: str, path: Path, library: str) -> dict:
    """``phase`` in a fresh Python process (so peak memory is the phase's own)."""
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--file", str(path), "--library", library],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/lca-bench"))
    parser.add_argument("--library", default=str(Path(__file__).resolve().parents[1] / "factors"))
    parser.add_argument("--phase")
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.file, args.library)))
        return
    for path in apart(write_files, args.rows, args.dir):
        results = {
            name: measure(name, path, args.library)
            for name in ("read-pandas", "read-arrow", "import")
        }
        print(f"{path.name} ({path.stat().st_size / 1e6:.0f} MB)")
        for r in results.values():
            print(
                f"  {r['phase']:<12} {r['seconds']:7.2f} s  {args.rows / r['seconds']:>12,.0f} "
                f"input rows/s  peak {r['peak_mb']:7.0f} MB  ({r['rows']:,} rows out)"
            )
        took = results["import"]["seconds"]
        print(
            f"  import / read-pandas = {took / results['read-pandas']['seconds']:.2f}, "
            f"import / read-arrow = {took / results['read-arrow']['seconds']:.2f}"
        )


if __name__ == "__main__":
    main()
