"""Benchmark: validate + compute on a 1,000,000-row genai_usage sheet (CSV).

Generates the inventory into benchmarks/out/genai/ (in a process of its own; seeded: a mix of
providers, dense and mixture-of-experts models, parameter ranges, regions and measured
latencies), then times read, validate and compute in this process and prints rows/s and peak
RSS.

    python benchmarks/bench_genai.py [--rows N]
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd
from apart import apart

OUT = Path(__file__).parent / "out" / "genai"
SETTINGS = "key,value\norganization,Benchmark Corp\nreporting_year,2025\n"
MIX = [  # provider, model, region
    ("openai", "gpt-4o-mini", ""),
    ("openai", "gpt-4o", "IE"),
    ("anthropic", "claude-opus-4-5", ""),
    ("anthropic", "claude-haiku-4-5", "US"),
    ("mistral", "mistral-large-2512", ""),
    ("google", "gemini-2.5-flash-image", ""),
    ("cohere", "command-a-03-2025", "DE"),
    ("huggingface_hub", "mistralai/Mixtral-8x7B-v0.1", "FR"),
]


def generate(folder: Path, rows: int) -> None:
    """Write the CSV inventory (deterministic)."""
    rng = np.random.default_rng(20)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.csv").write_text(SETTINGS)
    pick = rng.integers(0, len(MIX), rows)
    frame = pd.DataFrame(MIX, columns=["provider", "model", "region"]).iloc[pick]
    requests = rng.integers(1, 1000, rows)
    frame = frame.assign(
        requests=requests,
        output_tokens=requests * rng.integers(50, 2000, rows),
        latency_s=np.where(rng.random(rows) < 0.3, 2.5, np.nan),
        project=np.array(["chat", "code", "search"])[pick % 3],
    )
    frame.to_csv(folder / "genai_usage.csv", index=False)


def main() -> None:
    """Generate, then time each phase once."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    apart(generate, OUT, rows)
    from lca.factors.library import load_library
    from lca.pipeline import compute
    from lca.read import read_inventory
    from lca.validate import validate

    library = load_library()
    start = time.perf_counter()
    raw = read_inventory(OUT)
    read_s = time.perf_counter() - start
    inventory, issues = validate(raw, library)
    validate_s = time.perf_counter() - start - read_s
    result = compute(inventory, library, issues)
    compute_s = time.perf_counter() - start - read_s - validate_s
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{rows:,} genai_usage rows → {len(result.lines):,} ledger lines: read "
        f"{read_s:.2f} s, validate {validate_s:.2f} s, compute {compute_s:.2f} s; "
        f"{rows / (validate_s + compute_s):,.0f} rows/s (validate + compute); "
        f"peak {peak_mb:,.0f} MB"
    )


if __name__ == "__main__":
    main()
