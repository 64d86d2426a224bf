"""Hostile and careless files: every file of an inventory is read or reported, never followed
out of the folder, never silently dropped (issue 22)."""

import os

import pytest
from helpers import write_inventory

from lca.pipeline import run
from lca.read import read_inventory

SITES = "site_id,name,country,kind\nPAR,Paris,FR,office\n"
EQUIPMENT = "asset_id,category,quantity,acquired_on,site_id\nA,server,1,2024-01-01,PAR\n"


def _issues(result, code):
    found = [i for i in result.issues if i.code == code]
    assert found, f"no {code}; got {[str(i) for i in result.issues]}"
    return found


def _balanced(reconciliation):
    for counts in reconciliation["by_sheet"].values():
        assert counts["rows_read"] == counts["rows_accounted"] + counts["rows_rejected"]


def test_upper_case_extension_and_spaces_are_read(tmp_path, fixture_library):
    folder = write_inventory(tmp_path / "inv", sites=SITES)
    (folder / "Equipment .CSV").write_text(EQUIPMENT + "B,laptop,2,2024-01-01,PAR\n")
    result = run(folder, library=fixture_library)
    assert result.reconciliation["by_sheet"]["equipment"]["rows_read"] == 2
    assert "files_not_read" not in result.reconciliation


def test_two_files_for_one_sheet_the_second_is_reported_with_its_rows(tmp_path, fixture_library):
    folder = write_inventory(tmp_path / "inv", sites=SITES, equipment=EQUIPMENT)
    (folder / "Equipment.csv").write_text(EQUIPMENT + "B,laptop,2,2024-01-01,PAR\n\n")
    result = run(folder, library=fixture_library)
    issue = _issues(result, "duplicate-sheet")[0]
    assert (issue.source.file, issue.source.sheet) == ("Equipment.csv", "equipment")
    assert result.reconciliation["by_sheet"]["equipment"]["rows_read"] == 1
    assert result.reconciliation["files_not_read"] == [
        {"file": "Equipment.csv", "code": "duplicate-sheet", "rows": 2}
    ]
    assert result.reconciliation["rows_not_read"] == 2
    assert not result.ok


def test_other_files_are_reported(tmp_path, fixture_library):
    folder = write_inventory(tmp_path / "inv", sites=SITES)
    (folder / "notes.txt").write_text("hello")
    (folder / "equipment.csv ").write_text(EQUIPMENT)  # trailing space after the extension
    (folder / "cloud_bills.csv").write_text("a\n1\n2\n")
    result = run(folder, library=fixture_library)
    assert _issues(result, "unknown-file")[0].source.file == "notes.txt"
    assert result.reconciliation["by_sheet"]["equipment"]["rows_read"] == 1
    unread = {f["file"]: f for f in result.reconciliation["files_not_read"]}
    assert unread["cloud_bills.csv"] == {
        "file": "cloud_bills.csv",
        "code": "unknown-sheet",
        "rows": 2,
    }


@pytest.mark.parametrize("make", ["symlink", "fifo", "folder", "dangling"])
def test_links_pipes_and_folders_are_refused_unopened(tmp_path, fixture_library, make):
    folder = write_inventory(tmp_path / "inv", sites=SITES, equipment=EQUIPMENT)
    target = folder / "services.csv"
    if make == "symlink":
        secret = tmp_path / "secret.csv"
        secret.write_text("supplier,category,spend,currency\nSECRET-TOKEN,saas,1,EUR\n")
        target.symlink_to(secret)
    elif make == "fifo":
        os.mkfifo(target)  # opening it would block forever
    elif make == "folder":
        target.mkdir()
    else:
        target.symlink_to(tmp_path / "nowhere.csv")
    result = run(folder, library=fixture_library)
    issue = _issues(result, "file-refused")[0]
    assert (issue.source.file, issue.source.sheet) == ("services.csv", "services")
    assert "services" not in result.inventory.sheets
    assert "SECRET-TOKEN" not in str([i.to_json() for i in result.issues])
    assert result.reconciliation["files_not_read"] == [
        {"file": "services.csv", "code": "file-refused", "rows": None}
    ]


def test_fifo_given_as_the_inventory_is_an_input_error(tmp_path):
    from lca.errors import InputFileError

    os.mkfifo(tmp_path / "inventory.xlsx")
    with pytest.raises(InputFileError, match="not a regular file"):
        read_inventory(tmp_path / "inventory.xlsx")


def test_unbalanced_quote_is_reported_on_its_row(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path / "inv",
        sites=SITES,
        equipment=(
            "asset_id,category,quantity,acquired_on,site_id,model\n"
            'A,server,1,2024-01-01,PAR,"Dell R740\n'
            "B,server,1,2024-01-01,PAR,HP\n"
            'C,server,1,2024-01-01,PAR,"Lenovo"\n'
            "D,server,1,2024-01-01,PAR,HP\n"
        ),
    )
    result = run(folder, library=fixture_library)
    issue = _issues(result, "unbalanced-quote")[0]
    assert (issue.source.sheet, issue.source.row, issue.source.column) == ("equipment", 2, "model")
    assert "lines 3–4" in issue.message
    counts = result.reconciliation["by_sheet"]["equipment"]
    assert (counts["rows_read"], counts["rows_rejected"]) == (2, 1)
    assert result.inventory.sheets["equipment"]["_row"].tolist() == [5]


def test_multi_line_cell_keeps_row_numbers_true(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path / "inv",
        sites=SITES,
        equipment=(
            "asset_id,category,quantity,acquired_on,site_id,model\n"
            'A,server,1,2024-01-01,PAR,"two\nlines"\n'
            "\n"
            "B,server,x,2024-01-01,PAR,HP\n"
        ),
    )
    result = run(folder, library=fixture_library)
    assert "unbalanced-quote" not in [i.code for i in result.issues]
    issue = _issues(result, "invalid-number")[0]
    assert issue.source.row == 5


def test_duplicate_headers_after_normalisation(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path / "inv",
        sites=SITES,
        equipment=(
            "asset_id,category,quantity,acquired_on,site_id,Asset ID,_row\n"
            "A,server,1,2024-01-01,PAR,B,99\n"
        ),
    )
    result = run(folder, library=fixture_library)
    issue = _issues(result, "duplicate-column")[0]
    assert (issue.source.sheet, issue.source.column, issue.value) == (
        "equipment",
        "asset_id",
        "Asset ID",
    )
    assert result.inventory.sheets["equipment"]["asset_id"].tolist() == ["A"]
    assert result.inventory.sheets["equipment"]["_row"].tolist() == [2]
    assert any(i.code == "unknown-column" and i.value == "_row" for i in result.issues)


# --- workbooks -------------------------------------------------------------------------------


def _sheet3(transform):
    """A rezip transform applied to the equipment worksheet part only."""
    return lambda name, data: transform(data) if name.endswith("sheet3.xml") else data


def _duplicate_row(data: bytes) -> bytes:
    start = data.index(b'<row r="2"')
    end = data.index(b"</row>", start) + len(b"</row>")
    return data[:end] + data[start:end] + data[end:]


def test_two_rows_with_one_number_are_refused_and_counted(tmp_path, fixture_library):
    from bad_inventories import rezip

    result = run(rezip(_sheet3(_duplicate_row))(tmp_path), library=fixture_library)
    issue = _issues(result, "duplicate-row")[0]
    assert (issue.source.sheet, issue.source.row) == ("equipment", 2)
    counts = result.reconciliation["by_sheet"]["equipment"]
    assert (counts["rows_read"], counts["rows_rejected"]) == (1, 1)
    assert result.reconciliation["files_not_read"] == [
        {"file": "inventory.xlsx", "sheet": "equipment", "code": "duplicate-row", "rows": 1}
    ]


def test_a_far_cell_is_refused_before_the_reader_allocates_the_grid(tmp_path, fixture_library):
    from bad_inventories import rezip

    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    build = rezip(_sheet3(lambda data: data.replace(b"</sheetData>", far)))
    result = run(build(tmp_path), library=fixture_library)
    issue = _issues(result, "file-refused")[0]
    assert issue.source.sheet == "equipment" and "17,179,869,184 cells" in issue.message
    assert "equipment" not in result.inventory.sheets
    assert "sites" in result.inventory.sheets


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="XFD1048000"><v>1</v></c>',  # inside row 2: the reader places it by its own r
        b'<c r="H3000000"><v>1</v></c>',  # a row past the format's last, column H
    ],
)
def test_a_cell_naming_a_far_row_inside_a_near_row_element_is_refused(
    tmp_path, fixture_library, cell
):
    """calamine places a cell by its own reference: a cell in ``<row r="2">`` that names row
    1,048,000 asks for a grid of 1,048,000 rows (column XFD: 17 billion cells, an abort)."""
    from bad_inventories import rezip

    def far(data: bytes) -> bytes:
        end = data.index(b"</row>", data.index(b'<row r="2"'))
        return data[:end] + cell + data[end:]

    result = run(rezip(_sheet3(far))(tmp_path), library=fixture_library)
    issue = _issues(result, "file-refused")[0]
    assert issue.source.sheet == "equipment" and issue.severity.value == "error"
    assert "equipment" not in result.inventory.sheets and "sites" in result.inventory.sheets
    assert {"file": "inventory.xlsx", "sheet": "equipment", "code": "file-refused", "rows": 1} in (
        result.reconciliation["files_not_read"]
    )


def test_a_sub_folder_of_the_inventory_is_reported_not_skipped(tmp_path, fixture_library):
    folder = write_inventory(tmp_path / "inv", sites=SITES, equipment=EQUIPMENT)
    (folder / "2024").mkdir()
    (folder / "2024" / "energy.csv").write_text("site_id,carrier,quantity,unit\nPAR,gas,1,kWh\n")
    result = run(folder, library=fixture_library)
    issue = _issues(result, "unknown-file")[0]
    assert (issue.source.file, issue.severity.value) == ("2024", "warning")
    assert "not read" in issue.message
    assert {"file": "2024", "code": "unknown-file", "rows": None} in (
        result.reconciliation["files_not_read"]
    )
    assert "energy" not in result.inventory.sheets


def test_a_shared_string_count_beyond_the_part_size_is_refused(tmp_path, fixture_library):
    from bad_inventories import rezip

    table = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000">'
        b"<si><t>x</t></si></sst>"
    )
    build = rezip(lambda name, data: data, extra={"xl/sharedStrings.xml": table})
    result = run(build(tmp_path), library=fixture_library)
    issue = _issues(result, "file-refused")[0]
    assert "4,000,000,000 strings" in issue.message and issue.source.sheet is None


def test_an_encrypted_zip_entry_is_refused(tmp_path, fixture_library):
    from bad_inventories import rezip

    path = rezip(lambda name, data: data)(tmp_path)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet2.xml"
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_at : start + name_at + len(name)] == name:
                data[start + flag_at] |= 0x1  # the "encrypted" bit of the entry's flags
            start += 4
    path.write_bytes(bytes(data))
    result = run(path, library=fixture_library)
    assert "encrypted" in _issues(result, "file-refused")[0].message


def test_control_characters_are_reported_and_never_reach_a_workbook(tmp_path):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from lca.cli import main

    folder = write_inventory(
        tmp_path / "inv", sites="site_id,name,country,kind\nPAR,Pa\x00ris\x1b[31m,FR,office\n"
    )
    (folder / "services.csv").symlink_to("/etc/passwd")
    runner = CliRunner()
    outcome = runner.invoke(
        main, ["validate", str(folder), "--annotate", str(tmp_path / "checked.xlsx")]
    )
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
    assert "sites.csv:sites:2 [name]: warning" in outcome.output
    book = load_workbook(tmp_path / "checked.xlsx")
    assert book["sites"]["B2"].value == "Paris[31m"
    assert "services" not in book.sheetnames
    outcome = runner.invoke(main, ["template", str(tmp_path / "t.xlsx"), "--from", str(folder)])
    assert outcome.exit_code == 0, outcome.output
    assert load_workbook(tmp_path / "t.xlsx")["sites"]["B2"].value == "Paris[31m"


def test_control_characters_are_removed_where_read_and_reported(tmp_path, fixture_library):
    services = (
        "supplier,description,category,spend,currency,spend_year\n"
        'X,ok,saas,100,EUR,2024\nY,"bell\x07 and \x1b[31mred",saas,200,EUR,2024\n'
    )
    result = run(write_inventory(tmp_path, sites=SITES, services=services), library=fixture_library)
    [warning] = _issues(result, "control-characters")
    assert (
        warning.source.sheet,
        warning.source.row,
        warning.source.column,
        warning.severity.value,
    ) == ("services", 3, "description", "warning")
    assert "1 cell(s)" in warning.message
    [label] = result.ledger.loc[result.ledger["line_id"] == "services:3:operation", "label"]
    assert "\x07" not in label and "\x1b" not in label and "bell and [31mred" in label


def test_the_workbook_writer_replaces_what_xml_cannot_hold():
    from openpyxl import Workbook

    from lca.report.xlsx_cells import cell

    written = cell(Workbook(write_only=True).create_sheet(), "a\x07b")
    assert (written.value, written.data_type) == ("a\ufffdb", "s")


def test_a_csv_wider_than_the_column_limit_is_cut_like_a_workbook(tmp_path, fixture_library):
    """605 columns (the limit is 512): the columns past it are cut with a warning on the
    header row, as the workbook reader does; the row itself is read."""
    from click.testing import CliRunner

    from lca.cli import main

    header = "supplier,description,category,spend,currency,spend_year" + "," * 599 + "notes"
    row = "X,licences,saas,100,EUR,2024" + "," * 599 + "past the limit"
    folder = write_inventory(tmp_path / "inv", sites=SITES, services=f"{header}\n{row}\n")
    result = run(folder, library=fixture_library)
    [issue] = _issues(result, "row-too-long")
    assert (issue.source.file, issue.source.sheet, issue.source.row, issue.source.column) == (
        "services.csv",
        "services",
        1,
        None,
    )
    assert issue.severity.value == "warning" and "605 columns" in issue.message
    assert "notes" not in result.inventory.sheets["services"].columns
    counts = result.reconciliation["by_sheet"]["services"]
    assert (counts["rows_read"], counts["rows_accounted"], counts["rows_rejected"]) == (1, 1, 0)
    outcome = CliRunner().invoke(main, ["validate", str(folder)])
    assert outcome.exit_code == 0, outcome.output
    assert "services.csv:services:1: warning" in outcome.output
