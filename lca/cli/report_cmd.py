"""``lca report INVENTORY --out DIR``: results.json, ledger and reports, plus a summary."""

from pathlib import Path

import click

from lca.cli.common import exit_cannot_write, exit_code, reconciliation_lines, run_or_exit
from lca.methods import METHODS


def summary_lines(totals: dict) -> list[str]:
    """A short table of the headline figures, in tCO2e."""
    rows = [
        ("Scope 1", totals["scope1_kgco2e"]),
        ("Scope 2 (location-based)", totals["scope2_location_kgco2e"]),
        ("Scope 2 (market-based)", totals["scope2_market_kgco2e"]),
        ("Scope 3", totals["scope3_kgco2e"]),
    ]
    rows += [(f"  category {k}", v) for k, v in totals["scope3_by_category_kgco2e"].items()]
    rows += [
        ("Total (location-based)", totals["total_location_kgco2e"]),
        ("Total (market-based)", totals["total_market_kgco2e"]),
    ]
    out = [f"{name:<28} {value / 1000:>14,.2f} tCO2e" for name, value in rows]
    out += [
        f"{'Energy':<28} {totals['energy_kwh'] / 1000:>14,.2f} MWh",
        f"{'Water':<28} {totals['water_m3']:>14,.2f} m³",
        f"{'ADPe':<28} {totals['adpe_kgsbeq']:>14,.5f} kg Sb eq",
    ]
    return out


@click.command("report")
@click.argument("inventory", type=click.Path())
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    required=True,
    help="Folder to write results.json, the ledger and the reports into.",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="default",
    show_default=True,
    help="Estimation method of cloud, compute-job and genai_usage rows: lca's "
    "default, or a reproduction of Cloud Carbon Footprint (ccf), Green "
    "Algorithms or EcoLogits.",
)
@click.option(
    "--prior",
    "priors",
    type=click.Path(),
    multiple=True,
    help="Inventory of an earlier reporting year (repeatable): recomputed with the "
    "current engine and factors, shown as comparative.",
)
@click.option(
    "--prior-reported",
    "prior_reported",
    type=click.Path(),
    multiple=True,
    help="results.json first published for a prior year (repeatable): compared with "
    "the recomputed figures.",
)
def command(
    inventory: str,
    out_dir: str,
    method: str,
    priors: tuple[str, ...],
    prior_reported: tuple[str, ...],
) -> None:
    """Compute the footprint of an inventory and write its results and reports."""
    from lca.output_folder import stops_unwind
    from lca.report.render import early_pdf, render_all
    from lca.report.render_apart import RendererFailed
    from lca.report.xlsx_cells import WorkbookLimitError

    # a stop request unwinds: the staging folder is removed, the renderers' processes stopped
    with stops_unwind(), early_pdf() as pdf:  # its modules load while the pipeline runs
        result = run_or_exit(inventory, method, priors, prior_reported)
        if result.settings is None:
            for issue in result.issues:
                click.echo(str(issue), err=True)
            raise SystemExit(1)
        try:
            written, claim_issues = render_all(result, Path(out_dir), pdf)
        except (OSError, WorkbookLimitError, RendererFailed, MemoryError) as exc:
            exit_cannot_write(f"the outputs into {out_dir}", exc)
    if not written:
        for issue in claim_issues:
            click.echo(str(issue), err=True)
        click.echo("nothing written: the report would carry a claim that is refused", err=True)
        raise SystemExit(1)
    for line in summary_lines(result.totals):
        click.echo(line)
    for line in reconciliation_lines(result.reconciliation):
        click.echo(line)
    issues = result.issues + claim_issues
    errors = [i for i in issues if i.severity.value == "error"]
    click.echo(f"{len(issues)} issue(s), {len(errors)} error(s)")
    for path in written:
        click.echo(f"wrote {path}")
    raise SystemExit(exit_code(issues))
