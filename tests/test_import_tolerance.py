"""Real-world spreadsheets: lenient reading, each with a warning saying what was done."""

from __future__ import annotations

import datetime as dt
import io

from bad_inventories import base, write_workbook

from lca import progress as progress_module
from lca.pipeline import run
from lca.progress import MIN_ROWS, progress


def codes_at(result) -> dict:
    return {(i.code, i.source.sheet, i.source.column): i for i in result.issues}


def test_messy_cells_are_read_with_warnings(tmp_path, fixture_library):
    sheets = base()
    sheets["equipment"][1] = [
        " SRV-1 ",
        "Server",
        "Dell PowerEdge R740",
        "2",
        44_000,
        "4",
        "PAR-DC",
        "1.234,5",
    ]
    sheets["sites"][1] = ["PAR-DC", "France", "DataCenter"]
    sheets["energy"][1] = ["PAR-DC", "electricity", "1", "MWh"]
    path = write_workbook(tmp_path / "inv.xlsx", sheets)
    result = run(path, library=fixture_library)
    found = codes_at(result)
    assert not any(i.severity.value == "error" for i in result.issues), result.issues
    assert (
        "read as dates from Excel serial"
        in found[("value-normalized", "equipment", "acquired_on")].message
    )
    assert ("value-normalized", "equipment", "category") in found
    assert ("value-normalized", "equipment", "power_w") in found
    assert "country names" in found[("value-normalized", "sites", "country")].message
    equipment = result.inventory.sheet("equipment")
    assert equipment["asset_id"].tolist() == ["SRV-1"]
    assert equipment["acquired_on"].iloc[0] == dt.datetime(1899, 12, 30) + dt.timedelta(44_000)
    assert equipment["power_w"].iloc[0] == 1234.5
    assert result.inventory.sheet("sites")["country"].tolist() == ["FR"]
    ledger = result.ledger
    assert ledger.loc[ledger["sheet"] == "energy", "energy_kwh"].sum() == 1 * 1000  # 1 MWh


def test_blank_trailing_rows_are_not_rows(tmp_path, fixture_library):
    sheets = base()
    sheets["energy"] += [["", "", "", ""], ["  ", None, None, None]]
    path = write_workbook(tmp_path / "inv.xlsx", sheets)
    result = run(path, library=fixture_library)
    counts = result.reconciliation["by_sheet"]["energy"]
    assert (counts["rows_read"], counts["rows_accounted"], counts["rows_rejected"]) == (1, 1, 0)


def test_rejected_rows_reconcile(tmp_path, fixture_library):
    sheets = base()
    sheets["equipment"].append(["SRV-2", "server", "x", "two", "2023-01-01", "4", "PAR-DC", "300"])
    sheets["equipment"].append(["SRV-3", "server", "x", "1", "2023-01-01", "4", "PAR-DC", "=1+1"])
    result = run(write_workbook(tmp_path / "inv.xlsx", sheets), library=fixture_library)
    counts = result.reconciliation["by_sheet"]["equipment"]
    assert (counts["rows_read"], counts["rows_accounted"], counts["rows_rejected"]) == (3, 1, 2)


def test_progress_bar_only_on_a_terminal(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    with progress(MIN_ROWS * 2, "reading") as bar:
        bar.update(MIN_ROWS)
    assert stream.getvalue() == ""
    monkeypatch.setattr(progress_module, "_is_terminal", lambda: True)
    with progress(MIN_ROWS * 2, "reading") as bar:
        bar.update(MIN_ROWS)
    assert "reading" in stream.getvalue()


def test_key_case_and_unit_capitals_are_read_with_warnings(tmp_path, fixture_library):
    sheets = base()
    sheets["equipment"][1][6] = "par-dc"  # site_id in another case
    sheets["energy"][1] = ["Par-Dc", "electricity", "1", "mwh"]
    result = run(write_workbook(tmp_path / "inv.xlsx", sheets), library=fixture_library)
    found = codes_at(result)
    assert not any(i.severity.value == "error" for i in result.issues), result.issues
    assert "ignoring case" in found[("value-normalized", "equipment", "site_id")].message
    assert "'kwh' as 'kWh'" in found[("value-normalized", "energy", "unit")].message
    assert result.inventory.sheet("equipment")["site_id"].tolist() == ["PAR-DC"]
    ledger = result.ledger
    assert ledger.loc[ledger["sheet"] == "energy", "energy_kwh"].sum() == 1 * 1000  # 1 MWh


def test_utf16_and_bom_csv_are_read_without_noise(tmp_path, fixture_library):
    from bad_inventories import BASE, write_csv_folder

    folder = write_csv_folder(tmp_path / "inv", BASE)
    text = "site_id,name,country,kind\nPAR-DC,Défense,FR,datacenter\n"
    (folder / "sites.csv").write_text(text, encoding="utf-16")
    (folder / "energy.csv").write_text(
        "site_id,carrier,quantity,unit\nPAR-DC,electricity,1000,kWh\n", encoding="utf-8-sig"
    )
    result = run(folder, library=fixture_library)
    assert [str(i) for i in result.issues] == []
    assert result.inventory.sheet("sites")["name"].tolist() == ["Défense"]
