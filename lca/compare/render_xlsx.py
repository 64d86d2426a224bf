"""``compare.xlsx``: the comparison as a workbook with live formulas.

Sheets: ``Summary`` (settings; per option the totals = SUM of its years in ``By year`` and per
functional unit = total / (functional units per year × horizon years)); ``By year`` (per option,
indicator and year: the SUMPRODUCT of the matching ``Lines`` — exact matches, so
an option name is never read as a criterion); ``Cumulative`` (running sums of ``By year``, the
break-even chart's data); ``Lines`` (every counted ledger line of every option and year, each
indicator = activity_amount × factor × allocation_share as a formula); ``Sensitivity`` (the
recomputed totals: values, each case being a separate run of the engine); ``Uncertainty`` (the
Monte Carlo's settings, each option's total and each year's with mean, median and 95 %
interval, and the ranking pairs with the share of draws in which the better-ranked option's
total is lower: values, the draws being the engine's, not the workbook's).

Every text from the input (option names, descriptions, labels) is written as a string cell,
never a formula. Deterministic: fixed document dates and zip entry times.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from lca.compare.model import CompareResult
from lca.compare.summary import INDICATORS
from lca.report.xlsx_cells import deterministic_zip

FIXED_TIME = dt.datetime(2000, 1, 1)
LINE_COLUMNS = (
    "option",
    "year",
    "stage",
    "activity",
    "label",
    "scope",
    "category",
    "activity_amount",
    "activity_unit",
    "allocation_share",
    "ef_gwp",
    "ef_water",
    "ef_adpe",
    "ef_energy",
    "factor_gwp",
    "formula",
)
#: Indicator → the factor column it multiplies (lca.ledger.INDICATORS).
FACTOR_OF = {
    "kgco2e": "ef_gwp",
    "water_m3": "ef_water",
    "adpe_kgsbeq": "ef_adpe",
    "energy_kwh": "ef_energy",
}
BOLD = Font(bold=True)


def put(ws, row: int, column: int, value) -> None:
    """Write a value; text is always a string cell, never a formula."""
    cell = ws.cell(row=row, column=column)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return
    if hasattr(value, "item"):
        value = value.item()
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def formula(ws, row: int, column: int, text: str) -> None:
    """Write a formula built by this module (never from input text)."""
    ws.cell(row=row, column=column).value = text


def header(ws, labels: list[str], row: int = 1) -> None:
    for column, label in enumerate(labels, start=1):
        put(ws, row, column, label)
        ws.cell(row=row, column=column).font = BOLD


def lines_sheet(wb: Workbook, result: CompareResult) -> dict[str, str]:
    """The counted lines; returns indicator → its column letter."""
    ws = wb.create_sheet("Lines")
    labels = [*LINE_COLUMNS, *INDICATORS]
    header(ws, labels)
    letters = {name: get_column_letter(i) for i, name in enumerate(labels, start=1)}
    counted = result.ledger[result.ledger["counted"]]
    for r, record in enumerate(counted[list(LINE_COLUMNS)].itertuples(index=False), start=2):
        for c, value in enumerate(record, start=1):
            put(ws, r, c, value if not hasattr(value, "isoformat") else str(value))
        for c, indicator in enumerate(INDICATORS, start=len(LINE_COLUMNS) + 1):
            factor = getattr(record, FACTOR_OF[indicator])
            if factor == factor:  # not NaN: the line has this indicator
                formula(
                    ws,
                    r,
                    c,
                    f"={letters['activity_amount']}{r}"
                    f"*{letters[FACTOR_OF[indicator]]}{r}"
                    f"*{letters['allocation_share']}{r}",
                )
    ws.freeze_panes = "A2"
    return letters


def by_year_sheet(
    wb: Workbook, result: CompareResult, letters: dict[str, str]
) -> dict[tuple[str, str], int]:
    """Per option and indicator, one row of SUMPRODUCTs per year and their SUM; returns the rows."""
    ws = wb.create_sheet("By year")
    years = result.settings.horizon_years
    header(ws, ["option", "indicator", *[f"year {k}" for k in range(1, years + 1)], "total"])
    rows, r = {}, 2
    last = int(result.ledger["counted"].sum()) + 1
    option_col, year_col = (
        f"Lines!${letters['option']}$2:${letters['option']}${last}",
        f"Lines!${letters['year']}$2:${letters['year']}${last}",
    )
    for option in result.options:
        for indicator in INDICATORS:
            put(ws, r, 1, option["option"])
            put(ws, r, 2, indicator)
            values = f"Lines!${letters[indicator]}$2:${letters[indicator]}${last}"
            for k in range(1, years + 1):
                formula(
                    ws, r, 2 + k, f"=SUMPRODUCT(({option_col}=$A{r})*({year_col}={k})*{values})"
                )
            formula(ws, r, 3 + years, f"=SUM(C{r}:{get_column_letter(2 + years)}{r})")
            rows[(option["option"], indicator)] = r
            r += 1
    return rows


def summary_sheet(wb: Workbook, result: CompareResult, rows: dict) -> None:
    """Settings, then totals and per functional unit as formulas over ``By year``."""
    ws = wb.active
    ws.title = "Summary"
    settings = result.settings
    total_col = get_column_letter(3 + settings.horizon_years)
    pairs = [
        ("horizon_years", settings.horizon_years),
        ("start_date", settings.start_date),
        ("functional_unit", settings.functional_unit),
        ("functional_unit_per_year", settings.functional_unit_per_year),
        ("capital_goods", settings.capital_goods),
        ("notice", "Decision aid: not an ISO 14044 critically reviewed comparative assertion."),
    ]
    for r, (key, value) in enumerate(pairs, start=1):
        put(ws, r, 1, key)
        put(ws, r, 2, value)
    start = len(pairs) + 2
    header(
        ws,
        [
            "option",
            *[f"total {i}" for i in INDICATORS],
            *[f"per functional unit {i}" for i in INDICATORS],
            "rank (kgco2e)",
        ],
        row=start,
    )
    for r, option in enumerate(result.options, start=start + 1):
        put(ws, r, 1, option["option"])
        for c, indicator in enumerate(INDICATORS, start=2):
            formula(ws, r, c, f"='By year'!{total_col}{rows[(option['option'], indicator)]}")
            letter = get_column_letter(c)
            formula(ws, r, c + len(INDICATORS), f"={letter}{r}/($B$4*$B$1)")
        put(ws, r, 2 + 2 * len(INDICATORS), result.ranking.index(option["option"]) + 1)
    ws.column_dimensions["A"].width = 26


def cumulative_sheet(wb: Workbook, result: CompareResult, rows: dict) -> None:
    """Cumulative kgCO2e per option and year (running SUM over ``By year``), and break-even."""
    ws = wb.create_sheet("Cumulative")
    years = result.settings.horizon_years
    header(ws, ["option", *[f"year {k}" for k in range(1, years + 1)]])
    for r, option in enumerate(result.options, start=2):
        put(ws, r, 1, option["option"])
        source = rows[(option["option"], "kgco2e")]
        for k in range(1, years + 1):
            formula(
                ws, r, 1 + k, f"=SUM('By year'!$C${source}:{get_column_letter(2 + k)}${source})"
            )
    top = len(result.options) + 3
    header(ws, ["a", "b", "break-even year", "below at the end"], row=top)
    for r, pair in enumerate(result.break_even, start=top + 1):
        for c, key in enumerate(("a", "b", "year", "lower"), start=1):
            put(ws, r, c, pair[key])


def sensitivity_sheet(wb: Workbook, result: CompareResult) -> None:
    ws = wb.create_sheet("Sensitivity")
    names = [o["option"] for o in result.options]
    header(ws, ["case", *names, "ranking", "ranking changed"])
    for r, case in enumerate(result.sensitivity, start=2):
        put(ws, r, 1, case["label"])
        for c, name in enumerate(names, start=2):
            put(ws, r, c, case["totals_kgco2e"][name])
        put(ws, r, 2 + len(names), " < ".join(case["ranking_kgco2e"]))
        put(ws, r, 3 + len(names), "yes" if case["ranking_changed"] else "no")


STATS = ("point", "mean", "p2_5", "p50", "p97_5", "relative_half_width")


def uncertainty_sheet(wb: Workbook, result: CompareResult) -> None:
    """The Monte Carlo's settings, the options' intervals (total and per year) and the
    ranking's probabilities, as values."""
    ws = wb.create_sheet("Uncertainty")
    block = result.uncertainty
    if block is None:
        put(ws, 1, 1, "uncertainty not computed")
        return
    pairs = [
        (key, block[key])
        for key in ("method", "generator", "iterations", "seed", "confidence", "indicator")
    ]
    pairs += [
        ("correlation", block["correlation"]),
        ("ranking_probability", block["ranking_probability"]),
        ("ranking_kgco2e", " < ".join(result.ranking)),
    ]
    for r, (key, value) in enumerate(pairs, start=1):
        put(ws, r, 1, key)
        put(ws, r, 2, value)
    r = len(pairs) + 2
    header(ws, ["option", "figure", "assessed", *STATS], row=r)
    for option in result.options:
        found = option["uncertainty"]
        figures = [("total kgco2e", found["totals"]["kgco2e"])] + [
            (f"year {k} kgco2e", figure)
            for k, figure in enumerate(found["by_year_kgco2e"], start=1)
        ]
        for label, figure in figures:
            r += 1
            put(ws, r, 1, option["option"])
            put(ws, r, 2, label)
            put(ws, r, 3, "yes" if found["assessed"] else "no")
            for c, key in enumerate(STATS, start=4):
                put(ws, r, c, figure[key])
    r += 2
    header(ws, ["a (ranked better)", "b", "adjacent", "probability a below b", "ties"], row=r)
    for pair in block["pairs"]:
        r += 1
        put(ws, r, 1, pair["a"])
        put(ws, r, 2, pair["b"])
        put(ws, r, 3, "yes" if pair["adjacent"] else "no")
        put(ws, r, 4, pair["probability"])
        put(ws, r, 5, pair["ties"])
    ws.column_dimensions["A"].width = 26


def write_compare_xlsx(result: CompareResult, out_dir: Path) -> Path:
    """Write ``compare.xlsx`` into ``out_dir`` and return its path."""
    wb = Workbook()
    letters = lines_sheet(wb, result)
    rows = by_year_sheet(wb, result, letters)
    summary_sheet(wb, result, rows)
    cumulative_sheet(wb, result, rows)
    sensitivity_sheet(wb, result)
    uncertainty_sheet(wb, result)
    wb.move_sheet("Lines", offset=len(wb.sheetnames))
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "lca"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "compare.xlsx"
    path.write_bytes(deterministic_zip(buffer.getvalue()))
    return path
