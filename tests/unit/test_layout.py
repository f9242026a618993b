"""The package's shape: no import circles, and each layer imports only those below it.

Layers, bottom up: the core (document understanding, plain data), the wire
(what travels on Kafka), streaming (the Faust shell), connectors (edges),
then operations, evaluation and the command line on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "doclane"

# What each room may import, besides itself. The root modules (settings,
# exceptions, logs, metrics) are shared by everything above the core.
_SHARED = {
    "doclane.exceptions",
    "doclane.settings",
    "doclane.logs",
    "doclane.metrics",
    "doclane.security",
}
ALLOWED: dict[str, set[str]] = {
    "doclane.core": {"doclane.exceptions"},
    "doclane.samples": {"doclane.core", "doclane.exceptions"},
    "doclane.wire": {"doclane.core", *_SHARED},
    "doclane.streaming": {"doclane.core", "doclane.wire", *_SHARED},
    "doclane.connectors": {"doclane.core", "doclane.wire", "doclane.streaming", *_SHARED},
    "doclane.evaluation": {"doclane.core", "doclane.samples", *_SHARED},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The doclane modules a file imports, at any depth of its body (lazy imports count)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("doclane")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("doclane"):
                continue
            for alias in node.names:  # `from doclane.core import pipeline` names a module
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
    return found


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, known) & known.keys() - {name} for name, path in known.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
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
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def room(module: str) -> str:
    """`doclane.core.extract.invoice.fields` -> `doclane.core`; root modules are rooms too."""
    return ".".join(module.split(".")[:2])


def test_no_module_imports_itself_through_others() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("lower", sorted(ALLOWED))
def test_each_layer_imports_only_what_lies_below_it(lower: str) -> None:
    wrong = {
        f"{module} -> {target}"
        for module, targets in _graph().items()
        if room(module) == lower
        for target in targets
        if room(target) != lower and room(target) not in ALLOWED[lower]
    }
    assert wrong == set()


def test_the_core_imports_no_kafka_faust_or_clickhouse() -> None:
    third_party = {"faust", "aiokafka", "confluent_kafka", "clickhouse_connect", "chdb", "mode"}
    for path in (PACKAGE / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not {name.split(".")[0] for name in names} & third_party, path
