"""The wheel carries factors/ and templates/: installed elsewhere, lca runs from any folder."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_runs_the_example_from_another_directory(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    target = tmp_path / "site"
    wheel = next(wheels.glob("lca-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = elsewhere / "out"
    code = (
        "import sys; sys.argv = ['lca', 'report', sys.argv[1], '--out', sys.argv[2]]; "
        "from lca.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "examples" / "acme"), str(out)],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads((out / "results.json").read_text())
    assert results["factor_library"]["version"]
    assert (
        str(target)
        in subprocess.run(
            [sys.executable, "-c", "import lca.paths as p; print(p.data_dir('factors'))"],
            cwd=elsewhere,
            env={"PYTHONPATH": str(target)},
            capture_output=True,
            text=True,
        ).stdout
    )
