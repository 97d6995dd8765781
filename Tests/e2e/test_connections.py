"""Slow, idle and strange clients cannot shut others out: the real server with
its connection guard, over real sockets."""
import signal
import socket
import subprocess
import time

import pytest
import requests

from conftest import free_port, run, wait_healthy


def start(thaw_bin, tmp_path, *options):
    db = str(tmp_path / "thaw.sqlite")
    run(thaw_bin, "migrate", "--database", db)
    port = free_port()
    log = open(tmp_path / "server.log", "w+")
    process = subprocess.Popen([thaw_bin, "serve", "--database", db, "--port", str(port), *options],
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, process)
    return base, port, process, log


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def slow_connections(port, count):
    """Connections that have begun a request head and trickle it a byte at a time."""
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.setblocking(False)
        s.send(b"GET /healthz HTTP/1.1\r\nHost: slow\r\nX-Slow: ")
        sockets.append(s)
    return sockets


def trickle(sockets):
    """Sends one more byte on each; returns how many the server has closed."""
    closed = 0
    for s in sockets:
        try:
            s.send(b"a")
            if s.recv(1024) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except (ConnectionResetError, BrokenPipeError, OSError):
            closed += 1
    return closed


def healthz_time(base):
    started = time.monotonic()
    assert requests.get(base + "/healthz", timeout=5).status_code == 200
    return time.monotonic() - started


def test_many_slow_clients_do_not_stop_others_being_answered(thaw_bin, tmp_path):
    base, port, process, _ = start(thaw_bin, tmp_path, "--header-timeout", "3")
    try:
        sockets = slow_connections(port, 1100)
        answers = []
        for _ in range(6):                    # about three seconds of trickling, answering /healthz all the while
            trickle(sockets)
            answers.append(healthz_time(base))
            time.sleep(0.5)
        assert max(answers) < 1.0, f"/healthz took {max(answers):.2f} s under 1,100 slow connections"
        # Past the header timeout, the server has closed every connection still trickling its head.
        time.sleep(2.5)
        closed = trickle(sockets) + trickle(sockets)
        assert closed >= 1000, f"only {closed} of 1,100 slow connections were closed after the header timeout"
        assert healthz_time(base) < 1.0
        for s in sockets:
            s.close()
    finally:
        stop(process)


def test_at_the_connection_limit_a_new_client_takes_the_place_of_an_idle_one(thaw_bin, tmp_path):
    base, port, process, _ = start(thaw_bin, tmp_path, "--max-connections", "50", "--header-timeout", "60")
    try:
        sockets = slow_connections(port, 200)
        time.sleep(0.5)
        # Far more connections than allowed are waiting, none of them finished: newcomers are still answered.
        for _ in range(10):
            assert healthz_time(base) < 1.0
        open_now = len(sockets) - trickle(sockets)
        assert open_now <= 50, f"{open_now} connections stayed open with a limit of 50"
        for s in sockets:
            s.close()
    finally:
        stop(process)


def test_a_stalled_body_is_cut_off_and_connect_is_refused(thaw_bin, tmp_path):
    base, port, process, log = start(thaw_bin, tmp_path, "--idle-timeout", "2")
    try:
        # A body that stops arriving: the connection is closed after the idle timeout.
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.send(b"POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"email\":")
        started = time.monotonic()
        reply = s.recv(4096)
        waited = time.monotonic() - started
        assert waited < 8, f"the stalled body held its connection {waited:.1f} s"
        s.close()
        # CONNECT gets 405 with Allow at once, not a hang.
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.send(b"CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n")
        answer = s.recv(4096).decode()
        assert answer.startswith("HTTP/1.1 405") and "allow:" in answer.lower(), answer
        s.close()
        # A method a path does not answer gets 405 with Allow; a path that does not exist, 404.
        reply = requests.put(base + "/api/v1/referrals", timeout=5)
        assert reply.status_code == 405 and "POST" in reply.headers["Allow"]
        assert requests.put(base + "/api/v1/no-such-thing", timeout=5).status_code == 404
        # A client that gives up mid-body is its own abort: logged as such, never as our error.
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.send(b"POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"e")
        time.sleep(0.3)
        s.close()
        time.sleep(0.5)
        assert healthz_time(base) < 1.0
        log.seek(0)
        text = log.read()
        assert "client aborted the request" in text
        assert "unhandled error" not in text and '"status":"500"' not in text
    finally:
        stop(process)
