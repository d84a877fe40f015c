"""The package's import graph: no cycles, and dependencies point one way.

The graph is built statically with :mod:`ast` from the source files under
``bpforecast/``: every ``import`` and ``from ... import`` statement counts,
at module level or inside a function or method (a lazy import is still a
dependency), relative ones resolved to modules (``from . import x`` is an
edge to the module ``x`` when it is one, ``from .x import y`` an edge to
``x``, or to ``x.y`` when that is a module). Imports under ``if
TYPE_CHECKING:`` do not run and are left out. As in import-linter, importing
``a.b.c`` counts as an edge to ``a.b.c`` only, not to the packages ``a`` and
``a.b`` whose ``__init__`` Python also runs: otherwise every module would
depend on the package root, which re-exports everything.

Layering (issue 11): network math <- estimators <- forecasting <- MATLAB
layer and command line, with evaluation beside forecasting; plotting depends
on nothing above the network math.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "bpforecast"


# ------------------------------------------------------------- the graph
@dataclass(frozen=True)
class Import:
    """One import statement's edge: who imports what, where."""

    source: str
    target: str
    line: int
    text: str


def module_names(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file under ``root``."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> Iterable[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except under ``if TYPE_CHECKING``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _known(name: str, modules: Mapping[str, Path]) -> str | None:
    """``name`` or its longest prefix that is a module of the package."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def resolve(
    module: str, node: ast.Import | ast.ImportFrom, modules: Mapping[str, Path]
) -> list[str]:
    """Fully qualified names an import statement of ``module`` imports.

    Package modules are resolved to modules of ``modules``; other names
    (``numpy``, ``sklearn.utils``) come back as written.
    """
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        is_package = modules[module].name == "__init__.py"
        package = module if is_package else module.rpartition(".")[0]
        parts = package.split(".")
        if node.level - 1 >= len(parts):
            raise ImportError(f"{module}: relative import beyond the top package")
        base = ".".join(parts[: len(parts) - (node.level - 1)])
        if node.module:
            base = f"{base}.{node.module}"
    else:
        base = node.module or ""
    targets = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        targets.append(sub if sub in modules else base)
    return targets


def build_graph(root: Path) -> tuple[dict[str, set[str]], list[Import]]:
    """The package's import graph and every import behind it.

    Returns
    -------
    graph : dict
        Module -> the package modules it imports (every module is a key).
    imports : list of Import
        Every import statement's targets, the package's and outside ones
        (``target`` is the top-level name for those, e.g. ``pandas``).
    """
    modules = module_names(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    imports: list[Import] = []
    for name, path in modules.items():
        source = path.read_text()
        tree = ast.parse(source, filename=str(path))
        for node in _import_nodes(tree):
            text = ast.get_source_segment(source, node) or ""
            for target in resolve(name, node, modules):
                inside = _known(target, modules)
                if inside is None:
                    top = target.split(".")[0]
                    imports.append(Import(name, top, node.lineno, text))
                    continue
                imports.append(Import(name, inside, node.lineno, text))
                if inside != name:
                    graph[name].add(inside)
    return graph, imports


# ------------------------------------------------------------ cycle finder
def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """One cycle per strongly connected component that has one.

    Each cycle is a list of nodes ``[a, b, ..., a]`` (first node repeated
    at the end), starting at the smallest node of its component; cycles
    are sorted.
    """
    edges = {node: sorted(set(targets)) for node, targets in graph.items()}
    for targets in list(edges.values()):
        for t in targets:
            edges.setdefault(t, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0

    for start in sorted(edges):  # iterative Tarjan
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if i < len(targets):
                work.append((node, i + 1))
                nxt = targets[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])

    cycles = []
    for component in components:
        members = set(component)
        first = min(component)
        if len(component) == 1 and first not in edges[first]:
            continue
        cycles.append(_shortest_cycle(first, edges, members))
    return sorted(cycles)


def _shortest_cycle(start: str, edges: Mapping, members: set[str]) -> list[str]:
    """Shortest path ``start -> ... -> start`` inside one component (BFS)."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for target in edges[node]:
                if target not in members:
                    continue
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if target not in previous:
                    previous[target] = node
                    nxt_frontier.append(target)
        frontier = nxt_frontier
    raise AssertionError(f"{start} is in a component without a cycle")


def format_cycle(cycle: list[str], imports: list[Import]) -> str:
    """The cycle and the import line behind each of its edges."""
    lines = [" -> ".join(cycle)]
    for a, b in zip(cycle, cycle[1:], strict=False):
        behind = [i for i in imports if i.source == a and i.target == b]
        for i in behind[:1]:
            lines.append(f"    {a} (line {i.line}): {i.text.splitlines()[0]}")
    return "\n".join(lines)


# ------------------------------------------------------------ the tests
def test_cycle_finder_on_hand_made_graphs():
    assert find_cycles({"a": ["b"], "b": ["c"], "c": []}) == []
    graph = {
        "a": ["b"],
        "b": ["c", "d"],
        "c": ["a"],  # a -> b -> c -> a
        "d": ["e"],
        "e": [],
        "x": ["y"],
        "y": ["x"],  # x <-> y
        "s": ["s"],  # a self-loop
    }
    assert find_cycles(graph) == [["a", "b", "c", "a"], ["s", "s"], ["x", "y", "x"]]
    # A component with two loops gives one cycle, the shortest through its
    # smallest node.
    assert find_cycles({"p": ["q", "r"], "q": ["p"], "r": ["q"]}) == [["p", "q", "p"]]


def _write(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


def test_graph_builder_resolves_relative_and_lazy_imports(tmp_path):
    pkg = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from .a import f\n",
            "pkg/a.py": "import numpy as np\nfrom . import b\n\ndef f(): pass\n",
            "pkg/b.py": "def g():\n    from .a import f  # lazy\n    return f\n",
            "pkg/sub/__init__.py": "from . import c\n",
            "pkg/sub/c.py": (
                "from typing import TYPE_CHECKING\n"
                "from .. import a\n"
                "from ..b import g\n"
                "import pkg.sub\n"
                "if TYPE_CHECKING:\n"
                "    from ..a import f\n"
                "    from pkg import b\n"
                "else:\n"
                "    import pandas\n"
            ),
        },
    )
    graph, imports = build_graph(pkg)
    assert graph == {
        "pkg": {"pkg.a"},
        "pkg.a": {"pkg.b"},
        "pkg.b": {"pkg.a"},
        "pkg.sub": {"pkg.sub.c"},
        "pkg.sub.c": {"pkg.a", "pkg.b", "pkg.sub"},
    }
    outside = {(i.source, i.target) for i in imports if not i.target.startswith("pkg")}
    assert outside == {
        ("pkg.a", "numpy"),
        ("pkg.sub.c", "typing"),
        ("pkg.sub.c", "pandas"),
    }
    cycles = find_cycles(graph)
    assert cycles == [["pkg.a", "pkg.b", "pkg.a"], ["pkg.sub", "pkg.sub.c", "pkg.sub"]]
    text = format_cycle(cycles[0], imports)
    assert "pkg.b (line 2): from .a import f" in text


def test_the_package_has_no_import_cycles():
    graph, imports = build_graph(ROOT)
    assert len(graph) > 50 and "bpforecast.nn.network" in graph
    cycles = find_cycles(graph)
    report = "\n\n".join(format_cycle(c, imports) for c in cycles)
    assert not cycles, f"import cycles in bpforecast:\n\n{report}"


# Layering rules: (modules the rule is about, what they must not import, why).
LAYERS = [
    (
        "bpforecast.nn",
        ("bpforecast.", "pandas", "sklearn"),
        "the network math imports nothing else of bpforecast, no pandas, no "
        "scikit-learn",
    ),
    (
        "bpforecast.estimators",
        ("bpforecast.forecasting", "bpforecast.matlab", "bpforecast.cli"),
        "estimators sit below forecasting, the MATLAB layer and the CLI",
    ),
    (
        "bpforecast.forecasting",
        ("bpforecast.matlab", "bpforecast.cli"),
        "forecasting sits below the MATLAB layer and the CLI",
    ),
    (
        "bpforecast.evaluation",
        ("bpforecast.matlab", "bpforecast.cli"),
        "evaluation sits below the MATLAB layer and the CLI",
    ),
    (
        "bpforecast.plotting",
        (
            "bpforecast.estimators",
            "bpforecast.forecasting",
            "bpforecast.evaluation",
            "bpforecast.matlab",
            "bpforecast.pruning",
            "bpforecast.io",
            "bpforecast.cli",
        ),
        "plotting depends on nothing above the network math",
    ),
]


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def layering_violations(imports: list[Import]) -> list[tuple[Import, str]]:
    """Imports that break a rule of :data:`LAYERS`, with the rule's reason."""
    found = []
    for i in imports:
        for package, forbidden, why in LAYERS:
            if not _in(i.source, package) or _in(i.target, package):
                continue
            for bad in forbidden:
                hit = (
                    i.target.startswith(bad)
                    if bad.endswith(".")
                    else _in(i.target, bad)
                )
                if hit:
                    found.append((i, why))
                    break
    return found


def test_layering_rules_catch_a_synthetic_violation(tmp_path):
    _write(
        tmp_path,
        {
            "bpforecast/__init__.py": "",
            "bpforecast/nn/__init__.py": "",
            "bpforecast/nn/core.py": "def f():\n    import pandas\n",
            "bpforecast/estimators/__init__.py": "",
            "bpforecast/estimators/est.py": "from ..forecasting import fc\n",
            "bpforecast/forecasting/__init__.py": "",
            "bpforecast/forecasting/fc.py": "from ..nn import core\n",
        },
    )
    _, imports = build_graph(tmp_path / "bpforecast")
    found = {(i.source, i.target) for i, _ in layering_violations(imports)}
    assert found == {
        ("bpforecast.nn.core", "pandas"),
        ("bpforecast.estimators.est", "bpforecast.forecasting.fc"),
    }


def test_dependencies_point_one_way():
    _, imports = build_graph(ROOT)
    found = layering_violations(imports)
    new = [
        f"{i.source} (line {i.line}): {i.text.splitlines()[0]}\n    ({why})"
        for i, why in found
    ]
    assert not new, "imports against the layering:\n" + "\n".join(new)


@pytest.mark.parametrize("package", ["matlab", "plotting", "pruning"])
def test_no_module_of_the_split_packages_is_a_big_file(package):
    """The split packages keep modules below ~600 lines (issue 11, item 2)."""
    sizes = {
        path.name: len(path.read_text().splitlines())
        for path in (ROOT / package).glob("*.py")
    }
    assert max(sizes.values()) <= 600, sizes
