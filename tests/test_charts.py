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
