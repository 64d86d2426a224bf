"""Charts of the annual report as deterministic SVG (matplotlib, vector, no pyplot state).

Each function takes plain data from the report model and returns SVG text. Ids are salted
with a fixed string and the SVG carries no date, so two runs give the same bytes. Labels are
the model's strings, which the claims guard has already checked.
"""

from __future__ import annotations

import io
import math
import re
from typing import TYPE_CHECKING, Any

import matplotlib
import matplotlib.ticker
from matplotlib.figure import Figure

from lca.report.labels import label
from lca.report.numbers import BEFORE_PERCENT, number, percent, signed

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
#: The longest label of a bar chart, and of the top-sources chart (drawn at the text width:
#: its labels end with the input row they come from), in characters; a longer one is cut with
#: an ellipsis.
BAR_LABEL = 34
TOP_LABEL = 72
_BREAKS = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return buffer.getvalue()


def barh(
    title: str,
    labels: list[str],
    values: list[float],
    unit: str,
    colours: list[str],
    limit: int = BAR_LABEL,
    width: float = WIDTH_IN,
) -> str:
    """A horizontal bar chart ``width`` inches wide, first label on top (each cut at ``limit``
    characters), each bar annotated with its value."""
    with matplotlib.rc_context(RC):
        height = 0.6 + 0.17 * max(len(labels), 1)
        fig = Figure(figsize=(width, height))
        ax = fig.add_subplot()
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, values, color=colours, height=0.65)
        ax.set_yticks(positions, labels=[_short(label, limit) for label in labels])
        ax.set_xlabel(unit)
        ax.set_title(title, loc="left")
        top = max(values, default=0) or 1.0
        for y, value in zip(positions, values, strict=True):
            ax.text(value + top * 0.01, y, number(value, 1), va="center", fontsize=6)
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
                [0],
                [share],
                left=left,
                color=colour,
                label=f"{label} ({percent(share)})",
                height=0.5,
            )
            left += share
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([])
        ax.xaxis.set_major_formatter(
            matplotlib.ticker.PercentFormatter(1.0, symbol=f"{BEFORE_PERCENT}%")
        )
        ax.set_title(title, loc="left")
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=2, frameon=False, fontsize=6
        )
        return _svg(fig)


def waterfall(title: str, steps: list[tuple[str, float, str]], unit: str) -> str:
    """A horizontal waterfall, first bar on top: ``steps`` are (label, value, colour); the
    first and the last are levels drawn from zero (N-1 and N), the others changes drawn from
    the running level, each annotated with its signed value."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH_IN * 2, 0.6 + 0.2 * max(len(steps), 1)))
        ax = fig.add_subplot()
        positions = list(range(len(steps)))[::-1]
        level, lefts, widths = 0.0, [], []
        for n, (_label, value, _colour) in enumerate(steps):
            ends = n in (0, len(steps) - 1)
            left = 0.0 if ends else min(level, level + value)
            lefts.append(left)
            widths.append(abs(value))
            level = value if ends else level + value
        colours = [colour for _l, _v, colour in steps]
        ax.barh(positions, widths, left=lefts, color=colours, height=0.65)
        top = max((lf + w for lf, w in zip(lefts, widths, strict=True)), default=0) or 1.0
        for n, (y, (_label, value, _c)) in enumerate(zip(positions, steps, strict=True)):
            text = number(value, 1) if n in (0, len(steps) - 1) else signed(value)
            ax.text(lefts[n] + widths[n] + top * 0.01, y, text, va="center", fontsize=6)
        ax.set_yticks(positions, labels=[_short(label, 44) for label, _v, _c in steps])
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel(unit)
        ax.set_title(title, loc="left")
        return _svg(fig)


def trend(
    title: str,
    years: list[int],
    series: list[tuple[str, list[float], str]],
    paths: list[tuple[str, list[int], list[float], list[float]]],
    unit: str,
) -> str:
    """Lines over the years (label, values, colour), and for each target (label, path years,
    path values, its scope's value in every year) its scope's line in grey and its path
    dashed from the base year to the target year."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH_IN * 2, 2.2))
        ax = fig.add_subplot()
        for label, values, colour in series:
            ax.plot(years, values, marker="o", markersize=3, color=colour, label=label)
        for label, path_years, values, actual in paths:
            ax.plot(years, actual, marker="s", markersize=3, color="#555555", label=label)
            ax.plot(
                path_years,
                values,
                linestyle="--",
                color="#555555",
                linewidth=0.9,
                label=f"{label}: path",
            )
        every = sorted({*years, *(y for _l, ys, _v, _a in paths for y in ys)})
        ax.set_xticks(every, labels=[str(y) for y in every])
        ax.set_ylim(bottom=0)
        ax.set_ylabel(unit)
        ax.set_title(title, loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=6)
        return _svg(fig)


def year_two_charts(model: dict) -> dict[str, str]:
    """The bridge waterfall (location-based total, N-1 to N, each non-zero effect per scope; the
    table gives every figure) and the
    trend of the scopes over every year given with the absolute targets' paths; none without
    a prior."""
    if not model["bridge"]:
        return {}
    prior_year, year = model["bridge_years"]
    rows = {r["key"]: r for r in model["bridge"]}
    steps = [(f"{prior_year} (N-1)", rows["total_location"]["prior_kgco2e"] / 1000, "#8C979E")]
    for effect, name in (
        ("activity_kgco2e", "Activity"),
        ("factor_kgco2e", "Emission factors"),
        ("method_kgco2e", "Method or boundary"),
    ):
        for key, scope in (("scope1", 1), ("scope2_location", 2), ("scope3", 3)):
            if rows[key][effect]:  # an effect of exactly 0 is left out of the chart
                steps.append(
                    (f"{name} · scope {scope}", rows[key][effect] / 1000, SCOPE_COLOUR[scope])
                )
    steps.append((f"{year} (N)", rows["total_location"]["current_kgco2e"] / 1000, "#8C979E"))
    t = model["trend"]
    names = {
        "scope1": "Scope 1",
        "scope2_location": "Scope 2 (location-based)",
        "scope2_market": "Scope 2 (market-based)",
        "scope3": "Scope 3",
    }
    return {
        "bridge": waterfall(
            f"Bridge {prior_year} → {year}, location-based total (tCO₂e)", steps, "tCO₂e"
        ),
        "trend": trend(
            "Scopes 1, 2 and 3 by year, with the absolute targets' paths (tCO₂e)",
            t["years"],
            [
                (names[k], [v / 1000 for v in values], COLOURS[k])
                for k, values in t["series"].items()
            ],
            [
                (
                    f"target {p['target_id']} (scope {p['scope']}"
                    + (f", {p['scope2_method']}" if p["scope2_method"] else "")
                    + ")",
                    p["years"],
                    [v / 1000 for v in p["kgco2e"]],
                    [v / 1000 for v in p["actual_kgco2e"]],
                )
                for p in t["paths"]
            ],
            "tCO₂e",
        ),
    }


#: The error-bar chart's whisker of a figure flagged as highly uncertain (BP-2 §11), and the
#: tornado's bars of a factor and of an input row.
HIGH_COLOUR = "#C0392B"
INPUT_COLOUR = {"factor": "#5B6770", "row": "#B8C0C6"}
#: The mark after the label of a flagged figure (the caption says what it means).
HIGH_MARK = " ▲"
#: The uncertainty charts' figure width: their labels and value column are outside the axes,
#: so a narrower figure prints at about the scale of the others at half the text width.
NARROW_IN = 2.1


def _compact(value: float) -> str:
    """A chart annotation: one decimal, or three significant digits below one (a small
    category stays readable)."""
    if 0 < abs(value) < 1:
        return number(value, 2 - math.floor(math.log10(abs(value))))  # three significant
    return number(value, 1)


def interval_rows(uncertainty: dict) -> list[dict]:
    """The error-bar chart's rows from the report model's ``uncertainty`` (results.json
    ``uncertainty.figures`` in tCO₂e): scope 1, scope 2 location- and market-based, scope 3
    and each scope 3 category present by number, in report order; each with its value, its
    95 % interval and whether it is flagged (BP-2 §11). No figure is computed here."""
    by_key = {r["key"]: r for r in uncertainty["rows"]}
    scopes = [
        ("scope1_kgco2e", "Scope 1", COLOURS["scope1"]),
        ("scope2_location_kgco2e", "Scope 2 (location-based)", COLOURS["scope2_location"]),
        ("scope2_market_kgco2e", "Scope 2 (market-based)", COLOURS["scope2_market"]),
        ("scope3_kgco2e", "Scope 3", COLOURS["scope3"]),
    ]
    categories = sorted(
        (k for k in by_key if k.startswith("scope3_category_")),
        key=lambda k: int(k.rsplit("_", 1)[1]),
    )
    rows = []
    for key, name, colour in scopes + [(k, None, COLOURS["scope3"]) for k in categories]:
        if key not in by_key:
            continue
        r = by_key[key]
        if name is None:  # "Scope 3 category 1, Purchased goods and services" → "Cat. 1 …"
            name = "Cat. " + r["label"].removeprefix("Scope 3 category ").replace(", ", " ", 1)
        rows.append(
            {
                "key": key,
                "label": name,
                "point": r["point"],
                "p2_5": r["p2_5"],
                "p97_5": r["p97_5"],
                "high": bool(r["high"]),
                "colour": colour,
            }
        )
    return rows


def interval_label(row: dict) -> str:
    """The error-bar chart's label of a row: its name (cut), marked when flagged."""
    return _short(row["label"], 36) + (HIGH_MARK if row["high"] else "")


def tornado_label(row: dict) -> str:
    """The tornado's label of a row: its number and id, cut (the table gives it whole)."""
    return _short(row["label"], 30)


def error_bars(title: str, rows: list[dict], unit: str) -> str:
    """Horizontal bars of the figures' values with their 95 % interval as whiskers (drawn from
    the 2.5 % to the 97.5 % percentile, as given), first row on top; a flagged row's whisker
    in red and its label marked; the value and interval written in a column on the right."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(NARROW_IN, 0.6 + 0.19 * max(len(rows), 1)))
        ax = fig.add_subplot()
        positions = list(range(len(rows)))[::-1]
        ax.barh(
            positions,
            [r["point"] for r in rows],
            color=[r["colour"] for r in rows],
            height=0.55,
        )
        for y, r in zip(positions, rows, strict=True):
            whisker = HIGH_COLOUR if r["high"] else "#222222"
            ax.hlines(y, r["p2_5"], r["p97_5"], color=whisker, linewidth=0.9)
            ax.vlines([r["p2_5"], r["p97_5"]], y - 0.2, y + 0.2, color=whisker, linewidth=0.9)
            ax.text(
                1.02,
                y,
                f"{_compact(r['point'])} ({_compact(r['p2_5'])}–{_compact(r['p97_5'])})",
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=5.5,
                color=HIGH_COLOUR if r["high"] else "#222222",
            )
        ax.set_yticks(positions, labels=[interval_label(r) for r in rows])
        for tick, r in zip(ax.get_yticklabels(), rows, strict=True):
            if r["high"]:
                tick.set_color(HIGH_COLOUR)
        top = max((max(r["point"], r["p97_5"]) for r in rows), default=0) or 1.0
        ax.set_xlim(0, top * 1.04)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlabel(unit)
        ax.set_title(title, loc="left")
        return _svg(fig)


def tornado_rows(uncertainty: dict, limit: int = 10) -> list[dict]:
    """The tornado's rows from the report model's ``uncertainty`` (results.json
    ``uncertainty.contributors`` of the location-based total): the ``limit`` largest shares
    of variance, largest first, each numbered as in the table beside it; an input row named
    ``row sheet:row``, a factor by its id (cut in the chart, whole in the table)."""
    ranked = sorted(uncertainty["contributors"], key=lambda c: -c["share_of_variance"])[:limit]
    return [
        {
            "rank": n,
            "label": f"{n} " + (f"row {c['id']}" if c["input"] == "row" else str(c["id"])),
            "share": c["share_of_variance"],
            "colour": INPUT_COLOUR.get(c["input"], INPUT_COLOUR["factor"]),
        }
        for n, c in enumerate(ranked, start=1)
    ]


def tornado(title: str, rows: list[dict]) -> str:
    """Shares of variance as horizontal bars, largest on top, each with its percentage."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(NARROW_IN, 0.6 + 0.19 * max(len(rows), 1)))
        ax = fig.add_subplot()
        positions = list(range(len(rows)))[::-1]
        ax.barh(
            positions, [r["share"] for r in rows], color=[r["colour"] for r in rows], height=0.6
        )
        top = max((r["share"] for r in rows), default=0) or 1.0
        for y, r in zip(positions, rows, strict=True):
            ax.text(r["share"] + top * 0.01, y, percent(r["share"]), va="center", fontsize=5.5)
        ax.set_yticks(positions, labels=[tornado_label(r) for r in rows])
        ax.set_xlim(0, top * 1.2)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.xaxis.set_major_formatter(
            matplotlib.ticker.PercentFormatter(1.0, decimals=0, symbol=f"{BEFORE_PERCENT}%")
        )
        ax.set_xlabel("share of the variance")
        ax.set_title(title, loc="left")
        return _svg(fig)


def uncertainty_charts(model: dict) -> dict[str, str]:
    """The 95 % intervals per scope and scope 3 category, and the tornado of the ten largest
    contributors to the variance of the location-based total; none without a Monte Carlo
    figure (and no tornado when every input is exact)."""
    u = model["uncertainty"]
    charts = {}
    if rows := interval_rows(u):
        charts["intervals"] = error_bars("Value and 95 % interval (tCO₂e)", rows, "tCO₂e")
    if contributors := tornado_rows(u):
        charts["tornado"] = tornado("Top 10 sources of variance, location-based", contributors)
    return charts


def _short(label: str, limit: int = 34) -> str:
    """The label as drawn on one line: tabs and line breaks as spaces, other control characters
    (no glyph in any font) as U+FFFD, as the workbook shows them; cut at ``limit`` characters."""
    label = _CONTROL.sub("\ufffd", _BREAKS.sub(" ", label))
    return label if len(label) <= limit else label[: limit - 1] + "…"


def top_source_labels(top: list[dict], limit: int = TOP_LABEL) -> list[str]:
    """Each top source as its bar is named: what the line is (its ledger label with the keys
    named, ``tables.top_sources``), then the input row it comes from, with the line's part or
    stage when the chart holds another line of that row. Only the first part is cut (at
    ``limit`` characters in all), so no two bars carry the same name."""
    rows = [(r["sheet"], r["row"]) for r in top]
    names = []
    for r in top:
        where = f"{label(r['sheet'])} row {r['row']}"
        if rows.count((r["sheet"], r["row"])) > 1:
            where += f", {label(r['part'] or r['stage'])}"
        what = _short(r["label"], max(limit - len(where) - 3, 8))
        names.append(f"{what} ({where})")
    return names


def bar_charts(model: dict) -> dict[str, dict]:
    """The bar charts' data, by name: title, labels (as drawn), values (tCO₂e), colours, and
    the longest label and the width (inches) where they are not the usual."""
    t = model["totals"]
    cats = [r for r in model["scope3_categories"] if r["included"] and not r.get("sub")]
    top = model["top_sources"]
    charts: dict[str, dict] = {
        "scope": {
            "title": "Emissions by scope (tCO₂e)",
            "labels": ["Scope 1", "Scope 2 (location-based)", "Scope 2 (market-based)", "Scope 3"],
            "values": [
                t[k] / 1000
                for k in (
                    "scope1_kgco2e",
                    "scope2_location_kgco2e",
                    "scope2_market_kgco2e",
                    "scope3_kgco2e",
                )
            ],
            "colours": [
                COLOURS[k] for k in ("scope1", "scope2_location", "scope2_market", "scope3")
            ],
        },
        "category": {
            "title": "Scope 3 by category (tCO₂e)",
            "labels": [f"{r['number']} {r['name']}" for r in cats],
            "values": [r["kgco2e"] / 1000 for r in cats],
            "colours": [COLOURS["scope3"]] * len(cats),
        },
        "activity": {
            "title": "By activity, location-based (tCO₂e)",
            "labels": [label(r["activity"]).capitalize() for r in model["by_activity"]],
            "values": [r["kgco2e"] / 1000 for r in model["by_activity"]],
            "colours": [COLOURS["scope1"]] * len(model["by_activity"]),
        },
        "top": {
            "title": "Top sources, location-based (tCO₂e; colour: scope)",
            "labels": top_source_labels(top),
            "values": [r["kgco2e"] / 1000 for r in top],
            "colours": [SCOPE_COLOUR[r["scope_number"]] for r in top],
            "limit": TOP_LABEL,
            "width": WIDTH_IN * 2,
        },
    }
    for chart in charts.values():
        chart["labels"] = [_short(text, chart.get("limit", BAR_LABEL)) for text in chart["labels"]]
    return charts


def chart_labels(model: dict) -> dict[str, list[str]]:
    """The labels of the bars of every chart that names its bars, as drawn: what a reader
    sees beside each bar (the charts are paths in the PDF: no text extraction finds them)."""
    u = model["uncertainty"]
    return {
        **{name: chart["labels"] for name, chart in bar_charts(model).items()},
        "intervals": [interval_label(r) for r in interval_rows(u)],
        "tornado": [tornado_label(r) for r in tornado_rows(u)],
    }


def report_charts(model: dict) -> dict[str, str]:
    """Every chart of the report, by name, from the report model (tCO₂e)."""
    bars = {
        name: barh(
            chart["title"],
            chart["labels"],
            chart["values"],
            "tCO₂e",
            chart["colours"],
            chart.get("limit", BAR_LABEL),
            chart.get("width", WIDTH_IN),
        )
        for name, chart in bar_charts(model).items()
    }
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
        **bars,
        "compute": compute,
        **year_two_charts(model),
        **uncertainty_charts(model),
    }
