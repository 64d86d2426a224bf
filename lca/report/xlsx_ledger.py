"""The workpaper's Ledger and Factors sheets: live formulas an auditor can re-perform.

Each ledger line's factors point at a row of the Factors sheet (one row per distinct applied
factor: indicator, factor id, value per activity unit), and each result is
``activity_amount × allocation_share × factor`` as a formula. Summary sheets sum the Ledger
with SUMIFS over the ``LEDGER`` columns named here. A ledger longer than a sheet continues on
``Ledger (2)`` … (``xlsx_cells.split``), and each sum adds one SUMIFS per part, so the
figures stay live over every line; the Factors sheet continues the same way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.utils import get_column_letter

from lca import distinct
from lca.report import xlsx_fast
from lca.report.tables import publishers
from lca.report.xlsx_cells import Column, Formula, capacity, part_name, sheet_ref, split, tables

NUMBER = "#,##0.000"
PRECISE = "0.000000E+00"
#: Ledger sheet columns: (ledger column or None for a formula column, header with unit, width,
#: number format).
LEDGER = (
    ("line_id", "line_id", 30, None),
    ("file", "file", 16, None),
    ("sheet", "sheet", 12, None),
    ("row", "row (input)", 8, "0"),
    ("activity", "activity", 12, None),
    ("stage", "stage", 13, None),
    ("part", "part", 10, None),
    ("scope", "scope", 7, "0"),
    ("category", "category", 9, "0"),
    ("method", "method", 16, None),
    ("counted", "counted (1 = in totals)", 10, "0"),
    ("site_id", "site_id", 12, None),
    ("country", "country", 8, None),
    ("group", "group", 16, None),
    ("label", "label", 34, None),
    ("quantity", "quantity (as given)", 14, NUMBER),
    ("quantity_unit", "quantity_unit", 12, None),
    ("activity_amount", "activity_amount (activity_unit)", 16, NUMBER),
    ("activity_unit", "activity_unit", 14, None),
    ("allocation_share", "allocation_share (1)", 12, "0.000000"),
    ("allocation_share_alternative", "allocation_share_alternative (1)", 12, "0.000000"),
    ("ef_gwp", "ef_gwp (kgCO2e per activity_unit)", 14, PRECISE),
    ("ef_gwp_market", "ef_gwp_market (kgCO2e per activity_unit)", 14, PRECISE),
    ("ef_energy", "ef_energy (kWh per activity_unit)", 14, PRECISE),
    ("ef_water", "ef_water (m³ per activity_unit)", 14, PRECISE),
    ("ef_adpe", "ef_adpe (kg Sb eq per activity_unit)", 14, PRECISE),
    ("kgco2e", "kgco2e (kgCO2e, location-based)", 15, NUMBER),
    ("kgco2e_market", "kgco2e_market (kgCO2e, market-based)", 15, NUMBER),
    ("kgco2e_alternative", "kgco2e_alternative (kgCO2e, other capital-goods view)", 15, NUMBER),
    ("energy_kwh", "energy_kwh (kWh)", 15, NUMBER),
    ("water_m3", "water_m3 (m³)", 13, NUMBER),
    ("adpe_kgsbeq", "adpe_kgsbeq (kg Sb eq)", 13, PRECISE),
    ("factor_gwp", "factor_gwp (id)", 30, None),
    ("factor_gwp_market", "factor_gwp_market (id)", 30, None),
    ("factor_water", "factor_water (id)", 24, None),
    ("factor_adpe", "factor_adpe (id)", 24, None),
    ("factor_other", "factor_other (ids)", 30, None),
    ("formula", "formula (in words)", 50, None),
    ("basis", "basis (scope, category and period rule)", 60, None),
    ("item_id", "item_id (job_id, asset_id or genai_usage project)", 22, None),
    ("activity_amount_low", "activity_amount_low (activity_unit, low bound)", 16, NUMBER),
    ("activity_amount_high", "activity_amount_high (activity_unit, high bound)", 16, NUMBER),
    ("gwp_set", "gwp_set (IPCC GWP100 set of ef_gwp)", 28, None),
    ("dqi_technological", "dqi_technological (1 best - 5)", 10, "0"),
    ("dqi_temporal", "dqi_temporal (1 best - 5)", 10, "0"),
    ("dqi_geographical", "dqi_geographical (1 best - 5)", 10, "0"),
    ("dqi_completeness", "dqi_completeness (1 best - 5)", 10, "0"),
    ("dqi_reliability", "dqi_reliability (1 best - 5)", 10, "0"),
    ("primary_data", "primary_data (1 = primary)", 10, "0"),
    ("kgco2e_p2_5", "kgco2e_p2_5 (kgCO2e, 95 % interval low)", 15, NUMBER),
    ("kgco2e_p97_5", "kgco2e_p97_5 (kgCO2e, 95 % interval high)", 15, NUMBER),
)
LETTER = {name: get_column_letter(i) for i, (name, *_rest) in enumerate(LEDGER, start=1)}
#: Factor column → (result column, ledger factor-id column) of each indicator.
INDICATORS = {
    "ef_gwp": ("kgco2e", "factor_gwp"),
    "ef_gwp_market": ("kgco2e_market", "factor_gwp_market"),
    "ef_energy": ("energy_kwh", None),
    "ef_water": ("water_m3", "factor_water"),
    "ef_adpe": ("adpe_kgsbeq", "factor_adpe"),
}
FACTOR_UNITS = {
    "ef_gwp": "kgCO2e",
    "ef_gwp_market": "kgCO2e",
    "ef_energy": "kWh",
    "ef_water": "m³",
    "ef_adpe": "kg Sb eq",
}
FACTORS = [
    Column("ref", 8),
    Column("indicator", 14),
    Column("factor id(s)", 44),
    Column("value (per activity unit)", 16, PRECISE),
    Column("unit", 26),
    Column("lines", 8, "0"),
    Column("library value", 14, PRECISE),
    Column("library unit", 18),
    Column("publisher", 30),
    Column("dataset edition", 40),
    Column("year", 8, "0"),
    Column("licence", 14),
    Column("build note", 60),
]
FACTOR_VALUE_COLUMN = "D"
#: Ledger lines turned into dicts at a time by ``write_ledger``.
RECORDS = 65_536


def ledger_range(column: str, rows: int, sheet: str = "Ledger") -> str:
    """Absolute reference to one column's data rows of a Ledger sheet, for SUMIFS."""
    letter = LETTER[column]
    return f"{sheet_ref(sheet)}!${letter}$2:${letter}${rows + 1}"


def applied_factors(ledger: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Distinct (indicator, factor id, value, activity unit), sorted, with their line counts;
    ``position`` numbers them from 0 in the order of the Factors sheet(s). And, for each factor
    column, the ``position`` of every ledger line's factor (NaN: no factor)."""
    keys, codes = _factor_keys(ledger)
    order = {name: i for i, name in enumerate(INDICATORS)}
    keys["order"] = keys["indicator"].map(order)
    out = keys.sort_values(["order", "factor_id", "activity_unit", "value"], kind="stable")
    position = np.full(len(keys) + 1, np.nan)  # the last: no factor (code −1)
    position[out.index.to_numpy()] = np.arange(len(out))
    out = out.drop(columns="order").reset_index(drop=True)
    out["position"] = out.index
    rows = {ef: pd.Series(position[code], index=ledger.index) for ef, code in codes.items()}
    return out, rows


def _factor_keys(ledger: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The distinct (indicator, factor id, activity unit, value) of the lines, with their
    ``lines``, as a group-by on the four keys finds them: a line without a value or an activity
    unit has none, a missing factor id reads as "", equal values are one (0.0 and −0.0: the
    first of the indicators' values, line after line, indicator after indicator); and, per
    indicator, each line's row of that table (−1: none). Found from codes, never from a frame
    of every line's keys."""
    units = ledger["activity_unit"]
    unit_codes = pd.factorize(units, use_na_sentinel=True)[0]
    valued = {ef: np.flatnonzero(ledger[ef].notna().to_numpy()) for ef in INDICATORS}
    every_value, value_of = pd.factorize(
        np.concatenate([ledger[ef].to_numpy(dtype=np.float64)[at] for ef, at in valued.items()])
    )
    value_codes = np.split(every_value, np.cumsum([len(at) for at in valued.values()])[:-1])
    with_unit = [unit_codes[at] >= 0 for at in valued.values()]
    lines = {ef: at[keep] for (ef, at), keep in zip(valued.items(), with_unit, strict=True)}
    value_codes = [codes[keep] for codes, keep in zip(value_codes, with_unit, strict=True)]
    tables, codes, offset = [], {}, 0
    for (ef, (_result, id_column)), at, values in zip(
        INDICATORS.items(), lines.values(), value_codes, strict=True
    ):
        ids = _id_codes(ledger[id_column]) if id_column else np.zeros(len(ledger), np.int64)
        key = distinct.combine([ids[at], unit_codes[at], values], len(at))
        count = np.bincount(key)
        first = np.unique(key, return_index=True)[1]  # each key's first line
        line = at[first]
        factor_id = (
            ledger[id_column].iloc[line].astype(object).fillna("").astype(str).to_numpy()
            if id_column
            else np.full(len(line), "", dtype=object)
        )
        tables.append(
            pd.DataFrame(
                {
                    "indicator": ef,
                    "factor_id": factor_id,
                    "activity_unit": units.iloc[line].to_numpy(),
                    "value": value_of[values[first]],
                    "lines": count,
                }
            )
        )
        codes[ef] = np.full(len(ledger), -1, np.int64)
        codes[ef][at] = key + offset
        offset += len(count)
    keys = pd.concat(tables, ignore_index=True)
    keys["factor_id"] = keys["factor_id"].astype(str)
    keys["activity_unit"] = pd.Series(
        pd.array(keys["activity_unit"], dtype=units.dtype), index=keys.index
    )
    return keys, codes


def _id_codes(ids: pd.Series) -> np.ndarray:
    """One code per distinct id as text, a missing id read as "" (the same code as "")."""
    if ids.dtype == object:  # each id as text first: 1, 1.0 and True are equal, not as text
        ids = pd.Series([None if pd.isna(v) else str(v) for v in ids], dtype=object)
    codes, uniques = pd.factorize(ids, use_na_sentinel=True)
    texts = [str(u) for u in uniques] + [""]
    return pd.factorize(np.array(texts, dtype=object))[0][codes]  # −1 (missing) → ""


def factor_cell(position: int) -> str:
    """The value cell of the applied factor at ``position``, on its Factors sheet."""
    size = capacity()
    sheet = sheet_ref(part_name("Factors", position // size + 1))
    return f"{sheet}!${FACTOR_VALUE_COLUMN}${position % size + 2}"


def write_factors(wb, applied: pd.DataFrame, library) -> list[tuple[str, int]]:
    """The Factors sheet(s): one row per applied factor, with the library's data for its id
    (``ref`` numbers the rows across sheets). Returns the sheets and their rows."""
    lib = library.factors.set_index("factor_id")
    found: dict[str, tuple] = {}

    def library_part(first: str) -> tuple:  # the same for every row of one factor id
        if first not in found:
            if first not in lib.index:
                found[first] = (None, "", "inventory or derived (see Methods)", "", None, "", "")
            else:
                f = lib.loc[first]
                publisher, edition = publishers(library, str(f["source"]))
                found[first] = (
                    float(f["value"]),
                    f["unit"],
                    publisher,
                    edition,
                    None if pd.isna(f["year"]) else int(f["year"]),
                    str(f["licence"]),
                    "" if pd.isna(f.get("notes")) else str(f["notes"]),
                )
        return found[first]

    def rows():
        for r in applied.itertuples(index=False):
            yield (
                f"F{r.position + 2}",
                r.indicator,
                r.factor_id,
                float(r.value),
                f"{FACTOR_UNITS[r.indicator]} per {r.activity_unit}",
                int(r.lines),
                *library_part(r.factor_id.split(";")[0]),
            )

    if xlsx_fast.available(wb):
        listed = list(rows())
        frame = pd.DataFrame(
            {i: pd.Series([row[i] for row in listed], dtype=object) for i in range(len(FACTORS))}
        )
        if xlsx_fast.supported(frame):
            return xlsx_fast.write_tables(
                wb,
                "Factors",
                FACTORS,
                lambda a, b, _row: [frame[i].iloc[a:b] for i in frame.columns],
                len(frame),
            )
        return tables(wb, "Factors", FACTORS, listed)
    return tables(wb, "Factors", FACTORS, rows())


def write_ledger(wb, ledger: pd.DataFrame, rows_of: dict[str, pd.Series]) -> list[tuple[str, int]]:
    """The Ledger sheet(s): inputs as values, factors and results as formulas. Returns the
    sheets and their rows (``split("Ledger", len(ledger))``)."""
    columns = [Column(header, width, fmt) for _name, header, width, fmt in LEDGER]
    plain = [name for name, *_rest in LEDGER]
    a, s, alt = (
        LETTER["activity_amount"],
        LETTER["allocation_share"],
        LETTER["allocation_share_alternative"],
    )

    size = capacity()

    present = [name for name in plain if name in ledger.columns]

    def records():  # the Ledger's columns, a block of lines at a time (never all as dicts)
        for start in range(0, len(ledger), RECORDS):
            yield from ledger.iloc[start : start + RECORDS][present].to_dict("records")

    def rows():
        for position, record in enumerate(records()):
            n = position % size + 2  # the row on its own Ledger sheet
            values = {name: _value(record[name]) for name in plain if name in record}
            for ef, (result, _id) in INDICATORS.items():
                factor_row = rows_of[ef].iloc[position]
                if pd.isna(factor_row):
                    values[ef], values[result] = None, None
                    continue
                values[ef] = Formula(factor_cell(int(factor_row)))
                values[result] = Formula(f"{a}{n}*{s}{n}*{LETTER[ef]}{n}")
            values["kgco2e_alternative"] = (
                None
                if values["allocation_share_alternative"] is None
                else Formula(f"{a}{n}*{LETTER['ef_gwp']}{n}*{alt}{n}")
            )
            yield [values.get(name) for name in plain]

    present_frame = ledger[present]
    if xlsx_fast.available(wb) and xlsx_fast.supported(present_frame):
        return xlsx_fast.write_tables(
            wb, "Ledger", columns, _ledger_block(present_frame, rows_of, plain), len(ledger)
        )
    return tables(wb, "Ledger", columns, rows())


def _ledger_block(ledger: pd.DataFrame, rows_of: dict[str, pd.Series], plain: list[str]):
    """The Ledger's columns for ``xlsx_fast``, a block of lines at a time: the same values and
    formulas as ``write_ledger``'s rows."""
    a, s, alt = (
        LETTER["activity_amount"],
        LETTER["allocation_share"],
        LETTER["allocation_share_alternative"],
    )
    results = {result: ef for ef, (result, _id) in INDICATORS.items()}
    size = capacity()
    positions = {ef: rows.to_numpy(dtype=np.float64) for ef, rows in rows_of.items()}
    parts = int(max((np.nanmax(p) for p in positions.values() if np.isfinite(p).any()), default=0))
    sheets = pa.array(
        [f"{sheet_ref(part_name('Factors', k + 1))}!${FACTOR_VALUE_COLUMN}$"
         for k in range(parts // size + 1)]
    )  # fmt: skip

    def numbers(values: np.ndarray, missing: np.ndarray) -> pa.Array:
        text = pc.cast(pa.array(values.astype(np.int64)), pa.string())
        return pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), text)

    def block(start: int, stop: int, row: int):
        part = ledger.iloc[start:stop]
        n = pc.cast(pa.array(np.arange(row, row + stop - start)), pa.string())
        missing = {}
        factor = {}
        for ef, position in positions.items():
            p = position[start:stop]
            missing[ef] = np.isnan(p)
            p = np.where(missing[ef], 0, p).astype(np.int64)
            factor[ef] = pc.binary_join_element_wise(
                sheets.take(pa.array(p // size)), numbers(p % size + 2, missing[ef]), ""
            )
        out = []
        for name in plain:
            if name in INDICATORS:
                out.append(xlsx_fast.FormulaColumn(factor[name]))
            elif name in results:
                ef = results[name]
                nn = pc.if_else(pa.array(missing[ef]), pa.scalar(None, pa.string()), n)
                out.append(
                    xlsx_fast.FormulaColumn(
                        pc.binary_join_element_wise(a, nn, f"*{s}", nn, f"*{LETTER[ef]}", nn, "")
                    )
                )
            elif name == "kgco2e_alternative":
                blank = part["allocation_share_alternative"].isna().to_numpy()
                nn = pc.if_else(pa.array(blank), pa.scalar(None, pa.string()), n)
                out.append(
                    xlsx_fast.FormulaColumn(
                        pc.binary_join_element_wise(
                            a, nn, f"*{LETTER['ef_gwp']}", nn, f"*{alt}", nn, ""
                        )
                    )
                )
            elif name in part.columns:
                out.append(part[name])
            else:
                out.append(pd.Series([None] * (stop - start), dtype=object))
        return out

    return block


def _value(value):
    if xlsx_fast.blank(value):
        return None
    if isinstance(value, bool):
        return int(value)
    return value.item() if hasattr(value, "item") else value


class Text(str):
    """Text from the inventory matched exactly by a SUMIFS criterion: never read as an
    operator (``<``, ``=``) or a wildcard (``*``, ``?``, ``~``)."""


def literal(value) -> str:
    """A value as a formula literal: a string quoted (its quotes doubled), a number as is."""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return str(value)


def criterion(value) -> str:
    """A SUMIFS criterion: ``Text`` as an exact match (``=`` and its wildcards escaped with
    ``~``); any other string is engine-authored and may be an operator (``<>``)."""
    if isinstance(value, Text):
        escaped = "".join("~" + c if c in "~*?" else c for c in value)
        return literal("=" + escaped)
    return literal(value)


class Sums:
    """SUMIFS formulas over the Ledger's data rows: one SUMIFS per Ledger sheet, added in
    brackets when the ledger continues on more than one."""

    def __init__(self, rows: int):
        self.sheets = split("Ledger", rows)

    def __call__(self, column: str, **criteria) -> Formula:
        sums = []
        for sheet, rows in self.sheets:
            parts = [ledger_range(column, rows, sheet)]
            for name, value in criteria.items():
                parts += [ledger_range(name, rows, sheet), criterion(value)]
            sums.append(f"SUMIFS({','.join(parts)})")
        return self._added(sums)

    def product(self, columns: tuple[str, ...], **criteria) -> Formula:
        """The sum over the lines equal to ``criteria`` of the ``columns`` multiplied line by
        line (SUMPRODUCT; a blank cell counts 0), e.g. an indicator's low bound:
        activity_amount_low × ef × allocation_share."""
        sums = []
        for sheet, rows in self.sheets:
            terms = [
                f"({ledger_range(name, rows, sheet)}={literal(value)})"
                for name, value in criteria.items()
            ]
            terms += [ledger_range(name, rows, sheet) for name in columns]
            sums.append(f"SUMPRODUCT({'*'.join(terms)})")
        return self._added(sums)

    @staticmethod
    def _added(sums: list[str]) -> Formula:
        return Formula(sums[0] if len(sums) == 1 else f"({'+'.join(sums)})")
