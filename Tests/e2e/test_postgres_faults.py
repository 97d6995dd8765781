"""PostgreSQL going away under a running server: at start (the server answers /healthz and
says in /readyz why it is not ready), and restarted under load (requests in flight get 503 with
Retry-After, /readyz fails, the server reconnects by itself, and nothing acknowledged is lost).
The database is a private PostgreSQL of this test's own, so it can be stopped and restarted."""
import signal
import threading
import time

import requests

import deployment
from crash_trials import bootstrap


def test_the_server_waits_for_postgresql_and_rides_out_its_restart(thaw_bin, tmp_path):
    postgres = deployment.PrivatePostgres()
    port = deployment.free_port()
    base = f"http://127.0.0.1:{port}"
    server = deployment.serve(thaw_bin, postgres.url, port, tmp_path / "thaw.log")
    try:
        # Not yet reachable: alive, not ready, and saying why; requests are refused with a time to retry.
        deadline = time.time() + 20
        while True:
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None and time.time() < deadline, (tmp_path / "thaw.log").read_text()
            time.sleep(0.1)
        ready = requests.get(base + "/readyz", timeout=5)
        assert ready.status_code == 503 and "cannot be reached" in ready.text, ready.text
        refused = requests.get(base + "/api/v1/referrals", timeout=5)
        assert refused.status_code == 503 and refused.headers.get("Retry-After") == "1"
        assert refused.json()["type"].endswith("database-unavailable")

        # The database comes up: the server reaches it, migrates and serves, without a restart of its own.
        postgres.start()
        deployment.wait_ready(base, server, timeout=60)
        _, housing, navigator, staff = bootstrap(thaw_bin, postgres.url)
        writers = deployment.Writers(base, navigator, housing, deployment.housing_service(base, staff))

        # Restarted under load: watched from outside the whole time.
        readiness, watching = [], threading.Event()

        def watch():
            while not watching.is_set():
                try:
                    readiness.append(requests.get(base + "/readyz", timeout=2).status_code)
                except requests.RequestException:
                    readiness.append("connection")
                time.sleep(0.05)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        time.sleep(2)
        before_restart = len(writers.acknowledged)
        postgres.restart()
        after_restart = len(writers.acknowledged)
        deployment.wait_ready(base, server, timeout=60)
        time.sleep(3)
        writers.stop()
        watching.set()
        watcher.join()

        assert server.poll() is None, "the server stopped"
        assert 503 in readiness and readiness[-1] == 200, readiness
        assert 503 in writers.outcomes, "no request was in flight during the restart"
        assert 500 not in writers.outcomes and set(writers.outcomes) <= {200, 201, 503}, set(writers.outcomes)
        assert before_restart > 0 and len(writers.acknowledged) > after_restart, "the server did not serve again"
        writers.verify(base, postgres.url)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        postgres.stop()
