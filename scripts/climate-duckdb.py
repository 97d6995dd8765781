#!/usr/bin/env python3
"""The DuckDB side of scripts/bench-climate: the same monthly pair aggregates
Thaw keeps, computed by DuckDB from the same ledger entries, timed in the same
run as `thaw climate rebuild`, and checked equal to Thaw's.

    climate-duckdb.py DATABASE.sqlite THAW_REBUILD_SECONDS [THAW_REBUILD_INTO_EMPTY_SECONDS]

Reads the activity ledger out of Thaw's SQLite file (not timed), loads it into
an in-memory DuckDB (not timed), then times DuckDB computing every pair's
monthly counts from the entries. Thaw's rebuild has already stored the same
month rows (climate_months, one per pair and month, their sums in columns);
reading them back is timed and printed, and a second ratio adds it to Thaw's
side. Prints both, the ratios, and whether the two agree row for row."""
import csv
import os
import sqlite3
import sys
import tempfile
import time

import duckdb

EXCHANGES = ("referral.created", "referral.message-sent", "thread.message", "consultation.feedback",
             "consultation.answered", "signal.sent", "signal.acknowledged")
OVERDUE = "referral.response-overdue"
COLUMNS = ["lo_to_hi", "hi_to_lo", "formal", "informal", "referral", "kept", "missed", "adopted", "answered", "on_time", "late",
           "noticed", "surprised", "people"]


COMMITTEE = ("decision.proposed", "decision.revived", "decision.vote", "decision.passed", "decision.failed")
WALK_OUT, POLICY, MEETING, LAPSED = "committee.walked-out", "policy.move", "meeting.held", "referral.loop-lapsed"


def duckdb_monthly():
    exchanges = ", ".join(f"'{k}'" for k in EXCHANGES)
    addressing = ", ".join(f"'{k}'" for k in COMMITTEE + (WALK_OUT, POLICY))
    system_counted = f"'{OVERDUE}', '{LAPSED}'"
    return f"""
    CREATE OR REPLACE TABLE monthly AS
    WITH parsed AS (
      SELECT *, row_number() OVER () AS entry,
             CASE WHEN kind = '{MEETING}' THEN json_extract_string(detail, '$.organizations')
                  WHEN kind IN ({addressing}) THEN json_extract_string(detail, '$.with') END AS listed
      FROM entries
      WHERE channel <> 'system' OR kind IN ({system_counted})),
    -- Each entry's pairs, as ClimateLedger.contributions gives them: its counterpart; each organisation
    -- it addresses (a vote, a motion, a walk-out, a policy move); every two organisations at a meeting.
    named AS (
      SELECT DISTINCT entry, name, position FROM (
        SELECT entry, unnest(string_split(listed, ',')) AS name, generate_subscripts(string_split(listed, ','), 1) AS position
        FROM parsed WHERE listed IS NOT NULL AND listed <> '')
      WHERE name <> ''),
    first_named AS (SELECT entry, name, min(position) AS position FROM named GROUP BY entry, name),
    pairs AS (
      SELECT p.*, actor_organization_id AS a, counterpart_organization_id AS b FROM parsed p
      WHERE counterpart_organization_id IS NOT NULL AND counterpart_organization_id <> actor_organization_id
      UNION ALL
      SELECT p.*, p.actor_organization_id AS a, n.name AS b FROM parsed p JOIN first_named n USING (entry)
      WHERE p.kind <> '{MEETING}' AND n.name <> p.actor_organization_id AND n.name IS DISTINCT FROM p.counterpart_organization_id
      UNION ALL
      SELECT p.*, CASE WHEN n2.name = p.actor_organization_id THEN n2.name ELSE n1.name END AS a,
             CASE WHEN n2.name = p.actor_organization_id THEN n1.name ELSE n2.name END AS b
      FROM parsed p JOIN first_named n1 USING (entry) JOIN first_named n2 ON n2.entry = n1.entry AND n2.position > n1.position
      WHERE p.kind = '{MEETING}'),
    e AS (
      SELECT least(a, b) AS lo, greatest(a, b) AS hi, a = actor_organization_id AS from_actor,
             actor_organization_id AS actor, CASE WHEN a = actor_organization_id THEN actor_user_id END AS person,
             kind, channel, detail, strftime(date_trunc('month', epoch_ms("at")), '%Y-%m') AS month,
             kind IN ('{OVERDUE}', '{LAPSED}', '{WALK_OUT}') AS no_contact
      FROM pairs)
    SELECT lo, hi, month,
      sum(CASE WHEN NOT no_contact AND from_actor AND kind IN ({exchanges}) AND actor = lo THEN 1 ELSE 0 END) AS lo_to_hi,
      sum(CASE WHEN NOT no_contact AND from_actor AND kind IN ({exchanges}) AND actor = hi THEN 1 ELSE 0 END) AS hi_to_lo,
      sum(CASE WHEN NOT no_contact AND channel = 'formal' THEN 1 ELSE 0 END) AS formal,
      sum(CASE WHEN NOT no_contact AND channel = 'informal' THEN 1 ELSE 0 END) AS informal,
      sum(CASE WHEN NOT no_contact AND channel = 'referral' THEN 1 ELSE 0 END) AS referral,
      sum(CASE WHEN kind = 'commitment.kept' OR (kind = 'referral.status-changed' AND detail LIKE '%"to":"completed"%') THEN 1 ELSE 0 END) AS kept,
      sum(CASE WHEN kind IN ('commitment.missed', '{LAPSED}', '{WALK_OUT}') THEN 1 ELSE 0 END) AS missed,
      sum(CASE WHEN kind = 'consultation.answered' AND (detail LIKE '%"response":"adopted"%' OR detail LIKE '%"response":"adapted"%') THEN 1 ELSE 0 END) AS adopted,
      sum(CASE WHEN kind = 'consultation.answered' THEN 1 ELSE 0 END) AS answered,
      sum(CASE WHEN NOT no_contact AND detail LIKE '%"timeliness":"on-time"%' THEN 1 ELSE 0 END) AS on_time,
      sum(CASE WHEN kind = '{OVERDUE}' OR (NOT no_contact AND detail LIKE '%"timeliness":"late"%') THEN 1 ELSE 0 END) AS late,
      sum(CASE WHEN kind = '{POLICY}' AND detail LIKE '%"notice":"advance"%' THEN 1 ELSE 0 END) AS noticed,
      sum(CASE WHEN kind = '{POLICY}' AND detail NOT LIKE '%"notice":"advance"%' THEN 1 ELSE 0 END) AS surprised,
      count(DISTINCT person) AS people
    FROM e GROUP BY lo, hi, month
    """


THAW_MONTHLY = """
SELECT org_lo, org_hi, substr(month, 1, 7), lo_to_hi, hi_to_lo, formal, informal, referral, kept, missed, adopted, answered, on_time, late,
       noticed, surprised, people
FROM climate_months
"""


def main():
    path, thaw_rebuild = sys.argv[1], float(sys.argv[2])
    into_empty = float(sys.argv[3]) if len(sys.argv) > 3 else None
    lite = sqlite3.connect(path)
    entries = lite.execute("SELECT at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, channel, detail FROM activity")
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute('CREATE TABLE entries ("at" BIGINT, '
                " actor_user_id VARCHAR, actor_organization_id VARCHAR, counterpart_organization_id VARCHAR, "
                "kind VARCHAR, channel VARCHAR, detail VARCHAR)")
    # Through a CSV file, DuckDB's own fast loader (not timed).
    # Streamed: ten million entries would not fit in Python objects.
    count = 0
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", delete=False) as f:
        writer = csv.writer(f)
        while batch := entries.fetchmany(100_000):
            writer.writerows(batch)
            count += len(batch)
    con.execute(f"INSERT INTO entries SELECT * FROM read_csv('{f.name}', header=false, quote='\"', escape='\"', "
                "columns={'at': 'BIGINT', 'actor_user_id': 'VARCHAR', 'actor_organization_id': 'VARCHAR', "
                "'counterpart_organization_id': 'VARCHAR', 'kind': 'VARCHAR', 'channel': 'VARCHAR', 'detail': 'VARCHAR'})")
    os.unlink(f.name)
    assert con.execute("SELECT count(*) FROM entries").fetchone()[0] == count
    started = time.perf_counter()
    con.execute(duckdb_monthly())
    duck = time.perf_counter() - started

    started = time.perf_counter()
    thaw_rows = lite.execute(THAW_MONTHLY).fetchall()
    rollup = time.perf_counter() - started
    thaw = {(r[0], r[1], r[2]): tuple(r[3:]) for r in thaw_rows}
    ducks = {(r[0], r[1], r[2]): tuple(r[3:]) for r in con.execute("SELECT lo, hi, month, " + ", ".join(COLUMNS) + " FROM monthly").fetchall()}
    # Thaw keeps rows only for pair-days with a contribution; DuckDB the same pair-months.
    differences = [k for k in set(thaw) | set(ducks) if thaw.get(k) != ducks.get(k)]
    print(f"entries {count}; pair-months {len(ducks)}; equal: {'yes' if not differences else 'NO, ' + str(len(differences)) + ' differ, e.g. ' + str(differences[:3])}")
    print(f"thaw climate rebuild over the stored rows {thaw_rebuild:.3f} s (reading its month rows back from Python: {rollup:.3f} s more)")
    print(f"duckdb monthly pair aggregates from the entries {duck:.3f} s")
    print(f"ratio thaw / duckdb = {thaw_rebuild / duck:.2f} (target: at most 1); with the read-back {(thaw_rebuild + rollup) / duck:.2f}")
    if into_empty is not None:
        print(f"thaw climate rebuild into an empty month table {into_empty:.3f} s: ratio {into_empty / duck:.2f}")
    if differences:
        sys.exit(1)


if __name__ == "__main__":
    main()
