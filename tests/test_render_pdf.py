"""The PDF report: every section in the text, escaping, nothing fetched, determinism."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from lca.paths import data_dir
from lca.pipeline import run
from lca.report.pdf import render_html
from lca.report.pdf_print import PackagedOnlyFetcher
from lca.report.render import render_all
from tests.helpers import REPORT_SHEETS, report_inventory

pytestmark = pytest.mark.slow  # renders PDFs with WeasyPrint


HOSTILE_ORG = 'Acme <img src="http://127.0.0.1:9/pixel.png"> file:///etc/passwd'
HOSTILE_SITES = """\
site_id,name,country,kind
PAR-HQ,"<img src=""file:///etc/passwd""><script>x</script>",FR,office
FRA-DC,Frankfurt DC,DE,datacenter
"""
SECTIONS = [
    "Contents",
    "Summary",
    "ESRS E1-6, E1-5 and E3-4",
    "Breakdowns",
    "Capital goods: two views",
    "Methodology",
    "Emission factors used",
    "Data quality",
    "Offsets and credits",
    "Disclosure index",
]


def pdftotext(path) -> str:
    """The PDF's text with every run of white space made one space (pages kept as \\f)."""
    out = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return "\f".join(" ".join(page.split()) for page in out.split("\f"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, fixture_library):
    folder = tmp_path_factory.mktemp("pdf")
    quoted = HOSTILE_ORG.replace('"', '""')
    settings = REPORT_SHEETS["settings"].replace("Acme Labs", f'"{quoted}"')
    inventory = report_inventory(folder / "inv", settings=settings, sites=HOSTILE_SITES)
    result = run(inventory, library=fixture_library)
    paths, found = render_all(result, folder / "out")
    assert found == []
    return result, {p.suffix: p for p in paths}


@pytest.fixture(scope="module")
def text(hostile):
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    return pdftotext(hostile[1][".pdf"])


def test_every_required_section_is_in_the_text(text):
    for title in SECTIONS:
        assert title in text, title
    for required in [
        "Gross Scope 1 GHG emissions (tCO₂eq)",
        "Gross location-based Scope 2 GHG emissions (tCO₂eq)",
        "Gross market-based Scope 2 GHG emissions (tCO₂eq)",
        "of which cloud computing",
        "per net revenue",
        "Total energy consumption",
        "Total water consumption",
        "Scope 3 by category",
        "By site",
        "By country",
        "Equipment by category",
        "Cloud by provider and region",
        "Purchased services by category",
        "Compute jobs",
        "PUE, WUE and meter coverage per site",
        "Spend conversions",
        "Statement and boundary",
        "Datasets: publisher and edition",
        "Method mix per scope and category",
        "Exclusions",
        "Warnings from validation",
        "not deducted",
        "ISO 14064-1:2018 §9.3.1",
        "GHG Protocol Corporate Standard required items",
        "results.json",
    ]:
        assert required in text, required


def test_figures_and_page_furniture(text, hostile):
    result, _ = hostile
    total_t = result.totals["total_location_kgco2e"] / 1000
    assert f"{total_t:,.3f}".replace(",", " ") in text.replace("\u202f", " ")
    pages = text.rstrip("\f").count("\f") + 1
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    # Table of contents and disclosure index carry real page numbers.
    assert re.search(r"Methodology \.{5,} ?\d+", text)
    assert re.search(r"Emission factors used, p\. \d+", text)


def test_user_text_is_escaped_and_nothing_is_fetched(hostile, text):
    result, _paths = hostile
    assert '<img src="http://127.0.0.1:9/pixel.png">' in text
    # A narrow table cell wraps the site name: compare without white space.
    assert '<imgsrc="file:///etc/passwd"><script>x</script>' in "".join(text.split())
    from lca.report.model import build

    html = render_html(build(result))
    assert "&lt;img src=&#34;http://127.0.0.1:9/pixel.png&#34;&gt;" in html
    assert '<img src="http' not in html and '<img src="file' not in html


def test_the_fetcher_serves_packaged_assets_only():
    root = data_dir("templates")
    fetcher = PackagedOnlyFetcher(root)
    fetcher.fetch((root / "report.css").as_uri()).close()
    fetcher.fetch("data:text/plain;base64,aGk=").close()
    for url in [
        "http://127.0.0.1:9/pixel.png",
        "https://example.org/a.css",
        "file:///etc/passwd",
        (root / ".." / "pyproject.toml").as_uri(),
        "ftp://127.0.0.1/x",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_templates_autoescape_and_strict():
    from lca.report.pdf import environment

    env = environment(data_dir("templates"))
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_two_runs_are_byte_identical(tmp_path, fixture_library, hostile):
    result, first = hostile
    again = run(result.inventory.path, library=fixture_library)
    paths, _ = render_all(again, tmp_path / "again")
    second = {p.suffix: p for p in paths}
    for suffix in (".pdf", ".xlsx", ".json", ".csv"):
        assert first[suffix].read_bytes() == second[suffix].read_bytes(), suffix


def test_an_inventory_with_only_settings_still_gives_both_reports(tmp_path, fixture_library):
    from tests.helpers import write_inventory

    result = run(write_inventory(tmp_path / "inv"), library=fixture_library)
    paths, found = render_all(result, tmp_path / "out")
    assert found == [] and [p.name for p in paths] == [
        "results.json",
        "ledger.csv",
        "test-org-2024.pdf",
        "test-org-2024.xlsx",
    ]
    text = pdftotext(paths[2])
    assert "Disclosure index" in text and "No equipment in the inventory." in text
