"""The PDF's bytes do not depend on the machine's libraries: WeasyPrint subsets fonts with
HarfBuzz where ``libharfbuzz-subset`` is installed and with fontTools elsewhere, and
``pdf_print`` makes it use fontTools (pinned) everywhere. ``.ci/run`` installs the library, so
that CI is a machine where the two would differ."""

from __future__ import annotations

import weasyprint.pdf.fonts
from weasyprint.text import ffi

from lca.paths import data_dir
from lca.report import pdf_print

HTML = "<p style='font-family: DejaVu Sans'>Scope 2 (market-based): 1 234 kgCO₂e — 5 %</p>"


def printed() -> bytes:
    return pdf_print.print_pdf(HTML, data_dir("templates"), "2025-01-31", b"0" * 32)[0]


def test_fonts_are_subset_by_fonttools_whatever_the_machine_has(monkeypatch):
    pinned = printed()
    assert weasyprint.pdf.fonts.harfbuzz_subset is None
    if ffi.harfbuzz_subset is None:  # without the library: fontTools, as WeasyPrint chooses
        monkeypatch.setattr(pdf_print, "pin_font_subsetter", lambda: None)
        assert printed() == pinned
        return
    # with it, WeasyPrint left to choose takes HarfBuzz: another PDF of the same text
    monkeypatch.setattr(pdf_print, "pin_font_subsetter", lambda: None)
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", ffi.harfbuzz_subset)
    assert printed() != pinned
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    assert printed() == pinned
