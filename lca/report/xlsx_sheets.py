"""Workpaper sheets that are plain views: inputs with their row numbers, methods, quality,
issues, offsets (linked to no total) and the other indicators."""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd

from lca.aggregate.result import RunResult
from lca.report import xlsx_fast
from lca.report.xlsx_cells import BOLD, TITLE_FONT, Column, Formula, cell, table, tables
from lca.report.xlsx_ledger import NUMBER, Sums
from lca.spec import ROW

KG = "#,##0.00"
TONNES = "#,##0.000"
SHARE = "0.0%"


#: Suffix of the column that shows what lca read from a column whose typed cells it normalised.
READ_AS = " (read as)"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?")


def _blank(v) -> bool:
    return (
        v is None
        or v is pd.NA
        or v is pd.NaT
        or (isinstance(v, float) and v != v)
        or (isinstance(v, str) and not v.strip())
    )


def same_reading(typed, read) -> bool:
    """True when ``read`` (the validated value) is ``typed`` (the cell as found) written
    another way only: a number typed as plain digits, a date as YYYY-MM-DD or a date cell. A
    decimal comma, an Excel serial date, another case, spaces around text, a country name or
    a default filled in are normalisations (False)."""
    if _blank(typed) or _blank(read):
        return _blank(typed) and _blank(read)
    if isinstance(read, pd.Timestamp):
        if isinstance(typed, (pd.Timestamp, datetime.datetime, datetime.date)):
            return pd.Timestamp(typed) == read
        text = str(typed).strip()
        return text in (read.date().isoformat(), str(read), read.isoformat())
    if isinstance(read, (int, float, np.integer, np.floating)) and not isinstance(read, bool):
        if isinstance(typed, (int, float, np.integer, np.floating)):
            return float(typed) == float(read)
        text = str(typed).strip()
        return bool(_PLAIN_NUMBER.fullmatch(text)) and float(text) == float(read)
    if isinstance(typed, float) and typed.is_integer():
        typed = int(typed)
    return str(typed) == str(read)


def _distinct(values: pd.Series) -> np.ndarray:
    """A code per cell, the same for equal values of the same type: a column of one dtype
    holds one type and one kind of blank; an object column is coded by value and type
    (``1``, ``1.0`` and ``True`` apart, each kind of blank apart), each cell on its own where
    one cannot be hashed."""
    if values.dtype != object and not isinstance(values.dtype, pd.CategoricalDtype):
        return pd.factorize(values, use_na_sentinel=False)[0]
    objects = values.to_numpy(dtype=object)
    try:
        codes = pd.factorize(objects, use_na_sentinel=False)[0]
    except TypeError:
        return np.arange(len(objects))
    kinds = pd.factorize(np.frompyfunc(type, 1, 1)(objects))[0]
    return codes * (int(kinds.max(initial=0)) + 1) + kinds


def _read_otherwise(typed: pd.Series, read: pd.Series) -> bool:
    """Whether ``same_reading`` is False for a cell of a column (``typed`` as found, ``read``
    validated, row by row): decided once per distinct (typed, read) pair, on its first cell."""
    if not len(read):
        return False
    codes = _distinct(read)
    pairs = _distinct(typed) * (int(codes.max()) + 1) + codes
    first = np.flatnonzero(~pd.Series(pairs).duplicated().to_numpy())
    cells = zip(
        typed.iloc[first].to_numpy(dtype=object),
        read.iloc[first].to_numpy(dtype=object),
        strict=True,
    )
    return not all(same_reading(t, r) for t, r in cells)


def as_typed(frame: pd.DataFrame, raw: pd.DataFrame | None) -> pd.DataFrame:
    """An input sheet's accepted rows with each cell as the user typed it (``raw``: the cells
    as found, by ``_row``). A column with a cell lca read otherwise (``same_reading`` False;
    the validation's ``value-normalized`` issues list them) is followed by
    ``<column> (read as)``: the values the ledger used. Columns the file does not have (and
    columns added for the workbook) show the values read."""
    if raw is None:
        return frame
    found = raw.drop_duplicates("_row").set_index("_row")
    rows = frame["_row"].to_numpy()
    out: dict[str, pd.Series] = {}
    for column in frame.columns:
        read = frame[column]
        if column.startswith("_") or column not in found.columns:
            out[column] = read
            continue
        source = found[column].reindex(rows)
        out[column] = pd.Series(source.to_numpy(dtype=object), index=frame.index, dtype=object)
        if _read_otherwise(source, read):
            out[column + READ_AS] = read
    return pd.DataFrame(out, index=frame.index)


def inputs(wb, name: str, frame: pd.DataFrame) -> list[tuple[str, int]]:
    """One input sheet (``name``, continued on ``name (2)`` … past a sheet's rows): its
    accepted rows with their original row numbers, each cell as typed (``as_typed``). Returns
    the sheets and their rows."""
    data = [c for c in frame.columns if not c.startswith("_")]
    columns = [Column("row (original)", 10, "0"), Column("file", 18)] + [
        Column(c, 16) for c in data
    ]
    frame = frame.sort_values("_row")

    def value(v):
        if xlsx_fast.blank(v) or v is pd.NaT:
            return None
        if isinstance(v, pd.Timestamp):
            return v.date().isoformat()
        if isinstance(v, datetime.datetime) and v.time() == datetime.time():
            return v.date().isoformat()
        return v.item() if hasattr(v, "item") else v

    fast = _fast_inputs(wb, frame, data, value)
    if fast is not None:
        return xlsx_fast.write_tables(wb, name, columns, fast, len(frame))
    return tables(
        wb,
        name,
        columns,
        (
            [int(r["_row"]), str(r["_file"])] + [value(r[c]) for c in data]
            for r in frame.to_dict("records")
        ),
    )


def _fast_inputs(wb, frame: pd.DataFrame, data: list[str], value):
    """The columns of ``inputs``' rows for ``xlsx_fast`` (None: openpyxl writes them): the
    row numbers, the file names and each data column with ``value`` applied where a cell is
    not already text, a number or a blank."""
    if not xlsx_fast.available(wb) or not pd.api.types.is_integer_dtype(frame["_row"].dtype):
        return None
    files = frame["_file"]
    if files.isna().any() or set(map(type, files.to_numpy(dtype=object))) != {str}:
        return None
    out = {"row": frame["_row"].astype(np.int64), "file": files.astype(object)}
    for c in data:
        column = frame[c]
        if not xlsx_fast.supported(column.to_frame()):
            column = pd.Series(
                [value(v) for v in column.to_numpy(dtype=object)], index=frame.index, dtype=object
            )
            if not xlsx_fast.supported(column.to_frame()):
                return None
        out[c] = column
    table = pd.DataFrame(out, index=frame.index)

    def block(start: int, stop: int, _row: int):
        part = table.iloc[start:stop]
        return [part[c] for c in part.columns]

    return block


def settings_rows(inventory) -> tuple[str, list[tuple[int, str, object]]]:
    """The settings sheet as read (file, then (row, key, value) per row): the cells as the
    user typed them (``Inventory.settings_raw``)."""
    frame = inventory.settings_raw
    if frame is None:
        return "", []
    values = frame["value"] if "value" in frame.columns else [None] * len(frame)
    return inventory.settings_cells.file, [
        (int(row), "_".join(str(key).strip().lower().split()), value)
        for row, key, value in zip(frame[ROW], frame["key"], values, strict=True)
    ]


def settings_input(ws, inventory) -> None:
    """The settings sheet as read, with its original row numbers."""
    file, rows = settings_rows(inventory)
    columns = [
        Column("row (original)", 10, "0"),
        Column("file", 18),
        Column("key", 26),
        Column("value", 40),
    ]
    table(
        ws,
        columns,
        ((row, file, key, None if value is None else str(value)) for row, key, value in rows),
    )


def section(ws, title: str, columns: list[Column], rows) -> None:
    """A titled block of a sheet holding several tables."""
    ws.append([cell(ws, title, font=TITLE_FONT)])
    ws.append([cell(ws, c.header, font=BOLD) for c in columns])
    for row in rows:
        ws.append(
            [cell(ws, v, number_format=c.number_format) for c, v in zip(columns, row, strict=True)]
        )
    ws.append([])


def methods(ws, model: dict) -> None:
    m = model["methodology"]
    for letter, width in zip("ABCDEFG", (34, 30, 18, 18, 18, 18, 18), strict=True):
        ws.column_dimensions[letter].width = width
    section(
        ws,
        "Methodology",
        [Column("Topic"), Column("Description")],
        ((p["title"], p["text"]) for p in m["paragraphs"]),
    )
    section(
        ws,
        "PUE and WUE per site",
        [
            Column("site"),
            Column("kind"),
            Column("country"),
            Column("PUE", 8, "0.00"),
            Column("PUE source"),
            Column("WUE (L/kWh)", 8, "0.00"),
        ],
        (
            (s["site_id"], s["kind"], s["country"], s["pue"], s["pue_source"], s["wue_l_per_kwh"])
            for s in m["sites"]
        ),
    )
    section(
        ws,
        "Scope 2: market-based factor used per site",
        [
            Column("site"),
            Column("market-based source"),
            Column("kWh", 0, KG),
            Column("location-based kgCO2e", 0, KG),
            Column("market-based kgCO2e", 0, KG),
        ],
        (
            (r["site_id"], r["market_source"], r["energy_kwh"], r["kgco2e"], r["kgco2e_market"])
            for r in m["scope2"]
        ),
    )
    section(
        ws,
        "Spend conversions",
        [
            Column("currency"),
            Column("exchange rate", 0, "0.0000"),
            Column("price-index ratio", 0, "0.0000"),
            Column("converted unit"),
            Column("spend", 0, KG),
            Column("converted amount", 0, KG),
            Column("kgCO2e", 0, KG),
        ],
        (
            (
                r["currency"],
                r["fx_rate"],
                r["price_index_ratio"],
                r["activity_unit"],
                r["spend"],
                r["activity_amount"],
                r["kgco2e"],
            )
            for r in m["spend"]
        ),
    )
    section(
        ws,
        "Data sources (factor library files)",
        [Column("file"), Column("licence"), Column("publishers")],
        ((s["path"], s["licence"], s["publishers"]) for s in m["sources"]),
    )


def quality(ws, model: dict) -> None:
    q = model["quality"]
    for letter, width in zip("ABCDEFGHI", (28, 16, 16, 16, 16, 16, 16, 16, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append(
        [
            cell(ws, "Share of primary data (supplier-specific and measured), all counted lines"),
            cell(ws, q["primary_share"], number_format=SHARE),
        ]
    )
    ws.append([cell(ws, q["uncertainty"])])
    ws.append([])
    section(
        ws,
        "Method mix per scope and category (kgCO2e)",
        [
            Column("scope / category"),
            Column("supplier-specific", 0, KG),
            Column("measured", 0, KG),
            Column("average data", 0, KG),
            Column("estimated", 0, KG),
            Column("spend-based", 0, KG),
            Column("total", 0, KG),
            Column("primary share", 0, SHARE),
        ],
        (
            (
                r["label"],
                r["supplier_specific"],
                r["measured"],
                r["average_data"],
                r["estimated"],
                r["spend_based"],
                r["total"],
                r["primary_share"],
            )
            for r in q["method_mix"]
        ),
    )
    section(
        ws,
        "Scope 3 categories not included (screening)",
        [
            Column("category"),
            Column("name"),
            Column("status"),
            Column("reason"),
            Column("estimated kgCO2e", 0, KG),
        ],
        (
            (e["category"], e["name"], e["status"], e["reason"], e["estimated_kgco2e"])
            for e in q["excluded_categories"]
        ),
    )
    rec = q["reconciliation"]
    section(
        ws,
        "Reconciliation: rows read = accounted + rejected",
        [Column("sheet"), Column("read"), Column("accounted"), Column("rejected")],
        [
            (name, c["rows_read"], c["rows_accounted"], c["rows_rejected"])
            for name, c in rec.get("by_sheet", {}).items()
        ]
        + [
            (
                "all sheets",
                rec.get("rows_read"),
                rec.get("rows_accounted"),
                rec.get("rows_rejected"),
            )
        ],
    )
    if q["not_read"]:
        section(
            ws,
            "Files in the inventory not read (in none of the counts above)",
            [Column("file"), Column("data rows"), Column("issue code")],
            [(f["name"], f["rows"], f["code"]) for f in q["not_read"]]
            + [("all files not read", f"{rec['rows_not_read']:,} data rows", None)],
        )


def issues(wb, result: RunResult) -> list[tuple[str, int]]:
    """The Issues sheet(s), one row per issue. Returns the sheets and their rows."""
    columns = [
        Column("severity", 9),
        Column("code", 22),
        Column("file", 16),
        Column("sheet", 12),
        Column("row", 7, "0"),
        Column("column", 16),
        Column("message", 80),
        Column("value", 24),
    ]
    return tables(
        wb,
        "Issues",
        columns,
        (
            (
                i.severity.value,
                i.code,
                i.source.file,
                i.source.sheet or "",
                i.source.row,
                i.source.column or "",
                i.message,
                i.value or "",
            )
            for i in result.issues
        ),
    )


def offsets(wb, model: dict) -> list[tuple[str, int]]:
    """The Offsets sheet(s): the statement, then one row per credit. Returns the sheets and
    their rows."""
    o = model["offsets"]
    columns = [
        Column("row (input)", 10, "0"),
        Column("project", 28),
        Column("standard", 12),
        Column("vintage", 9, "0"),
        Column("quantity (tCO2e)", 14, TONNES),
        Column("kind", 12),
        Column("retired on", 12),
        Column("serial", 24),
    ]
    return tables(
        wb,
        "Offsets",
        columns,
        (
            (
                r["row"],
                r["project"],
                r["standard"],
                r["vintage"],
                r["quantity_tco2e"],
                r["kind"],
                r["retired_on"],
                r["serial"],
            )
            for r in o["rows"]
        ),
        preamble=[[o["statement"]]],
    )


def other(ws, model: dict, sums: Sums) -> None:
    columns = [
        Column("Indicator", 60),
        Column("Value — SUMIFS over Ledger", 22, NUMBER),
        Column("Unit", 14),
        Column("results.json", 18, NUMBER),
    ]
    t = model["totals"]
    table(
        ws,
        columns,
        [
            (
                "Water consumption (ESRS E3-4 §28(a))",
                sums("water_m3", counted=1),
                "m³",
                t["water_m3"],
            ),
            (
                "Abiotic depletion potential, minerals and metals (ADPe)",
                sums("adpe_kgsbeq", counted=1),
                "kg Sb eq",
                t["adpe_kgsbeq"],
            ),
            ("Energy, all counted lines", sums("energy_kwh", counted=1), "kWh", t["energy_kwh"]),
        ],
    )
    ws.append([])
    ws.append(
        [
            cell(
                ws,
                "Water consumption (m³ drawn and not returned) is not water use "
                "(m³ world eq. deprived); neither is added to any other indicator.",
            )
        ]
    )


def uncertainty(ws, model: dict) -> None:
    """The uncertainty summary: how it was assessed, the 95 % intervals, the contributors and
    the data-quality indicators per scope and category."""
    u = model["uncertainty"]
    for letter, width in zip("ABCDEFGH", (44, 14, 14, 14, 14, 14, 14, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append([cell(ws, model["quality"]["uncertainty"])])
    ws.append([])
    section(
        ws,
        "95 % intervals (Monte Carlo) beside the reported figures",
        [
            Column("figure"),
            Column("unit"),
            Column("reported", 0, NUMBER),
            Column("p2.5", 0, NUMBER),
            Column("median", 0, NUMBER),
            Column("p97.5", 0, NUMBER),
            Column("± Monte Carlo", 0, SHARE),
            Column("± analytical", 0, SHARE),
            Column("high uncertainty (BP-2 §11)"),
        ],
        (
            (
                r["label"],
                r["unit"],
                r["point"],
                r["p2_5"],
                r["p50"],
                r["p97_5"],
                r["relative_half_width"],
                r["analytical_relative_half_width"],
                "yes" if r["high"] else "no",
            )
            for r in u["rows"]
        ),
    )
    section(
        ws,
        "Largest contributors to the variance of the location-based total",
        [Column("input"), Column("row or factor"), Column("share of variance", 0, SHARE)],
        ((c["input"], c["id"], c["share_of_variance"]) for c in u["contributors"]),
    )
    section(
        ws,
        "Data-quality indicators (1 best - 5), weighted by each line's absolute kgCO2e; every "
        "line's scores are on the Ledger sheet",
        [
            Column("scope / category"),
            Column("lines", 0, "0"),
            Column("technological", 0, "0.00"),
            Column("temporal", 0, "0.00"),
            Column("geographical", 0, "0.00"),
            Column("completeness", 0, "0.00"),
            Column("reliability", 0, "0.00"),
            Column("primary data", 0, SHARE),
        ],
        (
            (
                r["label"],
                r["lines"],
                r["technological"],
                r["temporal"],
                r["geographical"],
                r["completeness"],
                r["reliability"],
                r["primary_data_share"],
            )
            for r in u["quality_rows"]
        ),
    )


BRIDGE_COLUMNS = [
    Column("Figure (kgCO2e)", 34),
    Column("N-1", 16, NUMBER),
    Column("Activity", 14, NUMBER),
    Column("Emission factors", 14, NUMBER),
    Column("Method or boundary", 14, NUMBER),
    Column("N", 16, NUMBER),
    Column("Change N − (N-1)", 16, NUMBER),
    Column("Sum of the effects", 16, NUMBER),
    Column("Sum − change", 14, NUMBER),
    Column("% N / N-1", 10, "0.0"),
]


def bridge(ws, model: dict) -> None:
    """The year-over-year bridge: N-1, the three effects and N as results.json gives them;
    the change, the sum of the effects, their difference (0 when the bridge closes) and
    % N / N-1 as live formulas."""
    prior_year, year = model["bridge_years"]
    rows = model["bridge"]

    def values():
        for n, r in enumerate(rows, start=2):  # row 1 is the header
            yield (
                ("    " if r["kind"] == "sub" else "") + r["label"],
                r["prior_kgco2e"],
                r["activity_kgco2e"],
                r["factor_kgco2e"],
                r["method_kgco2e"],
                r["current_kgco2e"],
                Formula(f"F{n}-B{n}"),
                Formula(f"C{n}+D{n}+E{n}"),
                Formula(f"H{n}-G{n}"),
                Formula(f'IF(B{n}=0,"",(F{n}-B{n})/B{n}*100)'),
            )

    table(ws, BRIDGE_COLUMNS, values())
    ws.append([])
    for text in (
        f"N-1 = {prior_year}, N = {year}; N-1 recomputed with this report's engine and factor "
        "library. Columns B to F from results.json (bridge); G to J are formulas: Sum − change "
        "is 0 when activity + factors + method or boundary add up to the change.",
        "Lines are matched on sheet, stage, part, scope, category, method, unit, site, "
        "country, group, item id, label and factor family (the factor id without its edition "
        "year or row number); the lines of one key are added up. For a key in both years, "
        "A = Σ activity_amount × allocation_share, F = kgCO2e / A: activity = (A_N − A_N-1) × "
        "F_N-1; emission factors = A_N × (F_N − F_N-1) (a supplier's or provider's own "
        "kgCO2e changing: a factor effect). Method or boundary: keys found in one year only "
        "and keys whose lines are not activity × factor.",
    ):
        ws.append([cell(ws, text)])
