"""A factor library that remembers its lookups.

A comparison computes the same rows with the same library once per year of the horizon and per
sensitivity case, so the same (table, keys, indicator, year, stage) lookup recurs dozens of
times; ``MemoLibrary`` answers a repeat from memory. The factors are the library's own: the
results are identical to the plain library's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd

from lca.factors.library import FactorLibrary


@dataclass(frozen=True)
class MemoLibrary(FactorLibrary):
    """``FactorLibrary`` with ``lookup`` and ``select`` memoized (per library instance)."""

    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, library: FactorLibrary, **changes) -> MemoLibrary:
        """A memoizing copy of ``library`` (with ``changes`` to its fields, e.g. factors)."""
        values = {f.name: getattr(library, f.name) for f in dataclasses.fields(FactorLibrary)}
        return cls(**{**values, **changes})

    def select(self, table: str, indicator: str | None = None, stage: str | None = None
               ) -> pd.DataFrame:
        key = ("select", table, indicator, stage)
        if key not in self.memo:
            self.memo[key] = super().select(table, indicator, stage)
        return self.memo[key]

    def lookup(self, table: str, keys: pd.Series, indicator: str, year: int,
               stage: str = "") -> pd.DataFrame:
        key = ("lookup", table, tuple(keys.astype("string").fillna("\0")), indicator, year,
               stage)
        if key not in self.memo:
            self.memo[key] = super().lookup(table, keys.reset_index(drop=True), indicator, year,
                                            stage)
        return self.memo[key].set_index(keys.index)
