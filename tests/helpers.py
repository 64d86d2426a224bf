"""Inline inventories for tests: each test shows its input next to its assertions."""

from __future__ import annotations

import csv
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

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
        (folder / f"{name}.csv").write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return folder


def codes(result) -> list[str]:
    """The issue codes of a run, in order."""
    return [i.code for i in result.issues]


def line(result, line_id: str):
    """The ledger line with ``line_id`` (a pandas row)."""
    rows = result.ledger[result.ledger["line_id"] == line_id]
    assert len(rows) == 1, f"{line_id}: {len(rows)} lines; have {list(result.ledger['line_id'])}"
    return rows.iloc[0]


#: A small inventory touching every report section (fixture library factors; hand-checkable).
REPORT_SHEETS = dict(
    settings="""\
    key,value
    organization,Acme Labs
    reporting_year,2024
    net_revenue,12000000
    """,
    sites="""\
    site_id,name,country,kind
    PAR-HQ,Paris HQ,FR,office
    FRA-DC,Frankfurt DC,DE,datacenter
    """,
    equipment="""\
    asset_id,category,model,quantity,acquired_on,lifetime_years,site_id,power_w
    SRV-1,server,Dell PowerEdge R740,4,2023-01-01,4,FRA-DC,300
    LAP-1,laptop,,10,2024-03-01,4,PAR-HQ,
    """,
    energy="""\
    site_id,carrier,quantity,unit,instrument
    PAR-HQ,electricity,120000,kWh,
    FRA-DC,electricity,50,MWh,go
    PAR-HQ,diesel,200,L,
    """,
    refrigerants="""\
    site_id,gas,leaked_kg
    FRA-DC,R-410A,2
    """,
    cloud="""\
    provider,region,service,resource,usage_type,quantity,unit
    aws,eu-west-3,AmazonEC2,m5.xlarge,compute,8760,h
    """,
    services="""\
    supplier,description,category,spend,currency,spend_year
    Atlassian,Jira licences,saas,48000,EUR,2024
    """,
    offsets="""\
    project,standard,vintage,quantity_tco2e,kind
    Forest,VCS,2022,100,reduction
    """,
)


def report_inventory(folder: Path, **changes: str) -> Path:
    """``REPORT_SHEETS`` with some sheets replaced, written as CSV files."""
    return write_inventory(folder, **{**REPORT_SHEETS, **changes})


def compare_settings(
    years: int, *, capital_goods: str = "amortized", per_year: float = 1, unit: str = "server-year"
) -> str:
    """The settings sheet of an options workbook (``lca compare``) starting 2025-01-01."""
    return (
        f"key,value\nhorizon_years,{years}\nstart_date,2025-01-01\nfunctional_unit,{unit}\n"
        f"functional_unit_per_year,{per_year}\ncapital_goods,{capital_goods}\n"
    )


#: Two options, a and b, and one office in France shared by both (``lca compare`` tests).
COMPARE_OPTIONS = "option,description\na,option a\nb,option b\n"
COMPARE_SITES = "site_id,country,kind,option\nOFF,FR,office,\n"


def recalculate(xlsx: Path, out: Path) -> dict[str, list[list[str]]]:
    """Every sheet of a workbook as LibreOffice computes it on load (the files lca writes have
    no cached values), by sheet name; skips the test when LibreOffice is not installed."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {
        p.name[len(xlsx.stem) + 1 : -4]: list(csv.reader(p.open(encoding="utf-8")))
        for p in out.glob("*.csv")
    }


def close(a: float, b: float) -> bool:
    """Equal within 1e-9, relative (the workbook's recalculation against results.json)."""
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300)


def figures_at(document: dict, path: str) -> list:
    """The values of results.json at ``path``: keys joined by ``.``; ``key[]`` goes through
    every element of a list (``comparatives[].difference_kgco2e``)."""
    values: list = [document]
    for part in path.split("."):
        key = part.removesuffix("[]")
        values = [v.get(key) if isinstance(v, dict) else None for v in values]
        if part.endswith("[]"):
            values = [x for v in values for x in (v or [])]
    return values


def carries_figure(value) -> bool:
    """A non-zero number anywhere inside ``value`` (booleans are not figures)."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, dict):
        return any(carries_figure(v) for v in value.values())
    if isinstance(value, list):
        return any(carries_figure(v) for v in value)
    return False


def index_denials(index: dict, document: dict) -> list[str]:
    """Disclosure-index items that say "not disclosed" or "not applicable" while results.json
    holds their figure (the key their data-file entry names in ``results``)."""
    return [
        f"{e['item'] or e['text']}: {e['status']} ({e['why']}), yet results.json "
        f"{e['results']} holds a figure"
        for e in index["iso"] + index["ghg"]
        if e["results"]
        and e["status"] != "disclosed"
        and any(carries_figure(v) for v in figures_at(document, e["results"]))
    ]
