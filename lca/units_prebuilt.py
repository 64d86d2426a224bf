"""pint's answers to the unit questions a run usually asks, stored as data, so that such a run
never imports pint (~0.1 s) nor builds its unit registry (~0.2 s). It is the units half of the
prebuilt form that ``lca.factors.binary`` is for the factor library.

``factors/units.json`` (written by ``lca.factors.build.unit_answers`` with the library) holds:

* ``texts``: unit texts → pint's spelling of each (what ``lca.units`` reads them as): the
  library's units, the spellings people type, the names and aliases of ``units.txt``, the
  units a run asks about, and the products that fuels are matched by (``(liter) * (kWh/L)``);
* ``units``: spelling → its dimensionality and pint's text of it;
* ``conversions``: spelling → spelling → pint's conversion factor, for every two of the same
  dimensionality.

``lca.units`` answers from the file only when it was written by the installed pint version
from this very ``units.txt`` and ``lca/units.py`` and its answers still have the sha256 it
records; otherwise, and for every text the file does not hold, it asks pint. Every answer,
stored or not, is the one a new registry gives (``lca.units.pint_factor``). JSON writes a
float's shortest repr, which reads back as the same double, and
``tests/test_units_prebuilt.py`` compares every stored answer with pint's.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from lca.paths import data_dir

log = logging.getLogger(__name__)

FILE = "units.json"
FORMAT = "lca-units/1"


def digest(answers: dict) -> str:
    """The sha256 that ``units.json`` records of its answers."""
    text = json.dumps(answers, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sources_sha256() -> str:
    """The sha256 of what the answers come from besides pint: the definitions
    ``lca.units.registry`` loads (``units.txt``) and the grammar that spells a text
    (``lca/units.py``)."""
    sources = hashlib.sha256((data_dir("factors") / "units.txt").read_bytes())
    sources.update(Path(__file__).with_name("units.py").read_bytes())
    return sources.hexdigest()


def _well_formed(found: dict) -> bool:
    """Each answer of the kind its use expects (a spelling, a dimensionality and a text, a
    float factor)."""
    texts, units, conversions = found["texts"], found["units"], found["conversions"]
    return (
        isinstance(texts, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in texts.items())
        and isinstance(units, dict)
        and all(
            isinstance(u, dict)
            and isinstance(u.get("text"), str)
            and isinstance(u.get("dimensionality"), dict)
            and all(type(p) in (int, float) for p in u["dimensionality"].values())
            for u in units.values()
        )
        and isinstance(conversions, dict)
        and all(
            isinstance(row, dict) and all(type(f) is float for f in row.values())
            for row in conversions.values()
        )
    )


@lru_cache(maxsize=1)
def answers() -> dict:
    """The stored answers, or empty ones (every question to pint) when the file is missing,
    malformed, altered, or was written by another pint or from other definitions or grammar."""
    folder = data_dir("factors")
    empty: dict = {"texts": {}, "units": {}, "conversions": {}}
    try:
        table = json.loads((folder / FILE).read_text(encoding="utf-8"))
        if not isinstance(table, dict):
            raise ValueError("not a JSON object")
        stale = (
            table.get("format") != FORMAT
            or table.get("pint") != metadata.version("pint")
            or table.get("sources_sha256") != sources_sha256()
        )
        found = {key: table[key] for key in empty}
    except (
        OSError,
        ValueError,
        KeyError,
        RecursionError,
        metadata.PackageNotFoundError,
    ) as exc:
        log.info("%s not used: %s", FILE, exc)
        return empty
    if stale or digest(found) != table.get("answers_sha256") or not _well_formed(found):
        log.info("%s not used: another pint, other definitions or grammar, or altered", FILE)
        return empty
    return found


def spelled(text: str) -> str | None:
    """pint's spelling of ``text``, or None when the file does not hold it."""
    return answers()["texts"].get(text)


def dimensionality(spelling: str) -> dict[str, Any] | None:
    """A copy of the dimensionality of ``spelling``, or None when the file does not hold it."""
    unit = answers()["units"].get(spelling)
    return None if unit is None else dict(unit["dimensionality"])


def text(spelling: str) -> str | None:
    """pint's text of ``spelling`` (``str`` of its unit), or None when not held."""
    unit = answers()["units"].get(spelling)
    return None if unit is None else unit["text"]


def factor(from_spelling: str, to_spelling: str) -> float | None:
    """pint's factor from one spelling to the other, or None when the file does not hold both
    or they measure different things."""
    return answers()["conversions"].get(from_spelling, {}).get(to_spelling)
