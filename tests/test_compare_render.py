"""compare.json, compare.pdf and compare.xlsx: content, safety and determinism."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from lca.compare import compare
from lca.compare.render_json import write_compare_json
from lca.compare.render_pdf import write_compare_pdf
from lca.compare.render_xlsx import write_compare_xlsx
from lca.paths import data_dir
from lca.report.pdf_print import PackagedOnlyFetcher
from tests.helpers import compare_settings, write_inventory

pytestmark = pytest.mark.slow  # renders comparison PDFs and workbooks


EVIL = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def result(tmp_path_factory, fixture_library):
    folder = write_inventory(
        tmp_path_factory.mktemp("options"),
        settings=compare_settings(3, capital_goods="acquisition_year", per_year=2),
        options=f"""\
        option,description
        new,"<b>bold</b> new server"
        "{EVIL.replace('"', '""')}",keep the old one
        """,
        sites="""\
        site_id,country,kind,option
        OFF,DE,office,
        """,
        equipment=f"""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,option
        NEW,server,1,2025-01-01,,OFF,100,new
        OLD,server,1,2020-01-01,10,OFF,300,"{EVIL.replace('"', '""')}"
        """,
    )
    return compare(folder, fixture_library)


def test_outputs_are_byte_identical_across_runs(result, tmp_path):
    for write in (write_compare_json, write_compare_pdf, write_compare_xlsx):
        first = write(result, tmp_path / "one").read_bytes()
        second = write(result, tmp_path / "two").read_bytes()
        assert first == second, write.__name__


def test_json_totals(result, tmp_path):
    document = json.loads(write_compare_json(result, tmp_path).read_text())
    new = document["options"][0]
    assert new["option"] == "new" and new["description"] == "<b>bold</b> new server"
    assert new["totals"]["kgco2e"] == pytest.approx(1000 + 3 * 876 * 0.41)
    assert document["break_even"] == [{"a": "new", "b": EVIL, "year": 2, "lower": "new"}]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler not installed")
def test_pdf_reads_well(result, tmp_path):
    path = write_compare_pdf(result, tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.replace("\u200b", "").split())  # ids carry break opportunities
    for expected in (
        "Not a comparative assertion",
        "ISO 14044",
        "critically reviewed",
        "Break-even",
        "year 2 (from 2026-01-01)",
        "Per functional unit",
        "Sensitivity",
        "FR grid",
        "Factors used",
        "electricity:DE:gwp:2024",
        "<b>bold</b> new server",
        EVIL,
    ):
        assert expected in flat, expected


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler not installed")
def test_page_1_states_the_ranking_and_its_robustness(result, tmp_path):
    path = write_compare_pdf(result, tmp_path)
    first = subprocess.run(
        ["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    first = " ".join(first.split())
    flips = [case["label"] for case in result.sensitivity if case["ranking_changed"]]
    assert "Robustness:" in first
    if flips:
        assert f"flips in {len(flips)} of {len(result.sensitivity)} sensitivity cases" in first
        assert all(label in first for label in flips)
    else:
        assert f"holds in all {len(result.sensitivity)} sensitivity cases" in first
    assert "This module" not in first and "``" not in first


def test_servers_example_says_its_ranking_flips(tmp_path):
    result = compare(Path(__file__).resolve().parents[1] / "examples" / "compare" / "servers")
    flips = [case["label"] for case in result.sensitivity if case["ranking_changed"]]
    # base ranking new < refurbished < keep; one year less or the FR grid puts refurbished
    # first; on the PL grid keep (≈ 404 t) passes refurbished (≈ 406 t), whose 420 W weigh more
    assert flips == [
        "Lifetime − 1 year",
        "Sites on the FR grid (low carbon)",
        "Sites on the PL grid (high carbon)",
    ]
    if shutil.which("pdftotext") is not None:
        first = subprocess.run(
            ["pdftotext", "-l", "1", str(write_compare_pdf(result, tmp_path)), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "flips in 3 of 6 sensitivity cases" in " ".join(first.split())


def test_pdf_fetches_nothing_outside_the_templates():
    fetch = PackagedOnlyFetcher(data_dir("templates"))
    with pytest.raises(ValueError, match="only packaged report assets"):
        fetch.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetch.fetch("https://example.com/x.css")
    assert fetch.fetch((data_dir("templates") / "compare.css").resolve().as_uri())


def test_workbook_has_live_formulas_and_text_stays_text(result, tmp_path):
    book = openpyxl.load_workbook(write_compare_xlsx(result, tmp_path))
    assert book.sheetnames == [
        "Summary",
        "By year",
        "Cumulative",
        "Sensitivity",
        "Uncertainty",
        "Lines",
    ]
    summary = book["Summary"]
    assert summary["A10"].value == EVIL and summary["A10"].data_type == "s"
    assert summary["B9"].value.startswith("='By year'!")
    assert summary["F9"].value == "=B9/($B$4*$B$1)"
    by_year = book["By year"]
    assert by_year["C2"].value.startswith("=SUMPRODUCT((Lines!")
    assert by_year["F2"].value == "=SUM(C2:E2)"
    lines = book["Lines"]
    header = [c.value for c in lines[1]]
    kg = header.index("kgco2e") + 1
    assert lines.cell(row=2, column=kg).value.startswith("=H2*K2*J2")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_workbook_formulas_recompute_to_the_json_totals(result, tmp_path):
    path = write_compare_xlsx(result, tmp_path)
    out = tmp_path / "recalc"
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    summary = openpyxl.load_workbook(out / "compare.xlsx", data_only=True)["Summary"]
    for row, option in zip((9, 10), result.options, strict=True):
        assert summary.cell(row=row, column=2).value == pytest.approx(
            option["totals"]["kgco2e"], rel=1e-9
        )
        assert summary.cell(row=row, column=6).value == pytest.approx(
            option["per_functional_unit"]["kgco2e"], rel=1e-9
        )


def test_uncertainty_in_json_pdf_and_workbook(result, tmp_path):
    document = json.loads(write_compare_json(result, tmp_path).read_text())
    block = document["uncertainty"]
    assert (block["iterations"], block["seed"], block["indicator"]) == (10_000, 0, "kgco2e")
    assert [(p["a"], p["b"]) for p in block["pairs"]] == [tuple(document["ranking_kgco2e"])]
    for option in document["options"]:
        total = option["uncertainty"]["totals"]["kgco2e"]
        assert total["point"] == option["totals"]["kgco2e"]
        assert total["p2_5"] <= total["p50"] <= total["p97_5"]
        assert len(option["uncertainty"]["by_year_kgco2e"]) == document["horizon_years"]
    sheet = openpyxl.load_workbook(write_compare_xlsx(result, tmp_path))["Uncertainty"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["ranking_probability", block["ranking_probability"]] in [v[:2] for v in values]
    names = [v[0] for v in values if v[1] == "total kgco2e"]
    assert names == [o["option"] for o in document["options"]]
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value == EVIL)
    pair = block["pairs"][0]
    assert [pair["a"], pair["b"], "yes", pair["probability"], pair["ties"]] in [
        v[:5] for v in values
    ]
    if shutil.which("pdftotext"):
        path = write_compare_pdf(result, tmp_path)
        first = subprocess.run(
            ["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        first = " ".join(first.split())
        assert "95 % interval" in first and "Probability it beats the next" in first
        assert f"vs {pair['b']}" in first


def test_compare_command(tmp_path, fixture_library):
    from click.testing import CliRunner

    from lca.cli import main

    folder = write_inventory(
        tmp_path / "in",
        settings=compare_settings(1, per_year=10, unit="user-year"),
        options="""\
        option,description
        only,the one option
        """,
        sites="""\
        site_id,country,kind,option
        OFF,FR,office,
        """,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,annual_kwh,option
        L,laptop,10,2025-01-01,4,OFF,30,only
        """,
    )
    factors = str(fixture_library.path)
    out = tmp_path / "out"
    run = CliRunner().invoke(
        main, ["compare", str(folder), "--out", str(out), "--factors", factors]
    )
    assert run.exit_code == 0, run.output
    # 10 laptops × 250 kgCO2e × 365/1461 + 10 × 30 kWh × 0.03 kgCO2e/kWh
    total = 10 * 250 * 365 / 1461 + 10 * 30 * 0.03
    assert f"{total / 1000:,.2f} tCO2e" in run.output
    assert "95 %: " in run.output and "ranking holds in 100 % of 10,000" in run.output
    assert sorted(p.name for p in out.iterdir()) == ["compare.json", "compare.pdf", "compare.xlsx"]
    bad = CliRunner().invoke(
        main,
        ["compare", str(tmp_path / "in" / "sites.csv"), "--out", str(out), "--factors", factors],
    )
    assert bad.exit_code == 1
