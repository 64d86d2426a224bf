"""Importers: real files (tracker logs, provider carbon exports, billing exports, generative-AI
usage exports) → inventory
sheets with provenance.

Each importer is ``read(path, options) -> Imported``: the rows it made, per inventory sheet, in
the inventory format, each with ``source_file`` and ``source_row`` (the spreadsheet row of the
input: header = 1; for aggregated rows the first row of the group, and ``source_rows`` the
number of input rows it sums), plus notes for the user. ``write_sheets`` writes them as
``<sheet>.csv`` files ready to be merged into an inventory folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lca.importers.base import Imported, ImportOptions, write_sheets

__all__ = ["SOURCES", "ImportOptions", "Imported", "registry", "write_sheets"]

#: The sources ``lca import`` reads (names of ``registry``; listed here so that the CLI does not
#: import Arrow to show its help).
SOURCES = (
    "anthropic-usage",
    "aws-carbon",
    "aws-cur",
    "azure-cost",
    "azure-emissions",
    "carbontracker",
    "codecarbon",
    "gcp-billing",
    "gcp-carbon",
    "genai-csv",
    "openai-usage",
)


def registry() -> dict[str, Callable[[Path, ImportOptions], Imported]]:
    """Source name → importer."""
    from lca.importers import (
        aws_cur,
        azure_cost,
        carbon_exports,
        carbontracker,
        codecarbon,
        gcp_billing,
        genai,
    )

    return {
        "codecarbon": codecarbon.read,
        "carbontracker": carbontracker.read,
        "aws-carbon": carbon_exports.read_aws,
        "gcp-carbon": carbon_exports.read_gcp,
        "azure-emissions": carbon_exports.read_azure,
        "aws-cur": aws_cur.read,
        "gcp-billing": gcp_billing.read,
        "azure-cost": azure_cost.read,
        "openai-usage": genai.read_openai,
        "anthropic-usage": genai.read_anthropic,
        "genai-csv": genai.read_plain,
    }
