"""Shared helpers of the factor build: output records, factor rows, deterministic CSV text.

Every source module returns ``Output`` records; ``lca.factors.build.run`` writes them and the
manifest. Values are written with ``%.10g`` (ten significant digits), which round-trips the
stored number exactly, so a rebuild is byte-identical.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lca.factors.library import FACTOR_COLUMNS

CURATED = Path(__file__).resolve().parent / "curated"


@dataclass(frozen=True)
class Output:
    """One generated file: its rows plus the manifest entry that describes it."""

    path: str
    kind: str  # "factors" or "mapping"
    table: str
    licence: str
    sources: tuple[str, ...]
    description: str
    frame: pd.DataFrame = field(repr=False)


#: Tables keyed by geography: a two-letter key is the row's region (ISO 3166-1 alpha-2).
GEOGRAPHIC_TABLES = ("electricity", "residual_mix")


def factor(
    table: str,
    key: str,
    indicator: str,
    value: float,
    unit: str,
    year: int,
    source: str,
    licence: str,
    notes: str,
    stage: str = "",
    region: str = "",
    per: str = "",
) -> dict:
    """One long-form factor row.

    ``factor_id`` is ``<table>:<key>:<indicator>[:<stage>][:per_<per>]:<year>``; ``per`` names
    the denominator when one factor exists per several units (fuels per L, kWh, kg, m³).
    ``region`` defaults to the country for geographic tables and to ``GLO`` (not specific to a
    region) elsewhere.
    """
    if not region:
        region = key if table in GEOGRAPHIC_TABLES and len(key) == 2 and key.isupper() else "GLO"
    parts = (
        [table, key, indicator]
        + ([stage] if stage else [])
        + ([f"per_{per}"] if per else [])
        + [str(int(year))]
    )
    return {
        "factor_id": ":".join(parts),
        "key": key,
        "indicator": indicator,
        "stage": stage,
        "value": float(value),
        "unit": unit,
        "region": region,
        "year": int(year),
        "source": source,
        "licence": licence,
        "notes": notes,
    }


def factor_output(
    path: str,
    table: str,
    licence: str,
    sources: tuple[str, ...],
    description: str,
    rows: list[dict],
) -> Output:
    """Wrap factor rows into a sorted ``factors`` Output (columns in schema order)."""
    frame = pd.DataFrame(rows, columns=list(FACTOR_COLUMNS))
    frame = frame.sort_values(["key", "indicator", "stage", "year", "unit"], kind="stable")
    return Output(
        path, "factors", table, licence, sources, description, frame.reset_index(drop=True)
    )


def mapping_output(
    path: str,
    table: str,
    licence: str,
    sources: tuple[str, ...],
    description: str,
    frame: pd.DataFrame,
    sort: list[str],
) -> Output:
    """Wrap a wide mapping frame (must carry source, licence, year) into a sorted Output."""
    frame = frame.sort_values(sort, kind="stable").reset_index(drop=True)
    return Output(path, "mapping", table, licence, sources, description, frame)


def format_value(value: object) -> str:
    """Text of one CSV cell: floats with 10 significant digits, integers plain, NaN empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def csv_text(frame: pd.DataFrame) -> str:
    """Deterministic CSV text of a frame (``\\n`` line endings, fixed number format)."""
    formatted = frame.astype(object).map(format_value)
    buffer = io.StringIO()
    formatted.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def read_curated(name: str) -> pd.DataFrame:
    """Read a hand-curated CSV from ``build/curated`` (every row cites its source)."""
    return pd.read_csv(CURATED / name, dtype=str, keep_default_na=False, comment=None)


def g_to_kg(value: float) -> float:
    """gCO2e/kWh → kgCO2e/kWh (and any other gram → kilogram), rounded to 10 digits."""
    return float(f"{float(value) / 1000.0:.10g}")


def rounded(value: float) -> float:
    """A value rounded to 10 significant digits, the precision the CSV files keep."""
    return float(f"{float(value):.10g}")
