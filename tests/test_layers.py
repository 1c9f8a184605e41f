"""The package's shape: three layers, imports running one way only, no circle.

Every import is counted, the ones inside functions included: a lazy import
is still a dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "viz"

# What a layer may import, besides itself.  ``viz.settings`` and ``viz.errors``
# sit under every layer; ``viz.cli`` (and the package's own lazy exports) over all.
SHARED = {"viz.settings", "viz.errors"}
ALLOWED = {
    "shared": set(),
    "geo": {"shared"},
    "events": {"shared", "geo"},
    "dashboard": {"shared", "geo", "events"},
    "top": {"shared", "geo", "events", "dashboard"},
}


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        out[name] = path
    return out


def layer(module: str) -> str:
    if module in SHARED:
        return "shared"
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in ("geo", "events", "dashboard"):
        return parts[1]
    return "top"


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The project's modules that ``path`` imports, anywhere in it."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        out |= {n for n in names if n in known}
    return out


def graph() -> dict[str, set[str]]:
    known = modules()
    g = {}
    for name, path in known.items():
        # a package's __init__ is no dependency of the modules inside it
        g[name] = {m for m in imports(path, known) if m != name and not name.startswith(m + ".")}
    return g


def test_every_module_has_a_layer_and_the_three_layers_exist():
    g = graph()
    assert {layer(m) for m in g} == set(ALLOWED)
    for sub in ("geo", "events", "dashboard"):
        assert (PACKAGE / sub / "__init__.py").exists()
    # the flat package holds only what sits beside the layers
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == [
        "__init__.py",
        "__main__.py",
        "cli.py",
        "errors.py",
        "settings.py",
    ]


def upward(g: dict[str, set[str]]) -> list[str]:
    return [
        f"{m} ({layer(m)}) imports {d} ({layer(d)})"
        for m, deps in sorted(g.items())
        for d in sorted(deps)
        if layer(d) != layer(m) and layer(d) not in ALLOWED[layer(m)]
    ]


def circles(g: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[str] = []

    def visit(u: str) -> None:
        state[u] = 1
        stack.append(u)
        for v in sorted(g[u]):
            if state.get(v) == 1:
                found.append(" -> ".join([*stack[stack.index(v) :], v]))
            elif not state.get(v):
                visit(v)
        state[u] = 2
        stack.pop()

    for u in sorted(g):
        if not state.get(u):
            visit(u)
    return found


def test_imports_run_one_way_only():
    assert upward(graph()) == []


def test_no_import_circle():
    assert circles(graph()) == []


def test_the_scan_sees_a_circle_and_an_upward_import(tmp_path, monkeypatch):
    """The checks above can fail: a package with a circle and an upward import."""
    pkg = tmp_path / "viz"
    (pkg / "geo").mkdir(parents=True)
    (pkg / "dashboard").mkdir()
    for f in ("__init__.py", "geo/__init__.py", "dashboard/__init__.py"):
        (pkg / f).write_text("")
    (pkg / "geo" / "a.py").write_text("def f():\n    from viz.dashboard import b\n")
    (pkg / "dashboard" / "b.py").write_text("from viz.geo.a import f\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", pkg)
    g = graph()
    assert g["viz.geo.a"] == {"viz.dashboard", "viz.dashboard.b"}  # inside a function too
    assert upward(g) == [
        "viz.geo.a (geo) imports viz.dashboard (dashboard)",
        "viz.geo.a (geo) imports viz.dashboard.b (dashboard)",
    ]
    assert circles(g) == ["viz.dashboard.b -> viz.geo.a -> viz.dashboard.b"]


def test_answering_a_query_imports_nothing_of_the_build():
    """Opening the index and geocoding import none of the build-time source
    readers (nor babel, which only they need): the cold start stays short."""
    code = (
        "import sys\n"
        "from viz import GazetteerGeocoder\n"
        "GazetteerGeocoder().geocode('Idlib')\n"
        "build = ('viz.geo.build', 'viz.geo.sources', 'viz.geo.regions', 'viz.geo.countries',"
        " 'viz.geo.outlines', 'babel')\n"
        "print(','.join(m for m in build if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_import_viz_is_cheap_and_the_entry_points_are_there():
    code = (
        "import sys, viz\n"
        "print(sorted(m for m in sys.modules if m.startswith('viz.')))\n"
        "from viz import GazetteerGeocoder, load\n"
        "from viz.geo.geocoder import GazetteerGeocoder as G\n"
        "from viz.events.ingest import load as L\n"
        "print(GazetteerGeocoder is G and load is L)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]
