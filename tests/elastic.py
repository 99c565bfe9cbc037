"""A real search server for the Elasticsearch backend's tests: osmem-server (requirements-dev.txt),
an in-memory Elasticsearch/OpenSearch-compatible server, started once on 127.0.0.1 with a free port.

ECHOWALL_TEST_ELASTICSEARCH_URL runs the same tests against a cluster of your own instead (each test
works in indexes of its own and deletes them). Without either, the tests are skipped, but not on CI
(`CI` set): there they must run.
"""

import json
import os
import shutil
import subprocess
import threading

import pytest

from tests.servers import stopped_afterwards

STARTUP_SECONDS = 30


def server_url():
    """Yields the URL of a running server; stops it afterwards if it was started here."""
    url = os.environ.get("ECHOWALL_TEST_ELASTICSEARCH_URL")
    if url:
        yield url
        return
    binary = _osmem_binary()
    if binary is None:
        reason = "osmem-server is not installed (pip install -r requirements-dev.txt): Elasticsearch tests skipped"
        if os.environ.get("CI"):
            pytest.fail(reason.replace("skipped", "cannot run on CI"), pytrace=False)
        pytest.skip(reason)
    process = subprocess.Popen(  # noqa: S603 - our own dev dependency's binary
        [binary, "-addr", "127.0.0.1:0", "-no-stdin-watch", "-no-ja", "-parent-pid", str(os.getpid())],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    with stopped_afterwards(process):
        yield _announced_url(process)


def _osmem_binary():
    """The binary the osmem-server wheel bundles (OSMEM_SERVER_BIN overrides it), else one on PATH."""
    try:
        from osmem_server import OsmemError, resolve_binary

        binary = resolve_binary()
    except (ImportError, OsmemError):
        binary = None
    if binary and os.access(binary, os.X_OK):
        return binary
    return shutil.which("osmem-server")


def _announced_url(process):
    # On start the server prints one JSON line, e.g. {"url": "http://127.0.0.1:41423", "pid": ...}.
    # The thread then keeps reading, so that nothing it prints later can fill the pipe and stall it.
    announced = {}
    ready = threading.Event()

    def read():
        for line in process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not ready.is_set() and isinstance(message, dict) and "url" in message:
                announced.update(message)
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(STARTUP_SECONDS):
        process.kill()
        pytest.fail(f"osmem-server did not say where it listens within {STARTUP_SECONDS} s", pytrace=False)
    return announced["url"]
