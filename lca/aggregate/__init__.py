"""Stage 5 — aggregate the ledger into the totals of results.json.

Every total is a sum of ledger lines with ``counted`` True; attribution lines (``counted``
False) feed ``attribution`` only; offsets never change a total.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lca.issues import Issue, Severity
from lca.ledger import lifecycle_kgco2e
from lca.ratio import ratio
from lca.validate import Inventory


def _sum(frame: pd.DataFrame, column: str) -> float:
    total = frame[column].sum(min_count=1)  # NaN when no line has a figure
    return 0.0 if pd.isna(total) else float(total)


def by_category(frame: pd.DataFrame, column: str = "kgco2e") -> dict[str, float]:
    """Scope 3 kgCO2e per category, keys as strings ("1" … "15"), sorted numerically."""
    scope3 = _rows(frame, frame["scope"] == 3)
    # grouped by plain integers, not the nullable ones: the same sums, faster (0 = blank)
    keys = scope3["category"].to_numpy(dtype="int64", na_value=0)
    sums = scope3[column].groupby(keys).sum().drop(0, errors="ignore")
    return {str(int(k)): float(v) for k, v in sorted(sums.items())}


def _rows(frame: pd.DataFrame, mask) -> pd.DataFrame:
    """The lines where ``mask`` holds (``frame`` itself, not a copy, when it holds for all)."""
    mask = np.asarray(mask, dtype=bool)
    return frame if mask.all() else frame[mask]


def lines_where(ledger: pd.DataFrame, mask, columns: tuple[str, ...]) -> pd.DataFrame:
    """The ``columns`` of the lines where ``mask`` holds, without copying the other columns."""
    return _rows(pd.DataFrame({c: ledger[c] for c in columns}, copy=False), mask)


_TOTALLED = (
    "scope",
    "category",
    "kgco2e",
    "kgco2e_market",
    "energy_kwh",
    "water_m3",
    "adpe_kgsbeq",
)


def totals(ledger: pd.DataFrame) -> dict:
    """The ``totals`` block: scopes, categories, both scope 2 methods and other indicators."""
    counted = lines_where(ledger, ledger["counted"], _TOTALLED)
    scope1 = _sum(counted[counted["scope"] == 1], "kgco2e")
    scope2 = counted[counted["scope"] == 2]
    scope2_location, scope2_market = _sum(scope2, "kgco2e"), _sum(scope2, "kgco2e_market")
    categories = by_category(counted)
    scope3 = float(sum(categories.values()))
    own = counted[counted["scope"].isin([1, 2])]
    return {
        "scope1_kgco2e": scope1,
        "scope2_location_kgco2e": scope2_location,
        "scope2_market_kgco2e": scope2_market,
        "scope3_kgco2e": scope3,
        "scope3_by_category_kgco2e": categories,
        "total_location_kgco2e": scope1 + scope2_location + scope3,
        "total_market_kgco2e": scope1 + scope2_market + scope3,
        "energy_kwh": _sum(counted, "energy_kwh"),
        "energy_kwh_own_operations": _sum(own, "energy_kwh"),
        "water_m3": _sum(counted, "water_m3"),
        "adpe_kgsbeq": _sum(counted, "adpe_kgsbeq"),
    }


def capital_goods_alternative(ledger: pd.DataFrame, chosen: str, totals_: dict) -> dict:
    """The other capital-goods view: the categories of devices (1, 2, 5) recomputed, never
    added to the totals."""
    both_views = ledger["counted"] & ledger["allocation_share_alternative"].notna()
    counted = lines_where(ledger, both_views, ("scope", "category", "kgco2e", "kgco2e_alternative"))
    changed = by_category(counted, "kgco2e_alternative")
    now = by_category(counted, "kgco2e")
    delta = sum(changed.values()) - sum(now.values())
    # each category it touches, whole: its other lines (cloud and services in 1) unchanged
    whole = totals_["scope3_by_category_kgco2e"]
    alt = {c: whole.get(c, 0.0) - now[c] + changed[c] for c in changed}
    return {
        "capital_goods": "acquisition_year" if chosen == "amortized" else "amortized",
        "scope3_by_category_kgco2e": alt,
        "total_location_kgco2e": totals_["total_location_kgco2e"] + delta,
        "total_market_kgco2e": totals_["total_market_kgco2e"] + delta,
    }


def outside_scopes(ledger: pd.DataFrame) -> dict:
    """Other GHG emissions not in the scopes (scope 0 lines: the non-Kyoto part of
    refrigerants, CFCs, HCFCs and HFOs), per gas; never in a total."""
    outside = (ledger["scope"] == 0) & (ledger["part"] == "outside_scopes")
    lines = lines_where(ledger, outside, ("group", "kgco2e"))
    by_gas = lines.groupby("group", observed=True)["kgco2e"].sum()
    return {
        "kgco2e": _sum(lines, "kgco2e"),
        "by_gas_kgco2e": {str(gas): float(kg) for gas, kg in sorted(by_gas.items())},
    }


def biogenic_co2(ledger: pd.DataFrame) -> dict:
    """Biogenic CO2 of biofuel blends burned on site (scope 0 lines, part ``biogenic_co2``), per
    fuel; reported apart from the scopes, never in a total."""
    biogenic = (ledger["scope"] == 0) & (ledger["part"] == "biogenic_co2")
    lines = lines_where(ledger, biogenic, ("group", "kgco2e"))
    by_fuel = lines.groupby("group", observed=True)["kgco2e"].sum()
    return {
        "kgco2e": _sum(lines, "kgco2e"),
        "by_fuel_kgco2e": {str(fuel): float(kg) for fuel, kg in sorted(by_fuel.items())},
    }


#: What the report states when the amortized view is the headline.
DEPARTURE = (
    "Departure from the GHG Protocol Scope 3 Standard: capital goods (category 2) are "
    "amortized over each device's lifetime in the totals of this report, where the "
    "standard charges their whole cradle-to-gate emissions in the year of acquisition. "
    "The acquisition-year figures are shown beside them, never added."
)


def capital_goods_departure(inventory: Inventory) -> list[Issue]:
    """The disclosed departure from the Scope 3 Standard when ``capital_goods`` is amortized."""
    if inventory.valid_settings.capital_goods != "amortized":
        return []
    return [
        Issue(
            code="capital-goods-amortized",
            severity=Severity.INFO,
            message=DEPARTURE,
            value="amortized",
            source=inventory.settings_cells.ref("capital_goods"),
        )
    ]


def attribution(ledger: pd.DataFrame, capital_goods: str) -> dict:
    """ "Of which" figures: lines already inside another total (their scope 2 part)."""
    shown = lines_where(
        ledger,
        ~ledger["counted"] & ledger["part"].isin(["", "metered"]),
        ("activity", "stage", "site_id", "kgco2e"),
    )
    jobs = shown[shown["activity"] == "compute_jobs"]
    metered = shown[(shown["activity"] == "equipment") & (shown["stage"] == "use")]
    return {
        "compute_jobs_kgco2e": _sum(jobs, "kgco2e"),
        "equipment_use_in_metered_sites_kgco2e": _sum(metered, "kgco2e"),
        "compute_jobs_by_site": ai_share_by_site(ledger, jobs, capital_goods),
    }


def ai_share_by_site(ledger: pd.DataFrame, jobs: pd.DataFrame, capital_goods: str) -> dict:
    """Per site with jobs on its assets: their kgCO2e, the site's counted kgCO2e in the
    lifecycle (amortized) view — the view of the jobs' own per-hour embodied share, whatever
    the headline — and the share."""
    jobs = jobs[jobs["site_id"] != ""]
    if jobs.empty:
        return {}
    counted = ledger["counted"].to_numpy(dtype=bool)
    site_totals = (
        lifecycle_kgco2e(ledger, capital_goods)[counted].groupby(ledger["site_id"][counted]).sum()
    )
    out = {}
    for site, kgco2e in sorted(jobs.groupby("site_id")["kgco2e"].sum().items()):
        site_total = float(site_totals.get(site, 0.0))
        out[str(site)] = {
            "kgco2e": float(kgco2e),
            "site_kgco2e": site_total,
            "share": ratio(float(kgco2e), site_total) if site_total > 0 else None,
        }
    return out


def offsets_memo(inventory: Inventory) -> dict:
    """Offsets and credits: a memo, never deducted."""
    offsets = inventory.sheet("offsets")
    quantity = float(offsets["quantity_tco2e"].sum()) if len(offsets) else 0.0
    return {"quantity_tco2e": quantity, "deducted": False, "rows": len(offsets)}


def reconciliation(
    inventory: Inventory, ledger: pd.DataFrame, rejected_later: dict[str, int] | None = None
) -> dict:
    """rows read = rows accounted + rows rejected, overall and per sheet.

    An activity row is accounted when it has at least one ledger line; other sheets' accepted
    rows (settings, sites, factors, offsets, budgets) are accounted by being used, except those
    of ``rejected_later`` (per sheet, rows rejected after validation: own factors whose unit
    cannot serve). Files of the inventory that were not read as a sheet (unknown, duplicate,
    unreadable, refused) are listed under ``files_not_read`` with the data rows they hold
    (``rows_not_read`` sums them).
    """
    in_ledger = rows_per_sheet(ledger)
    rejected_later = rejected_later or {}
    per_sheet = {}
    for name, read in sorted(inventory.rows_read.items()):
        accepted = read - inventory.rows_rejected.get(name, 0) - rejected_later.get(name, 0)
        accounted = int(in_ledger.get(name, 0)) if name in ACTIVITY_SHEETS else accepted
        per_sheet[name] = {
            "rows_read": read,
            "rows_accounted": accounted,
            "rows_rejected": read - accounted,
        }
    out = {
        "rows_read": sum(s["rows_read"] for s in per_sheet.values()),
        "rows_accounted": sum(s["rows_accounted"] for s in per_sheet.values()),
        "rows_rejected": sum(s["rows_rejected"] for s in per_sheet.values()),
        "by_sheet": per_sheet,
    }
    if inventory.unread:
        out["files_not_read"] = list(inventory.unread)
        out["rows_not_read"] = sum(f["rows"] or 0 for f in inventory.unread)
    return out


def rows_per_sheet(ledger: pd.DataFrame) -> dict[str, int]:
    """Per sheet, the number of distinct input rows with at least one ledger line."""
    sheets, rows = ledger["sheet"].array, ledger["row"].to_numpy()
    out = {}
    for code, sheet in enumerate(sheets.categories):
        present = rows[sheets.codes == code]
        if len(present):
            seen = np.zeros(int(present.max()) + 1, dtype=bool)
            seen[present] = True
            out[str(sheet)] = int(seen.sum())
    return out


ACTIVITY_SHEETS = (
    "equipment",
    "energy",
    "refrigerants",
    "cloud",
    "services",
    "compute_jobs",
    "genai_usage",
)
