"""The package layout is the pipeline: no import cycle, and no module imports a later stage.

Imports are read with ``ast`` (those inside functions too: a cycle hidden in a function is
still a cycle). ``from lca.x import y`` is an import of the module ``lca.x.y`` when ``y`` is a
module, else of ``lca.x``; the root package ``lca`` (it holds ``__version__``) may be imported
by every module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lca"

#: Each stage, in pipeline order; a module may import its own stage and earlier ones only.
STAGES = (
    (
        "foundation",
        (
            "lca.issues",
            "lca.errors",
            "lca.spec",
            "lca.units",
            "lca.units_prebuilt",
            "lca.paths",
            "lca.csv_injection",
            "lca.issue_log",
            "lca.progress",
            "lca.allocation",
            "lca.coerce",
            "lca.distinct",
            "lca.ratio",
            "lca.read_ahead",
            "lca.output_folder",
        ),
    ),
    ("factors", ("lca.factors",)),
    ("read", ("lca.read",)),
    ("validate", ("lca.validate",)),
    ("methods", ("lca.methods",)),
    ("mapping", ("lca.mapping",)),
    ("ledger", ("lca.ledger",)),
    ("activities", ("lca.activities",)),
    ("aggregate", ("lca.aggregate",)),
    ("pipeline", ("lca.pipeline",)),
    ("report", ("lca.report",)),
    ("tools", ("lca.spreadsheet", "lca.compare", "lca.importers")),
    ("cli", ("lca.cli", "lca.__main__")),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def stage_of(module: str) -> int:
    for rank, (_, prefixes) in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES")


def imports_of(module: str) -> set[str]:
    """The lca modules ``module`` imports (anywhere in its file)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1]
                    + ([base] if base else [])
                )
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
    return {name for name in found if name in MODULES and name not in ("lca", module)}


GRAPH = {module: imports_of(module) for module in MODULES}


def test_every_module_has_a_stage():
    for module in MODULES:
        if module != "lca":
            stage_of(module)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "lca"))
def test_no_import_of_a_later_stage(module):
    later = sorted(target for target in GRAPH[module] if stage_of(target) > stage_of(module))
    assert not later, f"{module} ({STAGES[stage_of(module)][0]}) imports later stages: {later}"


def test_no_import_cycle():
    """Tarjan's strongly connected components: every component must be a single module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


def test_the_walk_sees_imports():
    """The walk itself: known edges are found (a walk that finds nothing would pass above)."""
    assert "lca.read.sheets" in GRAPH["lca.read.csv_folder"]
    assert "lca.aggregate.result" in GRAPH["lca.pipeline"]
    assert (
        "lca.mapping.context" in GRAPH["lca.report.model"]
        or "lca.aggregate.result" in GRAPH["lca.report.model"]
    )
