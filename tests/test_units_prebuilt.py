"""pint's answers stored in ``factors/units.json`` (``lca.units_prebuilt``): each one pint's own,
the file current, used only when it is pint's and the definitions' own, and a usual run
without pint."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from importlib import metadata
from pathlib import Path

import pint
import pytest

from lca import units, units_prebuilt
from lca.factors import load_library
from lca.factors.build import unit_answers
from lca.paths import data_dir

FACTORS = data_dir("factors")
STORED = json.loads((FACTORS / units_prebuilt.FILE).read_text(encoding="utf-8"))
ROOT = Path(__file__).resolve().parents[1]


#: What to do when the file no longer matches pint, units.txt or lca/units.py.
REBUILD = "factors/units.json is stale: python -m lca.factors.build.unit_answers"


def test_the_shipped_answers_are_in_use():
    assert STORED["pint"] == metadata.version("pint"), REBUILD  # else every question to pint
    assert STORED["sources_sha256"] == units_prebuilt.sources_sha256(), REBUILD
    assert units_prebuilt.answers()["conversions"] == STORED["conversions"]


def test_each_stored_answer_is_pints_to_the_last_bit():
    for text, spelled in STORED["texts"].items():
        assert units._read(text) == spelled, text
    for spelled, unit in STORED["units"].items():
        assert units.pint_dimensionality(spelled) == unit["dimensionality"], spelled
        assert str(units.parse_unit(spelled)) == unit["text"], spelled
    pairs = 0
    for a, row in STORED["conversions"].items():
        for b, factor in row.items():
            assert units.pint_factor(a, b).hex() == factor.hex(), (a, b)
            pairs += 1
    assert pairs == sum(
        1
        for a in STORED["units"].values()
        for b in STORED["units"].values()
        if a["dimensionality"] == b["dimensionality"]
    )  # every two of the same kind, no other


def _first_answer(a: str, b: str) -> float:
    """The factor from spelling ``a`` to ``b`` as a brand-new registry first answers it."""
    new = units.new_registry()
    return float(new.Quantity(1.0, new.Unit(a)).to(new.Unit(b)).magnitude)


@pytest.mark.parametrize(
    "a, b",
    [
        ("MWh", "kWh"),
        ("meter**3", "liter"),
        ("kgCO2e/kWh", "gCO2e/kWh"),
        ("GB_month", "TB_h"),
        ("(liter) * (kWh/L)", "kWh"),
        ("kWh/GB", "therm"),  # a factor whose last bit depends on pint's cache
        ("(kWh/GB)*(GiB)", "therm"),
        ("(kWh/GB)*(USD/USD)", "(therm)*(kWh/kWh)"),
    ],
)
def test_a_factor_is_a_new_registrys_first_answer_stored_or_not(a, b):
    # the shared registry has met other units: after this question, a registry that kept its
    # caches would give kWh/GB in therm as 0x1.2c22969491a98p-38, not a new one's …a99p-38
    units.pint_factor("(kWh)*(dimensionless)", "(therm)*(GB)")
    first = _first_answer(a, b)
    assert units.conversion_factor(a, b).hex() == first.hex()
    assert units.pint_factor(a, b).hex() == first.hex()


def test_two_threads_asking_pint_at_once_get_a_new_registrys_answers():
    """The caches put back as built by one question must not be seen half-filled by another:
    without the lock, ~8 % of these answers were the kept-cache one (…a98p-38)."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        flips, first = ("(kWh)*(dimensionless)", "(therm)*(GB)"), ("kWh/GB", "therm")
        expected = _first_answer(*first)
        seen: set[str] = set()

        def ask(pair: tuple[str, str]) -> None:
            for _ in range(1500):
                answer = units.pint_factor(*pair)
                if pair == first:
                    seen.add(answer.hex())

        threads = [threading.Thread(target=ask, args=(p,)) for p in (first, flips)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert seen == {expected.hex()}


def test_the_public_functions_answer_as_pint_does():
    texts = sorted(STORED["texts"])
    for a in texts:
        assert units.is_unit(a)
        assert units.dimensionality(a) == units.pint_dimensionality(a)
        assert units.unit_text(a) == str(units.parse_unit(a))
        assert units.normalize_unit(a) == units._read(a)
    for a in texts[::7]:
        for b in texts[::5]:
            try:
                expected = units.pint_factor(a, b)
            except pint.DimensionalityError:
                assert units.try_conversion(a, b) is None
                with pytest.raises(pint.DimensionalityError):
                    units.conversion_factor(a, b)
                continue
            assert units.conversion_factor(a, b) == expected
            assert units.try_conversion(a, b) == expected


def test_the_committed_file_is_what_the_build_writes_now(tmp_path):
    """A new spelling in lca.units, a unit added to ``unit_answers.ASKED`` or to the library,
    another pint: the file must be written again."""
    library_units = sorted(load_library().factors["unit"].unique())
    written = unit_answers.write(tmp_path, library_units)
    assert written.read_bytes() == (FACTORS / units_prebuilt.FILE).read_bytes(), REBUILD


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A copy of the packaged units.txt and units.json that ``answers`` reads."""
    for name in ("units.txt", units_prebuilt.FILE):
        shutil.copy(FACTORS / name, tmp_path / name)
    shutil.copy(Path(units.__file__), tmp_path / "units.py")
    monkeypatch.setattr(units_prebuilt, "data_dir", lambda name: tmp_path)
    monkeypatch.setattr(units_prebuilt, "__file__", str(tmp_path / "units_prebuilt.py"))
    units_prebuilt.answers.cache_clear()
    yield tmp_path
    units_prebuilt.answers.cache_clear()


def _edit(path: Path, **changes) -> None:
    table = json.loads(path.read_text(encoding="utf-8"))
    table.update(changes)
    path.write_text(json.dumps(table), encoding="utf-8")


def _reshaped(path: Path) -> None:
    """Answers of the wrong kind under a sha256 that matches them."""
    table = json.loads(path.read_text(encoding="utf-8"))
    table["texts"] = {**table["texts"], "kWh": ["kWh"]}
    answers = {key: table[key] for key in ("texts", "units", "conversions")}
    table["answers_sha256"] = units_prebuilt.digest(answers)
    path.write_text(json.dumps(table), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_copy_is_used_as_it_is(folder):
    assert units_prebuilt.factor("MWh", "kWh") == 1000.0


@pytest.mark.parametrize(
    "spoil",
    [
        lambda f: _edit(f / units_prebuilt.FILE, pint="0.1"),
        lambda f: _edit(f / units_prebuilt.FILE, format="lca-units/0"),
        lambda f: _edit(
            f / units_prebuilt.FILE,
            conversions={
                **STORED["conversions"],
                "MWh": {**STORED["conversions"]["MWh"], "kWh": 1e6},
            },
        ),
        lambda f: _append(f / "units.txt", "\nfoo_unit = 2 * kWh\n"),
        lambda f: _append(f / "units.py", "\n_SPELLINGS['kwh'] = 'MWh'\n"),
        lambda f: (f / units_prebuilt.FILE).write_text("{not json", encoding="utf-8"),
        lambda f: (f / units_prebuilt.FILE).write_text("null", encoding="utf-8"),
        lambda f: (f / units_prebuilt.FILE).write_text("[]", encoding="utf-8"),
        lambda f: (f / units_prebuilt.FILE).write_text("[" * 100_000, encoding="utf-8"),
        lambda f: _reshaped(f / units_prebuilt.FILE),
        lambda f: (f / units_prebuilt.FILE).unlink(),
    ],
    ids=[
        "other-pint",
        "other-format",
        "altered-answer",
        "other-definitions",
        "other-grammar",
        "not-json",
        "null",
        "a-list",
        "nested-deep",
        "answers-of-another-kind",
        "gone",
    ],
)
def test_answers_not_pints_own_are_not_used(folder, spoil, caplog):
    spoil(folder)
    with caplog.at_level("INFO", logger="lca.units_prebuilt"):
        assert units_prebuilt.answers() == {"texts": {}, "units": {}, "conversions": {}}
    assert "units.json not used" in caplog.text
    assert units_prebuilt.factor("MWh", "kWh") is None


def _subclasses(cls: type) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


def test_unit_errors_catch_every_error_pint_raises():
    units.registry()  # pint imported with all its modules
    raised = [c for c in _subclasses(pint.errors.PintError) if not issubclass(c, Warning)]
    assert len(raised) >= 8 and all(issubclass(cls, units.UNIT_ERRORS) for cls in raised)


def test_the_example_runs_without_pint():
    code = (
        "import sys\n"
        "from lca.pipeline import run\n"
        "result = run('examples/acme', priors=('examples/acme-2024',))\n"
        "print(len(result.lines), 'pint' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[0]) > 100 and out[1] == "False"
