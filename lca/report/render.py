"""Render stage: write the outputs of a run into a folder.

results.json is written first, block by block, and hashed as it is written: the report model
carries its SHA-256 (printed on the PDF's statement page and the workbook's README). ``RENDERERS``
lists the other writers in order; each takes ``(result, model, out_dir)`` and returns the path
it wrote: the ledger CSV, the PDF report and the Excel workpaper (both named
``<organization-slug>-<year>``). The claims guard runs first: a claim of neutrality or
compensation in the inventory, or in any text of the report, means nothing is written.

Outputs are all or nothing (``lca.output_folder.write_atomically``): every renderer writes
into a staging folder inside ``out_dir``, and only when all succeeded are the files moved in.
A failure leaves ``out_dir`` as it was.
"""

from __future__ import annotations

import copy
from contextlib import ExitStack
from pathlib import Path

from lca.aggregate.result import RunResult
from lca.issues import Issue, Severity, SourceRef, has_errors
from lca.output_folder import write_atomically
from lca.report import claims, figures, render_apart
from lca.report import model as report_model
from lca.report.results import write_ledger_csv, write_results_hashed
from lca.report.xlsx import write_xlsx


def _ledger(result: RunResult, model: dict, out_dir: Path) -> Path:
    return write_ledger_csv(result, out_dir)


#: The PDF's writer, which needs the report model only: ``early_pdf`` starts it, and its
#: charts are drawn ahead (``PDF_AHEAD``), while results.json is written and hashed, where the
#: PDF is the longest renderer (``draws_ahead``).
PDF = "lca.report.pdf:write_drawn"
PDF_AHEAD = "lca.report.pdf:draw"


def _pdf(result: RunResult, model: dict, out_dir: Path) -> Path:
    from lca.report.pdf import write_pdf  # WeasyPrint and matplotlib: only when printing here

    return write_pdf(model, out_dir)


RENDERERS = (_ledger, _pdf, write_xlsx)
#: Ledger lines from which the workbook is written in a forked process rather than a thread:
#: there its thread's contention with the others costs more than the pages the fork copies
#: (1.5 M lines: 15 s saved for 0.2 GB; 99,131 lines: 1.1 s for 0.16 GB, which broke the
#: 50,000-row report's 1 GB).
WORKBOOK_FORK_LINES = 500_000
#: Niceness added to the workbook's writer where it is a thread (below ``WORKBOOK_FORK_LINES``)
#: and the PDF has a process of its own (``early_pdf``): there the PDF is the longest renderer,
#: and the workbook's threads (its rows' writer and deflate inherit it) leave it the cores
#: (50,000 rows: the renderers 7.8 → 6.9 s, the same bytes). A forked workbook, the longest
#: from there, keeps its priority, as does a workbook beside a PDF printed in this process
#: (a niced thread holding the GIL would hold up the others).
WORKBOOK_THREAD_NICE = 10


def draws_ahead(pdf: render_apart.Early | None, result: RunResult) -> bool:
    """Whether the model goes to the PDF's process before results.json, to draw the charts
    meanwhile: where the PDF is printed early beside a workbook in a thread (below
    ``WORKBOOK_FORK_LINES``), the PDF is the longest renderer (50,000 rows: −0.3 s). From
    there the workbook is: the charts drawn earlier gain nothing and take a core from
    results.json's writers (1,000,000 cloud rows: no gain measured, and a cost within the
    runs' spread), so results.json comes first, as before, and the charts are drawn when the
    renderers start."""
    return pdf is not None and _pdf in RENDERERS[:-1] and len(result.ledger) < WORKBOOK_FORK_LINES


def early_pdf() -> render_apart.Early:
    """The PDF's writer in a process forked now, before the pipeline: it imports WeasyPrint
    and matplotlib while the pipeline runs, then waits for the model (sent before
    results.json by ``render_all`` where ``draws_ahead``, else by ``render_each``) and draws
    its charts."""
    return render_apart.Early(PDF, ahead=PDF_AHEAD)


def render_each(
    result: RunResult, model: dict, out_dir: Path, pdf: render_apart.Early | None = None
) -> list[Path]:
    """Run every renderer of ``RENDERERS``; the paths in that order. The last (the workbook,
    whose time grows with the ledger: at 1.5 M lines ~37 s) runs apart (``render_apart``: a
    forked process from ``WORKBOOK_FORK_LINES`` lines, a thread below) while the others write
    here, the PDF in ``pdf`` when given (``early_pdf``: the model sent ahead now if it was
    not before results.json, then its results.json's SHA-256): each writes its own file from
    the same finished ``result`` and ``model``, so the bytes do not depend on the timing
    (1,000,000 cloud rows, session 10: the renderers 78.9 → 65.6 s, the report 97.6 →
    79.4 s)."""
    *others, last = RENDERERS
    with ExitStack() as stack:
        # the workbook's fork first: sending the model can wait for the PDF's imports to end
        fork = len(result.ledger) >= WORKBOOK_FORK_LINES
        early = pdf if _pdf in others else None
        nice = WORKBOOK_THREAD_NICE if early is not None and early.forked and not fork else 0
        waits = {
            last: stack.enter_context(
                render_apart.apart(last, result, model, out_dir, fork=fork, nice=nice)
            )
        }
        if early is not None:
            if not early.sent_ahead:
                early.send_ahead(model)
            waits[_pdf] = stack.enter_context(
                early.run(report_model.results_sha256(model), out_dir)
            )
        written = {r: r(result, model, out_dir) for r in others if r not in waits}
        return [written[r] if r in written else waits[r]() for r in RENDERERS]


def model_texts(value, where: str = "report"):
    """Every string of the report model, with its path in the model."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from model_texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from model_texts(item, f"{where}[{index}]")


def engine_claims(model: dict) -> list[Issue]:
    """Claims in the report's own text (a bug of the engine's wording if ever non-empty)."""
    return [
        Issue(
            code="claim-refused",
            severity=Severity.ERROR,
            value=span,
            message=f"{span!r} reads as a claim of neutrality or compensation in the "
            f"report text at {where}",
            source=SourceRef(file="report", column=where),
        )
        for where, span in claims.blocked(model_texts(model))
    ]


def render_all(
    result: RunResult, out_dir: Path, pdf: render_apart.Early | None = None
) -> tuple[list[Path], list[Issue]]:
    """Guard, then run every renderer. Returns the paths written and the issues this stage
    found: claims in the inventory's text and possible cloud/compute-job overlaps.

    The report is rendered from a copy of ``result`` whose issues include them (so it discloses
    them); ``result`` itself is left as it is. When a claim is refused nothing is written.
    ``pdf``: the PDF's writer started early (``early_pdf``).
    """
    found = claims.check_inventory(result.inventory, result.issues)
    if has_errors(found):
        return [], found
    found += figures.overlap_issues(result.inventory)
    reviewed = copy.copy(result)  # shallow: the ledger and its cached line ids are shared
    reviewed.issues = result.issues + found
    refused: list[Issue] = []

    def checked(model: dict) -> dict:
        refused.extend(engine_claims(model))
        if refused:
            raise _Refused
        return model

    def write(staging: Path) -> list[Path]:
        # results.json (never held whole) is hashed as it is written: the reports print its
        # SHA-256. Where the PDF's charts are drawn meanwhile, the model is built before it.
        if draws_ahead(pdf, reviewed):
            assert pdf is not None
            model = checked(report_model.build(reviewed, report_model.HASH_LATER))
            pdf.send_ahead(model)
            results, results_sha256 = write_results_hashed(reviewed, staging)
            model = report_model.with_results_sha256(model, results_sha256)
        else:
            results, results_sha256 = write_results_hashed(reviewed, staging)
            model = checked(report_model.build(reviewed, results_sha256))
        return [results, *render_each(reviewed, model, staging, pdf)]

    try:
        return write_atomically(Path(out_dir), write), found
    except _Refused:
        return [], found + refused


class _Refused(Exception):
    """The report's own text holds a claim: nothing is written (``write_atomically``)."""
