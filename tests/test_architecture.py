"""The package is a one-way stack of layers: no import cycle, no import that runs back up.

Every import counts, at module top or inside a function (a function-local import is still a
dependency), so the rule cannot be dodged by moving an import into a function. The layers, lowest
first, are listed in CONTRIBUTING.md; a module may import from its own layer (without a cycle) and
from any layer below it, never from one above.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "gerokg"

#: each layer, lowest first: top-level modules by name, sub-packages by their folder
LAYERS: list[tuple[str, ...]] = [
    ("gerokg._version", "gerokg.errors", "gerokg.vocab", "gerokg.resources", "gerokg.progress"),
    ("gerokg.rdf",),
    ("gerokg.sources",),
    ("gerokg.release",),
    ("gerokg.querying",),
    ("gerokg.answers",),
    ("gerokg.checks",),
    ("gerokg.artefacts",),
    ("gerokg.pages",),
    ("gerokg.serving",),
    ("gerokg.cli", "gerokg.__main__"),
    ("gerokg.api",),
    ("gerokg",),
]


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int:
    for i, members in enumerate(LAYERS):
        for m in members:
            if module == m or (m != "gerokg" and module.startswith(m + ".")):
                return i
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and to CONTRIBUTING.md")


def imported_modules(text: str, here: str, is_package: bool, modules: set[str]) -> set[str]:
    """The gerokg modules the source ``text`` of module ``here`` imports, anywhere in it."""
    tree = ast.parse(text)
    package = here if is_package else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # ``from package import module`` depends on the module; ``from module import name``
            # on the module
            subs = [f"{mod}.{a.name}" for a in node.names if f"{mod}.{a.name}" in modules]
            names = subs if len(subs) == len(node.names) else [mod, *subs]
        else:
            continue
        for name in names:
            # the longest gerokg module the name is, or is inside
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != here:
                found.add(name)
    return found


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    paths = sorted(SRC.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    g = nx.DiGraph()
    for p in paths:
        here = module_name(p)
        g.add_node(here)
        for target in imported_modules(p.read_text(encoding="utf-8"), here, p.name == "__init__.py", modules):
            # a package's __init__ importing its own modules is how packages re-export
            if here == target.rpartition(".")[0] and p.name == "__init__.py":
                continue
            g.add_edge(here, target)
    return g


def test_every_module_has_a_layer(graph: nx.DiGraph) -> None:
    for module in graph:
        layer_of(module)


def test_no_import_cycle(graph: nx.DiGraph) -> None:
    cycles = [c for c in nx.simple_cycles(graph)]
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c + [c[0]]) for c in cycles[:10])


def test_no_upward_import(graph: nx.DiGraph) -> None:
    upward = [(a, b) for a, b in graph.edges if layer_of(b) > layer_of(a)]
    assert upward == [], "imports that run up the layers: " + ", ".join(f"{a} -> {b}" for a, b in upward)


def test_nothing_inside_imports_the_facade(graph: nx.DiGraph) -> None:
    assert set(graph.predecessors("gerokg.api")) <= {"gerokg"}


def test_the_checker_sees_a_function_local_upward_import() -> None:
    """The rule bites: an import hidden in a function is found, absolute or relative."""
    modules = {module_name(p) for p in SRC.rglob("*.py")}
    text = "def f():\n    from gerokg.serving.server import EndpointConfig\n    from ..pages import web\n"
    found = imported_modules(text, "gerokg.rdf.rdfio", False, modules)
    assert found == {"gerokg.serving.server", "gerokg.pages.web"}
    assert all(layer_of(m) > layer_of("gerokg.rdf.rdfio") for m in found)


def test_help_imports_neither_rdflib_nor_pyoxigraph() -> None:
    code = ("import sys\nfrom gerokg.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'owlready2', 'pyshacl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
    assert "Usage: " in out
