"""The floor of the evaluation benchmark: the statements the report reads its referral facts with
(each referral of the two periods with its first accepted and final versions, declines and lapses
from the ledger, the names), run by Python's sqlite3 over the same database, every row fetched,
nothing else done. (The seeded database holds no needs, answers, survey or funding, so their
statements, cheap there, are left out.)  python3 scripts/evaluation-floor.py DB FROM UNTIL"""
import datetime
import sqlite3
import sys

db, first, last = sys.argv[1], sys.argv[2], sys.argv[3]
day = datetime.date.fromisoformat(first)
until = datetime.date.fromisoformat(last) + datetime.timedelta(days=1)
previous = day - (until - day)
ms = lambda d: int(datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.timezone.utc).timestamp() * 1000)
start, end = ms(previous), ms(until)
window = "r.created_at < ? AND (r.created_at >= ? OR r.updated_at >= ?) AND r.status NOT IN ('draft', 'entered-in-error')"
con = sqlite3.connect(db)
rows = con.execute(f"""
    SELECT r.id, r.requester_organization_id, r.owner_organization_id, r.service_id, r.need_category, r.status, r.outcome_code,
           r.created_at, r.first_responded_at,
           (SELECT MIN(v.updated_at) FROM referral_versions v WHERE v.id = r.id AND v.status IN ('accepted', 'in-progress', 'on-hold', 'completed')),
           (SELECT MIN(v.updated_at) FROM referral_versions v WHERE v.id = r.id AND v.status IN ('completed', 'rejected', 'cancelled', 'failed'))
    FROM referrals r WHERE {window}""", (end, start, start)).fetchall()
rows += con.execute(f"""
    SELECT a.subject_id, a.kind, a.detail FROM referrals r JOIN activity a ON a.subject_type = 'referral' AND a.subject_id = r.id
    WHERE {window} AND ((a.kind = 'referral.status-changed' AND r.status = 'rejected') OR a.kind = 'referral.loop-lapsed')""",
                    (end, start, start)).fetchall()
rows += con.execute("SELECT id, name FROM organizations").fetchall() + con.execute("SELECT id, name FROM services").fetchall()
print(len(rows))
