"""The ledger, the spine of every report: one line per input row × lifecycle stage (× part).

``contract`` states it (columns, the formula every indicator obeys, factor ids); ``assemble``
builds it from the activities' parts, fast. Read ``contract`` to know what a number means.
"""

from lca.ledger.assemble import WORKERS, LedgerPart, Spread, assemble, materialize, with_line_ids
from lca.ledger.contract import (
    COLUMNS,
    FACTOR_ID_COLUMNS,
    INDICATORS,
    NUMERIC,
    factor_id_lists,
    factor_ids,
    indicator_bounds,
    lifecycle_kgco2e,
)

__all__ = [
    "COLUMNS",
    "FACTOR_ID_COLUMNS",
    "INDICATORS",
    "NUMERIC",
    "WORKERS",
    "LedgerPart",
    "Spread",
    "assemble",
    "factor_id_lists",
    "factor_ids",
    "indicator_bounds",
    "lifecycle_kgco2e",
    "materialize",
    "with_line_ids",
]
