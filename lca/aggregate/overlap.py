"""Double-counting guard: rows that may count what activity rows already count.

Pairs looked for (the spend categories and supplier names are data, ``overlap_rules.csv``):

* a services row for computers, storage, peripherals or network equipment, beside equipment
  rows acquired in the period;
* a services row for hosting or colocation, beside energy rows at colocation sites;
* a services row for cloud services, or with a cloud provider as supplier, beside the cloud
  rows of that provider (of any provider for a cloud-services row without one);
* a compute job on ``cloud`` in ``provider:region``, beside cloud rows of that provider and
  region.

Nothing is decided silently: an unresolved pair is a ``double-counting-risk`` warning at the
row's ``overlap`` cell naming both sides and the kgCO2e at stake (the row's counted
location-based figure). The row's ``overlap`` column resolves it: ``excluded`` keeps its lines
in the ledger as attribution (``counted`` False) with the rows that already count it in the
ledger's ``overlap`` column; ``distinct`` keeps it counted, recorded the same way.
"""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from lca.issues import Issue, Severity, SourceRef
from lca.spec import FILE, ROW
from lca.validate import Inventory

RULES = Path(__file__).resolve().parent / "overlap_rules.csv"
#: Rows named in a message, at most.
NAMED = 5


@lru_cache(maxsize=1)
def rules() -> tuple[dict[str, str], dict[str, str]]:
    """Spend category → what it overlaps, and lower-case supplier name → what it overlaps."""
    with RULES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return (
        {r["value"]: r["overlaps"] for r in rows if r["match"] == "category"},
        {r["value"]: r["overlaps"] for r in rows if r["match"] == "supplier"},
    )


def _rows(frame: pd.DataFrame, mask) -> list[int]:
    return [int(r) for r in frame.loc[np.asarray(mask, dtype=bool), ROW]]


def _named(sheet: str, rows: list[int]) -> str:
    """``compute jobs rows 2, 3 and 4 more``: the sheet as words, its first rows."""
    shown = ", ".join(str(r) for r in rows[:NAMED])
    more = f" and {len(rows) - NAMED} more" if len(rows) > NAMED else ""
    return f"{sheet.replace('_', ' ')} row{'s' if len(rows) > 1 else ''} {shown}{more}"


def overlaps(inventory: Inventory) -> list[tuple[str, pd.Series, str, list[int]]]:
    """Every possible double count: (sheet, the row, the other sheet, its rows)."""
    settings = inventory.valid_settings
    start = pd.Timestamp(settings.period_start)
    end = pd.Timestamp(settings.period_end) + pd.Timedelta(days=1)
    equipment, energy = inventory.sheet("equipment"), inventory.sheet("energy")
    cloud, sites = inventory.sheet("cloud"), inventory.sheet("sites")
    acquired = _rows(
        equipment, (equipment["acquired_on"] >= start) & (equipment["acquired_on"] < end)
    )
    colocation = set(sites.loc[sites["kind"] == "colocation", "site_id"])
    colocated = _rows(energy, energy["site_id"].isin(list(colocation)))
    by_category, by_supplier = rules()

    @cache  # one look per target, not per services row
    def other(target: str) -> tuple[str, list[int]]:
        if target == "equipment":
            return "equipment", acquired
        if target == "colocation":
            return "energy", colocated
        provider = target.partition(":")[2]
        every = np.ones(len(cloud), dtype=bool)
        return "cloud", _rows(cloud, cloud["provider"].eq(provider) if provider else every)

    @cache  # one look per distinct category and supplier, not per services row
    def looked_for(category: str, supplier: str | None) -> list[str]:
        targets = {by_category.get(category)}
        name = supplier.strip().lower() if supplier is not None else ""
        targets.add(by_supplier.get(name))
        if "cloud" in targets and any(str(t).startswith("cloud:") for t in targets):
            targets.discard("cloud")
        return sorted(t for t in targets if t)

    found = []
    services = inventory.sheet("services")
    for position, (category, supplier) in enumerate(
        zip(map(str, services["category"]), services["supplier"], strict=True)
    ):
        for target in looked_for(category, supplier if isinstance(supplier, str) else None):
            sheet, rows = other(target)
            if rows:
                found.append(("services", services.iloc[position], sheet, rows))
    jobs = inventory.sheet("compute_jobs")
    if jobs.empty or cloud.empty:
        return found
    location = jobs["location"].astype("string").str.strip().str.lower()
    places = (
        cloud["provider"].astype("string") + ":" + cloud["region"].astype("string")
    ).str.lower()
    named = places.isin(list(location.dropna().unique())).fillna(False).to_numpy(dtype=bool)
    cloud_rows = {
        place: [int(r) for r in rows]
        for place, rows in cloud[ROW][named].groupby(places[named].to_numpy(), sort=False)
    }
    on_cloud = jobs["runs_on"].eq("cloud") & location.isin(list(cloud_rows)).fillna(False)
    for (_, row), place in zip(jobs[on_cloud].iterrows(), location[on_cloud], strict=True):
        found.append(("compute_jobs", row, "cloud", cloud_rows[place]))
    return found


def guard(inventory: Inventory, ledger: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """Warn of each unresolved possible double count; apply each ``overlap`` choice to the
    row's ledger lines (``counted`` False when excluded) and record it in ``overlap``."""
    pairs = overlaps(inventory) if inventory.settings is not None else []
    if not pairs:
        return ledger, []
    keys = pd.Series(
        ledger["sheet"].astype(str).to_numpy() + ":" + ledger["row"].astype(str).to_numpy()
    )
    wanted = {f"{sheet}:{int(row[ROW])}" for sheet, row, _, _ in pairs}
    in_pairs = keys[keys.isin(wanted)]
    positions = pd.Series(in_pairs.index).groupby(in_pairs.to_numpy()).indices
    positions = {key: in_pairs.index[at] for key, at in positions.items()}
    counted = ledger["counted"].to_numpy().copy()
    notes = ledger["overlap"].astype(object).to_numpy().copy()
    kgco2e = ledger["kgco2e"].to_numpy()
    issues = []
    for sheet, row, other_sheet, other_rows in pairs:
        lines = np.asarray(positions.get(f"{sheet}:{int(row[ROW])}", []), dtype=np.int64)
        stake = float(kgco2e[lines[counted[lines]]].sum())
        others = _named(other_sheet, other_rows)
        choice = row["overlap"] if isinstance(row["overlap"], str) else ""
        if choice == "excluded":
            counted[lines] = False
            notes[lines] = f"excluded: already counted by {others}"
        elif choice == "distinct":
            notes[lines] = f"distinct from {others}"
        else:
            what = row["category"] if sheet == "services" else row["location"]
            issues.append(
                Issue(
                    code="double-counting-risk",
                    severity=Severity.WARNING,
                    value=str(what),
                    message=f"{_named(sheet, [int(row[ROW])])} ({what}) may count what {others} "
                    f"already {'hold' if len(other_rows) > 1 else 'holds'}: {stake:.1f} kgCO2e "
                    "at stake. Set overlap to 'excluded' (already counted there: kept as "
                    "attribution) or 'distinct' (covers something else)",
                    source=SourceRef(
                        file=str(row[FILE]), sheet=sheet, row=int(row[ROW]), column="overlap"
                    ),
                )
            )
    return ledger.assign(counted=counted, overlap=pd.Categorical(notes.astype(str))), issues
