"""The factor library: versioned, sourced tables in ``factors/`` (see ``library.py``)."""

from lca.factors.library import FactorLibrary, load_library

__all__ = ["FactorLibrary", "load_library"]
