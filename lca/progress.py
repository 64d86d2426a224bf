"""A progress bar for long imports: on standard error when it is a terminal, else nothing.

``progress(total, label)`` is a context manager yielding an object with ``update(n)``. The bar
is tqdm's; it is shown only when stderr is a TTY and ``total`` is at least ``MIN_ROWS``, so
pipelines, logs, CI and tests get no control characters.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from tqdm import tqdm

#: Below this many rows a bar would only flicker.
MIN_ROWS = 20_000


def _is_terminal() -> bool:
    return hasattr(sys.stderr, "isatty") and sys.stderr.isatty()


@contextmanager
def progress(total: int | None, label: str):
    """A tqdm bar counting rows, disabled when stderr is not a terminal or the job is short."""
    show = _is_terminal() and (total or 0) >= MIN_ROWS
    bar = tqdm(total=total, desc=label, unit=" rows", unit_scale=True, file=sys.stderr,
               disable=not show, leave=False, dynamic_ncols=True)
    try:
        yield bar
    finally:
        bar.close()
