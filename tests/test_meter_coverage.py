"""Meter coverage: a site's electricity counts as metered only on the days its bills cover.

Fixture: FRA is a DE datacenter with PUE 1.4 (DE grid 0.35 kgCO2e/kWh, upstream 0.06); four
300 W servers in service all of 2024 (366 days): IT kWh = 4 × 300 × 366 × 24 / 1000.
"""

import pytest
from helpers import line, write_inventory

from lca.pipeline import run
from lca.report.model import build
from lca.report.results import results_dict

SITES = "site_id,name,country,kind,pue\nFRA,Frankfurt DC,DE,datacenter,1.4\n"
EQUIPMENT = """\
asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w
SRV-1,server,4,2023-01-01,5,FRA,300
"""
KWH = 4 * 300 * 366 * 24 / 1000 * 1.4


def _run(tmp_path, fixture_library, energy):
    return run(
        write_inventory(tmp_path, sites=SITES, equipment=EQUIPMENT, energy=energy),
        library=fixture_library,
    )


def test_a_january_bill_leaves_february_to_december_counted(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        """\
        site_id,carrier,quantity,unit,period_start,period_end
        FRA,electricity,1300,kWh,2024-01-01,2024-01-31""",
    )
    counted = line(result, "equipment:2:use")
    assert bool(counted["counted"]) and counted["allocation_share"] == pytest.approx(335 / 366)
    assert counted["kgco2e"] == pytest.approx(KWH * 335 / 366 * 0.35)
    metered = line(result, "equipment:2:use:metered")
    assert not metered["counted"] and metered["kgco2e"] == pytest.approx(KWH * 31 / 366 * 0.35)
    upstream = line(result, "equipment:2:use:upstream")
    assert bool(upstream["counted"]) and upstream["kgco2e"] == pytest.approx(KWH * 335 / 366 * 0.06)
    assert result.totals["scope2_location_kgco2e"] == pytest.approx(
        1300 * 0.35 + KWH * 335 / 366 * 0.35
    )
    assert result.attribution["equipment_use_in_metered_sites_kgco2e"] == pytest.approx(
        KWH * 31 / 366 * 0.35
    )
    [warning] = [i for i in result.issues if i.code == "partial-meter-coverage"]
    assert (warning.source.sheet, warning.source.row, warning.severity.value) == (
        "sites",
        2,
        "warning",
    )
    assert "31 of the period's 366 days (8.5%)" in warning.message
    assert results_dict(result)["meter_coverage"] == {
        "FRA": {"covered_days": 31, "period_days": 366, "share": 31 / 366}
    }
    [site] = build(result)["methodology"]["sites"]  # the report's table of sites
    assert (site["site_id"], site["meter_share"]) == ("FRA", 31 / 366)


def test_a_bill_outside_the_period_meters_nothing(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        """\
        site_id,carrier,quantity,unit,period_start,period_end
        FRA,electricity,20000,kWh,2023-01-01,2023-12-31""",
    )
    use = line(result, "equipment:2:use")
    assert bool(use["counted"]) and use["allocation_share"] == 1.0
    assert use["kgco2e"] == pytest.approx(KWH * 0.35)
    assert "equipment:2:use:metered" not in set(result.ledger["line_id"])
    assert result.totals["scope2_location_kgco2e"] == pytest.approx(KWH * 0.35)
    # the 2023 bill is refused where it stands, so FRA has no meter in 2024 at all
    [refused] = [i for i in result.issues if i.code == "date-outside-period"]
    assert (refused.source.sheet, refused.source.row, refused.severity.value) == (
        "energy",
        2,
        "error",
    )
    assert not [i for i in result.issues if i.code == "partial-meter-coverage"]
    assert result.meter_coverage == {}


def test_bills_covering_the_year_keep_the_equipment_attribution_only(tmp_path, fixture_library):
    result = _run(
        tmp_path,
        fixture_library,
        """\
        site_id,carrier,quantity,unit,period_start,period_end
        FRA,electricity,10000,kWh,2024-01-01,2024-06-30
        FRA,electricity,10000,kWh,2024-06-15,2024-12-31""",
    )
    use = line(result, "equipment:2:use")
    assert not use["counted"] and use["allocation_share"] == 1.0
    assert result.totals["scope2_location_kgco2e"] == pytest.approx(20000 * 0.35)
    assert not [i for i in result.issues if i.code == "partial-meter-coverage"]
    assert result.meter_coverage["FRA"]["share"] == 1.0
