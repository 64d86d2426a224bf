"""``python -m lca.factors.build [--data ../shared/data] [--out factors]``."""

import argparse
from pathlib import Path

from lca.factors.build.runner import REPO_ROOT, run


def main() -> None:
    """Parse the arguments and rebuild the library."""
    parser = argparse.ArgumentParser(
        prog="python -m lca.factors.build", description="Rebuild factors/ from the public datasets."
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=REPO_ROOT.parent / "shared" / "data",
        help="folder holding the source datasets (default ../shared/data)",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "factors", help="output folder (default factors/)"
    )
    args = parser.parse_args()
    manifest = run(args.data, args.out)
    for entry in manifest["files"]:
        print(f"{entry['rows']:>7}  {entry['path']}")


main()
