"""``xlsx_cells.workbook`` and ``deterministic_zip`` give the bytes of openpyxl's save rewritten
by zipfile with fixed dates (the way the workbook was written before ``zip_parallel``)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile

import pytest
from openpyxl import Workbook

from lca.report.xlsx_cells import cell, deterministic_zip, workbook

STAMP = dt.datetime(2025, 12, 31)


def rewritten(data: bytes, modified: dt.datetime) -> bytes:
    """Each entry of ``data`` rewritten by zipfile: dated 1980-01-01, 0600, deflated, and the
    document's modification date set to ``modified``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb'(<dcterms:modified xsi:type="dcterms:W3CDTF">)[^<]*<',
                    rb"\g<1>" + f"{modified:%Y-%m-%dT%H:%M:%SZ}<".encode(),
                    content,
                )
            fixed.file_size = len(content)
            with target.open(fixed, "w") as dest:
                shutil.copyfileobj(io.BytesIO(content), dest, 1 << 12)
    return out.getvalue()


def fill(wb) -> None:
    """Sheets written one after another, each with a frozen header, widths and a filter."""
    wb.properties.created = STAMP
    for number in range(3):
        ws = wb.create_sheet(f"Sheet {number}")
        ws.column_dimensions["A"].width = 20
        ws.freeze_panes = "A2"
        ws.append([cell(ws, "label"), cell(ws, "value")])
        for row in range(2_000 * number):
            ws.append([cell(ws, f"row <{row}>"), cell(ws, row / 7, number_format="0.000")])
        ws.auto_filter.ref = f"A1:B{1 + max(1, 2_000 * number)}"


def test_the_workbook_is_openpyxls_save_with_fixed_dates(tmp_path):
    path = tmp_path / "book.xlsx"
    with workbook(path, STAMP) as wb:
        fill(wb)
    reference = Workbook(write_only=True)
    fill(reference)
    saved = io.BytesIO()
    reference.save(saved)
    expected = rewritten(saved.getvalue(), STAMP)
    assert path.read_bytes() == expected
    assert deterministic_zip(saved.getvalue(), STAMP) == expected
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_a_workbook_that_fails_leaves_nothing(tmp_path):
    path = tmp_path / "book.xlsx"
    with pytest.raises(KeyError), workbook(path, STAMP) as wb:
        fill(wb)
        raise KeyError("a sheet failed")
    assert not list(tmp_path.iterdir())
