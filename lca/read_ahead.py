"""Speed machinery: an iterator's next item made in a thread of its own while the caller uses
the one before (``read_ahead``), or the next calls of a function made by threads
(``mapped_ahead``).

``read_ahead(items)`` yields the items of ``items`` in their order; only its thread advances
``items``, one step at a time, so what the items are does not depend on it (a generator drawing
random numbers draws the same numbers in the same order). It pays where making an item and
using it each release the GIL for most of their time (numpy on large arrays), on a second core.
One item is held beside the one in use. Close it (``contextlib.closing``) where its use can
stop early: its thread then ends at once, not when the generator is collected.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
_END = object()


def read_ahead(items: Iterator[T]) -> Generator[T, None, None]:
    """The items of ``items``, each begun while the one before is used (see the module)."""
    with ThreadPoolExecutor(1, thread_name_prefix="read-ahead") as thread:
        upcoming = thread.submit(next, items, _END)
        while (item := upcoming.result()) is not _END:
            upcoming = thread.submit(next, items, _END)
            yield item  # type: ignore[misc]


def mapped_ahead(
    function: Callable[..., T], arguments: Iterable[tuple], workers: int = 2
) -> Generator[T, None, None]:
    """``function(*a)`` for each ``a`` of ``arguments``, in their order: ``workers`` threads
    make the next ones while the caller uses the one before (``workers`` + 1 results held at
    most). For calls independent of one another whose work releases the GIL (Arrow's
    kernels); the results do not depend on the threads."""
    with ThreadPoolExecutor(workers, thread_name_prefix="mapped-ahead") as pool:
        pending: deque = deque()
        for args in arguments:
            pending.append(pool.submit(function, *args))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
