"""The bundled examples run and their compare.json holds the contract's identities."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest

from lca.compare import compare
from lca.compare.render_json import compare_dict
from lca.compare.render_pdf import factors_used, render_html, write_compare_pdf
from lca.issues import Severity
from lca.paths import data_dir
from tests.pdf_checks import (
    SNAKE,
    broken_words,
    factor_ids_with_two_values,
    format_names,
    header_words,
    number_faults,
    pdf_text,
    raw_keys,
)

pytestmark = pytest.mark.slow  # runs the three comparison examples over their horizons


EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "compare"
NAMES = ("servers", "gpu", "laptops")
CONTRACT_KEYS = {
    "schema",
    "horizon_years",
    "functional_unit",
    "options",
    "ranking_kgco2e",
    "break_even",
}
OPTION_KEYS = {"option", "totals", "per_functional_unit", "by_year_kgco2e", "by_stage_kgco2e"}
INDICATORS = {"kgco2e", "water_m3", "adpe_kgsbeq", "energy_kwh"}


def libraries(fixture_library):
    """The fixture library, and the shipped one once it is part of the package."""
    out = [fixture_library]
    if (data_dir("factors") / "manifest.json").exists():
        from lca.factors.library import load_library

        out.append(load_library())
    return out


def check_identities(document: dict) -> None:
    """The identities of shared/spec/compare.md."""
    assert set(document) >= CONTRACT_KEYS and document["schema"] == "lca.compare/1"
    years = document["horizon_years"]
    units = document["functional_unit"]["per_year"] * years
    names = [o["option"] for o in document["options"]]
    for option in document["options"]:
        assert set(option) >= OPTION_KEYS
        assert set(option["totals"]) == INDICATORS == set(option["per_functional_unit"])
        assert set(option["by_stage_kgco2e"]) >= {
            "manufacturing",
            "use",
            "end_of_life",
            "operation",
        }
        assert len(option["by_year_kgco2e"]) == years
        assert sum(option["by_year_kgco2e"]) == option["totals"]["kgco2e"]
        assert math.isclose(
            sum(option["by_stage_kgco2e"].values()), option["totals"]["kgco2e"], rel_tol=1e-9
        )
        for indicator in INDICATORS:
            assert option["per_functional_unit"][indicator] == option["totals"][indicator] / units
    totals = {o["option"]: o["totals"]["kgco2e"] for o in document["options"]}
    assert sorted(document["ranking_kgco2e"]) == sorted(names)
    assert [totals[n] for n in document["ranking_kgco2e"]] == sorted(totals.values())
    pairs = [(p["a"], p["b"]) for p in document["break_even"]]
    assert pairs == [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
    for pair in document["break_even"]:
        assert pair["year"] is None or 2 <= pair["year"] <= years


@pytest.mark.parametrize("name", NAMES)
def test_example_holds_the_contract_identities(name, fixture_library):
    for library in libraries(fixture_library):
        result = compare(EXAMPLES / name, library, sensitivity=False)
        assert not [i for i in result.issues if i.severity is Severity.ERROR]
        assert all(o["totals"]["kgco2e"] > 0 for o in result.options)
        check_identities(compare_dict(result))


def test_servers_example_shows_a_break_even(fixture_library):
    result = compare(EXAMPLES / "servers", fixture_library, sensitivity=False)
    years = {(p["a"], p["b"]): p["year"] for p in result.break_even}
    assert years[("new", "keep")] is not None


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler not installed")
@pytest.mark.parametrize("name", NAMES)
def test_example_pdf_prints_as_the_annual_report_does(name, tmp_path):
    """The examples' compare.pdf on the shipped library: figures in the house style, whole
    header words, no key printed raw, publishers (never the library's source ids) in the
    factor table, kgCO₂e spelt one way, and one value per factor id."""
    result = compare(EXAMPLES / name, sensitivity=False)
    pdf = write_compare_pdf(result, tmp_path)
    text = pdf_text(pdf, "-layout")
    assert number_faults(text) == []
    assert broken_words(pdf, header_words(render_html(result))) == []
    sources = result.library.manifest["sources"]
    printed = " ".join(f"{s.get('publisher', '')} {s.get('title', '')}" for s in sources.values())
    allowed = format_names(*result.library.tables, *(o["option"] for o in result.options))
    assert raw_keys(text, allowed | set(SNAKE.findall(printed))) == []
    factors = text[text.index("Factors used") : text.index("Issues")]
    ids = [s for s in sources if re.search(rf"(?<![\w:]){re.escape(s)}(?![\w:])", factors)]
    assert ids == [], ids  # such as owid_energy;codecarbon_mix or curated
    assert "kgCO2e" not in text and "kgCO₂e" in text
    assert factor_ids_with_two_values(result.ledger) == {}


def test_a_refurbished_server_has_a_factor_of_its_own():
    """examples/compare/servers: the refurbished option's servers are charged the library's
    share (0.2) of the category factor the new ones use, under the id of the derived factor."""
    result = compare(EXAMPLES / "servers", sensitivity=False, uncertainty=False)
    new = "equipment:server:gwp:manufacturing:2023"
    listed = {f["id"]: f for f in factors_used(result)}
    assert listed[new]["value"] == "1\u202f267"
    assert listed[f"{new}:refurbished"]["value"] == "253.5"  # 1267.42 × 0.2
    lines = result.ledger[result.ledger["factor_gwp"] == f"{new}:refurbished"]
    assert len(lines) and (lines["option"] == "refurbished").all()
