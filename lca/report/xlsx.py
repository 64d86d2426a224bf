"""The Excel workpaper: a view of the report model and the ledger, with live formulas.

Sheets: README, Summary, E1-6, Ledger, Factors, Inputs (one ``In-<sheet>`` per input sheet,
with its original row numbers), Methods, Quality, Issues, Offsets (linked to no total), Other
indicators, AI. Summary, E1-6, Other indicators and AI are SUMIFS over the Ledger, whose results are
``activity_amount × allocation_share × factor`` with the factor taken from the Factors sheet.
A table longer than a sheet (Ledger, Factors, In-<sheet>, Issues, Offsets) continues on
``<name> (2)`` …; the README sheet lists the continuations and the sums cover every part.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from lca.aggregate.result import RunResult
from lca.report import ai
from lca.report.figures import AR51_CLOUD_STAGES, CLOUD_SERVICE_ACTIVITIES, OWN_WATER_KINDS
from lca.report.model import issue_date, results_sha256
from lca.report.xlsx_ai import InputSums, genai_input, write_ai
from lca.report.xlsx_cells import (
    BOLD,
    TITLE_FONT,
    Column,
    Formula,
    cell,
    fixed_datetime,
    key_values,
    split,
    table,
    workbook,
)
from lca.report.xlsx_ledger import NUMBER, Sums, applied_factors, write_factors, write_ledger
from lca.report.xlsx_sheets import (
    KG,
    SHARE,
    TONNES,
    as_typed,
    bridge,
    inputs,
    issues,
    methods,
    offsets,
    other,
    quality,
    settings_input,
    uncertainty,
)

#: What an intensity cell says when a net revenue close to 0 puts it beyond any number.
NOT_COMPUTABLE = "not computable (net revenue close to 0: see the Issues sheet)"


def write_xlsx(result: RunResult, model: dict, out_dir: Path) -> Path:
    """Write ``<organization>-<year>.xlsx`` into ``out_dir`` and return its path."""
    meta = model["meta"]
    path = out_dir / f"{meta['slug']}-{meta['year']}.xlsx"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = fixed_datetime(issue_date(result.settings))
    with workbook(path, stamp) as wb:
        wb.properties.created = wb.properties.modified = stamp
        wb.properties.creator = meta["engine"]
        wb.properties.title = f"{meta['organization']} · {meta['title']}"
        sheets(wb, result, model)
    return path


def sheets(wb: Workbook, result: RunResult, model: dict) -> None:
    """Every sheet, in order."""
    sums = Sums(len(result.ledger))
    applied, rows_of = applied_factors(result.ledger)
    frames = input_frames(result)
    planned = {
        "Ledger": split("Ledger", len(result.ledger)),
        "Factors": split("Factors", len(applied)),
        **{name: split(name, len(frame)) for name, frame in frames.items()},
        "Issues": split("Issues", len(result.issues)),
        "Offsets": split("Offsets", len(model["offsets"]["rows"]), first_row=2),
    }
    readme(wb.create_sheet("README"), model, planned)
    summary(wb.create_sheet("Summary"), model, sums)
    e1_6(wb.create_sheet("E1-6"), model, sums)
    written = {
        "Ledger": write_ledger(wb, result.ledger, rows_of),
        "Factors": write_factors(wb, applied, result.library),
    }
    settings_input(wb.create_sheet("In-settings"), result.inventory)
    written |= {name: inputs(wb, name, frame) for name, frame in frames.items()}
    methods(wb.create_sheet("Methods"), model)
    quality(wb.create_sheet("Quality"), model)
    uncertainty(wb.create_sheet("Uncertainty"), model)
    if model["bridge"]:
        bridge(wb.create_sheet("Bridge"), model)
    written["Issues"] = issues(wb, result)
    written["Offsets"] = offsets(wb, model)
    other(wb.create_sheet("Other indicators"), model, sums)
    genai = f"In-{ai.GENAI}"
    tokens = InputSums(planned[genai], frames[genai]) if genai in frames else None
    write_ai(wb.create_sheet("AI"), model, sums, tokens)
    if written != planned:  # the README sheet and the sums must describe the sheets written
        raise AssertionError(f"workbook sheets {written} differ from the plan {planned}")


def input_frames(result: RunResult) -> dict:
    """The ``In-<sheet>`` name (at most 31 characters) and rows of each input sheet."""
    frames = {}
    for name, frame in sorted(result.inventory.sheets.items()):
        if name == "factors":  # each own factor with the number of ledger lines using it
            lines = {f["row"]: f["lines"] for f in result.own_factors}
            frame = frame.assign(ledger_lines=frame["_row"].map(lines))
        if name == ai.GENAI:  # each row with the ledger label of its lines
            frame = genai_input(frame, result.ledger)
        frames[f"In-{name}"[:31]] = as_typed(frame, result.inventory.raw.get(name))
    return frames


def readme(ws, model: dict, planned: dict[str, list[tuple[str, int]]]) -> None:
    m = model["meta"]
    pairs = [
        (None, f"{m['organization']} · {m['title']}"),
        ("Organisation", m["organization"]),
        ("Reporting period", f"{m['period_start']} to {m['period_end']}"),
        ("Issued on", m["issue_date"]),
        ("Management statement", m["management_statement"] or "none supplied"),
        ("Boundary", m["boundary"] or "the rows of the inventory"),
        ("Legal entities", "; ".join(m["legal_entities"]) or m["organization"]),
        ("Consolidation approach", m["consolidation_approach"]),
        ("Capital goods (chosen view)", m["capital_goods_policy"]),
        ("GWP set", f"IPCC {m['gwp_set']} GWP100"),
        ("Currency", m["currency"]),
        ("Engine", m["engine"]),
        ("Factor library version", m["factor_library_version"]),
        ("Factor library SHA-256", m["factor_library_sha256"]),
        ("results.json SHA-256", results_sha256(model)),
        ("Assurance", m["assurance"]),
        ("Credits", m["statement"]),
        (
            "Standards",
            "GHG Protocol Corporate Standard, Scope 2 Guidance and Scope 3 "
            "Standard; ESRS E1-6 / E1-5 / E3-4 layout; ISO 14064-1 §9.3.1 index",
        ),
        (
            "Re-performing",
            "Ledger: every result is activity_amount × allocation_share × "
            "factor, the factor read from the Factors sheet. Summary, E1-6 and "
            "Other indicators are SUMIFS over the Ledger; Summary compares "
            "each total with results.json. AI: SUMIFS and SUMPRODUCT over the "
            "Ledger, output tokens from In-genai_usage, intensities as formulas on "
            "them, each beside its results.json value.",
        ),
        (None, "Inputs (SHA-256)"),
    ]
    pairs += [(i["path"], i["sha256"]) for i in m["inputs"]]
    continued = {name: sheets for name, sheets in planned.items() if len(sheets) > 1}
    if continued:
        pairs += [(None, "Tables longer than a sheet (1 header row + data rows each)")]
        pairs += [
            (
                name,
                f"{sum(rows for _sheet, rows in sheets):,} rows on {len(sheets)} sheets: "
                + "; ".join(f"{sheet} ({rows:,})" for sheet, rows in sheets)
                + (
                    ". Summary, E1-6, Other indicators and AI add one SUMIFS (or "
                    "SUMPRODUCT) per Ledger sheet."
                    if name == "Ledger"
                    else ""
                ),
            )
            for name, sheets in continued.items()
        ]
    pairs += [(None, "Disclosure index: ISO 14064-1 §9.3.1")]
    sheets = {k: v["sheet"] for k, v in model["places"].items()}
    pairs += [
        (
            f"{e['item']}) {e['text']}",
            sheets[e["section"]] if e["section"] else f"{e['status']}: {e['why']}",
        )
        for e in model["index"]["iso"]
    ]
    pairs += [(None, "Disclosure index: GHG Protocol required items")]
    pairs += [
        (
            e["text"],
            (sheets[e["section"]] if e["section"] else f"{e['status']}: {e['why']}")
            + (f". {e['departure']}" if e["departure"] else ""),
        )
        for e in model["index"]["ghg"]
    ]
    key_values(ws, pairs, widths=(60, 90))


def summary_rows(model: dict, sums: Sums) -> list[tuple]:
    """(label, kgCO2e formula, results.json value) rows; totals refer to the rows above."""
    t = model["totals"]
    rows = [
        ("Scope 1", sums("kgco2e", scope=1, counted=1), t["scope1_kgco2e"]),
        (
            "Scope 2, location-based",
            sums("kgco2e", scope=2, counted=1),
            t["scope2_location_kgco2e"],
        ),
        (
            "Scope 2, market-based",
            sums("kgco2e_market", scope=2, counted=1),
            t["scope2_market_kgco2e"],
        ),
        ("Scope 3", sums("kgco2e", scope=3, counted=1), t["scope3_kgco2e"]),
    ]
    for number, value in t["scope3_by_category_kgco2e"].items():
        rows.append(
            (
                f"Scope 3, category {number}",
                sums("kgco2e", scope=3, category=int(number), counted=1),
                value,
            )
        )
    rows += [
        ("Total, location-based", Formula("B2+B3+B5"), t["total_location_kgco2e"]),
        ("Total, market-based", Formula("B2+B4+B5"), t["total_market_kgco2e"]),
    ]
    return rows


def other_rows(model: dict, sums: Sums) -> list[tuple]:
    """(label, formula, model value) of the Summary's figures outside the totals: energy, water
    (own and value chain), ADPe and the "of which" figures (scope 2 parts only, as
    results.json's ``attribution``)."""
    t, alt = model["totals"], model["capital_goods"]
    water = {r["key"]: r["value"] for r in model["e3_4"]}
    cloud_jobs = sums("kgco2e", activity="compute_jobs", counted=1)
    return [
        ("Energy (kWh)", sums("energy_kwh", counted=1), t["energy_kwh"]),
        (
            "Energy of own operations, scopes 1 and 2 (kWh, ESRS E1-5)",
            Formula(
                f"{sums('energy_kwh', scope=1, counted=1).text}"
                f"+{sums('energy_kwh', scope=2, counted=1).text}"
            ),
            t["energy_kwh_own_operations"],
        ),
        ("Water consumption (m³)", sums("water_m3", counted=1), t["water_m3"]),
        (
            "of which value-chain water, not ESRS E3-4 (m³)",
            Formula(f"{sums('water_m3', counted=1).text}-({own_water_formula(model, sums)})"),
            water["water_value_chain"],
        ),
        ("ADPe (kg Sb eq)", sums("adpe_kgsbeq", counted=1), t["adpe_kgsbeq"]),
        (
            "Other GHG emissions not in the scopes, non-Kyoto gases (kgCO2e)",
            sums("kgco2e", scope=0, part="outside_scopes"),
            model["meta"]["outside_scopes"]["kgco2e"],
        ),
        (
            "Biogenic CO2 of biofuel blends, outside the scopes (kgCO2e)",
            sums("kgco2e", scope=0, part="biogenic_co2"),
            model["meta"]["biogenic_co2"]["kgco2e"],
        ),
        (
            "Of which: compute jobs on own equipment (kgCO2e, inside the equipment's figures)",
            sums("kgco2e", activity="compute_jobs", counted=0),
            model["attribution"]["compute_jobs_kgco2e"],
        ),
        (
            "Compute jobs in the cloud (kgCO2e, counted in scope 3 category 1)",
            cloud_jobs,
            sum(r["counted_kgco2e"] for r in model["compute_jobs"]),
        ),
        (
            "Of which: equipment use in metered sites (kgCO2e, already in scope 2)",
            sums("kgco2e", activity="equipment", stage="use", counted=0, scope=2),
            model["attribution"]["equipment_use_in_metered_sites_kgco2e"],
        ),
        # the location-based total (B2+B3+B5) with each device line's other view in place
        # of the chosen one
        (
            f"Other capital-goods view ({alt['other']}): total, location-based (kgCO2e, "
            "never added to the totals)",
            Formula(
                f"B2+B3+B5-{sums('kgco2e', counted=1, allocation_share_alternative='<>').text}"
                f"+{sums('kgco2e_alternative', counted=1).text}"
            ),
            next(
                r["other_kgco2e"]
                for r in alt["rows"]
                if r.get("label") == "Total GHG emissions (location-based)"
            ),
        ),
    ]


def own_water_formula(model: dict, sums: Sums) -> str:
    """On-site cooling water of own data centres: per site, its counted scope 2 kWh of
    electricity × WUE / 1000 / PUE (the PUE and WUE of the Methods sheet)."""
    parts = []
    for site in model["methodology"]["sites"]:
        if site["kind"] not in OWN_WATER_KINDS or not site["wue_l_per_kwh"]:
            continue
        site_id = site["site_id"]
        electricity = sums("energy_kwh", scope=2, counted=1, site_id=site_id, group="electricity")
        equipment = sums("energy_kwh", scope=2, counted=1, site_id=site_id, activity="equipment")
        kwh = f"{electricity.text}+{equipment.text}"
        parts.append(f"({kwh})*{site['wue_l_per_kwh']!r}/1000/{site['pue']!r}")
    return "+".join(parts) or "0"


def summary(ws, model: dict, sums: Sums) -> None:
    columns = [
        Column("Indicator", 40),
        Column("Value (kgCO2e) — SUMIFS over Ledger", 22, KG),
        Column("Value (tCO2e)", 16, TONNES),
        Column("results.json (kgCO2e)", 22, KG),
        Column("Difference (kgCO2e)", 18, KG),
    ]
    rows = summary_rows(model, sums)
    table(
        ws,
        columns,
        (
            (label, formula, Formula(f"B{n}/1000"), value, Formula(f"B{n}-D{n}"))
            for n, (label, formula, value) in enumerate(rows, start=2)
        ),
    )
    ws.append([])
    ws.append([cell(ws, "Other figures (not added to the totals above)", font=TITLE_FONT)])
    first = len(rows) + 4
    for n, (label, formula, value) in enumerate(other_rows(model, sums), start=first):
        ws.append(
            [
                cell(ws, label),
                cell(ws, formula, number_format=NUMBER),
                None,
                cell(ws, value, number_format=NUMBER),
                cell(ws, Formula(f"B{n}-D{n}"), number_format=NUMBER),
            ]
        )
    ws.append(
        [
            cell(
                ws,
                "Offsets and credits (memo, linked to no total): see the Offsets sheet",
                font=BOLD,
            )
        ]
    )


def e1_6_columns(target_years: list[str]) -> list[Column]:
    """The E1-6 columns: label, the retrospective ones, one per target year and the annual %."""
    return [
        Column("", 62),
        Column("Base year", 11, TONNES),
        Column("Comparative", 12, TONNES),
        Column("N (tCO2eq)", 16, TONNES),
        Column("% N / N-1", 10, "0.0"),
        *(Column(year, 10, TONNES) for year in target_years),
        Column("Annual % target / base year", 14, "0.0"),
    ]


def ar51_formula(services: list[str], sums: Sums) -> Formula:
    """Cloud computing and data-centre services (AR 51), as ``figures.ar51_lines`` selects."""
    parts = [
        sums("kgco2e", scope=3, category=1, activity="cloud", stage=stage, counted=1)
        for stage in AR51_CLOUD_STAGES
    ]
    parts += [
        sums("kgco2e", scope=3, category=1, activity=activity, counted=1)
        for activity in CLOUD_SERVICE_ACTIVITIES
    ]
    parts += [
        sums("kgco2e", scope=3, category=1, activity="services", group=group, counted=1)
        for group in services
    ]
    return Formula("+".join(p.text for p in parts))


def e1_6_formula(key: str, sums: Sums, services: list[str]) -> Formula | None:
    """The SUMIFS (in tCO2e) of an E1-6 row key."""
    parts = {
        "scope1": sums("kgco2e", scope=1, counted=1),
        "scope2_location": sums("kgco2e", scope=2, counted=1),
        "scope2_market": sums("kgco2e_market", scope=2, counted=1),
        "scope3": sums("kgco2e", scope=3, counted=1),
        "cat1_cloud": ar51_formula(services, sums),
    }
    if key.startswith("cat") and key[3:].isdigit():
        parts[key] = sums("kgco2e", scope=3, category=int(key[3:]), counted=1)
    if "+" in key:  # scopes a target covers together
        terms = [e1_6_formula(k, sums, services) for k in key.split("+")]
        return Formula("+".join(t.text for t in terms if t is not None))
    if key in ("total_location", "total_market"):
        s2 = parts["scope2_location" if key == "total_location" else "scope2_market"]
        return Formula(f"({parts['scope1'].text}+{s2.text}+{parts['scope3'].text})/1000")
    return Formula(f"({parts[key].text})/1000") if key in parts else None


def year_two_tables(ws, model: dict, n: int) -> int:
    """Under the E1-6 table (``n`` rows written so far): the E1-4 targets, the base year and
    recalculation policy and the restatement log; the number of rows written. Figures
    results.json gives (base, N, restated, first published) are values; what derives from
    them is a live formula: a target's value, linear path, achieved % and on track; the
    threshold in kgCO2e (from the E1-6 base-year totals); each difference, its % and whether
    it is above the threshold."""
    row = n

    def put(values: list, font=None, formats: dict[int, str] | None = None) -> int:
        """Append a row (``formats``: number format by column index); its row number."""
        nonlocal row
        formats = formats or {}
        ws.append(
            [
                cell(ws, v, font=font if i == 0 else None, number_format=formats.get(i))
                for i, v in enumerate(values)
            ]
        )
        row += 1
        return row

    if model["targets"]:
        put(["E1-4 targets", "scope", "kind", "base year", "target year", "reduction %",
             "base", "N", "target", "linear path (N)", "achieved %", "on track"])  # fmt: skip
        year = model["meta"]["year"]
        for t in model["targets"]:
            r = row + 1
            put(
                [
                    t["target_id"],
                    t["scope"],
                    t["kind"],
                    t["base_year"],
                    t["target_year"],
                    t["reduction_pct"],
                    t["base"],
                    t["current"],
                    Formula(f"G{r}*(1-F{r}/100)"),
                    Formula(f"G{r}-(G{r}-I{r})*MIN(MAX(({year}-D{r})/(E{r}-D{r}),0),1)"),
                    Formula(f'IF(G{r}=I{r},"",(G{r}-H{r})/(G{r}-I{r})*100)'),
                    Formula(f'IF(H{r}<=J{r},"yes","no")'),
                ]
            )
        put(["Absolute targets in kgCO2e; intensity targets in kgCO2e per unit of the "
             "denominator. Base and N from results.json (targets); target = base × (1 − "
             "reduction), linear path at N, achieved % and on track are formulas."])  # fmt: skip
    limits: dict[str, str] = {}
    policy = model["recalculation_policy"]
    if policy:
        keys = [r["key"] for r in model["e1_6"]]
        total = {m: keys.index(f"total_{m}") + 2 for m in ("location", "market")}
        put(["Base year and recalculation policy"], font=BOLD)
        put(["Base year (setting base_year)", policy["base_year"]])
        pct = put(["Recalculation threshold, % of the base year's total", policy["threshold_pct"]])
        for method in ("location", "market"):
            at = put(
                [
                    f"Threshold, {method}-based (kgCO2e): % × the base year's total above",
                    Formula(f"B{pct}/100*B{total[method]}*1000"),
                ],
                formats={1: KG},
            )
            limits[method] = f"$B${at}"
        put(["Triggers (GHG Protocol Corporate Standard ch. 5, ISO 14064-1 §6.4), alone or "
             "together above the threshold: " + "; ".join(policy["triggers"]) + "."])  # fmt: skip
        put([f"{policy['not_triggers']} {policy['practice']}"])
    for y in model["restatements"]:
        title = f"Restatement log: {y['year']}" + (" (base year)" if y["base_year"] else "")
        if not y["reported_given"]:
            totals = y["totals"]
            put(
                [
                    f"{title}: total restated, location-based and market-based (kgCO2e)",
                    totals["total_location"]["restated_kgco2e"],
                    totals["total_market"]["restated_kgco2e"],
                    "recomputed with this year's methods and factors"
                    + (f" (reason given: {y['reason']})" if y["reason"] else "")
                    + "; the figures first published are not given (--prior-reported): no "
                    "difference is measured",
                ],
                formats={1: KG, 2: KG},
            )
            continue
        put([title, "restated (kgCO2e)", "as first published (kgCO2e)", "difference (kgCO2e)",
             "difference %", "above threshold"])  # fmt: skip
        for line in y["rows"]:
            r = row + 1
            limit = limits.get("market" if line["key"].endswith("_market") else "location")
            put(
                [
                    ("    " if line["kind"] == "sub" else "") + line["label"],
                    line["restated_kgco2e"],
                    line["reported_kgco2e"],
                    Formula(f"B{r}-C{r}"),
                    Formula(f'IF(C{r}=0,"",D{r}/C{r}*100)'),
                    Formula(f'IF(ABS(D{r})>{limit},"yes","no")') if limit else "no threshold",
                ],
                formats={1: KG, 2: KG, 3: KG, 4: "0.0"},
            )
        verdict = (
            "restated: a difference above the threshold"
            if y["restated"]
            else "not restated: every difference within the threshold"
            if limits
            else "no base year, so no threshold"
        )
        put([f"{y['year']}: {verdict}. Reason: {y['why']}."])
    return row - n


def e1_6(ws, model: dict, sums: Sums) -> None:
    services = model["ar51_services"]
    years = model["e1_6_targets"]["years"]

    def targets(r: dict, n: int) -> list:
        """The target-year cells of row ``n`` and its annual %: a target measured from the
        report's base year is that column's figure × (1 − reduction), live; the annual % is the
        reduction over the years from the target's base year, live."""
        annual = {str(a["target_year"]): a for a in r.get("annual", [])}
        cells: list = []
        for year in years:
            a = annual.get(year)
            if a is None:
                cells.append(None)
            elif a["base_year"] == model["base_year"] and r.get("base") is not None:
                cells.append(Formula(f"B{n}*(1-{a['reduction_pct']!r}/100)"))
            else:
                cells.append(r["targets"][year] / 1000)
        steps = [
            f"{a['reduction_pct']!r}/({a['target_year']}-{a['base_year']})"
            for a in r.get("annual", [])
        ]
        if len(steps) == 1:
            cells.append(Formula(steps[0]))
        else:  # several targets on one row: each, as text
            cells.append(" / ".join(f"{a['pct']:.1f}" for a in r["annual"]) or None)
        return cells

    def rows():
        for n, r in enumerate(model["e1_6"], start=2):  # row 1 is the header
            value = (
                e1_6_formula(r["key"], sums, services)
                if r["key"] and (r["value"] is not None)
                else None
            )
            label = ("    " if r["kind"] == "sub" else "") + r["label"]
            note = r.get("note") or ("" if value is not None else r.get("screening", ""))
            base, prior = r.get("base"), r.get("comparative")
            yield (
                label,
                None if base is None else base / 1000,
                None if prior is None else prior / 1000,
                value if value is not None else note or None,
                # % N / N-1, live: (N − comparative) / comparative
                Formula(f"(D{n}-C{n})/C{n}*100") if value is not None and prior else None,
                *targets(r, n),
            )

    table(ws, e1_6_columns(years), rows())
    n = 1 + len(model["e1_6"])  # rows written so far
    ws.append([])
    ws.append([cell(ws, model["e1_6_note"])])
    ws.append([cell(ws, model["e1_6_targets"]["note"])])
    n += 3
    n += year_two_tables(ws, model, n)
    intensity = model["intensity"]
    if intensity:
        per = f"tCO2eq per million {intensity['currency']} net revenue"
        revenue = intensity["net_revenue"]
        ws.append([cell(ws, "GHG intensity per net revenue (AR 53)", font=TITLE_FONT)])
        prior = intensity["comparative"] or {}
        for r, method in enumerate(("location", "market"), start=n + 2):  # n + 1: the title
            label = f"Total GHG emissions ({method}-based) per net revenue"
            total = e1_6_formula(f"total_{method}", sums, services)
            assert total is not None  # both totals have a formula
            formula = total.text
            before = prior.get(f"{method}_kgco2e_per_unit")
            now = (
                cell(ws, Formula(f"({formula})/({revenue}/1000000)"), number_format=KG)
                if intensity[f"{method}_kgco2e_per_unit"] is not None
                else cell(ws, NOT_COMPUTABLE)
            )
            ws.append(
                [
                    cell(ws, f"{label} ({per})"),
                    None,
                    # N-1: its restated total (t) per million of its own net revenue
                    None
                    if not prior
                    else cell(ws, NOT_COMPUTABLE)
                    if before is None
                    else cell(ws, before * 1000, number_format=KG),
                    now,
                    None
                    if before is None or intensity[f"{method}_kgco2e_per_unit"] is None
                    else cell(ws, Formula(f"(D{r}-C{r})/C{r}*100"), number_format="0.0"),
                ]
            )
        if intensity["comparative_note"]:
            ws.append([cell(ws, f"No comparative: {intensity['comparative_note']}.")])
            n += 1
        n += 3
    e1_5(ws, model, sums, n)


def e1_5(ws, model: dict, sums: Sums, n: int) -> None:
    """The E1-5 block below row ``n``: one row per renewable energy line (its instrument makes
    it renewable, see Methods), then the E1-5 rows summing them."""
    rows = {r["key"]: r for r in model["e1_5"]}
    lines = rows["purchased_renewable"]["lines"]
    ws.append([])
    ws.append(
        [
            cell(
                ws,
                "E1-5 energy consumption and mix (rows that apply, NACE J) (MWh)",
                font=TITLE_FONT,
            )
        ]
    )
    ws.append([cell(ws, "Energy lines with a renewable contractual instrument (kWh)", font=BOLD)])
    for line_id in lines:
        ws.append(
            [
                cell(ws, line_id),
                None,
                None,
                cell(ws, sums("energy_kwh", line_id=line_id, counted=1), number_format=KG),
            ]
        )
    first = n + 4
    renewable = f"SUM(D{first}:D{first + len(lines) - 1})" if lines else "0"
    fuels = sums("energy_kwh", scope=1, counted=1).text
    scope2 = sums("energy_kwh", scope=2, counted=1).text
    formulas = {
        "fossil_fuels": f"({fuels})/1000",
        "purchased_renewable": f"({renewable})/1000",
        "purchased_unspecified": f"({scope2}-({renewable}))/1000",
        "total": f"({fuels}+{scope2})/1000",
        "renewable_share": f"IF(({fuels}+{scope2})=0,0,({renewable})/({fuels}+{scope2}))",
    }
    for r in model["e1_5"]:
        fmt = SHARE if r["key"] == "renewable_share" else TONNES
        ws.append(
            [
                cell(ws, r["label"], alignment=None),
                None,
                None,
                cell(ws, Formula(formulas[r["key"]]), number_format=fmt),
            ]
        )
