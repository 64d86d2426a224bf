"""Template → filled by a test → validate clean → the same totals as the CSV form."""

from __future__ import annotations

import csv

from bad_inventories import BASE, typed, write_csv_folder
from click.testing import CliRunner
from openpyxl import load_workbook

from lca.cli import main
from lca.pipeline import run
from lca.read import read_inventory
from lca.spec import SHEETS
from lca.spreadsheet.template import build_template, write_csv_template


def fill(template, out, sheets):
    """Type the rows of ``sheets`` into the template under the matching headers."""
    book = load_workbook(template)
    for name, rows in sheets.items():
        worksheet = book[name]
        worksheet.delete_rows(2, worksheet.max_row)
        columns = {c.value: c.column for c in worksheet[1]}
        for offset, row in enumerate(rows[1:], start=2):
            for header, value in zip(rows[0], row, strict=True):
                worksheet.cell(offset, columns[header], typed(value))
    book.save(out)
    return out


def test_filled_template_validates_clean_and_matches_csv_totals(tmp_path, fixture_library):
    build_template(fixture_library).save(tmp_path / "template.xlsx")
    filled = fill(tmp_path / "template.xlsx", tmp_path / "filled.xlsx", BASE)
    from_xlsx = run(filled, library=fixture_library)
    from_csv = run(write_csv_folder(tmp_path / "csv", BASE), library=fixture_library)
    assert [str(i) for i in from_xlsx.issues] == []
    assert from_xlsx.totals == from_csv.totals
    assert from_xlsx.totals["scope2_location_kgco2e"] == 1000 * 0.02  # 1000 kWh × FR fixture
    counts = from_xlsx.reconciliation["by_sheet"]["equipment"]
    assert (counts["rows_read"], counts["rows_accounted"], counts["rows_rejected"]) == (1, 1, 0)


def test_template_has_help_lists_and_formats(tmp_path, fixture_library):
    build_template(fixture_library).save(tmp_path / "t.xlsx")
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames[:2] == ["README", "lists"]
    assert book["lists"].sheet_state == "hidden"
    assert set(SHEETS) <= set(book.sheetnames)
    equipment = book["equipment"]
    assert [c.value for c in equipment[1]] == list(SHEETS["equipment"].column_names)
    assert equipment.freeze_panes == "A2"
    note = equipment["B1"].comment.text
    assert "Allowed: server, gpu_server" in note and "Example: server" in note
    assert "Unit: W" in equipment["J1"].comment.text  # power_w
    assert equipment.column_dimensions["E"].number_format == "yyyy-mm-dd"  # acquired_on
    rules = {str(r.sqref): r.formula1 for r in equipment.data_validations.dataValidation}
    lists = book["lists"]
    category = rules["B2:B1048576"]
    column = category.split("!$")[1].split("$")[0]
    assert [lists[f"{column}{r}"].value for r in range(2, 15)] == list(
        SHEETS["equipment"].column("category").choices
    )
    assert rules["H2:H1048576"] == "sites!$A$2:$A$5000"  # site_id refers to the sites sheet
    country = book["sites"].data_validations.dataValidation
    country_list = next(r.formula1 for r in country if str(r.sqref) == "C2:C1048576")
    letter = country_list.split("!$")[1].split("$")[0]
    assert [c.value for c in lists[letter][1:] if c.value] == sorted(
        fixture_library.table("countries")["alpha2"]
    )
    cloud = {str(r.sqref): r.formula1 for r in book["cloud"].data_validations.dataValidation}
    assert cloud["B2:B1048576"] == 'INDIRECT("regions_"&$A2)'
    assert book.defined_names["regions_aws"].attr_text.startswith("'lists'!")
    assert [c.value for c in book["settings"]["A"][1:4]] == [
        "organization",
        "period_start",
        "period_end",
    ]


def test_template_from_inventory_carries_rows_and_keeps_text_text(tmp_path, fixture_library):
    sheets = {
        **BASE,
        "services": BASE["services"] + [['=HYPERLINK("http://x")', "saas", "10", "EUR", "2022"]],
    }
    source = write_csv_folder(tmp_path / "last-year", sheets)
    build_template(fixture_library, read_inventory(source)).save(tmp_path / "next.xlsx")
    book = load_workbook(tmp_path / "next.xlsx")
    assert [c.value for c in book["equipment"][2][:4]] == [
        "SRV-1",
        "server",
        "Dell PowerEdge R740",
        2,
    ]
    formula_like = book["services"]["A3"]
    assert formula_like.data_type == "s" and formula_like.value.startswith("=HYPERLINK")
    again = run(tmp_path / "next.xlsx", library=fixture_library)
    assert again.totals == run(source, library=fixture_library).totals


def test_csv_template_has_every_sheet_header_and_readme(tmp_path, fixture_library):
    written = write_csv_template(tmp_path / "csv", fixture_library)
    assert len(written) == len(SHEETS) + 1
    with (tmp_path / "csv" / "cloud.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(SHEETS["cloud"].column_names)
    readme = (tmp_path / "csv" / "README.md").read_text(encoding="utf-8")
    assert "- `provider`: choice; Required; Allowed: aws, gcp, azure" in readme


def test_template_command(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["template", str(tmp_path / "t.xlsx")]).exit_code == 0
    assert load_workbook(tmp_path / "t.xlsx")["equipment"]["A1"].value == "asset_id"
    assert runner.invoke(main, ["template", "--csv", str(tmp_path / "c")]).exit_code == 0
    assert (tmp_path / "c" / "equipment.csv").exists()
    assert runner.invoke(main, ["template"]).exit_code == 2


def test_template_bytes_are_deterministic(tmp_path, fixture_library):
    from lca.spreadsheet.template import save_workbook

    first = save_workbook(build_template(fixture_library), tmp_path / "a.xlsx").read_bytes()
    second = save_workbook(build_template(fixture_library), tmp_path / "b.xlsx").read_bytes()
    assert first == second
