"""Data-quality indicators per ledger line and their roll-up (``lca.aggregate.data_quality``),
and each line's 95 % interval (``lca.aggregate.uncertainty.line_intervals``).

Fixture scores (``tests/fixtures/factors/uncertainty_defaults.csv``, the shipped method scores),
as (reliability, completeness, temporal, geographical, technological) — the tests compare
tuples in the order (technological, temporal, geographical, completeness, reliability):
measured activity (1, 1, 1, 1, 1), measured factor (1, 1, 2, 1, 2), average_data activity
(1, 2, 1, 1, 1), average_data factor (2, 2, 2, 2, 3). Rules: ``tests/fixtures/factors/
dqi_rules.csv`` (the shipped ones).
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from lca.factors.library import FactorLibraryError, read_library
from lca.pipeline import run
from lca.report.results import lines_json
from tests.helpers import line, write_inventory

Z95 = 1.959963984540054
SITES = "site_id,country,kind\nPAR,FR,office"
FIXTURE = Path(__file__).parent / "fixtures" / "factors"
SCORES = ("technological", "temporal", "geographical", "completeness", "reliability")


def _settings(year: int) -> str:
    return f"key,value\norganization,Test Org\nreporting_year,{year}\n"


def _run(folder: Path, library, year: int = 2024, **sheets: str):
    return run(
        write_inventory(folder, sites=SITES, settings=_settings(year), **sheets), library=library
    )


def _dqi(row) -> tuple:
    return tuple(int(row[f"dqi_{name}"]) for name in SCORES)


ENERGY = "site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh"
#: 0.01 kg of R-410A: 0.01 × 2255.5 = 22.555 kgCO2e (fixture AR6 factor of 2021, region GLO).
LEAK = "site_id,gas,leaked_kg\nPAR,R-410A,0.01"


def test_scores_come_from_the_factor_year_region_and_the_method(tmp_path, fixture_library):
    # reporting year 2023: the grid factor picked is electricity:FR:gwp:2020 (3 years old)
    result = _run(tmp_path, fixture_library, year=2023, energy=ENERGY, refrigerants=LEAK)
    use = line(result, "energy:2:use")
    assert use["factor_gwp"] == "electricity:FR:gwp:2020"
    # technological max(1, 2) = 2; temporal: age 2023 − 2020 = 3 → rule [3, 6) = 2;
    # geographical: factor FR = site FR → 1; completeness, reliability max(1, 1) = 1
    assert _dqi(use) == (2, 2, 1, 1, 1)
    assert bool(use["primary_data"]) is True
    upstream = line(result, "energy:2:use:upstream")  # average_data, factor of 2024: age 1
    assert _dqi(upstream) == (3, 1, 1, 2, 2)
    assert bool(upstream["primary_data"]) is False
    leak = line(result, "refrigerants:2:operation")  # gas factor of 2021 (age 2), region GLO
    assert _dqi(leak) == (2, 1, 2, 1, 1)


def test_a_fallback_factor_scores_technological_4(tmp_path, fixture_library):
    # IE has no grid factor in the fixture: the world factor (region GLO), a fallback
    result = run(
        write_inventory(
            tmp_path,
            sites="site_id,country,kind\nDUB,IE,office",
            energy="site_id,carrier,quantity,unit\nDUB,electricity,1000,kWh",
        ),
        library=fixture_library,
    )
    dub = line(result, "energy:2:use")
    assert dub["factor_gwp"] == "electricity:WORLD:gwp:2024" and bool(dub["fallback"])
    # technological: fallback rule 4; temporal: age 0 → 1; geographical: GLO → 2
    assert _dqi(dub) == (4, 1, 2, 1, 1)


def test_an_own_factor_keeps_the_method_scores(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        factors="factor_id,sheet,key,indicator,value,unit,source\n"
        "f-410a,refrigerants,R-410A,gwp,1,kgCO2e/kg,test",
        refrigerants="site_id,gas,leaked_kg\nPAR,R-410A,1000",
    )
    leak = line(result, "refrigerants:2:operation")
    assert (leak["factor_gwp"], leak["method"]) == ("f-410a", "supplier_specific")
    # no library year or region: the supplier_specific scores, activity all 1, factor
    # reliability 2 → (technological, temporal, geographical, completeness, reliability)
    assert _dqi(leak) == (1, 1, 1, 1, 2)


def test_the_roll_up_weights_lines_by_their_emissions(tmp_path, fixture_library):
    result = _run(tmp_path, fixture_library, year=2023, energy=ENERGY, refrigerants=LEAK)
    quality = result.uncertainty["data_quality"]
    use, upstream, leak = 1000 * 0.03, 1000 * 0.01, 0.01 * 2255.5  # 30, 10, 22.555 kgCO2e
    total = use + upstream + leak
    figure = quality["total_location_kgco2e"]
    assert figure["lines"] == 3
    assert figure["temporal"] == round((use * 2 + upstream * 1 + leak * 1) / total, 2)  # 1.48
    assert figure["geographical"] == round((use * 1 + upstream * 1 + leak * 2) / total, 2)
    assert figure["technological"] == round((use * 2 + upstream * 3 + leak * 2) / total, 2)
    assert figure["primary_data_share"] == round((use + leak) / total, 4)  # 0.8401
    assert quality["scope3_category_3"] == {
        "lines": 1,
        "technological": 3.0,
        "temporal": 1.0,
        "geographical": 1.0,
        "completeness": 2.0,
        "reliability": 2.0,
        "primary_data_share": 0.0,
    }


def test_a_line_interval_lognormal_and_normal(tmp_path, fixture_library):
    result = _run(tmp_path, fixture_library, year=2023, energy=ENERGY)
    use = line(result, "energy:2:use")  # 30 kg, defaults σ(ln) 0.02 (activity), 0.1 (factor)
    spread = Z95 * math.sqrt(0.02**2 + 0.1**2)
    assert use["kgco2e_p2_5"] == pytest.approx(30 * math.exp(-spread), rel=1e-9)
    assert use["kgco2e_p97_5"] == pytest.approx(30 * math.exp(spread), rel=1e-9)

    exact_factor = _run(
        tmp_path / "normal",
        fixture_library,
        factors="factor_id,sheet,key,indicator,value,unit,source,uncertainty_pct\n"
        "f-410a,refrigerants,R-410A,gwp,1,kgCO2e/kg,test,0",
        refrigerants="site_id,gas,leaked_kg,uncertainty_pct\nPAR,R-410A,1000,10\nPAR,R-410A,500,0",
    )
    ten = line(exact_factor, "refrigerants:2:operation")  # ±10 % activity, exact factor
    assert (ten["kgco2e_p2_5"], ten["kgco2e_p97_5"]) == pytest.approx((1000 * 0.9, 1000 * 1.1))
    point = line(exact_factor, "refrigerants:3:operation")  # both exact: a point
    assert point["kgco2e_p2_5"] == point["kgco2e_p97_5"] == 500 * 1


def test_results_json_lines_carry_dqi_and_interval(tmp_path, fixture_library):
    result = _run(tmp_path, fixture_library, year=2023, energy=ENERGY)
    first = next(x for x in lines_json(result.ledger) if x["line_id"] == "energy:2:use")
    assert first["dqi"] == {
        "technological": 2,
        "temporal": 2,
        "geographical": 1,
        "completeness": 1,
        "reliability": 1,
    }
    assert first["primary_data"] is True
    spread = Z95 * math.sqrt(0.02**2 + 0.1**2)
    assert first["interval"]["kgco2e"] == pytest.approx(
        [30 * math.exp(-spread), 30 * math.exp(spread)], rel=1e-12
    )


def _library_with_rules(tmp_path: Path, rules: str):
    folder = tmp_path / "library"
    shutil.copytree(FIXTURE, folder)
    (folder / "dqi_rules.csv").write_text(rules, encoding="utf-8")
    return read_library(folder, verify_hashes=False)


RULES_HEADER = "indicator,evidence,match,low,high,score,rationale,source,licence,year\n"


def test_the_rules_are_data(tmp_path):
    library = _library_with_rules(
        tmp_path, RULES_HEADER + "temporal,factor_age_years,,0,,5,any age is poor,test,CC0,2024\n"
    )
    result = _run(tmp_path / "inv", library, energy=ENERGY)
    assert line(result, "energy:2:use")["dqi_temporal"] == 5
    # no geographical rule any more: the measured factor's score 1, the activity's 1
    assert line(result, "energy:2:use")["dqi_geographical"] == 1
    # no primary_data rule: no line is primary
    assert not result.ledger["primary_data"].any()


def test_a_bad_rule_is_refused_at_load(tmp_path):
    with pytest.raises(FactorLibraryError, match=r"dqi_rules.csv:2: .*score 1-5"):
        _library_with_rules(
            tmp_path, RULES_HEADER + "temporal,factor_age_years,,0,3,7,bad,test,CC0,2024\n"
        )


def test_the_shipped_rules_cite_their_source():
    rules = read_library(Path(__file__).resolve().parents[1] / "factors").table("dqi_rules")
    assert set(rules["indicator"]) == {"temporal", "geographical", "technological", "primary_data"}
    assert rules["source"].str.contains("Scope 3").all()
    assert json.dumps(sorted(rules["evidence"].unique().tolist())) == json.dumps(
        ["factor_age_years", "factor_region", "fallback", "method"]
    )


def test_the_report_and_workbook_give_the_scores(tmp_path, fixture_library):
    from openpyxl import load_workbook

    from lca.report.model import build
    from lca.report.pdf import render_html
    from lca.report.xlsx import write_xlsx

    result = _run(tmp_path / "inv", fixture_library, year=2023, energy=ENERGY, refrigerants=LEAK)
    model = build(result)
    rows = {r["key"]: r for r in model["uncertainty"]["quality_rows"]}
    assert rows["scope3_category_3"]["label"].startswith("Scope 3 category 3")
    assert rows["scope2_location_kgco2e"]["temporal"] == 2.0  # the 2020 grid factor in 2023
    html = render_html(model)
    assert "Data-quality indicators per scope and category" in html
    workbook = load_workbook(write_xlsx(result, model, tmp_path / "out"))
    ledger = workbook["Ledger"]
    header = [c.value for c in ledger[1]]
    temporal = header.index("dqi_temporal (1 best - 5)") + 1
    ids = [c.value for c in ledger["A"]]
    assert ledger.cell(ids.index("energy:2:use") + 1, temporal).value == 2
    labels = [c.value for c in workbook["Uncertainty"]["A"]]
    assert "Scope 3 category 3, Fuel- and energy-related activities" in labels
