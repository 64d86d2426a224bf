"""Breakdown tables of the report model: plain lists of dicts built from the ledger.

Every figure is a sum of counted ledger lines (attribution lines only where named "of which");
nothing is rounded here.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from lca.ledger import factor_id_lists, lifecycle_kgco2e
from lca.report.figures import cloud_service_lines
from lca.report.labels import human

#: Equipment categories that are data-centre hardware (compute, storage, network).
DATACENTRE_HARDWARE = ("server", "gpu_server", "storage_array", "switch", "router", "firewall")
#: Ledger "method" values that count as primary data (ESRS E1 AR 46(g)) in a ledger without
#: the ``primary_data`` column that the library's ``dqi_rules`` give a computed one.
PRIMARY_METHODS = ("supplier_specific", "measured")
METHODS = ("supplier_specific", "measured", "average_data", "estimated", "spend_based")


def counted(ledger: pd.DataFrame) -> pd.DataFrame:
    """The lines inside the totals."""
    return ledger[ledger["counted"]]


def grouped(
    frame: pd.DataFrame, keys: list[str], columns: tuple[str, ...] = ("kgco2e", "kgco2e_market")
) -> list[dict]:
    """Sum ``columns`` by ``keys``; rows sorted by the keys, with the line count."""
    if frame.empty:
        return []
    sums = frame.groupby(keys, dropna=False, sort=True)[list(columns)].sum(min_count=1)
    sizes = frame.groupby(keys, dropna=False, sort=True).size()
    out = []
    for key, values in sums.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        row = {k: ("" if pd.isna(v) else v) for k, v in zip(keys, key, strict=True)}
        row.update({c: (None if pd.isna(values[c]) else float(values[c])) for c in columns})
        row["lines"] = int(sizes[key if len(key) > 1 else key[0]])
        out.append(row)
    return out


def scope_label(scope: int, category) -> str:
    return f"Scope {scope}" if pd.isna(category) else f"Scope 3 · category {int(category)}"


def scope3_categories(
    totals: dict, names: dict[str, str], cloud_kgco2e: float, mix: list[dict], screening: dict
) -> list[dict]:
    """All 15 categories with their total, their primary data share (from ``method_mix``)
    and their screening status (``included``, or why not: results.json ``scope3_screening``)."""
    values = totals["scope3_by_category_kgco2e"]
    primary = {r["category"]: r["primary_share"] for r in mix if r["scope"] == 3}
    rows = []
    for number, name in names.items():
        rows.append(
            {
                "number": int(number),
                "name": name,
                "kgco2e": values.get(number),
                "included": number in values,
                "status": screening[number]["status"],
                "primary_share": primary.get(int(number)),
            }
        )
        if number == "1":
            rows.append(
                {
                    "number": None,
                    "name": "of which cloud and data-centre services",
                    "kgco2e": cloud_kgco2e if "1" in values else None,
                    "included": "1" in values,
                    "status": screening["1"]["status"],
                    "sub": True,
                }
            )
    return rows


def by_site(ledger: pd.DataFrame, sites: pd.DataFrame, capital_goods: str) -> list[dict]:
    """Scope 1, 2 (both methods) and site-bound scope 3 per site; scope 3 also in the lifecycle
    (amortized) view, beside the GHG view and never added to it."""
    lines = counted(ledger)
    lines = lines[lines["site_id"] != ""]
    lines = lines.assign(lifecycle_kgco2e=lifecycle_kgco2e(lines, capital_goods))
    rows = []
    for site_id, part in lines.groupby("site_id", sort=True):
        site = sites.loc[site_id] if site_id in sites.index else None
        own = part[part["scope"].isin([1, 2])]
        scope3 = part[part["scope"] == 3]
        rows.append(
            {
                "site_id": site_id,
                "name": "" if site is None else _text(site.get("name")),
                "country": "" if site is None else _text(site.get("country")),
                "kind": "" if site is None else _text(site.get("kind")),
                "scope1_kgco2e": float(part.loc[part["scope"] == 1, "kgco2e"].sum()),
                "scope2_location_kgco2e": float(part.loc[part["scope"] == 2, "kgco2e"].sum()),
                "scope2_market_kgco2e": float(part.loc[part["scope"] == 2, "kgco2e_market"].sum()),
                "scope3_kgco2e": float(scope3["kgco2e"].sum()),
                "scope3_lifecycle_kgco2e": float(scope3["lifecycle_kgco2e"].sum()),
                "energy_kwh": float(own["energy_kwh"].sum()),
            }
        )
    return rows


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def by_country(ledger: pd.DataFrame) -> list[dict]:
    """Location- and market-based kgCO2e per country of the electricity or site."""
    lines = counted(ledger)
    return grouped(lines[lines["country"] != ""], ["country"])


def equipment(ledger: pd.DataFrame) -> list[dict]:
    """Equipment by category and stage (use-phase lines are attribution where metered).

    "Of which" holds the scope 2 part only, as results.json's ``attribution``: the upstream
    (category 3) part of metered electricity is in the meter's own category 3 line."""
    lines = ledger[ledger["activity"] == "equipment"]
    lines = lines[lines["counted"] | (lines["part"] == "")].assign(
        counted_kgco2e=lambda f: f["kgco2e"].where(f["counted"], 0.0),
        of_which_kgco2e=lambda f: f["kgco2e"].where(~f["counted"], 0.0),
    )
    return grouped(lines, ["group", "stage"], ("counted_kgco2e", "of_which_kgco2e"))


def cloud(ledger: pd.DataFrame, sheet: pd.DataFrame) -> list[dict]:
    """Cloud by provider and region (the region of the input row)."""
    lines = counted(ledger)
    lines = lines[lines["activity"] == "cloud"]
    region = sheet.set_index("_row")["region"].astype(str) if len(sheet) else pd.Series()
    lines = lines.assign(region=lines["row"].map(region).fillna(""))
    return grouped(lines, ["group", "region"], ("kgco2e", "energy_kwh", "water_m3"))


def services(ledger: pd.DataFrame) -> list[dict]:
    """Purchased services by spend category and method."""
    lines = counted(ledger)
    return grouped(lines[lines["activity"] == "services"], ["group", "method"])


def compute_jobs(ledger: pd.DataFrame, names: Mapping[str, str]) -> list[dict]:
    """Compute jobs: those in the cloud are counted (scope 3 category 1); those on owned
    equipment are "of which" attribution (scope 2 part), already inside the site's meter.
    One row per ledger label, its keys as people read them (``names``: the library's names of
    hardware keys), a job's hardware share after its use; jobs in the ledger's order."""
    lines = ledger[
        (ledger["activity"] == "compute_jobs") & (ledger["counted"] | (ledger["part"] == ""))
    ]
    label = lines["label"].astype(str).map(lambda text: human(text, names))
    order = pd.factorize(lines["item_id"])[0] * 2 + (lines["stage"] == "manufacturing")
    lines = lines.assign(
        label=pd.Categorical(label, categories=label.iloc[order.argsort(kind="stable")].unique()),
        counted_kgco2e=lines["kgco2e"].where(lines["counted"], 0.0),
        of_which_kgco2e=lines["kgco2e"].where(~lines["counted"], 0.0),
    )
    return grouped(lines, ["label"], ("counted_kgco2e", "of_which_kgco2e", "energy_kwh"))


def by_activity(ledger: pd.DataFrame) -> list[dict]:
    """Counted kgCO2e by activity (the sheet the line comes from)."""
    return grouped(counted(ledger), ["activity"])


def top_sources(ledger: pd.DataFrame, names: Mapping[str, str], n: int = 10) -> list[dict]:
    """The ``n`` counted lines with the highest location-based kgCO2e (ties by line id), each
    labelled as people read it (``names``: the library's names of keys)."""
    lines = counted(ledger)
    kg = lines["kgco2e"].to_numpy(dtype="float64")
    known = kg[~np.isnan(kg)]
    if len(known) > n:  # only lines at or above the n-th largest figure can be in the top n
        lines = lines[kg >= np.partition(known, len(known) - n)[len(known) - n]]
    lines = lines.sort_values(["kgco2e", "line_id"], ascending=[False, True], kind="stable").head(n)
    return [
        {
            "line_id": r.line_id,
            "label": human(r.label, names),
            "stage": str(r.stage),
            "part": str(r.part),
            "scope": scope_label(r.scope, r.category),
            "scope_number": int(r.scope),
            "sheet": str(r.sheet),
            "row": int(r.row),
            "kgco2e": float(r.kgco2e),
        }
        for r in lines.itertuples(index=False)
    ]


def compute_share(ledger: pd.DataFrame, sites: pd.DataFrame) -> dict:
    """Compute as parts of the location-based total: cloud computing (cloud usage and its hosts'
    embodied share, cloud compute jobs, hosted-model use; not spend-based fees), data-centre
    hardware and data-centre energy (sites of kind datacenter or colocation). Jobs on owned
    equipment are "of which" figures inside the last two."""
    lines = counted(ledger)
    total = float(lines["kgco2e"].sum())
    cloud = cloud_service_lines(lines)
    cloud_kg = float(lines.loc[cloud, "kgco2e"].sum())
    hardware = lines[(lines["activity"] == "equipment") & lines["group"].isin(DATACENTRE_HARDWARE)]
    hardware_kg = float(hardware["kgco2e"].sum())
    centres = sites.index[sites["kind"].isin(["datacenter", "colocation"])]
    energy = lines[(lines["activity"] == "energy") & lines["site_id"].isin(centres)]
    energy_kg = float(energy["kgco2e"].sum())
    jobs = ledger[
        (ledger["activity"] == "compute_jobs") & ~ledger["counted"] & (ledger["part"] == "")
    ]
    return {
        "total_kgco2e": total,
        "cloud_kgco2e": cloud_kg,
        "datacentre_hardware_kgco2e": hardware_kg,
        "datacentre_energy_kgco2e": energy_kg,
        "other_kgco2e": total - cloud_kg - hardware_kg - energy_kg,
        "compute_jobs_kgco2e": float(jobs["kgco2e"].sum()),
    }


def method_mix(ledger: pd.DataFrame) -> list[dict]:
    """Per scope/category: kgCO2e by method and the share from primary data."""
    lines = counted(ledger)
    rows = []
    keys = lines["category"].astype("float64").fillna(0)
    for (scope, category), part in lines.groupby([lines["scope"], keys], sort=True):
        by_method = part.groupby("method")["kgco2e"].sum()
        total = float(part["kgco2e"].sum())
        if "primary_data" in part:  # the library's dqi_rules (lca.aggregate.data_quality)
            primary = float(part.loc[part["primary_data"].astype(bool), "kgco2e"].sum())
        else:
            primary = float(by_method.reindex(list(PRIMARY_METHODS)).fillna(0).sum())
        rows.append(
            {
                "scope": int(scope),
                "category": int(category) or None,
                "label": scope_label(scope, category or float("nan")),
                **{m: float(by_method.get(m, 0.0)) for m in METHODS},
                "total": total,
                "primary_kgco2e": primary,
                "primary_share": primary / total if total else None,
            }
        )
    return rows


def scope2_methods(ledger: pd.DataFrame) -> list[dict]:
    """Per site: which market-based factor was used (contract, instrument, residual mix or the
    location-based fallback)."""
    lines = counted(ledger)
    lines = lines[lines["scope"] == 2]
    lines = lines.assign(market_source=lines["market_basis"].astype(str))
    return grouped(lines, ["site_id", "market_source"], ("kgco2e", "kgco2e_market", "energy_kwh"))


def spend_conversions(ledger: pd.DataFrame) -> list[dict]:
    """Spend-based lines grouped by currency, exchange rate and price-index adjustment."""
    lines = counted(ledger)
    lines = lines[lines["method"] == "spend_based"]
    return grouped(
        lines,
        ["currency", "fx_rate", "price_index_ratio", "activity_unit"],
        ("spend", "activity_amount", "kgco2e"),
    )


#: Ledger factor-id column → the factor column whose value it names.
FACTOR_VALUE = {
    "factor_gwp": "ef_gwp",
    "factor_gwp_market": "ef_gwp_market",
    "factor_water": "ef_water",
    "factor_adpe": "ef_adpe",
}
#: Unit of each factor column, per the line's activity unit.
FACTOR_VALUE_UNIT = {
    "ef_gwp": "kgCO2e",
    "ef_gwp_market": "kgCO2e",
    "ef_water": "m³",
    "ef_adpe": "kg Sb eq",
}


def values_used(ledger: pd.DataFrame) -> dict[str, list[tuple[float, str]]]:
    """Per factor id named alone in a factor column: the distinct (value, unit) the lines used."""
    out: dict[str, set] = {}
    for id_column, value_column in FACTOR_VALUE.items():
        frame = ledger[[id_column, value_column, "activity_unit"]].dropna().drop_duplicates()
        frame = frame[~frame[id_column].astype(str).str.contains(";")]
        for fid, value, per in frame.itertuples(index=False):
            out.setdefault(str(fid), set()).add(
                (float(value), f"{FACTOR_VALUE_UNIT[value_column]}/{per}")
            )
    return {k: sorted(v) for k, v in out.items()}


def publishers(library, source: str) -> tuple[str, str]:
    """The publishers and dataset editions of a factor's ``source`` ids (``a;b``), from the
    library manifest; an id the manifest does not describe is printed as it is."""
    described = library.manifest.get("sources", {})
    names, editions = [], []
    for sid in dict.fromkeys(s.strip() for s in source.split(";") if s.strip()):
        info = described.get(sid)
        if info is None:
            names.append(sid)
            continue
        names.append(info.get("publisher", sid))
        editions.append(
            f"{info.get('title', sid)}" + (f" ({info['year']})" if info.get("year") else "")
        )
    return "; ".join(dict.fromkeys(names)), "; ".join(dict.fromkeys(editions))


def factors_used(
    ledger: pd.DataFrame, library, own: pd.DataFrame, sites: pd.DataFrame
) -> list[dict]:
    """Every factor id the ledger names: the value used, unit, publisher, dataset edition,
    year, licence and the build note of modelled values. ``sites`` is the inventory's sites
    sheet (the PUE and WUE given there)."""
    codes, lists = factor_id_lists(ledger)
    ids = sorted({i for names in lists for i in names})
    weight = lines_kgco2e(ledger, codes, lists)
    lib = library.factors.set_index("factor_id")
    own = own.set_index("factor_id") if len(own) else own
    licences = {f["path"].rsplit(".", 1)[0]: f["licence"] for f in library.licences()}
    used = values_used(ledger)
    rows = []
    for factor_id in ids:
        row = {
            "factor_id": factor_id,
            "values": [],
            "publisher": "",
            "edition": "",
            "year": None,
            "licence": "",
            "note": "",
            "lines_kgco2e": weight.get(factor_id, 0.0),
        }
        if factor_id in lib.index:
            f = lib.loc[factor_id]
            publisher, edition = publishers(library, _text(f["source"]))
            row.update(
                values=[(float(f["value"]), str(f["unit"]))],
                publisher=publisher,
                edition=edition,
                year=None if pd.isna(f["year"]) else int(f["year"]),
                licence=_text(f["licence"]),
                note=_text(f.get("notes")),
            )
        elif len(own) and factor_id in own.index:
            f = own.loc[factor_id]
            row.update(
                values=[(float(f["value"]), str(f["unit"]))],
                publisher=_text(f["source"]),
                edition="the inventory's factors sheet",
                year=None if pd.isna(f["year"]) else int(f["year"]),
                licence="the organisation's own",
            )
        elif factor_id.split(":")[0] in library.tables:
            table = factor_id.split(":")[0]
            row.update(
                publisher=f"factor library mapping table {table} (no value of its own: "
                "it names the coefficients used)",
                edition=f"lca factor library {library.version}",
                licence=licences.get(table, ""),
                mapping=True,
            )
        elif factor_id in ("site:pue", "site:wue"):
            column = "pue" if factor_id == "site:pue" else "wue_l_per_kwh"
            given = sites[column].dropna().astype("float64") if len(sites) else []
            row.update(
                values=[
                    (float(v), "ratio" if column == "pue" else "L/kWh") for v in sorted(set(given))
                ],
                publisher="the inventory's sites sheet",
                edition="per site, see Methodology (PUE and WUE per site)",
                licence="the organisation's own",
            )
        else:
            row.update(
                values=used.get(factor_id, []),
                publisher="the inventory row named in the id (contract, instrument or "
                "supplier figure)",
                edition="the inventory",
                licence="the organisation's own",
            )
        rows.append(row)
    return rows


def lines_kgco2e(ledger: pd.DataFrame, codes: np.ndarray, lists: list[list[str]]) -> dict:
    """Per factor id: the location-based kgCO2e of the counted lines that name it (a line
    naming several factors counts for each, so these do not add up to the total). ``codes``
    and ``lists`` are ``factor_id_lists(ledger)``. Each id's lines are added in ledger order
    (``np.bincount`` adds its weights in order), as a loop over the lines would."""
    kg = ledger["kgco2e"].to_numpy(dtype="float64")
    keep = ledger["counted"].to_numpy(dtype=bool) & ~np.isnan(kg)
    ids = sorted({i for names in lists for i in names})
    position = {factor_id: k for k, factor_id in enumerate(ids)}
    lengths = np.array([len(names) for names in lists], dtype="int64")
    flat = np.array([position[i] for names in lists for i in names], dtype="int64")
    line_codes, values = codes[keep], kg[keep]
    repeats = lengths[line_codes]  # one (line, id) pair per id a line names, in line order
    ends = np.cumsum(repeats)
    within = np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - repeats, repeats)
    pair_ids = flat[np.repeat(np.cumsum(lengths)[line_codes] - repeats, repeats) + within]
    sums = np.bincount(pair_ids, weights=np.repeat(values, repeats), minlength=len(ids))
    return {factor_id: float(sums[k]) for factor_id, k in position.items()}


#: The PDF's factor table prints this many factors; every factor is in the workbook.
FACTOR_TABLE_ROWS = 32


def factor_table(factors: list[dict], rows: int = FACTOR_TABLE_ROWS) -> dict:
    """The factors the PDF prints: those behind the most tCO2e (the counted lines naming them),
    largest first, ties by id, with their datasets numbered among them; the others are
    counted, with the largest weight among them (the workbook's Factors sheet has them all)."""
    ranked = sorted(factors, key=lambda f: (-abs(f["lines_kgco2e"]), f["factor_id"]))
    printed, rest = [dict(f) for f in ranked[:rows]], ranked[rows:]
    return {
        "rows": printed,
        "datasets": datasets_used(printed),
        "more": len(rest),
        "more_max_kgco2e": max((abs(f["lines_kgco2e"]) for f in rest), default=0.0),
    }


def datasets_used(factors: list[dict]) -> list[dict]:
    """The distinct (publisher, dataset edition, licence) of the factors used, numbered in
    sorted order; each factor row gets the number of its dataset as ``dataset``."""

    def key(f: dict) -> tuple[str, str, str]:
        return f["publisher"], f["edition"], f["licence"]

    numbers = {k: n for n, k in enumerate(sorted({key(f) for f in factors}), start=1)}
    for f in factors:
        f["dataset"] = numbers[key(f)]
    return [
        {"ref": n, "publisher": p, "edition": e, "licence": lic}
        for (p, e, lic), n in numbers.items()
    ]
