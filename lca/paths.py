"""Where the packaged data lives: ``factors/`` and ``templates/``.

In a wheel they are installed as ``lca/_data/factors`` and ``lca/_data/templates``; in a source
checkout (or an editable install) they are the top-level folders of the repository.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the packaged data folder ``name`` ("factors" or "templates")."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    source = _PACKAGE.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"packaged data folder {name!r} not found next to {_PACKAGE}")
