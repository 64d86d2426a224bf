"""The prebuilt binary form of the factor library (``lca.factors.binary``): the same frames as
the CSVs, used only while it matches the manifest, never in place of a changed CSV."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil

import pandas as pd
import pytest

from lca.errors import FactorLibraryError
from lca.factors import binary, library
from lca.factors.build.runner import write_binary
from lca.factors.library import read_library
from lca.paths import data_dir

FACTORS = data_dir("factors")
DISTRICT_COOLING = "heat:district_cooling:gwp:2023"  # 0.12 kgCO2e/kWh in the shipped heat.csv


def _same(loaded: pd.DataFrame, parsed: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(loaded, parsed, check_exact=True)
    for column in parsed.columns:  # a blank stays NaN (not None), a number stays a number
        assert [type(v) for v in loaded[column]] == [type(v) for v in parsed[column]], column


def test_the_shipped_binary_holds_the_checked_csvs():
    fast, slow = read_library(FACTORS), read_library(FACTORS, prebuilt=False)
    index = json.loads((FACTORS / binary.INDEX).read_text())
    assert index["manifest_sha256"] == fast.sha256  # built from the shipped manifest
    assert hashlib.sha256((FACTORS / binary.BINARY).read_bytes()).hexdigest() == index["sha256"]
    _same(fast.factors, slow.factors)
    assert list(fast.tables) == list(slow.tables)  # the manifest's order
    for name, frame in slow.tables.items():
        _same(fast.tables[name], frame)


def _edit_district_cooling(folder, value: str) -> None:
    """Set the district-cooling factor in heat.csv to ``value`` and rehash the manifest."""
    path = folder / "heat.csv"
    text = path.read_text(encoding="utf-8")
    old = f"{DISTRICT_COOLING},district_cooling,gwp,,0.12,"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace(",0.12,", f",{value},")), encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["path"] == "heat.csv":
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _value(lib) -> float:
    rows = lib.factors[lib.factors["factor_id"] == DISTRICT_COOLING]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


def test_a_stale_binary_gives_way_to_the_csvs_and_a_rebuilt_one_is_used(
    tmp_path, caplog, monkeypatch
):
    folder = tmp_path / "factors"
    shutil.copytree(FACTORS, folder)
    _edit_district_cooling(folder, "0.5")
    with caplog.at_level(logging.INFO, logger="lca.factors.binary"):
        assert _value(read_library(folder)) == 0.5  # not the binary's 0.12
    assert "built from another manifest" in caplog.text

    write_binary(folder)
    caplog.clear()
    checked = []
    monkeypatch.setattr(
        library, "_check_factor_table", lambda name, frame: checked.append(name) or frame
    )
    with caplog.at_level(logging.INFO, logger="lca.factors.binary"):
        assert _value(read_library(folder)) == 0.5
    assert checked == [] and caplog.text == ""  # read from the binary, no CSV parsed


def test_an_altered_binary_is_not_used(tmp_path, caplog):
    folder = tmp_path / "factors"
    shutil.copytree(FACTORS, folder)
    data = bytearray((folder / binary.BINARY).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / binary.BINARY).write_bytes(bytes(data))
    with caplog.at_level(logging.INFO, logger="lca.factors.binary"):
        assert _value(read_library(folder)) == 0.12
    assert "sha256 differs from its index" in caplog.text


def test_a_csv_edited_behind_the_manifest_is_refused_even_with_a_binary(tmp_path):
    folder = tmp_path / "factors"
    shutil.copytree(FACTORS, folder)
    path = folder / "heat.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",0.12,", ",0.5,", 1), "utf-8")
    with pytest.raises(FactorLibraryError, match=r"heat\.csv: sha256 differs from the manifest"):
        read_library(folder)


def test_without_a_binary_the_csvs_are_read(tmp_path):
    folder = tmp_path / "factors"
    shutil.copytree(FACTORS, folder)
    (folder / binary.BINARY).unlink()
    _same(read_library(folder).factors, read_library(FACTORS).factors)
