"""Benchmark: validate + compute on a 1,000,000-row cloud sheet and a 100,000-row equipment sheet.

Generates the CSV inventories into benchmarks/out/, then measures, each in a fresh process
(so that peak memory is the phase's own): pandas.read_csv of the cloud file alone (the
reference), and lca's read, validate and compute. Prints rows/s and peak RSS; each figure is
the median of ``--repeat`` fresh processes (first use of memory varies a lot on virtual
machines).

The cloud figures are measured twice: as numpy comes (it asks Linux for transparent huge pages
on arrays of 4 MiB and more) and with ``NUMPY_MADVISE_HUGEPAGE=0``, numpy's documented switch
that turns this off, for the reference and lca alike. lca keeps its ledger in ordinary pages
either way (``lca.ledger.ledger_array``); where huge-page faults are slow (some virtual
machines), the second line shows what they still cost the reference and compute's temporaries.

    python benchmarks/bench_engine.py [--cloud-rows N] [--equipment-rows N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from apart import apart

OUT = Path(__file__).parent / "out"
SETTINGS = "key,value\norganization,Benchmark Corp\nreporting_year,2025\n"
SITES = (
    "site_id,name,country,kind,pue\nPAR,Paris,FR,office,\nFRA,Frankfurt,DE,datacenter,1.4\n"
    "DUB,Dublin,IE,datacenter,1.2\n"
)
CLOUD_MIX = [  # provider, region, resource, usage_type, unit
    ("aws", "eu-west-3", "m5.xlarge", "compute", "h"),
    ("aws", "us-east-1", "c5.2xlarge", "compute", "h"),
    ("aws", "eu-central-1", "", "compute", "vcpu_h"),
    ("aws", "eu-west-3", "", "storage_ssd", "GB_month"),
    ("aws", "us-east-1", "", "storage_hdd", "GB_month"),
    ("aws", "eu-west-3", "", "network", "GB"),
    ("gcp", "europe-west1", "n2-standard-8", "compute", "h"),
    ("gcp", "europe-west1", "", "memory", "GB_h"),
    ("azure", "westeurope", "", "storage_ssd", "GB_h"),
    ("azure", "northeurope", "", "compute", "vcpu_h"),
]


def generate(folder: Path, cloud_rows: int, equipment_rows: int) -> None:
    """Write a CSV inventory with the given sheet sizes (deterministic, seeded)."""
    rng = np.random.default_rng(7)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.csv").write_text(SETTINGS)
    (folder / "sites.csv").write_text(SITES)
    pick = rng.integers(0, len(CLOUD_MIX), cloud_rows)
    mix = (
        pd.DataFrame(CLOUD_MIX, columns=["provider", "region", "resource", "usage_type", "unit"])
        .iloc[pick]
        .reset_index(drop=True)
    )
    mix.insert(2, "service", "Compute")
    mix["quantity"] = rng.integers(1, 10_000, cloud_rows)
    mix[["provider", "region", "service", "resource", "usage_type", "quantity", "unit"]].to_csv(
        folder / "cloud.csv", index=False
    )
    categories = np.array(["server", "laptop", "monitor", "desktop", "smartphone"])
    days = rng.integers(0, 365 * 6, equipment_rows)
    pd.DataFrame(
        {
            "asset_id": [f"A{i:07d}" for i in range(equipment_rows)],
            "category": categories[rng.integers(0, len(categories), equipment_rows)],
            "quantity": rng.integers(1, 20, equipment_rows),
            "acquired_on": (pd.Timestamp("2019-01-01") + pd.to_timedelta(days, unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "site_id": np.array(["PAR", "FRA", "DUB"])[rng.integers(0, 3, equipment_rows)],
            "power_w": rng.integers(5, 500, equipment_rows),
        }
    ).to_csv(folder / "equipment.csv", index=False)


PHASE = r"""
import json, resource, sys, time
import pandas as pd
sys.path.insert(0, {root!r})
phase, folder = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if phase == "read_csv":
    pd.read_csv(folder + "/cloud.csv")
    stages = {{}}
else:
    from lca.factors import load_library
    from lca.pipeline import compute
    from lca.read import read_inventory
    from lca.validate import validate
    library = load_library()
    start = time.perf_counter()
    t0 = time.perf_counter(); raw = read_inventory(folder); t1 = time.perf_counter()
    inventory, issues = validate(raw, library); t2 = time.perf_counter()
    timings = {{}}
    result = compute(inventory, library, issues, timings); t3 = time.perf_counter()
    errors = sum(1 for i in result.issues if i.severity.value == "error")
    stages = {{"read": t1 - t0, "validate": t2 - t1, "compute": t3 - t2,
              "ledger": timings["compute"] + timings["aggregate"],
              "uncertainty": timings["uncertainty"] + timings["data_quality"],
              "pooled_rows": result.uncertainty["pooled_rows"],
              "ledger_lines": len(result.lines), "errors": errors}}
elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"elapsed": elapsed, "peak_mb": peak_mb, **stages}}))
"""


def measure(phase: str, folder: Path, repeat: int, huge_pages: bool = True) -> dict:
    """Run one phase in ``repeat`` fresh interpreters; the median of each figure."""
    code = PHASE.format(root=str(Path(__file__).resolve().parents[1]))
    env = dict(os.environ)
    if not huge_pages:
        env["NUMPY_MADVISE_HUGEPAGE"] = "0"
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code, phase, str(folder)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    computes = [run.get("compute", 0.0) for run in runs]
    return {**medians, "compute_range": (min(computes), max(computes))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cloud-rows", type=int, default=1_000_000)
    parser.add_argument("--equipment-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cloud = OUT / "cloud-inventory"
    apart(generate, cloud, args.cloud_rows, 0)
    equipment = OUT / "equipment-inventory"
    apart(generate, equipment, 0, args.equipment_rows)
    for name, folder, rows in (
        ("cloud", cloud, args.cloud_rows),
        ("equipment", equipment, args.equipment_rows),
    ):
        modes = (True, False) if name == "cloud" else (True,)
        for huge_pages in modes:
            m = measure("lca", folder, args.repeat, huge_pages)
            work = m["validate"] + m["compute"]
            print(
                f"{name}: {rows:,} rows → {m['ledger_lines']:,.0f} ledger lines, "
                f"{m['errors']:.0f} errors" + ("" if huge_pages else ", NUMPY_MADVISE_HUGEPAGE=0")
            )
            low, high = m["compute_range"]
            print(
                f"  read {m['read']:.2f} s, validate {m['validate']:.2f} s, compute "
                f"{m['compute']:.2f} s ({low:.2f}–{high:.2f} over {args.repeat} runs); "
                f"validate+compute {rows / work:,.0f} rows/s; peak {m['peak_mb']:.0f} MB"
            )
            print(
                f"  of compute: ledger and totals {m['ledger']:.2f} s; Monte Carlo "
                f"({m['pooled_rows']:,.0f} rows pooled) and per-line quality and intervals "
                f"{m['uncertainty']:.2f} s = {m['uncertainty'] / m['ledger']:.1f} × the ledger"
            )
            if name == "cloud":
                reference = measure("read_csv", cloud, args.repeat, huge_pages)
                print(
                    f"  pandas.read_csv of the same file: {reference['elapsed']:.3f} s; "
                    f"compute / read_csv = {m['compute'] / reference['elapsed']:.2f} "
                    f"(target ≤ 3); validate+compute / read_csv = "
                    f"{work / reference['elapsed']:.2f}"
                )


if __name__ == "__main__":
    main()
