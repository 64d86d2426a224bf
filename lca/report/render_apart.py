"""Speed machinery of the render stage: one renderer run in a forked process beside the others.

The writers share one interpreter when they run as threads, and with it one GIL: the workbook's
XML is built under it while the PDF is laid out and ledger.csv written under it too, and only
the workbook's deflate runs beside them (1,000,000 cloud rows: the three took longer together in
threads than one after another). A process forked once the result and the report model are
final inherits them as they are (copy-on-write, nothing pickled) and runs the same writer on the
same objects, so the file's bytes do not change; the child sends back only the path it wrote, or
the exception it raised, which is raised again here.

Fork is used on Linux only (elsewhere the start method is spawn, or fork is unsafe with the
system's frameworks): ``apart`` then runs the writer in a thread, as before.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

#: Whether a renderer may run in a forked process here.
FORK = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _child(conn, function: Callable, args: tuple) -> None:
    """The forked process: run ``function``, send ("ok", result) or ("error", exception),
    pickled here and checked to load (an exception that does not goes back as its text)."""
    try:
        outcome: tuple[str, Any] = ("ok", function(*args))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        outcome = ("error", exc)
    try:
        data = pickle.dumps(outcome)
        pickle.loads(data)
    except (pickle.PickleError, TypeError, AttributeError):
        data = pickle.dumps(("error", RuntimeError(f"{outcome[1]!r}")))
    conn.send_bytes(data)
    conn.close()


@contextmanager
def apart(function: Callable, *args) -> Iterator[Callable[[], Any]]:
    """Start ``function(*args)`` in a forked process (a thread where ``FORK`` is False) and
    give a ``result()`` callable that waits for it and returns its value or raises its
    exception. Leaving the block before ``result()`` was called (another writer failed)
    stops the process, or waits for the thread, so nothing writes after the block."""
    if not FORK:
        with ThreadPoolExecutor(max_workers=1) as pool:
            yield pool.submit(function, *args).result
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, function, args), daemon=True)
    gc.freeze()  # the child's collections then leave the inherited objects' pages shared
    try:
        process.start()
    finally:
        gc.unfreeze()
    send.close()

    def result() -> Any:
        try:
            kind, value = pickle.loads(receive.recv_bytes())
        except EOFError:
            process.join()
            raise RuntimeError(
                f"the renderer's process ended (exit code {process.exitcode}) before it finished"
            ) from None
        process.join()
        if kind == "error":
            raise value
        return value

    try:
        yield result
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        receive.close()
