"""Reading an options workbook: every bad input ends in a precise issue."""

from __future__ import annotations

from lca.compare.options import read_options
from lca.issues import Severity
from tests.helpers import COMPARE_OPTIONS, COMPARE_SITES, compare_settings, write_inventory

SETTINGS = compare_settings(2, per_year=100, unit="user-year")
OPTIONS, SITES = COMPARE_OPTIONS, COMPARE_SITES


def where(issue):
    return (issue.code, issue.source.sheet, issue.source.row, issue.source.column)


def test_rows_are_split_by_option_and_blank_means_every_option(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path,
        settings=SETTINGS,
        options=OPTIONS,
        sites=SITES,
        equipment="""\
        asset_id,category,quantity,acquired_on,site_id,option
        L1,laptop,10,2025-01-01,OFF,a
        L2,laptop,20,2025-01-01,OFF,b
        L3,laptop,5,2025-01-01,OFF,
        """,
    )
    book = read_options(folder, fixture_library)
    assert book.ok and not book.issues
    assert list(book.options["option"]) == ["a", "b"]
    assert list(book.inventories["a"].sheet("equipment")["asset_id"]) == ["L1", "L3"]
    assert list(book.inventories["b"].sheet("equipment")["_row"]) == [3, 4]
    assert len(book.inventories["b"].sheet("sites")) == 1
    engine = book.inventories["a"].settings
    assert (engine.period_start.isoformat(), engine.period_end.isoformat()) == (
        "2025-01-01",
        "2026-12-31",
    )


def test_unknown_option_is_a_precise_issue_and_the_row_is_left_out(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path,
        settings=SETTINGS,
        options=OPTIONS,
        sites=SITES,
        equipment="""\
        asset_id,category,quantity,acquired_on,site_id,option
        L1,laptop,10,2025-01-01,OFF,a
        L2,laptop,20,2025-01-01,OFF,c
        """,
    )
    book = read_options(folder, fixture_library)
    [issue] = book.issues
    assert where(issue) == ("unknown-reference", "equipment", 3, "option")
    assert issue.value == "c" and issue.severity is Severity.ERROR
    assert list(book.inventories["b"].sheet("equipment")["asset_id"]) == []


def test_inventory_issues_are_the_inventory_s_own_and_shared_rows_report_once(
    tmp_path, fixture_library
):
    folder = write_inventory(
        tmp_path,
        settings=SETTINGS,
        options=OPTIONS,
        sites=SITES,
        equipment="""\
        asset_id,category,quantity,acquired_on,site_id,option
        L1,laptop,10,2025-13-01,OFF,
        L2,laptop,-2,2025-01-01,OFF,b
        L3,laptop,1,2027-06-01,NOPE,a
        """,
    )
    book = read_options(folder, fixture_library)
    assert sorted(where(i) for i in book.issues) == [
        ("date-outside-period", "equipment", 4, "acquired_on"),
        ("invalid-date", "equipment", 2, "acquired_on"),
        ("negative-value", "equipment", 3, "quantity"),
        ("unknown-reference", "equipment", 4, "site_id"),
    ]


def test_settings_issues(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path,
        settings="""\
        key,value
        horizon_years,0
        start_date,2025-01-01
        functional_unit_per_year,0
        low_carbon_country,Atlantis
        period_start,2025-01-01
        """,
        options=OPTIONS,
        sites=SITES,
    )
    book = read_options(folder, fixture_library)
    assert book.settings is None and not book.inventories
    assert sorted((*where(i), i.severity.value) for i in book.issues) == [
        ("invalid-setting", "settings", 2, "value", "error"),
        ("invalid-setting", "settings", 4, "value", "error"),
        ("missing-setting", "settings", None, "key", "error"),
        ("unknown-country", "settings", 5, "value", "error"),
        ("unknown-setting", "settings", 6, "key", "warning"),
    ]
    assert "functional_unit" in next(i.message for i in book.issues if i.code == "missing-setting")


def test_horizon_is_at_most_fifty_years(tmp_path, fixture_library):
    folder = write_inventory(tmp_path, settings=compare_settings(51), options=OPTIONS, sites=SITES)
    book = read_options(folder, fixture_library)
    assert book.settings is None
    assert [where(i) for i in book.issues] == [("invalid-setting", "settings", 2, "value")]


def test_options_sheet_is_required_and_names_are_unique(tmp_path, fixture_library):
    folder = write_inventory(tmp_path / "none", settings=SETTINGS, sites=SITES)
    [issue] = read_options(folder, fixture_library).issues
    assert (issue.code, issue.source.sheet) == ("missing-sheet", "options")
    folder = write_inventory(
        tmp_path / "dup",
        settings=SETTINGS,
        sites=SITES,
        options="""\
        option,description
        a,first
        a,second
        """,
    )
    book = read_options(folder, fixture_library)
    assert [where(i) for i in book.issues] == [("duplicate-key", "options", 3, "option")]
    assert list(book.options["option"]) == ["a"]


def test_an_inventory_without_option_column_reads_as_before(tmp_path, fixture_library):
    from lca.pipeline import run

    folder = write_inventory(
        tmp_path,
        sites="""\
        site_id,country,kind,option
        OFF,FR,office,a
        """,
    )
    result = run(folder, fixture_library)
    assert [where(i) for i in result.issues] == [("unknown-column", "sites", 1, "option")]


def test_an_xlsx_options_workbook_reads_like_the_csv_folder(tmp_path, fixture_library):
    import openpyxl

    book = openpyxl.Workbook()
    sheets = {
        "settings": [
            ("key", "value"),
            ("horizon_years", 2),
            ("start_date", "2025-01-01"),
            ("functional_unit", "user-year"),
            ("functional_unit_per_year", 100),
        ],
        "options": [("option", "description"), ("a", "option a"), ("b", "option b")],
        "sites": [("site_id", "country", "kind", "option"), ("OFF", "FR", "office", None)],
        "equipment": [
            ("asset_id", "category", "quantity", "acquired_on", "site_id", "option"),
            ("L1", "laptop", 10, "2025-01-01", "OFF", "a"),
            ("L2", "laptop", 20, "2025-01-01", "OFF", "z"),
        ],
    }
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "options.xlsx"
    book.save(path)
    read = read_options(path, fixture_library)
    assert [where(i) for i in read.issues] == [("unknown-reference", "equipment", 3, "option")]
    assert list(read.inventories["a"].sheet("equipment")["asset_id"]) == ["L1"]


def test_electricity_at_a_site_with_devices_is_flagged(tmp_path, fixture_library):
    folder = write_inventory(
        tmp_path,
        settings=SETTINGS,
        options=OPTIONS,
        sites=SITES,
        equipment="""\
        asset_id,category,quantity,acquired_on,site_id,option
        L1,laptop,10,2025-01-01,OFF,a
        """,
        energy="""\
        site_id,carrier,quantity,unit,option
        OFF,electricity,1000,kWh,
        """,
    )
    book = read_options(folder, fixture_library)
    [issue] = book.issues
    assert where(issue) == ("double-counting-risk", "energy", 2, "site_id")
    assert issue.severity is Severity.WARNING
