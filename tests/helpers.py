"""Inline inventories for tests: each test shows its input next to its assertions."""

from __future__ import annotations

import textwrap
from pathlib import Path

SETTINGS_2024 = """\
key,value
organization,Test Org
reporting_year,2024
"""


def write_inventory(folder: Path, **sheets: str) -> Path:
    """Write ``<sheet>.csv`` files from dedented CSV text; settings default to year 2024."""
    folder.mkdir(parents=True, exist_ok=True)
    sheets.setdefault("settings", SETTINGS_2024)
    for name, text in sheets.items():
        (folder / f"{name}.csv").write_text(textwrap.dedent(text).strip() + "\n",
                                            encoding="utf-8")
    return folder


def codes(result) -> list[str]:
    """The issue codes of a run, in order."""
    return [i.code for i in result.issues]


def line(result, line_id: str):
    """The ledger line with ``line_id`` (a pandas row)."""
    rows = result.ledger[result.ledger["line_id"] == line_id]
    assert len(rows) == 1, f"{line_id}: {len(rows)} lines; have {list(result.ledger['line_id'])}"
    return rows.iloc[0]


def compare_settings(years: int, *, capital_goods: str = "amortized", per_year: float = 1,
                     unit: str = "server-year") -> str:
    """The settings sheet of an options workbook (``lca compare``) starting 2025-01-01."""
    return (f"key,value\nhorizon_years,{years}\nstart_date,2025-01-01\nfunctional_unit,{unit}\n"
            f"functional_unit_per_year,{per_year}\ncapital_goods,{capital_goods}\n")


#: Two options, a and b, and one office in France shared by both (``lca compare`` tests).
COMPARE_OPTIONS = "option,description\na,option a\nb,option b\n"
COMPARE_SITES = "site_id,country,kind,option\nOFF,FR,office,\n"
