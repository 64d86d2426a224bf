"""Reading an inventory given as an ``.xlsx`` workbook (openpyxl, read-only, cached values).

Formulas are never evaluated: the value a spreadsheet program cached is read. openpyxl parses
the XML through defusedxml when it is installed, which ``lca`` requires.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl

from lca.errors import InputFileError
from lca.issues import Issue
from lca.read import RawInventory, RawSheet, make_sheet, normalize_header, sha256_of, \
    sheet_name_issue
from lca.spec import SHEETS, Sheet


def read_workbook(path: Path, spec: dict[str, Sheet] = SHEETS) -> RawInventory:
    """Read every sheet of the workbook at ``path``."""
    issues: list[Issue] = []
    shown = path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, XML errors … for bad files
        raise InputFileError(f"{shown}: cannot be read as an xlsx workbook ({exc})") from exc
    sheets: dict[str, RawSheet] = {}
    try:
        for worksheet in book.worksheets:
            name = normalize_header(worksheet.title)
            if name not in spec:
                issues.append(sheet_name_issue(worksheet.title, shown, spec))
                continue
            sheets[name] = _read_worksheet(worksheet, name, shown, issues, spec)
    finally:
        book.close()
    return RawInventory(path=path, sheets=sheets,
                        inputs=[{"path": shown, "sha256": sha256_of(path)}], issues=issues)


def _read_worksheet(worksheet, name: str, shown: str, issues: list[Issue],
                    spec: dict[str, Sheet]) -> RawSheet:
    rows = worksheet.iter_rows(values_only=True)
    headers = list(next(rows, []))
    while headers and headers[-1] in (None, ""):
        headers.pop()
    data = [list(r[: len(headers)]) for r in rows]
    return make_sheet(name, shown, headers, data, first_row=2, issues=issues, sheets=spec)
