"""GHG Protocol classification: every kilogram in the right scope, category, period and gas.

Fixture library (tests/fixtures/factors): server 1000 kgCO2e/device, end of life 20, lifetime
5 y, 300 W; laptop 250, 4 y, 30 kWh/year; desktop 300 (a manufacturer PCF: end of life
included), its end of life 5; grid FR 0.02 (upstream 0.01), DE 0.35; R-22 1960 (all outside
the Kyoto basket), R-454B 531.219 Kyoto + 0.155811 non-Kyoto (AR6). 2024 has 366 days.
"""

import pandas as pd
import pytest
from helpers import codes, line, write_inventory

from lca.pipeline import run
from lca.report.model import build

SITES = """\
site_id,name,country,kind,pue
PAR,Paris office,FR,office,
FRA,Frankfurt DC,DE,datacenter,1.4
HOME,Home working,FR,remote,
"""
OFFICE = "site_id,name,country,kind\nPAR,Paris office,FR,office\n"
AMORTIZED = "key,value\norganization,T\nreporting_year,2024\ncapital_goods,amortized\n"


def _run(tmp_path, library, **sheets):
    sheets.setdefault("sites", SITES)
    return run(write_inventory(tmp_path, **sheets), library=library)


def test_default_headline_is_the_acquisition_year(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w
        NEW,laptop,10,2024-03-01,4,PAR,0""",
    )
    assert result.settings.capital_goods == "acquisition_year"
    made = line(result, "equipment:2:manufacturing")
    assert made["kgco2e"] == 10 * 250
    # the amortized view beside it: 2024-03-01 → 2028-03-01 = 1461 days, 306 in 2024
    assert made["kgco2e_alternative"] == pytest.approx(10 * 250 * 306 / 1461, rel=1e-12)
    assert result.totals["scope3_by_category_kgco2e"]["2"] == 10 * 250
    assert result.capital_goods_alternative["capital_goods"] == "amortized"
    assert "Scope 3 Standard" in made["basis"]
    assert "capital-goods-amortized" not in codes(result)


def test_amortized_headline_states_the_departure(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        settings=AMORTIZED,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w
        NEW,laptop,10,2024-03-01,4,PAR,0""",
    )
    assert line(result, "equipment:2:manufacturing")["kgco2e"] == pytest.approx(
        10 * 250 * 306 / 1461, rel=1e-12
    )
    departure = [i for i in result.issues if i.code == "capital-goods-amortized"]
    assert len(departure) == 1 and "Departure from the GHG Protocol" in departure[0].message


RETIRED = """\
    asset_id,category,quantity,acquired_on,lifetime_years,retired_on,site_id,power_w
    R1,server,2,2022-01-01,4,2024-07-01,FRA,300
    GONE,server,1,2022-01-01,4,2023-06-30,FRA,300
    DUE,server,1,2020-03-01,4,,FRA,0
    LATER,server,1,2021-03-01,4,,FRA,0"""


def test_early_retirement_charges_the_remaining_share_and_stops_use(tmp_path, fixture_library):
    result = _run(tmp_path, fixture_library, settings=AMORTIZED, equipment=RETIRED)
    made = line(result, "equipment:2:manufacturing")
    # lifetime 2022-01-01 → 2026-01-01 = 1461 days; in service 2024-01-01 → 07-01 = 182 days;
    # remaining 2024-07-01 → 2026-01-01 = 184 + 365 = 549 days, charged at retirement
    assert made["allocation_share"] == pytest.approx((182 + 549) / 1461, rel=1e-12)
    assert made["kgco2e"] == pytest.approx(2 * 1000 * (182 + 549) / 1461, rel=1e-12)
    assert "remaining share" in made["basis"]
    # retired in 2023: everything was charged then
    assert line(result, "equipment:3:manufacturing")["kgco2e"] == 0.0
    use = line(result, "equipment:2:use")
    assert use["scope"] == 2
    assert use["energy_it_kwh"] == pytest.approx(2 * 300 * 182 * 24 / 1000, rel=1e-12)
    assert use["kgco2e"] == pytest.approx(2 * 300 * 182 * 24 / 1000 * 1.4 * 0.35, rel=1e-12)


def test_end_of_life_is_charged_when_disposed_of(tmp_path, fixture_library):
    result = _run(tmp_path, fixture_library, equipment=RETIRED)
    retired = line(result, "equipment:2:end_of_life")
    assert retired["scope"] == 3 and retired["category"] == 5
    assert retired["kgco2e"] == 2 * 20  # retired_on 2024-07-01: in full, in 2024
    assert retired["kgco2e_alternative"] == 2 * 20  # the same in both views
    assert "retired_on" in retired["basis"]
    assert line(result, "equipment:3:end_of_life")["kgco2e"] == 0.0  # disposed of in 2023
    due = line(result, "equipment:4:end_of_life")  # 2020-03-01 + 4 y = 2024-03-01
    assert due["kgco2e"] == 20 and "end of its lifetime" in due["basis"]
    assert line(result, "equipment:5:end_of_life")["kgco2e"] == 0.0  # due 2025-03-01
    assert result.totals["scope3_by_category_kgco2e"]["5"] == 2 * 20 + 20
    # acquisition-year headline: all were bought before 2024
    assert line(result, "equipment:2:manufacturing")["kgco2e"] == 0.0


def test_manufacturer_pcf_holds_end_of_life_once(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,retired_on,site_id,power_w
        D1,desktop,3,2024-02-01,5,2024-10-01,PAR,0""",
    )
    made = line(result, "equipment:2:manufacturing")
    assert made["kgco2e"] == 3 * 300
    assert "end of life: no separate category 5 line" in made["basis"]
    # the library's desktop end-of-life factor (5) is not added on top of the PCF
    assert not (result.ledger["stage"] == "end_of_life").any()


def test_cradle_to_gate_without_end_of_life_factor_is_disclosed(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,retired_on,site_id,power_w
        L1,laptop,4,2022-01-01,4,2024-05-01,PAR,0""",
    )
    issue = next(i for i in result.issues if i.code == "end-of-life-not-assessed")
    assert issue.source.row == 2
    assert result.scope3_screening["5"]["status"] == "not_assessed"
    assert "scope3-category-hinted" in codes(result)


def test_leased_devices_embodied_category_per_holding(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,holding
        OP,server,1,2024-01-01,5,FRA,300,operating_lease
        FIN,server,1,2024-01-01,5,FRA,300,finance_lease
        COLO,server,1,2024-01-01,5,FRA,300,colocation_hosted
        OWN,server,1,2024-01-01,5,FRA,300,""",
    )
    op = line(result, "equipment:2:manufacturing")
    assert op["category"] == 1 and op["kgco2e"] == 1000
    assert "operating lease" in op["basis"]
    for row in (3, 4, 5):
        assert line(result, f"equipment:{row}:manufacturing")["category"] == 2
    assert "finance lease" in line(result, "equipment:3:manufacturing")["basis"]
    # energy of leased devices under operational control is scope 2: 300 W × 8784 h × 1.4
    use = line(result, "equipment:2:use")
    assert use["scope"] == 2
    assert use["kgco2e"] == pytest.approx(300 * 8784 / 1000 * 1.4 * 0.35, rel=1e-12)
    assert "operating lease" in use["basis"]
    # the lessor takes an operating-leased device back: no end-of-life line of ours
    assert "equipment:2:end_of_life" not in set(result.ledger["line_id"])
    assert result.totals["scope3_by_category_kgco2e"]["1"] == 1000
    assert result.scope3_screening["8"]["hinted_by"]


def test_remote_site_equipment_is_category_7_not_scope_2(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id
        HOMELAP,laptop,10,2023-01-01,4,HOME""",
    )
    use = line(result, "equipment:2:use")
    # 10 laptops × 30 kWh/year × 1 year × PUE 1 × FR 0.02
    assert use["scope"] == 3 and use["category"] == 7
    assert use["kgco2e"] == pytest.approx(10 * 30 * 0.02, rel=1e-12)
    assert use["kgco2e_market"] == pytest.approx(10 * 30 * 0.02, rel=1e-12)
    # the market-based figure is the location factor, and says so (not a residual mix id)
    assert (use["factor_gwp_market"], use["market_basis"]) == (use["factor_gwp"], "")
    assert "teleworking" in use["basis"]
    upstream = line(result, "equipment:2:use:upstream")
    assert upstream["category"] == 7
    assert upstream["kgco2e"] == pytest.approx(10 * 30 * 0.01, rel=1e-12)
    assert result.totals["scope2_location_kgco2e"] == 0.0
    assert result.totals["scope3_by_category_kgco2e"]["7"] == pytest.approx(
        10 * 30 * 0.02 + 10 * 30 * 0.01, rel=1e-12
    )
    assert result.scope3_screening["7"]["status"] == "included"


def test_montreal_protocol_gases_are_outside_the_scopes(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        refrigerants="""\
        site_id,gas,leaked_kg
        PAR,R-22,5
        FRA,R-454B,2
        FRA,R-410A,1""",
    )
    ids = set(result.ledger["line_id"])
    assert "refrigerants:2:operation" not in ids  # no scope 1 line for an HCFC
    r22 = line(result, "refrigerants:2:operation:outside_scopes")
    assert r22["scope"] == 0 and not r22["counted"]
    assert r22["kgco2e"] == 5 * 1960
    blend = line(result, "refrigerants:3:operation")
    assert blend["scope"] == 1 and blend["kgco2e"] == pytest.approx(2 * 531.219, rel=1e-12)
    hfo = line(result, "refrigerants:3:operation:outside_scopes")
    assert hfo["kgco2e"] == pytest.approx(2 * 0.155811, rel=1e-12)
    assert result.totals["scope1_kgco2e"] == pytest.approx(2 * 531.219 + 1 * 2255.5, rel=1e-12)
    assert result.outside_scopes["kgco2e"] == pytest.approx(5 * 1960 + 2 * 0.155811, rel=1e-12)
    assert result.outside_scopes["by_gas_kgco2e"]["R-22"] == 5 * 1960
    assert "Montreal Protocol" in r22["basis"]


@pytest.mark.parametrize(("gwp_set", "hfc32", "hfc134a"), [("AR4", 675, 1430), ("AR5", 677, 1300)])
def test_hfo_refrigerants_under_ar4_and_ar5(tmp_path, gwp_set, hfc32, hfc134a):
    """The shipped library: IPCC AR4/AR5 GWP100 of HFC-32 and HFC-134a; the HFOs at DESNZ's
    AR5 value 1 (R1234yf*, R1234ze*: "less than 1"), also for AR4; R-454B = 68.9 % HFC-32 +
    31.1 % HFO-1234yf, R-513A = 44 % HFC-134a + 56 % HFO-1234yf (ASHRAE 34). The Kyoto part
    is scope 1, the HFO part outside the scopes; "R-1234ze" reads as R-1234ze(E), disclosed."""
    from lca.factors.library import load_library

    result = _run(
        tmp_path,
        load_library(),
        settings=f"key,value\norganization,T\nreporting_year,2025\ngwp_set,{gwp_set}\n",
        sites=OFFICE,
        refrigerants="""\
        site_id,gas,leaked_kg
        PAR,R-1234yf,2
        PAR,R-454B,3
        PAR,R-513A,4
        PAR,R-1234ze,5""",
    )
    assert "unknown-factor-key" not in codes(result)
    ids = set(result.ledger["line_id"])
    assert "refrigerants:2:operation" not in ids  # R-1234yf: no Kyoto part, no scope 1 line
    assert "refrigerants:5:operation" not in ids
    scope1 = {
        "refrigerants:3:operation": 3 * 0.689 * hfc32,
        "refrigerants:4:operation": 4 * 0.44 * hfc134a,
    }
    outside = {
        "refrigerants:2:operation:outside_scopes": 2 * 1,
        "refrigerants:3:operation:outside_scopes": 3 * 0.311 * 1,
        "refrigerants:4:operation:outside_scopes": 4 * 0.56 * 1,
        "refrigerants:5:operation:outside_scopes": 5 * 1,
    }
    for line_id, kgco2e in {**scope1, **outside}.items():
        got = line(result, line_id)
        assert got["kgco2e"] == pytest.approx(kgco2e, rel=1e-9), line_id
        # the HFO part under AR4 is DESNZ's AR5 value (AR4 gives none), labelled as such
        hfo_on_ar5 = gwp_set == "AR4" and line_id in outside
        expected_set = "AR5 (as published, no split by gas)" if hfo_on_ar5 else gwp_set
        assert got["gwp_set"] == expected_set, line_id
        assert got["scope"] == (1 if line_id in scope1 else 0)
    assert result.totals["scope1_kgco2e"] == pytest.approx(sum(scope1.values()), rel=1e-9)
    assert result.outside_scopes["kgco2e"] == pytest.approx(sum(outside.values()), rel=1e-9)
    ze = line(result, "refrigerants:5:operation:outside_scopes")
    assert ze["group"] == "R-1234ze(E)"
    assert ze["factor_gwp"] == f"gases:R-1234ze(E):gwp_{gwp_set.lower()}_non_kyoto:" + (
        "2007" if gwp_set == "AR4" else "2013"
    )
    (read_as,) = [i for i in result.issues if i.code == "value-normalized" and i.source.row == 5]
    assert read_as.severity.value == "warning" and "read as R-1234ze(E)" in read_as.message


SCREENING = """\
    category,status,reason,estimated_kgco2e
    5,excluded,end of life is inside the manufacturer PCFs of category 2,
    6,not_applicable,no business travel in 2024,
    4,excluded,below 1 % of scope 3 by a spend screening,1200
    2,excluded,not relevant,"""


def test_scope3_screening_every_category_and_its_reason(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        scope3_screening=SCREENING,
        sites=OFFICE,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,retired_on,site_id,power_w
        D1,desktop,1,2024-02-01,5,2024-10-01,PAR,0""",
    )
    screening = result.scope3_screening
    assert sorted(screening, key=int) == [str(c) for c in range(1, 16)]
    assert screening["2"]["status"] == "included" and screening["2"]["kgco2e"] == 300
    assert "screening-conflict" in codes(result)  # 2 was screened excluded
    assert screening["4"] == {
        "status": "excluded",
        "kgco2e": None,
        "reason": "below 1 % of scope 3 by a spend screening",
        "estimated_kgco2e": 1200.0,
        "reason_from": "inventory",
        "hinted_by": [],
    }
    assert screening["5"]["status"] == "excluded" and screening["5"]["hinted_by"]
    assert screening["6"]["status"] == "not_applicable"
    assert screening["9"]["status"] == "not_assessed"
    assert "not assessed" in screening["9"]["reason"]
    assert "scope3-category-hinted" not in codes(result)  # 5 is screened
    # the report shows each category's screening, never "no activity in the inventory"
    model = build(result)
    breakdown = {r["number"]: r for r in model["scope3_categories"] if r["number"]}
    assert [breakdown[n]["status"] for n in (2, 4, 6, 9)] == [
        "included",
        "excluded",
        "not_applicable",
        "not_assessed",
    ]
    e1_6 = {r.get("category"): r for r in model["e1_6"]}
    assert e1_6[4]["screening"] == "excluded: below 1 % of scope 3 by a spend screening"
    assert e1_6[6]["screening"] == "not applicable: no business travel in 2024"
    assert e1_6[2]["screening"] == ""


def test_hinted_category_left_empty_is_a_warning(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        sites=OFFICE,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,retired_on,site_id,power_w
        D1,desktop,1,2024-02-01,5,2024-10-01,PAR,0""",
    )
    hinted = [i for i in result.issues if i.code == "scope3-category-hinted"]
    assert len(hinted) == 1 and "category 5" in hinted[0].message and "D1" in hinted[0].message


def _on_ar5(library):
    """The fixture library with diesel and GB electricity published on AR5 with their split by
    gas (as DESNZ publishes them) and the GWPs of the three gases on AR5 and AR6."""
    from dataclasses import replace

    import pandas as pd

    rows = [
        ("fuels:diesel:gwp_co2:L:2024", "fuels", "diesel", "gwp_co2", 2.4, "kgCO2e/L"),
        ("fuels:diesel:gwp_ch4:L:2024", "fuels", "diesel", "gwp_ch4", 0.05, "kgCO2e/L"),
        ("fuels:diesel:gwp_n2o:L:2024", "fuels", "diesel", "gwp_n2o", 0.05, "kgCO2e/L"),
        ("electricity:GB:gwp:2024", "electricity", "GB", "gwp", 0.2, "kgCO2e/kWh"),
        ("electricity:GB:gwp_co2:2024", "electricity", "GB", "gwp_co2", 0.19, "kgCO2e/kWh"),
        ("electricity:GB:gwp_ch4:2024", "electricity", "GB", "gwp_ch4", 0.004, "kgCO2e/kWh"),
        ("electricity:GB:gwp_n2o:2024", "electricity", "GB", "gwp_n2o", 0.006, "kgCO2e/kWh"),
    ]
    gases = [("CH4", "ar5", 28), ("CH4_fossil", "ar6", 29.8), ("CH4", "ar6", 27.9),
             ("N2O", "ar5", 265), ("N2O", "ar6", 273), ("CO2", "ar5", 1)]  # fmt: skip
    added = pd.DataFrame(
        [
            dict(factor_id=i, table=t, key=k, indicator=ind, value=v, unit=u, year=2024,
                 source="pub", stage="", region="GLO", licence="x", notes="")
            for i, t, k, ind, v, u in rows
        ]
        + [
            dict(factor_id=f"gases:{g}:gwp_{s}:2021", table="gases", key=g,
                 indicator=f"gwp_{s}", value=v, unit="kgCO2e/kg", year=2021,
                 source="ipcc", stage="", region="GLO", licence="x", notes="")
            for g, s, v in gases
        ]
    )  # fmt: skip
    factors = library.factors.copy()
    factors.loc[factors["factor_id"] == "fuels:diesel:gwp:L:2024", "source"] = "pub"
    factors = factors[~factors["factor_id"].str.startswith("fuels:diesel:gwp_")]
    manifest = dict(library.manifest)
    manifest["sources"] = dict(manifest["sources"], pub={"gwp_set": "AR5"}, ipcc={"gwp_set": "all"})
    return replace(
        library,
        factors=pd.concat([factors, added], ignore_index=True),
        manifest=manifest,
    )


GB_SITES = SITES + "LON,London office,GB,office,\n"
FUELS_AND_GRIDS = """\
    site_id,carrier,quantity,unit
    LON,diesel,500,L
    LON,electricity,1000,kWh
    PAR,electricity,1000,kWh"""


def test_a_factor_on_another_gwp_set_is_converted_per_gas(tmp_path, fixture_library):
    library = _on_ar5(fixture_library)
    result = _run(tmp_path, library, sites=GB_SITES, energy=FUELS_AND_GRIDS)
    assert result.settings.gwp_set == "AR6"
    diesel = line(result, "energy:2:operation")
    # DESNZ-like diesel on AR5: CO2 2.4 + CH4 0.05 + N2O 0.05 kgCO2e/L (= 2.5); on AR6 the
    # CH4 part × 29.8/28 (fossil CH4) and the N2O part × 273/265
    ef = 2.4 + 0.05 * 29.8 / 28 + 0.05 * 273 / 265
    assert diesel["ef_gwp"] == pytest.approx(ef, rel=1e-12)
    assert diesel["kgco2e"] == pytest.approx(500 * ef, rel=1e-12)
    assert diesel["factor_gwp"] == "fuels:diesel:gwp:L:2024:AR6"
    assert diesel["gwp_set"] == "AR6 (converted from AR5 per gas)"
    assert diesel["scope"] == 1 and pd.isna(diesel["category"])
    by_gas = result.scope1_by_gas_kgco2e
    assert by_gas["CO2"] == pytest.approx(500 * 2.4, rel=1e-12)
    assert by_gas["CH4"] == pytest.approx(500 * 0.05 * 29.8 / 28, rel=1e-12)
    assert by_gas["N2O"] == pytest.approx(500 * 0.05 * 273 / 265, rel=1e-12)
    grid = line(result, "energy:3:use")
    grid_ef = 0.19 + 0.004 * 29.8 / 28 + 0.006 * 273 / 265
    assert grid["kgco2e"] == pytest.approx(1000 * grid_ef, rel=1e-12)
    assert grid["gwp_set"] == "AR6 (converted from AR5 per gas)"
    # the fixture's invented factors go with any set ("all"): on the report's
    assert line(result, "energy:4:use")["gwp_set"] == "AR6"
    assert result.gwp_sets == {
        "report": "AR6",
        "kgco2e_by_gwp_set": {
            "AR6 (converted from AR5 per gas)": pytest.approx(500 * ef + 1000 * grid_ef),
            "AR6": pytest.approx(
                result.totals["total_location_kgco2e"] - 500 * ef - 1000 * grid_ef
            ),
        },
    }
    assert "gwp-set-mixed" not in codes(result)


def test_factors_on_another_set_without_a_split_are_warned_and_used_as_published(
    tmp_path, fixture_library
):
    from dataclasses import replace

    manifest = dict(fixture_library.manifest)  # every fixture source published on AR5
    manifest["sources"] = {
        name: {**entry, "gwp_set": "AR5"} for name, entry in manifest["sources"].items()
    }
    library = replace(_on_ar5(fixture_library), manifest=manifest)
    result = _run(tmp_path, library, sites=GB_SITES, energy=FUELS_AND_GRIDS)
    fr = line(result, "energy:4:use")
    assert fr["gwp_set"] == "AR5 (as published, no split by gas)"
    assert fr["kgco2e"] == pytest.approx(1000 * 0.02, rel=1e-12)  # not converted: no split
    [mixed] = [i for i in result.issues if i.code == "gwp-set-mixed"]
    assert mixed.severity.name == "WARNING"
    assert "AR5 (as published, no split by gas)" in mixed.message


def test_scope2_location_by_gas_from_the_grid_factors_split(tmp_path, fixture_library):
    result = _run(tmp_path, _on_ar5(fixture_library), sites=GB_SITES, energy=FUELS_AND_GRIDS)
    by_gas = result.scope2_location_by_gas_kgco2e
    assert by_gas == {
        "CO2": pytest.approx(1000 * 0.19, rel=1e-12),
        "CH4": pytest.approx(1000 * 0.004 * 29.8 / 28, rel=1e-12),
        "N2O": pytest.approx(1000 * 0.006 * 273 / 265, rel=1e-12),
        "not_split": pytest.approx(1000 * 0.02, rel=1e-12),  # FR: the fixture has no split
    }
    assert sum(by_gas.values()) == pytest.approx(result.totals["scope2_location_kgco2e"])


def test_a_report_on_the_publishers_set_takes_the_factor_as_published(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        _on_ar5(fixture_library),
        sites=GB_SITES,
        settings="key,value\norganization,T\nreporting_year,2024\ngwp_set,AR5\n",
        energy=FUELS_AND_GRIDS,
    )
    diesel = line(result, "energy:2:operation")
    assert diesel["kgco2e"] == pytest.approx(500 * 2.5, rel=1e-12)
    assert (diesel["factor_gwp"], diesel["gwp_set"]) == ("fuels:diesel:gwp:L:2024", "AR5")
    assert result.scope2_location_by_gas_kgco2e["CH4"] == pytest.approx(1000 * 0.004)


def test_weee_end_of_life_for_an_embodied_figure_that_is_not_a_pcf(tmp_path):
    """The shipped library: a server's end of life = median PCF weight 20.2 kg × ADEME Base
    Carbone 34610 WEEE large equipment (LHA non cold), impacts 623 kgCO2e/t."""
    from lca.factors.library import load_library

    library = load_library()
    eol = library.factors.set_index("factor_id").loc["equipment:server:gwp:end_of_life:2023"]
    assert eol["value"] == pytest.approx(20.2 * 623 / 1000, rel=1e-9)
    assert "34610" in eol["notes"] and "avoided impacts not deducted" in eol["notes"]
    result = _run(
        tmp_path,
        library,
        sites=OFFICE,
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,embodied_kgco2e
        OLD,server,2,2020-01-01,4,PAR,0,1500
        PCF,server,2,2020-01-01,4,PAR,0,""",
    )
    end = line(result, "equipment:2:end_of_life")  # due 2024-01-01: disposed of in 2024
    assert (end["scope"], end["category"]) == (3, 5)
    assert end["kgco2e"] == pytest.approx(2 * 20.2 * 623 / 1000, rel=1e-9)
    assert end["factor_gwp"] == "equipment:server:gwp:end_of_life:2023"
    assert "end of its lifetime" in end["basis"]
    # the library's server default is a manufacturer PCF: its end of life is inside it
    assert "equipment:3:end_of_life" not in set(result.ledger["line_id"])
    assert "end-of-life-not-assessed" not in codes(result)
    assert result.totals["scope3_by_category_kgco2e"]["5"] == pytest.approx(end["kgco2e"])


def test_steam_and_district_cooling_get_scope_2_and_category_3(tmp_path):
    """The shipped library. Steam (GB): DESNZ 2025 "District heat and steam" 0.17529 kgCO2e/kWh
    in scope 2; category 3 = WTT heat and steam 0.03341 + distribution loss (5%) 0.00945 + WTT
    of the loss 0.00176. Steam (US): EPA Hub 2025 Table 7, no US upstream: the generic (UK)
    category 3, disclosed. District cooling (FR): ADEME Base Carbone 37090 0.12 in scope 2;
    no publisher gives its category 3 part: the generic modelled estimate 0.12 × the DESNZ
    network's upstream share (0.03341 + 0.00945 + 0.00176) / 0.17529, disclosed."""
    from lca.factors.library import load_library

    result = _run(
        tmp_path,
        load_library(),
        settings="key,value\norganization,T\nreporting_year,2025\n",
        sites="site_id,name,country,kind\nLON,London,GB,office\nNYC,New York,US,office\n"
        "PAR,Paris,FR,office\n",
        energy="""\
        site_id,carrier,quantity,unit
        LON,steam,1000,kWh
        NYC,steam,2,MWh
        PAR,district_cooling,1000,kWh""",
    )
    upstream_share = (0.03341 + 0.00945 + 0.00176) / 0.17529
    expected = {
        "energy:2:use": (2, None, 1000 * 0.17529),
        "energy:2:use:upstream": (3, 3, 1000 * (0.03341 + 0.00945 + 0.00176)),
        "energy:3:use": (2, None, 2000 * 0.2265598068),
        "energy:3:use:upstream": (3, 3, 2000 * (0.03341 + 0.00945 + 0.00176)),
        "energy:4:use": (2, None, 1000 * 0.12),
        "energy:4:use:upstream": (3, 3, 1000 * 0.12 * upstream_share),
    }
    for line_id, (scope, category, kgco2e) in expected.items():
        got = line(result, line_id)
        assert got["scope"] == scope, line_id
        assert pd.isna(got["category"]) if category is None else got["category"] == category
        assert got["kgco2e"] == pytest.approx(kgco2e, rel=1e-9), line_id
    cooling = line(result, "energy:4:use:upstream")
    assert (
        cooling["factor_gwp"] == "heat:district_cooling:gwp_upstream:2023" and cooling["fallback"]
    )
    assert not line(result, "energy:4:use")["fallback"]  # France's own cooling figure
    fallbacks = {
        (i.source.row, i.source.column)
        for i in result.issues
        if i.code == "factor-fallback" and "category 3" in i.message
    }
    assert fallbacks == {(3, "carrier"), (4, "carrier")}  # not GB's steam: its own upstream
    assert result.totals["scope3_by_category_kgco2e"]["3"] == pytest.approx(
        3000 * (0.03341 + 0.00945 + 0.00176) + 1000 * 0.12 * upstream_share, rel=1e-9
    )


def test_energy_lines_say_why_they_are_in_their_scope_and_period(tmp_path, fixture_library):
    """Every counted line of energy, refrigerants and equipment names the rule that put it in
    its scope, category and period; the energy lines' period is the bill's days inside 2024:
    a bill of 2023-12-02 … 2024-01-30 (60 days, 30 in 2024) counts half."""
    result = _run(
        tmp_path,
        fixture_library,
        sites=OFFICE,
        energy="""\
        site_id,carrier,quantity,unit,period_start,period_end
        PAR,electricity,1200,kWh,2023-12-02,2024-01-30
        PAR,diesel,100,L,,""",
        refrigerants="site_id,gas,leaked_kg\nPAR,R-410A,1",
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w
        L1,laptop,1,2024-03-01,4,PAR,""",
    )
    period = "; the bill's days in the period"
    expected = {
        "energy:2:use": (1200 * 30 / 60 * 0.02, "purchased electricity used at a site in the "
                         "boundary: scope 2" + period),
        "energy:2:use:upstream": (1200 * 30 / 60 * 0.01, "upstream and T&D losses of purchased "
                                  "electricity: scope 3 category 3" + period),
        "energy:3:operation": (100 * 2.5, "diesel burned at a site in the boundary: scope 1"
                               + period),
        "energy:3:operation:upstream": (100 * 0.6, "well-to-tank of diesel burned in the "
                                        "boundary: scope 3 category 3" + period),
    }  # fmt: skip
    for line_id, (kgco2e, basis) in expected.items():
        got = line(result, line_id)
        assert got["kgco2e"] == pytest.approx(kgco2e, rel=1e-12), line_id
        assert got["basis"] == basis, line_id
    own = result.ledger[
        result.ledger["counted"]
        & result.ledger["activity"].isin(["energy", "refrigerants", "equipment"])
    ]
    assert len(own) == 8 and (own["basis"].astype(str) != "").all()
    assert line(result, "refrigerants:2:operation")["group"] == "R-410A"


def test_operating_lease_outside_a_financial_control_boundary_is_category_8(
    tmp_path, fixture_library
):
    result = _run(
        tmp_path,
        fixture_library,
        settings="key,value\norganization,T\nreporting_year,2024\n"
        "consolidation_approach,financial_control\n",
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,holding
        OP,server,1,2024-01-01,5,FRA,300,operating_lease
        OWN,server,1,2024-01-01,5,FRA,300,""",
    )
    use = line(result, "equipment:2:use")
    # 300 W × 8784 h × PUE 1.4 × DE 0.35, in scope 3 category 8, never scope 2
    kwh = 300 * 8784 / 1000 * 1.4
    assert (use["scope"], use["category"]) == (3, 8)
    assert use["kgco2e"] == pytest.approx(kwh * 0.35, rel=1e-12)
    assert use["kgco2e_market"] == pytest.approx(kwh * 0.35, rel=1e-12)
    assert use["factor_gwp_market"] == use["factor_gwp"] and use["market_basis"] == ""
    assert "upstream leased asset" in use["basis"] and "financial control" in use["basis"]
    upstream = line(result, "equipment:2:use:upstream")
    assert (upstream["scope"], upstream["category"]) == (3, 8)
    assert upstream["kgco2e"] == pytest.approx(kwh * 0.06, rel=1e-12)
    # the owned device stays in scope 2 (and its upstream in category 3)
    assert line(result, "equipment:3:use")["scope"] == 2
    assert line(result, "equipment:3:use:upstream")["category"] == 3
    assert result.totals["scope2_location_kgco2e"] == pytest.approx(kwh * 0.35, rel=1e-12)
    assert result.totals["scope3_by_category_kgco2e"]["8"] == pytest.approx(
        kwh * 0.35 + kwh * 0.06, rel=1e-12
    )
    assert result.scope3_screening["8"]["status"] == "included"
    # under operational control the same device is scope 2 (test above)
