"""``lca compare OPTIONS --out DIR``: compare purchasing options over their life."""

from pathlib import Path

import click

from lca.cli.common import exit_cannot_write, exit_code, print_issues


def interval(option: dict) -> str:
    """``  95 %: low – high tCO2e`` of an option's total, when its uncertainty is assessed."""
    found = option.get("uncertainty")
    if not found or not found["assessed"]:
        return ""
    figure = found["totals"]["kgco2e"]
    return f"  95 %: {figure['p2_5'] / 1000:,.2f} – {figure['p97_5'] / 1000:,.2f} tCO2e"


def summary_lines(result) -> list[str]:
    """Per option: total tCO2e, per functional unit and the total's 95 % interval; then the
    ranking, the share of draws in which it holds, and break-evens."""
    unit = result.settings.functional_unit
    out = [
        f"{o['option']:<24} {o['totals']['kgco2e'] / 1000:>12,.2f} tCO2e  "
        f"{o['per_functional_unit']['kgco2e']:>12,.3f} kgCO2e per {unit}" + interval(o)
        for o in result.options
    ]
    out.append("ranking (kgCO2e): " + " < ".join(result.ranking))
    if result.uncertainty:
        from lca.compare.uncertainty import percent

        block = result.uncertainty
        out.append(
            f"ranking holds in {percent(block['ranking_probability'])} of "
            f"{block['iterations']:,} Monte Carlo draws (seed {block['seed']})"
        )
    for pair in result.break_even:
        when = f"year {pair['year']}" if pair["year"] else "none"
        out.append(
            f"break-even {pair['a']} vs {pair['b']}: {when} "
            f"(below at the end: {pair['lower'] or 'equal'})"
        )
    flips = [case["label"] for case in result.sensitivity if case["ranking_changed"]]
    out.append("ranking flips under: " + (", ".join(flips) if flips else "no sensitivity case"))
    return out


@click.command("compare")
@click.argument("options", type=click.Path())
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    required=True,
    help="Folder to write compare.json, compare.pdf and compare.xlsx into.",
)
@click.option(
    "--factors",
    "factors_dir",
    type=click.Path(file_okay=False, exists=True),
    help="Factor library folder (default: the packaged library).",
)
@click.option("--json", "as_json", is_flag=True, help="Print issues as JSON.")
def command(options: str, out_dir: str, factors_dir: str | None, as_json: bool) -> None:
    """Compare purchasing options (an options workbook) over a horizon of years."""
    from lca.compare import compare
    from lca.compare.render_json import write_compare_json
    from lca.compare.render_pdf import write_compare_pdf
    from lca.compare.render_xlsx import write_compare_xlsx
    from lca.errors import InputFileError
    from lca.factors.library import load_library
    from lca.output_folder import stops_unwind, write_atomically

    try:
        result = compare(options, load_library(factors_dir))
    except InputFileError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2 if "no such file" in str(exc) else 1) from exc
    print_issues(result.issues, as_json)
    if result.workbook.settings is None or not result.options:
        click.echo("no comparison: the options workbook has errors (see above)", err=True)
        raise SystemExit(1)
    writers = (write_compare_json, write_compare_pdf, write_compare_xlsx)
    try:
        with stops_unwind():  # a stop request removes the staging folder
            written = write_atomically(
                Path(out_dir), lambda into: [write(result, into) for write in writers]
            )
    except OSError as exc:
        exit_cannot_write(f"into {out_dir}", exc)
    for line in summary_lines(result):
        click.echo(line)
    click.echo("wrote " + ", ".join(str(p) for p in written))
    raise SystemExit(exit_code(result.issues))
