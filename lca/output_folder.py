"""A command's files written into its output folder all or none (``lca report``, ``lca import``).

The files are written into a staging folder beside the output folder (beside where it leads,
when it is a link: a move never crosses file systems), then moved in. Before anything moves, a
name taken by a folder is refused; the files replaced are kept aside until every move is done
and put back if one fails, so that an error leaves the folder as it was, never half of one run
beside half of another. A new output folder gets the mode any new folder gets (the umask's),
not a private temporary folder's. A stop request (SIGTERM, SIGHUP) unwinds like Ctrl-C, so the
staging folder is removed then too (``stops_unwind``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

#: Signals that end a command as Ctrl-C does: its ``finally`` blocks run.
STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


def write_atomically(out_dir: Path, write: Callable[[Path], list[Path]]) -> list[Path]:
    """``write(staging)`` into a fresh folder beside ``out_dir``, then its files moved into
    ``out_dir``; the paths in ``out_dir``. Raises ``OSError`` (``out_dir`` is a file, a name
    is too long or taken by a folder, the disk is full …) with ``out_dir`` as it was."""
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir} exists and is not a folder")
    real = out_dir.resolve()  # a link's target: the staging folder on its file system
    real.parent.mkdir(parents=True, exist_ok=True)
    staging = _new_folder(real.parent, f".{real.name[:40]}.")
    try:
        names = [path.name for path in write(staging)]
        if real.exists():
            _replace_all(staging, real, names)
        else:
            staging.rename(real)
        return [out_dir / name for name in names]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _new_folder(parent: Path, prefix: str) -> Path:
    """A folder of a new name in ``parent``, made as any folder is (the umask decides who may
    read it: ``tempfile.mkdtemp``'s are private, and the staging folder becomes the output
    folder when there was none)."""
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(4)}"
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
            return folder


def _replace_all(staging: Path, folder: Path, names: list[str]) -> None:
    """``staging/<name>`` moved to ``folder/<name>`` for every name, or none moved."""
    taken = [name for name in names if (folder / name).is_dir()]
    if taken:
        raise IsADirectoryError(f"{folder / taken[0]} is a folder, where a file is to be written")
    aside = staging / ".replaced"
    aside.mkdir()
    replaced: list[str] = []
    moved: list[str] = []
    try:
        for name in names:
            if (folder / name).exists() or (folder / name).is_symlink():
                os.replace(folder / name, aside / name)
                replaced.append(name)
            os.replace(staging / name, folder / name)
            moved.append(name)
    except BaseException:
        for name in moved:
            (folder / name).unlink(missing_ok=True)
        for name in replaced:
            os.replace(aside / name, folder / name)
        raise


@contextlib.contextmanager
def stops_unwind() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``SystemExit`` (128 + the signal's number,
    the shell's code for it) in the main thread, so that ``finally`` blocks remove temporary
    files and stop child processes; outside the main thread, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    for number in STOP_SIGNALS:
        signal.signal(number, lambda number, _frame: sys.exit(128 + number))
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
