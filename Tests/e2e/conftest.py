"""Shared helpers for the end-to-end tests: they run the real `thaw` binary."""
import contextlib
import os
import signal
import pathlib
import socket
import subprocess
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def thaw_bin():
    """The debug `thaw` binary, built by scripts/test before pytest runs."""
    path = os.environ.get("THAW_BIN") or str(ROOT / ".build" / "debug" / "thaw")
    assert os.path.exists(path), f"build thaw first (swift build): {path} is missing"
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early with {process.returncode}")
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not become healthy")


def run(thaw_bin, *args, env=None, check=True):
    result = subprocess.run([thaw_bin, *args], capture_output=True, text=True, timeout=120,
                            env={**os.environ, **(env or {})})
    if check:
        assert result.returncode == 0, f"thaw {' '.join(args)} failed: {result.stderr}"
    return result


@contextlib.contextmanager
def demo_server(thaw_bin, db, *extra):
    """A `thaw demo` on a free port over the SQLite file `db` (with `extra` options): yields its base URL, stops it after."""
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
