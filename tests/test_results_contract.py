"""results.json on the bundled example: the contract's identities, determinism and a golden."""

import hashlib
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from lca.aggregate import bridge
from lca.pipeline import run
from lca.report import results as results_module
from lca.report.results import (
    json_bytes,
    json_text,
    lines_bytes,
    results_bytes,
    results_dict,
    write_results,
)
from tests.helpers import write_inventory

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "acme"
#: The example's 2024 inventory: the README's main command passes it as --prior.
PRIOR = Path(__file__).resolve().parents[1] / "examples" / "acme-2024"
GOLDEN = Path(__file__).parent / "golden" / "acme-results.json"
GOLDEN_FIXTURE = Path(__file__).parent / "golden" / "acme-fixture-library.json"


@pytest.fixture(scope="module")
def example():
    result = run(EXAMPLE, priors=(PRIOR,))
    return result, results_dict(result)


def _close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


def test_example_is_clean(example):
    result, _ = example
    assert [i for i in result.issues if i.severity.value == "error"] == []


def test_identities_hold(example):
    _, doc = example
    totals, lines = doc["totals"], doc["lines"]
    assert _close(
        totals["total_location_kgco2e"],
        totals["scope1_kgco2e"] + totals["scope2_location_kgco2e"] + totals["scope3_kgco2e"],
    )
    assert _close(
        totals["total_market_kgco2e"],
        totals["scope1_kgco2e"] + totals["scope2_market_kgco2e"] + totals["scope3_kgco2e"],
    )
    assert _close(totals["scope3_kgco2e"], math.fsum(totals["scope3_by_category_kgco2e"].values()))
    counted = [line for line in lines if line["counted"]]

    def total(predicate, key="kgco2e"):
        return math.fsum(line[key] for line in counted if predicate(line))

    assert _close(totals["scope1_kgco2e"], total(lambda line: line["scope"] == 1))
    assert _close(totals["scope2_location_kgco2e"], total(lambda line: line["scope"] == 2))
    assert _close(
        totals["scope2_market_kgco2e"], total(lambda line: line["scope"] == 2, "kgco2e_market")
    )
    for category, value in totals["scope3_by_category_kgco2e"].items():
        category_total = total(
            lambda line, c=int(category): line["scope"] == 3 and line["category"] == c
        )
        assert _close(value, category_total)
    for key in ("energy_kwh", "water_m3", "adpe_kgsbeq"):
        assert _close(totals[key], total(lambda line: True, key))
    for line in lines:
        if line["scope"] != 2:
            assert line["kgco2e"] == line["kgco2e_market"], line["line_id"]
    uncounted = [line for line in lines if not line["counted"] and line.get("part") is None]
    for sheet, key in (
        ("equipment", "equipment_use_in_metered_sites_kgco2e"),
        ("compute_jobs", "compute_jobs_kgco2e"),
    ):
        assert _close(
            doc["attribution"][key],
            math.fsum(line["kgco2e"] for line in uncounted if line["source"]["sheet"] == sheet),
        )
    assert doc["attribution"]["compute_jobs_kgco2e"] > 0


def test_line_rules(example):
    _, doc = example
    for line in doc["lines"]:
        assert line["stage"] in {"manufacturing", "use", "end_of_life", "operation"}
        assert line["method"] in {
            "supplier_specific",
            "average_data",
            "spend_based",
            "measured",
            "estimated",
        }
        assert line["source"]["row"] >= 2 and line["factor_ids"], line["line_id"]
        if line["source"]["sheet"] == "equipment" and line["stage"] == "manufacturing":
            # category 1 for the operating-leased server, as its basis says
            assert (line["scope"], line["category"]) in {(3, 1), (3, 2)}
            assert ("operating lease" in line["basis"]) == (line["category"] == 1)
        if line["scope"] == 0:  # outside the scopes: never counted
            assert not line["counted"] and line["part"] in ("outside_scopes", "biogenic_co2")
        if line["stage"] == "end_of_life":
            assert (line["scope"], line["category"]) == (3, 5)


def test_reconciliation_and_offsets(example):
    _, doc = example
    rec = doc["reconciliation"]
    assert rec["rows_read"] == rec["rows_accounted"] + rec["rows_rejected"]
    assert rec["by_sheet"]["equipment"]["rows_read"] == 34
    assert doc["offsets_memo"] == {"quantity_tco2e": 155.0, "deducted": False, "rows": 2}


def test_capital_goods_alternative_is_labelled_and_not_added(example):
    _, doc = example
    alt = doc["capital_goods_alternative"]
    assert doc["capital_goods"] == "acquisition_year" and alt["capital_goods"] == "amortized"
    delta = math.fsum(alt["scope3_by_category_kgco2e"].values()) - math.fsum(
        doc["totals"]["scope3_by_category_kgco2e"].get(k, 0.0)
        for k in alt["scope3_by_category_kgco2e"]
    )
    assert _close(alt["total_location_kgco2e"], doc["totals"]["total_location_kgco2e"] + delta)


def test_results_json_is_byte_identical_across_runs(tmp_path):
    first = write_results(run(EXAMPLE), tmp_path / "a").read_bytes()
    second = write_results(run(EXAMPLE), tmp_path / "b").read_bytes()
    assert first == second


def test_results_bytes_are_what_json_writes_for_the_document(example, tmp_path):
    result, document = example
    assert results_bytes(result) == json_text(document).encode("utf-8")
    lines = document["lines"]
    assert {"range", "not_assessed", "part", "basis"} <= {k for line in lines for k in line}
    assert None in {line["category"] for line in lines}
    assert [list(line)[:13] for line in lines[:1]] == [
        [
            "line_id",
            "source",
            "scope",
            "category",
            "stage",
            "method",
            "counted",
            "kgco2e",
            "kgco2e_market",
            "energy_kwh",
            "water_m3",
            "adpe_kgsbeq",
            "factor_ids",
        ]
    ]
    # in blocks of 7 lines, and with an empty ledger
    assert b"".join(lines_bytes(result.ledger, block=7)) == b"".join(lines_bytes(result.ledger))
    empty = run(write_inventory(tmp_path / "inv"))
    assert len(empty.ledger) == 0
    assert results_bytes(empty) == json_text(results_dict(empty)).encode("utf-8")


def test_results_bytes_are_the_json_text_whatever_the_block_size(example, monkeypatch):
    _result, document = example
    text = json_text(document).encode("utf-8")
    assert json_bytes(document) == text
    monkeypatch.setattr(results_module, "BLOCK", 7)  # many blocks, one ending mid-line
    assert json_bytes(document) == text
    assert json_bytes({"m³": [1.5, None, "×"]}) == json_text({"m³": [1.5, None, "×"]}).encode()
    with pytest.raises(ValueError):
        json_bytes({"x": math.nan})


#: Per line, the figures a golden pins (NaN, "not assessed", is kept as null).
GOLDEN_LINE = ("kgco2e", "kgco2e_market", "energy_kwh", "water_m3", "adpe_kgsbeq")


def _observed(doc: dict, issues) -> dict:
    codes = Counter(f"{i.code}:{i.severity.value}" for i in issues)
    return {
        "totals": doc["totals"],
        "capital_goods_alternative": doc["capital_goods_alternative"],
        "lines": {line["line_id"]: [line[k] for k in GOLDEN_LINE] for line in doc["lines"]},
        "issue_codes": dict(sorted(codes.items())),
        "uncertainty": doc["uncertainty"]["figures"],
        "bridge": doc["bridge"]["figures"],
        "ai": doc["ai"],
    }


def _check_golden(observed: dict, golden: Path, request) -> None:
    if request.config.getoption("--update-golden"):
        golden.write_text(json.dumps(observed, indent=1, sort_keys=True) + "\n")
    expected = json.loads(golden.read_text())
    assert observed["lines"].keys() == expected["lines"].keys()
    for line_id, values in expected["lines"].items():
        got = observed["lines"][line_id]
        assert [v is None for v in got] == [v is None for v in values], line_id
        assert [v for v in got if v is not None] == pytest.approx(
            [v for v in values if v is not None], rel=1e-9
        ), line_id
    assert observed["issue_codes"] == expected["issue_codes"]
    assert _nested_close(observed["totals"], expected["totals"])
    assert _nested_close(
        observed["capital_goods_alternative"], expected["capital_goods_alternative"]
    )
    assert _nested_close(observed["uncertainty"], expected["uncertainty"])
    assert _nested_close(observed["bridge"], expected["bridge"])
    assert _nested_close(observed["ai"], expected["ai"])


def test_golden(example, request):
    """Totals, every line's carbon, energy, water and ADPe, and the issue codes equal the
    reviewed golden figures (shipped factor library: moves when the factors do)."""
    result, doc = example
    _check_golden(_observed(doc, result.issues), GOLDEN, request)


def test_golden_on_the_frozen_fixture_library(fixture_library, request):
    """The same on the frozen fixture library: moves only when the method does."""
    result = run(EXAMPLE, library=fixture_library, priors=(PRIOR,))
    _check_golden(_observed(results_dict(result), result.issues), GOLDEN_FIXTURE, request)


def _nested_close(a, b) -> bool:
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        return all(_nested_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and any(isinstance(x, dict | list) for x in a):
        assert len(a) == len(b)
        return all(_nested_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) or a is None or isinstance(a, bool):
        assert a == b
    else:
        assert a == pytest.approx(b, rel=1e-9)
    return True


@pytest.mark.slow  # renders the PDF and the workbook
def test_a_report_builds_results_json_once_and_prints_the_hash_of_its_bytes(
    tmp_path, monkeypatch, fixture_library
):
    from openpyxl import load_workbook

    from lca.report.render import render_all
    from tests.helpers import report_inventory

    result = run(report_inventory(tmp_path / "inv"), library=fixture_library)
    built = []
    monkeypatch.setattr(
        results_module,
        "document",
        lambda r, lines, build=results_module.document: built.append(r) or build(r, lines),
    )
    paths, _found = render_all(result, tmp_path / "out")
    assert len(built) == 1
    written = {p.suffix: p for p in paths}
    readme = dict(load_workbook(written[".xlsx"])["README"].iter_rows(max_col=2, values_only=True))
    digest = hashlib.sha256(written[".json"].read_bytes()).hexdigest()
    assert readme["results.json SHA-256"] == digest


def test_the_example_bridge_closes_with_every_kind_of_effect(example):
    """The example against its 2024 prior: each figure's effects add up to its change, and
    each kind of effect occurs (the PPA's contractual rate and Microsoft's own figure changed;
    genai_usage is a sheet of 2025 only)."""
    result, doc = example
    figures = doc["bridge"]["figures"]
    change = doc["change_vs_prior"]["kgco2e"]
    for name, entry in figures.items():
        effects = entry["activity_kgco2e"] + entry["factor_kgco2e"] + entry["method_kgco2e"]
        assert math.isclose(effects, change[name], rel_tol=1e-9, abs_tol=1e-9), name
    assert figures["scope2_market"]["factor_kgco2e"] < 0  # PPA 0.018 → 0.015 kgCO2e/kWh
    assert figures["scope3_category_1"]["factor_kgco2e"] != 0
    # Microsoft's own figure, 1 720 kgCO2e in 2024 and 1 850 in 2025: all a factor effect
    prior = run(PRIOR).lines
    microsoft = [
        lines[lines["label"].astype(str).str.startswith("Microsoft")]
        for lines in (prior, result.lines)
    ]
    own = bridge.figures_bridge(*microsoft)["scope3_category_1"]
    assert (own["activity_kgco2e"], own["factor_kgco2e"], own["method_kgco2e"]) == (
        0,
        pytest.approx(1850 - 1720),
        0,
    )
    assert figures["scope3_category_1"]["method_detail"]["keys_added"] >= 4  # genai_usage
    genai = result.ledger[result.ledger["sheet"] == "genai_usage"]
    assert figures["scope3_category_1"]["method_detail"]["added_kgco2e"] >= float(
        genai.loc[genai["counted"], "kgco2e"].sum()
    )
    assert doc["comparatives"][0]["reporting_year"] == 2024 == doc["base_year"]["year"]
