"""Energy, refrigerant, cloud, services and offsets rules, with hand-computed expectations."""

import pytest
from helpers import codes, line, write_inventory

from lca.pipeline import run

SITES = """\
site_id,name,country,kind,pue
PAR,Paris office,FR,office,
FRA,Frankfurt DC,DE,datacenter,1.4
DUB,Dublin,IE,office,
"""


def _run(tmp_path, fixture_library, **sheets):
    sheets.setdefault("sites", SITES)
    return run(write_inventory(tmp_path, **sheets), library=fixture_library)


def test_electricity_location_market_and_category_3(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        energy="""\
        site_id,carrier,quantity,unit,instrument,contractual_kgco2e_per_kwh
        PAR,electricity,100,MWh,,
        FRA,electricity,200000,kWh,ppa,0.01
        FRA,electricity,50000,kWh,go,
        DUB,electricity,1000,kWh,,""",
    )
    par = line(result, "energy:2:use")
    assert par["kgco2e"] == pytest.approx(100_000 * 0.02)
    assert par["kgco2e_market"] == pytest.approx(100_000 * 0.045)  # FR residual mix
    assert line(result, "energy:2:use:upstream")["kgco2e"] == pytest.approx(100_000 * 0.01)
    assert line(result, "energy:2:use:upstream")["category"] == 3
    contract = line(result, "energy:3:use")
    assert contract["kgco2e_market"] == pytest.approx(200_000 * 0.01)
    assert contract["method"] == "measured"
    assert line(result, "energy:4:use")["kgco2e_market"] == 0.0  # GO, no rate given: zero
    # IE: no grid factor in the fixture library → the world factor, disclosed as a fallback;
    # no residual mix → market-based uses the location-based factor, disclosed.
    dub = line(result, "energy:5:use")
    assert dub["kgco2e"] == pytest.approx(1000 * 0.45) and bool(dub["fallback"])
    assert dub["kgco2e_market"] == dub["kgco2e"]
    fallbacks = [i for i in result.issues if i.code == "market-based-fallback"]
    assert {(i.source.row, i.severity.value) for i in fallbacks} == {(4, "info"), (5, "warning")}
    assert next(i for i in fallbacks if i.source.row == 5).message.startswith("site DUB:")
    assert any(i.code == "factor-fallback" and i.source.row == 5 for i in result.issues)
    totals = result.totals
    assert totals["scope2_location_kgco2e"] == pytest.approx(
        100_000 * 0.02 + 250_000 * 0.35 + 1000 * 0.45
    )
    assert totals["scope2_market_kgco2e"] == pytest.approx(
        100_000 * 0.045 + 200_000 * 0.01 + 0 + 1000 * 0.45
    )


def test_bill_period_is_prorated_to_the_reporting_period(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        energy="""\
        site_id,carrier,quantity,unit,period_start,period_end
        PAR,electricity,1000,kWh,2024-12-01,2025-01-30""",
    )
    use = line(result, "energy:2:use")
    # 61 days billed, 31 of them in 2024.
    assert use["allocation_share"] == pytest.approx(31 / 61)
    assert use["kgco2e"] == pytest.approx(1000 * 31 / 61 * 0.02)
    assert use["energy_kwh"] == pytest.approx(1000 * 31 / 61)


def test_fuels_scope1_and_well_to_tank(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        energy="""\
        site_id,carrier,quantity,unit,cv_basis
        FRA,diesel,500,L,
        PAR,natural_gas,20,MWh,net
        PAR,natural_gas,1000,m3,""",
    )
    diesel = line(result, "energy:2:operation")
    assert diesel["scope"] == 1 and diesel["kgco2e"] == pytest.approx(500 * 2.5)
    assert diesel["energy_kwh"] == pytest.approx(500 * 10)
    assert line(result, "energy:2:operation:upstream")["kgco2e"] == pytest.approx(500 * 0.6)
    assert line(result, "energy:3:operation")["kgco2e"] == pytest.approx(20_000 * 0.2)
    assert line(result, "energy:4:operation")["kgco2e"] == pytest.approx(1000 * 2)
    assert result.totals["scope1_kgco2e"] == pytest.approx(500 * 2.5 + 20_000 * 0.2 + 1000 * 2)
    # diesel's biofuel blend: 500 L × 0.1 kg biogenic CO2, apart from the scopes, in no total
    bio = line(result, "energy:2:operation:biogenic_co2")
    assert (bio["scope"], bool(bio["counted"]), bio["kgco2e"]) == (0, False, pytest.approx(50))
    assert result.biogenic_co2 == {"kgco2e": pytest.approx(50), "by_fuel_kgco2e": {"diesel": 50}}
    assert result.outside_scopes["kgco2e"] == 0
    assert "energy:3:operation:biogenic_co2" not in set(result.ledger["line_id"])  # no biofuel


def test_a_gas_bill_in_kwh_is_on_the_gross_calorific_value_unless_said(tmp_path, fixture_library):
    # fixture: natural gas 0.2 kgCO2e/kWh net CV; 0.18 kgCO2e/kWh gross CV, well-to-tank 0.027,
    # and 0.9 kWh (net) per kWh (gross)
    result = _run(
        tmp_path,
        fixture_library,
        energy="""        site_id,carrier,quantity,unit,cv_basis
        PAR,natural_gas,10000,kWh,
        PAR,natural_gas,10000,kWh,gross
        PAR,natural_gas,10000,kWh,net
        PAR,natural_gas,100,m3,net""",
    )
    for row in (2, 3):
        burn = line(result, f"energy:{row}:operation")
        assert burn["factor_gwp"] == "fuels:natural_gas:gross_cv:gwp:kWh:2024"
        assert burn["kgco2e"] == pytest.approx(10_000 * 0.18)
        assert burn["energy_kwh"] == pytest.approx(10_000 * 0.9)  # energy totals on net CV
        assert line(result, f"energy:{row}:operation:upstream")["kgco2e"] == pytest.approx(
            10_000 * 0.027
        )
    net = line(result, "energy:4:operation")
    assert (net["kgco2e"], net["energy_kwh"]) == (pytest.approx(10_000 * 0.2), 10_000)
    assert result.totals["scope1_kgco2e"] == pytest.approx(
        2 * 10_000 * 0.18 + 10_000 * 0.2 + 100 * 2
    )
    # a basis on a quantity that is not an energy is said to be unused
    [unused] = [i for i in result.issues if i.code == "not-used"]
    assert (unused.source.row, unused.source.column, unused.severity.value) == (
        5,
        "cv_basis",
        "warning",
    )


def test_a_fuel_without_a_gross_factor_is_rejected_with_the_way_out(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        energy="""        site_id,carrier,quantity,unit,cv_basis
        FRA,diesel,1000,kWh,
        FRA,diesel,1000,kWh,net
        FRA,electricity,1000,kWh,net""",
    )
    assert "energy:2:operation" not in set(result.ledger["line_id"])
    assert line(result, "energy:3:operation")["kgco2e"] == pytest.approx(1000 * 0.25)
    found = sorted(
        (i.code, i.source.row, i.source.column)
        for i in result.issues
        if i.source is not None and i.source.sheet == "energy"
    )
    assert found == [
        ("not-used", 4, "cv_basis"),
        ("unknown-factor-key", 2, "cv_basis"),
        ("unknown-factor-key", 2, "unit"),
        ("unknown-factor-key", 3, "carrier"),  # the fixture has no diesel well-to-tank per kWh
    ]


def test_refrigerants_with_leak_or_charge_and_rate(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        refrigerants="""\
        site_id,gas,leaked_kg,charge_kg,annual_leak_rate
        FRA,R-410A,2,,
        FRA,R134a,,10,0.1""",
    )
    assert line(result, "refrigerants:2:operation")["kgco2e"] == pytest.approx(2 * 2255.5)
    # 2024 has 366 days: 10 kg × 10 %/year × 366/365.25 years.
    assert line(result, "refrigerants:3:operation")["kgco2e"] == pytest.approx(
        10 * 0.1 * 366 / 365.25 * 1530
    )
    assert "value-normalized" in codes(result)  # R134a read as R-134a


def test_refrigerant_gwp_set_ar5(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        settings="key,value\norganization,T\nreporting_year,2024\ngwp_set,AR5\n",
        refrigerants="site_id,gas,leaked_kg\nFRA,R-410A,1\n",
    )
    assert line(result, "refrigerants:2:operation")["kgco2e"] == pytest.approx(1923.5)


def test_cloud_compute_embodied_storage_reported_and_other(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        cloud="""\
        provider,region,resource,usage_type,quantity,unit,spend,currency,reported_kgco2e
        aws,eu-west-3,m5.xlarge,compute,1000,h,,,
        aws,us-east-1,,storage_ssd,2000,GB_month,,,
        aws,eu-central-1,,compute,5000,vcpu_h,,,
        aws,eu-west-3,,network,100,GB,,,12.5
        aws,eu-west-3,,other,1,h,1000,USD,""",
    )
    compute = line(result, "cloud:2:use")
    watts_per_vcpu = 0.64 + 0.5 * (3.97 - 0.64)
    kwh = 1000 * 4 * watts_per_vcpu / 1000 * 1.135
    assert compute["activity_amount"] == pytest.approx(kwh)
    assert compute["kgco2e"] == pytest.approx(kwh * 0.05)  # FR lifecycle factor
    assert compute["scope"] == 3 and compute["category"] == 1
    assert compute["water_m3"] == pytest.approx(kwh * 0.0025 + kwh / 1.135 * 0.18 / 1000)
    assert compute["ef_water"] == pytest.approx(0.0025 + 0.18 / 1000 / 1.135)
    assert (
        compute["factor_water"] == "electricity:FR:water:2024;cloud:aws:wue:2024;cloud:aws:pue:2024"
    )
    embodied = line(result, "cloud:2:manufacturing")
    lifetime_hours = 4 * 365.25 * 24
    assert embodied["kgco2e"] == pytest.approx(1000 * 4 * 1610.3792 / 96 / lifetime_hours)
    storage = line(result, "cloud:3:use")
    tb_hours = 2000 / 1000 * 730.5  # pint's month = 1/12 Julian year
    assert storage["kgco2e"] == pytest.approx(tb_hours * 0.0012 * 1.135 * 0.42)
    default_arch = line(result, "cloud:4:use")
    assert default_arch["kgco2e"] == pytest.approx(
        5000 * (0.74 + 0.5 * (3.5 - 0.74)) / 1000 * 1.135 * 0.40
    )
    assert line(result, "cloud:4:manufacturing")["kgco2e"] == pytest.approx(5000 * 0.0005)
    reported = line(result, "cloud:5:use")
    assert reported["kgco2e"] == 12.5 and reported["method"] == "supplier_specific"
    other = line(result, "cloud:6:operation")
    # 1000 USD of the reporting year 2024 → 2022 prices (index 100/110) × 0.093.
    assert other["kgco2e"] == pytest.approx(1000 * 100 / 110 * 0.093)
    assert other["method"] == "spend_based"


def test_cloud_unknown_region_and_instance_are_precise_errors(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        cloud="""\
        provider,region,resource,usage_type,quantity,unit
        aws,eu-west-33,m5.xlarge,compute,10,h
        aws,eu-west-3,m5.xlarg,compute,10,h""",
    )
    region, resource = [i for i in result.issues if i.code == "unknown-factor-key"]
    assert (region.source.row, region.source.column) == (2, "region")
    assert "did you mean 'eu-west-3'" in region.message
    assert (resource.source.row, resource.source.column) == (3, "resource")
    assert "did you mean 'm5.xlarge'" in resource.message
    assert result.reconciliation["by_sheet"]["cloud"]["rows_rejected"] == 2


def test_services_spend_conversion_and_supplier_specific(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        services="""\
        supplier,description,category,spend,currency,spend_year,supplier_kgco2e,scope3_category
        Atlassian,Jira,saas,10000,EUR,2024,,
        Consult,Audit,it_consulting,5000,USD,2022,,
        Telco,Lines,saas,1,EUR,2024,321,
        Travel,Flights,saas,100,GBP,2024,,6""",
    )
    saas = line(result, "services:2:operation")
    assert saas["fx_rate"] == pytest.approx(1.08)  # USD per EUR in 2024
    assert saas["price_index_ratio"] == pytest.approx(100 / 110)  # US CPI 2022 / 2024
    assert saas["kgco2e"] == pytest.approx(10_000 * 1.08 * 100 / 110 * 0.08)
    assert line(result, "services:3:operation")["kgco2e"] == pytest.approx(5000 * 0.089)
    assert line(result, "services:4:operation")["kgco2e"] == 321
    travel = line(result, "services:5:operation")
    assert travel["category"] == 6
    assert travel["kgco2e"] == pytest.approx(100 * 1.25 * 100 / 110 * 0.08)
    assert result.totals["scope3_by_category_kgco2e"]["6"] == pytest.approx(travel["kgco2e"])


def test_own_factors_override_the_library_and_are_supplier_specific(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        energy="""\
        site_id,carrier,quantity,unit
        PAR,electricity,1000,kWh""",
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w
        S1,server,1,2024-01-01,1,PAR,0""",
        services="""\
        supplier,description,category,spend,currency,spend_year
        X,Y,saas,1000,EUR,2024""",
        factors="""\
        factor_id,sheet,key,indicator,value,unit,source,year
        own-fr,energy,electricity:FR,gwp,0.05,kgCO2e/kWh,Supplier 2024,2024
        own-srv,equipment,server,gwp,800,kgCO2e,Vendor PCF,2024
        own-saas,services,saas,gwp,0.2,kgCO2e/EUR,Vendor report,2024""",
    )
    use = line(result, "energy:2:use")
    assert use["kgco2e"] == pytest.approx(50) and use["factor_gwp"] == "own-fr"
    assert use["method"] == "supplier_specific"
    assert line(result, "equipment:2:manufacturing")["kgco2e"] == 800
    saas = line(result, "services:2:operation")
    assert saas["kgco2e"] == pytest.approx(1000 * 0.2)  # EUR factor of 2024: no conversion
    assert saas["fx_rate"] == 1.0 and saas["price_index_ratio"] == 1.0


def test_offsets_are_a_memo_and_change_no_total(tmp_path, fixture_library):
    base = dict(energy="site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh\n")
    without = _run(tmp_path / "a", fixture_library, **base)
    with_offsets = _run(
        tmp_path / "b",
        fixture_library,
        **base,
        offsets="""\
        project,standard,vintage,quantity_tco2e,kind
        Forest,VCS,2022,500,removal""",
    )
    assert with_offsets.totals == without.totals
    assert with_offsets.offsets_memo == {"quantity_tco2e": 500.0, "deducted": False, "rows": 1}


def test_own_cloud_region_factor_wins(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        cloud="""\
        provider,region,resource,usage_type,quantity,unit
        aws,eu-west-3,,network,1000,GB""",
        factors="""\
        factor_id,sheet,key,indicator,value,unit,source,year
        aws-paris,cloud,aws:eu-west-3,gwp,30,gCO2e/kWh,AWS customer carbon tool 2024,2024""",
    )
    use = line(result, "cloud:2:use")
    assert use["kgco2e"] == pytest.approx(1000 * 0.001 * 1.135 * 0.030)
    assert use["factor_gwp"] == "aws-paris" and use["method"] == "supplier_specific"


def test_scope1_by_gas_follows_the_factors_split(tmp_path, fixture_library):
    # fixture diesel 2.5 kgCO2e/L = CO2 2.4 + CH4 0.05 + N2O 0.05; natural gas has no split;
    # R-410A is an HFC blend (AR6 2255.5), R-744 is CO2 (GWP 1)
    result = _run(
        tmp_path,
        fixture_library,
        energy="""\
        site_id,carrier,quantity,unit,cv_basis
        FRA,diesel,500,L,
        PAR,natural_gas,1000,m3,""",
        refrigerants="""\
        site_id,gas,leaked_kg
        FRA,R-410A,2""",
    )
    by_gas = result.scope1_by_gas_kgco2e
    assert by_gas["CO2"] == pytest.approx(500 * 2.5 * 2.4 / 2.5)
    assert by_gas["CH4"] == pytest.approx(500 * 2.5 * 0.05 / 2.5)
    assert by_gas["N2O"] == pytest.approx(500 * 2.5 * 0.05 / 2.5)
    assert by_gas["HFCs"] == pytest.approx(2 * 2255.5)
    assert by_gas["not_split"] == pytest.approx(1000 * 2)  # the fixture's gas has no split
    assert sum(by_gas.values()) == pytest.approx(result.totals["scope1_kgco2e"])


def test_refrigerant_families():
    from lca.aggregate.gases import refrigerant_family

    assert [refrigerant_family(g) for g in ("R-410A", "R-134a", "R-14", "PFC-116", "C3F8",
                                             "SF6", "NF3", "R-744")] == [
        "HFCs", "HFCs", "PFCs", "PFCs", "PFCs", "SF6", "NF3", "CO2"]  # fmt: skip


def test_district_heat_and_cooling(tmp_path, fixture_library):
    # fixture: district heating (generic) 0.15 + upstream 0.03; district cooling only for FR,
    # 0.1 without an upstream part
    result = _run(
        tmp_path,
        fixture_library,
        energy="""\
        site_id,carrier,quantity,unit
        PAR,district_cooling,1000,kWh
        PAR,district_heating,1000,kWh
        FRA,district_cooling,1000,kWh""",
    )
    cooling = line(result, "energy:2:use")
    assert (cooling["scope"], cooling["kgco2e"]) == (2, pytest.approx(1000 * 0.1))
    heat = line(result, "energy:3:use")
    assert heat["kgco2e"] == pytest.approx(1000 * 0.15)
    assert line(result, "energy:3:use:upstream")["kgco2e"] == pytest.approx(1000 * 0.03)
    assert "energy:2:use:upstream" not in set(result.ledger["line_id"])
    found = {(i.code, i.source.row, i.source.column, i.severity.value) for i in result.issues
             if i.source is not None and i.source.sheet == "energy"}  # fmt: skip
    assert ("unknown-factor-key", 2, "carrier", "warning") in found  # no category 3 part
    assert ("factor-fallback", 3, "carrier", "warning") in found  # generic heat, not PAR's
    assert ("unknown-factor-key", 4, "carrier", "error") in found  # no DE cooling factor
