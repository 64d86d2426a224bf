"""Speed machinery of the render stage: one renderer run in a forked process beside the others.

The writers share one interpreter when they run as threads, and with it one GIL: the workbook's
XML is built under it while the PDF is laid out and ledger.csv written under it too, and only
the workbook's deflate runs beside them (1,000,000 cloud rows: the three took longer together in
threads than one after another). A process forked once the result and the report model are
final inherits them as they are (copy-on-write, nothing pickled) and runs the same writer on the
same objects, so the file's bytes do not change; the child sends back only the path it wrote, or
the exception it raised, which is raised again here.

``Early`` goes one step further for a renderer that needs the report model only (the PDF): a
process forked before the pipeline, while this process is small and the second core idle,
imports the renderer's modules (WeasyPrint, matplotlib: ~0.7 s) meanwhile, then waits for the
model, sent pickled (a pickle loads floats and strings exactly).

Fork is used on Linux only (elsewhere the start method is spawn, or fork is unsafe with the
system's frameworks): ``apart`` then runs the writer in a thread, as before.
"""

from __future__ import annotations

import gc
import importlib
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
    except Exception:  # noqa: BLE001 - whatever stops it pickling or loading again
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

    try:
        yield lambda: _outcome(receive, process)
    finally:
        _stop(receive, process)


def _outcome(conn, process) -> Any:
    """Wait for the value ``process`` sends on ``conn``; raise the exception it sends."""
    try:
        kind, value = pickle.loads(conn.recv_bytes())
    except EOFError:
        process.join()
        raise RuntimeError(
            f"the renderer's process ended (exit code {process.exitcode}) before it finished"
        ) from None
    process.join()
    if kind == "error":
        raise value
    return value


def _stop(conn, process) -> None:
    if process.is_alive():
        process.terminate()
    process.join()
    conn.close()


def _resolve(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _early_child(conn, parent_end, target: str) -> None:
    """In a process forked early: import ``target``, wait for its arguments, run it."""
    parent_end.close()  # the parent's closing of its end is then this end's EOF
    function = _resolve(target)
    try:
        args = pickle.loads(conn.recv_bytes())
    except EOFError:  # nothing to render (the run ended before its reports)
        return
    _child(conn, function, args)


class Early:
    """A process forked now that imports ``target`` (``module:function``) and runs it on the
    arguments ``run`` sends it later; use it as a context manager, so that a process never
    sent anything ends with the block. Where ``FORK`` is False, ``run`` runs ``target`` in a
    thread."""

    def __init__(self, target: str):
        self.target = target
        self._process = None
        if FORK:
            context = multiprocessing.get_context("fork")
            self._conn, child_end = context.Pipe()
            self._process = context.Process(
                target=_early_child, args=(child_end, self._conn, target), daemon=True
            )
            self._process.start()
            child_end.close()

    def __enter__(self) -> Early:
        return self

    def __exit__(self, *exc) -> None:
        if self._process is not None:
            _stop(self._conn, self._process)

    @contextmanager
    def run(self, *args) -> Iterator[Callable[[], Any]]:
        """Send ``args`` (pickled); give a ``result()`` callable, as ``apart`` does."""
        if self._process is None:
            with apart(_resolve(self.target), *args) as result:
                yield result
            return
        self._conn.send_bytes(pickle.dumps(args))
        try:
            yield lambda: _outcome(self._conn, self._process)
        finally:
            _stop(self._conn, self._process)
