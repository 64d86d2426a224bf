"""Benchmark: lca beside Cloud Carbon Footprint (npm) and BoaviztAPI (pip) on the same inputs.

    PYTHONPATH=. python benchmarks/bench_peers.py [--cloud-rows 100000] [--devices 2000]
        [--repeat 3] [--skip-ccf] [--skip-boavizta] [--boavizta-verbose]
        [--ccf-grouping day|month|year]

Cloud: ``bench_cur.py``'s synthetic AWS CUR (CSV) goes through
  lca    ``lca import aws-cur --method ccf`` into an inventory folder, then the pipeline
         (read, validate, compute) with ``--method ccf``, in one process;
  CCF    ``peers/ccf_estimate.js`` in node: the CSV read with csv-parse, CCF's Athena query
         done in a Map, its result rows handed to @cloud-carbon-footprint/aws 0.15.0's
         unchanged ``CostAndUsageReports.getEstimates`` (row classification and the compute,
         memory, storage, networking, embodied and unknown estimators).
Devices: a generated equipment sheet (laptops, desktops, monitors, smartphones, servers; one
device a row, in service all of 2025) goes through
  lca    the pipeline (read, validate, compute);
  Boavizta  ``peers/boavizta_impacts.py`` in a venv of boaviztapi 2.5.0: each device through
         the function behind its category's endpoint, with the row's power, lifetime and
         country (``--boavizta-verbose`` also with the verbose answer, the HTTP API's default).
lca runs twice in each case: the whole pipeline (``lca.pipeline.run``: with the Monte Carlo
intervals and the per-line data quality of a reported year) and without them
(``run_year(..., intervals=False)``, as for priors), since neither peer computes either.

The peers are installed on first use into benchmarks/out/peers (``npm ci`` of
``peers/package-lock.json``; a venv with ``pip install boaviztapi==2.5.0``), not timed. Each
run is a fresh process (peers and lca alternated); its wall time (interpreter start and
imports included) is measured here and its peak RSS by /usr/bin/time (``%M``). Prints medians
(min–max) as a markdown table with each peer's time and peak over lca's, and the totals each
tool computed (a sanity check).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS = HERE / "peers"
OUT = HERE / "out" / "peers"
NODE_MODULES = OUT / "node_modules"
VENV = OUT / "boavizta-venv"
BOAVIZTA = "boaviztapi==2.5.0"
sys.path.insert(0, str(HERE))

from bench_cur import write_files  # noqa: E402

CLOUD_SETTINGS = "key,value\norganization,Benchmark Corp\nreporting_year,2024\n"
DEVICE_SETTINGS = "key,value\norganization,Benchmark Corp\nreporting_year,2025\n"
SITES = (
    "site_id,name,country,kind\nPAR,Paris,FR,office\nFRA,Frankfurt,DE,office\n"
    "DUB,Dublin,IE,office\n"
)
DEVICES = {  # category → (share, watts low, watts high)
    "laptop": (0.4, 10, 40),
    "desktop": (0.15, 40, 120),
    "monitor": (0.25, 15, 40),
    "smartphone": (0.15, 1, 3),
    "server": (0.05, 150, 600),
}

LCA_CLOUD = r"""
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
from lca.importers import ImportOptions, registry, write_sheets
from lca.factors import load_library
from lca.pipeline import run, run_year
path, folder, intervals = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "intervals"
imports = time.perf_counter() - start
start = time.perf_counter()
imported = registry()["aws-cur"](path, ImportOptions(year=2024, method="ccf"))
write_sheets(imported, folder)
import_seconds = time.perf_counter() - start
start = time.perf_counter()
if intervals:
    result = run(folder, method="ccf")
else:
    result = run_year(folder, load_library(), "ccf", intervals=False)
errors = sum(1 for i in result.issues if i.severity.value == "error")
print(json.dumps({{"imports": imports, "import": import_seconds,
                  "pipeline": time.perf_counter() - start, "errors": errors,
                  "cloud_rows": len(imported.sheets["cloud"]), "lines": len(result.lines),
                  "kwh": result.totals["energy_kwh"],
                  "kgco2e": result.totals["total_location_kgco2e"]}}))
"""

LCA_DEVICES = r"""
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from lca.factors import load_library
from lca.pipeline import run, run_year
imports = time.perf_counter() - start
start = time.perf_counter()
if sys.argv[2] == "intervals":
    result = run(sys.argv[1])
else:
    result = run_year(sys.argv[1], load_library(), intervals=False)
seconds = time.perf_counter() - start
errors = sum(1 for i in result.issues if i.severity.value == "error")
counted = result.lines[result.lines["counted"]]
stages = counted.groupby("stage", observed=True)["kgco2e"].sum().to_dict()
amortised = result.capital_goods_alternative["scope3_by_category_kgco2e"].get("2", 0.0)
pooled = (result.uncertainty or {{}}).get("pooled_rows", 0)
print(json.dumps({{"imports": imports, "pipeline": seconds, "stages": stages, "pooled": pooled,
                  "manufacturing_amortised": amortised,
                  "errors": errors, "lines": len(result.lines),
                  "kgco2e": result.totals["total_location_kgco2e"],
                  "kwh": result.totals["energy_kwh"],
                  "adpe_kgsbeq": result.totals["adpe_kgsbeq"]}}))
"""


def fail(message: str) -> None:
    """End with a message instead of a traceback."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def install(command: list[str], what: str) -> None:
    """Run an install command; its output is shown only when it fails."""
    print(f"installing {what} …", file=sys.stderr)
    try:
        done = subprocess.run(command, cwd=OUT, capture_output=True, text=True)
    except OSError as exc:
        fail(f"cannot install {what}: {exc}")
    if done.returncode:
        fail(f"cannot install {what} ({' '.join(command)}):\n{done.stdout}{done.stderr}")


def ensure_ccf() -> None:
    """@cloud-carbon-footprint/aws and csv-parse as locked in peers/package-lock.json."""
    OUT.mkdir(parents=True, exist_ok=True)
    lock = (PEERS / "package-lock.json").read_bytes()
    installed = OUT / "package-lock.json"
    if (NODE_MODULES / "@cloud-carbon-footprint" / "aws").is_dir() and (
        installed.exists() and installed.read_bytes() == lock
    ):
        return
    if shutil.which("node") is None or shutil.which("npm") is None:
        fail("node and npm are needed for Cloud Carbon Footprint (or pass --skip-ccf)")
    shutil.copy(PEERS / "package.json", OUT / "package.json")
    shutil.copy(PEERS / "package-lock.json", installed)
    install(["npm", "ci", "--no-audit", "--no-fund"], "Cloud Carbon Footprint (npm ci)")


def ensure_boavizta() -> Path:
    """The Python of a venv holding boaviztapi 2.5.0 (kept out of lca's environment)."""
    python = VENV / "bin" / "python"
    check = "import importlib.metadata as m; print(m.version('boaviztapi'))"
    found = (
        subprocess.run([python, "-c", check], capture_output=True, text=True)
        if python.exists()
        else None
    )
    if found is None or found.stdout.strip() != BOAVIZTA.split("==")[1]:
        OUT.mkdir(parents=True, exist_ok=True)
        install([sys.executable, "-m", "venv", str(VENV)], "a venv for BoaviztAPI")
        install([str(python), "-m", "pip", "install", "-q", BOAVIZTA], f"{BOAVIZTA} (pip)")
    return python


def cloud_inputs(rows: int) -> tuple[Path, Path]:
    """The CUR CSV of ``bench_cur.py`` and the folder lca imports it into (with settings)."""
    csv_path, _parquet = write_files(rows, OUT / "data")
    folder = OUT / "data" / f"cloud-inventory-{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.csv").write_text(CLOUD_SETTINGS)
    return csv_path, folder


def device_inputs(devices: int) -> Path:
    """An equipment inventory of ``devices`` rows, one device each (deterministic): acquired
    in 2023–2024, 3–6 years of lifetime, so in service all of 2025, the reporting year."""
    import pandas as pd

    folder = OUT / "data" / f"devices-{devices}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.csv").write_text(DEVICE_SETTINGS)
    (folder / "sites.csv").write_text(SITES)
    rng = np.random.default_rng(20261206)
    names = list(DEVICES)
    category = rng.choice(len(names), devices, p=[DEVICES[n][0] for n in names])
    low = np.array([DEVICES[n][1] for n in names])[category]
    high = np.array([DEVICES[n][2] for n in names])[category]
    days = rng.integers(0, 731, devices)
    pd.DataFrame(
        {
            "asset_id": [f"D{i:07d}" for i in range(devices)],
            "category": np.array(names)[category],
            "quantity": 1,
            "acquired_on": (pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "lifetime_years": rng.integers(3, 7, devices),
            "site_id": np.array(["PAR", "FRA", "DUB"])[rng.integers(0, 3, devices)],
            "power_w": np.round(low + rng.random(devices) * (high - low), 1),
        }
    ).to_csv(folder / "equipment.csv", index=False)
    return folder


def timed(name: str, command: list[str], result: Path | None = None, env=None) -> dict:
    """Run ``command`` in a fresh process: wall seconds, peak RSS (MiB) and its JSON summary
    (the last line of its stdout, or the file ``result``).

    The peak is GNU time's ``%M``: a child forked from this process and exec'd keeps this
    process's resident size as the floor of its ru_maxrss (Linux carries the old memory's
    high-water mark across exec), which here holds the generated inputs; /usr/bin/time is
    small, so the program it forks is measured from its own start."""
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    peak = logs / f"{name}.peak"
    wrapped = ["/usr/bin/time", "-f", "%M", "-o", str(peak), *command]
    with open(logs / f"{name}.out", "wb") as out, open(logs / f"{name}.err", "wb") as err:
        start = time.perf_counter()
        # in OUT: CCF's logger also writes logs/combined.log under its working directory
        code = subprocess.run(wrapped, stdout=out, stderr=err, env=env, cwd=OUT).returncode
        seconds = time.perf_counter() - start
    if code:
        fail(f"{name} failed; see {logs / name}.err")
    text = result.read_text() if result else (logs / f"{name}.out").read_text().splitlines()[-1]
    return {
        "seconds": seconds,
        "peak_mib": int(peak.read_text().split()[-1]) / 1024,
        "load": load,
        **json.loads(text),
    }


def summary(runs: list[dict]) -> dict:
    """Median, min and max of each run's seconds and peak; the first run's other figures."""
    seconds = [r["seconds"] for r in runs]
    return {
        **runs[0],
        "seconds": statistics.median(seconds),
        "low": min(seconds),
        "high": max(seconds),
        "peak_mib": statistics.median(r["peak_mib"] for r in runs),
        "loads": [round(r["load"], 2) for r in runs],
    }


def table(rows: list[tuple[str, str, int, dict, tuple[dict, dict] | None]]) -> str:
    """The markdown table; ``rows`` are (tool, case, input rows, summary, lca's summaries
    with and without intervals, for a peer)."""
    lines = [
        "| tool | case | rows | median s (min–max) | rows/s | peak MiB "
        "| time / lca (/ lca no intervals) | peak / lca |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for tool, case, n, s, lca in rows:
        ratios = "| | "
        if lca:
            full, point = lca
            ratios = (
                f"| {s['seconds'] / full['seconds']:.1f} × "
                f"({s['seconds'] / point['seconds']:.1f} ×) "
                f"| {s['peak_mib'] / full['peak_mib']:.2f} × |"
            )
        lines.append(
            f"| {tool} | {case} | {n:,} | {s['seconds']:.2f} ({s['low']:.2f}–{s['high']:.2f}) "
            f"| {n / s['seconds']:,.0f} | {s['peak_mib']:,.0f} {ratios}"
        )
    return "\n".join(lines)


def print_totals(s: dict, cloud_rows: int, devices: int) -> None:
    """Each tool's totals on the inputs (from its first run): a sanity check."""
    lca = s["lca-cloud"]
    print(
        f"\nAWS CUR, {cloud_rows:,} rows: lca --method ccf {lca['kgco2e']:,.1f} kgCO2e, "
        f"{lca['kwh']:,.1f} kWh ({lca['cloud_rows']} cloud rows, {lca['lines']} ledger lines; "
        f"import {lca['import']:.2f} s, pipeline {lca['pipeline']:.2f} s in the first run)"
    )
    if "ccf" in s:
        ccf = s["ccf"]
        print(
            f"  CCF {ccf['kgco2e']:,.1f} kgCO2e, {ccf['kwh']:,.1f} kWh ({ccf['athena_rows']:,} "
            f"Athena rows, {ccf['service_estimates']:,} service estimates of which "
            f"{ccf['service_estimates_nan']:,} NaN left out; read + query "
            f"{ccf['read_seconds']:.2f} s, getEstimates {ccf['estimate_seconds']:.2f} s)"
        )
    lca = s["lca-devices"]
    print(
        f"Devices, {devices:,}: lca {lca['kgco2e']:,.1f} kgCO2e, {lca['kwh']:,.1f} kWh, "
        f"{lca['adpe_kgsbeq']:.4f} kgSbeq ({lca['lines']} ledger lines; kgCO2e by stage "
        f"{', '.join(f'{k} {v:,.1f}' for k, v in lca['stages'].items())}: capital goods in "
        f"the year acquired, none here; amortised over the lifetime, as BoaviztAPI does, "
        f"manufacturing {lca['manufacturing_amortised']:,.1f})"
    )
    if "boavizta" in s:
        b = s["boavizta"]
        print(
            f"  BoaviztAPI GWP {b['gwp_embedded']:,.1f} embedded + {b['gwp_use']:,.1f} use kgCO2e, "
            f"ADPe {b['adp_embedded']:.4f} + {b['adp_use']:.4f} kgSbeq, "
            f"PE {b['pe_embedded']:,.0f} + {b['pe_use']:,.0f} MJ "
            f"(imports {b['imports_seconds']:.2f} s, impacts {b['impacts_seconds']:.2f} s "
            "in the first run)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cloud-rows", type=int, default=100_000)
    parser.add_argument("--devices", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-ccf", action="store_true")
    parser.add_argument(
        "--ccf-grouping",
        choices=("day", "month", "year"),
        default="day",
        help="the period CCF's Athena query groups usage by (its getEstimates' grouping)",
    )
    parser.add_argument("--skip-boavizta", action="store_true")
    parser.add_argument(
        "--boavizta-verbose",
        action="store_true",
        help="ask BoaviztAPI for its verbose answer (the HTTP API's default) as well",
    )
    args = parser.parse_args()
    if not Path("/usr/bin/time").exists():
        fail("GNU time (/usr/bin/time) measures each run's peak memory: apt-get install time")
    if not args.skip_ccf:
        ensure_ccf()
    boavizta = None if args.skip_boavizta else ensure_boavizta()
    cur, cloud = cloud_inputs(args.cloud_rows)
    devices = device_inputs(args.devices)
    python = [sys.executable, "-c"]
    node_env = {**os.environ, "NODE_PATH": str(NODE_MODULES), "NODE_ENV": "production"}
    ccf_out, boavizta_out = OUT / "ccf.json", OUT / "boavizta.json"
    runs: dict[str, list[dict]] = {}
    print(f"load average at start: {os.getloadavg()}", file=sys.stderr)
    lca_cloud = [*python, LCA_CLOUD.format(root=str(ROOT)), str(cur), str(cloud)]
    lca_devices = [*python, LCA_DEVICES.format(root=str(ROOT)), str(devices)]
    for round_ in range(args.repeat):
        cases = []
        if not args.skip_ccf:
            js = ["node", str(PEERS / "ccf_estimate.js"), str(cur), str(ccf_out), args.ccf_grouping]
            cases.append(("ccf", js, ccf_out, node_env))
        cases.append(("lca-cloud", [*lca_cloud, "intervals"], None, None))
        cases.append(("lca-cloud-point", [*lca_cloud, "point"], None, None))
        if boavizta:
            worker = [str(boavizta), str(PEERS / "boavizta_impacts.py")]
            worker += [str(devices / f) for f in ("equipment.csv", "sites.csv")]
            cases.append(("boavizta", [*worker, str(boavizta_out)], boavizta_out, None))
            if args.boavizta_verbose:
                verbose = [*worker, str(boavizta_out), "--verbose"]
                cases.append(("boavizta-verbose", verbose, boavizta_out, None))
        cases.append(("lca-devices", [*lca_devices, "intervals"], None, None))
        cases.append(("lca-devices-point", [*lca_devices, "point"], None, None))
        for name, command, result, env in cases:
            run = timed(name, command, result, env)
            runs.setdefault(name, []).append(run)
            print(f"round {round_ + 1} {name}: {json.dumps(run)}", file=sys.stderr)
    print(f"load average at end: {os.getloadavg()}", file=sys.stderr)
    s = {name: summary(r) for name, r in runs.items()}
    cloud_lca = (s["lca-cloud"], s["lca-cloud-point"])
    devices_lca = (s["lca-devices"], s["lca-devices-point"])
    rows = []
    if "ccf" in s:
        rows.append(("Cloud Carbon Footprint", "AWS CUR", args.cloud_rows, s["ccf"], cloud_lca))
    rows.append(("lca", "AWS CUR", args.cloud_rows, s["lca-cloud"], None))
    rows.append(("lca, no intervals", "AWS CUR", args.cloud_rows, s["lca-cloud-point"], None))
    for name, tool in (("boavizta", "BoaviztAPI"), ("boavizta-verbose", "BoaviztAPI, verbose")):
        if name in s:
            rows.append((tool, "devices", args.devices, s[name], devices_lca))
    rows.append(("lca", "devices", args.devices, s["lca-devices"], None))
    rows.append(("lca, no intervals", "devices", args.devices, s["lca-devices-point"], None))
    print(table(rows))
    print(
        "\nload average (1 min) at each run's start: "
        + "; ".join(f"{n} {v['loads']}" for n, v in s.items())
    )
    print_totals(s, args.cloud_rows, args.devices)


if __name__ == "__main__":
    main()
