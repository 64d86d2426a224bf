"""The inventory's own factors: one path for every activity, every row accounted for.

Fixture library values used below (tests/fixtures/factors): electricity FR gwp 0.02,
gwp_lifecycle 0.05, water 0.0025 m³/kWh, adpe 5e-08 kgSbeq/kWh; DE gwp 0.35, gwp_lifecycle 0.4;
R-410A GWP AR6 2255.5; aws PUE 1.135, WUE 0.18 L/kWh; server water 10 m³/device.
"""

import numpy as np
import pandas as pd
import pytest
from helpers import line, write_inventory

from lca.mapping.context import build_context
from lca.mapping.match import override_lookup
from lca.pipeline import run
from lca.read import read_inventory
from lca.report import tables
from lca.validate import validate

SITES = """\
site_id,name,country,kind,pue
PAR,Paris office,FR,office,
FRA,Frankfurt DC,DE,datacenter,1.4
LON,London office,GB,office,
"""
FACTOR_HEADER = "factor_id,sheet,key,indicator,stage,value,unit,source,year\n"


def _run(tmp_path, fixture_library, factors: str, **sheets):
    """Run with these factors rows (``year`` blank unless a row gives it)."""
    sheets.setdefault("sites", SITES)
    rows = "".join(
        row + ("," if row.count(",") == 7 else "") + "\n" for row in factors.splitlines()
    )
    return run(
        write_inventory(tmp_path, factors=FACTOR_HEADER + rows, **sheets), library=fixture_library
    )


def _issues(result, code):
    return [i for i in result.issues if i.code == code]


def test_refrigerant_own_gwp_is_the_gwp_of_the_report_set(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        "own-r410a,refrigerants,R-410A,gwp,,2000,kgCO2e/kg,supplier sheet\n",
        refrigerants="site_id,gas,leaked_kg\nFRA,R-410A,2",
    )
    leak = line(result, "refrigerants:2:operation")
    assert leak["kgco2e"] == pytest.approx(2 * 2000)  # not the library's 2 × 2255.5
    assert leak["factor_gwp"] == "own-r410a" and leak["method"] == "supplier_specific"
    assert result.own_factors == [
        {
            "factor_id": "own-r410a",
            "row": 2,
            "sheet": "refrigerants",
            "key": "R-410A",
            "indicator": "gwp",
            "stage": "",
            "lines": 1,
        }
    ]


JOBS = """\
job_id,phase,hardware,device_count,measured_kwh,location,runs_on
cloud-job,training,nvidia_t4,1,100,aws:eu-west-3,cloud
dc-job,training,nvidia_t4,1,100,DE,asset:SRV-1
"""
EQUIPMENT = """\
asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w
SRV-1,server,1,2024-01-01,5,FRA,100
"""


def test_compute_jobs_take_own_cloud_region_and_country_factors(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        "own-paris,cloud,aws:eu-west-3,gwp,,0.1,kgCO2e/kWh,provider\n"
        "own-de,energy,electricity:DE,gwp,,0.3,kgCO2e/kWh,utility\n",
        compute_jobs=JOBS,
        equipment=EQUIPMENT,
    )
    cloud_job = line(result, "compute_jobs:2:use")
    assert cloud_job["kgco2e"] == pytest.approx(100 * 1.135 * 0.1)  # not × 0.05 (FR lifecycle)
    assert cloud_job["factor_gwp"] == "own-paris"
    dc_job = line(result, "compute_jobs:3:use")
    assert dc_job["kgco2e"] == pytest.approx(100 * 1.4 * 0.3)  # site PUE; not × 0.35
    assert dc_job["factor_gwp"] == "own-de" and not dc_job["counted"]
    # the same own DE factor is the grid factor of the server's use at the DE site
    server = line(result, "equipment:2:use")
    assert server["ef_gwp"] == pytest.approx(0.3)
    used = {f["factor_id"]: f["lines"] for f in result.own_factors}
    assert used == {"own-paris": 1, "own-de": 2}


@pytest.mark.parametrize(
    "value, unit",
    [
        (0.004, "m3/kWh"),
        (0.004, "m³ per kWh"),
        (4, "L/kWh"),
        (4, "litres per kWh"),
        (0.004, "m^3/kWh"),
    ],
)
def test_own_water_per_kwh_as_people_write_it(tmp_path, fixture_library, value, unit):
    result = _run(
        tmp_path,
        fixture_library,
        f"own-water,energy,electricity:FR,water,,{value},{unit},utility\n"
        "own-adpe,energy,electricity:FR,adpe,,1e-7,kg Sb eq/kWh,utility\n",
        energy="site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh",
    )
    use = line(result, "energy:2:use")
    assert use["water_m3"] == pytest.approx(1000 * 0.004)  # office: no on-site water
    assert use["adpe_kgsbeq"] == pytest.approx(1000 * 1e-7)
    assert use["not_assessed"] == ""
    assert not [i for i in result.issues if i.severity.value == "error"]


def test_own_water_per_device(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        "own-srv-water,equipment,server,water,,12,m3,PCF\n",
        equipment="""\
        asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w
        SRV-1,server,3,2024-01-01,4,PAR,100""",
    )
    made = line(result, "equipment:2:manufacturing")
    assert made["ef_water"] == pytest.approx(12)  # not the library's 10 m³/device
    # acquired in 2024: charged in full in the year of acquisition (the default view) ...
    assert made["water_m3"] == pytest.approx(3 * 12 * 1.0)
    # ... and amortized over 4 years from 2024-01-01 in the other view: 366 of 1461 days
    assert made["allocation_share_alternative"] == pytest.approx(366 / 1461)
    assert made["factor_water"] == "own-srv-water"


@pytest.mark.parametrize(
    "unit, code",
    [
        ("m3/kWhh", "unknown-unit"),
        ("10**10**10*kWh", "unknown-unit"),
        ("kgCO2e/kWh", "unit-dimension"),
    ],
)
def test_an_own_factor_whose_unit_cannot_serve_rejects_its_rows(
    tmp_path, fixture_library, unit, code
):
    result = _run(
        tmp_path,
        fixture_library,
        f"own-water,energy,electricity:FR,water,,0.004,{unit},utility\n",
        energy="""\
        site_id,carrier,quantity,unit
        PAR,electricity,1000,kWh
        FRA,electricity,2000,kWh""",
    )
    factor_error = _issues(result, code)
    assert [(i.source.sheet, i.source.row, i.source.column) for i in factor_error] == [
        ("factors", 2, "unit")
    ]
    rejected = _issues(result, "invalid-factor")
    assert [(i.source.sheet, i.source.row) for i in rejected] == [("energy", 2)]
    # the FR row has no line at all (never a water of 0); the DE row is untouched
    assert set(result.ledger["line_id"]) == {"energy:3:use", "energy:3:use:upstream"}
    reconciliation = result.reconciliation
    assert reconciliation["by_sheet"]["factors"] == {
        "rows_read": 1,
        "rows_accounted": 0,
        "rows_rejected": 1,
    }
    assert reconciliation["by_sheet"]["energy"] == {
        "rows_read": 2,
        "rows_accounted": 1,
        "rows_rejected": 1,
    }
    assert reconciliation["rows_read"] == (
        reconciliation["rows_accounted"] + reconciliation["rows_rejected"]
    )


def test_an_unused_own_factor_is_a_warning_with_a_suggestion(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        "own-fr,energy,electricity:FX,gwp,,0.01,kgCO2e/kWh,utility\n",
        energy="site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh",
    )
    [unused] = _issues(result, "unused-factor")
    assert (unused.source.sheet, unused.source.row, unused.severity.value) == (
        "factors",
        2,
        "warning",
    )
    assert "did you mean 'energy / electricity:FR / gwp'" in unused.message
    assert line(result, "energy:2:use")["kgco2e"] == pytest.approx(1000 * 0.02)
    assert result.own_factors[0]["lines"] == 0


def test_an_own_factor_id_is_opaque_to_the_report(tmp_path, fixture_library):
    """A GB site whose scope 2 lines all use own factor OWN-GB (no residual mix for GB)."""
    result = _run(
        tmp_path,
        fixture_library,
        "OWN-GB,energy,electricity:GB,gwp,,0.2,kgCO2e/kWh,utility\n",
        energy="site_id,carrier,quantity,unit\nLON,electricity,1000,kWh",
    )
    use = line(result, "energy:2:use")
    assert use["factor_gwp_market"] == "OWN-GB"
    assert use["kgco2e_market"] == pytest.approx(1000 * 0.2)
    [row] = tables.scope2_methods(result.ledger)
    assert (row["site_id"], row["market_source"]) == (
        "LON",
        "location-based factor (no residual mix)",
    )


#: One inventory with a line for every (sheet, indicator) the factors sheet allows: (sheet, key,
#: indicator, stage, a line id the own factor serves, its ledger column, the library value).
#: Cloud water is left out: a cloud line's water adds the provider's WUE to the grid's.
ALLOWED = [
    ("energy", "electricity:FR", "gwp", "", "energy:2:use", "kgco2e", 0.02),
    ("energy", "electricity:FR", "gwp_upstream", "", "energy:2:use:upstream", "kgco2e", 0.01),
    ("energy", "electricity:FR", "water", "", "energy:2:use", "water_m3", 0.0025),
    ("energy", "electricity:FR", "adpe", "", "energy:2:use", "adpe_kgsbeq", 5e-08),
    ("energy", "diesel:FR", "gwp", "", "energy:3:operation", "kgco2e", None),
    ("equipment", "server", "gwp", "manufacturing", "equipment:2:manufacturing", "kgco2e", 1000),
    ("equipment", "server", "water", "manufacturing", "equipment:2:manufacturing", "water_m3", 10),
    (
        "equipment",
        "server",
        "adpe",
        "manufacturing",
        "equipment:2:manufacturing",
        "adpe_kgsbeq",
        0.1,
    ),
    ("equipment", "server", "gwp", "end_of_life", "equipment:2:end_of_life", "kgco2e", 20),
    ("refrigerants", "R-410A", "gwp", "", "refrigerants:2:operation", "kgco2e", 2255.5),
    ("services", "saas", "gwp", "", "services:2:operation", "kgco2e", None),
    ("cloud", "aws:eu-west-3", "gwp", "", "cloud:2:use", "kgco2e", 0.05),
    ("cloud", "aws:eu-west-3", "adpe", "", "cloud:2:use", "adpe_kgsbeq", 5e-08),
]
ALL_SHEETS = dict(
    energy="site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh\nPAR,diesel,100,L",
    # retired in the period, so its end of life (category 5) falls in 2024 too
    equipment="asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w,"
    "retired_on\nSRV-1,server,2,2024-01-01,4,PAR,100,2024-12-01",
    refrigerants="site_id,gas,leaked_kg\nPAR,R-410A,2",
    services="supplier,description,category,spend,currency,spend_year\nX,licences,saas,1000,"
    "USD,2022",
    cloud="provider,region,service,resource,usage_type,quantity,unit\n"
    "aws,eu-west-3,AmazonEC2,m5.xlarge,compute,100,h",
)
UNITS = {"gwp": "kgCO2e", "gwp_upstream": "kgCO2e", "water": "m3", "adpe": "kgSbeq"}
PER = {
    "energy": "/kWh",
    "equipment": "",
    "refrigerants": "/kg",
    "services": "/USD",
    "cloud": "/kWh",
}


@pytest.mark.parametrize("sheet, key, indicator, stage, line_id, column, _", ALLOWED)
def test_an_own_factor_changes_the_result_by_its_ratio_to_the_library(
    tmp_path, fixture_library, sheet, key, indicator, stage, line_id, column, _
):
    base = _run(tmp_path / "base", fixture_library, "", **ALL_SHEETS)
    before = line(base, line_id)
    library_ef = before[
        {"kgco2e": "ef_gwp", "water_m3": "ef_water", "adpe_kgsbeq": "ef_adpe"}[column]
    ]
    per = "/L" if key == "diesel:FR" else PER[sheet]
    # services: per USD of 2022 prices, as the library's factor (0.08 kgCO2e/USD, 2022)
    year = "2022" if sheet == "services" else ""
    own = _run(
        tmp_path / "own",
        fixture_library,
        f"own,{sheet},{key},{indicator},{stage},"
        f"{float(library_ef) * 1.7!r},{UNITS[indicator]}{per},s,{year}",
        **ALL_SHEETS,
    )
    after = line(own, line_id)
    assert after[column] == pytest.approx(before[column] * 1.7, rel=1e-12)
    assert own.own_factors[0]["lines"] >= 1
    moved = ~np.isclose(own.ledger[column], base.ledger[column], rtol=1e-15, equal_nan=True)
    changed = set(own.ledger.loc[moved, "line_id"])
    assert line_id in changed
    for other in changed - {line_id}:  # only lines of the same own factor change
        assert "own" in {line(own, other)[c] for c in ("factor_gwp", "factor_water", "factor_adpe")}


def test_the_workbook_lists_the_ledger_lines_of_each_own_factor(tmp_path, fixture_library):
    from openpyxl import load_workbook

    from lca.report.model import build
    from lca.report.xlsx import write_xlsx

    result = _run(
        tmp_path / "inv",
        fixture_library,
        "own-fr,energy,electricity:FR,gwp,,0.03,kgCO2e/kWh,utility\n"
        "own-fx,energy,electricity:FX,gwp,,0.01,kgCO2e/kWh,utility\n",
        energy="site_id,carrier,quantity,unit\nPAR,electricity,1000,kWh\nPAR,electricity,500,kWh",
    )
    sheet = load_workbook(write_xlsx(result, build(result), tmp_path / "out"))["In-factors"]
    header = [c.value for c in sheet[1]]
    rows = {
        r[header.index("factor_id")]: r[header.index("ledger_lines")]
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows == {"own-fr": 2, "own-fx": 0}  # the two bills' use lines; FX: none


def test_own_factors_are_matched_by_each_keys_sheet_label_not_position(tmp_path, fixture_library):
    # override_lookup takes one sheet per key as a Series: it lines up with the keys by label,
    # as a column of the keys' frame would, whatever the order of its index
    folder = write_inventory(
        tmp_path,
        sites="site_id,country,kind\nPAR,FR,office",
        factors="factor_id,sheet,key,indicator,value,unit,source\n"
        "own-cloud,cloud,FR,gwp,0.5,kgCO2e/kWh,test",
    )
    inventory, _ = validate(read_inventory(folder), fixture_library)
    ctx, _ = build_context(inventory, fixture_library)
    keys = pd.Series(["FR", "FR"], index=[10, 20], dtype="string")
    sheets = pd.Series(["energy", "cloud"], index=[10, 20], dtype="string")
    expected = [pd.NA, "own-cloud"]
    found = override_lookup(ctx, sheets, keys, "gwp")
    assert found["factor_id"].tolist() == expected
    found = override_lookup(ctx, sheets.iloc[::-1], keys, "gwp")  # the same labels, reversed
    assert found["factor_id"].tolist() == expected
    assert found.index.tolist() == [10, 20]
    assert {("cloud", "FR", "gwp", ""), ("energy", "FR", "gwp", "")} <= ctx.asked
