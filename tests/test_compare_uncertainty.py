"""Uncertainty of a procurement comparison (``lca.compare.uncertainty``): known answers for
the options' intervals and the probability that the ranking holds, shared factors and shared
rows drawn once for every option, a row drawn once for every year, exact options reported,
determinism.

Each option here is refrigerant leaks (one ledger line per row and year: leaked kg × an own
factor of 1 kgCO2e/kg), so every figure is known by hand."""

from __future__ import annotations

import json
import math

import pytest

from lca.compare import compare
from lca.compare.render_json import write_compare_json
from tests.helpers import COMPARE_OPTIONS, COMPARE_SITES, compare_settings, write_inventory

ITERATIONS = 10_000
#: One sampling standard error of a probability near 0.5 at 10,000 draws: √(0.5 × 0.5 / 10⁴).
SE_HALF = math.sqrt(0.5 * 0.5 / ITERATIONS)


def factor(pct: float) -> str:
    """One own factor, 1 kgCO2e/kg of R-410A, shared by both options (blank option)."""
    return (
        "factor_id,sheet,key,indicator,value,unit,source,uncertainty_pct,option\n"
        f"f-410a,refrigerants,R-410A,gwp,1,kgCO2e/kg,test,{pct},\n"
    )


def leaks(*rows: tuple[str, float, float]) -> str:
    """Refrigerant rows: (option, kg leaked a year, uncertainty_pct); option "" = both."""
    body = "".join(f"OFF,R-410A,{kg},{pct},{option}\n" for option, kg, pct in rows)
    return "site_id,gas,leaked_kg,uncertainty_pct,option\n" + body


def run(tmp_path, library, *, years: int = 1, factor_pct: float = 0, rows, settings: str = ""):
    folder = write_inventory(
        tmp_path,
        settings=compare_settings(years) + settings,
        options=COMPARE_OPTIONS,
        sites=COMPARE_SITES,
        factors=factor(factor_pct),
        refrigerants=leaks(*rows),
    )
    return compare(folder, library, sensitivity=False)


def interval(result, name: str) -> dict:
    return next(o for o in result.options if o["option"] == name)["uncertainty"]["totals"]["kgco2e"]


def probability(result, a: str, b: str) -> dict:
    return next(p for p in result.uncertainty["pairs"] if (p["a"], p["b"]) == (a, b))


def test_a_shared_factor_moves_both_options_together(tmp_path, fixture_library):
    # a: 100 kg × 1 kgCO2e/kg = 100 kgCO2e, b: 120 × 1 = 120; exact amounts (uncertainty_pct 0)
    # and one factor at ±40 % (normal, s = 0.40 / 1.96). Draw i: a_i = 100 f_i < 120 f_i = b_i
    # for every f_i > 0, so a beats b in every draw although the intervals overlap widely:
    # a ≈ [100 × 0.6, 100 × 1.4] = [60, 140], b ≈ [120 × 0.6, 120 × 1.4] = [72, 168].
    result = run(tmp_path, fixture_library, factor_pct=40, rows=[("a", 100, 0), ("b", 120, 0)])
    assert result.ranking == ["a", "b"]
    a, b = interval(result, "a"), interval(result, "b")
    assert a["point"] == 100 * 1 and b["point"] == 120 * 1
    assert a["relative_half_width"] == pytest.approx(0.40, rel=0.03)
    assert b["relative_half_width"] == pytest.approx(0.40, rel=0.03)
    assert a["p2_5"] == pytest.approx(100 * (1 - 0.40), rel=0.03)
    assert b["p97_5"] == pytest.approx(120 * (1 + 0.40), rel=0.03)
    assert b["p2_5"] < a["p97_5"]  # the intervals overlap …
    pair = probability(result, "a", "b")
    assert pair["probability"] == 1.0 and pair["ties"] == 0.0  # … the ranking never flips
    assert pair["adjacent"] is True
    assert result.uncertainty["ranking_probability"] == 1.0
    assert result.uncertainty["iterations"] == ITERATIONS and result.uncertainty["seed"] == 0
    assert not [i for i in result.issues if i.code == "uncertainty-not-assessed"]


def test_independent_rows_of_equal_means_rank_either_way_half_the_time(tmp_path, fixture_library):
    # a and b: 100 kg each at ±20 % on rows of their own (independent draws), an exact factor:
    # a − b is symmetric around 0, so P(a < b) = 0.5 (± 4 standard errors of 0.005).
    result = run(tmp_path, fixture_library, factor_pct=0, rows=[("a", 100, 20), ("b", 100, 20)])
    assert result.ranking == ["a", "b"]  # equal totals: the options sheet's order
    pair = probability(result, "a", "b")
    assert abs(pair["probability"] - 0.5) < 4 * SE_HALF
    assert pair["ties"] == 0.0
    for name in ("a", "b"):
        assert interval(result, name)["relative_half_width"] == pytest.approx(0.20, rel=0.03)


def test_a_row_shared_by_both_options_is_one_draw(tmp_path, fixture_library):
    # a: 100 kg, b: 120 kg (exact), and a row with a blank option, 1000 kg at ±50 %, that
    # both carry; exact factor. Draw i: a_i = 100 + 1000 m_i < 120 + 1000 m_i = b_i: the shared
    # row cancels in the difference. Drawn independently per option, a − b would be normal with
    # sd 1000 × (0.50 / 1.96) × √2 = 361 and P(a < b) = Φ(20 / 361) ≈ 0.52.
    # Each option's interval holds the shared row: half-width ≈ 0.50 × 1000 = 500 kgCO2e.
    result = run(
        tmp_path,
        fixture_library,
        factor_pct=0,
        rows=[("a", 100, 0), ("b", 120, 0), ("", 1000, 50)],
    )
    a = interval(result, "a")
    assert a["point"] == 100 + 1000
    assert (a["p97_5"] - a["p2_5"]) / 2 == pytest.approx(0.50 * 1000, rel=0.03)
    assert probability(result, "a", "b")["probability"] == 1.0


def test_a_row_is_one_draw_in_every_year_of_the_horizon(tmp_path, fixture_library):
    # a: 1000 kg a year at ±10 % over 2 years: the same row both years, so the total's
    # half-width is 2 × 100 = 200 kg (fully correlated), not √2 × 100 = 141 kg; each year's is
    # 100 kg. b: exact.
    result = run(
        tmp_path,
        fixture_library,
        years=2,
        factor_pct=0,
        rows=[("a", 1000, 10), ("b", 3000, 0)],
    )
    option = next(o for o in result.options if o["option"] == "a")["uncertainty"]
    total = option["totals"]["kgco2e"]
    assert total["point"] == 2 * 1000
    assert (total["p97_5"] - total["p2_5"]) / 2 == pytest.approx(2 * 100, rel=0.03)
    assert [y["point"] for y in option["by_year_kgco2e"]] == [1000, 1000]
    for year in option["by_year_kgco2e"]:
        assert (year["p97_5"] - year["p2_5"]) / 2 == pytest.approx(100, rel=0.03)


def test_three_options_pairs_and_the_whole_ranking(tmp_path, fixture_library):
    # a 100 (exact), b 100 ± 20 %, c 300 (exact), exact factor; ranking a < b < c by points
    # (a and b equal: the options sheet's order). Pairs: each with the next (a–b, b–c), the
    # best with the others (a–c). P(a < b) = P(m_b > 1) = 0.5; P(b < c) = P(100 m_b < 300) = 1
    # (m_b ≤ 1 + 4.9 × 0.102 < 3 in practice); P(a < c) = 1; the whole ranking: 0.5.
    folder = write_inventory(
        tmp_path,
        settings=compare_settings(1),
        options="option,description\na,a\nb,b\nc,c\n",
        sites=COMPARE_SITES,
        factors=factor(0),
        refrigerants=leaks(("a", 100, 0), ("b", 100, 20), ("c", 300, 0)),
    )
    result = compare(folder, fixture_library, sensitivity=False)
    assert result.ranking == ["a", "b", "c"]
    pairs = [(p["a"], p["b"], p["adjacent"]) for p in result.uncertainty["pairs"]]
    assert pairs == [("a", "b", True), ("b", "c", True), ("a", "c", False)]
    assert abs(probability(result, "a", "b")["probability"] - 0.5) < 4 * SE_HALF
    assert probability(result, "b", "c")["probability"] == 1.0
    assert probability(result, "a", "c")["probability"] == 1.0
    assert abs(result.uncertainty["ranking_probability"] - 0.5) < 4 * SE_HALF
    # a is exact: its interval is its point, and the report says so
    exact = interval(result, "a")
    assert exact["p2_5"] == exact["p50"] == exact["p97_5"] == 100
    assert [i.value for i in result.issues if i.code == "uncertainty-not-assessed"] == ["a", "c"]


def test_exact_options_are_an_issue_and_tie_where_equal(tmp_path, fixture_library):
    # Everything exact and equal: every draw is a tie, P(a < b) = 0, ties = 1.
    result = run(tmp_path, fixture_library, factor_pct=0, rows=[("a", 50, 0), ("b", 50, 0)])
    pair = probability(result, "a", "b")
    assert (pair["probability"], pair["ties"]) == (0.0, 1.0)
    warned = [i for i in result.issues if i.code == "uncertainty-not-assessed"]
    assert [i.value for i in warned] == ["a", "b"]
    assert all(i.severity.value == "warning" for i in warned)
    assert next(o for o in result.options if o["option"] == "a")["uncertainty"]["assessed"] is False


def test_same_seed_same_json_and_the_settings_are_read(tmp_path, fixture_library):
    rows = [("a", 100, 20), ("b", 110, 30)]
    first = run(tmp_path / "one", fixture_library, factor_pct=10, rows=rows)
    second = run(tmp_path / "two", fixture_library, factor_pct=10, rows=rows)

    def text(result, folder):
        path = write_compare_json(result, folder / "out")
        return path.read_text().replace(str(folder), "")

    assert text(first, tmp_path / "one") == text(second, tmp_path / "two")
    other = run(
        tmp_path / "three",
        fixture_library,
        factor_pct=10,
        rows=rows,
        settings="uncertainty_seed,7\nuncertainty_iterations,500\n",
    )
    assert (other.uncertainty["seed"], other.uncertainty["iterations"]) == (7, 500)
    assert interval(other, "a")["p97_5"] != interval(first, "a")["p97_5"]
    document = json.loads(text(first, tmp_path / "one"))
    assert (
        document["uncertainty"]["pairs"][0]["probability"]
        == probability(first, "a", "b")["probability"]
    )


def test_too_few_iterations_is_a_setting_error(tmp_path, fixture_library):
    result = run(
        tmp_path,
        fixture_library,
        rows=[("a", 1, 0), ("b", 2, 0)],
        settings="uncertainty_iterations,10\n",
    )
    assert not result.options
    assert any("uncertainty_iterations" in i.message for i in result.issues)


def test_a_share_of_draws_is_never_printed_as_certain_unless_it_is():
    from lca.compare.uncertainty import percent

    assert percent(1.0) == "100 %" and percent(0.0) == "0 %"
    assert percent(9_999.5 / 10_000) == "> 99.9 %"  # not "100.0 %"
    assert percent(4 / 10_000) == "< 0.1 %"  # not "0.0 %"
    assert percent(9_374 / 10_000) == "93.7 %" and percent(0.5) == "50 %"


def test_options_without_any_counted_line_are_an_issue_not_a_crash(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path,
        settings=compare_settings(1),
        options=COMPARE_OPTIONS,
        sites=COMPARE_SITES,
    )
    result = compare(folder, fixture_library, sensitivity=False)
    assert result.uncertainty is None
    assert all(o["uncertainty"] is None for o in result.options)
    warned = [i.value for i in result.issues if i.code == "uncertainty-not-assessed"]
    assert warned == ["a", "b"]
