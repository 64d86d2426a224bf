"""Issue 21: a billing export given as one file, a directory of partitions (CUR 2.0's
``BILLING_PERIOD=…/`` folders, Parquet and gzip CSV) or a glob imports to the same cloud rows;
a corrupt partition is refused by name, counted, and the others still import."""

from __future__ import annotations

import gzip
import io
import os

import hypothesis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import strategies as st

from lca.cli import main
from lca.errors import InputFileError
from lca.importers import ImportOptions, billing, registry
from lca.importers.billing import (
    BATCH_ROWS,
    PARTITION,
    ExportColumns,
    group_usage,
    partitions,
    read_grouped,
)

USAGE = [  # usage type, product code, pricing unit, instance type
    ("USE1-BoxUsage:m5.xlarge", "AmazonEC2", "Hrs", "m5.xlarge"),
    ("USE1-EBS:VolumeUsage.gp3", "AmazonEC2", "GB-Mo", ""),
    ("USE1-TimedStorage-ByteHrs", "AmazonS3", "GB-Mo", ""),
    ("USE1-DataTransfer-Regional-Bytes", "AmazonEC2", "GB", ""),
    ("USE1-NatGateway-Hours", "AmazonEC2", "Hrs", ""),
]


def cur(rows: int, seed: int = 0) -> pd.DataFrame:
    """A CUR whose amounts and costs are multiples of 1/4 (sums exact in any order)."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(USAGE), rows)
    month = rng.integers(1, 4, rows)
    return pd.DataFrame(
        {
            "lineItem/UsageStartDate": [f"2024-{m:02d}-03T00:00:00Z" for m in month],
            "lineItem/UsageType": [USAGE[i][0] for i in pick],
            "lineItem/ProductCode": [USAGE[i][1] for i in pick],
            "pricing/unit": [USAGE[i][2] for i in pick],
            "product/instanceType": [USAGE[i][3] for i in pick],
            "product/region": "us-east-1",
            "lineItem/LineItemType": "Usage",
            "lineItem/UsageAmount": rng.integers(1, 400, rows) / 4,
            "lineItem/UnblendedCost": rng.integers(1, 40, rows) / 4,
            "lineItem/CurrencyCode": "USD",
        }
    )


def cloud_rows(path, fixture_library) -> pd.DataFrame:
    imported = registry()["aws-cur"](path, ImportOptions(library=fixture_library))
    return imported.sheets["cloud"], imported.notes


def test_partitions_import_like_the_single_file(tmp_path, fixture_library):
    frame = cur(3000)
    single = tmp_path / "cur.csv"
    frame.to_csv(single, index=False)
    root = tmp_path / "export"
    parts = np.array_split(np.arange(len(frame)), 3)
    (root / "BILLING_PERIOD=2024-01").mkdir(parents=True)
    (root / "BILLING_PERIOD=2024-02").mkdir()
    frame.iloc[parts[0]].to_parquet(root / "BILLING_PERIOD=2024-01" / "part-0.parquet")
    with gzip.open(root / "BILLING_PERIOD=2024-01" / "part-1.csv.gz", "wt") as handle:
        frame.iloc[parts[1]].to_csv(handle, index=False)
    frame.iloc[parts[2]].to_csv(root / "BILLING_PERIOD=2024-02" / "part-0.csv", index=False)
    (root / "README.txt").write_text("not a partition")

    expected, _ = cloud_rows(single, fixture_library)
    columns = [c for c in expected.columns if c not in ("source_file", "source_row")]
    for given in (root, tmp_path / "export" / "BILLING_PERIOD=*" / "part-*"):
        got, notes = cloud_rows(given, fixture_library)
        pd.testing.assert_frame_equal(got[columns], expected[columns])
        # each row names its first line: partition (relative to the export) and row in it
        first = got.iloc[0]
        assert first["source_file"] in (
            "BILLING_PERIOD=2024-01/part-0.parquet",
            "part-0.parquet",
        )
        read = [n for n in notes if n.endswith("billing rows read")]
        assert [int(n.split(": ")[1].split()[0]) for n in read] == [len(p) for p in parts]
    assert [p.name for p in partitions(root)] == ["part-0.parquet", "part-1.csv.gz", "part-0.csv"]


def test_a_corrupt_partition_is_refused_by_name_and_the_others_import(tmp_path, fixture_library):
    frame = cur(200, seed=1)
    root = tmp_path / "export"
    root.mkdir()
    frame.iloc[:120].to_csv(root / "a.csv", index=False)
    (root / "b.parquet").write_bytes(b"PAR1 this is not parquet")
    frame.iloc[120:].to_csv(root / "c.csv", index=False)
    rows, notes = cloud_rows(root, fixture_library)
    refused = [n for n in notes if "partition refused" in n]
    assert len(refused) == 1 and "b.parquet" in refused[0]
    assert int(rows["source_rows"].sum()) == 200  # every line of a and c is in a cloud row
    classified = next(n for n in notes if "billing rows classified" in n)
    assert classified.startswith("aws: 200 billing rows classified")  # a's 120 + c's 80


def test_an_export_without_rows_says_so_and_lists_what_was_refused(tmp_path, fixture_library):
    """A header-only export is not 'unreadable': the error says there are no rows; when every
    partition is refused, it gives each one's reason."""
    header = cur(5).iloc[:0]
    single = tmp_path / "cur.csv"
    header.to_csv(single, index=False)
    with pytest.raises(
        InputFileError, match=r"cur\.csv: no billing rows: the file has a header only$"
    ):
        cloud_rows(single, fixture_library)
    root = tmp_path / "export"
    root.mkdir()
    header.to_csv(root / "a.csv", index=False)
    pq.write_table(pa.Table.from_pandas(header, preserve_index=False), root / "b.parquet")
    with pytest.raises(
        InputFileError, match=r"no billing rows: every partition read has a header only$"
    ):
        cloud_rows(root, fixture_library)
    (root / "c.parquet").write_bytes(b"corrupt")
    with pytest.raises(
        InputFileError, match=r"a header only; 1 refused: .*c\.parquet: cannot be read"
    ):
        cloud_rows(root, fixture_library)
    for name in ("a.csv", "b.parquet"):
        (root / name).write_text("no,billing,columns\n1,2,3\n")
    with pytest.raises(InputFileError) as refused:
        cloud_rows(root, fixture_library)
    message = str(refused.value)
    assert message.startswith(f"{root}: no partition could be read: ")
    assert all(f"{name}: " in message for name in ("a.csv", "b.parquet", "c.parquet"))


def test_a_single_unreadable_file_is_a_clean_error(tmp_path):
    bad = tmp_path / "cur.parquet"
    bad.write_bytes(b"not parquet at all")
    out = CliRunner().invoke(main, ["import", "aws-cur", str(bad), "--out", str(tmp_path / "o")])
    assert out.exit_code != 0 and "Traceback" not in out.output
    assert "cur.parquet" in out.output
    empty = tmp_path / "empty"
    empty.mkdir()
    out = CliRunner().invoke(main, ["import", "aws-cur", str(empty), "--out", str(tmp_path / "o")])
    assert out.exit_code != 0 and "no CSV, gzip CSV or Parquet file" in out.output


def test_a_partition_larger_than_a_batch_is_summed_across_batches(tmp_path, fixture_library):
    rows = BATCH_ROWS + 10  # a Parquet file read in two record batches
    frame = pd.DataFrame(
        {
            "lineItem/UsageType": "USE1-DataTransfer-Regional-Bytes",
            "lineItem/ProductCode": "AmazonEC2",
            "pricing/unit": "GB",
            "product/region": "us-east-1",
            "lineItem/LineItemType": "Usage",
            "lineItem/UsageAmount": np.full(rows, 0.5),
            "lineItem/UnblendedCost": np.full(rows, 0.25),
            "lineItem/CurrencyCode": "USD",
        }
    )
    path = tmp_path / "cur.parquet"
    frame.to_parquet(path, row_group_size=BATCH_ROWS // 2)
    got, _ = cloud_rows(path, fixture_library)
    assert got[["quantity", "spend", "source_row", "source_rows"]].values.tolist() == [
        [rows * 0.5, rows * 0.25, 1, rows]
    ]
    assert rows < PARTITION


@pytest.mark.parametrize("source", ["gcp-billing", "azure-cost"])
def test_gcp_and_azure_exports_read_from_a_directory(tmp_path, fixture_library, source):
    import textwrap

    from test_methods_reproduction import ALL_UNKNOWN

    text = textwrap.dedent(ALL_UNKNOWN[source]).strip() + "\n"
    root = tmp_path / "export"
    root.mkdir()
    (root / "day-1.csv").write_text(text)
    (root / "day-2.csv").write_text(text)
    imported = registry()[source](root, ImportOptions(library=fixture_library))
    rows = imported.sheets["cloud"]
    assert rows["source_rows"].tolist() == [2]  # one group, a line from each partition
    assert rows["source_file"].tolist() == ["day-1.csv"]


def gcp(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    skus = [
        ("Compute Engine", "N2 Instance Core running in Paris", "seconds"),
        ("Compute Engine", "N2 Instance Ram running in Paris", "byte-seconds"),
        ("Cloud Storage", "Standard Storage Europe", "byte-seconds"),
        ("Compute Engine", "Network Inter Region Egress", "bytes"),
    ]
    pick = rng.integers(0, len(skus), rows)
    return pd.DataFrame(
        {
            "service.description": [skus[i][0] for i in pick],
            "sku.description": [skus[i][1] for i in pick],
            "usage.amount": rng.integers(1, 1 << 20, rows) * 1024.0,
            "usage.unit": [skus[i][2] for i in pick],
            "cost": rng.integers(1, 40, rows) / 4,
            "currency": "EUR",
            "location.region": "europe-west9",
            "cost_type": "regular",
        }
    )


def azure(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    meters = [
        ("Virtual Machines", "D2 v3", "1 Hour"),
        ("Storage", "LRS Data Stored", "1 GB/Month"),
        ("Bandwidth", "Inter-Region Data Transfer Out", "1 GB"),
    ]
    pick = rng.integers(0, len(meters), rows)
    return pd.DataFrame(
        {
            "MeterCategory": [meters[i][0] for i in pick],
            "MeterName": [meters[i][1] for i in pick],
            "UnitOfMeasure": [meters[i][2] for i in pick],
            "Quantity": rng.integers(1, 400, rows) / 4,
            "CostInBillingCurrency": rng.integers(1, 40, rows) / 4,
            "BillingCurrency": "EUR",
            "ResourceLocation": "westeurope",
            "ChargeType": "Usage",
        }
    )


EXPORTS = {"aws-cur": lambda n, seed: cur(n, seed), "gcp-billing": gcp, "azure-cost": azure}


@pytest.mark.slow  # starts a local Dask cluster of two worker processes (per source)
@pytest.mark.parametrize("source", sorted(EXPORTS))
def test_the_three_engines_write_the_same_bytes(tmp_path, source):
    pytest.importorskip("dask.distributed")
    frame = EXPORTS[source](2000, 2)
    single = tmp_path / "export.csv"
    frame.to_csv(single, index=False)
    root = tmp_path / "export"
    root.mkdir()
    for n, part in enumerate(np.array_split(np.arange(len(frame)), 4)):
        frame.iloc[part].to_parquet(root / f"part-{n}.parquet")
    (root / "part-9.parquet").write_bytes(b"corrupt")
    outputs = {}
    for engine, given in (("in-memory", single), ("arrow", root), ("dask", root)):
        out = tmp_path / engine
        args = ["import", source, str(given), "--out", str(out)]
        result = CliRunner().invoke(
            main, [*args, "--engine", "arrow" if engine != "dask" else engine]
        )
        assert result.exit_code == 0, result.output
        if given == root:  # the corrupt partition is named, the others imported
            assert "partition refused" in result.output and "part-9.parquet" in result.output
        outputs[engine] = pd.read_csv(out / "cloud.csv")
    assert (tmp_path / "arrow" / "cloud.csv").read_bytes() == (
        tmp_path / "dask" / "cloud.csv"
    ).read_bytes()
    provenance = ["source_file", "source_row"]  # partition and row in it, or row in the file
    pd.testing.assert_frame_equal(
        outputs["arrow"].drop(columns=provenance), outputs["in-memory"].drop(columns=provenance)
    )
    assert outputs["arrow"]["source_rows"].sum() == len(frame)


def test_an_export_in_object_storage_reads_like_the_local_one(tmp_path, fixture_library):
    # fsspec's in-memory file system stands for s3://, gs:// and az:// (same code path)
    fsspec = pytest.importorskip("fsspec")
    frame = cur(900, seed=3)
    local = tmp_path / "export" / "BILLING_PERIOD=2024-01"
    local.mkdir(parents=True)
    memory = fsspec.filesystem("memory")
    for n, part in enumerate(np.array_split(np.arange(len(frame)), 3)):
        frame.iloc[part].to_parquet(local / f"part-{n}.parquet")
        with memory.open(f"/lca-test/export/BILLING_PERIOD=2024-01/part-{n}.parquet", "wb") as f:
            f.write((local / f"part-{n}.parquet").read_bytes())
    with memory.open("/lca-test/export/BILLING_PERIOD=2024-01/part-3.csv.gz", "wb") as f:
        f.write(gzip.compress(frame.iloc[:5].to_csv(index=False).encode()))
    frame.iloc[:5].to_csv(local / "part-3.csv.gz", index=False, compression="gzip")
    try:
        expected, _ = cloud_rows(tmp_path / "export", fixture_library)
        got, notes = cloud_rows("memory://lca-test/export", fixture_library)
        pd.testing.assert_frame_equal(got, expected)
        assert any("part-3.csv.gz: 5 billing rows read" in n for n in notes)
    finally:
        memory.rm("/lca-test", recursive=True)


def test_a_parquet_partitions_footer_is_read_once(tmp_path, fixture_library, monkeypatch):
    """Its column names and its batches come from one read of its footer (in object storage,
    each read is a request)."""
    frame = cur(300, seed=4)
    root = tmp_path / "export"
    root.mkdir()
    for n, part in enumerate(np.array_split(np.arange(len(frame)), 3)):
        frame.iloc[part].to_parquet(root / f"part-{n}.parquet")
    expected, _ = cloud_rows(root, fixture_library)
    tails = []  # a footer read reads the file's last bytes (footer length and magic)

    class Counted(io.FileIO):
        def read(self, size=-1):
            end = os.fstat(self.fileno()).st_size
            if size and (size < 0 or self.tell() + size >= end) and self.tell() < end:
                tails.append(str(self.name))
            return super().read(size)

    monkeypatch.setattr(billing, "_open", lambda location: Counted(location, "rb"))
    got, _ = cloud_rows(root, fixture_library)
    pd.testing.assert_frame_equal(got, expected)
    assert sorted(tails) == [str(root / f"part-{n}.parquet") for n in range(3)]


def test_a_url_is_refused_for_an_importer_that_reads_files(tmp_path):
    out = CliRunner().invoke(
        main, ["import", "codecarbon", "s3://bucket/emissions.csv", "--out", str(tmp_path)]
    )
    assert out.exit_code == 2 and "URLs are read for billing exports only" in out.output


def test_a_group_sum_is_its_rows_in_file_order_in_a_batch_of_any_size():
    """A table of more than 2^20 rows is summed in one thread. Arrow's threads merged
    partial sums in the order they finished: the last bits of a sum changed from run to run,
    and none was the rows' sum in file order."""
    rng = np.random.default_rng(7)
    n = 3 * (1 << 20) + 5
    regions = np.array(["eu-west-1", "us-east-1", "eu-west-3"])[rng.integers(0, 3, n)]
    amounts = rng.random(n) * 10  # inexact sums: the order of the additions shows
    table = pa.table({"region": regions, "amount": amounts, "_row": np.arange(n)})
    frame = group_usage(table, ["region"], ("amount",)).set_index("region")
    for region in ("eu-west-1", "eu-west-3", "us-east-1"):
        in_file_order = np.cumsum(amounts[regions == region])[-1]  # one addition at a time
        assert frame.at[region, "amount"].hex() == in_file_order.hex()
        assert frame.at[region, "rows"] == (regions == region).sum()


@pytest.mark.parametrize("whole_csv_bytes", [0, 1 << 30], ids=["streamed", "whole"])
def test_the_same_export_as_csv_and_as_parquet_imports_to_the_same_bits(
    tmp_path, fixture_library, monkeypatch, whole_csv_bytes
):
    """Issue 23: both formats are summed in batches of ``BATCH_ROWS`` lines, so a quantity's
    last bit does not depend on the format, on pyarrow's CSV blocks (the CSV was summed per
    64 MB block before, and its last bits differed from the Parquet's), on whether the CSV is
    streamed or parsed whole, nor on row groups."""
    import lca.importers.billing as billing

    monkeypatch.setattr(billing, "BATCH_ROWS", 4096)
    monkeypatch.setattr(billing, "CSV_BLOCK_BYTES", 1 << 16)  # ~450 lines a block
    monkeypatch.setattr(billing, "WHOLE_CSV_BYTES", whole_csv_bytes)
    frame = cur(20_000, seed=3)
    rng = np.random.default_rng(5)
    frame["lineItem/UsageAmount"] = rng.random(len(frame)) * 100  # sums inexact: order shows
    frame["lineItem/UnblendedCost"] = rng.random(len(frame))
    frame.loc[rng.choice(len(frame), 500, replace=False), "pricing/unit"] = None
    frame.to_csv(tmp_path / "cur.csv", index=False)
    frame.to_parquet(tmp_path / "cur.parquet", row_group_size=1500)  # groups across batches
    from_csv, _ = cloud_rows(tmp_path / "cur.csv", fixture_library)
    from_parquet, _ = cloud_rows(tmp_path / "cur.parquet", fixture_library)
    assert len(from_csv) == len(from_parquet) > 5
    for column in ("quantity", "spend"):
        assert [v.hex() for v in from_csv[column]] == [v.hex() for v in from_parquet[column]]
    assert (from_csv["source_row"] == from_parquet["source_row"] + 1).all()  # header = row 1


def test_a_text_read_twice_in_a_dictionary_is_one_group():
    """A dictionary column (as Parquet is read) whose dictionary holds a text twice still
    makes one group of it, and a blank text one group with a missing one; summed in file
    order."""
    region = pa.DictionaryArray.from_arrays(
        pa.array([0, 1, 2, 2, 0]), pa.array(["eu-west-1", "eu-west-1", ""])
    )
    table = pa.table(
        {
            "region": region,
            "unit": ["h", "h", None, "", "h"],
            "amount": [0.1, 0.2, 0.3, 0.4, 0.7],
            "_row": np.arange(2, 7),
        }
    )
    frame = group_usage(table, ["region", "unit"], ("amount",))
    assert frame[["region", "unit"]].values.tolist() == [["eu-west-1", "h"], ["", ""]]
    assert frame["amount"].tolist() == [0.1 + 0.2 + 0.7, 0.3 + 0.4]
    assert frame["rows"].tolist() == [3, 2] and frame["first_row"].tolist() == [2, 4]


@pytest.mark.parametrize("whole_csv_bytes", [0, 1 << 30], ids=["streamed", "whole"])
def test_a_quoted_line_break_is_read_whatever_the_block(
    tmp_path, fixture_library, monkeypatch, whole_csv_bytes
):
    """A cell whose quoted text holds a line break (a CUR's line item description) is one
    cell, whatever pyarrow's block size: its blocks are cut between records, not at every
    line break (the parser refused such a file past its first block before)."""
    import lca.importers.billing as billing

    monkeypatch.setattr(billing, "CSV_BLOCK_BYTES", 1 << 12)  # ~30 records a block
    monkeypatch.setattr(billing, "WHOLE_CSV_BYTES", whole_csv_bytes)
    frame = cur(3000, seed=4)
    frame["lineItem/LineItemDescription"] = "one line, with a comma"
    frame.to_csv(tmp_path / "plain.csv", index=False)
    frame["lineItem/LineItemDescription"] = "first line\nsecond line, with a comma"
    frame.to_csv(tmp_path / "broken.csv", index=False)
    plain, _ = cloud_rows(tmp_path / "plain.csv", fixture_library)
    broken, _ = cloud_rows(tmp_path / "broken.csv", fixture_library)
    columns = [c for c in plain.columns if c != "source_file"]
    pd.testing.assert_frame_equal(broken[columns], plain[columns])
    assert int(broken["source_rows"].sum()) == 3000


def test_a_parquet_partition_whose_key_is_nested_is_refused_by_name(tmp_path, fixture_library):
    """A struct where a text key is expected (an export written from BigQuery without
    flattening) refuses its partition with the reason, and the others still import."""
    frame = cur(200, seed=2)
    root = tmp_path / "export"
    root.mkdir()
    frame.iloc[:120].to_csv(root / "a.csv", index=False)
    nested = pa.Table.from_pandas(frame.iloc[120:], preserve_index=False)
    where = nested.schema.get_field_index("product/region")
    regions = pa.array([{"code": r} for r in frame.iloc[120:]["product/region"]])
    pq.write_table(nested.set_column(where, "product/region", regions), root / "b.parquet")
    rows, notes = cloud_rows(root, fixture_library)
    refused = [n for n in notes if "partition refused" in n]
    assert len(refused) == 1 and "b.parquet: cannot be read" in refused[0]
    assert int(rows["source_rows"].sum()) == 120
    with pytest.raises(InputFileError, match=r"b\.parquet: cannot be read"):
        cloud_rows(root / "b.parquet", fixture_library)


def test_a_parquet_export_whose_texts_are_bytes_imports_like_its_csv(tmp_path, fixture_library):
    """A Parquet file whose text columns are bytes (BYTE_ARRAY without the UTF8 annotation, as
    some writers store text; read as dictionaries of bytes) imports to the same cloud rows as
    the CSV of the same lines: its texts are read as UTF-8 text, the month of a date too."""
    frame = cur(600, seed=5)
    frame.loc[::7, "pricing/unit"] = None
    frame.to_csv(tmp_path / "cur.csv", index=False)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    as_bytes = pa.schema(  # every column but the two amounts
        [f if pa.types.is_floating(f.type) else pa.field(f.name, pa.binary()) for f in table.schema]
    )
    pq.write_table(table.cast(as_bytes), tmp_path / "cur.parquet", row_group_size=250)
    stored = pq.read_schema(tmp_path / "cur.parquet")
    assert stored.field("lineItem/UsageStartDate").type == pa.binary()
    assert stored.field("product/region").type == pa.binary()
    from_csv, _ = cloud_rows(tmp_path / "cur.csv", fixture_library)
    from_parquet, _ = cloud_rows(tmp_path / "cur.parquet", fixture_library)
    columns = [c for c in from_csv.columns if c not in ("source_file", "source_row")]
    assert len(from_csv) > 5
    pd.testing.assert_frame_equal(from_parquet[columns], from_csv[columns])
    assert (from_csv["source_row"] == from_parquet["source_row"] + 1).all()  # header = row 1


# "N/A", "NA" and "null" are texts (pyarrow's CSV reader would read them as missing)
KEY_TEXTS = st.one_of(
    st.none(),
    st.sampled_from(["", "us-east-1", "eu-west-1", "é ü", "a,b", "N/A", "NA", "null"]),
)
START_DATES = ["2024-01-03T00:00:00Z", "2024-02-29T10:00:00Z", "", None]


@hypothesis.settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    st.lists(
        st.tuples(
            KEY_TEXTS,
            KEY_TEXTS,
            st.sampled_from(START_DATES),
            st.floats(-1e6, 1e6, allow_nan=False),
        ),
        min_size=1,
        max_size=60,
    ),
    st.integers(1, 9),
    st.integers(1, 13),
)
@hypothesis.example(  # every text pyarrow's CSV reader would read as missing, each time
    [
        ("N/A", "NA", "2024-02-29T10:00:00Z", 1.0),
        ("NA", "null", "2024-01-03T00:00:00Z", 2.0),
        ("null", "", "2024-02-29T10:00:00Z", 4.0),
        (None, "N/A", "2024-01-03T00:00:00Z", 8.0),
    ],
    2,
    3,
)
def test_grouped_sums_are_the_rows_sums_from_csv_and_parquet_alike(
    tmp_path_factory, monkeypatch, rows, batch, row_group
):
    """Issue 23: whatever the batch size and row groups, an export read from CSV and from
    Parquet groups to the same frame, bit for bit (a missing text and a blank one are one
    key; "N/A", "NA" and "null" are texts, each a key of its own), and each group's sum, count
    and first row are its lines' (pandas, for reference)."""
    import lca.importers.billing as billing

    monkeypatch.setattr(billing, "BATCH_ROWS", batch)
    folder = tmp_path_factory.mktemp("export")
    frame = pd.DataFrame(rows, columns=["region", "service", "start", "amount"])
    frame.to_csv(folder / "x.csv", index=False)
    frame.to_parquet(folder / "x.parquet", row_group_size=row_group)
    columns = ExportColumns(
        {"region": (), "service": (), "start": (), "amount": ()},
        ("amount",),
        ("region", "service"),
        "an export",
        month_of="start",
    )
    from_csv = read_grouped(folder / "x.csv", columns, ImportOptions()).frame
    from_parquet = read_grouped(folder / "x.parquet", columns, ImportOptions()).frame
    for column in ("region", "service", "month", "rows"):
        assert from_csv[column].tolist() == from_parquet[column].tolist()
    assert [v.hex() for v in from_csv["amount"]] == [v.hex() for v in from_parquet["amount"]]
    assert (from_csv["first_row"] == from_parquet["first_row"] + 1).all()  # CSV header: row 1
    keys = frame.assign(
        region=frame["region"].fillna(""),
        service=frame["service"].fillna(""),
        month=frame["start"].fillna("").str[:7],
        line=np.arange(1, len(frame) + 1),
    )
    reference = (
        keys.groupby(["region", "service", "month"], sort=False)
        .agg(amount=("amount", "sum"), rows=("amount", "size"), first_row=("line", "min"))
        .reset_index()
    )
    assert from_parquet[["region", "service", "month"]].values.tolist() == (
        reference[["region", "service", "month"]].values.tolist()
    )
    assert from_parquet["rows"].tolist() == reference["rows"].tolist()
    assert from_parquet["first_row"].tolist() == reference["first_row"].tolist()
    np.testing.assert_allclose(from_parquet["amount"], reference["amount"], rtol=1e-9, atol=1e-6)
