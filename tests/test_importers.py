"""Importers: real tracker files, provider carbon exports and billing exports → inventory rows
with provenance, and the rows run through the engine."""

from __future__ import annotations

import shutil
import textwrap

import pandas as pd
import pytest

from lca.importers import SOURCES, ImportOptions, registry, write_sheets
from lca.pipeline import run
from tests.conftest import SHARED_DATA, needs_shared_data
from tests.helpers import SETTINGS_2024, line, write_inventory

M5_KWH_PER_H = 4 * (0.64 + 0.5 * (3.97 - 0.64)) / 1000  # fixture cascade_lake, utilisation 0.5


def _import(source, path, fixture_library, **options):
    return registry()[source](path, ImportOptions(library=fixture_library, **options))


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return path


def _inventory(tmp_path, imported, **sheets):
    folder = tmp_path / "inventory"
    write_sheets(imported, folder)
    (folder / "settings.csv").write_text(SETTINGS_2024, encoding="utf-8")
    for name, text in sheets.items():
        (folder / f"{name}.csv").write_text(textwrap.dedent(text).strip() + "\n")
    return folder


@needs_shared_data
def test_real_codecarbon_file_imports_and_its_energy_reconciles(tmp_path, fixture_library):
    source = SHARED_DATA / "codecarbon" / "example-emissions.csv"
    imported = _import("codecarbon", source, fixture_library, runs_on="cloud")
    jobs = imported.sheets["compute_jobs"]
    raw = pd.read_csv(source)
    assert list(jobs["source_row"]) == [2, 3]
    assert list(jobs["location"]) == ["FRA", "DEU"]
    assert jobs["measured_kwh"].tolist() == pytest.approx(
        (raw["energy_consumed"] / raw["pue"]).tolist()
    )
    result = run(_inventory(tmp_path, imported), library=fixture_library)
    assert [i.code for i in result.issues if i.severity.value != "info"] == []
    for data_row, row in ((0, 2), (1, 3)):
        use = line(result, f"compute_jobs:{row}:use")
        # PUE applied once: the engine's facility energy is CodeCarbon's energy_consumed
        assert use["energy_kwh"] == pytest.approx(raw["energy_consumed"][data_row], rel=1e-12)
        assert use["pue"] == raw["pue"][data_row]
    assert line(result, "compute_jobs:3:use")["kgco2e"] == pytest.approx(
        raw["energy_consumed"][1] * 0.4
    )  # DE life-cycle factor of the fixture


@needs_shared_data
def test_real_carbontracker_logs(fixture_library):
    folder = SHARED_DATA / "carbontracker" / "example-logs"
    imported = _import("carbontracker", folder, fixture_library, location="FR", runs_on="cloud")
    job = imported.sheets["compute_jobs"].iloc[0]
    assert job["measured_kwh"] == pytest.approx(0.000987590173 / 1.58)
    assert job["measured_kwh"] == pytest.approx((75 + 300) * 6.0 / 3.6e6, rel=1e-3)  # SOURCE.md
    assert job["pue"] == 1.58 and job["hours"] == pytest.approx(6 / 3600)
    assert job["hardware"] == "Simulated A100"
    assert job["source_row"] == 11


def test_aws_carbon_export_keeps_location_and_market_values(tmp_path, fixture_library):
    path = _write(
        tmp_path,
        "carbon.csv",
        """\
        usage_period_start,usage_account_id,product_code,region_code,total_lbm_emissions_value,total_lbm_emissions_unit,total_mbm_emissions_value,total_mbm_emissions_unit
        2024-03-01,111,AmazonEC2,eu-west-3,0.012,MTCO2e,0.002,MTCO2e
        2024-03-01,111,AmazonEC2,eu-west-3,0.003,MTCO2e,0.001,MTCO2e
        2023-12-01,111,AmazonS3,,0.5,MTCO2e,0.4,MTCO2e
        """,
    )
    imported = _import("aws-carbon", path, fixture_library, year=2024)
    rows = imported.sheets["cloud"]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["reported_kgco2e"] == pytest.approx((0.012 + 0.003) * 1000)
    assert row["reported_kgco2e_market"] == pytest.approx((0.002 + 0.001) * 1000)
    assert (row["source_row"], row["source_rows"]) == (2, 2)
    result = run(_inventory(tmp_path, imported), library=fixture_library)
    assert [i.code for i in result.issues] == []
    reported = line(result, "cloud:2:use")
    assert reported["kgco2e"] == pytest.approx(15.0)
    assert reported["kgco2e_market"] == pytest.approx(3.0)
    assert reported["method"] == "supplier_specific"


def test_gcp_and_azure_carbon_exports(tmp_path, fixture_library):
    gcp = _write(
        tmp_path,
        "gcp.csv",
        """\
        usage_month,billing_account_id,project.id,service.description,location.location,location.region,carbon_footprint_kgCO2e.scope1,carbon_footprint_total_kgCO2e.location_based,carbon_footprint_total_kgCO2e.market_based
        2024-05-01,B1,proj-a,Compute Engine,europe-west1,europe-west1,0.1,12.5,2.5
        """,
    )
    rows = _import("gcp-carbon", gcp, fixture_library).sheets["cloud"]
    assert rows[
        ["region", "service", "reported_kgco2e", "reported_kgco2e_market"]
    ].values.tolist() == [["europe-west1", "Compute Engine", 12.5, 2.5]]
    azure = _write(
        tmp_path,
        "azure.csv",
        """\
        dateKey,enrollmentId,subscriptionId,azureServiceName,azureRegionName,scope,scopeId,totalEmissions
        20240601,E1,S1,Virtual Machines,West Europe,Scope 1,1,0.001
        20240601,E1,S1,Virtual Machines,West Europe,Scope 2,2,0.010
        20240601,E1,S1,Virtual Machines,West Europe,Scope 3,3,0.020
        """,
    )
    rows = _import("azure-emissions", azure, fixture_library).sheets["cloud"]
    assert rows["reported_kgco2e"].tolist() == pytest.approx([(0.001 + 0.010 + 0.020) * 1000])
    assert rows["reported_kgco2e_market"].isna().all()
    assert (rows["source_row"].tolist(), rows["source_rows"].tolist()) == ([2], [3])


CUR = """\
lineItem/UsageStartDate,lineItem/LineItemType,lineItem/ProductCode,product/region,lineItem/UsageType,pricing/unit,lineItem/UsageAmount,lineItem/UnblendedCost,lineItem/CurrencyCode
2024-01-01T00:00:00Z,Usage,AmazonEC2,us-east-1,USE1-BoxUsage:m5.xlarge,Hrs,60,12,USD
2024-01-02T00:00:00Z,Usage,AmazonEC2,us-east-1,USE1-BoxUsage:m5.xlarge,Hrs,40,8,USD
2024-01-01T00:00:00Z,Usage,AmazonEC2,us-east-1,USE1-EBS:VolumeUsage.gp3,GB-Mo,1000,80,USD
2024-01-01T00:00:00Z,Usage,AmazonEC2,us-east-1,USE1-DataTransfer-Regional-Bytes,GB,50,1,USD
2024-01-01T00:00:00Z,Usage,AmazonEC2,us-east-1,USE1-NatGateway-Hours,Hrs,700,10,USD
2024-01-01T00:00:00Z,Tax,AmazonEC2,us-east-1,,,0,5,USD
"""


def test_aws_cur_classified_aggregated_and_unknown_estimated(tmp_path, fixture_library):
    path = _write(tmp_path, "cur.csv", CUR)
    imported = _import("aws-cur", path, fixture_library)
    rows = imported.sheets["cloud"].set_index("usage_type")
    compute = rows.loc["compute"]
    assert (compute["resource"], compute["quantity"], compute["unit"]) == ("m5.xlarge", 100, "h")
    assert (compute["spend"], compute["source_row"], compute["source_rows"]) == (20, 2, 2)
    # 1,000 GB-Mo of January 2024: GB-hours of its 31 days; an EBS volume is kept twice (CCF)
    ssd = rows.loc["storage_ssd"]
    assert (ssd["quantity"], ssd["unit"], ssd["replication_factor"]) == (1000 * 31 * 24, "GB_h", 2)
    assert rows.loc["network", "quantity"] == 50
    assert pd.isna(rows.loc["network", "replication_factor"])
    known_kwh = 100 * M5_KWH_PER_H + 1000 * 31 * 24 / 1000 * 0.0012 * 2 + 50 * 0.001
    other = rows.loc["other"]
    assert other["unit"] == "kWh"
    assert other["quantity"] == pytest.approx(10 * known_kwh / (20 + 80 + 1))
    assert "Tax" not in " ".join(imported.notes) and "dropped 1" in imported.notes[0]
    result = run(_inventory(tmp_path, imported), library=fixture_library)
    assert [i.code for i in result.issues] == []
    use = result.ledger[result.ledger["stage"] == "use"].set_index("label")
    assert use.loc["aws us-east-1 other", "energy_kwh"] == pytest.approx(other["quantity"] * 1.135)
    assert use.loc["aws us-east-1 other", "method"] == "estimated"
    assert use.loc["aws us-east-1 compute", "method"] == "average_data"


def test_aws_cur_parquet_reads_like_csv(tmp_path, fixture_library):
    csv_path = _write(tmp_path, "cur.csv", CUR)
    parquet = tmp_path / "cur.parquet"
    pd.read_csv(csv_path).to_parquet(parquet)
    from_csv = _import("aws-cur", csv_path, fixture_library).sheets["cloud"]
    from_parquet = _import("aws-cur", parquet, fixture_library).sheets["cloud"]
    columns = ["usage_type", "quantity", "spend", "source_rows"]
    assert from_parquet[columns].equals(from_csv[columns])
    assert (from_parquet["source_row"] == from_csv["source_row"] - 1).all()  # no header row


def test_gcp_billing_export(tmp_path, fixture_library):
    path = _write(
        tmp_path,
        "gcp.csv",
        """\
        service.description,sku.description,usage.amount,usage.unit,cost,currency,location.region,cost_type
        Compute Engine,N2 Instance Core running in Paris,36000,seconds,3,EUR,europe-west9,regular
        Compute Engine,Nvidia Tesla T4 GPU running in Paris,7200,seconds,1,EUR,europe-west9,regular
        Compute Engine,N2 Instance Ram running in Paris,38654705664000,byte-seconds,1,EUR,europe-west9,regular
        Compute Engine,SSD backed PD Capacity,1073741824000,byte-seconds,1,EUR,europe-west9,regular
        Cloud Storage,Standard Storage Europe,1073741824000,byte-seconds,1,EUR,europe-west9,regular
        Compute Engine,Network Inter Region Egress,5368709120,bytes,1,EUR,europe-west9,regular
        Cloud Run,CPU Allocation Time,100,requests,2,EUR,europe-west9,regular
        Compute Engine,rounding,0,seconds,0.01,EUR,europe-west9,rounding_error
        """,  # noqa: E501 — a billing export kept verbatim, one CSV row per line
    )
    rows = _import("gcp-billing", path, fixture_library).sheets["cloud"]
    got = dict(
        zip(rows["usage_type"], zip(rows["quantity"], rows["unit"], strict=True), strict=True)
    )
    assert got["compute"] == (10.0, "vcpu_h")
    assert got["gpu"] == (2.0, "gpu_h")
    assert got["memory"][0] == pytest.approx(38654705664000 / 2**30 / 3600)
    assert got["memory"][1] == "GiB_h"
    assert got["storage_ssd"][0] == pytest.approx(1000 / 3600)
    assert got["storage_hdd"][0] == pytest.approx(1000 / 3600)
    assert got["network"] == (5.0, "GiB")
    assert got["other"][1] == "month"  # europe-west9 unknown to the fixture: spend-based


def test_azure_cost_export(tmp_path, fixture_library):
    path = _write(
        tmp_path,
        "azure.csv",
        """\
        MeterCategory,MeterName,UnitOfMeasure,Quantity,CostInBillingCurrency,BillingCurrency,ResourceLocation,ChargeType
        Storage,P10 LRS Disk,1 GB/Month,128,5,EUR,westeurope,Usage
        Storage,Standard HDD LRS Data Stored,10 GB/Month,3,1,EUR,westeurope,Usage
        Bandwidth,Inter Continent Data Transfer Out,1 TB,2,9,EUR,westeurope,Usage
        Functions,Execution Time,10 GB Seconds,36000,1,EUR,westeurope,Usage
        Load Balancer,Data Processed,1 GB,10,1,EUR,westeurope,Usage
        Virtual Machines,D2 v3,1 Hour,5,1,EUR,westeurope,Purchase
        """,
    )
    rows = _import("azure-cost", path, fixture_library).sheets["cloud"]
    got = dict(
        zip(rows["usage_type"], zip(rows["quantity"], rows["unit"], strict=True), strict=True)
    )
    assert got["storage_ssd"] == (128, "GB_month")
    assert got["storage_hdd"] == (30, "GB_month")  # the pack of 10 GB counts (CCF ignores it)
    assert got["network"] == (2, "TB")
    assert got["memory"] == (360000, "GB*s")
    assert "other" in got and len(rows) == 5  # the purchase line is dropped


def test_unreadable_file_is_an_input_error(tmp_path, fixture_library):
    from lca.errors import InputFileError

    with pytest.raises(InputFileError):
        _import("aws-cur", tmp_path / "missing.csv", fixture_library)


@needs_shared_data
def test_cli_import_writes_sheets(tmp_path):
    from click.testing import CliRunner

    from lca.cli import main

    source = tmp_path / "emissions.csv"
    shutil.copy(SHARED_DATA / "codecarbon" / "example-emissions.csv", source)
    out = CliRunner().invoke(
        main,
        ["import", "codecarbon", str(source), "--out", str(tmp_path / "out"), "--runs-on", "cloud"],
    )
    assert out.exit_code == 0, out.output
    written = pd.read_csv(tmp_path / "out" / "compute_jobs.csv")
    assert list(written["source_file"]) == ["emissions.csv"] * 2
    assert list(written["runs_on"]) == ["cloud", "cloud"]


def test_ccf_method_reproduces_ccf_classification_quirks(tmp_path, fixture_library):
    aws = _write(
        tmp_path,
        "cur.csv",
        """\
        lineItem/LineItemType,lineItem/ProductCode,product/region,lineItem/UsageType,pricing/unit,lineItem/UsageAmount,lineItem/UnblendedCost
        Usage,AmazonECS,us-east-1,USE1-Fargate-GB-Hours,GB-Hours,720,3
        """,
    )
    assert _import("aws-cur", aws, fixture_library).sheets["cloud"]["usage_type"].tolist() == [
        "memory"
    ]
    quirk = _import("aws-cur", aws, fixture_library, method="ccf").sheets["cloud"]
    assert quirk[["usage_type", "unit"]].values.tolist() == [["storage_ssd", "GB_h"]]  # (g)
    azure = _write(
        tmp_path,
        "azure.csv",
        """\
        MeterCategory,MeterName,UnitOfMeasure,Quantity,CostInBillingCurrency,BillingCurrency,ResourceLocation
        Storage,Standard HDD LRS Data Stored,10 GB/Month,3,1,EUR,westeurope
        """,
    )
    assert _import("azure-cost", azure, fixture_library, method="ccf").sheets["cloud"][
        "quantity"
    ].tolist() == [3]  # (c): the pack of 10 GB is ignored


def test_text_that_would_run_as_a_formula_is_neutralised(tmp_path, fixture_library):
    path = _write(
        tmp_path,
        "gcp.csv",
        """\
        usage_month,project.id,service.description,location.region,carbon_footprint_total_kgCO2e.location_based
        2024-05-01,p,"=HYPERLINK(""http://x"")",europe-west1,1.5
        2024-05-01,p,-1+2,europe-west1,2.5
        """,
    )
    imported = _import("gcp-carbon", path, fixture_library)
    write_sheets(imported, tmp_path / "out")
    written = pd.read_csv(tmp_path / "out" / "cloud.csv")
    assert sorted(written["service"]) == ["'-1+2", '\'=HYPERLINK("http://x")']
    assert written["reported_kgco2e"].tolist() == [2.5, 1.5]
    assert "CSV injection" in imported.notes[-1]


def test_aws_carbon_export_counts_each_month_once_with_its_latest_model(tmp_path, fixture_library):
    path = _write(
        tmp_path,
        "carbon.csv",
        """\
        usage_period_start,model_version,product_code,region_code,total_lbm_emissions_value,total_lbm_emissions_unit
        2024-03-01,v2.0.0,AmazonEC2,eu-west-3,0.010,MTCO2e
        2024-03-01,v3.0.0,AmazonEC2,eu-west-3,0.012,MTCO2e
        2024-04-01,v2.0.0,AmazonEC2,eu-west-3,0.020,MTCO2e
        """,
    )
    imported = _import("aws-carbon", path, fixture_library)
    rows = imported.sheets["cloud"]
    assert rows["reported_kgco2e"].tolist() == pytest.approx([12.0, 20.0])
    assert rows["source_row"].tolist() == [3, 4]
    assert "1 row(s) of superseded" in imported.notes[-1]


@pytest.mark.parametrize(
    "source",
    [
        "codecarbon",
        "aws-carbon",
        "gcp-carbon",
        "azure-emissions",
        "aws-cur",
        "gcp-billing",
        "azure-cost",
    ],
)
def test_a_file_of_another_kind_is_refused_with_its_missing_columns(
    tmp_path, fixture_library, source
):
    from lca.errors import InputFileError

    path = _write(tmp_path, "other.csv", "name,value\na,1\n")
    with pytest.raises(InputFileError, match="no column"):
        _import(source, path, fixture_library)


def test_provider_figures_and_estimates_for_one_region_are_flagged(tmp_path, fixture_library):
    folder = tmp_path / "inv"
    folder.mkdir()
    (folder / "settings.csv").write_text(SETTINGS_2024)
    (folder / "cloud.csv").write_text(
        "provider,region,resource,usage_type,quantity,unit,reported_kgco2e,spend\n"
        "aws,us-east-1,,other,1,month,12,\n"
        "aws,us-east-1,m5.xlarge,compute,100,h,,\n"
        "aws,eu-west-3,m5.xlarge,compute,100,h,,\n"
        "aws,eu-west-3,,other,2.5,kWh,,\n"
    )
    result = run(folder, library=fixture_library)
    assert [(i.code, i.severity.value, i.source.row) for i in result.issues] == [
        ("double-counting-risk", "warning", 3)
    ]
    assert line(result, "cloud:5:use")["energy_kwh"] == pytest.approx(2.5 * 1.135)


def test_every_source_has_an_importer():
    assert sorted(registry()) == sorted(SOURCES)


LAMBDA_CUR = """\
    lineItem/LineItemType,lineItem/ProductCode,product/region,lineItem/UsageType,pricing/unit,lineItem/UsageAmount,lineItem/UnblendedCost
    Usage,AWSLambda,us-east-1,USE1-Lambda-GB-Second,Lambda-GB-Second,3600,1
    Usage,AWSLambda,us-east-1,USE1-Lambda-GB-Second-ARM,Lambda-GB-Second,7200,1
    Usage,AWSLambda,us-east-1,USE1-Lambda-Edge-GB-Second,Lambda-Edge-GB-Second,1800,1
    Usage,AWSLambda,us-east-1,USE1-Request,Requests,1000000,1
    Tax,AWSLambda,us-east-1,USE1-Lambda-GB-Second,Lambda-GB-Second,99,1
    """


def test_lambda_gb_seconds_are_compute_by_the_memory_per_vcpu(tmp_path, fixture_library):
    path = _write(tmp_path, "cur.csv", LAMBDA_CUR)
    rows = _import("aws-cur", path, fixture_library).sheets["cloud"]
    compute = rows[rows["usage_type"] == "compute"].set_index("source_row")
    # GB-seconds of function memory (Edge ones too, in one row with x86); arm64: Graviton2
    assert compute["unit"].tolist() == ["GB*s"] * 2
    assert compute["quantity"].to_dict() == {2: 3600 + 1800, 3: 7200}
    assert compute["source_rows"].to_dict() == {2: 2, 3: 1}
    assert compute["resource"].fillna("").to_dict() == {2: "", 3: "aws_graviton2"}
    assert rows["usage_type"].tolist().count("other") == 1  # requests: unknown, estimated
    folder = write_inventory(
        tmp_path / "inventory",
        cloud="provider,region,usage_type,quantity,unit\naws,us-east-1,compute,3600,GB*s\n",
    )
    result = run(folder, library=fixture_library)
    assert [i.code for i in result.issues] == []
    use = result.ledger[result.ledger["stage"] == "use"].iloc[0]
    # 3,600 GB-s = 1 GB-h; one vCPU per 1,769 MB (1.7275390625 billed GB): the fixture's
    # default watts at utilisation 0.5
    vcpu_h = 1 / (1769 / 1024)
    assert use["energy_it_kwh"] == pytest.approx(vcpu_h * (0.74 + 0.5 * (3.5 - 0.74)) / 1000)
    assert "cloud:aws:functions:memory_per_vcpu:2024" in use["factor_other"]
    made = result.ledger[result.ledger["stage"] == "manufacturing"].iloc[0]
    assert made["kgco2e"] == pytest.approx(vcpu_h * 0.0005)  # the provider's median per vCPU-h


def test_lambda_under_ccf_is_vcpu_seconds_of_the_units_ccf_knows(tmp_path, fixture_library):
    path = _write(tmp_path, "cur.csv", LAMBDA_CUR)
    rows = _import("aws-cur", path, fixture_library, method="ccf").sheets["cloud"]
    compute = rows[rows["usage_type"] == "compute"].set_index("source_row")
    assert compute["unit"].tolist() == ["vcpu_h"] * 2
    assert compute["quantity"].to_dict() == {2: 1.0, 3: 2.0}
    assert compute["resource"].fillna("").to_dict() == {2: "", 3: "aws_graviton2"}
    # Lambda-Edge-GB-Second is not among CCF's known units: unknown there, as the requests
    other = rows[rows["usage_type"] == "other"]
    assert other["source_rows"].tolist() == [2]


def test_compute_in_gb_seconds_without_memory_per_vcpu_is_an_issue(tmp_path):
    folder = write_inventory(
        tmp_path / "inventory",
        cloud="provider,region,usage_type,quantity,unit\ngcp,europe-west1,compute,3600,GB*s\n",
    )
    result = run(folder)  # the shipped library: no memory per vCPU of GCP functions
    found = [
        (i.code, i.source.column, i.severity.name)
        for i in result.issues
        if i.source.sheet == "cloud"
    ]
    assert found == [("unknown-factor-key", "unit", "ERROR")]


AZURE_DISKS = """\
    MeterCategory,MeterName,UnitOfMeasure,Quantity,CostInBillingCurrency,BillingCurrency,ResourceLocation,ChargeType
    Storage,P10 LRS Disk,1 /Month,0.5,5,EUR,westeurope,Usage
    Storage,P10 LRS Disk,1 /Month,0.25,5,EUR,westeurope,Usage
    Storage,S4 Disks,100 /Month,0.01,1,EUR,westeurope,Usage
    Storage,P99 LRS Disk,1 /Month,1,1,EUR,westeurope,Usage
    Storage,P10 LRS Disk,1 GB/Month,128,5,EUR,westeurope,Usage
    Storage,P10 Disks,1/Month,1,5,EUR,westeurope,Usage
    """


def test_azure_managed_disks_count_their_tier_capacity(tmp_path, fixture_library):
    path = _write(tmp_path, "azure.csv", AZURE_DISKS)
    rows = _import("azure-cost", path, fixture_library).sheets["cloud"].set_index("source_row")
    # disk-months × pack × the tier's GiB (fixture: P10 128, S4 32)
    assert rows.loc[2, ["resource", "usage_type", "unit"]].tolist() == [
        "P10",
        "storage_ssd",
        "GiB_month",
    ]
    assert rows.loc[2, "quantity"] == pytest.approx((0.5 + 0.25 + 1) * 128)  # "1/Month" too
    assert rows.loc[2, "source_rows"] == 3
    assert rows.loc[4, ["resource", "usage_type", "quantity"]].tolist() == [
        "S4",
        "storage_hdd",
        pytest.approx(0.01 * 100 * 32),
    ]
    assert rows.loc[5, "usage_type"] == "other"  # a tier the library does not list: unknown
    assert rows.loc[6, ["usage_type", "quantity", "unit"]].tolist() == [
        "storage_ssd",
        128,
        "GB_month",
    ]  # billed in GB-months already: unchanged
    ccf = _import("azure-cost", path, fixture_library, method="ccf").sheets["cloud"]
    ccf = ccf.set_index("source_row")
    # CCF: a day of the tier's capacity per billing line, whatever the quantity (quirk d)
    assert ccf.loc[2, ["quantity", "unit"]].tolist() == [128 * 24 * 2, "GB_h"]
    assert ccf.loc[4, ["quantity", "unit"]].tolist() == [32 * 24, "GB_h"]
    # "1/Month" is not among CCF's units ("1 /Month", "100 /Month"): unknown there
    assert ccf.loc[ccf["usage_type"] == "other", "source_rows"].sum() == 2


@pytest.mark.parametrize(
    "column",
    [
        "machine_type",
        "machineType",
        "machine_spec",
        "compute.googleapis.com/machine_spec",
        "system_labels.compute.googleapis.com/machine_spec",
    ],
)
def test_gcp_billing_reads_the_machine_type(tmp_path, fixture_library, column):
    from lca.importers import gcp_billing

    path = _write(
        tmp_path,
        "gcp.csv",
        f"""\
        service.description,sku.description,usage.amount,usage.unit,cost,location.region,{column}
        Compute Engine,N2 Instance Core running in Paris,57600,seconds,3,europe-west9,n2-standard-8
        Compute Engine,N2 Instance Ram running in Paris,3600,byte-seconds,1,europe-west9,n2-standard-8
        Compute Engine,N2 Custom Instance Core running in Paris,7200,seconds,1,europe-west9,custom-2-4096
        """,  # noqa: E501 — a billing export kept verbatim, one CSV row per line
    )
    from lca.importers.billing import ExportColumns, read_grouped

    columns = ExportColumns(
        gcp_billing.COLUMNS,
        ("amount", "cost"),
        ("sku", "unit", "cost_type", "machine_type"),
        "a GCP export",
    )
    groups = read_grouped(path, columns, ImportOptions(library=fixture_library)).frame
    rows = gcp_billing.classify(groups, {"n2-standard-8": 8.0}).set_index("first_row")
    # core seconds of a known type: instance-hours of it (57,600 s / 8 vCPUs / 3600 = 2 h)
    assert rows.loc[2, ["class", "resource", "quantity", "unit"]].tolist() == [
        "compute",
        "n2-standard-8",
        2.0,
        "h",
    ]
    assert rows.loc[3, ["class", "resource", "unit"]].tolist() == [
        "memory",
        "n2-standard-8",
        "GiB_h",
    ]
    # a type the library does not know stays vCPU-hours of the average processor
    assert rows.loc[4, ["class", "resource", "quantity", "unit"]].tolist() == [
        "compute",
        "",
        2.0,
        "vcpu_h",
    ]
    # through the importer (the fixture library has no GCP machine type): vCPU-hours
    written = _import("gcp-billing", path, fixture_library).sheets["cloud"]
    assert written.loc[written["usage_type"] == "compute", "unit"].tolist() == ["vcpu_h"]


def test_gcp_gpu_machine_types_stay_vcpu_hours():
    """A GPU machine type's instance-hours would count its GPUs, billed in their own SKU rows."""
    from lca.importers.gcp_billing import _machine_vcpus

    vcpus = _machine_vcpus(ImportOptions())  # the shipped library
    assert vcpus["n1-standard-1"] == 1 and vcpus["n2-standard-2"] == 2
    assert "a2-highgpu-1g" not in vcpus
