"""``lca validate INVENTORY``: every issue at once; exit 0 clean, 1 errors, 2 usage."""

import click

from lca.cli.common import exit_code, print_issues, reconciliation_lines, run_or_exit


@click.command("validate")
@click.argument("inventory", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
def command(inventory: str, as_json: bool) -> None:
    """Check an inventory (xlsx workbook or CSV folder) and list every issue."""
    result = run_or_exit(inventory)
    print_issues(result.issues, as_json)
    if not as_json:
        errors = sum(1 for i in result.issues if i.severity.value == "error")
        click.echo(f"{len(result.issues)} issue(s), {errors} error(s)")
        for line in reconciliation_lines(result.reconciliation):
            click.echo(line)
    raise SystemExit(exit_code(result.issues))
