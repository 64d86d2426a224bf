"""Benchmark: `lca report` on the bundled example and on a generated 10,000-line inventory.

Each case runs in a fresh process (so peak memory is its own) and prints the seconds of the
pipeline, of the claims guard plus report model, and of each renderer, and the peak RSS. The
large inventory is the example with its cloud, equipment and services rows repeated (each
equipment copy with its own asset_id) up to the requested number of rows.

    python benchmarks/bench_report.py [--rows N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from lca.report import claims
from lca.report import model as report_model
from lca.pipeline import run
from lca.report.render import RENDERERS
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
seconds = {{}}
start = time.perf_counter()
result = run(folder)
seconds["pipeline"] = time.perf_counter() - start
start = time.perf_counter()
assert not claims.check_inventory(result.inventory)
model = report_model.build(result)
seconds["guard_and_model"] = time.perf_counter() - start
for render in RENDERERS:
    start = time.perf_counter()
    path = render(result, model, out)
    seconds[path.suffix] = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"lines": len(result.ledger), "seconds": seconds, "peak_rss_mib": peak}}))
"""


def generate(folder: Path, rows: int) -> None:
    """The example inventory grown to ``rows`` activity rows (cloud 50 %, equipment 40 %,
    services 10 %), by repeating its rows in order."""
    import pandas as pd

    example = ROOT / "examples" / "acme"
    shutil.copytree(example, folder)
    for sheet, share in (("cloud", 0.5), ("equipment", 0.4), ("services", 0.1)):
        frame = pd.read_csv(example / f"{sheet}.csv", dtype=str, keep_default_na=False)
        count = int(rows * share)
        grown = frame.iloc[[i % len(frame) for i in range(count)]].reset_index(drop=True)
        if sheet == "equipment":
            grown["asset_id"] = [f"A{i:06d}" for i in range(count)]
        grown.to_csv(folder / f"{sheet}.csv", index=False)


def measure(folder: Path, out: Path) -> dict:
    code = CASE.format(root=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        large = Path(tmp) / "large"
        generate(large, args.rows)
        cases = {"example": ROOT / "examples" / "acme", f"{args.rows:,} input rows": large}
        for name, folder in cases.items():
            figures = measure(folder, Path(tmp) / "out" / name.replace(" ", "-"))
            total = sum(figures["seconds"].values())
            stages = ", ".join(f"{k} {v:.2f}" for k, v in figures["seconds"].items())
            print(
                f"{name}: {figures['lines']} ledger lines, {total:.1f} s ({stages}), "
                f"peak RSS {figures['peak_rss_mib']:.0f} MiB"
            )


if __name__ == "__main__":
    main()
