"""Printing HTML to PDF with WeasyPrint, safely and reproducibly (shared by every report).

``PackagedOnlyFetcher`` serves ``data:`` URIs and files inside the packaged templates folder
and refuses (and records) everything else: no network, no ``file://`` outside the package.
``print_pdf`` writes a tagged PDF (structure tree for assistive technology) and dates the
embedded font subsets with a given day (fontTools reads ``SOURCE_DATE_EPOCH``) so that the
same inputs give the same bytes; the report's fonts are packaged (``templates/fonts``), so the
bytes do not depend on the fonts installed on the machine. Nor on its libraries: WeasyPrint
subsets the fonts with HarfBuzz where ``libharfbuzz-subset`` is installed, with fontTools
elsewhere, two subsets and so two PDFs of one report (``pin_font_subsetter``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint.pdf.fonts
from weasyprint import HTML, URLFetcher


def pin_font_subsetter() -> None:
    """Make WeasyPrint subset fonts with fontTools (pinned in pyproject.toml) on every machine,
    never with the HarfBuzz of the system where one is installed (its subsets differ, and
    differ between its versions). WeasyPrint 70 asks for HarfBuzz through this module global."""
    weasyprint.pdf.fonts.harfbuzz_subset = None


class PackagedOnlyFetcher(URLFetcher):
    """Serves ``data:`` URIs and files under ``root``; refuses and records everything else."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols=("file", "data"))
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme == "file" and not parsed.netloc:
            path = Path(unquote(parsed.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url!r}: only packaged report assets are served")


@contextmanager
def source_date_epoch(day: str):
    """Set SOURCE_DATE_EPOCH to ``day`` (ISO date) while printing, then restore it."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time())
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(moment.timetuple()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def print_pdf(html: str, root: Path, day: str, identifier: bytes) -> tuple[bytes, list[str]]:
    """The PDF of ``html`` (assets under ``root``) and the URLs the fetcher refused."""
    pin_font_subsetter()
    fetcher = PackagedOnlyFetcher(root)
    document = HTML(string=html, base_url=str(root) + "/", url_fetcher=fetcher)
    with source_date_epoch(day):
        data = document.write_pdf(pdf_identifier=identifier, pdf_tags=True)
    return data, fetcher.refused
