"""How a key of the inventory, the ledger or the factor library is printed.

``label`` prints one key (``gpu_server`` → GPU server, from the ``labels`` of the disclosure
data file); ``human`` prints an engine text that holds keys, such as a ledger line's label
(``natural_gas combustion · PAR-HQ`` → natural gas combustion · PAR-HQ): each key in it is
replaced by its name, every other word (ids and names the user typed) left as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache

from lca.paths import data_dir
from lca.spec import SHEETS

#: A word that may be a key: lower case, digits and at least one underscore.
_KEY = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")


@lru_cache(maxsize=1)
def disclosures() -> dict:
    """The disclosure data file (ESRS rows, ISO 14064-1 items, methodology text)."""
    return json.loads((data_dir("templates") / "disclosures.json").read_text(encoding="utf-8"))


def label(key) -> str:
    """A key of the inventory or the ledger as people read it (``gpu_server`` → GPU server):
    the ``labels`` of the disclosure data file, else the key with its underscores as spaces."""
    key = "" if key is None else str(key)
    return disclosures()["labels"].get(key, key.replace("_", " "))


@lru_cache(maxsize=1)
def format_keys() -> frozenset[str]:
    """The keys of the inventory format: every allowed value of a choice column, and every
    key the disclosure data file labels."""
    choices = {
        str(choice)
        for sheet in SHEETS.values()
        for column in sheet.columns
        for choice in (column.choices or ())
    }
    return frozenset(choices | set(disclosures()["labels"]))


def human(text, names: Mapping[str, str] | None = None) -> str:
    """``text`` with each key in it as people read it: a key of ``names`` (the library's
    names, such as a hardware key's) by its name, a key of the inventory format by its
    ``label``; any other word as written."""
    names = names or {}

    def named(match: re.Match) -> str:
        key = match.group(0)
        if key in names:
            return names[key]
        return label(key) if key in format_keys() else key

    return _KEY.sub(named, "" if text is None else str(text))


def library_names(library) -> dict[str, str]:
    """The factor library's names of its keys: hardware (``compute_hardware_names``)."""
    table = library.tables.get("compute_hardware_names")
    if table is None:
        return {}
    return dict(zip(table["key"].astype(str), table["name"].astype(str), strict=True))
