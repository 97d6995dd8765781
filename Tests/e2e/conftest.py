"""Shared helpers for the end-to-end tests: they run the real `thaw` binary."""
import contextlib
import os
import signal
import pathlib
import socket
import subprocess

import pytest

import deployment

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def thaw_bin():
    """The debug `thaw` binary, built by scripts/test before pytest runs."""
    path = os.environ.get("THAW_BIN") or str(ROOT / ".build" / "debug" / "thaw")
    assert os.path.exists(path), f"build thaw first (swift build): {path} is missing"
    return path


@pytest.fixture(scope="session", autouse=True)
def demo_template_dropped():
    """The PostgreSQL databases the deployment tests made are dropped when the run ends."""
    yield
    for url in CLUSTER_DATABASES.values():
        deployment.drop_database(url.rsplit("/", 1)[-1])
    deployment.drop_demo_template()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base, process, timeout=60):
    deployment.wait_for(base, "/healthz", process, timeout)


def run(thaw_bin, *args, env=None, check=True):
    # Run as deployed (THAW_E2E_DEPLOYMENT=cluster), a test's database file stands for the PostgreSQL database made for it.
    args = [CLUSTER_DATABASES.get(arg, arg) if i > 0 and args[i - 1] == "--database" else arg for i, arg in enumerate(args)]
    result = subprocess.run([thaw_bin, *args], capture_output=True, text=True, timeout=120,
                            env={**os.environ, **(env or {})})
    if check:
        assert result.returncode == 0, f"thaw {' '.join(args)} failed: {result.stderr}"
    return result


# A test's SQLite path -> the PostgreSQL database standing for it, when the suite runs as deployed.
CLUSTER_DATABASES = {}


@contextlib.contextmanager
def demo_server(thaw_bin, db, *extra):
    """A `thaw demo` on a free port over the SQLite file `db` (with `extra` options): yields its base URL, stops it after.

    With THAW_E2E_DEPLOYMENT=cluster, the demo network is on PostgreSQL instead, served by several
    `thaw serve` processes behind nginx (deployment.py), and the base URL is nginx's."""
    if deployment.CLUSTER:
        # The database outlives the servers, as the file does (a test may read it after); the run's end drops it.
        name = deployment.demo_database(thaw_bin)
        CLUSTER_DATABASES[db] = deployment.database_url(name)
        with deployment.cluster(thaw_bin, CLUSTER_DATABASES[db], db + ".cluster", *extra) as (base, _):
            yield base
        return
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The server's log goes beside its database, for a failing test to be read.
    with open(db + ".log", "w") as log:
        process = subprocess.Popen([thaw_bin, "demo", "--port", str(port), "--file", db, *extra], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_healthy(base, process)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
