"""Benchmark: a partitioned CUR (Parquet, CUR 2.0 ``BILLING_PERIOD=…/`` folders) imported by
``lca import aws-cur`` with the default engine and with ``--engine dask`` (a local cluster of
two worker processes), against pyarrow's own scan of the same columns of the same files (the
floor).

    PYTHONPATH=. python benchmarks/bench_partitions.py [--rows 50000000] [--partition-rows
        1000000] [--dir /tmp/lca-bench-partitions] [--library tests/fixtures/factors]

Writes the partitions once (``bench_cur.synthetic_cur``, a fresh seed per partition, spread
over twelve monthly folders), then runs each phase in a fresh process and prints seconds,
rows/s and the peak resident memory of that process (the Dask workers' own memory is not in
the engine's figure: they are separate processes, each holding one partition at a time).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_cur import synthetic_cur

#: The columns ``lca import aws-cur`` reads from these files (the floor scans the same).
READ = [
    "lineItem/UsageStartDate",
    "lineItem/LineItemType",
    "lineItem/ProductCode",
    "product/region",
    "lineItem/UsageType",
    "pricing/unit",
    "lineItem/UsageAmount",
    "lineItem/UnblendedCost",
    "lineItem/CurrencyCode",
]


def write_partitions(rows: int, per_partition: int, folder: Path) -> Path:
    """The export under ``folder`` (reused when its marker says it has ``rows`` rows)."""
    import pyarrow.parquet as pq

    root = folder / f"cur_{rows}"
    marker = root / "_rows"
    if marker.exists() and marker.read_text() == str(rows):
        return root
    count = -(-rows // per_partition)
    for n in range(count):
        size = min(per_partition, rows - n * per_partition)
        period = root / f"BILLING_PERIOD=2024-{n % 12 + 1:02d}"
        period.mkdir(parents=True, exist_ok=True)
        pq.write_table(synthetic_cur(size, seed=n), period / f"part-{n:05d}.parquet")
    marker.write_text(str(rows))
    return root


def phase(name: str, root: Path, library: str) -> dict:
    """One phase in this process: seconds, rows, peak RSS (MB)."""
    start = time.perf_counter()
    if name == "scan-arrow":
        import pyarrow.dataset as ds

        dataset = ds.dataset(root, format="parquet", exclude_invalid_files=True)
        rows = sum(b.num_rows for b in dataset.to_batches(columns=READ))
    else:
        from lca.factors.library import read_library
        from lca.importers import ImportOptions, registry

        options = ImportOptions(library=read_library(Path(library)), year=2024, engine=name)
        start = time.perf_counter()
        imported = registry()["aws-cur"](root, options)
        rows = int(imported.sheets["cloud"]["source_rows"].sum())
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"phase": name, "rows": rows, "seconds": seconds, "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--partition-rows", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/lca-bench-partitions"))
    parser.add_argument("--library", default=str(Path(__file__).resolve().parents[1] / "factors"))
    parser.add_argument("--phase")
    parser.add_argument("--root", type=Path)
    args = parser.parse_args()
    if args.phase == "write":
        print(write_partitions(args.rows, args.partition_rows, args.dir))
        return
    if args.phase:
        print(json.dumps(phase(args.phase, args.root, args.library)))
        return
    # written by a child process: Linux carries a parent's peak RSS into the children it forks
    written = [sys.executable, __file__, "--phase", "write", "--rows", str(args.rows)]
    written += ["--partition-rows", str(args.partition_rows), "--dir", str(args.dir)]
    root = Path(subprocess.run(written, check=True, capture_output=True, text=True).stdout.strip())
    size = sum(p.stat().st_size for p in root.rglob("*.parquet")) / 1e9
    print(f"{root} ({args.rows:,} rows, {size:.2f} GB of Parquet)")
    for name in ("scan-arrow", "arrow", "dask"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--phase",
                name,
                "--root",
                str(root),
                "--library",
                args.library,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        got = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"  {name:<11} {got['seconds']:7.2f} s  {got['rows'] / got['seconds']:>12,.0f} rows/s"
            f"  peak {got['peak_mb']:7.0f} MB  ({got['rows']:,} lines in cloud rows; taxes, "
            "credits and CDN dropped)"
        )


if __name__ == "__main__":
    main()
