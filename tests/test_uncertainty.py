"""Uncertainty of the totals (``lca.aggregate.uncertainty``): known answers, correlation,
exact inputs, determinism, the analytical check and bad cells."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lca.aggregate.multipliers import EXACT, LOGNORMAL, NORMAL, Multipliers
from lca.aggregate.uncertainty import largest
from lca.factors.library import load_library
from lca.pipeline import run
from lca.report.results import results_bytes
from tests.helpers import report_inventory, write_inventory

Z95 = 1.959963984540054
SITES = "site_id,country,kind\nPAR,FR,office"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "acme"


def _run(folder: Path, library, **sheets: str):
    return run(write_inventory(folder, sites=SITES, **sheets), library=library)


def _figure(result, name: str = "total_location_kgco2e") -> dict:
    return result.uncertainty["figures"][name]


def _half_width_kg(figure: dict) -> float:
    return (figure["p97_5"] - figure["p2_5"]) / 2


#: Two own refrigerant factors of 1 kgCO2e/kg, exact, so that only the activities vary.
EXACT_FACTORS = (
    "factor_id,sheet,key,indicator,value,unit,source,uncertainty_pct\n"
    "f-410a,refrigerants,R-410A,gwp,1,kgCO2e/kg,test,0\n"
    "f-134a,refrigerants,R-134a,gwp,1,kgCO2e/kg,test,0"
)


def test_two_independent_lines_add_in_quadrature(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        factors=EXACT_FACTORS,
        refrigerants="site_id,gas,leaked_kg,uncertainty_pct\n"
        "PAR,R-410A,1000,10\nPAR,R-134a,1000,30",
    )
    figure = _figure(result)
    assert figure["point"] == pytest.approx(1000 * 1 + 1000 * 1)
    # 95 % half-widths of 100 kg and 300 kg, independent: √(100² + 300²) = 316 kg
    expected = math.sqrt(100**2 + 300**2)
    assert _half_width_kg(figure) == pytest.approx(expected, rel=0.03)
    assert figure["analytical_relative_half_width"] == pytest.approx(expected / 2000, rel=1e-3)
    assert result.uncertainty["sources"]["activity"] == {"inventory": 2}
    assert result.uncertainty["sources"]["factor_kgco2e"] == {"inventory": 2}


def test_lines_sharing_a_factor_share_its_draw(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        factors="factor_id,sheet,key,indicator,value,unit,source,uncertainty_pct\n"
        "f-410a,refrigerants,R-410A,gwp,1,kgCO2e/kg,test,20",
        refrigerants="site_id,gas,leaked_kg,uncertainty_pct\nPAR,R-410A,500,0\nPAR,R-410A,500,0",
    )
    figure = _figure(result)
    # fully correlated: ±20 % of 1000 kg, not ±20 % / √2 = ±14 %
    assert _half_width_kg(figure) / 1000 == pytest.approx(0.20, rel=0.03)
    assert abs(_half_width_kg(figure) / 1000 - 0.20 / math.sqrt(2)) > 0.04
    assert figure["analytical_relative_half_width"] == pytest.approx(0.20, rel=1e-3)
    assert result.uncertainty["contributors"]["total_location_kgco2e"] == [
        {"input": "factor", "id": "f-410a", "share_of_variance": 1.0}
    ]


def test_an_exact_line_stays_a_point(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        factors=EXACT_FACTORS,
        refrigerants="site_id,gas,leaked_kg,uncertainty_pct\nPAR,R-410A,1000,0",
    )
    figure = _figure(result)
    assert figure["p2_5"] == figure["p50"] == figure["p97_5"] == figure["mean"] == 1000 * 1
    assert figure["relative_half_width"] == 0
    assert figure["analytical_relative_half_width"] == 0
    assert result.uncertainty["contributors"] == {}


def test_without_uncertainty_pct_the_method_default_applies(tmp_path, fixture_library):
    """A metered kWh (method measured) with the library's grid factor: the fixture's defaults
    σ(ln) 0.02 (activity) and 0.1 (factor), lognormal with median 1."""
    result = _run(
        tmp_path, fixture_library, energy="site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh"
    )
    figure = _figure(result, "scope2_location_kgco2e")

    def sd(sigma: float) -> float:  # standard deviation of a lognormal of median 1
        return math.sqrt(math.expm1(sigma**2) * math.exp(sigma**2))

    expected = Z95 * math.sqrt(sd(0.02) ** 2 + sd(0.1) ** 2)
    assert figure["analytical_relative_half_width"] == pytest.approx(expected, rel=1e-3)
    assert figure["relative_half_width"] == pytest.approx(expected, rel=0.05)
    assert result.uncertainty["sources"]["activity"] == {"default": 2}  # use and upstream


def test_the_same_seed_gives_byte_identical_results(tmp_path, fixture_library):
    sheets = dict(
        refrigerants="site_id,gas,leaked_kg,uncertainty_pct\nPAR,R-410A,10,10\nPAR,R-134a,5,",
        energy="site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh",
    )
    first = _run(tmp_path / "a", fixture_library, **sheets)
    second = _run(tmp_path / "b", fixture_library, **sheets)
    text = results_bytes(first).decode().replace(str(tmp_path / "a"), "")
    assert text == results_bytes(second).decode().replace(str(tmp_path / "b"), "")
    settings = "key,value\norganization,Test Org\nreporting_year,2024\nuncertainty_seed,7\n"
    other = _run(tmp_path / "c", fixture_library, settings=settings, **sheets)
    assert other.uncertainty["seed"] == 7
    assert _figure(other)["p97_5"] != _figure(first)["p97_5"]


def test_iterations_are_a_setting(tmp_path, fixture_library):
    settings = "key,value\norganization,Test Org\nreporting_year,2024\nuncertainty_iterations,500\n"
    result = _run(
        tmp_path,
        fixture_library,
        settings=settings,
        refrigerants="site_id,gas,leaked_kg\nPAR,R-410A,10",
    )
    assert result.uncertainty["iterations"] == 500
    too_few = _run(
        tmp_path / "few",
        fixture_library,
        settings=settings.replace("500", "10"),
        refrigerants="site_id,gas,leaked_kg\nPAR,R-410A,10",
    )
    issue = next(i for i in too_few.issues if i.code == "invalid-setting")
    assert (issue.source.sheet, issue.source.row, issue.value) == ("settings", 4, "10")


def test_analytical_and_monte_carlo_agree_on_the_example():
    result = run(EXAMPLE, library=load_library())
    figures = result.uncertainty["figures"]
    assert figures["total_location_kgco2e"]["point"] == result.totals["total_location_kgco2e"]
    for name, figure in figures.items():
        assert figure["relative_half_width"] == pytest.approx(
            figure["analytical_relative_half_width"], rel=0.05
        ), name
    # spend-based air travel (category 6) is flagged: its half-width is above 50 %
    assert "scope3_category_6" in result.uncertainty["high_uncertainty"]


@pytest.mark.parametrize(
    "sheet, text, code",
    [
        (
            "refrigerants",
            "site_id,gas,leaked_kg,uncertainty_pct\nPAR,R-410A,10,-5",
            "negative-value",
        ),
        (
            "refrigerants",
            "site_id,gas,leaked_kg,uncertainty_pct\nPAR,R-410A,10,about ten",
            "invalid-number",
        ),
        (
            "factors",
            "factor_id,sheet,key,indicator,value,unit,source,uncertainty_pct\n"
            "f,refrigerants,R-410A,gwp,1,kgCO2e/kg,test,-1",
            "negative-value",
        ),
    ],
)
def test_an_invalid_uncertainty_pct_is_an_issue_at_its_cell(
    tmp_path, fixture_library, sheet, text, code
):
    sheets = {"refrigerants": "site_id,gas,leaked_kg\nPAR,R-410A,10", sheet: text}
    result = _run(tmp_path, fixture_library, **sheets)
    issue = next(i for i in result.issues if i.code == code)
    assert issue.severity == "error"
    assert (issue.source.sheet, issue.source.row, issue.source.column) == (
        sheet,
        2,
        "uncertainty_pct",
    )


def test_the_report_gives_the_intervals_and_answers_iso_p_and_q(tmp_path, fixture_library):
    from openpyxl import load_workbook

    from lca.report.model import build
    from lca.report.xlsx import write_xlsx

    result = run(report_inventory(tmp_path / "inv"), library=fixture_library)
    model = build(result)
    rows = model["uncertainty"]["by_key"]
    total = result.uncertainty["figures"]["total_location_kgco2e"]
    assert rows["total_location_kgco2e"]["p97_5"] == total["p97_5"] / 1000  # tCO₂e
    assert rows["total_location_kgco2e"]["label"] == "Total, location-based"
    assert "No quantitative uncertainty" not in model["quality"]["uncertainty"]
    assert "10,000 iterations, seed 0" in model["quality"]["uncertainty"]
    index = {i["item"]: i for i in model["index"]["iso"]}
    assert index["p"]["status"] == index["q"]["status"] == "disclosed"
    flagged = [
        r["label"] for r in model["uncertainty"]["rows"] if (r["relative_half_width"] or 0) > 0.5
    ]
    assert model["uncertainty"]["high"] == flagged
    sheet = load_workbook(write_xlsx(result, model, tmp_path / "out"))["Uncertainty"]
    labels = [c.value for c in sheet["A"]]
    assert "Total, location-based" in labels
    row = labels.index("Total, location-based") + 1
    assert sheet.cell(row, 6).value == total["p97_5"] / 1000


def test_each_distinct_multiplier_drawn_once_gives_the_same_draws_as_every_line():
    # 600 lines of 7 drivers: lognormal, normal and exact multipliers, many lines alike;
    # Multipliers.distinct draws each alike group once and takes it to its lines (simulate)
    rng = np.random.default_rng(5)
    m = Multipliers(600)
    m.kind[:] = rng.choice([EXACT, NORMAL, LOGNORMAL], 600)
    m.spread[:] = np.where(m.kind == EXACT, 0.0, rng.choice([0.1, 0.3], 600))
    m.mu[:] = np.where(m.kind == LOGNORMAL, -(m.spread**2) / 2, 0.0)
    m.driver[:] = np.where(m.kind == EXACT, 7, rng.integers(0, 7, 600))
    z = np.zeros((1_000, 8))
    z[:, :-1] = rng.standard_normal((1_000, 7))
    codes, first = m.distinct()
    assert len(first.kind) <= 2 * 2 * 7 + 1
    assert np.array_equal(first.draw(z)[:, codes], m.draw(z))


def test_validate_lists_the_analysis_warning_without_drawing(tmp_path, fixture_library):
    # the defaults table without "supplier_specific": the leak's line (an own factor) has no
    # default spread for its activity, so the analysis warns that it counts as exact.
    # lca validate runs without draws (no intervals, no data-quality scores) and must list
    # the very same issues.
    defaults = fixture_library.table("uncertainty_defaults")
    library = dataclasses.replace(
        fixture_library,
        tables={
            **fixture_library.tables,
            "uncertainty_defaults": defaults[defaults["method"] != "supplier_specific"],
        },
    )
    folder = write_inventory(
        tmp_path,
        sites=SITES,
        factors=EXACT_FACTORS,
        refrigerants="site_id,gas,leaked_kg\nPAR,R-410A,1000",
    )
    full, issues_only = run(folder, library), run(folder, library, draws=False)
    warned = [i for i in full.issues if i.code == "uncertainty-not-assessed"]
    assert [i.value for i in warned] == ["supplier_specific"]
    assert "1 ledger line(s) of method 'supplier_specific'" in warned[0].message
    assert [i.to_json() for i in issues_only.issues] == [i.to_json() for i in full.issues]
    assert full.uncertainty and not issues_only.uncertainty
    assert "kgco2e_p2_5" in full.lines and "kgco2e_p2_5" not in issues_only.lines
    assert issues_only.totals == full.totals


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, -0.0, 1.0, 2.5, 2.5, 7.0, 1e-300, math.nan]), max_size=40)
    | st.lists(st.floats(0, 1e6), max_size=40),
    st.integers(1, 12),
)
def test_largest_is_a_stable_descending_sort_cut_at_k(values, k):
    # the contributors' order: the k largest, ties (many here) in position order, NaN last
    array = np.array(values, dtype="float64")
    expected = np.argsort(-array, kind="stable")[:k]
    assert largest(array, k).tolist() == expected.tolist()
