"""Stage 1 — read: an inventory (xlsx workbook or folder of CSV files) → raw sheets.

Each sheet becomes a DataFrame of the cells as found (numbers stay numbers, text stays text),
with the spreadsheet row number of every row in the column ``_row`` (header = row 1). Nothing
is interpreted here: types, units and references are the validator's job. Problems with the
files themselves (unknown sheets, duplicate headers, unreadable files) are issues.
"""

from __future__ import annotations

from pathlib import Path

from lca.errors import InputFileError
from lca.read.csv_folder import read_csv_folder
from lca.read.sheets import RawInventory, RawSheet, sha256_of
from lca.spec import ROW, SHEETS, Sheet

__all__ = ["ROW", "RawInventory", "RawSheet", "read_inventory", "sha256_of"]


def read_inventory(path: str | Path, sheets: dict[str, Sheet] = SHEETS) -> RawInventory:
    """Read an inventory from an ``.xlsx`` workbook or a folder of ``<sheet>.csv`` files.

    ``sheets`` is the format read (the inventory's by default; ``lca.compare.spec`` extends it).
    Raises ``InputFileError`` only when the path cannot be read at all.
    """
    path = Path(path)
    if not path.exists():  # also a dangling symbolic link or a loop of them
        raise InputFileError(f"{path}: no such file or folder")
    if path.is_dir():
        return read_csv_folder(path, sheets)
    if not path.is_file():
        raise InputFileError(f"{path}: not a regular file (a pipe, socket or device)")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".xltx", ".xltm", ".xlam", ".xlsb"):
        # imported here: it checks at import that openpyxl parses through defusedxml, and
        # openpyxl takes ~0.1 s to import, which a folder of CSV files does not need
        from lca.read.xlsx_workbook import read_workbook

        return read_workbook(path, sheets)
    raise InputFileError(f"{path}: an inventory is an .xlsx workbook or a folder of CSV files")
