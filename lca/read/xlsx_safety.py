"""Checks an ``.xlsx`` file must pass before any parser sees it.

An inventory workbook comes from outside: it may be a macro workbook, an encrypted or legacy
file, something else renamed to ``.xlsx``, a zip bomb or an XML entity attack. ``check_workbook``
looks at the bytes and the zip directory only (no XML parsing) and returns a file-level
``Issue`` (``file-refused`` or ``file-unreadable``) that says what is wrong, or ``None``.

The zip limits are checked on the sizes the zip directory declares. Python's ``zipfile`` (used
by openpyxl) and calamine never inflate an entry past its declared size, so a lying directory
cannot get past them either. Every XML part is also refused if it declares a DTD
(``<!DOCTYPE`` / ``<!ENTITY``): no legitimate workbook part has one, and it is how entity
expansion and external-entity attacks start. openpyxl, used to write templates and annotated
copies, must parse through defusedxml: ``require_defusedxml`` checks that at start-up.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lca.issues import Issue, Severity, SourceRef

#: Limits on the zip container, checked before parsing.
MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 512 << 20  # 512 MiB uncompressed for one part
MAX_TOTAL_BYTES = 1 << 30  # 1 GiB uncompressed for the whole workbook
MAX_RATIO = 250  # uncompressed / compressed, for parts above RATIO_FLOOR
RATIO_FLOOR = 1 << 20  # small parts compress extremely well and are harmless
#: Deflate never grows data by more than a few bytes per 16 KiB block: more is a forged size.
FORGED_SLACK = 64 << 10
#: How much of each XML part is searched for a DTD (it can only come before the root element).
PROLOG_BYTES = 4096
#: The shortest shared string, ``<si/>``: a table of n bytes holds at most n / 5 strings.
MIN_STRING_BYTES = 5
_SST = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst\b[^>]*>")
_COUNT = re.compile(rb"\b(?:count|uniqueCount)=\"([0-9]{1,20})\"")

MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".xlsb")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def require_defusedxml() -> None:
    """Raise ImportError unless openpyxl parses XML through defusedxml."""
    try:
        import defusedxml  # noqa: F401  (imported to prove it is installed)
        import openpyxl
    except ImportError as exc:
        raise ImportError(
            "lca needs defusedxml and openpyxl installed to read workbooks "
            "safely: pip install defusedxml openpyxl"
        ) from exc
    if not openpyxl.DEFUSEDXML:
        raise ImportError(
            "openpyxl does not use defusedxml; reinstall defusedxml so that "
            "workbook XML cannot expand entities"
        )


def _issue(code: str, shown: str, message: str) -> Issue:
    return Issue(
        code=code,
        severity=Severity.ERROR,
        message=f"{shown}: {message}",
        source=SourceRef(file=shown),
    )


def _sniff(head: bytes) -> str:
    """A guess at what a non-zip file is, for the error message."""
    lowered = head.lstrip().lower()
    if head.startswith(OLE2_MAGIC):
        return (
            "an encrypted (password-protected) workbook or a legacy .xls file; "
            "remove the password or save it as .xlsx"
        )
    if lowered.startswith(b"%pdf"):
        return "a PDF document, not an xlsx workbook"
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "an HTML page, not an xlsx workbook (was it downloaded from a web page?)"
    if lowered.startswith(b"<?xml"):
        return "an XML file (perhaps an Excel 2003 XML sheet), not an xlsx workbook"
    if not head:
        return "empty"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "not an xlsx workbook (unknown binary content)"
    return "text (CSV?), not an xlsx workbook: put CSV files in a folder, one per sheet"


def check_workbook(path: Path) -> Issue | None:
    """The reason the workbook at ``path`` must not be parsed, or ``None`` when it may be."""
    shown = path.name
    if path.suffix.lower() in MACRO_SUFFIXES:
        return _issue(
            "file-refused",
            shown,
            "macro-enabled and binary workbooks are refused; "
            "save the workbook as .xlsx (Excel Workbook)",
        )
    with path.open("rb") as handle:
        head = handle.read(512)
    if not head.startswith(ZIP_MAGIC):
        return _issue("file-unreadable", shown, "is " + _sniff(head))
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_archive(archive, shown)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        return _issue(
            "file-unreadable",
            shown,
            f"is a damaged zip archive ({exc}); open and save it again in your spreadsheet program",
        )


def _check_archive(archive: zipfile.ZipFile, shown: str) -> Issue | None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        return _issue(
            "file-refused",
            shown,
            f"has {len(entries)} parts, more than the limit of {MAX_ENTRIES} (zip bomb?)",
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        if (refused := _entry_refusal(entry, shown)) is not None:
            return refused
    if total > MAX_TOTAL_BYTES:
        return _issue(
            "file-refused",
            shown,
            f"inflates to {total:,} bytes, more than the limit of {MAX_TOTAL_BYTES:,} (zip bomb?)",
        )
    names = {e.filename for e in entries}
    if "xl/vbaProject.bin" in names or "macroEnabled" in _content_types(archive, names):
        return _issue(
            "file-refused",
            shown,
            "contains macros (VBA); macro workbooks are refused: save it as .xlsx (Excel Workbook)",
        )
    if "xl/workbook.xml" not in names:
        return _issue(
            "file-unreadable",
            shown,
            "is a zip archive but not an xlsx workbook (no xl/workbook.xml)",
        )
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(entry) as part:
                prolog = part.read(PROLOG_BYTES)
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                return _issue(
                    "file-refused",
                    shown,
                    f"part {entry.filename} declares a DTD "
                    "or XML entities, which workbooks never need (entity attack?)",
                )
            if (refused := _forged_count(entry, prolog, shown)) is not None:
                return refused
    return None


def _entry_refusal(entry: zipfile.ZipInfo, shown: str) -> Issue | None:
    """Why one zip entry must not be inflated: encrypted, too large, forged or a bomb."""
    if entry.flag_bits & 0x1:
        return _issue(
            "file-refused",
            shown,
            f"part {entry.filename} is encrypted inside "
            "the zip archive; remove the password and save it as .xlsx",
        )
    if entry.file_size > MAX_ENTRY_BYTES:
        return _issue(
            "file-refused",
            shown,
            f"part {entry.filename} inflates to "
            f"{entry.file_size:,} bytes, more than the limit of "
            f"{MAX_ENTRY_BYTES:,} (zip bomb?)",
        )
    if entry.compress_size > entry.file_size + FORGED_SLACK:
        return _issue(
            "file-refused",
            shown,
            f"part {entry.filename} declares "
            f"{entry.file_size:,} bytes but holds {entry.compress_size:,} "
            "compressed bytes; the zip directory is forged",
        )
    ratio = entry.file_size / max(entry.compress_size, 1)
    if entry.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
        return _issue(
            "file-refused",
            shown,
            f"part {entry.filename} has a compression "
            f"ratio of {ratio:,.0f}:1, more than the limit of {MAX_RATIO}:1 "
            "(zip bomb?)",
        )
    return None


def _forged_count(entry: zipfile.ZipInfo, prolog: bytes, shown: str) -> Issue | None:
    """A shared-strings table that announces more strings than its size can hold: a reader
    reserves memory for the announced count before reading (4e9 strings: hundreds of GB)."""
    table = _SST.search(prolog)
    if table is None:
        return None
    announced = max((int(n) for n in _COUNT.findall(table.group(0))), default=0)
    if announced > entry.file_size // MIN_STRING_BYTES + 1:
        return _issue(
            "file-refused",
            shown,
            f"part {entry.filename} announces {announced:,} "
            f"strings in {entry.file_size:,} bytes, which cannot hold more than "
            f"{entry.file_size // MIN_STRING_BYTES:,}; the workbook is forged",
        )
    return None


def _content_types(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The text of ``[Content_Types].xml`` (bounded), or '' when absent."""
    if "[Content_Types].xml" not in names:
        return ""
    with archive.open("[Content_Types].xml") as part:
        return part.read(1 << 20).decode("utf-8", errors="replace")
