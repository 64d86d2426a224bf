"""The parallel zip writer gives zipfile's bytes: entries, headers (zip64 or not), central
directory and end records."""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import threading
import zipfile

import pytest

from lca.report import zip_parallel
from lca.report.zip_parallel import ZipWriter


def zipfile_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    """The archive as the workbook's zip was written with zipfile: ``writestr`` with a
    ``ZipInfo``, or ``open(info, "w")`` with its size set, a part at a time; each entry at the
    level ``zip_parallel.level`` gives its size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for number, (name, data) in enumerate(entries):
            info = zipfile.ZipInfo(name, date_time=zip_parallel.DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info._compresslevel = zip_parallel.level(len(data))  # as writestr's compresslevel
            if number % 2:
                target.writestr(info, data)
            else:
                info.file_size = len(data)
                with target.open(info, "w") as dest:
                    shutil.copyfileobj(io.BytesIO(data), dest, 1000)
    return out.getvalue()


def parallel_bytes(entries, tmp_path, workers: int = 3) -> bytes:
    """The same entries through ``ZipWriter``: every other one from a file removed as soon as
    it is given (as openpyxl removes a sheet's temporary file)."""
    out = io.BytesIO()
    with ZipWriter(out, workers) as target:
        for number, (name, data) in enumerate(entries):
            if number % 2:
                target.writestr(name, data)
            else:
                path = tmp_path / f"entry-{number}"
                path.write_bytes(data)
                target.write(path, name)
                os.remove(path)
        assert target.namelist() == [name for name, _data in entries]
        target.close()
    return out.getvalue()


def noise(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


ENTRIES = [
    ("[Content_Types].xml", b'<?xml version="1.0"?><Types>' + b"<Default/>" * 300 + b"</Types>"),
    ("docProps/empty.xml", b""),
    (
        "xl/worksheets/sheet1.xml",
        "".join(
            f'<row r="{n}"><c r="A{n}"><v>{n * 7919 % 10007}</v></c></row>' for n in range(40_000)
        ).encode()
        + noise(70_000, 1),
    ),
    ("xl/m\u00e9dia/\u00e9t\u00e9.bin", noise(5_000, 2)),
    ("xl/styles.xml", b"<styleSheet/>"),
]


@pytest.mark.parametrize("workers", [1, 3])
def test_the_bytes_are_zipfiles(tmp_path, workers):
    zipfile.ZipFile(io.BytesIO(zipfile_bytes(ENTRIES))).testzip()
    assert parallel_bytes(ENTRIES, tmp_path, workers) == zipfile_bytes(ENTRIES)


def test_large_entries_are_deflated_faster(tmp_path, monkeypatch):
    """Entries of more than ``LARGE`` bytes at ``LARGE_LEVEL``: with ``LARGE`` lowered to
    100,000 bytes the sheet of ENTRIES (1.5 MB) is one, written from a file and from bytes;
    the archive is zipfile's, and its sheet is larger than at the default level."""
    monkeypatch.setattr(zip_parallel, "LARGE", 100_000)
    sheet = ENTRIES[2]
    entries = [sheet, ("xl/worksheets/sheet2.xml", sheet[1]), ENTRIES[4]]
    assert [zip_parallel.level(len(data)) for _name, data in entries] == [2, 2, -1]
    expected = zipfile_bytes(entries)
    assert parallel_bytes(entries, tmp_path) == expected
    fast = zipfile.ZipFile(io.BytesIO(expected)).infolist()[0].compress_size
    monkeypatch.setattr(zip_parallel, "LARGE", len(sheet[1]))
    assert zip_parallel.level(len(sheet[1])) == -1
    default = zipfile.ZipFile(io.BytesIO(parallel_bytes(entries, tmp_path))).infolist()[0]
    assert fast > default.compress_size


def test_str_data_is_utf8(tmp_path):
    out = io.BytesIO()
    with ZipWriter(out) as target:
        target.writestr("a.xml", "\u00e9t\u00e9")
        target.close()
    assert out.getvalue() == zipfile_bytes([("a.xml", "\u00e9t\u00e9".encode())])


def test_zip64_headers_and_end_records_are_zipfiles(tmp_path, monkeypatch):
    """With the zip64 limit lowered to 4,000 bytes: an entry zip64 in its local header only
    (size × 1.05 over the limit), entries over it, offsets and the central directory past
    it (zip64 end records); then more entries than the end record counts."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 4_000)
    entries = [
        ("small.xml", noise(100, 3)),
        ("band.xml", noise(3_900, 4)),
        ("large.xml", noise(5_000, 5)),
        ("deflated.xml", b"<c/>" * 3_000),
        ("after.xml", noise(300, 6)),
    ] + [(f"many/{n}.xml", noise(40, n)) for n in range(60)]
    expected = zipfile_bytes(entries)
    archive = zipfile.ZipFile(io.BytesIO(expected))
    assert {i.filename: i.extract_version for i in archive.infolist()[:3]} == {
        "small.xml": 20,
        "band.xml": 45,
        "large.xml": 45,
    }
    assert zipfile.stringEndArchive64 in expected
    assert parallel_bytes(entries, tmp_path) == expected
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", (1 << 31) - 1)
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 3)
    expected = zipfile_bytes(ENTRIES)
    assert zipfile.stringEndArchive64 in expected
    assert parallel_bytes(ENTRIES, tmp_path) == expected


def test_values_exactly_at_the_zip64_limits_are_zipfiles(tmp_path, monkeypatch):
    """zip64 is for values past a limit, not at it: with the limit set, in turn, to an entry's
    size, an entry's header offset, the central directory's offset, its size and the count
    of entries, each measured in zipfile's archive, the archive is still zipfile's."""

    def entry(data: bytes, number: int) -> zipfile.ZipInfo:
        return zipfile.ZipFile(io.BytesIO(data)).infolist()[number]

    def end_record(data: bytes) -> dict[str, int]:
        """The end record's count of entries, and size and offset of the central directory."""
        *_, count, size, offset, _comment = struct.unpack(
            zipfile.structEndArchive, data[-zipfile.sizeEndCentDir :]
        )
        return {"count": count, "size": size, "offset": offset}

    offsets = [("first.xml", b"<c/>" * 10), ("second.xml", b"<c/>" * 10), ("third.xml", b"z")]
    cases = [
        ("ZIP64_LIMIT", lambda data: entry(data, 0).file_size, [("exact.xml", b"<c/>" * 1_000)]),
        ("ZIP64_LIMIT", lambda data: entry(data, 1).header_offset, offsets),
        (
            "ZIP64_LIMIT",
            lambda data: end_record(data)["offset"],
            [("a.bin", noise(1_000, 9)), ("b.xml", b"z")],
        ),
        (
            "ZIP64_LIMIT",
            lambda data: end_record(data)["size"],
            [(f"e{n}.xml", b"z") for n in range(3)],
        ),
        ("ZIP_FILECOUNT_LIMIT", lambda data: end_record(data)["count"], ENTRIES),
    ]
    for limit, measure, entries in cases:
        monkeypatch.undo()
        monkeypatch.setattr(zipfile, limit, measure(zipfile_bytes(entries)))
        expected = zipfile_bytes(entries)
        assert measure(expected) == getattr(zipfile, limit)
        assert parallel_bytes(entries, tmp_path) == expected


def test_an_archive_left_unclosed_stops_its_threads(tmp_path):
    source = tmp_path / "sheet.xml"
    source.write_bytes(noise(3 * zip_parallel.CHUNK, 7))
    with pytest.raises(KeyError), ZipWriter(io.BytesIO(), 1) as target:
        target.write(source, "a.xml")
        target.write(source, "b.xml")
        raise KeyError("the workbook failed")
    assert not [t for t in threading.enumerate() if t.name.startswith("deflate")]


def test_a_file_started_early_is_the_entry_write_is_given(tmp_path):
    entries = ENTRIES[:3]
    out = io.BytesIO()
    with ZipWriter(out) as target:
        path = tmp_path / "sheet.xml"
        path.write_bytes(entries[2][1])
        target.start(path)
        for name, data in entries[:2]:
            target.writestr(name, data)
        target.write(path, entries[2][0])
        target.close()
    assert out.getvalue() == zipfile_bytes(entries)


def test_a_file_changed_after_its_deflate_began_is_refused(tmp_path):
    path = tmp_path / "sheet.xml"
    path.write_bytes(b"<row/>")
    with ZipWriter(io.BytesIO()) as target:
        target.start(path)
        path.write_bytes(b"<row/><row/>")
        with pytest.raises(RuntimeError, match="changed"):
            target.write(path, "sheet.xml")
