"""``lca validate INVENTORY``: every issue at once; exit 0 clean, 1 errors, 2 usage."""

import click

from lca.cli.common import (
    exit_cannot_write,
    exit_code,
    print_issues,
    reconciliation_lines,
    run_or_exit,
)


@click.command("validate")
@click.argument("inventory", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
@click.option(
    "--annotate",
    "annotate_to",
    type=click.Path(dir_okay=False),
    help="Write a copy of the workbook with faulty cells highlighted and commented, "
    "plus an Issues sheet linking to them.",
)
def command(inventory: str, as_json: bool, annotate_to: str | None) -> None:
    """Check an inventory (xlsx workbook or CSV folder) and list every issue."""
    result = run_or_exit(inventory, draws=False)  # issues only: no Monte Carlo
    print_issues(result.issues, as_json)
    if not as_json:
        errors = sum(1 for i in result.issues if i.severity.value == "error")
        click.echo(f"{len(result.issues)} issue(s), {errors} error(s)")
        for line in reconciliation_lines(result.reconciliation):
            click.echo(line)
    if annotate_to is not None:
        from lca.spreadsheet.annotate import annotate

        try:
            done = annotate(inventory, result.issues, annotate_to)
        except OSError as exc:
            exit_cannot_write(annotate_to, exc)
        click.echo(
            f"annotated copy: {done.path} ({done.cells_marked} cell(s) marked, "
            f"{done.issues_listed} issue(s) listed)",
            err=as_json,
        )
    raise SystemExit(exit_code(result.issues))
