"""Benchmark: `lca report` on the bundled example and on generated inventories.

Each case runs in ``--repeat`` fresh processes (so peak memory is its own) and prints the
medians: the process's wall time (interpreter start, imports and all), the imports, the
pipeline, the claims guard, the report model and results.json (written block by block and
hashed; the model first where the PDF's process draws the charts meanwhile), each renderer,
the peak RSS of the process, and the peak PSS of the process and its children (sampled every
0.1 s: as in ``lca report``, the PDF is printed by a child forked before the pipeline and the
workbook written by one forked after it, whose pages are shared with the parent until
written, and PSS counts each shared page once). The grown inventories
(``--rows``) are the example with its cloud, equipment and services rows repeated (each
equipment copy with its own asset_id); ``--cloud-rows`` adds a cloud-only inventory
(``bench_engine.py``'s generator: 1,000,000 rows → 1.5 M ledger lines, more than one sheet of
the workbook). ``--priors N`` adds the example reported with N priors (copies of
``examples/acme-2024`` as the N years before it, all recomputed) and ``--prior-rows N`` the
example with one prior grown to N input rows. Each process reports every stage as it ends, so
a case stopped by ``--timeout`` still says where its time went.

    python benchmarks/bench_report.py [--rows N ...] [--cloud-rows N] [--priors N]
        [--prior-rows N] [--repeat N] [--timeout S] [--each | --pdf-here]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from apart import apart

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import contextlib, json, resource, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
from lca.pipeline import run
from lca.report import claims
from lca.report import model as report_model
from lca.report.render import RENDERERS, draws_ahead, early_pdf, render_each
from lca.report.results import write_results_hashed
folder, out, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
each = mode == "each"
priors = tuple(sys.argv[4:])

PEAK_PSS = [0.0]

def pss_mib(pid="self"):
    try:
        with open(f"/proc/{{pid}}/smaps_rollup") as handle:
            return next(int(l.split()[1]) for l in handle if l.startswith("Pss:")) / 1024
    except (OSError, StopIteration):
        return 0.0

def sample_pss():  # this process and its children (the PDF's, the workbook's), shared pages once
    import os, threading
    def children():
        for task in os.listdir("/proc/self/task"):
            try:
                yield from open(f"/proc/self/task/{{task}}/children").read().split()
            except OSError:
                pass
    def run():
        while True:
            PEAK_PSS[0] = max(PEAK_PSS[0], pss_mib() + sum(pss_mib(c) for c in children()))
            time.sleep(0.1)
    if os.path.exists("/proc/self/smaps_rollup"):
        threading.Thread(target=run, daemon=True).start()

def stage(name, seconds, **more):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({{"stage": name, "seconds": seconds, "peak_rss_mib": peak,
                      "peak_pss_mib": PEAK_PSS[0], **more}}), flush=True)

sample_pss()

stage("imports", time.perf_counter() - start)
pdf = early_pdf() if mode == "together" else None  # as lca report: forked before the pipeline
start = time.perf_counter()
result = run(folder, priors=priors)
stage("pipeline", time.perf_counter() - start, lines=len(result.ledger))
start = time.perf_counter()
assert not [i for i in claims.check_inventory(result.inventory, result.issues)
            if i.severity.value == "error"]
stage("guard", time.perf_counter() - start)
if draws_ahead(pdf, result):  # as render_all: the model first, its charts drawn meanwhile
    start = time.perf_counter()
    model = report_model.build(result, report_model.HASH_LATER)
    stage("model", time.perf_counter() - start)
    pdf.send_ahead(model)
    start = time.perf_counter()
    _path, results_sha256 = write_results_hashed(result, out)
    model = report_model.with_results_sha256(model, results_sha256)
    stage("results.json", time.perf_counter() - start)
else:
    start = time.perf_counter()
    _path, results_sha256 = write_results_hashed(result, out)
    stage("results.json", time.perf_counter() - start)
    start = time.perf_counter()
    model = report_model.build(result, results_sha256)
    stage("model", time.perf_counter() - start)
if each:  # one after another, to see each renderer's time
    for render in RENDERERS:
        start = time.perf_counter()
        path = render(result, model, out)
        stage(path.suffix, time.perf_counter() - start)
else:  # as lca report runs them: the PDF in its early process, the workbook apart
    start = time.perf_counter()
    with pdf or contextlib.nullcontext():
        render_each(result, model, out, pdf)
    stage("renderers", time.perf_counter() - start)
"""


def generate(folder: Path, rows: int, example: Path = ROOT / "examples" / "acme") -> None:
    """The ``example`` inventory grown to ``rows`` activity rows (cloud 50 %, equipment 40 %,
    services 10 %), by repeating its rows in order; the first copy of each equipment row keeps
    its asset_id (the compute jobs run on them), the others are numbered."""
    import pandas as pd

    shutil.copytree(example, folder)
    for sheet, share in (("cloud", 0.5), ("equipment", 0.4), ("services", 0.1)):
        frame = pd.read_csv(example / f"{sheet}.csv", dtype=str, keep_default_na=False)
        count = int(rows * share)
        grown = frame.iloc[[i % len(frame) for i in range(count)]].reset_index(drop=True)
        if sheet == "equipment":
            copies = grown.index >= len(frame)
            grown.loc[copies, "asset_id"] = [f"A{i:06d}" for i in grown.index[copies]]
        grown.to_csv(folder / f"{sheet}.csv", index=False)


def generate_cloud(folder: Path, rows: int) -> None:
    """A cloud-only inventory of ``rows`` rows, as ``bench_engine.py`` writes it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_engine import generate as engine_inventory

    engine_inventory(folder, rows, 0)


def prior_years(tmp: Path, count: int) -> tuple[Path, ...]:
    """``count`` copies of the example's 2024 prior, as the years 2024, 2023 … before it."""
    import pandas as pd

    folders = []
    for back in range(count):
        folder = tmp / f"prior-{back}"
        shutil.copytree(ROOT / "examples" / "acme-2024", folder)
        settings = pd.read_csv(folder / "settings.csv", dtype=str, keep_default_na=False)
        settings.loc[settings["key"] == "reporting_year", "value"] = str(2024 - back)
        settings.to_csv(folder / "settings.csv", index=False)
        folders.append(folder)
    return tuple(folders)


def measure(
    folder: Path, out: Path, timeout: float, priors: tuple[Path, ...] = (), mode: str = "together"
) -> dict:
    """One fresh process: its stages (seconds, peak RSS) and its wall time; ``finished``
    False when it was stopped by the timeout. ``mode``: together (as lca report), here (the PDF
    printed in this process after the model) or each (the renderers one by one)."""
    code = CASE.format(root=str(ROOT))
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-c", code, str(folder), str(out), mode] + [str(p) for p in priors],
            stdout=stdout,
            text=True,
            start_new_session=True,  # its renderers' processes with it in one group
        )
        try:
            finished = process.wait(timeout=timeout) == 0
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            finished = False
        wall = time.perf_counter() - start
        stdout.seek(0)
        stages = [json.loads(line) for line in stdout if line.startswith("{")]
    shutil.rmtree(out, ignore_errors=True)
    return {"stages": stages, "wall": wall, "finished": finished}


def median_case(runs: list[dict]) -> dict:
    """Medians over runs of each stage's seconds, of the wall time and of the peak RSS."""
    names = [s["stage"] for s in runs[0]["stages"]]
    seconds = {
        name: statistics.median(
            next(s["seconds"] for s in run["stages"] if s["stage"] == name) for run in runs
        )
        for name in names
        if all(any(s["stage"] == name for s in run["stages"]) for run in runs)
    }
    return {
        "seconds": seconds,
        "wall": statistics.median(run["wall"] for run in runs),
        "walls": sorted(run["wall"] for run in runs),
        "peak_rss_mib": statistics.median(run["stages"][-1]["peak_rss_mib"] for run in runs),
        "peak_pss_mib": statistics.median(run["stages"][-1]["peak_pss_mib"] for run in runs),
        "lines": next((s["lines"] for s in runs[0]["stages"] if "lines" in s), None),
        "finished": all(run["finished"] for run in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000])
    parser.add_argument("--cloud-rows", type=int, default=0, help="0: no cloud-only case")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per process")
    parser.add_argument("--priors", type=int, default=0, help="0: no case with priors")
    parser.add_argument("--prior-rows", type=int, default=0, help="0: no grown-prior case")
    parser.add_argument("--no-example", action="store_true")
    renderers = parser.add_mutually_exclusive_group()
    renderers.add_argument(
        "--each",
        action="store_true",
        help="time each renderer alone, one after another, in this process (the PDF's time "
        "then includes importing WeasyPrint and matplotlib; lca report runs the PDF in a "
        "process forked before the pipeline and the workbook in one forked after it)",
    )
    renderers.add_argument(
        "--pdf-here",
        action="store_true",
        help="print the PDF in this process after the model, beside the workbook's process "
        "(as lca report did before its PDF process was forked before the pipeline)",
    )
    args = parser.parse_args()
    mode = "each" if args.each else "here" if args.pdf_here else "together"
    example = ROOT / "examples" / "acme"
    with tempfile.TemporaryDirectory() as tmp:
        cases = {} if args.no_example else {"example": example}
        priors: dict[str, tuple[Path, ...]] = {}
        if args.priors:
            name = f"example with {args.priors} priors"
            cases[name], priors[name] = example, prior_years(Path(tmp), args.priors)
        if args.prior_rows:
            name = f"example with a {args.prior_rows:,}-row prior"
            grown = Path(tmp) / "grown-prior"
            apart(generate, grown, args.prior_rows, ROOT / "examples" / "acme-2024")
            cases[name], priors[name] = example, (grown,)
        for rows in args.rows:
            cases[f"{rows:,} input rows"] = Path(tmp) / f"grown-{rows}"
            apart(generate, cases[f"{rows:,} input rows"], rows)
        if args.cloud_rows:
            cases[f"{args.cloud_rows:,} cloud rows"] = Path(tmp) / "cloud"
            apart(generate_cloud, cases[f"{args.cloud_rows:,} cloud rows"], args.cloud_rows)
        for name, folder in cases.items():
            out = Path(tmp) / "out" / name.replace(" ", "-")
            runs = [
                measure(folder, out, args.timeout, priors.get(name, ()), mode)
                for _ in range(args.repeat)
            ]
            m = median_case(runs)
            stages = ", ".join(f"{k} {v:.2f}" for k, v in m["seconds"].items())
            walls = "–".join(f"{w:.1f}" for w in (m["walls"][0], m["walls"][-1]))
            status = "" if m["finished"] else f" — DID NOT FINISH within {args.timeout:.0f} s"
            print(
                f"{name}: {m['lines'] or 0:,} ledger lines, wall {m['wall']:.1f} s "
                f"({walls} over {args.repeat} runs; {stages}), "
                f"peak RSS {m['peak_rss_mib']:.0f} MiB, peak PSS with its renderers' processes "
                f"{m['peak_pss_mib']:.0f} MiB{status}",
                flush=True,
            )


if __name__ == "__main__":
    main()
