"""The claims guard: normalisation, tiers, allow-list, cells named, nothing written."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from lca.paths import data_dir
from lca.pipeline import run
from lca.report import claims
from lca.report.render import render_all
from tests.helpers import REPORT_SHEETS, report_inventory

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "text, span",
    [
        ("Our cloud is carbon-neutral", "carbon-neutral"),
        ("CO\u2082\u2011neutral hosting", "co2-neutral"),  # subscript two, non-breaking hyphen
        ("carbon\u200bneutral", "carbonneutral"),  # zero-width space
        ("a net\u00a0zero company", "net zero"),  # no-break space
        ("NET-ZERO cloud", "net-zero"),
        ("Entreprise neutre en carbone", "neutre en carbone"),
        ("zéro émissions nettes", "zéro émissions nettes"),
        ("Wir sind klimaneutral", "klimaneutral"),
        ("emisiones compensadas", "emisiones compensadas"),
        ("碳中和认证", "碳中和"),
        ("カーボンニュートラル達成", "カーボンニュートラル"),
        ("100 % offset", "100 % offset"),
    ],
)
def test_block_phrases_are_found_after_normalisation(text, span):
    assert ("block", span) in claims.checker().find(text)


@pytest.mark.parametrize(
    "text",
    [
        "Greenhouse gas emissions, gross",  # 'green' only on a word boundary
        "green_tariff",  # an instrument code, not a claim
        "EU climate neutrality by 2050",  # allow-list: policy reference
        "contribution à la neutralité carbone mondiale",
        "Carbon credits, if any, are shown separately and are not deducted from gross emissions",
    ],
)
def test_allowed_and_neutral_wording_is_not_blocked(text):
    assert [tier for tier, _ in claims.checker().find(text) if tier == "block"] == []


def test_forward_looking_target_is_review_not_block():
    assert claims.checker().find("net zero by 2040") == [("review", "net zero by 2040")]
    assert claims.checker().find("an eco-friendly data centre") == [("review", "eco-friendly")]


def test_blocked_phrase_in_a_cell_stops_the_report_and_names_the_cell(tmp_path, fixture_library):
    services = """\
    supplier,description,category,spend,currency,spend_year
    Atlassian,Jira licences,saas,48000,EUR,2024
    Hoster,Our carbon neutral hosting,saas,1000,EUR,2024
    """
    result = run(report_inventory(tmp_path / "inv", services=services), library=fixture_library)
    written, found = render_all(result, tmp_path / "out")
    assert written == []
    assert not (tmp_path / "out").exists()
    refused = [i for i in found if i.code == "claim-refused"]
    assert len(refused) == 1
    source = refused[0].source
    assert (source.file, source.sheet, source.row, source.column) == (
        "services.csv",
        "services",
        3,
        "description",
    )


def test_blocked_phrase_in_a_rejected_row_is_refused_too(tmp_path, fixture_library):
    services = """\
    supplier,description,category,spend,currency,spend_year
    Atlassian,Jira licences,saas,48000,EUR,2024
    Hoster,hosting,saas,fully offset,EUR,2024
    """
    result = run(report_inventory(tmp_path / "inv", services=services), library=fixture_library)
    assert ("invalid-number", 3, "spend") in [
        (i.code, i.source.row, i.source.column) for i in result.issues
    ]
    written, found = render_all(result, tmp_path / "out")
    assert written == []
    assert {(i.code, i.source.sheet, i.source.row, i.source.column) for i in found} == {
        ("claim-refused", "services", 3, "spend")
    }


def test_blocked_organization_names_its_settings_row(tmp_path, fixture_library):
    settings = REPORT_SHEETS["settings"].replace("Acme Labs", "Acme Klimaneutral GmbH")
    result = run(report_inventory(tmp_path / "inv", settings=settings), library=fixture_library)
    written, found = render_all(result, tmp_path / "out")
    assert written == []
    [issue] = found
    assert (issue.code, issue.source.sheet, issue.source.row, issue.source.column) == (
        "claim-refused",
        "settings",
        2,
        "value",
    )


def test_review_phrase_is_disclosed_and_the_report_is_written(tmp_path, fixture_library):
    services = """\
    supplier,description,category,spend,currency,spend_year
    Atlassian,sustainable licences,saas,48000,EUR,2024
    """
    result = run(report_inventory(tmp_path / "inv", services=services), library=fixture_library)
    written, found = render_all(result, tmp_path / "out")
    assert [i.code for i in found] == ["claim-review"]
    assert len(written) == 4
    # disclosed in the outputs; the result handed to the renderers is left as it was
    results = json.loads(next(p for p in written if p.suffix == ".json").read_text())
    assert "claim-review" in [i["code"] for i in results["issues"]]
    assert "claim-review" not in [i.code for i in result.issues]


def _string_constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_engine_wording_never_trips_the_guard():
    """Every string literal of the engine, every template and the disclosure data."""
    texts = []
    for path in sorted((ROOT / "lca").rglob("*.py")):
        texts += [(str(path), s) for s in _string_constants(path)]
    for path in sorted(data_dir("templates").glob("*.*")):
        if path.suffix in (".html", ".css", ".json"):
            texts.append((str(path), path.read_text(encoding="utf-8")))
    assert claims.blocked(texts) == []


def test_report_command_exits_1_and_writes_nothing(tmp_path):
    from click.testing import CliRunner

    from lca.cli import main

    inventory = tmp_path / "inv"
    shutil.copytree(ROOT / "examples" / "acme", inventory)
    settings = inventory / "settings.csv"
    settings.write_text(
        settings.read_text().replace("Acme Analytics SAS", "Acme the net-zero company")
    )
    outcome = CliRunner().invoke(main, ["report", str(inventory), "--out", str(tmp_path / "out")])
    assert outcome.exit_code == 1
    assert "settings.csv:settings:2 [value]: error:" in outcome.output
    assert "(claim-refused)" in outcome.output
    assert not (tmp_path / "out").exists()
