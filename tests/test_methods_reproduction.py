"""Issue 16: billing imports of files whose rows are all unknown; ``--method ccf`` and
``--method green-algorithms`` reproducing the tools' own published cases through the CLI."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest
from click.testing import CliRunner

from lca.cli import main

#: One billing file per importer, every row of a kind CCF and lca cannot classify.
ALL_UNKNOWN = {
    "aws-cur": """\
        lineItem/UsageType,lineItem/LineItemType,lineItem/ProductCode,product/region,pricing/unit,lineItem/UsageAmount,lineItem/UnblendedCost,lineItem/CurrencyCode
        USE1-LoadBalancerUsage,Usage,AWSELB,us-east-1,Hrs,24,0.6,USD
        """,
    "gcp-billing": """\
        service.description,sku.description,usage.amount,usage.unit,cost,currency,location.region,cost_type
        Cloud Run,CPU Allocation Time,100,requests,2,EUR,europe-west1,regular
        """,
    "azure-cost": """\
        MeterCategory,MeterName,UnitOfMeasure,Quantity,CostInBillingCurrency,BillingCurrency,ResourceLocation,ChargeType
        Load Balancer,Data Processed,1 GB,10,1,EUR,westeurope,Usage
        """,
}


def _write(path, text):
    path.write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("source", sorted(ALL_UNKNOWN))
def test_a_billing_file_of_unknown_rows_imports_them_spend_based(tmp_path, source):
    path = _write(tmp_path / "bill.csv", ALL_UNKNOWN[source])
    out = CliRunner().invoke(main, ["import", source, str(path), "--out", str(tmp_path / "out")])
    assert out.exit_code == 0, out.output
    assert "1 row(s) without a region or a known-spend ratio stay spend-based" in out.output
    rows = pd.read_csv(tmp_path / "out" / "cloud.csv")
    assert rows[["usage_type", "quantity", "unit"]].values.tolist() == [["other", 1.0, "month"]]
