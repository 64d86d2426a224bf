"""Command-line interface: ``lca <command>``. One module per command; no logic beyond calling
the library and printing. Exit codes: 0 clean, 1 errors in the input, 2 usage problems."""

import click

from lca import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lca")
def main() -> None:
    """lca: lifecycle assessment and GHG reporting for the footprint of IT and AI."""


def _register() -> None:
    from lca.cli import compare_cmd, factors_cmd, import_cmd, report_cmd, template_cmd, validate_cmd

    for module in (validate_cmd, report_cmd, factors_cmd, compare_cmd, import_cmd, template_cmd):
        main.add_command(module.command)


_register()
