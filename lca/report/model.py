"""The report model: everything that decides WHAT the annual report says, as plain data.

``build(result)`` returns a dict of strings, numbers, lists and dicts (no pandas, no
formatting): the PDF and the Excel workpaper are two views of it and of the ledger. Figures
stay in the ledger's units (kgCO2e, kWh, m³, kg Sb eq) at full precision; the views convert
and round. What is disclosed where (ESRS rows, ISO 14064-1 items, methodology text) is read
from ``templates/disclosures.json``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pandas as pd

from lca import __version__
from lca.aggregate import DEPARTURE, budgets
from lca.aggregate.result import RunResult
from lca.report import ai, figures, tables, years
from lca.report.labels import disclosures, library_names
from lca.report.results import results_bytes

CONSOLIDATION = {
    "operational_control": "operational control",
    "financial_control": "financial control",
    "equity_share": "equity share",
}
CAPITAL_GOODS = {
    "amortized": "amortized: each device's cradle-to-gate footprint spread over its lifetime, "
    "the share of the lifetime inside the period counted",
    "acquisition_year": "year of acquisition: the whole cradle-to-gate footprint of devices "
    "acquired in the period (GHG Protocol Scope 3 Standard, p. 39)",
}
NOTHING_DEDUCTED = (
    "Carbon credits, if any, are shown separately and are not deducted from "
    "gross emissions or from any total of this report."
)


def slug(text: str) -> str:
    """A file-name-safe lower-case slug (ASCII letters, digits and hyphens; at most
    ``MAX_SLUG`` characters, so that a long organisation name still makes a file name)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slugged = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slugged[:MAX_SLUG].strip("-") or "organization"


#: File names are limited to 255 bytes; the slug leaves room for the year and extension.
MAX_SLUG = 80
#: ``build``'s ``results_sha256`` for a model built before its results.json is hashed (``lca
#: report`` draws the PDF's charts meanwhile); ``with_results_sha256`` gives it the hash, and
#: ``results_sha256`` refuses a model that never got it rather than print this text.
HASH_LATER = "(results.json not hashed yet)"


def build(result: RunResult, results_sha256: str | None = None) -> dict:
    """The whole report model of a run (settings must be valid); ``results_sha256`` is the
    SHA-256 of its results.json when already built (else it is built to be hashed), or
    ``HASH_LATER``."""
    settings = result.valid_settings
    info = disclosures()
    ledger = result.ledger
    totals = result.totals
    assert result.context is not None  # a run with valid settings has its context
    sites = result.context.sites
    services = info["ar51_services"]
    cloud = figures.ar51_kgco2e(ledger, totals, services)
    cloud_kg = cloud or 0.0
    # the AR 51 sub-line of every year, by the one function (results.json has no such figure)
    ar51_by_year = {
        y: figures.ar51_kgco2e(p.lines, p.totals, services) for y, p in result.priors.items()
    }
    ar51_by_year[settings.year] = cloud
    e1_6_rows, e1_6_targets = years.with_targets(
        e1_6(totals, info["scope3_categories"], cloud, result.scope3_screening),
        result,
        info["scope3_categories"],
    )
    names = library_names(result.library)
    model = {
        "meta": meta(result, results_sha256),
        "totals": totals,
        "e1_6": years.retrospective(e1_6_rows, result, {"cat1_cloud": ar51_by_year}),
        "e1_6_targets": e1_6_targets,
        "e1_6_note": years.note(result),
        "targets": years.targets(result),
        "restatements": years.restatements(result, info["scope3_categories"]),
        "recalculation_policy": years.policy(result, info["recalculation_policy"]),
        "base_year": result.base_year["year"] if result.base_year else None,
        "bridge": years.bridge(result, info["scope3_categories"]),
        "bridge_years": (result.bridge["prior_year"], result.bridge["reporting_year"])
        if result.bridge
        else None,
        "trend": years.trend(result) if result.comparatives else None,
        "intensity": years.intensity(result),
        "e1_5": e1_5(ledger, result.inventory.sheet("energy")),
        "energy": figures.energy_reconciliation(totals, ledger),
        "e3_4": e3_4(totals, ledger, sites),
        "scope3_categories": tables.scope3_categories(
            totals,
            info["scope3_categories"],
            cloud_kg,
            tables.method_mix(ledger),
            result.scope3_screening,
        ),
        "by_site": tables.by_site(ledger, sites, settings.capital_goods),
        "by_country": tables.by_country(ledger),
        "equipment": tables.equipment(ledger),
        "cloud": tables.cloud(ledger, result.inventory.sheet("cloud")),
        "services": tables.services(ledger),
        "compute_jobs": tables.compute_jobs(ledger, names),
        "attribution": result.attribution,
        "by_activity": tables.by_activity(ledger),
        "top_sources": tables.top_sources(ledger, names),
        "compute_share": tables.compute_share(ledger, sites),
        "capital_goods": capital_goods(result),
        "methodology": {
            "paragraphs": info["methodology"],
            "sites": sites_assumptions(sites, result.meter_coverage),
            "scope2": tables.scope2_methods(ledger),
            "spend": tables.spend_conversions(ledger),
            "sources": [
                dict(f, publishers=tables.publishers(result.library, ";".join(f["sources"]))[0])
                for f in result.library.licences()
            ],
        },
        "factors": tables.factors_used(
            ledger,
            result.library,
            result.inventory.sheet("factors"),
            result.inventory.sheet("sites"),
        ),
        "quality": quality(result, info["scope3_categories"]),
        "uncertainty": uncertainty(result.uncertainty, info["scope3_categories"]),
        "offsets": offsets(result),
        "budgets": result.budgets,
        "budget_items": budgets.ITEMS,
        "ai": ai.block(ledger, result.inventory.sheet("genai_usage")),
        "ar51_services": info["ar51_services"],
        "sections": info["sections"],
    }
    # the parts of the report the disclosure index asks for (see ``disclosure_index``)
    model["by_gas"] = {
        gas: kg for gas, kg in result.scope1_by_gas_kgco2e.items() if kg and gas != "not_split"
    }
    model["biogenic"] = result.biogenic_co2 if fuels_burned(ledger) else {}
    model["published_comparison"] = [
        y["year"] for y in model["restatements"] if y["reported_given"]
    ]
    model["places"] = {
        **info["sections"],
        **{k: v for k, v in info["places"].items() if not k.startswith("_")},
    }
    model["datasets"] = tables.datasets_used(model["factors"])
    model["factor_table"] = tables.factor_table(model["factors"])
    model["index"] = disclosure_index(info, model, settings.capital_goods)
    return model


def fuels_burned(ledger) -> bool:
    """Whether the inventory burns fuel on site (a counted scope 1 energy line): the only
    source of biogenic CO2 the inventory format has."""
    lines = tables.counted(ledger)
    return bool(((lines["activity"] == "energy") & (lines["scope"] == 1)).any())


def with_results_sha256(model: dict, results_sha256: str) -> dict:
    """``model`` (built with ``HASH_LATER``) with its results.json's SHA-256; ``model`` itself
    is left as it is (its other parts are shared)."""
    return {**model, "meta": {**model["meta"], "results_sha256": results_sha256}}


def results_sha256(model: dict) -> str:
    """The SHA-256 of the model's results.json, which the reports print."""
    found = model["meta"]["results_sha256"]
    if found == HASH_LATER:
        raise ValueError("the report model was never given its results.json's SHA-256")
    return found


def meta(result: RunResult, results_sha256: str | None = None) -> dict:
    """Cover data: organisation, period, boundary, versions and hashes."""
    s = result.valid_settings
    if results_sha256 is None:
        results_sha256 = hashlib.sha256(results_bytes(result)).hexdigest()
    return {
        "organization": s.organization,
        "slug": slug(s.organization),
        "year": s.year,
        "title": f"Annual greenhouse gas and resource footprint {s.year}",
        "period_start": s.period_start.isoformat(),
        "period_end": s.period_end.isoformat(),
        "consolidation_approach": CONSOLIDATION.get(
            s.consolidation_approach, s.consolidation_approach
        ),
        "capital_goods": s.capital_goods,
        "capital_goods_policy": CAPITAL_GOODS[s.capital_goods],
        "capital_goods_departure": DEPARTURE if s.capital_goods == "amortized" else None,
        "outside_scopes": result.outside_scopes,
        "biogenic_co2": result.biogenic_co2,
        "scope1_by_gas": {k: v for k, v in result.scope1_by_gas_kgco2e.items() if v},
        # shown only when a grid factor carries a split (else it is all "not split")
        "scope2_location_by_gas": (
            {k: v for k, v in result.scope2_location_by_gas_kgco2e.items() if v}
            if any(v for k, v in result.scope2_location_by_gas_kgco2e.items() if k != "not_split")
            else {}
        ),
        "gwp_sets": result.gwp_sets.get("kgco2e_by_gwp_set", {}),
        "gwp_set": s.gwp_set,
        "currency": s.currency,
        "net_revenue": s.net_revenue,
        "engine": f"lca {__version__}",
        "engine_version": __version__,
        "factor_library_version": result.library.version,
        "factor_library_sha256": result.library.sha256,
        "inputs": [{"path": i["path"], "sha256": i["sha256"]} for i in result.inventory.inputs],
        "results_sha256": results_sha256,
        "assurance": "No external assurance is stated in the inventory.",
        "statement": NOTHING_DEDUCTED,
        "issue_date": issue_date(s).isoformat(),
        "management_statement": s.management_statement or "",
        "boundary": s.boundary or "",
        "legal_entities": [e.strip() for e in (s.legal_entities or "").split(";") if e.strip()],
    }


def issue_date(settings):
    """The report's document date: the ``issue_date`` setting, else the period's last day."""
    return settings.issue_date or settings.period_end


def e1_6(
    totals: dict, names: dict[str, str], cloud_kgco2e: float | None, screening: dict
) -> list[dict]:
    """ESRS E1-6 (AR 48) rows for year N, in kgCO2e; the view shows tCO2e.

    ``kind``: head (a block title with a figure), row, sub (an "of which" line), total. A
    category without lines carries its ``screening`` (status and reason, never "no activity").
    """
    by_cat = totals["scope3_by_category_kgco2e"]
    rows = [
        {"kind": "group", "label": "Scope 1 GHG emissions", "key": None, "value": None},
        {
            "kind": "head",
            "label": "Gross Scope 1 GHG emissions (tCO2eq)",
            "key": "scope1",
            "value": totals["scope1_kgco2e"],
        },
        {
            "kind": "row",
            "label": "Percentage of Scope 1 GHG emissions from regulated emission "
            "trading schemes (%)",
            "key": "scope1_ets",
            "value": None,
            "note": "not reported: no installation under an emission trading scheme in the "
            "inventory format",
        },
        {"kind": "group", "label": "Scope 2 GHG emissions", "key": None, "value": None},
        {
            "kind": "head",
            "label": "Gross location-based Scope 2 GHG emissions (tCO2eq)",
            "key": "scope2_location",
            "value": totals["scope2_location_kgco2e"],
        },
        {
            "kind": "head",
            "label": "Gross market-based Scope 2 GHG emissions (tCO2eq)",
            "key": "scope2_market",
            "value": totals["scope2_market_kgco2e"],
        },
        {"kind": "group", "label": "Significant scope 3 GHG emissions", "key": None, "value": None},
        {
            "kind": "head",
            "label": "Total Gross indirect (Scope 3) GHG emissions (tCO2eq)",
            "key": "scope3",
            "value": totals["scope3_kgco2e"],
        },
    ]
    for number, name in names.items():
        rows.append(
            {
                "kind": "row",
                "label": f"{number} {name}",
                "key": f"cat{number}",
                "category": int(number),
                "value": by_cat.get(number),
                "screening": screening_text(screening[number]),
            }
        )
        if number == "1":
            rows.append(
                {
                    "kind": "sub",
                    "label": "of which cloud computing and data-centre services (AR 51)",
                    "key": "cat1_cloud",
                    "value": cloud_kgco2e,
                }
            )
    rows += [
        {
            "kind": "total",
            "label": "Total GHG emissions (location-based) (tCO2eq)",
            "key": "total_location",
            "value": totals["total_location_kgco2e"],
        },
        {
            "kind": "total",
            "label": "Total GHG emissions (market-based) (tCO2eq)",
            "key": "total_market",
            "value": totals["total_market_kgco2e"],
        },
    ]
    return rows


def screening_text(entry: dict) -> str:
    """A category's screening as the workbook notes it: "excluded: <reason>" (empty when the
    category is included)."""
    if entry["status"] == "included":
        return ""
    return f"{entry['status'].replace('_', ' ')}: {entry['reason']}"


def e1_5(ledger, energy_sheet) -> list[dict]:
    """ESRS E1-5 rows that apply to a NACE J undertaking, in kWh of own operations.

    Renewable purchased energy is that of the energy rows whose contractual instrument is
    renewable (``figures.renewable_energy_lines``), whatever their market-based factor."""
    own = tables.counted(ledger)
    own = own[own["scope"].isin([1, 2])]
    fuels = float(own.loc[own["scope"] == 1, "energy_kwh"].sum())
    scope2 = own[own["scope"] == 2]
    renewable = figures.renewable_energy_lines(ledger, energy_sheet)
    renewable_kwh = float(scope2.loc[renewable[renewable].index, "energy_kwh"].sum())
    grid_kwh = float(scope2["energy_kwh"].sum()) - renewable_kwh
    total = fuels + renewable_kwh + grid_kwh
    return [
        {
            "key": "fossil_fuels",
            "label": "Fuel consumption from fossil sources (fuels burned on site, scope 1)",
            "kwh": fuels,
        },
        {
            "key": "purchased_unspecified",
            "label": "Purchased or acquired electricity, heat, "
            "steam and cooling without a contractual instrument (grid mix; its fossil, nuclear and "
            "renewable split is not in the factor library)",
            "kwh": grid_kwh,
        },
        {
            "key": "purchased_renewable",
            "label": "(9) Purchased or acquired electricity, heat, "
            "steam and cooling from renewable sources (contractual instruments)",
            "kwh": renewable_kwh,
            "lines": sorted(ledger.loc[renewable[renewable].index, "line_id"].astype(str)),
        },
        {"key": "total", "label": "Total energy consumption", "kwh": total},
        {
            "key": "renewable_share",
            "label": "Share of renewable sources in total energy "
            "consumption (contractually defined) (%)",
            "share": renewable_kwh / total if total else None,
        },
    ]


def e3_4(totals: dict, ledger, sites) -> list[dict]:
    """ESRS E3-4 §28(a) water consumption of own operations (on-site cooling water at own data
    centres, m³), then the value chain's water, never added to it, and ADPe."""
    own = float(figures.own_water_lines(ledger, sites).sum())
    chain = totals["water_m3"] - own
    return [
        {
            "key": "water_consumption",
            "label": "Total water consumption, own operations "
            "(on-site cooling water at own data centres, WUE) (m³)",
            "value": own,
            "unit": "m³",
        },
        {
            "key": "water_value_chain",
            "label": "Value-chain water, not an E3-4 figure: "
            "water consumed to generate purchased electricity and in cloud data centres (m³)",
            "value": chain,
            "unit": "m³",
        },
        {
            "key": "adpe",
            "label": "Abiotic depletion, minerals and metals (kg Sb eq), not an ESRS E3 datapoint",
            "value": totals["adpe_kgsbeq"],
            "unit": "kg Sb eq",
        },
    ]


def capital_goods(result: RunResult) -> dict:
    """The chosen and the other capital-goods view side by side, never added."""
    chosen = result.valid_settings.capital_goods
    alt = result.capital_goods_alternative
    now = result.totals["scope3_by_category_kgco2e"]
    rows = [
        {
            "category": int(c),
            "chosen_kgco2e": now.get(c, 0.0),
            "other_kgco2e": alt["scope3_by_category_kgco2e"].get(c, 0.0),
        }
        for c in sorted(alt.get("scope3_by_category_kgco2e", {}), key=int)
    ]
    rows += [
        {
            "category": None,
            "label": "Total GHG emissions (location-based)",
            "chosen_kgco2e": result.totals["total_location_kgco2e"],
            "other_kgco2e": alt.get("total_location_kgco2e"),
        },
        {
            "category": None,
            "label": "Total GHG emissions (market-based)",
            "chosen_kgco2e": result.totals["total_market_kgco2e"],
            "other_kgco2e": alt.get("total_market_kgco2e"),
        },
    ]
    return {
        "chosen": chosen,
        "other": alt.get("capital_goods"),
        "chosen_policy": CAPITAL_GOODS[chosen],
        "other_policy": CAPITAL_GOODS.get(str(alt.get("capital_goods")), ""),
        "rows": rows,
        "explanation": "Both views cover the same devices. Only the chosen view enters the "
        "totals; the other is shown for comparison and is never added to "
        "them.",
    }


def sites_assumptions(sites, meter_coverage: dict) -> list[dict]:
    """PUE and WUE per site (given in the inventory or the library default for its kind), and
    the share of the period its electricity bills cover (None: no bill; its equipment use is
    counted in scope 2 every day)."""
    rows = []
    for site_id, site in sites.sort_index().iterrows():
        rows.append(
            {
                "site_id": site_id,
                "kind": str(site["kind"]),
                "country": str(site["country"]),
                "pue": float(site["pue"]),
                "pue_source": site["pue_factor"] or "inventory",
                "wue_l_per_kwh": None
                if pd.isna(site["wue_l_per_kwh"])
                else float(site["wue_l_per_kwh"]),
                "meter_share": meter_coverage.get(site_id, {}).get("share"),
            }
        )
    return rows


def quality(result: RunResult, names: dict[str, str]) -> dict:
    """Method mix, primary share, exclusions and the warnings of validation."""
    mix = tables.method_mix(result.ledger)
    total = sum(r["total"] for r in mix)
    primary = sum(r["primary_kgco2e"] for r in mix)
    screening = result.scope3_screening
    excluded = [
        {
            "category": int(n),
            "name": name,
            "status": screening[n]["status"],
            "reason": screening[n]["reason"],
            "estimated_kgco2e": screening[n]["estimated_kgco2e"],
        }
        for n, name in names.items()
        if screening[n]["status"] != "included"
    ]
    issues = [
        {"code": i.code, "severity": i.severity.value, "where": str(i.source), "message": i.message}
        for i in result.issues
    ]
    counts: dict[tuple[str, str], int] = {}
    for i in issues:
        counts[(i["severity"], i["code"])] = counts.get((i["severity"], i["code"]), 0) + 1
    not_assessed = result.ledger["not_assessed"]
    return {
        "method_mix": mix,
        "primary_share": primary / total if total else None,
        "excluded_categories": excluded,
        "reconciliation": result.reconciliation,
        "not_read": not_read(result.reconciliation),
        "not_assessed_lines": int((not_assessed != "").sum()),
        "issues": issues,
        "issue_counts": [
            {"severity": s, "code": c, "count": n} for (s, c), n in sorted(counts.items())
        ],
        "uncertainty": uncertainty_text(result.uncertainty),
    }


#: Figures of the uncertainty table, in order: results.json name → label and unit.
UNCERTAINTY_FIGURES = {
    "scope1_kgco2e": ("Scope 1", "tCO₂e"),
    "scope2_location_kgco2e": ("Scope 2, location-based", "tCO₂e"),
    "scope2_market_kgco2e": ("Scope 2, market-based", "tCO₂e"),
    "scope3_kgco2e": ("Scope 3", "tCO₂e"),
    "total_location_kgco2e": ("Total, location-based", "tCO₂e"),
    "total_market_kgco2e": ("Total, market-based", "tCO₂e"),
    "energy_kwh": ("Energy", "MWh"),
    "water_m3": ("Water", "m³"),
    "adpe_kgsbeq": ("ADPe", "kg Sb eq"),
}


def not_read(reconciliation: dict) -> list[dict]:
    """Each file of the inventory folder (or sheet of the workbook) that was not read, so in
    no count of the reconciliation: ``name`` (``file`` or ``file › sheet``), ``rows`` (its data
    rows as text: "2 data rows", "not opened") and the issue ``code`` that says why."""
    out = []
    for entry in reconciliation.get("files_not_read", []):
        rows = entry["rows"]
        out.append(
            {
                "name": entry["file"] + (f" › {entry['sheet']}" if entry.get("sheet") else ""),
                "rows": "not opened"
                if rows is None
                else f"{rows:,} data row{'' if rows == 1 else 's'}",
                "code": entry["code"],
            }
        )
    return out


def uncertainty(block: dict, names: dict[str, str]) -> dict:
    """The 95 % intervals of results.json ``uncertainty`` as report rows (tCO₂e for carbon),
    the figures flagged as highly uncertain (ESRS 2 BP-2 §11), the largest contributors and
    the data-quality indicators per scope and category (``quality_rows``)."""
    figures = block.get("figures", {})
    labels = dict(UNCERTAINTY_FIGURES)
    for key in figures:
        if key.startswith("scope3_category_"):
            n = key.rsplit("_", 1)[1]
            labels[key] = (f"Scope 3 category {n}, {names.get(n, '')}".rstrip(", "), "tCO₂e")
    rows = []
    for key, (label, unit) in labels.items():
        if key not in figures:
            continue
        f = figures[key]
        scale = 1000 if unit in ("tCO₂e", "MWh") else 1
        rows.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "point": f["point"] / scale,
                "p2_5": f["p2_5"] / scale,
                "p50": f["p50"] / scale,
                "p97_5": f["p97_5"] / scale,
                "relative_half_width": f["relative_half_width"],
                "analytical_relative_half_width": f["analytical_relative_half_width"],
                "high": f["high_uncertainty"],
            }
        )
    quality = block.get("data_quality", {})
    return {
        "rows": rows,
        "quality_rows": [
            {"key": key, "label": labels[key][0], **quality[key]}
            for key in labels
            if key in quality
        ],
        "high": [r["label"] for r in rows if r["high"]],
        "contributors": block.get("contributors", {}).get("total_location_kgco2e", []),
        "iterations": block.get("iterations"),
        "seed": block.get("seed"),
        "by_key": {r["key"]: r for r in rows},
    }


def uncertainty_text(block: dict) -> str:
    """How the uncertainty was assessed, in words (ISO 14064-1 §9.3.1 q)."""
    if not block.get("figures"):
        return "No counted ledger line: there is no figure whose uncertainty could be assessed."
    return (
        f"Uncertainty is assessed quantitatively by Monte Carlo simulation "
        f"({block['iterations']:,} iterations, seed {block['seed']}, numpy PCG64), with a "
        "first-order analytical propagation beside it as a check. Each counted line is its "
        "value times an activity multiplier and a factor multiplier: from the inventory's "
        "uncertainty_pct where given (normal, truncated at 0), else from the line's published "
        "range (lognormal), else from the default of its data-quality method (lognormal from "
        "pedigree scores, factor library table uncertainty_defaults). Lines of one input row "
        "share their activity draw; lines using one factor share its draw. Intervals are 95 %; "
        "a figure whose half-width exceeds 50 % of its value is flagged as having high "
        "measurement uncertainty (ESRS 2 BP-2 §11)."
        + (
            f" {block['pooled_rows']:,} input rows, in groups of alike rows, were drawn as the "
            "sums of their groups (normal, exact mean and covariance), each times its factors' "
            "shared draws."
            if block.get("pooled_rows")
            else ""
        )
    )


def offsets(result: RunResult) -> dict:
    """Offsets and credits: a separate memo, deducted from nothing."""
    frame = result.inventory.sheet("offsets").sort_values("_row")
    rows = []
    for record in frame.to_dict("records"):
        rows.append(
            {
                "row": int(record["_row"]),
                "project": _clean(record["project"]),
                "standard": _clean(record["standard"]),
                "vintage": None if pd.isna(record["vintage"]) else int(record["vintage"]),
                "quantity_tco2e": float(record["quantity_tco2e"]),
                "kind": _clean(record["kind"]),
                "retired_on": ""
                if pd.isna(record["retired_on"])
                else record["retired_on"].date().isoformat(),
                "serial": _clean(record["serial"]),
            }
        )
    return {
        "rows": rows,
        "quantity_tco2e": result.offsets_memo.get("quantity_tco2e", 0.0),
        "deducted": False,
        "statement": NOTHING_DEDUCTED,
    }


def _clean(value) -> str:
    return "" if pd.isna(value) else str(value)


def disclosure_index(info: dict, model: dict, capital_goods: str) -> dict:
    """ISO 14064-1 §9.3.1 a–t and GHG Protocol required items → the section or place of the
    report that answers each, or its status with the reason. An item whose ``applies`` names a
    part of the ``model`` that is absent or empty (no scope 1 emissions, no fuel burned) is
    "not applicable" with its ``not_applicable`` reason; one whose ``requires`` names such a
    part (a management statement, a split by gas, a base year) is "not disclosed" with its
    ``missing`` reason; an item without a section keeps the data file's status, printed
    "not applicable" only where the data file gives a reason that holds for every
    inventory. ``results`` names the results.json key of its figure. A departure from the
    Scope 3 Standard's capital-goods rule is stated on its item."""

    def present(path: str) -> bool:
        value: object = model
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return bool(value)

    def entry(item: dict) -> dict:
        section, status, why = item["section"], "disclosed", item.get("why", "")
        applies, needs = item.get("applies"), item.get("requires")
        if applies and not present(applies):
            section, status, why = None, "not applicable", item["not_applicable"]
        elif needs and not present(needs):
            section, status, why = None, "not disclosed", item["missing"]
        elif section is None:
            status = item.get("status", "not disclosed")
        return {
            "item": item.get("item", ""),
            "text": item["text"],
            "section": section,
            "status": status,
            "why": why,
            "results": item.get("results"),
            "departure": DEPARTURE
            if item.get("capital_goods") and capital_goods == "amortized"
            else "",
        }

    return {
        "iso": [entry(i) for i in info["iso14064_1_9_3_1"]],
        "ghg": [entry(i) for i in info["ghg_protocol_required"]],
    }
