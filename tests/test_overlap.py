"""Double-counting guard: each pair warned, then resolved by the row's ``overlap`` column.

Services rows are priced in 2022 USD, the year of their spend factors (fixture cloud_services
0.093 kgCO2e/USD; own factors below for computers and hosting), so kgCO2e = spend × factor.
"""

import pytest
from helpers import line, write_inventory

from lca.pipeline import run

SITES = """\
site_id,name,country,kind
PAR,Paris office,FR,office
COLO,Equinix PA3,FR,colocation
"""
#: Own spend factors for the categories the fixture library lacks (kgCO2e per 2022 USD).
FACTORS = """\
factor_id,sheet,key,indicator,value,unit,source,year
own-computers,services,computers,gwp,0.05,kgCO2e/USD,test,2022
own-hosting,services,hosting,gwp,0.09,kgCO2e/USD,test,2022
"""
SHEETS = dict(
    sites=SITES,
    factors=FACTORS,
    equipment="""\
    asset_id,category,quantity,acquired_on,lifetime_years,site_id,power_w
    LAP-1,laptop,100,2024-03-01,4,PAR,
    """,
    energy="""\
    site_id,carrier,quantity,unit
    COLO,electricity,10000,kWh
    """,
    cloud="""\
    provider,region,service,resource,usage_type,quantity,unit
    aws,eu-west-3,AmazonEC2,m5.xlarge,compute,100,h
    """,
    compute_jobs="""\
    job_id,phase,hardware,device_count,measured_kwh,location,runs_on{job_overlap}
    job-1,training,nvidia_t4,1,100,aws:eu-west-3,cloud{job_choice}
    """,
    services="""\
    supplier,description,category,spend,currency,spend_year{overlap}
    Dell,100 laptops,computers,100000,USD,2022{c1}
    Equinix,colocation incl. power,hosting,20000,USD,2022{c2}
    Amazon Web Services,AWS invoice,cloud_services,5000,USD,2022{c3}
    Atlassian,Jira,saas,1000,USD,2022{c4}
    """,
)


def _run(tmp_path, fixture_library, choices=("", "", "", ""), job=""):
    sheets = dict(SHEETS)
    with_column = any(choices)
    sheets["services"] = sheets["services"].format(
        overlap=",overlap" if with_column else "",
        **{f"c{i + 1}": ("," + c) if with_column else "" for i, c in enumerate(choices)},
    )
    sheets["compute_jobs"] = sheets["compute_jobs"].format(
        job_overlap=",overlap" if job else "", job_choice=("," + job) if job else ""
    )
    return run(write_inventory(tmp_path, **sheets), library=fixture_library)


def _risks(result):
    return {
        (i.source.sheet, i.source.row): i.message
        for i in result.issues
        if i.code == "double-counting-risk"
    }


def test_each_pair_is_a_warning_naming_both_rows_and_the_stake(tmp_path, fixture_library):
    result = _run(tmp_path, fixture_library)
    risks = _risks(result)
    assert set(risks) == {("services", 2), ("services", 3), ("services", 4), ("compute_jobs", 2)}
    assert "equipment row 2" in risks[("services", 2)]
    assert f"{100000 * 0.05:.1f} kgCO2e at stake" in risks[("services", 2)]
    assert "energy row 2" in risks[("services", 3)]
    assert f"{20000 * 0.09:.1f} kgCO2e at stake" in risks[("services", 3)]
    assert "cloud row 2" in risks[("services", 4)]
    assert f"{5000 * 0.093:.1f} kgCO2e at stake" in risks[("services", 4)]
    assert "cloud row 2" in risks[("compute_jobs", 2)]
    job = line(result, "compute_jobs:2:use")
    assert f"{job['kgco2e']:.1f} kgCO2e at stake" in risks[("compute_jobs", 2)]
    assert all(line(result, f"services:{r}:operation")["counted"] for r in (2, 3, 4, 5))


def test_the_overlap_column_resolves_and_the_ledger_records_it(tmp_path, fixture_library):
    before = _run(tmp_path / "before", fixture_library)
    result = _run(
        tmp_path / "after",
        fixture_library,
        choices=("excluded", "excluded", "distinct", ""),
        job="excluded",
    )
    assert _risks(result) == {}
    computers = line(result, "services:2:operation")
    assert not computers["counted"] and computers["overlap"] == (
        "excluded: already counted by equipment row 2"
    )
    assert computers["kgco2e"] == pytest.approx(100000 * 0.05)  # kept, as attribution
    assert not line(result, "services:3:operation")["counted"]
    aws = line(result, "services:4:operation")
    assert aws["counted"] and aws["overlap"] == "distinct from cloud row 2"
    job = line(result, "compute_jobs:2:use")
    assert not job["counted"] and job["overlap"].startswith("excluded")
    # nvidia_t4 has no embodied factor in the fixture: the job has its use line only
    assert result.totals["total_location_kgco2e"] == pytest.approx(
        before.totals["total_location_kgco2e"] - 100000 * 0.05 - 20000 * 0.09 - job["kgco2e"]
    )
    assert result.reconciliation["rows_rejected"] == before.reconciliation["rows_rejected"]
