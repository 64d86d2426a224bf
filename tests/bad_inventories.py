"""Builds the corpus of bad inventories: one small defect per case, each with the exact issue it
must produce (code, sheet, row, column).

Every case starts from ``BASE``, a clean inventory for the fixture factor library, and changes
one thing: a cell, a column, the file's encoding, or the workbook container itself. Run as a
script to write the whole corpus to a folder: ``python tests/bad_inventories.py OUT_DIR``.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import os
import shutil
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

BASE: dict[str, list[list]] = {
    "settings": [["key", "value"], ["organization", "Test Org"], ["reporting_year", "2024"]],
    "sites": [["site_id", "country", "kind"], ["PAR-DC", "FR", "datacenter"]],
    "equipment": [
        [
            "asset_id",
            "category",
            "model",
            "quantity",
            "acquired_on",
            "lifetime_years",
            "site_id",
            "power_w",
        ],
        ["SRV-1", "server", "Dell PowerEdge R740", "2", "2023-03-15", "4", "PAR-DC", "300"],
    ],
    "energy": [
        ["site_id", "carrier", "quantity", "unit"],
        ["PAR-DC", "electricity", "1000", "kWh"],
    ],
    "refrigerants": [["site_id", "gas", "leaked_kg"], ["PAR-DC", "R-410A", "1.5"]],
    "cloud": [
        ["provider", "region", "resource", "usage_type", "quantity", "unit"],
        ["aws", "eu-west-3", "m5.xlarge", "compute", "100", "h"],
    ],
    "services": [
        ["supplier", "category", "spend", "currency", "spend_year"],
        ["Atlassian", "saas", "1000", "EUR", "2022"],
    ],
}


@dataclass(frozen=True)
class Case:
    """One bad inventory: how to build it and the issue it must produce."""

    name: str
    build: Callable[[Path], Path]
    code: str
    sheet: str | None
    row: int | None
    column: str | None
    severity: str = "error"


def write_csv_folder(
    folder: Path, sheets: dict[str, list[list]], encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    """One ``<sheet>.csv`` per sheet."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return folder


def typed(value):
    """A CSV cell as a spreadsheet user would type it: numbers and ISO dates become such."""
    if not isinstance(value, str):
        return value
    try:
        return (
            dt.date.fromisoformat(value) if len(value) == 10 and value[4] == "-" else float(value)
        )
    except ValueError:
        return value


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A plain xlsx workbook, one worksheet per sheet, numbers and dates typed."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(rows[0])
        for row in rows[1:]:
            sheet.append([typed(v) for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def base() -> dict[str, list[list]]:
    return copy.deepcopy(BASE)


def _column(sheets: dict, sheet: str, column: str) -> int:
    """The position of ``column`` in ``sheet``, adding it (blank in every row) if absent."""
    header = sheets[sheet][0]
    if column not in header:
        header.append(column)
        for record in sheets[sheet][1:]:
            record.append("")
    return header.index(column)


def cell(sheet: str, row: int, column: str, value, extra: str | None = None):
    """A builder writing the CSV base with one cell changed (row = spreadsheet row)."""

    def build(folder: Path) -> Path:
        sheets = base()
        position = _column(sheets, sheet, column)
        while len(sheets[sheet]) <= row - 1:
            sheets[sheet].append(list(sheets[sheet][-1]))
        sheets[sheet][row - 1][position] = value
        if extra is not None:  # a second change "column=value" on the same row
            name, text = extra.split("=", 1)
            sheets[sheet][row - 1][_column(sheets, sheet, name)] = text
        return write_csv_folder(folder, sheets)

    return build


def second_row(sheet: str):
    """A builder duplicating the first data row of ``sheet`` (a duplicate key)."""

    def build(folder: Path) -> Path:
        sheets = base()
        sheets[sheet].append(list(sheets[sheet][1]))
        return write_csv_folder(folder, sheets)

    return build


def with_sheets(**changes):
    """A builder replacing (or adding, or with None removing) whole sheets."""

    def build(folder: Path) -> Path:
        sheets = base()
        for name, rows in changes.items():
            if rows is None:
                sheets.pop(name)
            else:
                sheets[name] = rows
        return write_csv_folder(folder, sheets)

    return build


def rename_column(sheet: str, old: str, new: str):
    def build(folder: Path) -> Path:
        sheets = base()
        header = sheets[sheet][0]
        header[header.index(old)] = new
        return write_csv_folder(folder, sheets)

    return build


def csv_file(sheet: str, content: bytes):
    """A builder replacing one CSV file by raw bytes."""

    def build(folder: Path) -> Path:
        write_csv_folder(folder, base())
        (folder / f"{sheet}.csv").write_bytes(content)
        return folder

    return build


def workbook(change: Callable[[dict], None] | None = None, edit=None, name="inventory.xlsx"):
    """A builder for an xlsx inventory; ``change`` edits the sheets, ``edit`` the openpyxl book."""

    def build(folder: Path) -> Path:
        sheets = base()
        if change:
            change(sheets)
        path = write_workbook(folder / name, sheets)
        if edit:
            from openpyxl import load_workbook

            book = load_workbook(path)
            edit(book)
            book.save(path)
        return path

    return build


def raw_file(name: str, content: bytes):
    def build(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
        return folder / name

    return build


def rezip(
    transform: Callable[[str, bytes], bytes | None],
    extra: dict | None = None,
    compression=zipfile.ZIP_DEFLATED,
):
    """A builder rewriting the base workbook's parts (``None`` drops a part) and adding more."""

    def build(folder: Path) -> Path:
        source = workbook()(folder / "src")
        path = folder / "inventory.xlsx"
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", compression) as new:
            for item in old.infolist():
                data = transform(item.filename, old.read(item))
                if data is not None:
                    new.writestr(item.filename, data)
            for part, data in (extra or {}).items():
                new.writestr(part, data)
        shutil.rmtree(folder / "src")
        return path

    return build


def _set(sheet, row, column, value):
    def change(sheets):
        header = sheets[sheet][0]
        sheets[sheet][row - 1][header.index(column)] = value

    return change


def _cached_formula(name: str, data: bytes) -> bytes:
    """Give the formula openpyxl wrote (without a value) a cached value, as Excel would."""
    return (
        data.replace(b"<f>150*2</f><v />", b"<f>150*2</f><v>300</v>")
        if name.endswith("sheet3.xml")
        else data
    )


def _merged_header(book) -> None:
    sheet = book["equipment"]
    sheet.insert_rows(1)
    sheet["A1"] = "Asset"
    sheet["D1"] = "Usage"
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:H1")


def _bomb_entries() -> dict:
    return {f"junk/{n}.bin": b"" for n in range(10_001)}


def _cached(build):
    def with_value(folder: Path) -> Path:
        path = build(folder)
        with zipfile.ZipFile(path) as old:
            parts = {i.filename: old.read(i) for i in old.infolist()}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
            for name, data in parts.items():
                new.writestr(name, _cached_formula(name, data))
        return path

    return with_value


def _forged_sizes(folder: Path) -> Path:
    """A workbook whose zip directory declares a 2,000-byte sheet that holds far more."""
    noise = os.urandom(200_000).hex().encode()
    path = rezip(
        lambda n, d: (
            d.replace(
                b"</sheetData>",
                b'<row r="9"><c r="A9" '
                b't="inlineStr"><is><t>' + noise + b"</t></is></c>"
                b"</row></sheetData>",
            )
            if n.endswith("sheet3.xml")
            else d
        )
    )(folder)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        part = next(i.filename for i in archive.infolist() if i.filename.endswith("sheet3.xml"))
    name = part.encode()
    local = data.find(b"PK\x03\x04")
    while local >= 0:  # every local header and central-directory record of that part
        name_at = local + (30 if data[local + 2] == 3 else 46)
        if data[name_at : name_at + len(name)] == name:
            struct.pack_into("<I", data, local + (22 if data[local + 2] == 3 else 24), 2000)
        local = min(
            (
                i
                for i in (data.find(b"PK\x03\x04", local + 4), data.find(b"PK\x01\x02", local + 4))
                if i >= 0
            ),
            default=-1,
        )
    path.write_bytes(bytes(data))
    return path


def _truncate(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _entities(name: str, data: bytes) -> bytes:
    """Put a billion-laughs DTD in front of the workbook part."""
    if name != "xl/workbook.xml":
        return data
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return LAUGHS + body


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)

CASES: list[Case] = [
    # values
    Case(
        "number-not-a-number",
        cell("equipment", 2, "quantity", "two"),
        "invalid-number",
        "equipment",
        2,
        "quantity",
    ),
    Case(
        "integer-with-fraction",
        cell("equipment", 2, "quantity", "1.5"),
        "not-an-integer",
        "equipment",
        2,
        "quantity",
    ),
    Case(
        "quantity-zero",
        cell("equipment", 2, "quantity", "0"),
        "out-of-range",
        "equipment",
        2,
        "quantity",
    ),
    Case(
        "quantity-negative",
        cell("equipment", 2, "quantity", "-2"),
        "negative-value",
        "equipment",
        2,
        "quantity",
    ),
    Case(
        "date-day-first",
        cell("equipment", 2, "acquired_on", "15/03/2023"),
        "invalid-date",
        "equipment",
        2,
        "acquired_on",
    ),
    Case(
        "category-typo",
        cell("equipment", 2, "category", "sever"),
        "invalid-choice",
        "equipment",
        2,
        "category",
    ),
    Case(
        "asset-id-blank",
        cell("equipment", 2, "asset_id", ""),
        "missing-value",
        "equipment",
        2,
        "asset_id",
    ),
    Case("asset-id-twice", second_row("equipment"), "duplicate-key", "equipment", 3, "asset_id"),
    Case(
        "site-reference-typo",
        cell("equipment", 2, "site_id", "PAR-D"),
        "unknown-reference",
        "equipment",
        2,
        "site_id",
    ),
    Case(
        "retired-before-acquired",
        cell("equipment", 2, "retired_on", "2022-01-01"),
        "date-order",
        "equipment",
        2,
        "retired_on",
    ),
    Case(
        "acquired-after-period",
        cell("equipment", 2, "acquired_on", "2025-02-01"),
        "date-outside-period",
        "equipment",
        2,
        "acquired_on",
    ),
    Case(
        "embodied-without-source",
        cell("equipment", 2, "embodied_kgco2e", "900"),
        "missing-evidence",
        "equipment",
        2,
        "embodied_source",
        "warning",
    ),
    Case(
        "required-column-absent",
        rename_column("equipment", "category", "kategorie"),
        "missing-column",
        "equipment",
        1,
        "category",
    ),
    Case(
        "unknown-column-near-miss",
        cell("equipment", 2, "lifetime_yrs", "5"),
        "unknown-column",
        "equipment",
        1,
        "lifetime_yrs",
        "warning",
    ),
    Case(
        "country-unknown",
        cell("sites", 2, "country", "Francia"),
        "unknown-country",
        "sites",
        2,
        "country",
    ),
    Case("site-kind-typo", cell("sites", 2, "kind", "dc"), "invalid-choice", "sites", 2, "kind"),
    Case(
        "site-id-twice",
        with_sheets(
            sites=[
                ["site_id", "country", "kind"],
                ["PAR-DC", "FR", "datacenter"],
                ["PAR-DC", "FR", "office"],
            ]
        ),
        "duplicate-key",
        "sites",
        3,
        "site_id",
    ),
    Case("pue-below-one", cell("sites", 2, "pue", "0.9"), "out-of-range", "sites", 2, "pue"),
    Case(
        "energy-unit-power", cell("energy", 2, "unit", "kW"), "unit-dimension", "energy", 2, "unit"
    ),
    Case(
        "energy-unit-nonsense",
        cell("energy", 2, "unit", "bananas"),
        "unknown-unit",
        "energy",
        2,
        "unit",
    ),
    Case(
        "carrier-typo",
        cell("energy", 2, "carrier", "electricty"),
        "invalid-choice",
        "energy",
        2,
        "carrier",
    ),
    Case(
        "instrument-on-fuel",
        cell("energy", 2, "carrier", "diesel", extra="instrument=go"),
        "inconsistent-columns",
        "energy",
        2,
        "instrument",
    ),
    Case(
        "energy-period-reversed",
        cell("energy", 2, "period_start", "2024-06-30", extra="period_end=2024-01-01"),
        "date-order",
        "energy",
        2,
        "period_end",
    ),
    Case(
        "refrigerant-no-amount",
        cell("refrigerants", 2, "leaked_kg", ""),
        "missing-value",
        "refrigerants",
        2,
        "leaked_kg",
    ),
    Case(
        "leak-rate-above-one",
        cell("refrigerants", 2, "annual_leak_rate", "1.5", extra="charge_kg=10"),
        "out-of-range",
        "refrigerants",
        2,
        "annual_leak_rate",
    ),
    Case(
        "provider-unknown",
        cell("cloud", 2, "provider", "amazon"),
        "invalid-choice",
        "cloud",
        2,
        "provider",
    ),
    Case(
        "cloud-unit-wrong-kind",
        cell("cloud", 2, "unit", "GB"),
        "unit-dimension",
        "cloud",
        2,
        "unit",
    ),
    Case(
        "cloud-other-without-spend",
        cell("cloud", 2, "usage_type", "other"),
        "missing-value",
        "cloud",
        2,
        "spend",
    ),
    Case(
        "scope3-category-16",
        cell("services", 2, "scope3_category", "16"),
        "out-of-range",
        "services",
        2,
        "scope3_category",
    ),
    Case(
        "currency-unknown",
        cell("services", 2, "currency", "EURO"),
        "invalid-choice",
        "services",
        2,
        "currency",
    ),
    Case(
        "setting-misspelt",
        cell("settings", 4, "key", "organisation"),
        "unknown-setting",
        "settings",
        4,
        "key",
        "warning",
    ),
    Case(
        "organization-missing",
        with_sheets(settings=[["key", "value"], ["reporting_year", "2024"]]),
        "missing-setting",
        "settings",
        None,
        "key",
    ),
    Case(
        "setting-currency-unknown",
        with_sheets(settings=BASE["settings"] + [["currency", "XYZ"]]),
        "invalid-setting",
        "settings",
        4,
        "value",
    ),
    Case(
        "sheet-name-typo",
        with_sheets(equipement=BASE["equipment"]),
        "unknown-sheet",
        "equipement",
        None,
        None,
        "warning",
    ),
    Case(
        "factor-id-twice",
        with_sheets(
            factors=[
                ["factor_id", "sheet", "key", "indicator", "value", "unit", "source"],
                ["own-1", "energy", "electricity:FR", "gwp", "0.05", "kgCO2e/kWh", "EDF 2024"],
                ["own-1", "energy", "electricity:DE", "gwp", "0.30", "kgCO2e/kWh", "RWE 2024"],
            ]
        ),
        "duplicate-key",
        "factors",
        3,
        "factor_id",
    ),
    # CSV files
    Case(
        "csv-windows-1252",
        csv_file(
            "sites", "site_id,name,country,kind\nPAR-DC,Défense,FR,datacenter\n".encode("cp1252")
        ),
        "encoding-guessed",
        "sites",
        None,
        None,
        "warning",
    ),
    Case(
        "csv-semicolons",
        csv_file("energy", b"site_id;carrier;quantity;unit\nPAR-DC;electricity;1000,5;kWh\n"),
        "delimiter-guessed",
        "energy",
        None,
        None,
        "warning",
    ),
    Case(
        "csv-ragged-row",
        csv_file(
            "energy",
            b"site_id,carrier,quantity,unit\n"
            b"PAR-DC,electricity,1000,kWh\nPAR-DC,electricity,1,000,kWh\n",
        ),
        "file-unreadable",
        "energy",
        3,
        None,
    ),
    Case(
        "csv-cell-too-long",
        cell("services", 2, "description", "x" * 40_000),
        "cell-too-long",
        "services",
        2,
        "description",
    ),
    # workbooks
    Case(
        "formula-without-value",
        workbook(_set("equipment", 2, "power_w", "=150*2")),
        "formula-without-value",
        "equipment",
        2,
        "power_w",
    ),
    Case(
        "formula-cached-value",
        _cached(workbook(_set("equipment", 2, "power_w", "=150*2"))),
        "formula-value-used",
        "equipment",
        2,
        "power_w",
        "warning",
    ),
    Case("macro-workbook", workbook(name="inventory.xlsm"), "file-refused", None, None, None),
    Case(
        "vba-inside-xlsx",
        rezip(lambda n, d: d, extra={"xl/vbaProject.bin": b"\x00" * 64}),
        "file-refused",
        None,
        None,
        None,
    ),
    Case(
        "encrypted-workbook",
        raw_file("inventory.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000),
        "file-unreadable",
        None,
        None,
        None,
    ),
    Case(
        "csv-named-xlsx",
        raw_file("inventory.xlsx", b"asset_id,category\nSRV-1,server\n"),
        "file-unreadable",
        None,
        None,
        None,
    ),
    Case(
        "truncated-zip",
        lambda folder: _truncate(workbook()(folder)),
        "file-unreadable",
        None,
        None,
        None,
    ),
    Case(
        "zip-without-workbook",
        rezip(lambda n, d: None if n == "xl/workbook.xml" else d),
        "file-unreadable",
        None,
        None,
        None,
    ),
    Case(
        "zip-bomb-ratio",
        rezip(lambda n, d: d, extra={"xl/media/pad.bin": b"\0" * (64 << 20)}),
        "file-refused",
        None,
        None,
        None,
    ),
    Case(
        "zip-bomb-entries",
        rezip(lambda n, d: d, extra=_bomb_entries()),
        "file-refused",
        None,
        None,
        None,
    ),
    Case("forged-zip-sizes", _forged_sizes, "file-refused", None, None, None),
    Case("xml-entities", rezip(_entities), "file-refused", None, None, None),
    Case(
        "hidden-row",
        workbook(edit=lambda b: setattr(b["equipment"].row_dimensions[2], "hidden", True)),
        "hidden-content",
        "equipment",
        2,
        None,
        "warning",
    ),
    Case(
        "hidden-sheet",
        workbook(edit=lambda b: setattr(b["refrigerants"], "sheet_state", "hidden")),
        "hidden-content",
        "refrigerants",
        None,
        None,
        "warning",
    ),
    Case(
        "merged-header",
        workbook(edit=_merged_header),
        "merged-header",
        "equipment",
        2,
        None,
        "warning",
    ),
    Case(
        "value-without-header",
        workbook(edit=lambda b: b["equipment"].cell(2, 10, "note")),
        "unknown-column",
        "equipment",
        2,
        "column J",
        "warning",
    ),
    Case(
        "blank-first-column",
        workbook(
            _set("equipment", 2, "quantity", "two"), edit=lambda b: b["equipment"].insert_cols(1)
        ),
        "invalid-number",
        "equipment",
        2,
        "quantity",
    ),
    Case(
        "too-wide-sheet",
        workbook(edit=lambda b: b["equipment"].cell(1, 600, "notes")),
        "row-too-long",
        "equipment",
        1,
        None,
        "warning",
    ),
    Case(
        "sheet-twice",
        workbook(edit=lambda b: b.copy_worksheet(b["sites"]).__setattr__("title", "Sites ")),
        "duplicate-sheet",
        "sites",
        None,
        None,
    ),
    Case(
        "hidden-column",
        workbook(edit=lambda b: setattr(b["equipment"].column_dimensions["H"], "hidden", True)),
        "hidden-content",
        "equipment",
        None,
        "power_w",
        "warning",
    ),
    Case(
        "csv-tabs",
        csv_file("energy", b"site_id\tcarrier\tquantity\tunit\nPAR-DC\telectricity\t1000\tkWh\n"),
        "delimiter-guessed",
        "energy",
        None,
        None,
        "warning",
    ),
    Case(
        "decimal-comma-text",
        cell("energy", 2, "quantity", "1000,5"),
        "value-normalized",
        "energy",
        2,
        "quantity",
        "warning",
    ),
]


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad_inventories")
    for case in CASES:
        print(case.build(out / case.name))
