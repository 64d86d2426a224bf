"""The workbook's In-* sheets: each cell as the user typed it, and what lca read beside it."""

from __future__ import annotations

import pandas as pd

from lca.report.xlsx_sheets import as_typed, same_reading


def test_same_reading_tells_a_spelling_from_a_normalisation():
    assert same_reading("240000", 240000.0)  # plain digits in a CSV cell
    assert same_reading(1400, 1400.0)
    assert same_reading("2025-01-31", pd.Timestamp("2025-01-31"))
    assert same_reading(2025.0, "2025")  # a number cell in a text column
    assert not same_reading("182,5", 182.5)  # decimal comma
    assert not same_reading(45658, pd.Timestamp("2025-01-01"))  # Excel serial date
    assert not same_reading("FRA", "FR")
    assert not same_reading("Electricity", "electricity")
    assert not same_reading(" EDF", "EDF")
    assert not same_reading(None, "none")  # a default filled in
    assert same_reading(None, float("nan"))


def test_as_typed_keeps_the_typed_cell_and_adds_what_was_read():
    typed = pd.DataFrame(
        {
            "site_id": ["PAR-HQ", "FRA-DC"],
            "quantity": [182.5, 240000.0],
            "unit": ["MWh", "kWh"],
            "_row": [2, 4],
            "_file": ["energy.csv", "energy.csv"],
        }
    )
    raw = pd.DataFrame(
        {"site_id": ["FRA-DC", "PAR-HQ"], "quantity": ["240000", "182,5"], "unit": ["kWh", "MWh"]}
        | {"_row": [4, 2]}
    )
    shown = as_typed(typed, raw)
    assert list(shown.columns) == [
        "site_id",
        "quantity",
        "quantity (read as)",
        "unit",
        "_row",
        "_file",
    ]
    assert shown["quantity"].tolist() == ["182,5", "240000"]
    assert shown["quantity (read as)"].tolist() == [182.5, 240000.0]
    assert as_typed(typed, None) is typed


def test_a_lower_case_currency_is_a_normalisation_and_shown_as_typed(tmp_path):
    import shutil
    from pathlib import Path

    from lca.pipeline import run
    from lca.report.xlsx import input_frames

    inventory = shutil.copytree(Path(__file__).parents[1] / "examples" / "acme", tmp_path / "a")
    services = inventory / "services.csv"
    lines = services.read_text().splitlines()
    assert lines[1].endswith(",84000,EUR,2025,,1")  # Atlassian, row 2
    lines[1] = lines[1].replace(",EUR,", ",eur,")
    services.write_text("\n".join(lines) + "\n")
    result = run(inventory)
    found = [
        (i.source.row, i.source.column)
        for i in result.issues
        if i.code == "value-normalized" and i.source.sheet == "services"
    ]
    assert found == [(2, "currency")]
    shown = input_frames(result)["In-services"].set_index("_row")
    assert shown.loc[2, "currency"] == "eur" and shown.loc[2, "currency (read as)"] == "EUR"
    assert shown.loc[3, "currency"] == "EUR" == shown.loc[3, "currency (read as)"]
    # the ledger used the value read
    line = result.ledger.set_index("line_id").loc["services:2:operation"]
    assert (line["currency"], line["spend"]) == ("EUR", 84000)


def test_the_example_in_sheets_show_the_cells_as_typed(tmp_path):
    from pathlib import Path

    from openpyxl import load_workbook

    from lca.pipeline import run
    from lca.report.model import build
    from lca.report.xlsx import write_xlsx

    result = run(Path(__file__).parents[1] / "examples" / "acme")
    book = load_workbook(write_xlsx(result, build(result), tmp_path), read_only=True)
    rows = list(book["In-sites"].values)
    header = rows[0]
    frankfurt = next(r for r in rows[1:] if r[0] == 4)  # sites.csv row 4: country "FRA"
    assert frankfurt[header.index("country")] == "FRA"
    assert frankfurt[header.index("country (read as)")] == "FR"
    energy = list(book["In-energy"].values)
    diesel = next(r for r in energy[1:] if r[0] == 7)  # energy.csv row 7: 1400 L of diesel
    assert diesel[energy[0].index("quantity")] == 1400  # typed as a number: no read-as column
    assert "quantity (read as)" not in energy[0]
    assert diesel[energy[0].index("unit")] == "L"  # as typed; the ledger's spelling beside it
    assert diesel[energy[0].index("unit (read as)")] == "liter"
    normalised = [
        (i.source.row, i.source.column)
        for i in result.issues
        if i.code == "value-normalized" and i.source.sheet == "sites"
    ]
    assert normalised == [(4, "country")]


def test_as_typed_decides_each_distinct_pair_of_values_and_types():
    """Equal values of other types are other pairs: ``1`` read as ``True`` is a
    normalisation even where ``1`` read as ``1.0`` came first; a cell that cannot be hashed
    is decided on its own."""
    raw = pd.DataFrame({"a": [1, 1], "b": [["x"], ["x"]], "_row": [2, 3]})
    typed = pd.DataFrame(
        {
            "a": pd.Series([1.0, True], dtype=object),
            "b": ["['x']", "['x']"],
            "_row": [2, 3],
        }
    )
    shown = as_typed(typed, raw)
    assert list(shown.columns) == ["a", "a (read as)", "b", "_row"]
    assert as_typed(typed.iloc[:1], raw).columns.tolist() == ["a", "b", "_row"]
    typed.loc[3, "b"] = "x"
    assert "b (read as)" in as_typed(typed, raw).columns
