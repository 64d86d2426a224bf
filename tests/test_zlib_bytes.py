"""The workbook's zip (``zip_parallel``) and the PDF's streams (pydyf) are deflated by the
zlib that Python is linked against. Their bytes are the same on any machine only where that
zlib deflates as zlib does: a distribution that ships zlib-ng in its place (its "compat"
library) compresses the same input to other bytes. This test says so at once, with the
version, rather than leaving it to a byte comparison of a whole report."""

from __future__ import annotations

import hashlib
import random
import zlib

import pytest

from lca.report import zip_parallel

#: SHA-256 of the raw deflate of ``sample()`` at each level the workbook's zip uses (zlib's
#: default, 6, and ``LARGE_LEVEL``), by zlib 1.2.13 (Debian 12).
EXPECTED = {
    zlib.Z_DEFAULT_COMPRESSION: "47d4020b164059b7be995ce025541b5b64a39abcafb0fefd8a48379b15be5acc",
    2: "8dad85e0d1fea72c211f579d704437134e95175233e666b9187c523f7a4ce6a7",
}
#: pydyf's ``zlib.compress`` (level 6 with the zlib header and checksum).
EXPECTED_STREAM = "afb04a1c990373e32980a95d970e757bcf00b9982fef0b36977890410e28e54b"


def sample() -> bytes:
    """~3 MB of workbook-like XML pieces, the same on every machine."""
    rng = random.Random(20261207)
    words = ["cloud", "kgCO2e", '<c r="A', '"><v>', "</v></c>", "electricity:NL:gwp_lifecycle:2024",
             "0.000751", "inlineStr", "Factors!$D$", "R5*T5*V5"]  # fmt: skip
    return "".join(rng.choice(words) + str(rng.randrange(10**6)) for _ in range(200_000)).encode()


def test_the_levels_lca_uses_are_these():
    assert {zip_parallel.level(0), zip_parallel.level(zip_parallel.LARGE + 1)} == set(EXPECTED)


@pytest.mark.parametrize("level", sorted(EXPECTED))
def test_this_zlib_deflates_as_zlib_does(level):
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = compressor.compress(sample()) + compressor.flush()
    assert hashlib.sha256(data).hexdigest() == EXPECTED[level], (
        f"zlib {zlib.ZLIB_RUNTIME_VERSION} deflates otherwise than zlib: the workbook's and "
        "the PDF's bytes will differ from those of other machines (zlib-ng in zlib's place?)"
    )
    assert hashlib.sha256(zlib.compress(sample())).hexdigest() == EXPECTED_STREAM
