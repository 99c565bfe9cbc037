"""Security headers on every public page, and Django's deployment check clean with the production
settings (CSP, HSTS, referrer policy, frame options: DESIGN.md's "privacy under attack")."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("path", ["/", "/wall/", "/post/new/", "/search/?q=热水", "/track/"])
def test_public_pages_forbid_foreign_and_inline_scripts_and_framing(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_admin_keeps_its_own_inline_scripts_working(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200 and "Content-Security-Policy" not in response


def test_the_deployment_check_passes_with_the_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-value-for-this-check-only-" + "x" * 30,
        "ALLOWED_HOSTS": "wall.example.edu",
        "ECHOWALL_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
