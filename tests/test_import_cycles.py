"""No import cycles inside the dashboard package: a module must be importable without first importing one
that imports it back. Read from the source (AST), so no module is executed."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Cycles outside the pages and their helpers, broken on purpose by a function-level import (each says why at
# the import). Listed so that a new deferred cycle fails and a fixed one is taken off this list.
KNOWN_DEFERRED = {
    frozenset({"dashboard.audit", "dashboard.auth"}),
    frozenset({"dashboard.backup", "dashboard.startup", "dashboard.warehouse"}),
}


def modules(root: Path, package: str) -> dict[str, Path]:
    """Module name -> file for every module of ``package`` under ``root``."""
    found = {}
    for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _statements(tree: ast.Module, deferred: bool) -> Iterator[ast.stmt]:
    """Import statements run when the module is imported (top level, and inside top-level if/try blocks
    other than ``if TYPE_CHECKING``); with ``deferred``, those inside functions too."""
    if deferred:
        yield from (n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom))
        return
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
            pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
        elif isinstance(node, ast.With):
            pending += node.body


def imports(name: str, path: Path, known: set[str], *, deferred: bool = False) -> set[str]:
    """The modules of ``known`` that module ``name`` imports (``from pkg import mod`` counts as ``pkg.mod``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in _statements(ast.parse(path.read_text(encoding="utf-8")), deferred):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            parent = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join(parent + ([node.module] if node.module else []))
        for alias in node.names:
            out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return out & known - {name}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan), i.e. the import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def import_cycles(root: Path, package: str, *, deferred: bool = False) -> list[frozenset[str]]:
    found = modules(root, package)
    return cycles({name: imports(name, path, set(found), deferred=deferred) for name, path in found.items()})


def test_no_import_cycle_in_the_dashboard_package():
    assert import_cycles(ROOT, "dashboard") == []


def test_no_new_cycle_hidden_behind_a_function_level_import():
    found = set(import_cycles(ROOT, "dashboard", deferred=True))
    assert found - KNOWN_DEFERRED == set(), "a cycle only a deferred import keeps from failing"
    assert KNOWN_DEFERRED - found == set(), "a known cycle is gone: take it off KNOWN_DEFERRED"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_check_finds_a_cycle_through_three_modules(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "import pkg.c\n",
        "pkg/c.py": "from . import a\nimport json\n",
        "pkg/d.py": "from pkg.a import something\n",  # imports into the cycle, is not part of it
    })
    assert import_cycles(tmp_path, "pkg") == [frozenset({"pkg.a", "pkg.b", "pkg.c"})]


def test_the_check_counts_a_deferred_import_only_when_asked(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
                    "def later():\n    from pkg import a\n",
    })
    assert import_cycles(tmp_path, "pkg") == []
    assert import_cycles(tmp_path, "pkg", deferred=True) == [frozenset({"pkg.a", "pkg.b"})]
