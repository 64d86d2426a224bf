"""Figures a verifier re-performs: renewable energy, own water, the AR 51 sub-line, the
energy totals' reconciliation and possible cloud/compute-job overlaps.

Each function takes the ledger (and the input sheets it needs) and returns plain numbers or
records; nothing is rounded. The rules (which instruments are renewable, which services are
data-centre services) are named here once and the workbook's formulas follow the same rows.
"""

from __future__ import annotations

import pandas as pd

from lca.activities import energy
from lca.activities.common import onsite_water_m3_per_kwh
from lca.issues import Issue, Severity, SourceRef

#: Site kinds whose on-site cooling water (WUE) is the undertaking's own consumption.
OWN_WATER_KINDS = ("datacenter", "colocation")
#: Stages of cloud lines that are data-centre services (``operation``: spend-based fees).
AR51_CLOUD_STAGES = ("use", "manufacturing")
#: Activities whose every line is a cloud data-centre service: compute jobs run in the cloud
#: (jobs on owned equipment are not counted lines) and hosted models called through an API
#: (genai_usage: the provider's GPUs, servers and data-centre water).
CLOUD_SERVICE_ACTIVITIES = ("compute_jobs", "genai_usage")


def cloud_service_lines(lines: pd.DataFrame) -> pd.Series:
    """Per line: True for cloud computing bought as a service (cloud usage and its hosts'
    embodied share, not the spend-based fees; cloud compute jobs; hosted-model use)."""
    cloud = (lines["activity"] == "cloud") & lines["stage"].isin(list(AR51_CLOUD_STAGES))
    return cloud | lines["activity"].isin(list(CLOUD_SERVICE_ACTIVITIES))


def counted(ledger: pd.DataFrame) -> pd.DataFrame:
    return ledger[ledger["counted"]]


def _by_row(sheet: pd.DataFrame, column: str) -> pd.Series:
    """A column of an input sheet indexed by its spreadsheet row number."""
    if column not in sheet.columns or not len(sheet):
        return pd.Series(dtype="object")
    return pd.Series(sheet[column].to_numpy(dtype=object), index=sheet["_row"].to_numpy())


def renewable_energy_lines(ledger: pd.DataFrame, energy_sheet: pd.DataFrame) -> pd.Series:
    """Per counted scope 2 energy line: True when its row's contractual instrument (PPA, green
    tariff, GO, REC, I-REC) makes it renewable, unless the row's ``renewable`` column says "no".

    The market-based factor id plays no part: a PPA with a contractual rate is renewable."""
    lines = counted(ledger)
    lines = lines[(lines["activity"] == "energy") & (lines["scope"] == 2)]
    instrument = lines["row"].map(_by_row(energy_sheet, "instrument")).fillna("none")
    said_no = lines["row"].map(_by_row(energy_sheet, "renewable")).eq("no")
    renewable = instrument.isin(list(energy.RENEWABLE_INSTRUMENTS))
    return (renewable & ~said_no).rename("renewable")


def own_water_lines(ledger: pd.DataFrame, sites: pd.DataFrame) -> pd.Series:
    """Per counted scope 2 electricity line at an own data centre: the on-site cooling water
    (m³) = energy_kwh (facility) × WUE (L per IT kWh) / 1000 / PUE."""
    lines = counted(ledger)
    electric = (lines["scope"] == 2) & (
        (lines["group"] == "electricity") | (lines["activity"] == "equipment")
    )
    lines = lines[
        electric & lines["site_id"].isin(sites.index[sites["kind"].isin(list(OWN_WATER_KINDS))])
    ]
    site = sites.reindex(lines["site_id"])
    per_kwh = onsite_water_m3_per_kwh(
        site["wue_l_per_kwh"].astype("float64").fillna(0.0).to_numpy(),
        site["pue"].astype("float64").to_numpy(),
    )
    return pd.Series(
        lines["energy_kwh"].to_numpy(dtype="float64") * per_kwh,
        index=lines.index,
        name="own_water_m3",
    )


def ar51_lines(ledger: pd.DataFrame, service_categories: list[str]) -> pd.Series:
    """Per counted scope 3 category 1 line: True for cloud computing and data-centre services
    (ESRS E1 AR 51): cloud usage and the hosts' embodied share (not the spend-based lines of
    usage type ``other``: support plans and fees), compute jobs run in the cloud, hosted-model
    use (genai_usage) and purchased services of the data-centre spend categories."""
    lines = counted(ledger)
    lines = lines[(lines["scope"] == 3) & (lines["category"] == 1)]
    services = (lines["activity"] == "services") & lines["group"].isin(service_categories)
    return (cloud_service_lines(lines) | services).rename("ar51")


def ar51_kgco2e(ledger: pd.DataFrame, totals: dict, service_categories: list[str]) -> float | None:
    """The AR 51 sub-line of a year: the kgCO2e of its ``ar51_lines``; None when the year has
    no scope 3 category 1 line (the category's row is then empty too). Year N and every prior
    year are computed by this one function."""
    if "1" not in totals["scope3_by_category_kgco2e"]:
        return None
    ar51 = ar51_lines(ledger, service_categories)
    return float(counted(ledger).loc[ar51[ar51].index, "kgco2e"].sum())


def energy_reconciliation(totals: dict, ledger: pd.DataFrame) -> list[dict]:
    """How the energy of every counted line (``totals.energy_kwh``) splits into own operations
    (scopes 1 and 2, the E1-5 total) and value-chain energy per activity (cloud, cloud jobs)."""
    lines = counted(ledger)
    chain = (
        lines[lines["scope"] == 3]
        .groupby("activity", observed=True)["energy_kwh"]
        .sum(min_count=1)
        .dropna()
    )
    rows = [{"key": "own_operations", "kwh": totals["energy_kwh_own_operations"]}]
    rows += [
        {"key": str(activity), "kwh": float(kwh)} for activity, kwh in sorted(chain.items()) if kwh
    ]
    rows.append({"key": "total", "kwh": totals["energy_kwh"]})
    return rows


def overlap_issues(inventory) -> list[Issue]:
    """A warning per cloud compute job run in a provider region for which the cloud sheet also
    holds a provider-reported figure: the job's energy may already be inside that figure."""
    cloud, jobs = inventory.sheet("cloud"), inventory.sheet("compute_jobs")
    if not len(cloud) or not len(jobs) or "reported_kgco2e" not in cloud.columns:
        return []
    reported = cloud[cloud["reported_kgco2e"].notna()]
    places = {
        f"{p}:{r}".lower(): int(row)
        for p, r, row in zip(
            reported["provider"], reported["region"], reported["_row"], strict=True
        )
    }
    issues = []
    for job in jobs.sort_values("_row").to_dict("records"):
        where = str(job.get("location") or "").lower()
        if job.get("runs_on") != "cloud" or where not in places:
            continue
        issues.append(
            Issue(
                code="cloud-job-overlap",
                severity=Severity.WARNING,
                value=str(job["location"]),
                message=f"compute job {job['job_id']!r} runs in {job['location']}, for which cloud "
                f"row {places[where]} is a provider-reported figure: the job may already be "
                "inside that figure (counted twice); check the provider's scope",
                source=SourceRef(
                    file=str(job["_file"]),
                    sheet="compute_jobs",
                    row=int(job["_row"]),
                    column="location",
                ),
            )
        )
    return issues
