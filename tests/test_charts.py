"""Report charts: deterministic SVG, every label drawable."""

import warnings

from lca.report.charts import _short, barh


def test_same_data_gives_the_same_svg_bytes():
    args = (
        "Emissions by scope",
        ["Scope 1", "Scope 3"],
        [1.5, 20.25],
        "tCO2e",
        ["#2F4858", "#F6AE2D"],
    )
    assert barh(*args) == barh(*args)


def test_control_characters_are_drawn_without_a_missing_glyph():
    assert _short("bell\x07") == "bell\ufffd"
    assert _short("tab\tand\nbreak") == "tab and break"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns on a glyph no font has
        barh("Suppliers", ["bell\x07", "tab\tinside"], [1.0, 2.0], "tCO2e", ["#2F4858"] * 2)


def test_long_labels_are_cut_at_34_characters_with_an_ellipsis():
    label = "x" * 60
    assert _short(label) == "x" * 33 + "…"
    assert _short("x" * 34) == "x" * 34


# The uncertainty charts: views of results.json ``uncertainty`` (no figure computed) --------


def _figure(point, low, high, flagged=False):
    """One results.json ``uncertainty.figures`` entry (kgCO2e)."""
    return {
        "point": point,
        "mean": point,
        "p2_5": low,
        "p50": point,
        "p97_5": high,
        "relative_half_width": (high - low) / 2 / point,
        "analytical_relative_half_width": (high - low) / 2 / point,
        "high_uncertainty": flagged,
    }


BLOCK = {
    "iterations": 1000,
    "seed": 0,
    # results.json order, not report order: category 10 before 2, totals and water between
    "figures": {
        "scope3_category_10": _figure(500.0, 100.0, 1_400.0, flagged=True),
        "total_location_kgco2e": _figure(4_000.0, 3_500.0, 4_600.0),
        "scope3_kgco2e": _figure(2_500.0, 2_000.0, 3_100.0),
        "scope1_kgco2e": _figure(1_000.0, 900.0, 1_100.0),
        "water_m3": _figure(10.0, 1.0, 30.0, flagged=True),
        "scope2_market_kgco2e": _figure(400.0, 350.0, 450.0),
        "scope2_location_kgco2e": _figure(500.0, 420.0, 590.0),
        "scope3_category_2": _figure(2_000.0, 1_800.0, 2_300.0),
    },
    "contributors": {
        "total_location_kgco2e": [
            {"input": "factor", "id": f"spend:category_{n}:gwp:2022", "share_of_variance": s}
            for n, s in enumerate([0.02, 0.3, 0.01, 0.05, 0.004, 0.1, 0.003, 0.2, 0.002, 0.06])
        ]
        + [
            {"input": "row", "id": "energy:4", "share_of_variance": 0.25},
            {"input": "factor", "id": "tiny:factor", "share_of_variance": 0.001},
        ],
        "total_market_kgco2e": [{"input": "row", "id": "energy:5", "share_of_variance": 1.0}],
    },
}
NAMES = {"2": "Capital goods", "10": "Processing of sold products"}


def _model(block=BLOCK):
    from lca.report.model import uncertainty

    return {"uncertainty": uncertainty(block, NAMES)}


def test_interval_rows_are_the_scopes_then_the_categories_by_number_in_tco2e():
    from lca.report.charts import COLOURS, interval_rows

    rows = interval_rows(_model()["uncertainty"])
    assert [(r["label"], r["point"], r["p2_5"], r["p97_5"], r["high"]) for r in rows] == [
        ("Scope 1", 1.0, 0.9, 1.1, False),
        ("Scope 2 (location-based)", 0.5, 0.42, 0.59, False),
        ("Scope 2 (market-based)", 0.4, 0.35, 0.45, False),
        ("Scope 3", 2.5, 2.0, 3.1, False),
        ("Cat. 2 Capital goods", 2.0, 1.8, 2.3, False),
        ("Cat. 10 Processing of sold products", 0.5, 0.1, 1.4, True),
    ]
    assert [r["colour"] for r in rows] == [
        COLOURS[k] for k in ("scope1", "scope2_location", "scope2_market", *["scope3"] * 3)
    ]


def test_the_tornado_is_the_ten_largest_shares_largest_first_numbered():
    from lca.report.charts import INPUT_COLOUR, tornado_rows

    rows = tornado_rows(_model()["uncertainty"])
    assert [(r["rank"], r["label"], r["share"]) for r in rows] == [
        (1, "1 spend:category_1:gwp:2022", 0.3),
        (2, "2 row energy:4", 0.25),
        (3, "3 spend:category_7:gwp:2022", 0.2),
        (4, "4 spend:category_5:gwp:2022", 0.1),
        (5, "5 spend:category_9:gwp:2022", 0.06),
        (6, "6 spend:category_3:gwp:2022", 0.05),
        (7, "7 spend:category_0:gwp:2022", 0.02),
        (8, "8 spend:category_2:gwp:2022", 0.01),
        (9, "9 spend:category_4:gwp:2022", 0.004),
        (10, "10 spend:category_6:gwp:2022", 0.003),
    ]
    assert rows[1]["colour"] == INPUT_COLOUR["row"] and rows[0]["colour"] == INPUT_COLOUR["factor"]


def test_uncertainty_charts_are_deterministic_and_every_glyph_is_drawable():
    from lca.report.charts import HIGH_COLOUR, uncertainty_charts

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph (the ▲ mark) would warn
        first = uncertainty_charts(_model())
    assert set(first) == {"intervals", "tornado"}
    assert first == uncertainty_charts(_model())
    assert "Date" not in first["intervals"] and "<dc:date>" not in first["tornado"]
    # the flagged category's whisker, label and value in red; none red when none is flagged
    assert HIGH_COLOUR.lower() in first["intervals"]
    calm = dict(
        BLOCK, figures={k: dict(f, high_uncertainty=False) for k, f in BLOCK["figures"].items()}
    )
    assert HIGH_COLOUR.lower() not in uncertainty_charts(_model(calm))["intervals"]


def test_no_interval_chart_without_figures_and_no_tornado_when_every_input_is_exact():
    from lca.report.charts import uncertainty_charts

    assert uncertainty_charts(_model({})) == {}
    exact = dict(BLOCK, contributors={"total_location_kgco2e": []})
    assert set(uncertainty_charts(_model(exact))) == {"intervals"}
