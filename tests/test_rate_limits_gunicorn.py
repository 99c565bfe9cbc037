"""Rate limits hold under concurrency: many requests at once, from one address, to gunicorn workers
with production settings and the file cache, are counted exactly (a cache's get-then-set let 39 of
80 through a limit of 30)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.factories import make_accepted_post, make_editor, make_unit
from tests.test_faults import REPO, shared_database_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LIMIT = 30
REQUESTS = 80


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def case():
    return make_accepted_post(make_editor(), make_unit())


@pytest.fixture
def gunicorn(tmp_path, case):
    """Two gunicorn workers of eight threads each on (a copy of) the test's database, with case in it."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "test-only-secret-key-for-the-gunicorn-rate-limit-test-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": shared_database_url(tmp_path),
        "ECHOWALL_CACHE": "file",
        "ECHOWALL_VAR_DIR": str(tmp_path / "var"),
        "ECHOWALL_API_WRITES_PER_IP": str(LIMIT),
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--threads", "8", "--worker-class", "gthread", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=REPO, env=env)  # noqa: S603 - our own interpreter, fixed arguments
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/api/v1/similar?q=x", timeout=5)  # noqa: S310 - our own server
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer within 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(30)


def test_concurrent_follow_ups_from_one_address_stop_exactly_at_the_limit(gunicorn, case):
    url = f"{gunicorn}/api/v1/track/{case.tracking_token}/follow-ups"

    def follow_up(n):
        body = json.dumps({"body": f"补充情况第 {n} 条。"}).encode()
        request = urllib.request.Request(url, body, {"Content-Type": "application/json"}, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        statuses = list(pool.map(follow_up, range(REQUESTS)))

    assert statuses.count(200) == LIMIT, statuses
    assert statuses.count(429) == REQUESTS - LIMIT
    with urllib.request.urlopen(f"{gunicorn}/api/v1/track/{case.tracking_token}", timeout=30) as response:  # noqa: S310
        assert len(json.load(response)["follow_ups"]) == LIMIT  # every accepted one stored
