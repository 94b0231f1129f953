"""The one rule of imports, checked on the code itself (its syntax tree, not grep).

The foundation (everything in ``ruiraq/`` but the site layer, the tools and the seed) is what
the apps stand on: it never imports ``actors`` or ``articles``, nor the layers above it. The
apps never import the layers above them. And no module imports itself back through others,
lazily inside a function or not.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ruiraq", "actors", "articles")
#: Above the foundation: they may import the apps; nothing below imports them.
ROOF = (
    "ruiraq.site",
    "ruiraq.devtools",
    "ruiraq.seed",
    "ruiraq.urls",
    "ruiraq.wsgi",
    "ruiraq.asgi",
)
APPS = ("actors", "articles")


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    """{module name: path} of the project's code, migrations left out (they are history)."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _within(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _imports(path):
    """Every project module ``path`` imports, wherever the import statement stands."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # ``from ruiraq import search`` imports the module ruiraq.search.
            names.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if f"{node.module}.{alias.name}" in MODULES
            )
    return {name for name in names if name.split(".")[0] in PACKAGES}


GRAPH = {name: _imports(path) for name, path in MODULES.items()}
FOUNDATION = sorted(
    name for name in MODULES if name.startswith("ruiraq") and not _within(name, ROOF)
)


def test_the_walk_sees_the_layers():
    """A positive control: the walk finds the imports it is meant to judge."""
    assert "ruiraq.models" in FOUNDATION and "ruiraq.search.matching" in FOUNDATION
    assert "articles.models" in GRAPH["ruiraq.site.views"]
    assert "ruiraq.models" in GRAPH["actors.models"]


@pytest.mark.parametrize("module", FOUNDATION)
def test_foundation_imports_neither_app_nor_a_layer_above(module):
    wrong = sorted(name for name in GRAPH[module] if _within(name, APPS + ROOF))
    assert not wrong, f"{module} (foundation) imports {', '.join(wrong)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _within(m, APPS)))
def test_apps_import_no_layer_above_them(module):
    wrong = sorted(name for name in GRAPH[module] if _within(name, ROOF))
    assert not wrong, f"{module} imports {', '.join(wrong)}"


def _cycle():
    """One import cycle among the project's modules, as a list of names, or None."""
    state = {}

    def visit(name, trail):
        state[name] = "open"
        for target in sorted(GRAPH.get(name, ())):
            # ``import ruiraq.search.folding`` runs ruiraq/search/__init__.py first, but
            # a package importing its own submodules is not a cycle between modules.
            if target not in GRAPH or target == name or name.startswith(target + "."):
                continue
            if state.get(target) == "open":
                return trail[trail.index(target) :] + [target]
            if target not in state:
                found = visit(target, [*trail, target])
                if found:
                    return found
        state[name] = "done"
        return None

    for name in sorted(GRAPH):
        if name not in state:
            found = visit(name, [name])
            if found:
                return found
    return None


def test_no_import_cycle():
    cycle = _cycle()
    assert cycle is None, " → ".join(cycle)
