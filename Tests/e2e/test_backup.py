"""Backups. SQLite: `thaw backup` copies a live database while a server keeps taking writes, and
`thaw restore` checks and restores it. PostgreSQL: the README's pg_dump and pg_restore procedure,
restored and compared table by table with `thaw data compare`."""
import pathlib
import signal
import subprocess
import time

import requests

import deployment
from conftest import run
from crash_trials import bootstrap


def test_a_live_sqlite_database_is_backed_up_without_stopping_writes_and_restores_whole(thaw_bin, tmp_path):
    db = str(tmp_path / "live.sqlite")
    _, housing, navigator, staff = bootstrap(thaw_bin, db)
    port = deployment.free_port()
    base = f"http://127.0.0.1:{port}"
    server = deployment.serve(thaw_bin, db, port, tmp_path / "thaw.log")
    try:
        deployment.wait_ready(base, server)
        writers = deployment.Writers(base, navigator, housing, deployment.housing_service(base, staff))
        time.sleep(2)
        before = list(writers.acknowledged)
        backed = run(thaw_bin, "backup", "--database", db, "--to", str(tmp_path / "backup.sqlite"))
        during = len(writers.acknowledged)
        time.sleep(2)
        writers.stop()
        assert "integrity checked" in backed.stdout
        # The server went on writing throughout, and never failed a write.
        assert set(writers.outcomes) <= {200, 201}, set(writers.outcomes)
        assert len(writers.acknowledged) > during > len(before) > 0
        # A backup never overwrites.
        again = run(thaw_bin, "backup", "--database", db, "--to", str(tmp_path / "backup.sqlite"), check=False)
        assert again.returncode != 0 and "already exists" in again.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    # Restored elsewhere and served, it holds everything acknowledged before it was taken, whole.
    assert "usable backup" in run(thaw_bin, "restore", "--check-only", "--from", str(tmp_path / "backup.sqlite")).stdout
    restored = str(tmp_path / "restored.sqlite")
    run(thaw_bin, "restore", "--from", str(tmp_path / "backup.sqlite"), "--database", restored)
    port = deployment.free_port()
    base = f"http://127.0.0.1:{port}"
    server = deployment.serve(thaw_bin, restored, port, tmp_path / "restored.log")
    try:
        deployment.wait_ready(base, server)
        reader = {"Authorization": "Bearer " + navigator}
        for referral, note in before:
            answer = requests.get(base + f"/api/v1/referrals/{referral}", headers=reader, timeout=10)
            assert answer.status_code == 200 and answer.json()["referral"]["note"] == note
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    # Restoring over a database needs --replace; a damaged backup is refused and nothing is touched.
    refused = run(thaw_bin, "restore", "--from", str(tmp_path / "backup.sqlite"), "--database", restored, check=False)
    assert refused.returncode != 0 and "--replace" in refused.stderr
    damaged = tmp_path / "damaged.sqlite"
    data = bytearray((tmp_path / "backup.sqlite").read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = b"\x00" * 4096
    damaged.write_bytes(bytes(data))
    untouched = pathlib.Path(restored).read_bytes()
    broken = run(thaw_bin, "restore", "--from", str(damaged), "--database", restored, "--replace", check=False)
    assert broken.returncode != 0, broken.stdout
    assert pathlib.Path(restored).read_bytes() == untouched


def test_a_postgresql_dump_restores_to_the_same_data(thaw_bin, tmp_path):
    """The README's procedure: pg_dump in the custom format, pg_restore into an empty database."""
    source = deployment.demo_database(thaw_bin)
    restored = deployment.create_database()
    try:
        dump = tmp_path / "thaw.dump"
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", deployment.database_url(source)],
                       check=True, capture_output=True)
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={deployment.database_url(restored)}", str(dump)],
                       check=True, capture_output=True)
        compared = run(thaw_bin, "data", "compare", "--from", deployment.database_url(source), "--to", deployment.database_url(restored))
        assert "the same" in compared.stdout and len(compared.stdout.splitlines()) > 50
        # A difference is noticed.
        deployment.psql("UPDATE referrals SET note = coalesce(note, '') || '.' WHERE id = (SELECT min(id) FROM referrals)",
                        deployment.database_url(restored))
        differs = run(thaw_bin, "data", "compare", "--from", deployment.database_url(source), "--to", deployment.database_url(restored),
                      check=False)
        assert differs.returncode != 0 and "referrals" in differs.stderr
    finally:
        deployment.drop_database(source)
        deployment.drop_database(restored)
