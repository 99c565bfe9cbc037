"""Run a command against a throwaway PostgreSQL cluster: started here, deleted when the command ends.

    .venv/bin/python tests/with_postgres.py .venv/bin/pytest [ARGS...]

It finds PostgreSQL's server programs (PostgreSQL 15 preferred; PG_BIN=/path/to/bin overrides),
creates a cluster in a temporary folder, starts it on a free port of 127.0.0.1, runs the command
with DATABASE_URL pointing at it, then stops the cluster and deletes the folder, whatever happened.
The exit status is the command's.

initdb refuses to run as root, so as root the cluster belongs to the `postgres` user (Debian's
package creates it). Without PostgreSQL it says so and exits 0, except under CI (CI set), where a
suite that silently ran on one database only would be a false pass.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

WANTED_VERSION = "15"
MISSING = f"PostgreSQL {WANTED_VERSION} not installed (apt-get install -y postgresql-{WANTED_VERSION})"


def main(command):
    if not command:
        sys.exit(__doc__)
    bin_dir = find_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI"):
            sys.exit(f"error: {MISSING}: on CI the tests must run on PostgreSQL too")
        print(f"skipped: {MISSING}", file=sys.stderr)
        sys.exit(0)
    # A SIGTERM (a CI timeout, say) must still stop the command and run the clean-up below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    with cluster(bin_dir) as url:
        print(f"PostgreSQL from {bin_dir} at {url}", file=sys.stderr, flush=True)
        sys.exit(run_command(command, {**os.environ, "DATABASE_URL": url}))


def run_command(command, env):
    child = subprocess.Popen(command, env=env)  # noqa: S603 - the command our caller gave
    try:
        return child.wait()
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def find_bin_dir():
    if os.environ.get("PG_BIN"):
        bin_dir = Path(os.environ["PG_BIN"])
        if not (bin_dir / "initdb").exists():
            sys.exit(f"PG_BIN={bin_dir} has no initdb.")
        return bin_dir
    found = {
        Path(initdb).parent.parent.name: Path(initdb).parent for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb")
    }
    if WANTED_VERSION in found:
        return found[WANTED_VERSION]
    # A newer server is better than none on a workstation; CI installs the wanted one (.ci/run).
    newer = sorted((int(version), path) for version, path in found.items() if version.isdigit())
    newer = [path for version, path in newer if version > int(WANTED_VERSION)]
    return newer[-1] if newer else None


@contextlib.contextmanager
def cluster(bin_dir):
    """Yields the URL of a fresh cluster's `postgres` database; stops and deletes the cluster after."""
    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="echowall-pg-"))
    data, log = folder / "data", folder / "server.log"
    user = as_user("postgres") if as_root else []
    pg_ctl = [*user, str(bin_dir / "pg_ctl"), "-D", str(data)]
    started = False
    try:
        if as_root:
            shutil.chown(folder, "postgres", "postgres")
        _run([*user, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--locale=C.UTF-8"])  # fmt: skip
        port = free_port()
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = True
        _run([*pg_ctl, "-w", "-l", str(log), "-o", options, "start"], log=log)
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            _run([*pg_ctl, "-m", "immediate", "stop"], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _run(args, check=True, log=None):
    """Runs one of PostgreSQL's programs quietly; if it fails, shows what it (and the server log) said."""
    done = subprocess.run(args, capture_output=True, text=True)  # noqa: S603 - PostgreSQL's own programs
    if check and done.returncode:
        print(done.stdout, done.stderr, log.read_text(errors="replace")[-3000:] if log and log.exists() else "",
              sep="\n", file=sys.stderr)  # fmt: skip
        raise subprocess.CalledProcessError(done.returncode, args)


def as_user(name):
    for tool in (["runuser", "-u", name, "--"], ["setpriv", "--reuid", name, "--regid", name, "--init-groups"]):
        if shutil.which(tool[0]):
            return tool
    sys.exit("Running as root, but neither runuser nor setpriv is there to start PostgreSQL as postgres.")


def free_port():
    # Another process could take it before PostgreSQL binds it; rare enough on a test machine.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    main(sys.argv[1:])
