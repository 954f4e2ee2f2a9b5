"""The layers import only downwards, and no module imports itself through others.

    hipguide_tools  ->  hipguide_rasa, actions  ->  hipguide (domain)

Read from the source with :mod:`ast` (nothing is imported), so a backward import fails here
even when it sits inside a function. Every ``import`` counts, wherever it is written: a lazy
import inside a function is still a dependency of the module.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("hipguide", "hipguide_rasa", "actions", "hipguide_tools")
# what each layer must not import (a name and everything below it)
FORBIDDEN: Dict[str, Tuple[str, ...]] = {
    "hipguide": ("rasa", "rasa_sdk", "hipguide_rasa", "actions", "hipguide_tools"),
    "hipguide_rasa": ("hipguide_tools",),
    "actions": ("hipguide_tools",),
}


def module_files(root: Path = ROOT) -> Dict[str, Path]:
    """Dotted module name -> file, for every module of the four packages."""
    modules: Dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_names(module: str, path: Path) -> Iterator[Tuple[str, int]]:
    """(dotted name, line) of every import in ``path``; ``from a import b`` gives ``a.b``
    (which is a module or, when it is not, a name inside module ``a``)."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's own package upwards
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join([*base, *([node.module] if node.module else [])])
            else:
                prefix = node.module or ""
            for alias in node.names:
                yield (f"{prefix}.{alias.name}" if alias.name != "*" else prefix), node.lineno


def resolve(name: str, modules: Dict[str, Path]) -> str | None:
    """The project module ``name`` denotes (the longest known prefix), or None."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def graph(root: Path = ROOT) -> Tuple[Dict[str, Set[str]], List[Tuple[str, int, str]]]:
    """Edges between project modules, and every (module, line, imported name)."""
    modules = module_files(root)
    edges: Dict[str, Set[str]] = {name: set() for name in modules}
    imports: List[Tuple[str, int, str]] = []
    for module, path in modules.items():
        for name, line in imported_names(module, path):
            imports.append((module, line, name))
            target = resolve(name, modules)
            if target is not None and target != module:
                edges[module].add(target)
    return edges, imports


def layer_violations(imports: List[Tuple[str, int, str]], modules: Dict[str, Path], root: Path = ROOT) -> List[str]:
    found = []
    for module, line, name in imports:
        for forbidden in FORBIDDEN.get(module.split(".")[0], ()):
            if name == forbidden or name.startswith(forbidden + "."):
                where = modules[module].relative_to(root)
                found.append(f"{where}:{line}: {module} imports {name} ({forbidden} is a layer above "
                             f"or outside {module.split('.')[0]})")
    return found


def cycles(edges: Dict[str, Set[str]]) -> List[List[str]]:
    """One cycle path (first module repeated at the end) per strongly connected group."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    groups: List[List[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return [path_within(group, edges) for group in groups]


def path_within(group: List[str], edges: Dict[str, Set[str]]) -> List[str]:
    """A shortest cycle through the group's first module, as a path."""
    start, members = group[0], set(group)
    came_from: Dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(edges[node] & members):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start] if len(path) > 1 else [start, start]
                if nxt not in came_from:
                    came_from[nxt] = node
                    following.append(nxt)
        frontier = following
    return group


def test_every_package_is_read() -> None:
    modules = module_files()
    for package in PACKAGES:
        assert package in modules, f"{package}/__init__.py is missing"
    assert len(modules) > 60


def test_layers_import_only_downwards() -> None:
    _, imports = graph()
    problems = layer_violations(imports, module_files())
    assert not problems, "imports against the layers (tools -> Rasa glue / actions -> domain):\n" + "\n".join(problems)


def test_no_import_cycles() -> None:
    edges, _ = graph()
    found = cycles(edges)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_the_checks_see_a_backward_import_and_a_cycle(tmp_path: Path) -> None:
    """The checks themselves: a domain module importing Rasa glue, and two modules importing
    each other (one lazily, inside a function), are both reported."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "hipguide" / "a.py").write_text("from hipguide_rasa import b\n")
    (tmp_path / "hipguide_rasa" / "b.py").write_text("def f():\n    from hipguide.a import x\n")
    edges, imports = graph(tmp_path)
    assert layer_violations(imports, module_files(tmp_path), tmp_path) == [
        f"{Path('hipguide/a.py')}:1: hipguide.a imports hipguide_rasa.b "
        "(hipguide_rasa is a layer above or outside hipguide)"]
    assert cycles(edges) == [["hipguide.a", "hipguide_rasa.b", "hipguide.a"]]
