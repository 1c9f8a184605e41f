"""The documentation keeps up with the code (as datasette's tests do): a
setting, a CLI command or option, a URL parameter or a dashboard control that
``docs/`` does not describe fails here; so does a link in the docs to a file
that is not there."""

from __future__ import annotations

import argparse
import ast
import re
from dataclasses import fields
from pathlib import Path

from viz import cli, settings
from viz.dashboard import viewstate

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
WIDGETS = {
    "selectbox",
    "multiselect",
    "text_input",
    "number_input",
    "slider",
    "select_slider",
    "radio",
    "checkbox",
    "toggle",
    "button",
    "download_button",
    "date_input",
    "file_uploader",
    "popover",
    "labelled_radio",
}


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def all_docs() -> dict[str, str]:
    out = {p.name: p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md"))}
    out["README.md"] = README.read_text(encoding="utf-8")
    return out


def test_every_setting_is_documented_with_its_default():
    text = doc("settings.md")
    missing = []
    for f in fields(settings.Settings):
        row = next((line for line in text.splitlines() if f"`VIZ_{f.name.upper()}`" in line), None)
        if row is None:
            missing.append(f"VIZ_{f.name.upper()}")
        elif not isinstance(f.default, str) or "data/" not in f.default:  # paths: the project's folder varies
            shown = str(f.default).lower() if isinstance(f.default, bool) else str(f.default)
            if f"`{shown}`" not in row and not (shown == "" and "(empty)" in row):
                missing.append(f"VIZ_{f.name.upper()} default {shown!r}")
    assert missing == []


def _commands(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Each ``python -m viz`` command (with its action, where it takes one)
    and the options it takes."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out: dict[str, list[str]] = {}
    for name, p in sub.choices.items():
        options = [s for a in p._actions for s in a.option_strings if s.startswith("--") and s != "--help"]
        actions = next((a.choices for a in p._actions if a.dest == "action"), None)
        for action in actions or [None]:
            out[f"python -m viz {name}" + (f" {action}" if action else "")] = options
    return out


def test_every_cli_command_and_option_is_documented():
    docs = all_docs()
    missing = []
    for command, options in _commands(cli._parser()).items():
        where = [text for name, text in docs.items() if name != "README.md" and command in text]
        if not where:
            missing.append(command)
            continue
        missing += [f"{command} {o}" for o in options if not any(o in text for text in where)]
    assert missing == []


def test_every_url_parameter_is_declared_and_documented():
    # a view with every field away from its default: a field added to the
    # view without a parameter (or a parameter without a declaration) fails
    from datetime import date

    from viz.dashboard.area import Polygon

    f = viewstate.Filters(
        actors=("a",),
        types=("battle",),
        countries=("SY",),
        precisions=("city",),
        date_from=date(2020, 1, 1),
        date_to=date(2020, 2, 1),
        text="x",
        min_fatalities=1,
        area=Polygon(((0.0, 0.0), (1.0, 0.0), (1.0, 1.0))),
    )
    view = viewstate.View(
        dataset="0123456789abcdef",
        filters=f,
        time=(date(2020, 1, 1), date(2020, 1, 5)),
        mode="grid",
        window=7,
        basemap="tiles",
        color="actor",
        size="count",
        center=(1.0, 2.0),
        zoom=3.0,
        event="e1",
        place_query="Idlib",
        place_country="SY",
        place_context="Aleppo",
        page="review",
    )
    for obj in (f, view):
        same = [x.name for x in fields(obj) if getattr(obj, x.name) == x.default]
        assert same == [], f"set these away from their defaults in this test: {same}"
    assert set(viewstate.encode(view)) == set(viewstate.PARAMETERS)
    text = doc("dashboard.md")
    rows = {m.group(1) for m in re.finditer(r"^\|\s*`([a-z0-9]+)`", text, flags=re.M)}
    assert sorted(set(viewstate.PARAMETERS) - rows) == []


def _controls() -> list[str]:
    """The labels of the app's widgets, as app.py writes them."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in WIDGETS and node.args and isinstance(node.args[0], ast.Constant):
                out.append(str(node.args[0].value))
        # the downloads' table: (label, builder, file name, mime, key)
        if (
            isinstance(node, ast.Tuple)
            and len(node.elts) == 5
            and all(isinstance(node.elts[k], ast.Constant) for k in (0, -1))
            and str(node.elts[-1].value).startswith("dl_")
        ):
            out.append(str(node.elts[0].value))
    return out


def test_every_dashboard_control_is_documented():
    controls = _controls()
    assert len(controls) > 20  # the scan finds them
    text = " ".join(doc("dashboard.md").split())  # a label may wrap
    assert [c for c in controls if f"**{c}**" not in text] == []


def test_links_in_the_docs_lead_somewhere():
    broken = []
    for name, text in all_docs().items():
        base = ROOT if name == "README.md" else DOCS
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (base / target).exists():
                broken.append(f"{name}: {target}")
    assert broken == []


def test_readme_is_a_guide_with_its_screenshot():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    shots = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", text)
    assert shots and all((ROOT / s).stat().st_size > 10_000 for s in shots)
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make run" in quick and "make test" in quick
    for page in ("geocoding.md", "events.md", "dashboard.md", "benchmarks.md", "architecture.md"):
        assert f"docs/{page}" in text
