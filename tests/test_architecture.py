"""The import arrows between the project's apps are the ones docs/architecture.md draws.

An app that reaches into one it must not (cases or the wall into statistics, notifications or search,
search into statistics) fails here, before the cycle it starts can grow.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Which other apps each app may import; docs/architecture.md draws the same arrows.
MAY_IMPORT = {
    "accounts": set(),
    "cases": {"accounts"},
    "wall": {"cases", "accounts"},
    "notifications": {"cases", "wall", "accounts"},
    "search": {"cases", "wall"},
    "stats": {"cases", "wall", "search"},
    "api": {"cases", "wall", "search", "accounts"},
    "home": {"cases", "wall", "stats"},
    "config": {"cases", "wall", "stats", "notifications", "search", "api", "accounts", "home"},
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


def test_cases_and_the_wall_never_import_those_who_follow_them():
    # They subscribe to what a case announces (cases.signals) or the wall does (wall.signals) instead.
    assert not {"wall", "stats", "notifications", "search"} & set(MAY_IMPORT["cases"])
    assert not {"stats", "notifications", "search"} & set(MAY_IMPORT["wall"])
    assert "stats" not in MAY_IMPORT["search"]
