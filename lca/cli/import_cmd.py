"""``lca import SOURCE FILE --out DIR``: turn a tracker log, a provider's carbon export or a
billing export into inventory sheets (CSV, with source file and row on every row)."""

from pathlib import Path

import click

from lca.importers import SOURCES, ImportOptions, registry, write_sheets
from lca.methods import METHODS

#: Sources whose FILE may also be a directory, a glob or an s3://, gs://, az:// URL.
BILLING = ("aws-cur", "gcp-billing", "azure-cost")


@click.command("import")
@click.argument("source", type=click.Choice(SOURCES))
@click.argument("file", type=click.Path())
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    required=True,
    help="Folder to write the inventory sheets (compute_jobs.csv, cloud.csv, "
    "genai_usage.csv) into.",
)
@click.option(
    "--location",
    help="Location of tracked jobs when the file has none (country, or provider:region).",
)
@click.option(
    "--runs-on", "runs_on", help="runs_on of tracked jobs not on cloud (cloud or asset:<asset_id>)."
)
@click.option(
    "--year",
    type=int,
    help="Reporting year: provider rows of other years are left "
    "out; factors of that year estimate unknown usage.",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="default",
    show_default=True,
    help="ccf: classify billing rows with Cloud Carbon Footprint's quirks "
    "(Fargate GB-hours as SSD storage, Azure pack sizes ignored).",
)
@click.option(
    "--engine",
    type=click.Choice(["arrow", "dask"]),
    default="arrow",
    show_default=True,
    help="Billing exports: arrow streams the partitions in this process; dask reads one "
    "partition per task on a Dask cluster (same output; pip install 'lca[dask]').",
)
@click.option(
    "--scheduler",
    help="With --engine dask: the address of a running Dask scheduler (tcp://host:8786); "
    "without it a local cluster of two worker processes is started.",
)
def command(
    source: str, file: str, out_dir: str, location, runs_on, year, method, engine, scheduler
) -> None:
    """Import FILE (of kind SOURCE) as inventory rows. For billing exports FILE may also be a
    directory of partitions (CSV, gzip CSV, Parquet), a quoted glob, or an s3://, gs://, az://
    URL of either (pip install 'lca[s3]', 'lca[gcs]' or 'lca[azure]')."""
    from lca.errors import InputFileError
    from lca.output_folder import stops_unwind, write_atomically

    options = ImportOptions(
        location=location,
        runs_on=runs_on,
        year=year,
        method=method,
        engine=engine,
        scheduler=scheduler,
    )
    if scheduler and engine != "dask":
        click.echo(f"note: --scheduler {scheduler} is ignored: it is for --engine dask", err=True)
    url = "://" in file  # a billing export in object storage, read through fsspec
    if url and source not in BILLING:
        click.echo(f"error: {file}: URLs are read for billing exports only ({BILLING})", err=True)
        raise SystemExit(2)
    try:
        imported = registry()[source](file if url else Path(file), options)  # type: ignore[arg-type]
    except InputFileError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from exc
    except Exception as exc:  # a malformed file: wrong column types, broken records …
        click.echo(
            f"error: {file} cannot be imported as {source} ({type(exc).__name__}: "
            f"{exc}); nothing was written",
            err=True,
        )
        raise SystemExit(2) from exc
    try:
        with stops_unwind():  # a stop request removes the staging folder
            written = write_atomically(Path(out_dir), lambda into: write_sheets(imported, into))
    except OSError as exc:
        from lca.cli.common import exit_cannot_write  # (it imports the issue records)

        exit_cannot_write(f"into {out_dir}", exc)
    for note in imported.notes:
        click.echo(note)
    click.echo("wrote " + (", ".join(str(p) for p in written) or "nothing"))
