"""``lca template OUT.xlsx [--csv DIR] [--from INVENTORY]``: a workbook ready to fill in."""

from pathlib import Path

import click


@click.command("template")
@click.argument("out", type=click.Path(dir_okay=False), required=False)
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(file_okay=False),
    help="Write the CSV form instead: one file per sheet and a README.md.",
)
@click.option(
    "--from",
    "source",
    type=click.Path(exists=True),
    help="Pre-fill with the rows of an existing inventory (next year's start).",
)
def command(out: str | None, csv_dir: str | None, source: str | None) -> None:
    """Write an inventory template with help, drop-down lists and a README."""
    from lca.cli.common import exit_cannot_write
    from lca.errors import FactorLibraryError, InputFileError
    from lca.factors.library import load_library
    from lca.issues import has_errors
    from lca.output_folder import stops_unwind, write_atomically
    from lca.read import read_inventory
    from lca.spreadsheet.template import build_template, save_workbook, write_csv_template

    if (out is None) == (csv_dir is None):
        raise click.UsageError("give OUT.xlsx or --csv DIR (one of them)")
    raw = None
    if source is not None:
        try:
            raw = read_inventory(source)
        except InputFileError as exc:
            raise click.UsageError(str(exc)) from exc
        if not raw.sheets and has_errors(raw.issues):
            for issue in raw.issues:
                click.echo(str(issue), err=True)
            raise SystemExit(1)
    try:
        library = load_library()
    except FactorLibraryError:  # no library installed: the spec's lists only
        library = None
    if out is not None and not out.lower().endswith(".xlsx"):
        raise click.UsageError("OUT must end in .xlsx")
    try:
        with stops_unwind():  # a stop request removes the staging folder
            if csv_dir is not None:
                written = write_atomically(
                    Path(csv_dir), lambda into: write_csv_template(into, library, raw)
                )
                click.echo(f"wrote {len(written)} files to {csv_dir}")
                return
            assert out is not None  # exactly one of OUT and --csv, checked above
            save_workbook(build_template(library, raw), out)
    except OSError as exc:
        exit_cannot_write(str(csv_dir or out), exc)
    copied = sum(len(s.frame) for s in raw.sheets.values()) if raw else 0
    click.echo(f"wrote {out}" + (f" with {copied} rows from {source}" if raw else ""))
