"""``compare.pdf``: the comparison as a short printed report (jinja2 + WeasyPrint).

Pages: the notice that this is not a critically reviewed comparative assertion, the
cumulative-impact chart, tables per indicator and per functional unit, per year and per stage,
the break-even years, the sensitivity table, the assumptions and the factors used.
Deterministic: the chart is an SVG with a fixed hash salt and no date; the PDF has fixed
metadata and identifier. Nothing is fetched outside the templates folder (``data:`` URLs, the
inlined chart, are allowed); autoescape is on.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
from pathlib import Path

import jinja2

from lca.compare.model import CompareResult
from lca.compare.summary import INDICATORS, cumulative
from lca.compare.uncertainty import percent
from lca.ledger import factor_ids
from lca.paths import data_dir
from lca.report import numbers
from lca.report.pdf import breakable, prose, unit
from lca.report.pdf_print import print_pdf
from lca.report.tables import publishers

#: The date of the embedded font subsets (fixed: comparisons have no reporting period).
FONT_DATE = "2000-01-01"

INDICATOR_LABELS = {
    "kgco2e": "Climate change (kgCO₂e)",
    "water_m3": "Water (m³)",
    "adpe_kgsbeq": "ADPe (kg Sb eq)",
    "energy_kwh": "Energy (kWh)",
}
STAGE_LABELS = {
    "manufacturing": "Manufacturing",
    "use": "Use",
    "end_of_life": "End of life",
    "operation": "Services and other",
}
PALETTE = ("#1b6e8f", "#d9822b", "#5b8c3a", "#8e4585", "#b23a48", "#6b6b6b")
NOTICE = (
    "This comparison is a decision aid for purchasing. It is not a comparative assertion "
    "in the sense of ISO 14044: it has not been critically reviewed by a panel and must "
    "not be disclosed to the public as a claim that one option is environmentally "
    "superior."
)


def number(value: float, digits: int = 3) -> str:
    """A number with about ``digits`` significant digits, in the reports' house style
    (``lca.report.numbers``: grouped thousands, minus sign)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value == 0:
        return "0"
    if float(value).is_integer():
        return numbers.number(value, 0)
    magnitude = math.floor(math.log10(abs(value)))
    return numbers.number(value, max(0, digits - 1 - magnitude))


def chart_svg(result: CompareResult) -> str:
    """Cumulative kgCO2e per option, year by year, as an SVG document (deterministic)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    settings = result.settings
    starts = [settings.year_start(k) for k in range(settings.horizon_years + 1)]
    january = settings.start_date.month == 1 and settings.start_date.day == 1
    ticks = [str(d.year) if january else d.isoformat()[:7] for d in starts]
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "lca-compare",
            "font.size": 9,
            "font.family": "DejaVu Sans",
            "svg.fonttype": "path",
        }
    ):
        figure, axes = plt.subplots(figsize=(7.0, 3.4))
        for position, option in enumerate(result.options):
            values = [0.0, *cumulative(option["by_year_kgco2e"])]
            axes.plot(
                range(len(values)),
                [v / 1000 for v in values],
                marker="o",
                color=PALETTE[position % len(PALETTE)],
                label=option["option"],
            )
        axes.set_xticks(range(len(ticks)), ticks)
        axes.set_xlabel("Start of each year of the horizon")
        axes.set_ylabel("Cumulative tCO₂e")
        axes.grid(axis="y", color="#dddddd")
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(frameon=False)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(figure)
    return buffer.getvalue()


def factors_used(result: CompareResult) -> list[dict]:
    """The library factors behind the counted lines, sorted by id, each with its publishers
    (as the annual report names them, never the library's source ids)."""
    counted = result.ledger[result.ledger["counted"]]
    ids = sorted({i for ids in factor_ids(counted) for i in ids})
    table = result.library.factors.set_index("factor_id")
    out = []
    for factor_id in ids:
        if factor_id in table.index:
            row = table.loc[factor_id]
            out.append(
                {
                    "id": factor_id,
                    "value": numbers.significant(float(row["value"])),
                    "unit": row["unit"],
                    "year": int(row["year"]),
                    "source": publishers(result.library, str(row["source"]))[0],
                }
            )
        else:
            table_name = factor_id.split(":")[0]
            mapping = table_name in result.library.tables
            out.append(
                {
                    "id": factor_id,
                    "value": "",
                    "unit": "",
                    "year": "",
                    "source": f"factor library table {table_name} (names the coefficients used)"
                    if mapping
                    else "given in the options workbook",
                }
            )
    return out


def assessed_stages(result: CompareResult) -> dict[str, list[str]]:
    """Per option, the stages with at least one counted line: any other stage is printed as
    "not assessed", never as 0."""
    ledger = result.ledger
    if not len(ledger):
        return {}
    counted = ledger[ledger["counted"]]
    return {
        str(option): sorted(set(part["stage"].astype(str)))
        for option, part in counted.groupby("option", observed=True)
    }


def uncertainty_rows(result: CompareResult) -> list[dict]:
    """One row per option in ranking order: total, its 95 % interval (None when no line of it
    has an uncertainty) and the probability that it beats the next option."""
    if result.uncertainty is None:
        return []
    by_name = {o["option"]: o for o in result.options}
    next_of = {p["a"]: p for p in result.uncertainty["pairs"] if p["adjacent"]}
    rows = []
    for name in result.ranking:
        interval = by_name[name]["uncertainty"]
        figure = interval["totals"]["kgco2e"]
        pair = next_of.get(name)
        rows.append(
            {
                "option": name,
                "total": figure["point"],
                "interval": (figure["p2_5"], figure["p97_5"]) if interval["assessed"] else None,
                "next": pair["b"] if pair else None,
                "beats_next": percent(pair["probability"]) if pair else "",
            }
        )
    return rows


def context(result: CompareResult) -> dict:
    """Everything the template shows, as plain values."""
    settings = result.settings
    chart = chart_svg(result)
    sensitivity = [
        dict(case, totals=[number(case["totals_kgco2e"][o["option"]]) for o in result.options])
        for case in result.sensitivity
    ]
    return {
        "settings": settings,
        "options": result.options,
        "ranking": result.ranking,
        "break_even": result.break_even,
        "sensitivity": sensitivity,
        "notice": NOTICE,
        "indicators": [(key, INDICATOR_LABELS[key]) for key in INDICATORS],
        "stages": STAGE_LABELS,
        "years": [settings.year_start(k).isoformat() for k in range(settings.horizon_years)],
        "chart": "data:image/svg+xml;base64," + base64.b64encode(chart.encode()).decode(),
        "flips": [case for case in sensitivity if case["ranking_changed"]],
        "uncertainty": result.uncertainty,
        "uncertainty_rows": uncertainty_rows(result),
        "ranking_holds": percent(result.uncertainty["ranking_probability"])
        if result.uncertainty
        else "",
        "assessed": assessed_stages(result),
        "factors": factors_used(result),
        "library": result.library,
        "inputs": result.workbook.inputs,
        "issues": result.issues,
        "n_errors": sum(i.severity.value == "error" for i in result.issues),
    }


def render_html(result: CompareResult) -> str:
    """The report as HTML (autoescaped)."""
    templates = data_dir("templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), autoescape=True, undefined=jinja2.StrictUndefined
    )
    env.filters.update(num=number, unit=unit, breakable=breakable, prose=prose)
    return env.get_template("compare.html").render(**context(result))


def write_compare_pdf(result: CompareResult, out_dir: Path) -> Path:
    """Write ``compare.pdf`` into ``out_dir`` and return its path."""
    html = render_html(result)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "compare.pdf"
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    data, _refused = print_pdf(html, data_dir("templates"), FONT_DATE, identifier)
    path.write_bytes(data)
    return path
