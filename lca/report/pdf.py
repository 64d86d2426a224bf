"""The PDF report: jinja2 templates (autoescape on) rendered by WeasyPrint.

Thin on purpose: what the report says comes from ``lca.report.model``; this module formats
numbers (the only place where figures are rounded), embeds the charts and prints. The URL
fetcher serves files inside the packaged templates folder and ``data:`` URIs only; anything
else (http, ftp, file:// elsewhere) is refused and recorded in ``refused``.
"""

from __future__ import annotations

import base64
import math
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from lca.paths import data_dir
from lca.report.charts import report_charts
from lca.report.model import label
from lca.report.pdf_print import print_pdf


def tonnes(kg) -> str:
    """kgCO2e → tCO2e with three decimals and thin thousands separators ('–' for None)."""
    return "–" if kg is None else f"{kg / 1000:,.3f}".replace(",", "\u202f")


def signed_tonnes(kg) -> str:
    """A change in kgCO2e → tCO2e with its sign, as ``tonnes`` writes levels."""
    return "–" if kg is None else f"{kg / 1000:+,.3f}".replace(",", "\u202f").replace("-", "−")


def number(value, digits: int = 2) -> str:
    """A plain number with ``digits`` decimals and thin thousands separators; a figure scaled
    for display beyond any number (an intensity per a net revenue close to 0, × 1,000) is
    not computable."""
    if value is None:
        return "–"
    if not math.isfinite(value):
        return "not computable"
    return f"{value:,.{digits}f}".replace(",", "\u202f")


def figure(value, digits: int = 2) -> str:
    """A figure with ``digits`` decimals, or three significant digits when it is below one and
    would otherwise print as few digits (a small AI figure stays readable)."""
    if value is not None and 0 < abs(value) < 1 and digits < 3 - math.floor(math.log10(abs(value))):
        return number(value, 2 - math.floor(math.log10(abs(value))))
    return number(value, digits)


def significant(value, digits: int = 4) -> str:
    """A factor value with ``digits`` significant figures."""
    return "–" if value is None else f"{value:.{digits}g}"


def percent(share) -> str:
    return "–" if share is None else f"{share:.1%}"


#: Unit spellings of the factor library (pint) → as people write them.
UNIT_SPELLINGS = (
    (re.compile(r"\*\*3"), "³"),
    (re.compile(r"\*\*2"), "²"),
    (re.compile(r"kgSbeq"), "kg Sb eq"),
    (re.compile(r"CO2"), "CO₂"),
    (re.compile(r"\bdimensionless\b"), "ratio"),
    (re.compile(r"_h\b"), "·h"),
    (re.compile(r"\bvcpu\b"), "vCPU"),
)


def unit(text) -> str:
    """A unit as people write it: m³, kg Sb eq, kgCO₂e/kWh, GB·h."""
    text = "" if text is None else str(text)
    for pattern, spelled in UNIT_SPELLINGS:
        text = pattern.sub(spelled, text)
    return text


def chem(text) -> str:
    """Engine prose with CO₂, CH₄ and N₂O as people write them (kgCO2e → kgCO₂e, tCO2eq →
    tCO₂eq)."""
    text = re.sub(r"CO2(?=e|eq|\b)", "CO₂", "" if text is None else str(text))
    return re.sub(r"\bN2O\b", "N₂O", re.sub(r"\bCH4\b", "CH₄", text))


def breakable(text) -> str:
    """Long ids break at their separators (``:``, ``;``, ``/``, ``_``, ``.``), never mid-word:
    a zero-width space after each."""
    return re.sub(r"([:;/_.,])", "\\1\u200b", "" if text is None else str(text))


def clip(text, limit: int = 110) -> str:
    """The start of a long note, cut at a word boundary, with an ellipsis."""
    text = " ".join(("" if text is None else str(text)).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def environment(root: Path) -> Environment:
    """The jinja2 environment of the report templates."""
    env = Environment(
        loader=FileSystemLoader(str(root)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        tonnes=tonnes,
        signed_tonnes=signed_tonnes,
        number=number,
        figure=figure,
        significant=significant,
        percent=percent,
        label=label,
        unit=unit,
        breakable=breakable,
        clip=clip,
        chem=chem,
    )
    return env


def svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_html(model: dict, root: Path | None = None) -> str:
    """The report as HTML (what WeasyPrint prints)."""
    root = root or data_dir("templates")
    charts = {name: svg_uri(svg) for name, svg in report_charts(model).items()}
    return environment(root).get_template("report.html").render(m=model, charts=charts)


def pdf_bytes(model: dict, root: Path | None = None) -> tuple[bytes, list[str]]:
    """The PDF bytes and the URLs the fetcher refused."""
    root = root or data_dir("templates")
    return print_pdf(
        render_html(model, root),
        root,
        model["meta"]["issue_date"],
        model["meta"]["results_sha256"][:32].encode(),
    )


def write_pdf(model: dict, out_dir: Path) -> Path:
    """Write ``<organization>-<year>.pdf`` into ``out_dir`` and return its path."""
    meta = model["meta"]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{meta['slug']}-{meta['year']}.pdf"
    data, _refused = pdf_bytes(model)
    path.write_bytes(data)
    return path
