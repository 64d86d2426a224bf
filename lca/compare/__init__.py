"""Procurement comparison (``lca compare``): purchasing options side by side over their life.

Contract: ``shared/spec/compare.md``. The annual engine does all the accounting: each option's
rows are validated by ``lca.validate`` and computed by ``lca.pipeline.compute`` once per year
of the horizon; this package only expands devices into their replacements, sums the per-year
ledgers and renders the comparison.
"""

from lca.compare.model import CompareResult, compare

__all__ = ["CompareResult", "compare"]
