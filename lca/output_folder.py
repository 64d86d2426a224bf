"""A command's files written into its output folder all or none (``lca report``, ``lca import``,
``lca compare``).

The files are written into a private staging folder made inside the output folder (made first
when it does not exist, with the mode any new folder gets): on its file system, wherever it is
mounted or linked, and writable wherever the outputs are. Then they are moved in, each by an
atomic rename, with Ctrl-C and stop requests held back: a name taken by a folder is refused
before anything moves, and the files replaced are kept aside until every move is done and put
back if one fails, so that an error leaves the folder as it was, never half of one run beside
half of another. A stop request (SIGTERM, SIGHUP) unwinds like Ctrl-C, so that the staging
folder is removed then too (``stops_unwind``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import NoReturn

#: Signals that end a command as Ctrl-C does: its ``finally`` blocks run.
STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))
#: Prefix of the staging folder, made inside the output folder, and the folder in it where
#: the files replaced wait until every move is done.
STAGING, ASIDE = ".lca-staging.", ".replaced"


def write_atomically(out_dir: Path, write: Callable[[Path], list[Path]]) -> list[Path]:
    """``write(staging)`` into a private folder inside ``out_dir``, then its files moved into
    ``out_dir``; the paths in ``out_dir``. Raises ``OSError`` (``out_dir`` is a file, a name
    is too long or taken by a folder, the disk is full …) with ``out_dir`` as it was (not made,
    nor its parents, when it did not exist)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir} exists and is not a folder")
    made = _first_missing(out_dir)
    staging: Path | None = None
    settled = False  # every file moved in and the staging folder removed
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=out_dir))
        names = _names(write(staging), staging)
        with _stops_held():  # from the first move to the staging folder's removal
            _replace_all(staging, out_dir, names)
            shutil.rmtree(staging, ignore_errors=True)
            settled = True
    except BaseException:
        aside = None if staging is None else staging / ASIDE
        holds = aside is not None and aside.is_dir() and any(aside.iterdir())
        if not settled and not holds:  # else the staging folder holds the user's files: kept
            for folder in (staging, made):
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
        raise
    return [out_dir / name for name in names]


def _first_missing(folder: Path) -> Path | None:
    """The outermost of ``folder`` and its parents that does not exist (what making ``folder``
    makes), or None."""
    missing = None
    for candidate in (folder, *folder.parents):
        if candidate.exists() or candidate.is_symlink():
            break
        missing = candidate
    return missing


def _names(paths: list[Path], staging: Path) -> list[str]:
    """The names of the files the writers wrote, each once and directly in ``staging``."""
    names = [path.name for path in paths]
    if len(set(names)) < len(names) or any(path.parent != staging for path in paths):
        raise ValueError(f"not distinct files of {staging}: {[str(p) for p in paths]}")
    return names


def _replace_all(staging: Path, folder: Path, names: list[str]) -> None:
    """``staging/<name>`` moved to ``folder/<name>`` for every name, or none moved."""
    taken = [name for name in names if (folder / name).is_dir()]
    if taken:
        raise IsADirectoryError(f"{folder / taken[0]} is a folder, where a file is to be written")
    aside = staging / ASIDE
    aside.mkdir()
    placed: list[str] = []
    try:
        for name in names:
            if (folder / name).exists() or (folder / name).is_symlink():
                os.replace(folder / name, aside / name)
            os.replace(staging / name, folder / name)
            placed.append(name)
    except BaseException as exc:
        if not _put_back(folder, aside, placed):
            raise OSError(
                f"{exc}; the files it replaced could not all be put back: they are in {aside}"
            ) from exc
        raise


def _put_back(folder: Path, aside: Path, placed: list[str]) -> bool:
    """Remove the files ``placed`` and move back each file ``aside`` holds; False where one
    could not be (it stays in ``aside``; the others are put back all the same)."""
    done = True
    for name in placed:
        try:
            (folder / name).unlink(missing_ok=True)
        except OSError:
            done = False
    for old in list(aside.iterdir()):
        try:
            os.replace(old, folder / old.name)
        except OSError:
            done = False
    return done


@contextlib.contextmanager
def _stops_held() -> Iterator[None]:
    """Ctrl-C and stop requests held back until the block ends, then acted on as they would
    have been. Their handlers are swapped, not the signal mask: a process-directed signal may
    be taken by any thread that does not block it. A block that ends in an error ends the
    command anyway: the requests held add nothing to it, and its message is kept."""
    held: list[tuple[int, FrameType | None]] = []
    with _handled(
        (signal.SIGINT, *STOP_SIGNALS), lambda n, frame: held.append((n, frame))
    ) as before:
        yield
    for number, frame in held:
        handler = before[number]
        if callable(handler):
            handler(number, frame)
        else:  # the default action (SIG_DFL): end the process now
            signal.raise_signal(number)


@contextlib.contextmanager
def stops_unwind() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``SystemExit`` (``exit_on_signal``) so that
    ``finally`` blocks remove temporary files and stop child processes."""
    with _handled(STOP_SIGNALS, exit_on_signal):
        yield


def exit_on_signal(number: int, _frame: FrameType | None) -> NoReturn:
    """A signal handler: ``SystemExit`` with 128 + the signal's number, the shell's code for
    it (``lca.report.render_apart`` names the signal from it)."""
    sys.exit(128 + number)


@contextlib.contextmanager
def _handled(numbers: tuple[int, ...], handler: Callable) -> Iterator[dict]:
    """Within the block, ``handler`` for each signal of ``numbers`` that Python handles and
    that is not ignored (``nohup``: it stays ignored); the handlers before (given) are put
    back whatever happens, a signal while they are swapped included. Only the main thread
    runs Python's signal handlers: elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield {}
        return
    before = {number: signal.getsignal(number) for number in numbers}
    try:
        for number, old in before.items():
            if old not in (signal.SIG_IGN, None):
                signal.signal(number, handler)
        yield before
    finally:
        for number, old in before.items():
            if old is not None:
                signal.signal(number, old)
