"""The factor library in a prebuilt binary form, so that a run does not parse CSVs.

``lca.factors.build`` writes, next to the CSVs and ``manifest.json``:

* ``library.arrow`` — every table of the library *as loaded and checked* from the CSVs (the
  long-form factors and each mapping table), one Arrow IPC stream per table, concatenated;
* ``library.arrow.json`` — the sha256 of ``library.arrow``, the sha256 of the manifest it was
  built from, and the byte range of each table's stream.

``load`` returns the tables only when both hashes match (the binary was built from this very
manifest and has not changed since) and every CSV still has the sha256 the manifest gives it;
the caller then skips parsing and re-checking the CSVs, which the binary already holds
checked. Anything else (no binary, a stale or altered one, an unreadable one) returns None and
the library is read from its CSVs, which remain the source of truth: the binary only saves
time, never changes a number (``tests/test_factor_binary.py`` compares the two forms).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pandas as pd
import pyarrow as pa

log = logging.getLogger(__name__)

BINARY = "library.arrow"
INDEX = "library.arrow.json"
FORMAT = "lca-factor-library/arrow-ipc/1"
#: The long-form factors table's name in the binary (mapping tables keep their own names).
FACTORS = "__factors__"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stream(frame: pd.DataFrame) -> bytes:
    # without pandas' schema metadata, which names the pandas version: the same tables give
    # the same bytes whatever the version that wrote them
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression="zstd")  # a third of the size, read as fast
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def write(path: Path, factors: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> Path:
    """Write ``library.arrow`` and its index under ``path`` from checked frames (what
    ``read_library`` made of the CSVs); return the binary's path."""
    manifest = (path / "manifest.json").read_bytes()
    blob, entries = bytearray(), []
    for name, frame in [(FACTORS, factors), *sorted(tables.items())]:
        if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0:
            raise ValueError(f"{name}: the binary library stores frames with a 0-based index")
        data = _stream(frame)
        entries.append({"name": name, "offset": len(blob), "length": len(data)})
        blob += data
    (path / BINARY).write_bytes(bytes(blob))
    index = {
        "format": FORMAT,
        "manifest_sha256": _sha256(manifest),
        "sha256": _sha256(bytes(blob)),
        "tables": entries,
    }
    text = json.dumps(index, indent=2, sort_keys=True) + "\n"
    (path / INDEX).write_text(text, encoding="utf-8", newline="\n")
    return path / BINARY


def _frame(buffer: memoryview) -> pd.DataFrame:
    return pa.ipc.open_stream(pa.py_buffer(buffer)).read_all().to_pandas()


def load(
    path: Path, manifest_bytes: bytes, manifest: dict
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]] | None:
    """The checked factors and mapping tables from the binary under ``path``, or None when
    it is absent or does not match ``manifest`` (the caller then reads the CSVs)."""
    try:
        index = json.loads((path / INDEX).read_text(encoding="utf-8"))
        if index.get("format") != FORMAT:
            return _stale(path, "another format")
        if index.get("manifest_sha256") != _sha256(manifest_bytes):
            return _stale(path, "built from another manifest")
        blob = (path / BINARY).read_bytes()
        if _sha256(blob) != index.get("sha256"):
            return _stale(path, "sha256 differs from its index")
        for entry in manifest["files"]:  # the CSVs stay checked against the manifest
            if _sha256((path / entry["path"]).read_bytes()) != entry["sha256"]:
                return _stale(path, f"{entry['path']} differs from the manifest")
        view = memoryview(blob)
        frames = {
            e["name"]: _frame(view[e["offset"] : e["offset"] + e["length"]])
            for e in index["tables"]
        }
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        return _stale(path, f"unreadable ({exc})")
    factors = frames.pop(FACTORS, None)
    names = [
        e.get("table", Path(e["path"]).stem) for e in manifest["files"] if e["kind"] == "mapping"
    ]
    if factors is None or sorted(frames) != sorted(names):
        return _stale(path, "its tables are not the manifest's")
    return factors, {name: frames[name] for name in names}  # in the manifest's order


def _stale(path: Path, why: str) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]] | None:
    """None, once it is logged why the binary is not used."""
    log.info("%s: not used (%s); reading the CSVs", path / BINARY, why)
    return None
