"""carbontracker logs → compute_jobs rows, one per ``*_carbontracker_output.log``.

The "Actual consumption" block gives time, energy (kWh, PUE included) and CO2eq; the PUE is
read from the standard log (``…multiplied by a PUE coefficient of 1.58``); a log that states
none was multiplied by carbontracker's own default, the library's compat ``carbontracker``
PUE, disclosed in the notes. measured_kwh = energy / PUE (IT energy). A log with only a
"Predicted consumption" block is not measured and is skipped, with a note.
Accepts one output log, or a folder (every ``*_carbontracker_output.log`` in it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lca.errors import InputFileError
from lca.importers.base import Imported, ImportOptions, with_provenance

ACTUAL = re.compile(
    r"Actual consumption for (\d+) epoch\(s\):\s*\n\s*Time:\s*([\d:.]+)\s*\n"
    r"\s*Energy:\s*([\d.eE+-]+) kWh"
)
PUE = re.compile(r"PUE coefficient of ([\d.]+)")
DEVICES = re.compile(r"GPU with device\(s\) ([^.]+)\.|CPU with device\(s\) ([^.]+)\.")


def _hours(text: str) -> float:
    hours, minutes, seconds = text.split(":")
    return int(hours) + int(minutes) / 60 + float(seconds) / 3600


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def read(path: Path, options: ImportOptions) -> Imported:
    """compute_jobs rows of carbontracker output logs."""
    files = sorted(path.glob("*_carbontracker_output.log")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise InputFileError(f"{path}: no carbontracker output log")
    rows, notes = [], []
    default_pue: float | None = None
    for file in files:
        text = file.read_text(encoding="utf-8", errors="replace")
        standard = file.with_name(file.name.replace("_output.log", ".log"))
        header = (
            standard.read_text(encoding="utf-8", errors="replace") if standard.is_file() else text
        )
        found = ACTUAL.search(text)
        if found is None:
            notes.append(f"{file.name}: no actual consumption (prediction only): skipped")
            continue
        pue_match = PUE.search(header)
        if pue_match is not None:
            pue = float(pue_match.group(1))
        else:
            pue = default_pue = default_pue or _library_pue(options)
        if pue_match is None:
            notes.append(
                f"{file.name}: no PUE stated; carbontracker's default {pue:g} "
                "(library compat table) is taken as the PUE its energy includes"
            )
        devices = DEVICES.findall(header)
        gpu = next((g for g, _ in devices if g), None)
        cpu = next((c for _, c in devices if c), None)
        rows.append(
            {
                "job_id": file.name.split("_carbontracker")[0],
                "hardware": (gpu or cpu or "unknown").strip(),
                "device_count": 1.0,
                "hours": _hours(found.group(2)),
                "location": options.location,
                "runs_on": options.runs_on,
                "pue": pue,
                "measured_kwh": float(found.group(3)) / pue,
                "_file": file,
                "_row": _line_of(text, found.start()),
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return Imported({}, notes)
    parts = [
        with_provenance(group.drop(columns=["_file", "_row"]), file, group["_row"])
        for file, group in frame.groupby("_file", sort=True)
    ]
    notes.append(f"{len(frame)} carbontracker run(s): measured_kwh = energy / PUE (IT energy)")
    if frame["location"].isna().any() or frame["runs_on"].isna().any():
        notes.append(
            "carbontracker logs hold no location or host: give --location and "
            "--runs-on, or fill the columns"
        )
    return Imported({"compute_jobs": pd.concat(parts)}, notes)


def _library_pue(options: ImportOptions) -> float:
    """carbontracker's default PUE, as the library's compat table holds it."""
    from lca.factors.library import load_library
    from lca.methods.compat import compat_value

    return compat_value(options.library or load_library(), "carbontracker", "pue", "dimensionless")
