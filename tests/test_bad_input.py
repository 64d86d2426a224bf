"""Bad input ends in a precise issue (code, sheet, row, column), never a traceback."""

import pytest
from helpers import write_inventory

from lca.pipeline import run

SITES = "site_id,name,country,kind\nPAR,Paris,FR,office\n"


def _issue(result, code):
    found = [i for i in result.issues if i.code == code]
    assert found, f"no {code}; got {[str(i) for i in result.issues]}"
    return found[0]


@pytest.mark.parametrize(
    "sheets, code, sheet, row, column",
    [
        (
            {"equipment": "asset_id,quantity,acquired_on,site_id\nA,1,2024-01-01,PAR\n"},
            "missing-column",
            "equipment",
            1,
            "category",
        ),
        (
            {"energy": "site_id,carrier,quantity,unit\nPAR,electricity,10,L\n"},
            "unit-dimension",
            "energy",
            2,
            "unit",
        ),
        (
            {"energy": "site_id,carrier,quantity,unit\nPAR,electricity,10,kwhh\n"},
            "unknown-unit",
            "energy",
            2,
            "unit",
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A,sever,1,2024-01-01,PAR\n"
            },
            "invalid-choice",
            "equipment",
            2,
            "category",
        ),
        (
            {"energy": "site_id,carrier,quantity,unit\nPAR,electricity,-5,kWh\n"},
            "negative-value",
            "energy",
            2,
            "quantity",
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A,server,1,2025-02-01,PAR\n"
            },
            "date-outside-period",
            "equipment",
            2,
            "acquired_on",
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A,server,1,2024-01-01,PAR\nA,laptop,1,2024-01-01,PAR\n"
            },
            "duplicate-key",
            "equipment",
            3,
            "asset_id",
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A,server,1,2024-01-01,PRS\n"
            },
            "unknown-reference",
            "equipment",
            2,
            "site_id",
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A,server,1.5,2024-01-01,PAR\n"
            },
            "not-an-integer",
            "equipment",
            2,
            "quantity",
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A,server,1,31/02/2024,PAR\n"
            },
            "invalid-date",
            "equipment",
            2,
            "acquired_on",
        ),
        (
            {"energy": "site_id,carrier,quantity,unit\nPAR,electricity,ten,kWh\n"},
            "invalid-number",
            "energy",
            2,
            "quantity",
        ),
        (
            {"sites": "site_id,name,country,kind\nPAR,Paris,Frence,office\n"},
            "unknown-country",
            "sites",
            2,
            "country",
        ),
        (
            {"refrigerants": "site_id,gas,leaked_kg\nPAR,R-999X,1\n"},
            "unknown-factor-key",
            "refrigerants",
            2,
            "gas",
        ),
        (
            {"services": "supplier,category,spend,currency\nX,sass,100,EUR\n"},
            "unknown-factor-key",
            "services",
            2,
            "category",
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id,retired_on\n"
                "A,server,1,2024-05-01,PAR,2024-01-01\n"
            },
            "date-order",
            "equipment",
            2,
            "retired_on",
        ),
        (
            {
                "equipment": "asset_id,category,quantity,acquired_on,site_id\n"
                "A,server,1,2024-01-01,PAR\n",
                "cloud_bills": "a\n1\n",
            },
            "unknown-sheet",
            "cloud_bills",
            None,
            None,
        ),
    ],
)
def test_precise_issue(tmp_path, fixture_library, sheets, code, sheet, row, column):
    sheets.setdefault("sites", SITES)
    result = run(write_inventory(tmp_path, **sheets), library=fixture_library)
    issue = _issue(result, code)
    assert (issue.source.sheet, issue.source.row, issue.source.column) == (sheet, row, column)
    assert issue.source.file.endswith(".csv")


def test_did_you_mean_for_near_miss_names(tmp_path, fixture_library):
    result = run(
        write_inventory(
            tmp_path,
            sites=SITES,
            equipment="""\
        asset_id,category,quantity,acquired_on,site_id,lifetime_yeras
        A,sever,1,2024-01-01,PAR,4""",
        ),
        library=fixture_library,
    )
    assert "did you mean 'server'" in _issue(result, "invalid-choice").message
    assert "did you mean 'lifetime_years'" in _issue(result, "unknown-column").message


def test_missing_settings_and_period(tmp_path, fixture_library):
    result = run(
        write_inventory(tmp_path, settings="key,value\norganisation,X\n"), library=fixture_library
    )
    assert {i.code for i in result.issues} >= {"unknown-setting", "missing-setting"}
    assert "did you mean 'organization'" in _issue(result, "unknown-setting").message
    assert result.settings is None and len(result.ledger) == 0


def test_every_rejected_row_has_an_error_issue(tmp_path, fixture_library):
    result = run(
        write_inventory(
            tmp_path,
            sites=SITES,
            energy="""\
        site_id,carrier,quantity,unit
        PAR,electricity,10,kWh
        PAR,electricity,-1,kWh
        XXX,electricity,1,kWh
        PAR,coal,1,kg""",
        ),
        library=fixture_library,
    )
    counts = result.reconciliation["by_sheet"]["energy"]
    assert counts == {"rows_read": 4, "rows_accounted": 1, "rows_rejected": 3}
    rows_with_errors = {
        i.source.row
        for i in result.issues
        if i.severity.value == "error" and i.source.sheet == "energy"
    }
    assert rows_with_errors == {3, 4, 5}
