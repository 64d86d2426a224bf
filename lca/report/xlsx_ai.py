"""The workpaper's AI sheet: the report's AI figures (``lca.report.ai``) re-performed as live
formulas.

Sums are SUMIFS over the Ledger (``Sums``, one per Ledger sheet); a genai_usage figure's low
and high bounds are SUMPRODUCTs of ``activity_amount_low``/``_high`` × ef × allocation_share
over the same lines. Requests are the ``quantity`` of the genai_usage use lines (activity unit
``ai.REQUEST_UNIT``); output tokens are summed on the In-genai_usage sheet, whose column
``ledger_label`` names the ledger label of each row's lines (blank: a row kept out of the
ledger). Each figure stands beside its results.json value and the difference.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.utils import get_column_letter

from lca.ledger import INDICATORS
from lca.report import ai
from lca.report.xlsx_cells import BOLD, TITLE_FONT, Formula, cell, sheet_ref
from lca.report.xlsx_ledger import NUMBER, PRECISE, Sums, Text, criterion
from lca.report.xlsx_sheets import READ_AS, SHARE

#: The In-genai_usage column that carries each row's ledger label.
LEDGER_LABEL = "ledger_label"


def genai_input(frame: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """The genai_usage input rows with the ledger label of their lines (``LEDGER_LABEL``)."""
    lines = ledger[(ledger["activity"] == ai.GENAI) & (ledger["activity_unit"] == ai.REQUEST_UNIT)]
    labels = pd.Series(lines["label"].astype(str).to_numpy(), index=lines["row"].to_numpy())
    return frame.assign(**{LEDGER_LABEL: frame["_row"].map(labels)})


class InputSums:
    """SUMIFS over the data rows of an ``In-<sheet>`` table (one per sheet it spans), its
    columns placed as ``xlsx_sheets.inputs`` writes them (row, file, then the data columns)."""

    def __init__(self, sheets: list[tuple[str, int]], frame: pd.DataFrame):
        self.sheets = sheets
        data = [c for c in frame.columns if not c.startswith("_")]
        self.letters = {c: get_column_letter(3 + i) for i, c in enumerate(data)}

    def __call__(self, column: str, **criteria) -> Formula:
        def ref(name: str, sheet: str, rows: int) -> str:
            # the values read, where the typed cells of a column were normalised
            letter = self.letters.get(name + READ_AS, self.letters[name])
            return f"{sheet_ref(sheet)}!${letter}$2:${letter}${rows + 1}"

        sums = []
        for sheet, rows in self.sheets:
            parts = [ref(column, sheet, rows)]
            for name, value in criteria.items():
                parts += [ref(name, sheet, rows), criterion(value)]
            sums.append(f"SUMIFS({','.join(parts)})")
        return Formula(sums[0] if len(sums) == 1 else f"({'+'.join(sums)})")


def _bounds(sums: Sums, column: str, **criteria) -> tuple[Formula, Formula]:
    """Low and high bound of an indicator over the genai_usage lines meeting ``criteria``."""
    factor = INDICATORS[column]
    return tuple(  # type: ignore[return-value]
        sums.product((f"activity_amount_{side}", factor, "allocation_share"), **criteria)
        for side in ("low", "high")
    )


def _row(ws, values: list, formats: list | None = None, font=None) -> None:
    formats = formats or [None] * len(values)
    ws.append(
        [
            cell(ws, v, number_format=f, font=font if i == 0 else None)
            for i, (v, f) in enumerate(zip(values, formats, strict=True))
        ]
    )


def write_ai(ws, model: dict, sums: Sums, tokens: InputSums | None) -> None:
    """The AI sheet: the counted AI lines and their share, the genai_usage lines by provider,
    model and project, and the intensities per model."""
    a = model["ai"]
    ws.column_dimensions["A"].width = 52
    for index in range(2, 33):
        ws.column_dimensions[get_column_letter(index)].width = 16
    ws.append([cell(ws, "AI: hosted models and compute jobs (live formulas)", font=TITLE_FONT)])
    ws.append([cell(ws, a["rule"])])
    ws.append([])
    n = share_block(ws, model, sums, start=4)
    ws.append([])
    n = by_project(ws, a, sums, tokens, start=n + 2)
    ws.append([])
    per_model(ws, a, sums, tokens, start=n + 2)


def share_block(ws, model: dict, sums: Sums, start: int) -> int:
    """Counted AI lines by activity, their total and share of the location-based total, the
    "of which" jobs on owned equipment and the genai_usage bounds; the last row written."""
    a = model["ai"]
    counted, owned = a["counted"], a["of_which_compute_jobs_on_owned_equipment"]
    header = ["AI lines", "kgCO2e", "energy kWh", "water m³", "results.json kgCO2e", "difference"]
    _row(ws, header, font=BOLD)
    first = start + 1
    genai, jobs, total, share = first, first + 1, first + 2, first + 4

    def figures(**criteria):
        return [sums(c, **criteria) for c in ("kgco2e", "energy_kwh", "water_m3")]

    def added(column: str) -> Formula:
        return Formula(f"{column}{genai}+{column}{jobs}")

    low, high = (
        [_bounds(sums, c, activity=ai.GENAI, counted=1)[side] for c in ai.RANGED] for side in (0, 1)
    )
    rows = [
        ("Hosted models (genai_usage), counted", figures(activity=ai.GENAI, counted=1),
         counted[ai.GENAI]["kgco2e"]),
        ("Compute jobs in the cloud, counted", figures(activity=ai.JOBS, counted=1),
         counted[ai.JOBS]["kgco2e"]),
        ("AI, counted", [added(c) for c in "BCD"], counted["total"]["kgco2e"]),
        ("Total, location-based (every counted line)", [sums("kgco2e", counted=1), None, None],
         a["total_location_kgco2e"]),
        ("AI share of the location-based total", [Formula(f'IF(B{total + 1}=0,"",B{total}/B'
                                                          f"{total + 1})"), None, None],
         a["share_of_total_location"]),
        ("Of which: compute jobs on owned equipment (inside the sites' meters and equipment; "
         "not added)", figures(activity=ai.JOBS, counted=0), owned["kgco2e"]),
        ("Hosted models, low bound (SUMPRODUCT of activity_amount_low × ef × allocation_share)",
         low, counted[ai.GENAI]["range"]["kgco2e"][0]),
        ("Hosted models, high bound (SUMPRODUCT of activity_amount_high × ef × "
         "allocation_share)", high, counted[ai.GENAI]["range"]["kgco2e"][1]),
    ]  # fmt: skip
    for n, (label, formulas, value) in enumerate(rows, start=first):
        fmt = SHARE if n == share else NUMBER
        _row(
            ws,
            [label, *formulas, value, Formula(f"B{n}-E{n}")],
            [None, fmt, NUMBER, NUMBER, fmt, PRECISE],
        )
    return first + len(rows) - 1


def by_project(ws, a: dict, sums: Sums, tokens: InputSums | None, start: int) -> int:
    """genai_usage lines by provider, model and project; the last row written."""
    ws.append([cell(ws, "Hosted models by provider, model and project", font=TITLE_FONT)])
    header = ["provider", "model (ledger label)", "project", "requests", "output tokens",
              "kgCO2e", "kgCO2e low", "kgCO2e high", "energy kWh", "water m³",
              "results.json kgCO2e", "difference"]  # fmt: skip
    _row(ws, header, font=BOLD)
    n = start + 1
    for r in a["genai_usage"]:
        n += 1
        where = dict(activity=ai.GENAI, label=r["label"], item_id=Text(r["project"]))
        low, high = _bounds(sums, "kgco2e", counted=1, **where)
        in_rows = None
        if tokens is not None:
            in_rows = tokens(
                "output_tokens", **{LEDGER_LABEL: r["label"], "project": Text(r["project"])}
            )
        _row(
            ws,
            [
                r["provider"],
                r["label"],
                r["project"],
                sums("quantity", activity_unit=ai.REQUEST_UNIT, **where),
                in_rows,
                sums("kgco2e", counted=1, **where),
                low,
                high,
                sums("energy_kwh", counted=1, **where),
                sums("water_m3", counted=1, **where),
                r["kgco2e"],
                Formula(f"F{n}-K{n}"),
            ],
            [None, None, None, "#,##0", "#,##0"] + [NUMBER] * 6 + [PRECISE],
        )
    return n


def per_model(ws, a: dict, sums: Sums, tokens: InputSums | None, start: int) -> None:
    """Per model: requests (B), output tokens (C) and the sums with their bounds (D…L), then
    each intensity (per request, per 1,000 output tokens) with its bounds, as formulas on
    them (M…AD), and the results.json value of the first beside it."""
    ws.append([cell(ws, "Intensities per model", font=TITLE_FONT)])
    header = ["model (ledger label)", "requests", "output tokens"]
    for column in ai.RANGED:
        header += [column, f"{column} low", f"{column} high"]
    # the denominator of each kind of intensity, as a formula on the model's row n
    pers = (("B{n}", "request"), (f"(C{{n}}/{ai.PER_TOKENS})", f"{ai.PER_TOKENS:,} output tokens"))
    for _per, text in pers:
        for name in ai.INTENSITIES:
            header += [f"{INTENSITY_UNITS[name]} per {text}", "low", "high"]
    header += ["results.json gCO2e per request", "difference"]
    _row(ws, header, font=BOLD)
    first_intensity = 4 + 3 * len(ai.RANGED)
    check = get_column_letter(first_intensity + 3 * len(ai.INTENSITIES) * len(pers))
    sum_column = {c: 4 + 3 * i for i, c in enumerate(ai.RANGED)}
    n = start + 1
    for m in a["intensities"]:
        n += 1
        where = dict(activity=ai.GENAI, label=m["label"])
        values: list = [
            m["label"],
            sums("quantity", activity_unit=ai.REQUEST_UNIT, **where),
            None if tokens is None else tokens("output_tokens", **{LEDGER_LABEL: m["label"]}),
        ]
        for column in ai.RANGED:
            values += [sums(column, counted=1, **where), *_bounds(sums, column, counted=1, **where)]
        for per, _text in pers:
            per = per.format(n=n)
            for column, multiplier in ai.INTENSITIES.values():
                for offset in range(3):  # the figure, its low and its high bound
                    amount = f"{get_column_letter(sum_column[column] + offset)}{n}"
                    values.append(Formula(f'IF({per}=0,"",{amount}*{multiplier!r}/{per})'))
        values += [
            m["per_request"]["gco2e"],
            Formula(f"{get_column_letter(first_intensity)}{n}-{check}{n}"),
        ]
        formats = ["@", "#,##0", "#,##0"] + [NUMBER] * 9 + [PRECISE] * 20
        _row(ws, values, [None, *formats[1:]])


#: Units of the intensities (``ai.INTENSITIES``) as the sheet's headers write them.
INTENSITY_UNITS = {"gco2e": "gCO2e", "wh": "Wh", "ml_water": "mL water"}
