"""Exceptions: for bugs and I/O failures only. Problems in user input are ``Issue`` records.

One base class; each concrete class also subclasses the built-in it specialises, and its
docstring says the cause and the remedy.
"""


class LcaError(Exception):
    """Base class of every exception lca raises on purpose."""


class FactorLibraryError(LcaError, ValueError):
    """The factor library on disk is inconsistent (bad manifest, hash mismatch, bad unit).

    Cause: a factor file was edited by hand or a build was interrupted. Remedy: rebuild with
    ``python -m lca.factors.build`` or restore the released ``factors/`` folder.
    """


class InputFileError(LcaError, OSError):
    """An inventory file cannot be opened at all (missing, unreadable, not a workbook).

    The message names the file. Problems *inside* a readable file are reported as issues.
    """
