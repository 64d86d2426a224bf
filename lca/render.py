"""Render stage: write the outputs of a run into a folder.

``RENDERERS`` lists the writers in order; each takes ``(result, out_dir)`` and returns the
path it wrote. Reports (PDF, workbook) plug in here.
"""

from __future__ import annotations

from pathlib import Path

from lca.pipeline import RunResult
from lca.results import write_ledger_csv, write_results

RENDERERS = (write_results, write_ledger_csv)


def render_all(result: RunResult, out_dir: Path) -> list[Path]:
    """Run every renderer; returns the paths written."""
    return [render(result, out_dir) for render in RENDERERS]
