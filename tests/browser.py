"""A real browser for the journey tests: Debian's Chromium (`apt-get install chromium
fonts-wqy-microhei`; the font makes Chinese readable in screenshots), driven by Playwright for Python.
Playwright never downloads a browser here: it is pointed at /usr/bin/chromium (CHROMIUM overrides it).

Without Chromium the tests are skipped, but not on CI (`CI` set): there they must run.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Where screenshots go, for a person to look at after a run (ignored by git).
ARTIFACTS = Path(os.environ.get("ECHOWALL_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}


def chromium_path():
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def launch():
    """Yields a headless Chromium; skips (fails on CI) when there is none."""
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        path = None
    if path is None:
        reason = "Chromium or Playwright is missing (apt-get install chromium; pip install -r requirements-dev.txt)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: the browser tests cannot run on CI", pytrace=False)
        pytest.skip(f"{reason}: browser tests skipped")
    # Playwright's sync API runs an event loop in this thread; the tests still call the ORM here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Close the connections the test made while Playwright ran: they are not the test
            # database's own, and an open one keeps PostgreSQL from dropping the database.
            connections.close_all()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def axe_violations(page, impacts=("serious", "critical")):
    """axe-core's violations of the given impacts on the page as it is now (axe-playwright-python ships axe).

    The page's context must bypass our Content-Security-Policy, which refuses the injected script.
    """
    import axe_playwright_python

    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).with_name("axe.min.js")))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["html"][:120] for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in impacts
    ]
