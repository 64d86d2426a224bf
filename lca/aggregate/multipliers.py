"""The multipliers of the uncertainty analysis: per ledger line, the distribution of its
activity's or its factor's multiplier and the standard normal that drives it
(``lca.aggregate.uncertainty`` states where they come from and how they are propagated)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca import distinct

#: Multiplier kinds.
EXACT, NORMAL, LOGNORMAL = 0, 1, 2
#: Where a multiplier comes from (results.json ``uncertainty.sources``), by code.
SOURCES = ("exact", "unset", "inventory", "library_range", "default")
UNSET = SOURCES.index("unset")


class Multipliers:
    """One multiplier per line: kind, spread (normal: s; lognormal: σ of ln), μ of ln and the
    index of its driving standard normal (row or factor; −1: exact)."""

    def __init__(self, n: int):
        self.kind = np.zeros(n, dtype=np.int8)
        self.spread = np.zeros(n)
        self.mu = np.zeros(n)
        self.driver = np.full(n, -1, dtype=np.int64)
        self.source = np.full(n, SOURCES.index("exact"), dtype=np.int8)

    def set(self, where: np.ndarray, kind: int, spread, mu, source: str) -> None:
        """Set the lines of ``where`` that have no multiplier yet; exact where spread is 0."""
        where = where & (self.source == UNSET)
        spread = np.broadcast_to(np.asarray(spread, dtype="float64"), where.shape)
        mu = np.broadcast_to(np.asarray(mu, dtype="float64"), where.shape)
        self.kind[where] = np.where(spread[where] > 0, kind, EXACT)
        self.spread[where] = spread[where]
        self.mu[where] = mu[where]
        self.source[where] = SOURCES.index(source)

    def sd(self) -> np.ndarray:
        """Standard deviation of each multiplier (normal: untruncated)."""
        s, mu = self.spread, self.mu
        lognormal = np.sqrt(np.expm1(s * s) * np.exp(2 * mu + s * s))
        return np.where(self.kind == NORMAL, s, np.where(self.kind == LOGNORMAL, lognormal, 0.0))

    def distinct(self) -> tuple[np.ndarray, Multipliers]:
        """The code of each line's multiplier (kind, spread, μ and driver alike: the same
        draws) and one line of each code: ``self.draw(z)`` is ``first.draw(z)[:, codes]``,
        element for element, for a fraction of the work where many lines share a factor."""
        columns = {"kind": self.kind, "spread": self.spread, "mu": self.mu, "driver": self.driver}
        codes, at = distinct.of_columns(pd.DataFrame(columns), list(columns))
        first = Multipliers(len(at))
        first.kind, first.spread, first.mu = self.kind[at], self.spread[at], self.mu[at]
        first.driver, first.source = self.driver[at], self.source[at]
        return codes, first

    @classmethod
    def joined(cls, parts: list[Multipliers]) -> Multipliers:
        """The lines of ``parts``, one after another."""
        out = cls(0)
        for name in ("kind", "spread", "mu", "driver", "source"):
            setattr(out, name, np.concatenate([getattr(m, name) for m in parts]))
        return out

    def draw(self, z: np.ndarray) -> np.ndarray:
        """The multipliers for standard normals ``z`` (iterations × drivers, last column 0)."""
        out = np.ones((len(z), len(self.kind)))
        normal, lognormal = self.kind == NORMAL, self.kind == LOGNORMAL
        if normal.any():
            out[:, normal] = 1.0 + self.spread[normal] * z[:, self.driver[normal]]
        if lognormal.any():
            s, mu = self.spread[lognormal], self.mu[lognormal]
            out[:, lognormal] = np.exp(mu + s * z[:, self.driver[lognormal]])
        return out
