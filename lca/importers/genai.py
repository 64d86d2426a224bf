"""Generative-AI usage exports → ``genai_usage`` rows (one per usage record, with provenance).

* ``openai-usage``: OpenAI's Completions Usage API (``GET /v1/organization/usage/completions``)
  as saved JSON (a page ``{"object": "page", "data": [buckets]}``, a list of pages or a list of
  buckets; each bucket ``start_time``/``end_time`` in Unix seconds with its ``results``), or the
  same records flattened to CSV. Per result: ``model``, ``num_model_requests`` → requests,
  ``output_tokens``, ``input_tokens``, ``project_id`` → project.
* ``anthropic-usage``: Anthropic's Messages Usage Report (``GET /v1/organizations/usage_report/
  messages``) as saved JSON (``{"data": [buckets]}``, buckets ``starting_at``/``ending_at`` in
  RFC 3339 with their ``results``) or flattened to CSV. Per result: ``model``,
  ``output_tokens``; input tokens = uncached + cache read + cache creation; ``workspace_id`` →
  project. The report counts no requests: ``requests`` is left blank for the user to fill (the
  row is refused until then, never guessed).
* ``genai-csv``: a plain per-model table whose columns are the sheet's (common spellings such
  as ``completion_tokens`` or ``calls`` accepted).

``source_row`` is the spreadsheet row of a CSV record (header = 1), and for JSON the position
of the result in the file (1-based, buckets in file order).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lca.errors import InputFileError
from lca.importers.base import Imported, ImportOptions, read_table, require, with_provenance

SHEET = "genai_usage"
#: genai-csv: accepted spellings (after ``snake``) of the sheet's columns.
PLAIN_COLUMNS = {
    "provider": ("vendor", "api_provider"),
    "model": ("model_name", "model_id", "snapshot_id"),
    "requests": ("num_model_requests", "num_requests", "request_count", "calls", "requests_total"),
    "output_tokens": ("completion_tokens", "generated_tokens", "generated_tokens_total"),
    "input_tokens": ("prompt_tokens", "context_tokens", "context_tokens_total"),
    "latency_s": ("latency", "mean_latency_s"),
    "region": ("zone", "country"),
    "period_start": ("start_date", "date", "start_time_iso", "starting_at"),
    "period_end": ("end_date", "ending_at"),
    "project": ("project_id", "project_name", "workspace_id", "team"),
    "cost": ("spend", "amount", "cost_usd"),
    "currency": ("cost_currency",),
}


def _json_records(path: Path, bucket_keys: tuple[str, str]) -> pd.DataFrame:
    """The results of a saved usage-API response, one row per result, with its bucket's start
    and end and a ``_row`` numbering the results in file order."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(f"{path}: cannot be read as JSON: {exc}") from exc
    pages = document if isinstance(document, list) else [document]
    buckets = []
    for page in pages:
        if isinstance(page, dict) and isinstance(page.get("data"), list):
            buckets += page["data"]
        elif isinstance(page, dict) and "results" in page:
            buckets.append(page)
        else:
            raise InputFileError(
                f"{path}: not a usage report: expected pages with a 'data' list of time buckets"
            )
    start, end = bucket_keys
    records = []
    for bucket in buckets:
        results = bucket.get("results") if isinstance(bucket, dict) else None
        if not isinstance(results, list):
            raise InputFileError(f"{path}: a time bucket without a 'results' list")
        for result in results:
            if not isinstance(result, dict):
                raise InputFileError(f"{path}: a usage result that is not an object")
            records.append({**_flat(result), start: bucket.get(start), end: bucket.get(end)})
    frame = pd.DataFrame(records)
    frame["_row"] = range(1, len(frame) + 1)
    return frame


def _flat(record: dict, prefix: str = "") -> dict:
    """Nested objects as ``parent_child`` keys (Anthropic's ``cache_creation`` object)."""
    out = {}
    for key, value in record.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}_"))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _table(path: Path, bucket_keys: tuple[str, str]) -> pd.DataFrame:
    """A usage export as a frame: JSON (API response) or CSV/Parquet (flattened records)."""
    if path.suffix.lower() == ".json":
        if not path.is_file():
            raise InputFileError(f"{path}: no such file")
        return _json_records(path, bucket_keys)
    return read_table(path)


def _number(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as numbers where it reads as one, the text as given elsewhere (the validation
    names what does not read); blank when the file has no such column."""
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype=object)
    values = frame[column].astype(object)
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return numbers.astype(object).where(numbers.notna(), values)


def _date(values: pd.Series | None, unix: bool, shift_days: int = 0) -> pd.Series | None:
    """ISO dates (YYYY-MM-DD, UTC) of Unix seconds or RFC 3339 timestamps; ``shift_days``
    turns an exclusive bucket end into the inclusive last day (None: no such column)."""
    if values is None:
        return None
    parsed = (
        pd.to_datetime(pd.to_numeric(values, errors="coerce"), unit="s", utc=True)
        if unix
        else pd.to_datetime(values, errors="coerce", utc=True, format="ISO8601")
    )
    text = (parsed - pd.Timedelta(days=shift_days)).dt.strftime("%Y-%m-%d").astype(object)
    return text.where(parsed.notna(), values.astype(object))  # unreadable: kept as given


def _rows(frame: pd.DataFrame, path: Path, provider: str, columns: dict) -> pd.DataFrame:
    """genai_usage rows with provenance; ``columns`` holds the already-derived values."""
    rows = pd.DataFrame(
        {"provider": provider, "model": frame.get("model"), **columns}, index=frame.index
    )
    return with_provenance(rows, path, frame["_row"])


def read_openai(path: Path, options: ImportOptions) -> Imported:
    """genai_usage rows of an OpenAI completions usage export."""
    frame = _table(path, ("start_time", "end_time"))
    require(
        frame.columns,
        ("output_tokens", "num_model_requests"),
        path,
        "an OpenAI completions usage export",
    )
    unix = "start_time" in frame and bool(
        pd.to_numeric(frame["start_time"], errors="coerce").notna().all()
    )
    rows = _rows(
        frame,
        path,
        "openai",
        {
            "requests": _number(frame, "num_model_requests"),
            "output_tokens": _number(frame, "output_tokens"),
            "input_tokens": _number(frame, "input_tokens"),
            "period_start": _date(frame.get("start_time"), unix),
            "period_end": _date(frame.get("end_time"), unix, shift_days=1),
            "project": frame.get("project_id"),
        },
    )
    return _imported(rows, "OpenAI usage", options)


def read_anthropic(path: Path, options: ImportOptions) -> Imported:
    """genai_usage rows of an Anthropic messages usage report."""
    frame = _table(path, ("starting_at", "ending_at"))
    require(
        frame.columns,
        ("output_tokens", "uncached_input_tokens"),
        path,
        "an Anthropic messages usage report",
    )
    input_parts = [
        c
        for c in frame.columns
        if c == "uncached_input_tokens"
        or c == "cache_read_input_tokens"
        or c.startswith("cache_creation")
    ]
    inputs = sum(pd.to_numeric(frame[c], errors="coerce").fillna(0) for c in input_parts)
    rows = _rows(
        frame,
        path,
        "anthropic",
        {
            "requests": pd.NA,
            "output_tokens": _number(frame, "output_tokens"),
            "input_tokens": inputs,
            "period_start": _date(frame.get("starting_at"), unix=False),
            "period_end": _date(frame.get("ending_at"), unix=False, shift_days=1),
            "project": frame.get("workspace_id"),
        },
    )
    imported = _imported(rows, "Anthropic usage", options)
    if len(imported.sheets[SHEET]):
        imported.notes.append(
            f"requests left blank on all {len(imported.sheets[SHEET])} row(s): Anthropic's "
            "usage report counts tokens, not requests; fill requests before reporting"
        )
    return imported


def read_plain(path: Path, options: ImportOptions) -> Imported:
    """genai_usage rows of a plain per-model CSV (or Parquet) table."""
    frame = read_table(path, PLAIN_COLUMNS)
    require(
        frame.columns,
        ("provider", "model", "requests", "output_tokens"),
        path,
        "a generative-AI usage table",
    )
    rows = with_provenance(frame.drop(columns="_row"), path, frame["_row"])
    return _imported(rows, "generative-AI usage", options)


def _imported(rows: pd.DataFrame, what: str, options: ImportOptions) -> Imported:
    """The rows (only those whose period starts in ``options.year`` when it is given) and
    notes on what was made and left out."""
    notes = [f"{len(rows)} genai_usage row(s) from the {what} export"]
    if options.year is not None and "period_start" in rows:
        inside = rows["period_start"].astype("string").str.startswith(str(options.year))
        inside = inside.fillna(False).astype(bool)
        notes.append(
            f"kept the {int(inside.sum())} row(s) of {options.year}; "
            f"{int((~inside).sum())} of other years (or undated) left out"
        )
        rows = rows[inside.to_numpy()]
    return Imported({SHEET: rows}, notes + _refused(rows))


def _refused(rows: pd.DataFrame) -> list[str]:
    """Notes on the rows the sheet will refuse (no model named)."""
    notes = []
    blank = rows["model"].isna().sum() if "model" in rows else len(rows)
    if blank:
        notes.append(
            f"{int(blank)} row(s) have no model (the export was not grouped by "
            "model): fill model, or export grouped by model"
        )
    return notes
