"""Helpers shared by the CLI commands: running the pipeline, printing issues."""

from __future__ import annotations

import json
import sys
from typing import NoReturn

import click

from lca.errors import InputFileError
from lca.issues import Issue, Severity


def run_or_exit(
    path: str,
    method: str = "default",
    priors: tuple[str, ...] = (),
    prior_reported: tuple[str, ...] = (),
    draws: bool = True,
):
    """Run the pipeline (``draws``: see ``lca.pipeline.run``); an unreadable path ends the
    command with a clear message."""
    from lca.pipeline import run

    try:
        return run(path, method=method, priors=priors, prior_reported=prior_reported, draws=draws)
    except InputFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2 if "no such file" in str(exc) else 1)


def exit_cannot_write(what: str, exc: BaseException) -> NoReturn:
    """End a command whose outputs could not be written, nothing written (``what``: the
    file or folder, as the user gave it), with exit code 1."""
    cause = str(exc) or type(exc).__name__  # MemoryError has no text
    click.echo(f"error: cannot write {what} ({cause}); nothing was written", err=True)
    raise SystemExit(1) from None


def print_issues(issues: list[Issue], as_json: bool) -> None:
    """Issues as ``file:sheet:row [column]: severity: message (code)`` lines, or JSON."""
    if as_json:
        click.echo(json.dumps([i.to_json() for i in issues], indent=1, ensure_ascii=False))
        return
    for issue in issues:
        click.echo(str(issue))


def exit_code(issues: list[Issue]) -> int:
    """0 when no error-severity issue, else 1."""
    return 1 if any(i.severity is Severity.ERROR for i in issues) else 0


def reconciliation_lines(reconciliation: dict) -> list[str]:
    """One line per sheet: rows read = accounted + rejected."""
    out = []
    for sheet, counts in reconciliation.get("by_sheet", {}).items():
        out.append(
            f"  {sheet:<14} read {counts['rows_read']:>8}  accounted "
            f"{counts['rows_accounted']:>8}  rejected {counts['rows_rejected']:>6}"
        )
    for unread in reconciliation.get("files_not_read", []):
        rows = "?" if unread["rows"] is None else unread["rows"]
        out.append(f"  not read: {unread['file']} ({rows} row(s); {unread['code']})")
    return out
