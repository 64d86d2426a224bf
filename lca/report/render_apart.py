"""Speed machinery of the render stage: renderers run in forked processes beside the others.

The writers share one interpreter when they run as threads, and with it one GIL: the workbook's
XML is built under it while the PDF is laid out and ledger.csv written under it too, and only
the workbook's deflate and its rows' join run beside them (1,000,000 cloud rows, before the
fork: the three took longer together in threads than one after another). A process forked
once the result and the report model are final inherits them as they are (copy-on-write,
nothing pickled) and runs the same writer on the same objects, so the file's bytes do not
change; the child sends back only the path it wrote, or the exception it raised (with its
traceback as a note), which is raised again here; one that cannot be pickled comes back as a
``RendererFailed`` with its text, as does a child that ends without answering.

``Early`` goes one step further for a renderer that needs the report model only (the PDF): a
process forked before the pipeline, while this process is small and the second core idle,
imports the renderer's modules (WeasyPrint, matplotlib: ~0.7 s) meanwhile, then waits for the
model, sent pickled (a pickle loads floats and strings exactly). A step of it that does not
need everything (the PDF's charts, which do not show results.json's SHA-256) can be sent ahead
and run there while this process goes on (writing and hashing results.json).

``apart(..., nice=n)`` runs a renderer at a lower priority than the others, so that a longer
one in its own process (the PDF, beside a small workbook written in a thread) keeps the cores.

A child ignores Ctrl-C (the parent stops it), ends when the parent dies (Linux's
``PR_SET_PDEATHSIG``), turns a stop request (SIGTERM) into ``SystemExit`` so that the writers'
``finally`` blocks remove their temporary files, and collects its garbage before it exits
(WeasyPrint removes its fonts' temporary folder in a finaliser). Fork is used on Linux only
(elsewhere the start method is spawn, or fork is unsafe with the system's frameworks), and
where the fork itself fails (no memory for the page tables): the writers then run in threads.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import importlib
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from lca.output_folder import exit_on_signal

#: Whether renderers may run in forked processes here.
FORK = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
#: Seconds a stopped child has to clean up before it is killed.
STOP_GRACE = 10.0
_PR_SET_PDEATHSIG = 1


class RendererFailed(RuntimeError):
    """A renderer's process ended without an answer, or with an exception that cannot be
    pickled (its text is the message)."""


def _as_child() -> None:
    """Signals of a forked renderer: Ctrl-C is the parent's to handle, a stop request
    unwinds (``finally`` blocks run), the parent's death stops it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, exit_on_signal)
    libc = ctypes.util.find_library("c")
    if libc:
        ctypes.CDLL(libc).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _answer(conn, outcome: tuple[str, Any]) -> None:
    """Send ``outcome`` pickled, checked to load again (else its text as ``RendererFailed``);
    a parent that stopped listening is not an error here."""
    try:
        data = pickle.dumps(outcome)
        pickle.loads(data)
    except Exception:  # noqa: BLE001 - whatever stops it pickling or loading again
        data = pickle.dumps(("error", RendererFailed(f"{outcome[1]!r}")))
    with contextlib.suppress(OSError):
        conn.send_bytes(data)
        conn.close()


def _child(conn, function: Callable, args: tuple) -> None:
    """In a forked process: run ``function``, answer ("ok", result) or ("error", exception)."""
    try:
        outcome: tuple[str, Any] = ("ok", function(*args))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        if isinstance(exc, SystemExit):  # a stop request, not the parent's: said
            exc = RendererFailed(f"the renderer's process was stopped ({_stopped_by(exc)})")
        exc.add_note(f"in the renderer's process:\n{traceback.format_exc()}")
        outcome = ("error", exc.with_traceback(None))  # its frames, freed for the collection
    finally:
        gc.collect()  # finalisers that remove temporary files run before os._exit
    _answer(conn, outcome)


def _stopped_by(stop: SystemExit) -> str:
    """The signal a stop request's code names (``exit_on_signal``'s 128 + its number), else
    the code."""
    code = stop.code if isinstance(stop.code, int) else 1
    with contextlib.suppress(ValueError):
        return signal.Signals(code - 128).name
    return f"exit code {code}"


def _start(process) -> bool:
    """Start a forked ``process``; False when the fork fails (the caller uses a thread)."""
    try:
        process.start()
    except OSError:
        return False
    return True


def _outcome(conn, process) -> Any:
    """Wait for the value ``process`` sends on ``conn``; raise the exception it sends."""
    try:
        kind, value = pickle.loads(conn.recv_bytes())
    except (EOFError, OSError):
        process.join()
        raise RendererFailed(
            f"the renderer's process ended (exit code {process.exitcode}) before it finished"
        ) from None
    process.join()
    if kind == "error":
        raise value
    return value


def _stop(conn, process) -> None:
    """Stop ``process`` if it still runs (SIGTERM, then SIGKILL after ``STOP_GRACE``). The
    pipe is closed first: a process waiting on it for its arguments reads its end at once."""
    conn.close()
    if process.is_alive():
        process.terminate()
        process.join(STOP_GRACE)
        if process.is_alive():
            process.kill()
    process.join()


@contextmanager
def _thread(function: Callable, *args, nice: int = 0) -> Iterator[Callable[[], Any]]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(_niced, nice, function, *args).result


def _niced(nice: int, function: Callable, *args) -> Any:
    _lower_priority(nice)
    return function(*args)


def _lower_priority(nice: int) -> None:
    """Add ``nice`` to the calling thread's niceness: on Linux a thread's own (the threads it
    starts then inherit it), which needs no privilege; elsewhere, or where it fails, nothing."""
    if nice and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            thread = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + nice)


@contextmanager
def apart(
    function: Callable, *args, fork: bool = True, nice: int = 0
) -> Iterator[Callable[[], Any]]:
    """Start ``function(*args)`` in a forked process (a thread where ``fork`` or ``FORK`` is
    False or the fork fails), ``nice`` added to its niceness, and give a ``result()``
    callable that waits for it and returns its value or raises its exception. Leaving the block
    before ``result()`` was called (another writer failed) stops the process, or waits for the
    thread, so nothing writes after it."""
    if not (fork and FORK):
        with _thread(function, *args, nice=nice) as result:
            yield result
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_forked, args=(send, function, args, nice), daemon=True)
    gc.freeze()  # collections then leave the inherited objects' pages shared, in both
    try:
        started = _start(process)
        send.close()
        if not started:
            receive.close()
            with _thread(function, *args, nice=nice) as result:
                yield result
            return
        try:
            yield lambda: _outcome(receive, process)
        finally:
            _stop(receive, process)
    finally:
        gc.unfreeze()


def _forked(conn, function: Callable, args: tuple, nice: int) -> None:
    _as_child()
    _lower_priority(nice)
    _child(conn, function, args)


def _resolve(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _called(target: str, *args) -> Any:
    return _resolve(target)(*args)


def _called_after(ahead: str, ahead_args: tuple, target: str, *args) -> Any:
    return _resolve(target)(_resolve(ahead)(*ahead_args), *args)


def _raise(exc: BaseException, *_args) -> None:
    raise exc


def _early_child(conn, parent_end, target: str, ahead: str | None) -> None:
    """In a process forked early: import ``target`` (and ``ahead``), wait for the arguments,
    run it (or answer the import's exception once they come). ``ahead``'s arguments, when
    they come first, are run at once and its value given to ``target`` first."""
    _as_child()
    parent_end.close()
    before = None
    try:
        function = _resolve(target)
        before = _resolve(ahead) if ahead else None
    except Exception as exc:  # noqa: BLE001 - said when the arguments come (a stop request
        function = functools.partial(_raise, exc)  # while importing ends the process)
    try:
        kind, args = pickle.loads(conn.recv_bytes())
        if kind == "ahead":
            if before is not None:
                function = _after(before, function, args)
            kind, args = pickle.loads(conn.recv_bytes())
    except EOFError:  # nothing to render (the run ended before its reports)
        return
    _child(conn, function, args)


def _after(before: Callable, function: Callable, args: tuple) -> Callable:
    """``function`` given the value of ``before(*args)``, run now, as its first argument;
    when ``before`` raises, a callable that raises its exception again (with its traceback as
    a note). A stop request (SIGTERM's ``SystemExit``) is not kept: the process ends."""
    try:
        value = before(*args)
    except Exception as exc:  # noqa: BLE001 - said when the run's arguments come
        exc.add_note(f"in the step ahead:\n{traceback.format_exc()}")
        return functools.partial(_raise, exc.with_traceback(None))
    return functools.partial(function, value)


class Early:
    """A process forked now that imports ``target`` (``module:function``) and runs it on the
    arguments ``run`` sends it later; use it as a context manager, so that a process never
    sent anything ends with the block. With ``ahead`` (``module:function``), ``send_ahead``
    first sends that function's arguments: the process runs it while this one goes on, and
    ``target`` is called with its value before ``run``'s arguments. Where ``FORK`` is False or
    the fork fails, ``run`` runs both in a thread."""

    def __init__(self, target: str, ahead: str | None = None):
        self.target = target
        self.ahead = ahead
        self._ahead_args: tuple | None = None
        self._process = None
        if FORK:
            context = multiprocessing.get_context("fork")
            self._conn, child_end = context.Pipe()
            process = context.Process(
                target=_early_child, args=(child_end, self._conn, target, ahead), daemon=True
            )
            if _start(process):
                self._process = process
            else:
                self._conn.close()
            child_end.close()

    def __enter__(self) -> Early:
        return self

    @property
    def forked(self) -> bool:
        """Whether ``target`` runs in a process of its own (else ``run`` uses a thread)."""
        return self._process is not None

    def __exit__(self, *exc) -> None:
        if self._process is not None:
            _stop(self._conn, self._process)

    @property
    def sent_ahead(self) -> bool:
        """Whether ``send_ahead`` was called."""
        return self._ahead_args is not None

    def send_ahead(self, *args) -> None:
        """Send ``ahead``'s arguments (pickled), once and before ``run``."""
        if self.ahead is None or self._ahead_args is not None:
            raise RuntimeError(f"{self.target}: nothing to run ahead, or sent ahead already")
        self._ahead_args = args
        self._send("ahead", args)

    def _send(self, kind: str, args: tuple) -> None:
        if self._process is not None:
            with contextlib.suppress(OSError):  # it ended: _outcome says so, with its exit code
                self._conn.send_bytes(pickle.dumps((kind, args)))

    @contextmanager
    def run(self, *args) -> Iterator[Callable[[], Any]]:
        """Send ``args`` (pickled); give a ``result()`` callable, as ``apart`` does."""
        if self.ahead is not None and self._ahead_args is None:
            raise RuntimeError(f"{self.target} runs after {self.ahead}, which was not sent")
        if self._process is None:
            call = (
                (_called,) if self.ahead is None else (_called_after, self.ahead, self._ahead_args)
            )
            with _thread(*call, self.target, *args) as result:
                yield result
            return
        self._send("run", args)
        try:
            yield lambda: _outcome(self._conn, self._process)
        finally:
            _stop(self._conn, self._process)
