"""Rules a printed report must keep, checked on its text (pdftotext) and its HTML.

Shared by the annual report's and the comparison's tests: each function returns what breaks
the rule (empty when the rule holds), so a failure names the offending text.
"""

from __future__ import annotations

import html as html_module
import re
import subprocess
from pathlib import Path

import pandas as pd

from lca.ledger import FACTOR_ID_COLUMNS
from lca.ledger.contract import COLUMNS
from lca.spec import SETTINGS_KEYS, SHEETS

#: House style of figures (lca.report.numbers): what must not be printed.
NUMBER_FAULTS = {
    "a figure glued to %": re.compile(r"\d%"),
    "a comma between thousands": re.compile(r"\d,\d{3}(?!\d)"),
    "a power of ten as e-notation": re.compile(r"(?<![0-9A-Za-z])\d+(?:\.\d+)?e[+-]\d+\b"),
    "a hyphen as a minus sign": re.compile(r"(?<![\w\-:/.])-\d"),
}
#: A word that looks like a key: lower case and digits joined by underscores.
SNAKE = re.compile(r"(?<![\w:'\[/-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w:'\]]|\.(?:csv|json))")


def pdf_text(path: Path, *options: str) -> str:
    """The PDF's text (zero-width break opportunities removed; pages split by \\f)."""
    out = subprocess.run(
        ["pdftotext", *options, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return out.replace("\u200b", "")


def number_faults(text: str) -> list[tuple[str, str]]:
    """Each figure printed out of the house style, with the rule it breaks and its context."""
    return [
        (rule, text[max(m.start() - 25, 0) : m.end() + 10].replace("\n", " "))
        for rule, pattern in NUMBER_FAULTS.items()
        for m in pattern.finditer(text)
    ]


def format_names(*extra: str) -> set[str]:
    """Names a report may print as they are: the inventory format's sheets, columns and
    settings, the ledger's columns, and ``extra`` (say, the factor library's table names)."""
    columns = {c.name for sheet in SHEETS.values() for c in sheet.columns}
    return set(SHEETS) | columns | set(SETTINGS_KEYS) | set(COLUMNS) | set(extra)


def raw_keys(text: str, allowed: set[str]) -> list[str]:
    """Words of ``text`` that are keys printed raw: a snake_case word that is not a name of
    ``allowed``, nor part of an id (``a:b``), a file (``x.csv``) or a quoted value."""
    return sorted({m.group(1) for m in SNAKE.finditer(text) if m.group(1) not in allowed})


def header_words(html: str) -> set[str]:
    """Every word of every table header cell of ``html`` (soft hyphens and zero-width spaces
    removed: a break there is a planned one)."""
    words = set()
    for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", html, flags=re.S):
        text = html_module.unescape(re.sub(r"<[^>]+>", " ", cell))
        text = text.replace("\u00ad", "").replace("\u200b", "")
        words.update(w for w in text.split() if len(w) > 1)
    return words


def broken_words(path: Path, words: set[str]) -> list[tuple[int, str, str]]:
    """Each of ``words`` that the PDF at ``path`` prints split over two lines: a text box
    whose box directly below (the next line, overlapping it across) completes it to one of
    ``words``, the first part ending in a letter or digit (a break after a hyphen is a
    planned one). Returns (page, first part, second part)."""
    boxes = pdf_text(path, "-bbox")
    found = []
    for number, page in enumerate(re.split(r"<page\b", boxes)[1:], start=1):
        found += _split_on_page(number, page, words)
    return found


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _split_on_page(number: int, page: str, words: set[str]) -> list[tuple[int, str, str]]:
    boxes = [
        (float(a), float(b), float(c), float(d), html_module.unescape(t))
        for a, b, c, d, t in _WORD.findall(page)
    ]
    found = []
    for x0, y0, x1, y1, first in boxes:
        if not first[-1:].isalnum():
            continue
        height = y1 - y0
        for u0, v0, u1, _v1, second in boxes:
            below = 0.5 * height < v0 - y0 < 1.6 * height
            if below and u0 < x1 and u1 > x0 and first + second in words:
                found.append((number, first, second))
    return found


def factor_ids_with_two_values(ledger: pd.DataFrame) -> dict[str, list[float]]:
    """Factor ids that name more than one value in ``ledger``: per factor-id column with a
    value column (``lca.ledger.FACTOR_ID_COLUMNS``), an id named alone must hold one value."""
    out: dict[str, list[float]] = {}
    for id_column, value_column in VALUE_OF.items():
        pairs = ledger[[id_column, value_column]].dropna()
        pairs = pairs[pairs[id_column].astype(str).ne("")]
        pairs = pairs[~pairs[id_column].astype(str).str.contains(";")]
        values = pairs.groupby(pairs[id_column].astype(str))[value_column].unique()
        for factor_id, distinct in values.items():
            if len(distinct) > 1:
                out[f"{id_column} {factor_id}"] = sorted(float(v) for v in distinct)
    return out


#: Each factor-id column and the value it names.
VALUE_OF = {
    "factor_gwp": "ef_gwp",
    "factor_gwp_market": "ef_gwp_market",
    "factor_water": "ef_water",
    "factor_adpe": "ef_adpe",
}
assert set(VALUE_OF) <= set(FACTOR_ID_COLUMNS)
