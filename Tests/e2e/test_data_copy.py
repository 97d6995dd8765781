"""`thaw data copy`: a SQLite installation into an empty PostgreSQL database, verified table
by table; then the copy, served, answers every API read as the original does."""
import re
import signal

import requests

import deployment
from conftest import free_port, run
from test_boundary_sweep import ROLES, operations, real_ids

# What differs between two servers by nature, not by data: the tokens this test made on each
# (their ids and secrets), and the access log, whose newest entries are this test's own reads.
# The live-update stream never ends, and says nothing until something changes.
# Tokens and the access log are each installation's own; the .qdpx is an archive stamped with the time it was made.
NOT_COMPARED = ("/api/v1/tokens", "/api/v1/access-log", "/api/v1/events", "/api/v1/evaluation/qdpx")


def undated(body):
    """A report or climate package without the moment it was made (each read makes it anew)."""
    if isinstance(body, dict):
        return {key: undated(value) for key, value in body.items() if key != "generatedAt"}
    return body


def test_a_sqlite_installation_copied_to_postgresql_answers_every_read_the_same(thaw_bin, tmp_path):
    source = str(tmp_path / "source.sqlite")
    run(thaw_bin, "demo", "--file", source, "--load-only")
    name = deployment.create_database()
    target = deployment.database_url(name)
    try:
        copied = run(thaw_bin, "data", "copy", "--from", source, "--to", target)
        tables = [line.split() for line in copied.stdout.splitlines()[1:-1]]
        assert len(tables) > 50 and all(len(t) == 3 and re.fullmatch(r"[0-9a-f]{32}", t[2]) for t in tables), copied.stdout
        assert {t[0] for t in tables} >= {"activity", "access_log", "referrals", "clients", "consents", "signals"}
        assert "copied and verified" in copied.stdout
        # The ledger keeps its sequence numbers, and the next entry follows them.
        assert deployment.query(target, "SELECT max(seq) FROM activity") == run_sqlite(source, "SELECT max(seq) FROM activity")

        # Copying again would mix two installations: refused, and nothing is written.
        again = run(thaw_bin, "data", "copy", "--from", source, "--to", target, check=False)
        assert again.returncode != 0 and "already holds data" in again.stderr
        assert deployment.query(target, "SELECT count(*) FROM referrals") == run_sqlite(source, "SELECT count(*) FROM referrals")

        answers = []
        for database in (source, target):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = deployment.serve(thaw_bin, database, port, tmp_path / f"serve-{port}.log")
            try:
                deployment.wait_ready(base, server)
                tokens = {email: run(thaw_bin, "token", "create", "--database", database, "--email", email).stdout.split()[-1]
                          for email in ROLES}
                answers.append(read_everything(base, tokens))
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
        original, copy = answers
        assert sum(status == 200 for status, _ in original.values()) > 150, sorted({s for s, _ in original.values()})
        different = [key for key in original if original[key] != copy.get(key)]
        assert not different, f"{len(different)} reads differ, e.g. {different[:5]}; the first: {str(original[different[0]])[:1500]} against {str(copy.get(different[0]))[:1500]}"
    finally:
        deployment.drop_database(name)


def run_sqlite(path, sql):
    import sqlite3
    with sqlite3.connect(path) as db:
        return str(db.execute(sql).fetchone()[0])


def read_everything(base, tokens):
    """Every GET operation of the API, as each role, with the demo's real ids: (path, role) -> (status, body)."""
    document = requests.get(base + "/api/v1/openapi.json", timeout=30).json()
    ids = real_ids(base, tokens)
    answers = {}
    for path, method, _ in operations(document):
        if method != "GET" or path.startswith(NOT_COMPARED):
            continue
        concrete = re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "xyz_0"), path)
        for email, token in tokens.items():
            reply = requests.get(base + concrete, headers={"Authorization": "Bearer " + token}, timeout=30)
            body = reply.json() if reply.headers.get("Content-Type", "").startswith("application/json") else reply.text
            answers[(concrete, email)] = (reply.status_code, undated(body))
    return answers
