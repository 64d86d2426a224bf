"""Write the generated files and ``factors/manifest.json``.

The manifest holds ``name, version, build_date, publisher, generated_by, sources, files``.
``build_date`` is the latest source year (never the clock), so a rebuild is byte-identical.
Source metadata comes from ``curated/sources.csv``; each source lists its input files with
their sha256, hashed from the data folder at build time.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from lca.factors.build.common import CURATED, Output, csv_text, read_curated

NAME = "lca factor library"
VERSION = "2026.1"
PUBLISHER = "lca project"
GENERATED_BY = "python -m lca.factors.build"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_entries(data: Path, used: set[str]) -> dict[str, dict]:
    """Metadata of every used source, with the sha256 of each input file it names."""
    table = read_curated("sources.csv").set_index("id")
    unknown = used - set(table.index)
    if unknown:
        raise KeyError(f"sources not described in curated/sources.csv: {sorted(unknown)}")
    entries = {}
    for source_id in sorted(used):
        row = table.loc[source_id]
        if row["folder"]:
            paths = {name: data / row["folder"] / name for name in row["files"].split(";")}
        elif row["files"]:  # a transcription kept in build/curated: its own files only
            paths = {name: CURATED / name for name in row["files"].split(";")}
        else:
            paths = {p.name: p for p in sorted(CURATED.glob("*.csv"))}
        entries[source_id] = {
            "title": row["title"],
            "publisher": row["publisher"],
            "url": row["url"],
            "licence": row["licence"],
            "year": int(row["year"]),
            "files": {name: _sha256(path.read_bytes()) for name, path in sorted(paths.items())},
        }
        if row.get("gwp_set"):  # the IPCC GWP100 set of its CO2e figures (lca.factors.gwp)
            entries[source_id]["gwp_set"] = row["gwp_set"]
    return entries


def write_library(outputs: list[Output], data: Path, out: Path) -> dict:
    """Write every output CSV and the manifest under ``out``; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for output in sorted(outputs, key=lambda o: o.path):
        content = csv_text(output.frame).encode("utf-8")
        (out / output.path).write_bytes(content)
        files.append(
            {
                "path": output.path,
                "kind": output.kind,
                "table": output.table,
                "licence": output.licence,
                "sources": sorted(output.sources),
                "sha256": _sha256(content),
                "rows": len(output.frame),
                "description": output.description,
                "generated": True,
            }
        )
    sources = source_entries(data, {s for o in outputs for s in o.sources})
    manifest = {
        "name": NAME,
        "version": VERSION,
        "build_date": str(max(entry["year"] for entry in sources.values())),
        "publisher": PUBLISHER,
        "generated_by": GENERATED_BY,
        "sources": sources,
        "files": files,
    }
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (out / "manifest.json").write_text(text, encoding="utf-8", newline="\n")
    return manifest
