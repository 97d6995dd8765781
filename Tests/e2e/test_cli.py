"""The `thaw` command line, run as a real process: help, bootstrap of a fresh
database, tokens, export, the demo, graceful shutdown and data surviving a
restart."""
import json
import signal
import subprocess

import requests

from conftest import free_port, run, wait_healthy

COMMANDS = [[], ["serve"], ["migrate"], ["demo"], ["organization"], ["organization", "add"], ["organization", "list"],
            ["user"], ["user", "add"], ["token"], ["token", "create"], ["token", "revoke"], ["export"], ["export", "activity"],
            ["climate"], ["climate", "changepoints"], ["climate", "network"], ["climate", "report"], ["climate", "rebuild"], ["simulate"]]


def test_every_command_has_help(thaw_bin):
    for command in COMMANDS:
        result = run(thaw_bin, *command, "--help")
        assert "USAGE:" in result.stdout, command
    assert "--database" in run(thaw_bin, "serve", "--help").stdout


def test_bootstrap_a_fresh_database_from_the_command_line(thaw_bin, tmp_path):
    db = str(tmp_path / "fresh.sqlite")
    assert "applied migrations: 1, 2" in run(thaw_bin, "migrate", "--database", db).stdout
    assert "up to date" in run(thaw_bin, "migrate", "--database", db).stdout
    org = run(thaw_bin, "organization", "add", "--database", db, "--name", "Hosting Org", "--sector", "health-system").stdout.strip()
    assert org.startswith("org_")
    bad = run(thaw_bin, "organization", "add", "--database", db, "--name", "X", "--sector", "hospital", check=False)
    assert bad.returncode != 0 and "unknown sector" in bad.stderr
    short = run(thaw_bin, "user", "add", "--database", db, "--organization", org, "--email", "a@b.org", "--name", "A",
                "--roles", "administrator", env={"THAW_PASSWORD": "short"}, check=False)
    assert short.returncode != 0
    added = run(thaw_bin, "user", "add", "--database", db, "--organization", org, "--email", "admin@hosting.org",
                "--name", "Ada", "--roles", "administrator", env={"THAW_PASSWORD": "a sufficiently long password"})
    assert "admin@hosting.org" in added.stdout
    token = run(thaw_bin, "token", "create", "--database", db, "--email", "admin@hosting.org").stdout.strip().splitlines()[-1]
    assert token.startswith("thaw_")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([thaw_bin, "serve", "--database", db, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_healthy(base, server)
        me = requests.get(base + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["user"]["email"] == "admin@hosting.org"
        signed_in = requests.post(base + "/api/v1/auth/sign-in",
                                  json={"email": "admin@hosting.org", "password": "a sufficiently long password"})
        assert signed_in.status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0, "graceful shutdown on SIGTERM should exit 0"

    lines = run(thaw_bin, "export", "activity", "--database", db).stdout.splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["kind"] for e in entries] == ["organization.created", "user.created", "token.created"]
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    assert entries[0]["actorOrganizationId"] == org


def test_demo_serves_prints_sign_ins_and_keeps_data_across_a_restart(thaw_bin, tmp_path):
    db = str(tmp_path / "demo.sqlite")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    demo = subprocess.Popen([thaw_bin, "demo", "--port", str(port), "--file", db],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        wait_healthy(base, demo)
        navigator = requests.Session()
        signed_in = navigator.post(base + "/api/v1/auth/sign-in",
                                   json={"email": "navigator@riverside-fht.demo", "password": "thaw-demo-password"})
        assert signed_in.status_code == 200
        csrf = signed_in.json()["csrfToken"]
        caseload = navigator.get(base + "/api/v1/referrals?view=caseload&limit=200").json()["items"]
        statuses = {item["referral"]["status"] for item in caseload}
        assert {"requested", "accepted", "in-progress", "completed", "rejected", "cancelled"} <= statuses
        referral = next(i for i in caseload if i["referral"]["status"] == "in-progress")["referral"]
        # A live-update stream is open while the message is sent, and stays open through SIGTERM below.
        events = navigator.get(base + "/events", stream=True, timeout=10)
        assert events.headers["Content-Type"].startswith("text/event-stream")
        lines = events.iter_lines(decode_unicode=True)
        sent = navigator.post(base + f"/api/v1/referrals/{referral['id']}/messages", json={"body": "Checking in"},
                              headers={"X-CSRF-Token": csrf})
        assert sent.status_code == 201
        seen = [next(lines) for _ in range(6)]
        assert "event: referral" in seen and f'data: {{"referral":"{referral["id"]}"}}' in seen
        assert requests.get(base + "/readyz").status_code == 200
        assert "thaw_http_requests_total" in requests.get(base + "/metrics").text
    finally:
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=20) == 0
    out = demo.stdout.read()
    assert "navigator@riverside-fht.demo" in out and "thaw-demo-password" in out and f"127.0.0.1:{port}" in out

    # A new process on the same file still has the message sent before the restart.
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([thaw_bin, "serve", "--database", db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(base, server)
        s = requests.Session()
        s.post(base + "/api/v1/auth/sign-in", json={"email": "navigator@riverside-fht.demo", "password": "thaw-demo-password"})
        messages = s.get(base + f"/api/v1/referrals/{referral['id']}/messages").json()["items"]
        assert "Checking in" in [m["body"] for m in messages]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def test_simulate_scores_recovery_and_report_reads_it_back(thaw_bin, tmp_path):
    """`thaw simulate` plants regimes through the store and scores their recovery;
    `thaw climate report` and its CSV read the same database."""
    db = str(tmp_path / "sim.sqlite")
    plan = tmp_path / "plan.json"
    out = run(thaw_bin, "simulate", "--database", db, "--organizations", "8", "--partners", "2", "--weeks", "104",
              "--noise", "0.1", "--seed", "5", "--plan-out", str(plan)).stdout
    assert "precision" in out and "recall" in out, out
    pairs = json.loads(plan.read_text())["pairs"]
    assert len(pairs) >= 4 and all(len(p["organizations"]) == 2 for p in pairs)
    report = run(thaw_bin, "climate", "report", "--database", db, "--from", "2021-01", "--to", "2023-01").stdout
    assert "Network, month by month:" in report and "2022-12-01" in report, report
    ties = run(thaw_bin, "climate", "report", "--database", db, "--from", "2021-01", "--to", "2023-01", "--csv", "ties").stdout
    assert ties.splitlines()[0] == "period start,organisation a,organisation b,interactions,index"
    assert len(ties.splitlines()) == len(pairs) + 1            # every simulated pair was in contact in December 2022
    a, b = pairs[0]["organizations"]
    pair = run(thaw_bin, "climate", "report", "--database", db, "--from", "2021-01", "--to", "2023-01", "--csv", "pair",
               "--pair", a, "--pair", b).stdout
    assert len(pair.splitlines()) == 1 + 24                    # a row per month
    for args, words in [(["simulate", "--noise", "2"], "--noise"), (["simulate", "--organizations", "1"], "--organizations"),
                        (["simulate", "--start", "2021-02-30"], "--start"), (["climate", "report", "--weights", "reciprocity:-1"], "from 0 to 1000"),
                        (["climate", "report", "--period", "fortnight"], "week or month"), (["climate", "report", "--from", "2021-13"], "--from"),
                        (["climate", "report", "--csv", "pair"], "--pair")]:
        bad = run(thaw_bin, *args, "--database", db, check=False)
        assert bad.returncode != 0 and words in bad.stderr, (args, bad.stderr)
