"""``validate --annotate``: the copy opens in openpyxl with the faulty cells marked."""

from __future__ import annotations

from bad_inventories import base, write_csv_folder, write_workbook
from click.testing import CliRunner
from openpyxl import load_workbook

from lca.cli import main
from lca.pipeline import run
from lca.spreadsheet.annotate import AUTHOR, annotate


def test_csv_inventory_annotated_cells_comments_and_links(tmp_path, fixture_library):
    sheets = base()
    sheets["equipment"][1][3] = "two"  # quantity, D2
    sheets["sites"][1][1] = "Francia"  # country, B2
    folder = write_csv_folder(tmp_path / "inv", sheets)
    result = run(folder, library=fixture_library)
    done = annotate(folder, result.issues, tmp_path / "checked.xlsx")
    book = load_workbook(done.path)
    assert book.sheetnames[0] == "Issues"
    quantity = book["equipment"]["D2"]
    assert quantity.value == "two"
    assert quantity.fill.fgColor.rgb == "00FFC7CE"
    assert "invalid-number" in quantity.comment.text and quantity.comment.author == AUTHOR
    assert "unknown-country" in book["sites"]["B2"].comment.text
    assert book["equipment"]["C2"].comment is None
    issues = book["Issues"]
    links = {row[1].value: row[6] for row in issues.iter_rows(min_row=2)}
    assert links["invalid-number"].hyperlink.location == "'equipment'!D2"
    assert links["unknown-country"].hyperlink.location == "'sites'!B2"
    assert done.issues_listed == len(result.issues) == issues.max_row - 1


def test_workbook_annotated_keeps_formulas_and_is_read_again_without_noise(
    tmp_path, fixture_library
):
    sheets = base()
    sheets["equipment"][1][7] = "=150*2"  # power_w, H2: a formula never calculated
    sheets["equipment"][1][1] = "sever"  # category, B2
    path = write_workbook(tmp_path / "inv.xlsx", sheets)
    result = run(path, library=fixture_library)
    annotate(path, result.issues, tmp_path / "checked.xlsx")
    book = load_workbook(tmp_path / "checked.xlsx")
    assert book["equipment"]["H2"].value == "=150*2"
    assert "formula-without-value" in book["equipment"]["H2"].comment.text
    assert "did you mean 'server'" in book["equipment"]["B2"].comment.text
    again = run(tmp_path / "checked.xlsx", library=fixture_library)
    assert "unknown-sheet" not in {i.code for i in again.issues}


def test_reannotating_clears_old_marks(tmp_path, fixture_library):
    sheets = base()
    sheets["equipment"][1][3] = "two"
    path = write_workbook(tmp_path / "inv.xlsx", sheets)
    annotate(path, run(path, library=fixture_library).issues, tmp_path / "checked.xlsx")
    book = load_workbook(tmp_path / "checked.xlsx")
    book["equipment"]["D2"] = 2  # the user fixes the cell in place
    book.save(tmp_path / "fixed.xlsx")
    result = run(tmp_path / "fixed.xlsx", library=fixture_library)
    assert result.issues == []
    done = annotate(tmp_path / "fixed.xlsx", result.issues, tmp_path / "checked2.xlsx")
    book = load_workbook(done.path)
    assert book["equipment"]["D2"].comment is None and done.cells_marked == 0
    assert book["equipment"]["D2"].fill.fill_type is None
    assert book["Issues"].max_row == 1


def test_refused_file_gives_an_issues_only_copy(tmp_path, fixture_library, monkeypatch):
    monkeypatch.setattr("lca.pipeline.load_library", lambda: fixture_library)
    path = write_workbook(tmp_path / "inv.xlsm", base())
    outcome = CliRunner().invoke(
        main, ["validate", str(path), "--annotate", str(tmp_path / "checked.xlsx")]
    )
    assert outcome.exit_code == 1
    assert "file-refused" in outcome.output and "annotated copy" in outcome.output
    book = load_workbook(tmp_path / "checked.xlsx")
    assert book.sheetnames == ["Issues"]
    assert book["Issues"]["B2"].value == "file-refused"


def test_cells_found_when_the_sheet_starts_in_column_b(tmp_path, fixture_library):
    sheets = base()
    sheets["equipment"][1][3] = "two"
    path = write_workbook(tmp_path / "inv.xlsx", sheets)
    book = load_workbook(path)
    book["equipment"].insert_cols(1)  # quantity moves from D to E
    book.save(path)
    result = run(path, library=fixture_library)
    annotate(path, result.issues, tmp_path / "checked.xlsx")
    marked = load_workbook(tmp_path / "checked.xlsx")["equipment"]
    assert "invalid-number" in marked["E2"].comment.text and marked["D2"].comment is None
