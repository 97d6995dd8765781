"""The climate's month rows, as the live path folded them while the demo was written, against
DuckDB computing the same monthly pair aggregates from the demo's ledger by SQL of its own
(scripts/climate-duckdb.py): meetings reaching every two organisations present, motions (and
motions brought back), votes and decisions reaching the committee's other members, walk-outs,
policy moves with and without notice, referral loops closed and lapsed, commitments kept by the
judgement of the organisation promised. Row for row equal."""
import importlib.util
import sqlite3

import requests

from conftest import ROOT, demo_server

spec = importlib.util.spec_from_file_location("climate_duckdb", ROOT / "scripts" / "climate-duckdb.py")
climate_duckdb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(climate_duckdb)


def test_the_live_climate_equals_duckdb_over_the_demo_ledger(thaw_bin, tmp_path):
    import duckdb
    db = str(tmp_path / "demo.sqlite")
    with demo_server(thaw_bin, db) as base:
        # Any climate read folds what is still pending first.
        lead = requests.Session()
        lead.post(base + "/api/v1/auth/sign-in", json={"email": "lead@authority.demo", "password": "thaw-demo-password"})
        assert lead.get(base + "/api/v1/climate/cooling").status_code == 200
    lite = sqlite3.connect(db)
    assert lite.execute("SELECT COUNT(*) FROM climate_pending").fetchone()[0] == 0
    kinds = {k for (k,) in lite.execute("SELECT DISTINCT kind FROM activity")}
    assert {"meeting.held", "decision.vote", "decision.revived", "committee.walked-out", "policy.move",
            "referral.loop-lapsed", "commitment.kept"} <= kinds, kinds
    con = duckdb.connect()
    con.execute('CREATE TABLE entries ("at" BIGINT, actor_user_id VARCHAR, actor_organization_id VARCHAR, '
                "counterpart_organization_id VARCHAR, kind VARCHAR, channel VARCHAR, detail VARCHAR)")
    con.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)", lite.execute(
        "SELECT at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, channel, detail FROM activity").fetchall())
    con.execute(climate_duckdb.duckdb_monthly())
    thaw = {(r[0], r[1], r[2]): tuple(r[3:]) for r in lite.execute(climate_duckdb.THAW_MONTHLY).fetchall()}
    ducks = {(r[0], r[1], r[2]): tuple(r[3:])
             for r in con.execute("SELECT lo, hi, month, " + ", ".join(climate_duckdb.COLUMNS) + " FROM monthly").fetchall()}
    assert len(thaw) > 300
    differing = {k: (thaw.get(k), ducks.get(k)) for k in set(thaw) | set(ducks) if thaw.get(k) != ducks.get(k)}
    assert differing == {}
    # The story's surprises and walk-out reached their pairs.
    assert sum(row[climate_duckdb.COLUMNS.index("surprised")] for row in thaw.values()) >= 3
