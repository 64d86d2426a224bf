"""Speed machinery of the workbook's zip: its entries deflated in worker threads, the archive
written with the very bytes ``zipfile`` writes.

``ZipWriter`` takes the entries in order, as bytes (``writestr``) or as a file (``write``,
opened at once: its name may be removed before it is read, as openpyxl removes a sheet's
temporary file), and deflates each in a pool of threads (zlib and the reads release the GIL;
an entry's compressed bytes depend neither on the thread nor on how its input is split). A
file known to be complete before it is given may be ``start``-ed earlier: its deflate begins
then, and ``write`` takes it. On ``close`` it writes, in the order given, each entry's local
header and compressed data, then the central directory and the end records: the bytes of
``zipfile.ZipFile(target, "w", ZIP_DEFLATED)`` given each entry with ``writestr(info,
data)`` (or ``open(info, "w")`` with ``info.file_size`` set), ``info`` a ``ZipInfo`` dated
``DATE`` with permissions 0600 and the compression level ``level`` gives its size (zip64
headers, versions and end records as zipfile decides them; ``tests/test_zip_parallel.py``
compares the bytes, zip64 cases included). It has the methods openpyxl's ``ExcelWriter`` calls
on its archive.

A pool of one thread where there is one CPU; where an open file cannot outlive its name
(Windows), ``write`` waits for the file's deflate before it returns.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
import threading
import zipfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, BinaryIO

#: Date of every entry.
DATE = (1980, 1, 1, 0, 0, 0)
#: Threads deflating at once.
WORKERS = min(4, os.cpu_count() or 1)
#: Bytes read, checksummed and deflated at a time.
CHUNK = 1 << 24
#: Compressed bytes of an entry kept in memory before they go to a temporary file.
SPOOL = 1 << 22
#: Entries of more than this many bytes (a Ledger sheet of ~6,000 lines and more) are deflated
#: at ``LARGE_LEVEL``, the others at zlib's default (6). On the 269 MB Ledger sheet of a
#: 50,000-row inventory, level 6 took 3.66 s and gave 23.5 MB, level 2 1.12 s and 29.8 MB
#: (level 1: 1.06 s, 33.9 MB): at 1,000,000 rows, deflate was ~50 of the workbook's ~58 s.
LARGE = 1 << 24
LARGE_LEVEL = 2
#: Layout and signature of each record after the entries (APPNOTE 4.3.12-4.3.16), as
#: ``zipfile`` packs them: central directory header, zip64 end record and its locator, end record.
_CENTRAL = "<4s4B4HL2L5H2L", b"PK\x01\x02"
_END64 = "<4sQ2H2L4Q", b"PK\x06\x06"
_LOCATOR = "<4sLQL", b"PK\x06\x07"
_END = "<4s4H2LH", b"PK\x05\x06"
#: Whether a file opened for reading can still be read once its name is removed.
_OPEN_FILES_OUTLIVE_THEIR_NAME = os.name != "nt"


@dataclass
class _Deflated:
    crc: int
    size: int
    data: IO[bytes]  # the compressed bytes, from position 0


def level(size: int) -> int:
    """The zlib compression level of an entry of ``size`` bytes."""
    return LARGE_LEVEL if size > LARGE else zlib.Z_DEFAULT_COMPRESSION


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


class ZipWriter:
    """A deterministic zip of deflated entries (see the module); use it as a context manager
    so that an archive left unclosed stops its threads and drops their temporary files."""

    def __init__(self, target: BinaryIO, workers: int = WORKERS):
        self._target = target
        self._pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="deflate")
        self._entries: list[tuple[zipfile.ZipInfo, Future[_Deflated]]] = []
        self._sources: list[BinaryIO] = []
        self._started: dict[str, tuple[int, Future[_Deflated]]] = {}
        self._stop = threading.Event()

    def __enter__(self) -> ZipWriter:
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        for source in self._sources:
            source.close()
        futures = [f for _info, f in self._entries] + [f for _size, f in self._started.values()]
        for future in futures:
            if not future.cancelled() and future.exception() is None:
                future.result().data.close()
        self._entries, self._started = [], {}

    def namelist(self) -> list[str]:
        return [info.filename for info, _future in self._entries]

    def writestr(self, name: str, data: bytes | str) -> None:
        """An entry holding ``data`` (a str as UTF-8)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._add(_entry(name), len(data), self._pool.submit(self._deflate, data, len(data)))

    def start(self, filename: str | os.PathLike) -> None:
        """Begin the deflate of ``filename``, complete, that ``write`` will be given."""
        source = open(filename, "rb")  # noqa: SIM115 (closed once read, or on exit)
        self._sources.append(source)
        size = os.fstat(source.fileno()).st_size
        self._started[os.fspath(filename)] = size, self._pool.submit(self._deflate, source, size)

    def write(self, filename: str | os.PathLike, arcname: str) -> None:
        """An entry holding the file ``filename``, named as ``ZipFile.write`` names it."""
        if os.fspath(filename) not in self._started:
            self.start(filename)
        size, future = self._started.pop(os.fspath(filename))
        found = zipfile.ZipInfo.from_file(filename, arcname)
        if found.file_size != size:
            raise RuntimeError(f"{filename} changed after its deflate began")
        self._add(_entry(found.filename), size, future)
        if not _OPEN_FILES_OUTLIVE_THEIR_NAME:
            future.result()

    def _add(self, info: zipfile.ZipInfo, size: int, future: Future[_Deflated]) -> None:
        info.file_size = size  # zip64 or not is decided on it, as ZipFile.open(info, "w") does
        self._entries.append((info, future))

    def _deflate(self, content: bytes | BinaryIO, length: int) -> _Deflated:
        """The CRC, size and raw deflate stream of ``content``, ``length`` bytes (as
        ``zipfile`` compresses at ``level(length)``)."""
        compressor = zlib.compressobj(level(length), zlib.DEFLATED, -15)
        out = tempfile.SpooledTemporaryFile(SPOOL)  # noqa: SIM115 (returned, closed by close)
        crc = size = 0
        try:
            if isinstance(content, bytes):
                crc, size = zlib.crc32(content), len(content)
                out.write(compressor.compress(content))
            else:
                with content:
                    while chunk := content.read(CHUNK):
                        if self._stop.is_set():
                            raise RuntimeError("the archive was abandoned")
                        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
                        out.write(compressor.compress(chunk))
            out.write(compressor.flush())
        except BaseException:
            out.close()
            raise
        out.seek(0)
        return _Deflated(crc, size, out)

    def close(self) -> None:
        """Write the archive: every entry in order, then the central directory."""
        target = self._target
        for info, future in self._entries:
            deflated = future.result()
            zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT
            info.CRC, info.file_size = deflated.crc, deflated.size
            info.compress_size = deflated.data.seek(0, os.SEEK_END)
            deflated.data.seek(0)
            if not zip64 and max(info.file_size, info.compress_size) > zipfile.ZIP64_LIMIT:
                raise RuntimeError(f"{info.filename} grew past a header without zip64")
            info.header_offset = target.tell()
            target.write(info.FileHeader(zip64))
            shutil.copyfileobj(deflated.data, target, CHUNK)
            deflated.data.close()
        _end_records(target, [info for info, _future in self._entries])
        self._entries = []


def _end_records(target: BinaryIO, infos: list[zipfile.ZipInfo]) -> None:
    """The central directory and end records, as ``ZipFile._write_end_record`` writes them
    for entries without extra fields or comments."""
    start = target.tell()
    for info in infos:
        dt = info.date_time
        dosdate = (dt[0] - 1980) << 9 | dt[1] << 5 | dt[2]
        dostime = dt[3] << 11 | dt[4] << 5 | (dt[5] // 2)
        extra = []
        file_size, compress_size = info.file_size, info.compress_size
        if file_size > zipfile.ZIP64_LIMIT or compress_size > zipfile.ZIP64_LIMIT:
            extra += [file_size, compress_size]
            file_size = compress_size = 0xFFFFFFFF
        header_offset = info.header_offset
        if header_offset > zipfile.ZIP64_LIMIT:
            extra.append(header_offset)
            header_offset = 0xFFFFFFFF
        extra_data = b""
        min_version = 0
        if extra:
            extra_data = struct.pack("<HH" + "Q" * len(extra), 1, 8 * len(extra), *extra)
            min_version = zipfile.ZIP64_VERSION
        try:
            filename, flag_bits = info.filename.encode("ascii"), info.flag_bits
        except UnicodeEncodeError:
            filename, flag_bits = info.filename.encode("utf-8"), info.flag_bits | 0x800
        target.write(
            _record(
                _CENTRAL,
                max(min_version, info.create_version),
                info.create_system,
                max(min_version, info.extract_version),
                info.reserved,
                flag_bits,
                info.compress_type,
                dostime,
                dosdate,
                info.CRC,
                compress_size,
                file_size,
                len(filename),
                len(extra_data),
                0,  # comment
                0,  # disk number
                info.internal_attr,
                info.external_attr,
                header_offset,
            )
            + filename
            + extra_data
        )
    end = target.tell()
    count, size, offset = len(infos), end - start, start
    if (
        count > zipfile.ZIP_FILECOUNT_LIMIT
        or offset > zipfile.ZIP64_LIMIT
        or size > zipfile.ZIP64_LIMIT
    ):
        target.write(_record(_END64, 44, 45, 45, 0, 0, count, count, size, offset))
        target.write(_record(_LOCATOR, 0, end, 1))
        count, size, offset = min(count, 0xFFFF), min(size, 0xFFFFFFFF), min(offset, 0xFFFFFFFF)
    target.write(_record(_END, 0, 0, count, count, size, offset, 0))
    target.flush()


def _record(kind: tuple[str, bytes], *fields: int) -> bytes:
    layout, signature = kind
    return struct.pack(layout, signature, *fields)
