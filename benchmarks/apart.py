"""Run a benchmark's data generation in a process of its own.

A child's peak RSS (``ru_maxrss``, ``/usr/bin/time``'s ``%M``) starts at the resident size of
the process it was forked from: Linux keeps the high-water mark across ``exec``. A benchmark
that generated a million rows in its own process would report that size as the floor of every
phase it then measures; generated apart, by a fresh interpreter, it stays small.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def apart(function, *args):
    """``function(*args)`` in a fresh interpreter (spawned, not forked); its result."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()
