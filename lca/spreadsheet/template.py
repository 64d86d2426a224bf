"""``lca template``: an inventory workbook (or CSV folder) ready to be filled in.

Everything comes from ``lca.spec`` (sheets, columns, help, examples, allowed values) and from
the factor library where it has the table (countries, regions per provider, gases, spend
keys, hardware keys, GPU models); the spec's choices are the fallback. Each header cell
carries a comment (meaning, unit, allowed values, example); columns with a closed or
library-fed list get an Excel drop-down fed from the hidden ``lists`` sheet (regions depend on
the provider of the row); header rows are frozen, widths set, and dates, integers and
identifiers formatted. A README sheet explains the workflow. ``--from`` copies the rows of an
existing inventory in.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from lca.activities.cloud import gpu_models
from lca.csv_injection import neutralize_formulas
from lca.factors.library import FactorLibrary
from lca.read import RawInventory
from lca.read.sheets import CONTROL
from lca.read.xlsx_safety import require_defusedxml
from lca.report.xlsx_cells import deterministic_zip
from lca.spec import ROW, SETTINGS_KEYS, SHEETS, Column
from lca.units import currencies
from lca.validate.rules import CLOUD_UNITS

require_defusedxml()

LISTS = "lists"
README = "README"
#: Last row that data validation and formats cover (Excel's own last row).
LAST_ROW = 1_048_576
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
REQUIRED_FILL = PatternFill("solid", fgColor="B8C7DD")
FIXED_DATE = dt.datetime(2000, 1, 1)
#: Units offered in drop-downs, per sheet (any pint unit of the right kind is accepted).
UNIT_CHOICES = {
    "energy": ("kWh", "MWh", "GWh", "GJ", "MJ", "L", "m³", "kg", "t"),
    "cloud": (
        *dict.fromkeys(u for units in CLOUD_UNITS.values() for u in units),
        "TB_h",
        "GB_month",
    ),
}
NUMBER_FORMATS = {
    "date": "yyyy-mm-dd",
    "integer": "0",
    "text": "@",
    "choice": "@",
    "country": "@",
    "currency": "@",
    "unit": "@",
}


def choices_for(sheet: str, column: Column, library: FactorLibrary | None) -> tuple[str, ...]:
    """The values offered in the drop-down of a column (empty: free input)."""
    if column.choices:
        return tuple(column.choices)
    if column.kind == "unit":
        return UNIT_CHOICES.get(sheet, ())
    if column.kind == "currency":
        return tuple(sorted(currencies()))
    if sheet == "settings" and column.name == "key":
        return tuple(SETTINGS_KEYS)
    if library is None:
        return ()
    if column.kind == "country":
        return tuple(sorted(_table_column(library, "countries", "alpha2")))
    if (sheet, column.name) == ("cloud", "gpu_model"):
        return tuple(sorted(gpu_models(library)))
    keyed = {
        ("refrigerants", "gas"): "gases",
        ("services", "category"): "spend",
        ("compute_jobs", "hardware"): "compute_hardware",
    }
    table = keyed.get((sheet, column.name))
    return tuple(library.known_keys(table)) if table else ()


def regions_by_provider(library: FactorLibrary | None) -> dict[str, list[str]]:
    """Provider → its region codes, from the library's cloud_regions table."""
    if library is None or "cloud_regions" not in library.tables:
        return {}
    table = library.table("cloud_regions").dropna(subset=["provider", "region"])
    return {
        str(p): sorted(map(str, g["region"].unique()))
        for p, g in sorted(table.groupby("provider"), key=lambda pair: str(pair[0]))
    }


def _table_column(library: FactorLibrary, table: str, column: str) -> list[str]:
    if table not in library.tables:
        return []
    return [str(v) for v in library.table(table)[column].dropna().unique()]


def column_note(column: Column, allowed: tuple[str, ...]) -> str:
    """The header comment of a column: meaning, unit, required, allowed values, example."""
    lines = [column.name, column.help or column.kind.replace("_", " ")]
    if column.unit:
        lines.append(f"Unit: {column.unit}")
    lines.append("Required" if column.required else "Optional")
    if allowed:
        shown = ", ".join(allowed[:12]) + (
            f" … ({len(allowed)} values)" if len(allowed) > 12 else ""
        )
        lines.append(f"Allowed: {shown}")
    if column.kind == "date":
        lines.append("Format: YYYY-MM-DD or a real date")
    if column.example:
        lines.append(f"Example: {column.example}")
    return "\n".join(lines)


README_LINES = (  # '# ' starts a heading
    "# lca inventory workbook",
    "",
    "# How to use it",
    "1. Fill one sheet per kind of data. Every sheet is optional except settings.",
    "2. Hover a column header for its meaning, unit, allowed values and an example.",
    "   Drop-down lists show the accepted values; other spellings are checked by lca.",
    "3. Check it: lca validate inventory.xlsx --annotate checked.xlsx",
    "   checked.xlsx is a copy where every faulty cell is coloured and carries a comment,",
    "   with an Issues sheet linking to each cell. Fix the cells there and validate again.",
    "4. Report: lca report checked.xlsx --out results/",
    "",
    "# Good to know",
    "Header row 1 holds the column names; do not rename them. Extra columns are ignored.",
    "Dates: YYYY-MM-DD or real dates. Numbers: plain numbers; units are in the column name",
    "or in the unit column. Decimal commas and numbers stored as text are read, with a note.",
    "Formulas are never evaluated: the value saved with the workbook is used, so save the",
    "workbook after recalculating. Hidden rows and sheets are read. Macros are refused.",
    "The hidden sheet 'lists' feeds the drop-downs; lca ignores it, README and Issues.",
    "",
    "# Sheets",
)


def build_template(
    library: FactorLibrary | None = None, source: RawInventory | None = None
) -> Workbook:
    """The template workbook; with ``source``, its rows are copied into the sheets."""
    book = Workbook()
    readme = book.active
    readme.title = README
    for text in README_LINES:
        heading = text.startswith("# ")
        readme.append([text.removeprefix("# ")])
        readme.cell(readme.max_row, 1).font = Font(bold=heading, size=13 if heading else 11)
    for name, sheet in SHEETS.items():
        readme.append([f"{name}: {sheet.help}"])
    readme.column_dimensions["A"].width = 100
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    feeder = _ListFeeder(book, lists)
    regions = regions_by_provider(library)
    for name, sheet in SHEETS.items():
        worksheet = book.create_sheet(name)
        for position, column in enumerate(sheet.columns, start=1):
            allowed = choices_for(name, column, library)
            _header_cell(worksheet, position, column, allowed)
            letter = get_column_letter(position)
            cells = f"{letter}2:{letter}{LAST_ROW}"
            if name == "cloud" and column.name == "region" and regions:
                provider = get_column_letter(sheet.column_names.index("provider") + 1)
                feeder.dependent(worksheet, cells, f"${provider}2", regions)
            elif column.name == "site_id" and name != "sites":
                _validation(worksheet, cells, "sites!$A$2:$A$5000", "a site_id of the sites sheet")
            elif allowed:
                _validation(
                    worksheet,
                    cells,
                    feeder.range_of(f"{name}.{column.name}", allowed),
                    "one of the listed values",
                )
        worksheet.freeze_panes = "A2"
        if source is not None and name in source.sheets:
            _copy_rows(worksheet, sheet.column_names, source.sheets[name].frame)
        elif name == "settings":
            for row, key in enumerate(SETTINGS_KEYS, start=2):
                worksheet.cell(row, 1, key)
    settings = book["settings"]
    settings.column_dimensions["A"].width = 26
    settings.column_dimensions["B"].number_format = "General"
    settings.column_dimensions["B"].width = 30
    book.properties.creator = "lca"
    return book


def _header_cell(worksheet, position: int, column: Column, allowed: tuple[str, ...]) -> None:
    cell = worksheet.cell(1, position, column.name)
    cell.font = Font(bold=True)
    cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
    cell.alignment = Alignment(vertical="top")
    note = column_note(column, allowed)
    comment = Comment(note, "lca")
    comment.width, comment.height = 320, 40 + 18 * note.count("\n")
    cell.comment = comment
    letter = get_column_letter(position)
    worksheet.column_dimensions[letter].width = min(
        40, max(12, len(column.name) + 4, len(column.example) + 2)
    )
    worksheet.column_dimensions[letter].number_format = NUMBER_FORMATS.get(column.kind, "General")


def _validation(worksheet, cells: str, formula: str, what: str) -> None:
    rule = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Not in the list",
        error=f"Expected {what}. lca will check this value.",
    )
    rule.add(cells)
    worksheet.add_data_validation(rule)


class _ListFeeder:
    """Writes drop-down value lists into columns of the hidden lists sheet."""

    def __init__(self, book: Workbook, sheet):
        self.book, self.sheet, self.column = book, sheet, 0

    def _write(self, title: str, values) -> str:
        self.column += 1
        letter = get_column_letter(self.column)
        self.sheet.cell(1, self.column, title)
        for row, value in enumerate(values, start=2):
            self.sheet.cell(row, self.column).value = str(value)
            self.sheet.cell(row, self.column).data_type = "s"
        return f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(values) + 1}"

    def range_of(self, title: str, values) -> str:
        return self._write(title, values)

    def dependent(self, worksheet, cells: str, key_cell: str, groups: dict[str, list[str]]) -> None:
        """A drop-down whose values depend on another cell (``regions_<provider>`` names)."""
        for key, values in groups.items():
            name = f"regions_{key}"
            self.book.defined_names[name] = DefinedName(name, attr_text=self._write(name, values))
        _validation(
            worksheet, cells, f'INDIRECT("regions_"&{key_cell})', "a region of the row's provider"
        )


def _copy_rows(worksheet, names: tuple[str, ...], frame: pd.DataFrame) -> None:
    """Copy a sheet's raw rows, column by column name; text never becomes a formula."""
    present = [
        (position, name) for position, name in enumerate(names, start=1) if name in frame.columns
    ]
    for offset, record in enumerate(frame[[n for _, n in present]].itertuples(index=False)):
        for (position, _), value in zip(present, record, strict=True):
            write_value(worksheet.cell(offset + 2, position), value)


def write_value(cell, value) -> None:
    """Put a read value into a cell: NA stays blank, text is always text (never a formula),
    without the control characters a workbook cannot hold (the read stage reports them)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, str):
        value = re.sub(CONTROL, "", value)
    cell.value = value if not hasattr(value, "item") else value.item()
    if isinstance(value, str):
        cell.data_type = "s"


def save_workbook(book: Workbook, path: str | Path) -> Path:
    """Save ``book`` byte-identically for identical content (fixed dates, no zip timestamps)."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.created = book.properties.modified = FIXED_DATE
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")  # whole or not at all: a rename at the end
    try:
        part.write_bytes(deterministic_zip(buffer.getvalue()))
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return path


def write_csv_template(
    folder: Path, library: FactorLibrary | None = None, source: RawInventory | None = None
) -> list[Path]:
    """One header-only CSV per sheet (with the rows of ``source``) and a README.md."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    lines = [
        "# lca inventory (CSV form)",
        "",
        "One file per sheet; header line = column names. Check with `lca validate .`",
        "",
    ]
    for name, sheet in SHEETS.items():
        path = folder / f"{name}.csv"
        frame = pd.DataFrame(columns=list(sheet.column_names))
        if source is not None and name in source.sheets:
            raw = source.sheets[name].frame.drop(columns=[ROW])
            frame = raw.reindex(columns=list(sheet.column_names))
        frame, _changed = neutralize_formulas(frame)
        frame.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d")
        written.append(path)
        lines += [f"## {name}", "", sheet.help, ""]
        for column in sheet.columns:
            note = column_note(column, choices_for(name, column, library)).split("\n")
            lines.append(f"- `{note[0]}`: " + "; ".join(note[1:]))
        lines.append("")
    readme = folder / "README.md"
    readme.write_text("\n".join(lines), encoding="utf-8")
    return [readme, *written]
