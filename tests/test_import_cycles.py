"""No import cycles among the project's modules (DESIGN §2), and no module imports another's private name.

The graph is grimp's (the one import-linter builds), so imports inside functions and under
``TYPE_CHECKING`` count too: a cycle there is still two modules that cannot be read apart.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "idm_desktop"


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_the_project_s_modules() -> None:
    graph = grimp.build_graph(PACKAGE)
    edges = {module: {m for m in graph.find_modules_directly_imported_by(module) if m in graph.modules}
             for module in graph.modules}
    assert _cycles(edges) == []


def test_no_module_imports_a_private_name_of_another() -> None:
    offenders = []
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE):
                # "_" alone is gettext's, by convention imported everywhere; dunders are public.
                private = [a.name for a in node.names
                           if a.name.startswith("_") and a.name != "_" and not a.name.startswith("__")]
                offenders += [f"{path.relative_to(ROOT)}: {node.module}.{name}" for name in private]
    assert offenders == []


def test_the_package_top_holds_only_its_entry_points_and_subpackages() -> None:
    top = sorted(p.name for p in (ROOT / PACKAGE).glob("*.py"))
    assert top == ["__init__.py", "__main__.py"]


def test_no_module_is_over_500_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / PACKAGE).rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
