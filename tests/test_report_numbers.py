"""The house style of printed figures (lca.report.numbers) and of printed keys (labels)."""

from __future__ import annotations

from lca.report.labels import human
from lca.report.numbers import number, percent, points, prose, signed_tonnes, significant

NNBSP, NBSP = "\u202f", "\u00a0"


def test_figures_group_thousands_and_sign_with_a_minus():
    assert number(14_785.25, 1) == f"14{NNBSP}785.2"
    assert number(-18.66, 1) == "−18.7" and number(None) == "–"
    assert signed_tonnes(-19_097.0) == "−19.097" and signed_tonnes(1_569.0) == "+1.569"


def test_percentages_stand_apart_from_their_figure():
    assert percent(0.3722) == f"37.2{NBSP}%" and points(8.7) == f"8.7{NBSP}%"
    assert percent(-0.187) == f"−18.7{NBSP}%" and percent(None) == "–"


def test_powers_of_ten_are_written_out():
    assert significant(8.787e-08) == "8.787 × 10⁻⁸"
    assert significant(2255.5, 6) == f"2{NNBSP}255.5" and significant(0.2) == "0.2"


def test_engine_prose_takes_the_house_style_but_urls_keep_their_octets():
    assert (
        prose("AR5: 14,785.3 kgCO2e; loss 7.74%") == f"AR5: 14{NNBSP}785.3 kgCO2e; loss 7.74{NBSP}%"
    )
    assert prose("https://x.org/a%20b%E2") == "https://x.org/a%20b%E2"
    assert prose("rows 2, 345") == "rows 2, 345"


def test_keys_in_a_text_are_named_and_the_rest_left_as_written():
    assert human("natural_gas combustion · PAR_HQ") == "natural gas combustion · PAR_HQ"
    assert human("gpu_server use · GPU-001") == "GPU server use · GPU-001"
    names = {"nvidia_h100_sxm": "NVIDIA H100 SXM5"}
    assert (
        human("llm_job · nvidia_h100_sxm hardware", names) == "llm_job · NVIDIA H100 SXM5 hardware"
    )
