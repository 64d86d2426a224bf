"""The claims guard's hint (a speed-up): it turns a text away only where no phrase can match,
so the guard finds exactly what it finds without it."""

from __future__ import annotations

import csv
import dataclasses
import re
import re._parser as re_parser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lca.report import claims

ROOT = Path(__file__).resolve().parents[1]
#: The phrase list's rows (tier, lang, phrase), comments left out.
PHRASES = [
    row
    for row in csv.reader(
        line
        for line in claims.PHRASES.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    )
][1:]


def without_hint() -> claims.Checker:
    return dataclasses.replace(claims.checker(), hint=None)


def needed(pattern: str, flags: int = 0):
    return claims.needed_texts(re_parser.parse(pattern, flags))


@pytest.mark.parametrize(
    "pattern, texts",
    [
        (r"carbon[\s\-]?neutral(?:ity)?", {"neutral"}),  # the longest run every match has
        (r"(?<!\w)(?:net[\s\-]?zero)(?!\w)", {"zero"}),  # "net" and "zero": the longer, "zero"
        (r"(?:net zero|zero carbon) target", {"net zero", "zero carbon"}),
        (r"(?:net zero|carbon)[\s\-]?(?:by|in) \d\d\d\d", {"net zero", "carbon"}),
        (r"(?:ab|cd)", {"ab", "cd"}),  # one text per alternative
        (r"碳[ ]?中[ ]?和|100%", {"碳", "100%"}),  # a letter of another script weighs three
        (r"x(?:ab)+", {"ab"}),  # repeated at least once
        (r"(?:abc)?", None),  # an optional part only: nothing every match has
        (r"abc|(?:d)*", None),  # one alternative needs nothing
        (r"\d+[a-z]", None),
        (r"(?:a|b)cd", {"cd"}),  # one-letter alternatives are parsed as a class: none there
        (r"(?>ab)cd", {"cd"}),  # an atomic group: none there (could be, but not needed)
        (r"(?:ab)++c", {"c"}),  # a possessive repeat: likewise
        (r"(?=abc)d", {"d"}),  # a look-ahead matches nothing itself
        (r"(?i)abc", None),  # case-blind: "ABC" matches without "abc"
    ],
)
def test_needed_texts_are_in_every_match(pattern, texts):
    assert needed(pattern) == texts


def test_a_pattern_that_ignores_case_gets_no_hint():
    """Literals read case-blind match other texts than their own: no hint, the full patterns."""
    assert claims.hint_pattern(re.compile("carbon neutral", re.IGNORECASE)) is None
    assert claims.hint_pattern(re.compile("(?i)carbon neutral")) is None
    assert needed("zero (?i:carbon)") == {"zero "}
    assert needed("abc", re.IGNORECASE) is None


def test_the_packaged_phrases_have_a_hint_that_turns_ordinary_text_away():
    hint = claims.checker().hint
    assert hint is not None
    for text in ("a000123", "laptop fleet 12 paris office", "dell latitude 5440", "eu-west-1"):
        assert hint.search(claims.normalise(text)) is None, text


def _example_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "examples").rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [cell for row in csv.reader(handle) for cell in row if cell]
    return texts


def test_the_hint_changes_nothing_on_the_phrases_and_the_examples():
    """Every phrase as written (in a sentence, and alone) and every cell of the bundled
    examples: the same hits with the hint as without it, and the phrases do hit."""
    full, fast = without_hint(), claims.checker()
    for tier, _lang, phrase in PHRASES:
        plain = re.sub(r"\((?:[^()|]*\|)*([^()|]*)\)", r"\1", phrase).replace("\\d", "7")
        for text in (plain, f"Our company is {plain}, since 2021.", phrase):
            assert fast.find(text) == full.find(text), text
        if tier != "allow":
            assert fast.find(plain) != [], plain
    for text in _example_texts():
        assert fast.find(text) == full.find(text), text


def _matching(tier_phrases: list[tuple[str, str]]):
    """Texts that one phrase's own regex matches (hypothesis draws them from the regex)."""
    return st.sampled_from(tier_phrases).flatmap(
        lambda lp: st.from_regex(
            claims.phrase_regex(lp[1], between_characters=lp[0] in ("zh", "ja")), fullmatch=True
        )
    )


#: Letters of the phrases, separators and look-alikes: text near the phrases.
ALPHABET = sorted(
    {c for _t, _l, p in PHRASES for c in p if c not in "()|\\"}
    | set(" -_.·\u00a0\u200b\u2011\t0123456789")
    | {"о", "С", "Ν"}  # Cyrillic o, Cyrillic Es, Greek Nu
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.text(alphabet=ALPHABET, max_size=12),
    phrase=_matching([(lang, p) for t, lang, p in PHRASES if t != "allow"]),
    after=st.text(alphabet=ALPHABET, max_size=12),
    noise=st.text(alphabet=ALPHABET, max_size=40),
)
def test_the_hint_changes_nothing_near_the_phrases(before, phrase, after, noise):
    full, fast = without_hint(), claims.checker()
    for text in (before + phrase + after, noise, phrase):
        assert fast.find(text) == full.find(text), text
        assert fast.find(text, review=False) == full.find(text, review=False), text
