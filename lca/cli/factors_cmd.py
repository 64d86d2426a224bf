"""``lca factors list|show|coverage|licences``: browse the factor library; ``--json`` for scripts.

Exit codes: 0 ok, 2 usage (unknown factor id, unknown table).
"""

from __future__ import annotations

import json
from typing import Any

import click
import pandas as pd

from lca.factors.coverage import library_coverage
from lca.factors.library import load_library

LIST_COLUMNS = ["factor_id", "value", "unit", "year", "source", "licence"]


def _echo_json(payload: object) -> None:
    click.echo(json.dumps(payload, indent=1, ensure_ascii=False, default=str))


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))


@click.group("factors")
def command() -> None:
    """Browse the factor library: list, show, coverage of an inventory, licences."""


@command.command("list")
@click.option("--table", "--sheet", "table", help="Only this table (electricity, fuels …).")
@click.option("--search", help="Case-insensitive text in the id, key or notes.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON records.")
def list_factors(table: str | None, search: str | None, as_json: bool) -> None:
    """List factors (id, value, unit, year, source, licence)."""
    library = load_library()
    frame = library.factors
    if table:
        known = set(frame["table"]) | set(library.tables)
        if table not in known:
            raise click.UsageError(f"unknown table {table!r}; have {sorted(known)}")
        if table in library.tables:
            rows = library.table(table)
            _echo_json(_records(rows)) if as_json else click.echo(rows.to_string(index=False))
            return
        frame = frame[frame["table"] == table]
    if search:
        text = frame["factor_id"] + " " + frame["key"] + " " + frame["notes"].fillna("")
        frame = frame[text.str.contains(search, case=False, regex=False)]
    if as_json:
        _echo_json(_records(frame[LIST_COLUMNS]))
        return
    for row in frame[LIST_COLUMNS].itertuples(index=False):
        click.echo(f"{row.factor_id}\t{row.value:g} {row.unit}\t{row.year}\t{row.source}")
    click.echo(f"{len(frame)} factor(s)")


@command.command("show")
@click.argument("factor_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(factor_id: str, as_json: bool) -> None:
    """Everything about one factor, with the addresses of its sources."""
    library = load_library()
    match = library.factors[library.factors["factor_id"] == factor_id]
    if match.empty:
        raise click.UsageError(f"no factor {factor_id!r} (try `lca factors list --search`)")
    record = _records(match.drop(columns=["file"]))[0]
    record["file"] = match["file"].iloc[0]
    sources = library.manifest["sources"]
    record["sources"] = {
        sid: {k: sources[sid][k] for k in ("title", "publisher", "url", "licence", "year")}
        for sid in record["source"].split(";")
        if sid in sources
    }
    if as_json:
        _echo_json(record)
        return
    for name in (
        "factor_id",
        "value",
        "unit",
        "year",
        "region",
        "stage",
        "licence",
        "file",
        "notes",
    ):
        if record.get(name) not in (None, ""):
            click.echo(f"{name}: {record[name]}")
    for sid, meta in record["sources"].items():
        click.echo(
            f"source {sid}: {meta['title']} — {meta['publisher']} ({meta['year']}), "
            f"{meta['url']}, licence {meta['licence']}"
        )


@command.command("licences")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def licences(as_json: bool) -> None:
    """The licence of every file of the library."""
    entries = load_library().licences()
    if as_json:
        _echo_json(entries)
        return
    for entry in entries:
        click.echo(f"{entry['path']}\t{entry['licence']}\t{','.join(entry['sources'])}")


@command.command("coverage")
@click.argument("inventory", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def coverage(inventory: str, as_json: bool) -> None:
    """Which inventory rows fall back to defaults or lack a factor, and what the library
    covers (grid factors by basis with their calibration, cloud and GPU types)."""
    from lca.cli.common import run_or_exit

    result = run_or_exit(inventory)
    ledger = result.ledger
    fallback = ledger[ledger["fallback"].fillna(False).astype(bool)]
    factor_columns = [c for c in ledger.columns if c.startswith("factor_")]
    fallback = fallback.assign(
        factor_ids=[
            ";".join(str(i) for i in ids if isinstance(i, str) and i)
            for ids in fallback[factor_columns].itertuples(index=False)
        ]
    )
    missing = [i for i in result.issues if i.code == "unknown-factor-key"]
    report: dict[str, Any] = {
        "rows": len(ledger),
        "fallback": _records(fallback[["sheet", "row", "method", "factor_ids"]]),
        "missing": [
            {"sheet": i.source.sheet, "row": i.source.row, "value": i.value, "message": i.message}
            for i in missing
        ],
        "library": library_coverage(load_library()),
    }
    if as_json:
        _echo_json(report)
        return
    click.echo(
        f"{report['rows']} ledger line(s); {len(report['fallback'])} on a default factor;"
        f" {len(missing)} without a factor"
    )
    grid = report["library"]["grid"]
    click.echo(
        f"library: {grid['countries_with_published_direct_factor']} countries with a "
        f"published direct grid factor, {grid['countries_modelled_only']} modelled; "
        f"model within ±{grid['calibration_target']:.0%} of "
        f"{grid['calibration_within_target']}/{grid['calibration_points']} published "
        "figures (factors/README.md, Calibration)"
    )
    for row in report["fallback"]:
        click.echo(f"fallback\t{row['sheet']}:{row['row']}\t{row['method']}\t{row['factor_ids']}")
    for row in report["missing"]:
        click.echo(f"missing\t{row['sheet']}:{row['row']}\t{row['message']}")
