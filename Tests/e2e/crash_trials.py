"""Crash trials: the server is killed with SIGKILL while concurrent clients write,
then started again; every write it acknowledged must be there, whole.

    python3 Tests/e2e/crash_trials.py sqlite 100            # many trials (scripts/crash-trials)
    python3 Tests/e2e/crash_trials.py postgres 100          # needs THAW_TEST_POSTGRES_URL

test_crash_durability.py runs a few of each in the test suite.
"""
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASSWORD = "crash trials password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def thaw(binary, *args, env=None):
    result = subprocess.run([binary, *args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise RuntimeError(f"thaw {' '.join(args)}: {result.stderr}")
    return result.stdout.strip()


def fresh_database(backend, directory):
    """A new database: a SQLite file, or a new PostgreSQL database on the test cluster."""
    if backend == "sqlite":
        return os.path.join(directory, f"crash-{uuid.uuid4().hex}.sqlite")
    base = os.environ.get("THAW_TEST_POSTGRES_URL")
    if not base:
        raise RuntimeError("THAW_TEST_POSTGRES_URL is not set (scripts/postgres-test-cluster start)")
    name = "crash_" + uuid.uuid4().hex
    subprocess.run(["psql", base, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def drop_database(backend, url):
    if backend == "postgres":
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        subprocess.run(["psql", os.environ["THAW_TEST_POSTGRES_URL"], "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                       capture_output=True)
    else:
        for suffix in ["", "-wal", "-shm"]:
            try:
                os.remove(url + suffix)
            except FileNotFoundError:
                pass


def serve(binary, url, port):
    process = subprocess.Popen([binary, "serve", "--database", url, "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} while starting")
        try:
            if requests.get(base + "/readyz", timeout=1).status_code == 200:
                return process, base
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not become ready")


def bootstrap(binary, url):
    """A clinic with a navigator, a housing partner with a service, and tokens."""
    thaw(binary, "migrate", "--database", url)
    clinic = thaw(binary, "organization", "add", "--database", url, "--name", "Clinic", "--sector", "primary-care")
    housing = thaw(binary, "organization", "add", "--database", url, "--name", "Housing", "--sector", "social-care")
    env = {"THAW_PASSWORD": PASSWORD}
    thaw(binary, "user", "add", "--database", url, "--organization", clinic, "--email", "nav@clinic.test", "--name", "N",
         "--roles", "navigator", env=env)
    thaw(binary, "user", "add", "--database", url, "--organization", housing, "--email", "staff@housing.test", "--name", "S",
         "--roles", "partner-staff", env=env)
    navigator = thaw(binary, "token", "create", "--database", url, "--email", "nav@clinic.test").splitlines()[-1]
    staff = thaw(binary, "token", "create", "--database", url, "--email", "staff@housing.test").splitlines()[-1]
    return clinic, housing, navigator, staff


def writer(base, navigator, housing, service, stop, acknowledged, lock, seed):
    """Writes until told to stop: a client, its consent, a referral; records what was acknowledged."""
    rng = random.Random(seed)
    headers = {"Authorization": "Bearer " + navigator}
    session = requests.Session()
    while not stop.is_set():
        try:
            name = f"w{seed}-{rng.randrange(1 << 30)}"
            reply = session.post(base + "/api/v1/clients", json={"givenName": name, "familyName": "Crash"}, headers=headers, timeout=5)
            if reply.status_code != 201:
                continue
            client = reply.json()["id"]
            with lock:
                acknowledged.append(("client", client, name))
            reply = session.post(base + f"/api/v1/clients/{client}/consents", headers=headers, timeout=5,
                                 json={"grantee": {"organizationId": housing}, "scopes": ["contact", "notes"], "purpose": "referral"})
            if reply.status_code != 201:
                continue
            key = uuid.uuid4().hex
            reply = session.post(base + "/api/v1/referrals", headers={**headers, "Idempotency-Key": key}, timeout=5,
                                 json={"clientId": client, "serviceId": service, "needCategory": "housing", "note": name})
            if reply.status_code == 201:
                with lock:
                    acknowledged.append(("referral", reply.json()["id"], name))
        except (requests.ConnectionError, requests.Timeout):
            return


def trial(binary, backend, directory, rng, writers=8):
    """One trial; returns (acknowledged writes, missing after restart)."""
    url = fresh_database(backend, directory)
    try:
        clinic, housing, navigator, staff = bootstrap(binary, url)
        port = free_port()
        process, base = serve(binary, url, port)
        admin = {"Authorization": "Bearer " + staff}
        service = requests.post(base + "/api/v1/services", headers=admin, timeout=10, json={
            "name": "Rehousing", "description": "", "needCategories": ["housing"], "eligibility": "", "areaServed": "",
            "languages": ["en"], "capacity": "accepting"}).json()["id"]
        stop, lock, acknowledged = threading.Event(), threading.Lock(), []
        threads = [threading.Thread(target=writer, args=(base, navigator, housing, service, stop, acknowledged, lock, rng.randrange(1 << 30)))
                   for _ in range(writers)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.5, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        stop.set()
        for t in threads:
            t.join(timeout=10)
        process, base = serve(binary, url, port)
        try:
            missing = []
            headers = {"Authorization": "Bearer " + navigator}
            for kind, record, name in acknowledged:
                path = f"/api/v1/clients/{record}" if kind == "client" else f"/api/v1/referrals/{record}"
                reply = requests.get(base + path, headers=headers, timeout=10)
                body = reply.json() if reply.status_code == 200 else {}
                whole = body.get("client", {}).get("givenName") == name if kind == "client" else body.get("referral", {}).get("note") == name
                if reply.status_code != 200 or not whole:
                    missing.append((kind, record, reply.status_code))
            return len(acknowledged), missing
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    finally:
        drop_database(backend, url)


def run_trials(binary, backend, trials, directory, seed=20261205, report=print):
    rng = random.Random(seed)
    total, lost = 0, []
    for number in range(1, trials + 1):
        acknowledged, missing = trial(binary, backend, directory, rng)
        total += acknowledged
        lost += missing
        report(f"{backend} trial {number}/{trials}: {acknowledged} acknowledged writes, {len(missing)} missing after SIGKILL and restart")
    return total, lost


if __name__ == "__main__":
    backend = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    trials = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    binary = os.environ.get("THAW_BIN") or os.path.join(ROOT, ".build", "release", "thaw")
    import tempfile
    with tempfile.TemporaryDirectory() as directory:
        total, lost = run_trials(binary, backend, trials, directory)
    print(f"{backend}: {trials} trials, {total} acknowledged writes, {len(lost)} lost")
    sys.exit(1 if lost else 0)
