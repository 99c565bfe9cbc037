"""The import arrows between the project's apps are the ones docs/architecture.md draws.

An app that reaches into one it must not (the wall into statistics, notifications or search,
search into statistics) fails here, before the cycle it starts can grow.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Which other apps each app may import; docs/architecture.md draws the same arrows.
MAY_IMPORT = {
    "wall": {"accounts"},
    "accounts": {"wall"},  # login throttling uses wall.ratelimit; it leaves wall with the cases step of #16
    "notifications": {"wall"},
    "search": {"wall"},
    "stats": {"wall", "search"},
    "api": {"wall", "search"},
    "home": {"wall", "stats"},
    "config": {"wall", "stats", "notifications", "search", "api", "accounts", "home"},
}


def imported_apps(app):
    """{app it imports: first file that does}, over the app's modules (migrations aside)."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in MAY_IMPORT and top != app:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_apps_it_may(app):
    wrong = {other: path for other, path in imported_apps(app).items() if other not in MAY_IMPORT[app]}
    assert not wrong, f"{app} must not import {sorted(wrong)} (first in {sorted(wrong.values())})"


def test_every_app_is_listed():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"config"}
    assert apps == set(MAY_IMPORT)


def test_the_wall_never_imports_those_who_follow_it():
    # They subscribe to what the wall announces (wall.signals) instead.
    assert not {"stats", "notifications", "search"} & set(MAY_IMPORT["wall"])
    assert "stats" not in MAY_IMPORT["search"]
