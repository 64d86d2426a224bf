"""Charts of the annual report as deterministic SVG (matplotlib, vector, no pyplot state).

Each function takes plain data from the report model and returns SVG text. Ids are salted
with a fixed string and the SVG carries no date, so two runs give the same bytes. Labels are
the model's strings, which the claims guard has already checked.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import matplotlib
import matplotlib.ticker
from matplotlib.figure import Figure

from lca.report.model import label

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

#: One colour per meaning, the same in every chart: the scopes (scope 2's two methods in two
#: shades of one hue), compute's parts, and grey for "everything else".
COLOURS = {
    "scope1": "#2F4858",
    "scope2_location": "#33658A",
    "scope2_market": "#86BBD8",
    "scope3": "#F6AE2D",
    "cloud": "#F26419",
    "hardware": "#758E4F",
    "energy": "#33658A",
    "other": "#B8C0C6",
}
SCOPE_COLOUR = {1: COLOURS["scope1"], 2: COLOURS["scope2_location"], 3: COLOURS["scope3"]}
RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "lca-report",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 6.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.titlesize": 7.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
}
#: Every chart is drawn at half the text width and printed at that size (one scale for all).
WIDTH_IN = 3.4
_BREAKS = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return buffer.getvalue()


def barh(title: str, labels: list[str], values: list[float], unit: str, colours: list[str]) -> str:
    """A horizontal bar chart, first label on top, each bar annotated with its value."""
    with matplotlib.rc_context(RC):
        height = 0.6 + 0.17 * max(len(labels), 1)
        fig = Figure(figsize=(WIDTH_IN, height))
        ax = fig.add_subplot()
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, values, color=colours, height=0.65)
        ax.set_yticks(positions, labels=[_short(label) for label in labels])
        ax.set_xlabel(unit)
        ax.set_title(title, loc="left")
        top = max(values, default=0) or 1.0
        for y, value in zip(positions, values, strict=True):
            ax.text(value + top * 0.01, y, f"{value:,.1f}", va="center", fontsize=6)
        ax.set_xlim(0, top * 1.18)
        return _svg(fig)


def stacked_share(title: str, parts: list[tuple[str, float, str]]) -> str:
    """One horizontal 100 % bar split into named parts, with their percentages."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH_IN, 1.3))
        ax = fig.add_subplot()
        total = sum(v for _l, v, _c in parts) or 1.0
        left = 0.0
        for label, value, colour in parts:
            share = value / total
            ax.barh(
                [0], [share], left=left, color=colour, label=f"{label} ({share:.1%})", height=0.5
            )
            left += share
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([])
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        ax.set_title(title, loc="left")
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=2, frameon=False, fontsize=6
        )
        return _svg(fig)


def _short(label: str, limit: int = 34) -> str:
    """The label as drawn on one line: tabs and line breaks as spaces, other control characters
    (no glyph in any font) as U+FFFD, as the workbook shows them; cut at ``limit`` characters."""
    label = _CONTROL.sub("\ufffd", _BREAKS.sub(" ", label))
    return label if len(label) <= limit else label[: limit - 1] + "…"


def report_charts(model: dict) -> dict[str, str]:
    """Every chart of the report, by name, from the report model (tCO₂e)."""
    t = model["totals"]
    scope = barh(
        "Emissions by scope (tCO₂e)",
        ["Scope 1", "Scope 2 (location-based)", "Scope 2 (market-based)", "Scope 3"],
        [
            t["scope1_kgco2e"] / 1000,
            t["scope2_location_kgco2e"] / 1000,
            t["scope2_market_kgco2e"] / 1000,
            t["scope3_kgco2e"] / 1000,
        ],
        "tCO₂e",
        [COLOURS[k] for k in ("scope1", "scope2_location", "scope2_market", "scope3")],
    )
    cats = [r for r in model["scope3_categories"] if r["included"] and not r.get("sub")]
    category = barh(
        "Scope 3 by category (tCO₂e)",
        [f"{r['number']} {r['name']}" for r in cats],
        [r["kgco2e"] / 1000 for r in cats],
        "tCO₂e",
        [COLOURS["scope3"]] * len(cats),
    )
    activity = barh(
        "By activity, location-based (tCO₂e)",
        [label(r["activity"]).capitalize() for r in model["by_activity"]],
        [r["kgco2e"] / 1000 for r in model["by_activity"]],
        "tCO₂e",
        [COLOURS["scope1"]] * len(model["by_activity"]),
    )
    top = barh(
        "Top sources, location-based (tCO₂e; colour: scope)",
        [f"{r['label']} · {label(r['sheet'])} row {r['row']}" for r in model["top_sources"]],
        [r["kgco2e"] / 1000 for r in model["top_sources"]],
        "tCO₂e",
        [SCOPE_COLOUR[r["scope_number"]] for r in model["top_sources"]],
    )
    share = model["compute_share"]
    compute = stacked_share(
        "Compute share of the location-based total",
        [
            ("cloud computing", share["cloud_kgco2e"], COLOURS["cloud"]),
            ("data-centre hardware", share["datacentre_hardware_kgco2e"], COLOURS["hardware"]),
            ("data-centre energy", share["datacentre_energy_kgco2e"], COLOURS["energy"]),
            ("everything else", share["other_kgco2e"], COLOURS["other"]),
        ],
    )
    return {
        "scope": scope,
        "category": category,
        "activity": activity,
        "top": top,
        "compute": compute,
    }
