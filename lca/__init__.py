"""lca: lifecycle assessment and GHG reporting for the footprint of IT and AI.

The pipeline (see ``lca.pipeline.run``) reads an inventory, validates it, maps every row to
sourced emission factors, computes a ledger (one line per input row and lifecycle stage) and
aggregates it into the totals of ``results.json``. Reports are views of the ledger.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lca")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"


def run(path, **kwargs):
    """Run the whole pipeline on an inventory (xlsx workbook or CSV folder); see
    ``lca.pipeline.run``."""
    from lca.pipeline import run as _run

    return _run(path, **kwargs)


__all__ = ["__version__", "run"]
