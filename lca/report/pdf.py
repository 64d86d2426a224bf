"""The PDF report: jinja2 templates (autoescape on) rendered by WeasyPrint.

Thin on purpose: what the report says comes from ``lca.report.model``; this module formats
numbers (the only place where figures are rounded, in the house style of
``lca.report.numbers``), embeds the charts and prints. The URL
fetcher serves files inside the packaged templates folder and ``data:`` URIs only; anything
else (http, ftp, file:// elsewhere) is refused and recorded in ``refused``.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from lca.paths import data_dir
from lca.report import numbers
from lca.report.charts import report_charts
from lca.report.labels import label
from lca.report.model import results_sha256, with_results_sha256
from lca.report.numbers import (
    figure,
    number,
    percent,
    points,
    signed_points,
    signed_tonnes,
    significant,
    tonnes,
)
from lca.report.pdf_print import print_pdf

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


def prose(text) -> str:
    """Engine prose (issue messages, build notes, labels) as people read it: CO₂ and the
    other gases subscript, figures in the house style (``lca.report.numbers``)."""
    return numbers.prose(chem(text))


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
        points=points,
        signed_points=signed_points,
        prose=prose,
        label=label,
        unit=unit,
        breakable=breakable,
        clip=clip,
        chem=chem,
    )
    return env


def svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def chart_uris(model: dict) -> dict[str, str]:
    """The report's charts as data URIs (they do not show results.json's SHA-256)."""
    return {name: svg_uri(svg) for name, svg in report_charts(model).items()}


def render_html(model: dict, root: Path | None = None, charts: dict | None = None) -> str:
    """The report as HTML (what WeasyPrint prints); ``charts`` as ``chart_uris`` gives them
    when already drawn."""
    root = root or data_dir("templates")
    charts = chart_uris(model) if charts is None else charts
    return environment(root).get_template("report.html").render(m=model, charts=charts)


def pdf_bytes(
    model: dict, root: Path | None = None, charts: dict | None = None
) -> tuple[bytes, list[str]]:
    """The PDF bytes and the URLs the fetcher refused."""
    root = root or data_dir("templates")
    identifier = results_sha256(model)[:32].encode()  # refused before anything is drawn
    return print_pdf(
        render_html(model, root, charts), root, model["meta"]["issue_date"], identifier
    )


def write_pdf(model: dict, out_dir: Path, charts: dict | None = None) -> Path:
    """Write ``<organization>-<year>.pdf`` into ``out_dir`` and return its path."""
    meta = model["meta"]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{meta['slug']}-{meta['year']}.pdf"
    data, _refused = pdf_bytes(model, charts=charts)
    path.write_bytes(data)
    return path


@dataclass(frozen=True)
class Drawn:
    """A report model, built before its results.json was hashed (``model.HASH_LATER``) or
    after, and its charts (``draw``)."""

    model: dict
    charts: dict[str, str]


def draw(model: dict) -> Drawn:
    """Draw the charts of ``model`` (which do not show its results.json's SHA-256)."""
    return Drawn(model, chart_uris(model))


def write_drawn(drawn: Drawn, results_sha256: str, out_dir: Path) -> Path:
    """``write_pdf`` of a drawn model, once its results.json's SHA-256 is known: the same
    bytes as ``write_pdf`` of the model built with it."""
    return write_pdf(with_results_sha256(drawn.model, results_sha256), out_dir, drawn.charts)
