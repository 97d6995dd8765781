"""Thaw as a large network deploys it: PostgreSQL, several `thaw serve` processes, and
Debian's nginx in front of them. Used by the cluster tests, and by the whole end-to-end
suite when THAW_E2E_DEPLOYMENT=cluster (scripts/test runs it so after the single-process run).

The nginx configuration is the one the README gives, with this run's ports and folder.
"""
import contextlib
import os
import pathlib
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CLUSTER = os.environ.get("THAW_E2E_DEPLOYMENT") == "cluster"
PROCESSES = 3


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_url():
    url = os.environ.get("THAW_TEST_POSTGRES_URL")
    assert url, "THAW_TEST_POSTGRES_URL is required (scripts/test starts a private PostgreSQL)"
    return url


def database_url(name):
    parts = urllib.parse.urlsplit(admin_url())
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def psql(sql, url=None):
    subprocess.run(["psql", url or admin_url(), "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)


def query(url, sql):
    """One value from PostgreSQL, as text ('' for none)."""
    result = subprocess.run(["psql", url, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True)
    return result.stdout.strip()


def create_database(template=None):
    require_deployment()
    name = "thaw_e2e_" + uuid.uuid4().hex[:16]
    psql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return name


def drop_database(name):
    subprocess.run(["psql", admin_url(), "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


_demo_template = None


def demo_database(thaw_bin):
    """A fresh PostgreSQL database holding the demo network: a copy of one loaded once per session
    (loading it takes a minute on PostgreSQL; copying it, a moment)."""
    global _demo_template
    require_deployment()
    if _demo_template is None:
        name = create_database()
        result = subprocess.run([thaw_bin, "demo", "--postgres", database_url(name), "--load-only"],
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        _demo_template = name
    return create_database(template=_demo_template)


def drop_demo_template():
    global _demo_template
    if _demo_template is not None:
        drop_database(_demo_template)
        _demo_template = None


def wait_for(base, path, process=None, timeout=60):
    """Polls `path` (/healthz: the process answers; /readyz: its database too) until it answers 200."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"server exited early with {process.returncode}")
        try:
            if requests.get(base + path, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{base}{path} did not answer 200 within {timeout} s")


def wait_ready(base, process=None, timeout=60):
    wait_for(base, "/readyz", process, timeout)


def serve(thaw_bin, url, port, log_path, *extra):
    with open(log_path, "a") as log:
        return subprocess.Popen([thaw_bin, "serve", "--database", url, "--port", str(port), *extra],
                                stdout=log, stderr=subprocess.STDOUT)


def readme_nginx_config():
    text = README.read_text()
    start = text.index("```nginx\n") + len("```nginx\n")
    return text[start:text.index("```", start)]


def nginx_config(port, upstreams, folder):
    text = readme_nginx_config()
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in upstreams)
    readme_servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in (8081, 8082, 8083))
    assert readme_servers in text and "listen 80;" in text and "/var/lib/thaw-nginx" in text, "the README's nginx configuration changed shape"
    return (text.replace(readme_servers, servers).replace("listen 80;", f"listen 127.0.0.1:{port};")
            .replace("/var/lib/thaw-nginx", str(folder)))


def require_deployment():
    """Skips loudly where nginx or PostgreSQL is missing; fails where CI requires them (THAW_REQUIRE_POSTGRES)."""
    missing = [what for what, present in (("nginx", shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")),
                                          ("PostgreSQL (THAW_TEST_POSTGRES_URL)", os.environ.get("THAW_TEST_POSTGRES_URL")),
                                          ("psql", shutil.which("psql"))) if not present]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: THE DEPLOYMENT TESTS DID NOT RUN (apt-get install nginx postgresql; scripts/test)"
    if os.environ.get("THAW_REQUIRE_POSTGRES") == "1" or os.environ.get("CI"):
        pytest.fail(message)
    print("\n" + "!" * 100 + "\n" + message + "\n" + "!" * 100)
    pytest.skip(message)


@contextlib.contextmanager
def nginx(upstreams):
    """nginx in the foreground with the README's configuration, in a folder of its own that its
    workers (another user, when the tests run as root) can reach."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.path.exists(binary), "nginx is required for the cluster tests (apt-get install nginx)"
    folder = pathlib.Path(tempfile.mkdtemp(prefix="thaw-nginx-"))
    folder.chmod(0o755)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(nginx_config(port, upstreams, folder))
    process = subprocess.Popen([binary, "-c", str(config), "-p", str(folder), "-e", str(folder / "error.log"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 20
        while True:
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.ConnectionError:
                assert process.poll() is None, (folder / "error.log").read_text()
                assert time.time() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


class Cluster:
    """Several `thaw serve` processes on one PostgreSQL database behind nginx."""

    def __init__(self, thaw_bin, url, folder, extra):
        self.thaw_bin, self.url, self.folder, self.extra = thaw_bin, url, pathlib.Path(folder), list(extra)
        self.ports = [free_port() for _ in range(PROCESSES)]
        self.processes = {}

    def start(self, index):
        port = self.ports[index]
        self.processes[index] = serve(self.thaw_bin, self.url, port, self.folder / f"thaw-{index}.log", *self.extra)
        wait_ready(f"http://127.0.0.1:{port}", self.processes[index])

    def direct(self, index):
        """One process's own address, bypassing nginx."""
        return f"http://127.0.0.1:{self.ports[index]}"

    def kill(self, index):
        self.processes[index].send_signal(signal.SIGKILL)
        self.processes[index].wait()

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def cluster(thaw_bin, url, folder, *extra):
    """Yields (nginx's base URL, the Cluster) for `url`, a PostgreSQL database already holding its data."""
    require_deployment()
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # The processes hear who the client is from nginx (sign-in throttling counts per client address).
    servers = Cluster(thaw_bin, url, folder, ("--trusted-proxy", "127.0.0.1", *extra))
    try:
        for index in range(PROCESSES):
            servers.start(index)
        with nginx(servers.ports) as base:
            yield base, servers
    finally:
        servers.stop()


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own, to stop and restart under a running server."""

    def __init__(self):
        require_deployment()
        self.bin = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()])[-1]
        # A folder of its own that the `postgres` user can reach (a test's tmp_path may not be, as root).
        self.folder = pathlib.Path(tempfile.mkdtemp(prefix="thaw-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://thaw@127.0.0.1:{self.port}/postgres"
        if os.getuid() == 0:
            self.folder.chmod(0o755)
            shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-U", "thaw", "--auth=trust", "-E", "UTF8"])

    def _as_postgres(self, command):
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def _ctl(self, *args):
        self._as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", *args])

    def start(self):
        self._ctl("-o", f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1", "start")

    def restart(self):
        """A fast restart: open connections are ended, as an operator's restart ends them."""
        self._ctl("-m", "fast", "-o", f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1", "restart")

    def stop(self):
        try:
            self._ctl("-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def housing_service(base, staff_token):
    """A service of the housing partner's, made by its staff (`crash_trials.bootstrap` makes both)."""
    answer = requests.post(base + "/api/v1/services", headers={"Authorization": "Bearer " + staff_token}, timeout=10, json={
        "name": "Rehousing", "description": "", "needCategories": ["housing"], "eligibility": "", "areaServed": "",
        "languages": ["en"], "capacity": "accepting"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


class Writers:
    """Clients writing as a navigator would, until stopped, and retrying what a dying process or
    database left unanswered (a 502 from nginx, a 503 with Retry-After from Thaw, a dropped
    connection): a client, its consent, then a referral under an Idempotency-Key, so a retried
    referral is made once. What was acknowledged is kept to be checked afterwards."""

    def __init__(self, base, navigator, housing, service, threads=6):
        self.base, self.navigator, self.housing, self.service = base, navigator, housing, service
        self.acknowledged, self.outcomes, self.lock, self._stop = [], [], threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self._write, args=(seed,), daemon=True) for seed in range(threads)]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self._stop.set()
        for thread in self.threads:
            thread.join(timeout=90)

    def _post(self, session, path, body, headers=None):
        for _ in range(40):
            try:
                reply = session.post(self.base + path, json=body, headers=headers or {}, timeout=10)
            except requests.RequestException:
                self.outcomes.append("connection")
                time.sleep(0.25)
                continue
            self.outcomes.append(reply.status_code)
            if reply.status_code in (502, 503):
                assert reply.status_code == 502 or reply.headers.get("Retry-After"), reply.text
                time.sleep(0.25)
                continue
            return reply
        return None

    def _write(self, seed):
        rng = random.Random(seed)
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + self.navigator
        while not self._stop.is_set():
            name = f"w{seed}-{rng.randrange(1 << 30)}"
            reply = self._post(session, "/api/v1/clients", {"givenName": name, "familyName": "Deployed"})
            if reply is None or reply.status_code != 201:
                continue
            client = reply.json()["id"]
            consent = {"grantee": {"organizationId": self.housing}, "scopes": ["contact"], "purpose": "referral"}
            if self._post(session, f"/api/v1/clients/{client}/consents", consent) is None:
                continue
            referral = {"clientId": client, "serviceId": self.service, "needCategory": "housing", "note": name}
            reply = self._post(session, "/api/v1/referrals", referral, {"Idempotency-Key": uuid.uuid4().hex})
            # 200: a retry found the referral its first attempt made (Idempotency-Replayed).
            if reply is not None and reply.status_code in (200, 201):
                with self.lock:
                    self.acknowledged.append((reply.json()["id"], name))

    def verify(self, base, url):
        """Every acknowledged referral is there, whole, and no retry made one twice."""
        reader = requests.Session()
        reader.headers["Authorization"] = "Bearer " + self.navigator
        for referral, note in self.acknowledged:
            answer = reader.get(base + f"/api/v1/referrals/{referral}", timeout=10)
            assert answer.status_code == 200 and answer.json()["referral"]["note"] == note, (referral, answer.status_code)
        twice = query(url, "SELECT count(*) FROM (SELECT note FROM referrals GROUP BY note HAVING count(*) > 1) AS t")
        assert twice == "0", "a retried referral was made twice"
