"""Several machines on one: two gunicorn nodes (production settings, each with its own local folder)
behind Debian's nginx with deploy/nginx/echowall.conf's proxy settings, two `db_worker` task workers,
and the shared services the caller started (PostgreSQL, Redis, Elasticsearch, an S3 store).
Used by tests/test_cluster.py and, for a longer run, bench/cluster.sh.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEPLOY_SITE = REPO / "deploy" / "nginx" / "echowall.conf"
STARTUP_SECONDS = 60
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_missing():
    return not os.access(NGINX, os.X_OK)


class Cluster:
    def __init__(self, folder, ports, services, settings=None):
        """services: DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL and the bucket's settings, as
        environment variables; ports: (nginx, node 1, node 2)."""
        self.folder = Path(folder)
        self.port, *self.node_ports = ports
        self.url = f"http://127.0.0.1:{self.port}"
        self.node_urls = [f"http://127.0.0.1:{port}" for port in self.node_ports]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "cluster-test-secret-key-shared-by-every-node-0123456789abcdef",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "ECHOWALL_TASKS": "database",
            "ECHOWALL_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
            "ECHOWALL_TRUSTED_PROXIES": "1",
            **services,
            **(settings or {}),
        }
        self.nodes, self.workers, self.nginx = [], [], None

    def __enter__(self):
        try:
            self._prepare()
            self.nodes = [self._start_node(n) for n in (0, 1)]
            self.workers = [
                self._start(["manage.py", "db_worker", "--no-reload", "--interval", "0.2"], f"worker{n}")
                for n in (1, 2)
            ]
            self.nginx = self._start_nginx()
            for url in [*self.node_urls, self.url]:
                _wait_until_answering(url)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.nginx:
            subprocess.run(  # noqa: S603 - Debian's nginx, our own configuration
                [NGINX, "-c", str(self.folder / "nginx.conf"), "-s", "stop"], check=False, stderr=subprocess.DEVNULL
            )
        for process in [*self.workers, *self.nodes]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, *self.nodes]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def kill_node(self, number):
        """SIGKILL a node's gunicorn and all its workers, as a machine losing power would."""
        os.killpg(self.nodes[number].pid, signal.SIGKILL)
        self.nodes[number].wait()

    def _node_env(self, number):
        var = self.folder / f"node{number + 1}"
        return {**self.env, "ECHOWALL_VAR_DIR": str(var), "MEDIA_ROOT": str(var / "media")}

    def _prepare(self):
        # What a deployment does once: the search index, and each node's static files.
        env = self._node_env(0)
        for command in (["rebuild_search_index"], ["collectstatic", "--noinput"]):
            subprocess.run(  # noqa: S603 - our own interpreter and manage.py
                [sys.executable, "manage.py", *command, "-v0"], cwd=REPO, env=env, check=True
            )
        shutil.copytree(self.folder / "node1" / "static", self.folder / "node2" / "static", dirs_exist_ok=True)

    def _start_node(self, number):
        command = ["-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.node_ports[number]}"]
        command += ["--workers", "2", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"]
        return self._start(command, f"node{number + 1}", self._node_env(number))

    def _start(self, args, name, env=None):
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 - the process writes it until it ends
        return subprocess.Popen(  # noqa: S603 - our own interpreter and code, fixed arguments
            [sys.executable, *args],
            cwd=REPO,
            env=env or self._node_env(0),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill_node takes gunicorn's workers too
        )

    def _start_nginx(self):
        site = DEPLOY_SITE.read_text()
        upstream_options = re.search(r"server 10\.0\.0\.11:8000 ([^;]*);", site).group(1)
        location = re.search(r"(location / \{.*?\n    \})", site, re.S).group(1)
        servers = "".join(f"server 127.0.0.1:{port} {upstream_options};\n" for port in self.node_ports)
        conf = self.folder / "nginx.conf"
        conf.write_text(f"""
daemon on;
user {_user()};
pid {self.folder}/nginx.pid;
error_log {self.folder}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {self.folder}/nginx-body;
    proxy_temp_path {self.folder}/nginx-proxy;
    upstream echowall {{ {servers} keepalive 32; }}
    server {{
        listen 127.0.0.1:{self.port};
        client_max_body_size 64m;
        # Which node answered, for the test to see both at work.
        add_header X-Echowall-Node $upstream_addr always;
        {location}
    }}
}}
""")
        subprocess.run([NGINX, "-c", str(conf), "-e", str(self.folder / "nginx-error.log")], check=True)  # noqa: S603
        return True


def _user():
    # Run as root (CI), nginx's workers would otherwise be "nobody", who can't write the test's folder.
    import getpass

    return getpass.getuser()


def _wait_until_answering(url):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=5)  # noqa: S310 - our own server
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {STARTUP_SECONDS} s")
