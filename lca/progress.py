"""A progress bar for long imports: on standard error when it is a terminal, else nothing.

``progress(total, label)`` is a context manager yielding a tqdm bar (``update(n)``,
``set_postfix_str``). It is shown only when stderr is a TTY and the job is long (``total`` at
least ``MIN_ROWS``, or as the caller says), so pipelines, logs, CI and tests get no control
characters.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from tqdm import tqdm

# tqdm starts a monitor thread with its first bar, even a disabled one: a thread alive when
# the report forks its renderers (lca.report.render_apart), for nothing
tqdm.monitor_interval = 0

#: Below this many rows a bar would only flicker.
MIN_ROWS = 20_000
#: Inputs (CSV files, or a workbook's inflated parts) at least this large show a bar.
LARGE_INPUT_BYTES = 8 << 20


def _is_terminal() -> bool:
    return hasattr(sys.stderr, "isatty") and sys.stderr.isatty()


@contextmanager
def progress(total: int | None, label: str, unit: str = " rows", show: bool | None = None):
    """A tqdm bar, disabled when stderr is not a terminal or the job is short.

    ``show`` says whether the job is long enough; by default, when ``total`` is at least
    ``MIN_ROWS``.
    """
    long_enough = (total or 0) >= MIN_ROWS if show is None else show
    bar = tqdm(
        total=total,
        desc=label,
        unit=unit,
        unit_scale=unit == " rows",
        file=sys.stderr,
        disable=not (_is_terminal() and long_enough),
        leave=False,
        dynamic_ncols=True,
    )
    try:
        yield bar
    finally:
        bar.close()
