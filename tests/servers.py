"""Real servers for the several-machines tests, each started on a free port of 127.0.0.1 and removed
afterwards: Redis (Debian's redis-server) and an S3-compatible store (moto's standalone server,
requirements-dev.txt). Without one, its tests are skipped, but not on CI (`CI` set): there they must run.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

STARTUP_SECONDS = 30


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(what, hint):
    reason = f"{what} is not installed ({hint})"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: these tests cannot run on CI", pytrace=False)
    pytest.skip(f"{reason}: tests skipped")


def redis_url(tmp_dir):
    """Yields redis://127.0.0.1:<port>/0 of a fresh redis-server that keeps nothing on disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server", "apt-get install redis-server")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*command, "--dir", str(tmp_dir)], stdout=subprocess.DEVNULL)  # noqa: S603
    with stopped_afterwards(process):
        _wait_for_port(port, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"


def s3_url():
    """Yields the endpoint URL of moto's standalone S3-compatible server."""
    try:
        import flask  # noqa: F401 - the server needs it
        import moto.server  # noqa: F401
    except ImportError:
        missing("moto's server", "pip install -r requirements-dev.txt")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and dev dependency
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with stopped_afterwards(process):
        _wait_for_port(port, process, "moto's S3 server")
        yield f"http://127.0.0.1:{port}"


@contextmanager
def stopped_afterwards(process):
    """Stops the server process when the block ends, however it ends."""
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_port(port, process, name):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited at start (code {process.returncode})", pytrace=False)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{name} did not listen on port {port} within {STARTUP_SECONDS} s", pytrace=False)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    yield from redis_url(tmp_path_factory.mktemp("redis"))


@pytest.fixture(scope="session")
def s3_server():
    yield from s3_url()


def use_redis(settings, url):
    """The settings REDIS_URL gives (config/settings/base.py), on an empty Redis."""
    from django.core.cache import cache

    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()


@pytest.fixture(params=["one machine", "redis"])
def each_cache(request, settings):
    """One test, on the one-machine cache (with the rate limits in the database) and on Redis."""
    if request.param == "redis":
        use_redis(settings, request.getfixturevalue("redis_server"))
        yield request.param
        from django.core.cache import cache

        cache.clear()
    else:
        yield request.param
