"""Command-line interface: ``lca <command>``. One module per command; no logic beyond calling
the library and printing. Exit codes: 0 clean, 1 errors in the input, 2 usage problems.

A command's module is imported when that command runs (or when help lists it), not at start:
``lca validate`` does not pay for the imports of ``import`` or ``compare``."""

import importlib

import click

from lca import __version__

#: Command name → the module under ``lca.cli`` whose ``command`` it is.
COMMANDS = {
    "validate": "validate_cmd",
    "report": "report_cmd",
    "factors": "factors_cmd",
    "compare": "compare_cmd",
    "import": "import_cmd",
    "template": "template_cmd",
}


class _LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module = importlib.import_module(f"lca.cli.{COMMANDS[cmd_name]}")
            self.add_command(module.command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lca")
def main() -> None:
    """lca: lifecycle assessment and GHG reporting for the footprint of IT and AI."""
