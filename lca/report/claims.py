"""The claims guard: no claim of neutrality or compensation ever reaches a report.

The phrase list is data (``claims_phrases.csv``, built from standards.md §4.6): ``block``
phrases refuse the report, ``review`` phrases are disclosed as warnings, ``allow`` spans (policy
references such as "EU climate neutrality by 2050") override both. Text is normalised before
matching (NFKC, format characters — zero-width, bidirectional controls — removed, letters of
other scripts that look like Latin ones replaced by them, after Unicode's confusables data as
shipped by ``confusable_homoglyphs``: "Carbоn" with a Cyrillic "о" reads "carbon"; casefold,
every dash to "-", a run of separators — spaces of any kind, tabs, underscores, hyphens, a dot
between letters — to one space); Latin phrases match on word boundaries, CJK and Japanese as
substrings with an optional space between characters. Choice columns (the format's own codes,
such as ``green_tariff``) are not checked once validated.
"""

from __future__ import annotations

import csv
import re
import re._constants as _re_constants  # type: ignore[import-not-found]
import re._parser as _re_parser  # type: ignore[import-not-found]
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from confusable_homoglyphs import confusables

from lca.issues import Issue, Severity, SourceRef
from lca.spec import SHEETS

PHRASES = Path(__file__).resolve().parent / "claims_phrases.csv"

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"), "-")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u200a\u202f\u3000"), " ")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
#: Word separators, read as one space: a run of white space (any Unicode space, tab, line
#: break), underscores and hyphens, or a dot or middle dot between two letters
#: ("gross.total", the katakana middle dot "・" between words; a dot in a number or before a
#: space is punctuation).
_SEPARATORS = re.compile(r"[\s_\-]+|(?<=[^\W\d_])[.\u00b7\u30fb](?=[^\W\d_])")
_NON_LATIN = ("zh", "ja")


def normalise(text: str) -> str:
    """NFKC, format characters removed, Latin look-alikes made Latin, casefold, dashes
    unified, every run of separators (spaces of any kind, tabs, underscores, hyphens, a dot
    between letters) one plain space: "Gross  Total", "gross_total" and "gross.total" read
    "gross total"; a lone hyphen stays."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_ZERO_WIDTH)
    if not text.isascii():
        text = "".join(_latin(char) for char in text if unicodedata.category(char) != "Cf")
    return _SEPARATORS.sub(_separator, text.translate(_DASHES).translate(_SPACES).casefold())


def _separator(found: re.Match) -> str:
    """One space for a run of separators; a lone hyphen stays, so that a span quoted in a
    message reads as written ("well-to-tank")."""
    return "-" if found.group(0) == "-" else " "


@lru_cache(maxsize=4096)
def _latin(char: str) -> str:
    """The ASCII letter or digit a character of another script is confusable with (TR39
    confusables, e.g. Cyrillic "о" → "o", Greek "Ν" → "N"), else the character itself."""
    if char.isascii() or not char.isalnum():
        return char
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin", "common"])
    for entry in found or ():
        for glyph in entry["homoglyphs"]:
            if glyph["c"].isascii() and glyph["c"].isalnum():
                return glyph["c"]
    return char


def phrase_regex(phrase: str, between_characters: bool = False) -> str:
    """The regex of one phrase of the list's mini-syntax (see the CSV header);
    ``between_characters``: a separator may stand between any two characters (Chinese and
    Japanese, written without spaces: a space or underscore between two characters of a
    phrase does not hide it)."""
    out, groups = [], []
    text = normalise(phrase)
    index = 0
    while index < len(text):
        char = text[index]
        if between_characters and index and char not in "()|":
            out.append("[ ]?")
        if char == "(":
            groups.append(False)
            out.append("(?:")
        elif char == ")":
            out.append(")" if groups.pop() else ")?")
        elif char == "|":
            groups[-1] = True
            out.append("|")
        elif text.startswith("\\d", index):
            out.append(r"\d")
            index += 1
        elif char in " -":
            out.append(r"[\s\-]?")
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


@dataclass(frozen=True)
class Checker:
    """Compiled block, review and allow patterns; ``hint``, when known, matches every
    normalised text in which a block, review or target pattern can match (``hint_pattern``)."""

    block: re.Pattern
    review: re.Pattern
    allow: re.Pattern
    target: re.Pattern
    hint: re.Pattern | None = None

    def find(self, text: str, review: bool = True) -> list[tuple[str, str]]:
        """(tier, matched text) of every block/review hit outside an allowed span (only the
        block hits when ``review`` is False)."""
        norm = normalise(text)
        if self.hint is not None and not self.hint.search(norm):
            return []  # no phrase can match here: the same answer, without the long patterns
        allowed = [m.span() for m in self.allow.finditer(norm)]
        targets = [m for m in self.target.finditer(norm) if not _inside(m.span(), allowed)]
        hits = [("review", m.group(0)) for m in targets] if review else []
        allowed += [m.span() for m in targets]
        tiers = (("block", self.block), ("review", self.review))
        for tier, pattern in tiers if review else tiers[:1]:
            hits += [
                (tier, m.group(0)) for m in pattern.finditer(norm) if not _inside(m.span(), allowed)
            ]
        return hits


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def _combine(entries: list[tuple[str, str]]) -> re.Pattern:
    parts = []
    for lang, phrase in entries:
        if lang in _NON_LATIN:
            parts.append(phrase_regex(phrase, between_characters=True))
        else:
            parts.append(rf"(?<!\w)(?:{phrase_regex(phrase)})(?!\w)")
    # Longest phrases first, so that the reported span is the most specific one.
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts))


def needed_texts(items) -> set[str] | None:
    """Texts of which every match of a parsed pattern (``re._parser``'s items) contains one,
    or None where none is known: the longest literal run, or one text per alternative, of the
    parts every match goes through (an optional part, a class, an assertion or a group read
    case-blind gives none)."""
    if getattr(getattr(items, "state", None), "flags", 0) & re.IGNORECASE:
        return None  # literals read case-blind match other texts than their own
    candidates, run = [], ""
    for op, value in [*items, (None, None)]:
        if op is _re_constants.LITERAL:
            run += chr(value)
            continue
        if run:
            candidates.append({run})
        run = ""
        if op is _re_constants.SUBPATTERN:  # its literals read case-blind: none of them
            found = None if value[1] & re.IGNORECASE else needed_texts(value[-1])
        elif op is _re_constants.BRANCH:
            found = set()
            for alternative in value[1]:
                each = needed_texts(alternative)
                if each is None:
                    found = None
                    break
                found |= each
        elif op in (_re_constants.MAX_REPEAT, _re_constants.MIN_REPEAT) and value[0] >= 1:
            found = needed_texts(value[2])
        else:
            found = None
        if found:
            candidates.append(found)
    # the rarest: the longest shortest text (a letter of another script weighs three)
    weight = lambda text: sum(1 if c.isascii() else 3 for c in text)  # noqa: E731
    return max(candidates, key=lambda c: min(map(weight, c)), default=None)


def hint_pattern(*patterns: re.Pattern) -> re.Pattern | None:
    """A pattern that finds one of the texts that every match of ``patterns`` contains
    (``needed_texts``): where it does not match, none of them can. None where one has no such
    texts. A speed-up only: an ordinary text (an asset id, a model name) is turned away by one
    scan of plain literals, where the phrase patterns, a long alternation behind a look-behind,
    try every phrase at every position (50,000 rows: the guard 0.63 → 0.19 s)."""
    needed: set[str] = set()
    for pattern in patterns:
        found = needed_texts(_re_parser.parse(pattern.pattern, pattern.flags))
        if found is None:
            return None
        needed |= found
    return re.compile("|".join(re.escape(t) for t in sorted(needed, key=lambda t: (-len(t), t))))


@lru_cache(maxsize=4)
def checker(path: Path = PHRASES) -> Checker:
    """The checker built from a phrase file (the packaged one by default)."""
    tiers: dict[str, list[tuple[str, str]]] = {"block": [], "review": [], "allow": [], "target": []}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        next(rows)
        for tier, lang, phrase in rows:
            tiers[tier].append((lang, phrase))
    # A forward-looking target is reviewed, never blocked.
    block, review, allow, target = (
        _combine(tiers[t]) for t in ("block", "review", "allow", "target")
    )
    return Checker(block, review, allow, target, hint=hint_pattern(block, review, target))


def check_cells(cells: Iterable[tuple[SourceRef, str]]) -> list[Issue]:
    """``claim-refused`` errors (block) and ``claim-review`` warnings for user-entered cells."""
    check = checker()
    issues = []
    seen: dict[str, list[tuple[str, str]]] = {}
    for source, text in cells:
        if text not in seen:
            seen[text] = check.find(text)
        issues += cell_issues(source, text, seen[text])
    return issues


def cell_issues(source: SourceRef, text: str, hits: list[tuple[str, str]]) -> list[Issue]:
    """The issues of one cell whose text has the checker's ``hits``."""
    return [
        Issue(
            code="claim-refused" if tier == "block" else "claim-review",
            severity=Severity.ERROR if tier == "block" else Severity.WARNING,
            value=text,
            message=(
                f"{span!r} reads as a claim of neutrality or compensation; the report "
                "is not produced while it is in the inventory (state gross figures only)"
            )
            if tier == "block"
            else (
                f"{span!r} is a generic or forward-looking environmental claim: "
                "substantiate it before publishing"
            ),
            source=source,
        )
        for tier, span in hits
    ]


def blocked(texts: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(where, span) of every block hit among engine-made strings; empty when all is clean."""
    check = checker()
    seen: dict[str, list[str]] = {}  # each distinct text is searched once
    out = []
    for where, text in texts:
        if text not in seen:
            seen[text] = [span for tier, span in check.find(text, review=False) if tier == "block"]
        out += [(where, span) for span in seen[text]]
    return out


def inventory_issues(inventory) -> list[Issue]:
    """The issues of every user-entered text cell of the validated inventory's sheets (sheet
    by sheet, column by column, in row order). Each distinct text of a column is checked
    once; only the cells whose text hits are named. Columns of a choice hold the format's own
    codes once validated (``green_tariff`` is an instrument, not a claim): not checked (a
    refused value is, through the issue that quotes it)."""
    check = checker()
    issues = []
    for name, frame in sorted(inventory.sheets.items()):
        choices = {c.name for c in SHEETS[name].columns if c.kind == "choice"}
        text_columns = [
            c
            for c in frame.columns
            if not c.startswith("_")
            and c not in choices
            and (frame[c].dtype == object or str(frame[c].dtype) == "string")
        ]
        for column in text_columns:
            present = np.flatnonzero(frame[column].notna().to_numpy())
            texts = frame[column].iloc[present].astype(str)
            hits = {}
            for text in pd.unique(texts):
                found = check.find(text)
                if found:
                    hits[text] = found
            if not hits:
                continue
            mask = texts.isin(list(hits)).to_numpy()
            flagged = present[mask]
            for text, row, file in zip(
                texts[mask],
                frame["_row"].iloc[flagged],
                frame["_file"].iloc[flagged],
                strict=True,
            ):
                source = SourceRef(file=str(file), sheet=name, row=int(row), column=column)
                issues += cell_issues(source, text, hits[text])
    return issues


def settings_cells(inventory) -> Iterable[tuple[SourceRef, str]]:
    """The text settings that hit the checker, with their cell."""
    settings = inventory.settings
    texts = {
        key: value
        for key, value in (settings.model_dump() if settings else {}).items()
        if isinstance(value, str) and checker().find(value)
    }
    for key, value in texts.items():
        yield inventory.settings_cells.ref(key), value


def check_inventory(inventory, issues: Iterable[Issue] = ()) -> list[Issue]:
    """The guard on user input: the settings, every text cell of the inventory, and the values
    that issues quote (a rejected row's text still reaches the Issues sheet)."""
    quoted = [(i.source, text) for i in issues for text in (i.value, i.message) if text]
    return (
        check_cells(settings_cells(inventory)) + inventory_issues(inventory) + check_cells(quoted)
    )
