"""Benchmark: read + validate a 100,000-row equipment workbook.

Builds the workbook (openpyxl write-only, not timed), then reads and validates it in a fresh
child process and prints rows/s and the child's peak resident memory (getrusage ru_maxrss,
which also counts calamine's Rust allocations that tracemalloc cannot see). Target: ≥ 20,000
rows/s. Uses the fixture factor library (validation needs only its country table).

    PYTHONPATH=. python benchmarks/bench_import.py [--rows 100000] [--keep PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from apart import apart

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ("server", "laptop", "monitor", "switch", "desktop", "storage_array")


def build(path: Path, rows: int) -> None:
    """An inventory whose equipment sheet has ``rows`` rows of typical cells."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    settings = book.create_sheet("settings")
    for record in (["key", "value"], ["organization", "Bench"], ["reporting_year", 2024]):
        settings.append(record)
    sites = book.create_sheet("sites")
    sites.append(["site_id", "country", "kind"])
    sites.append(["PAR-DC", "FR", "datacenter"])
    sites.append(["LON-HQ", "GB", "office"])
    equipment = book.create_sheet("equipment")
    equipment.append(
        [
            "asset_id",
            "category",
            "model",
            "quantity",
            "acquired_on",
            "lifetime_years",
            "retired_on",
            "site_id",
            "condition",
            "power_w",
        ]
    )
    for i in range(rows):
        equipment.append(
            [
                f"A{i:07d}",
                CATEGORIES[i % 6],
                f"Model {i % 40}",
                1 + i % 3,
                dt.date(2019 + i % 5, 1 + i % 12, 1 + i % 28),
                4 + i % 3,
                None,
                ("PAR-DC", "LON-HQ")[i % 2],
                ("new", "refurbished")[i % 7 == 0],
                50 + i % 400,
            ]
        )
    book.save(path)


def measure(path: Path) -> dict:
    """Read and validate ``path``; rows/s and peak memory of this process."""
    sys.path.insert(0, str(ROOT))
    from lca.factors.library import read_library
    from lca.read import read_inventory
    from lca.validate import validate

    library = read_library(ROOT / "tests" / "fixtures" / "factors")
    start = time.perf_counter()
    raw = read_inventory(path)
    read_s = time.perf_counter() - start
    inventory, issues = validate(raw, library)
    total_s = time.perf_counter() - start
    rows = inventory.rows_read["equipment"]
    return {
        "rows": rows,
        "rejected": inventory.rows_rejected["equipment"],
        "errors": sum(i.severity.value == "error" for i in issues),
        "read_s": round(read_s, 3),
        "total_s": round(total_s, 3),
        "rows_per_s": round(rows / total_s),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the workbook at this path")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "equipment.xlsx"
        if not path.exists():
            apart(build, path, args.rows)
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(child.stdout)
    print(
        f"read + validate {figures['rows']:,} equipment rows: {figures['total_s']:.2f} s "
        f"(read {figures['read_s']:.2f} s) = {figures['rows_per_s']:,} rows/s; "
        f"peak memory {figures['peak_rss_mib']:,} MiB; {figures['errors']} error(s)"
    )


if __name__ == "__main__":
    main()
