"""The package's modules import one another in one direction only: no circle, however long, and
counting every import (at the top, inside a function, or for the type checker only), because each
one says that a module needs another. And nothing in the package imports its entry point."""

from __future__ import annotations

import ast
from pathlib import Path

import aoad_tui

PACKAGE = Path(aoad_tui.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = ("aoad_tui", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that a module's source imports, wherever the import is written."""
    name, found = module_name(path), set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package the module is in
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from a.b import c` names the module a.b.c if there is one, else something in a.b.
            found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names}
    return {imported for imported in found if imported in modules and imported != name}


def package_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): imports_of(path, modules) for path in paths}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that reach one another (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_the_graph_is_read() -> None:
    graph = package_graph()
    assert "aoad_tui.model.entries" in graph["aoad_tui.model.loader"]
    assert "aoad_tui.screens.main" in graph["aoad_tui.app"]
    assert "aoad_tui.launch" in graph["aoad_tui.serve.session"]  # an import inside a function counts


def test_a_circle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]


def test_no_module_of_the_package_is_in_an_import_circle() -> None:
    found = circles(package_graph())
    assert not found, "\n".join(" <-> ".join(group) for group in found)


def test_nothing_in_the_package_imports_its_entry_point() -> None:
    graph = package_graph()
    importers = sorted(module for module, imported in graph.items() if "aoad_tui.__main__" in imported)
    assert not importers
