"""``python -m lca.report.method_sizes``: measure the size of every difference between lca's
default method and each reproduced tool on the bundled example, and write it to
``lca/methods/example_sizes.json`` (results.json ``method.difference_sizes_on_example``)."""

from __future__ import annotations

import json
from pathlib import Path

from lca.methods.sizes import SHEETS, SIZES, measure
from lca.pipeline import run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "acme"


def measure_example(folder: Path) -> dict[str, dict[str, dict]]:
    """Sizes of every tool's differences on the inventory ``folder``."""
    default = run(folder).ledger
    return {
        method: measure(default, run(folder, method=method).ledger, method) for method in SHEETS
    }


if __name__ == "__main__":
    SIZES.write_text(
        json.dumps(measure_example(EXAMPLE), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(SIZES)
