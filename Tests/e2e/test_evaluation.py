"""The evaluator's report and exports, tried from outside against `thaw demo`: no client's
name, contact or free text in any page or file an evaluator can reach; the REFI-QDA project
valid against the standard's schema and its codings brought back; the FHIR bulk files valid
R4 (fhir.resources); the report's figures equal DuckDB's over the de-identified ledger."""
import io
import json
import os
import re
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import requests

from conftest import ROOT, demo_server
from test_cluster import signed_in
from test_fhir import assert_valid

YEAR = "from=2026-01-01&until=2026-12-31"
STORY = "from=2021-01-01&until=2022-12-31"
# What the test writes about a client, then looks for everywhere an evaluator can go.
SECRETS = ["Zebulon", "Quartermaine", "555-867-5309", "zebulon@private.test", "41 Larkspur Lane", "1962-07-21",
           "sleeps in his truck", "owes his landlord", "Quartermaine's landlord"]


def conformance():
    for candidate in filter(None, [os.environ.get("THAW_CONFORMANCE_DIR"), str(ROOT.parent / "shared" / "conformance")]):
        if (Path(candidate) / "refi-qda").is_dir():
            return Path(candidate) / "refi-qda"
    pytest.fail("the REFI-QDA conformance material is missing: set THAW_CONFORMANCE_DIR (.ci/run does)")


def seed_client(base):
    """A client with every kind of detail, six referrals declined for no capacity and one accepted,
    and a partnership conversation naming the client and their phone and email (its writer agreed
    to research use, so the message is exported: without them)."""
    navigator, housing = signed_in(base, "navigator@riverside-fht.demo"), signed_in(base, "staff@homeward.demo")
    client = navigator.post(base + "/api/v1/clients", json={
        "givenName": "Zebulon", "familyName": "Quartermaine", "birthDate": "1962-07-21", "phone": "555-867-5309",
        "email": "zebulon@private.test", "address": "41 Larkspur Lane", "preferredLanguage": "en"}).json()
    assert navigator.post(base + f"/api/v1/clients/{client['id']}/consents", json={
        "grantee": {"sector": "social-care"}, "scopes": ["contact", "needs", "notes"], "purpose": "referral"}).status_code == 201
    services = navigator.get(base + "/api/v1/services?need=housing").json()["items"]
    rehousing = next(s for s in services if s["name"] == "Rapid Rehousing")
    for n in range(7):
        referral = navigator.post(base + "/api/v1/referrals", json={
            "clientId": client["id"], "serviceId": rehousing["id"], "needCategory": "housing",
            "note": "Zebulon sleeps in his truck and owes his landlord"})
        assert referral.status_code == 201, referral.text
        navigator.post(base + f"/api/v1/referrals/{referral.json()['id']}/messages", json={"body": "Quartermaine's landlord called again"})
        status = {"status": "accepted"} if n == 6 else {"status": "rejected", "reasonCode": "no-capacity", "reason": "Zebulon sleeps in his truck"}
        assert housing.post(base + f"/api/v1/referrals/{referral.json()['id']}/status", json=status,
                            headers={"If-Match": referral.headers["ETag"]}).status_code == 200
    lead = signed_in(base, "lead@riverside-pcn.demo")
    assert lead.put(base + "/api/v1/me/research-agreement", json={"agreed": True}).status_code == 200
    threads = lead.get(base + "/api/v1/threads").json()["items"]
    assert threads, "the demo's partnership lead takes part in conversations"
    posted = lead.post(base + f"/api/v1/threads/{threads[0]['id']}/messages",
                       json={"body": "Zebulon Quartermaine (555-867-5309, zebulon@private.test) needs a place by Friday; can we help?"})
    assert posted.status_code == 201, posted.text
    return client, threads[0]


def evaluator_files(base, evaluator):
    """Every page and file an evaluator reaches from the report, by following its links, and the exports."""
    seen, texts, queue = set(), {}, [f"/evaluation?{YEAR}"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        answer = evaluator.get(base + path, timeout=60)
        assert answer.status_code == 200, (path, answer.status_code)
        kind = answer.headers.get("Content-Type", "")
        if "zip" in kind:
            with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
                for name in archive.namelist():
                    texts[path + "#" + name] = archive.read(name).decode("utf-8")
            continue
        texts[path] = answer.text
        if "html" in kind:
            for href in re.findall(r'href="([^"#]+)"', answer.text):
                target = urlparse(urljoin(base + path, href.replace("&amp;", "&")))
                if target.netloc == urlparse(base).netloc and target.path.startswith("/evaluation"):
                    queue.append(target.path + ("?" + target.query if target.query else ""))
    return texts


def bulk_files(base, session, types=None):
    kick = session.get(base + "/fhir/$export" + (f"?_type={types}" if types else ""), headers={"Prefer": "respond-async"})
    assert kick.status_code == 202, kick.text
    manifest = session.get(kick.headers["Content-Location"]).json()
    assert manifest["requiresAccessToken"] is True and manifest["error"] == []
    return {f["type"]: session.get(f["url"]).text for f in manifest["output"]}, manifest


def test_no_client_detail_reaches_any_page_or_export_of_an_evaluator(thaw_bin, tmp_path):
    with demo_server(thaw_bin, str(tmp_path / "demo.sqlite")) as base:
        client, _ = seed_client(base)
        evaluator = signed_in(base, "evaluator@thaw.demo")
        texts = evaluator_files(base, evaluator)
        for path in [f"/api/v1/evaluation/report?{YEAR}", f"/api/v1/evaluation/report/csv?{YEAR}", f"/api/v1/evaluation/ledger/csv?{YEAR}",
                     f"/api/v1/evaluation/climate-package?from=2021-01-01&until=2022-12-31", "/evaluation/jurisdictions",
                     f"/evaluation/record.qdpx?{STORY}", f"/evaluation/record.qdpx?{YEAR}"]:
            answer = evaluator.get(base + path, timeout=60)
            assert answer.status_code == 200, (path, answer.text[:200])
            if "zip" in answer.headers.get("Content-Type", ""):
                with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
                    texts.update({path + "#" + n: archive.read(n).decode("utf-8") for n in archive.namelist()})
            else:
                texts[path] = answer.text
        files, _ = bulk_files(base, evaluator)
        texts.update({"bulk " + kind: text for kind, text in files.items()})
        assert len(texts) > 40 and any("Rapid Rehousing" in t for t in texts.values())
        # The partnership message naming the client is in the record, with the name and contacts removed.
        assert any("[removed] [removed] ([removed], [removed]) needs a place by Friday" in t for t in texts.values())
        for secret in SECRETS + [client["id"], client["id"].replace("_", "-")]:
            leaked = [path for path, text in texts.items() if secret in text]
            assert leaked == [], f"{secret!r} reached {leaked}"
        # Nor can the evaluator reach the client the ordinary way.
        assert evaluator.get(base + f"/api/v1/clients/{client['id']}").status_code in (403, 404)
        assert evaluator.get(base + f"/clients/{client['id']}").status_code in (403, 404)


def test_small_counts_are_hidden_and_a_higher_threshold_hides_more(thaw_bin, tmp_path):
    with demo_server(thaw_bin, str(tmp_path / "demo.sqlite")) as base:
        seed_client(base)
        evaluator = signed_in(base, "evaluator@thaw.demo")
        report = evaluator.get(base + f"/api/v1/evaluation/report?{YEAR}").json()
        counts = [cell for table in report["tables"] for row in table["rows"]
                  for cell, column in zip(row, table["columns"]) if column["kind"] == "count"]
        assert "suppressed" in counts
        assert not [c for c in counts if isinstance(c, (int, float)) and 0 < c < 5]
        stricter = evaluator.get(base + f"/api/v1/evaluation/report?{YEAR}&threshold=10").json()
        assert not [c for table in stricter["tables"] for row in table["rows"] for c, col in zip(row, table["columns"])
                    if col["kind"] == "count" and isinstance(c, (int, float)) and 0 < c < 10]
        assert evaluator.get(base + f"/api/v1/evaluation/report?{YEAR}&threshold=3").status_code == 400


def test_the_reports_figures_equal_duckdb_over_the_deidentified_ledger(thaw_bin, tmp_path):
    import duckdb
    with demo_server(thaw_bin, str(tmp_path / "demo.sqlite")) as base:
        seed_client(base)
        evaluator = signed_in(base, "evaluator@thaw.demo")
        (tmp_path / "ledger.csv").write_text(evaluator.get(base + f"/api/v1/evaluation/ledger/csv?{YEAR}").text)
        (tmp_path / "report.csv").write_text(evaluator.get(base + f"/api/v1/evaluation/report/csv?{YEAR}").text)
        report = evaluator.get(base + f"/api/v1/evaluation/report?{YEAR}").json()
    con = duckdb.connect()
    con.execute(f"CREATE TABLE ledger AS SELECT * FROM read_csv('{tmp_path / 'ledger.csv'}', header = true, all_varchar = true)")
    con.execute(f"CREATE TABLE report AS SELECT * FROM read_csv('{tmp_path / 'report.csv'}', header = true, all_varchar = true)")
    # Each referral created in the period, with the status it ended in (its last change, else as created).
    con.execute("""
        CREATE TABLE referrals AS
        SELECT c.subject, regexp_extract(c.detail, 'need=([a-z-]+)', 1) AS need,
               coalesce((SELECT regexp_extract(s.detail, '(^|;)to=([a-z-]+)', 2) FROM ledger s WHERE s.subject = c.subject
                         AND s.kind = 'referral.status-changed' ORDER BY CAST(s."order" AS INTEGER) DESC LIMIT 1),
                        regexp_extract(c.detail, 'status=([a-z-]+)', 1)) AS status,
               (SELECT regexp_extract(s.detail, 'reasonCode=([a-z-]+)', 1) FROM ledger s WHERE s.subject = c.subject
                  AND s.kind = 'referral.status-changed' AND s.detail LIKE '%to=rejected%' LIMIT 1) AS reason,
               EXISTS (SELECT 1 FROM ledger l WHERE l.subject = c.subject AND l.kind = 'referral.loop-lapsed') AS lapsed
        FROM ledger c WHERE c.kind = 'referral.created'""")
    con.execute("DELETE FROM referrals WHERE status IN ('draft', 'entered-in-error')")

    def shown(n):
        return "<5" if 0 < n < 5 else str(n)

    def figure(table, row, column):
        found = con.execute("SELECT value, suppressed FROM report WHERE \"table\" = ? AND \"row\" = ? AND \"column\" = ? AND period = 'current'",
                            [table, row, column]).fetchall()
        assert len(found) == 1, (table, row, column, found)
        value, suppressed = found[0]
        return "<5" if suppressed == "true" else value

    sent = con.execute("SELECT count(*) FROM referrals").fetchone()[0]
    assert sent >= 20
    assert figure("headline", "Referrals sent", "this period") == shown(sent)
    assert figure("loop-by-partner", "All", "sent") == shown(sent)
    declined = con.execute("SELECT count(*) FROM referrals WHERE status = 'rejected'").fetchone()[0]
    assert declined >= 6 and figure("loop-by-partner", "All", "declined") == shown(declined)
    titles = {"no-capacity": "No capacity", "not-eligible": "Not eligible", "outside-area": "Outside our area",
              "client-declined": "The client declined", "unable-to-contact": "Could not reach the client", "other": "Another reason"}
    for code, title in titles.items():
        n = con.execute("SELECT count(*) FROM referrals WHERE status = 'rejected' AND reason = ?", [code]).fetchone()[0]
        assert figure("declines-by-reason", title, "declined") in (shown(n), "<5"), code
    housing = con.execute("SELECT count(*) FROM referrals WHERE need = 'housing'").fetchone()[0]
    assert figure("loop-by-need", "Housing", "sent") in (shown(housing), "<5") and housing >= 7
    lapsed = con.execute("SELECT count(*) FROM referrals WHERE lapsed").fetchone()[0]
    assert figure("loop-by-partner", "All", "lapsed") in (shown(lapsed), "<5")
    # The long CSV and the JSON report hold the same figures.
    loop = next(t for t in report["tables"] if t["id"] == "loop-by-partner")
    assert loop["rows"][0][1] == sent


def repacked(project, archive):
    """The project as a researcher's tool writes it back: its project.qde, with the source texts it was given."""
    from lxml import etree
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("project.qde", etree.tostring(project, xml_declaration=True, encoding="utf-8"))
        for name in archive.namelist():
            if name.startswith("sources/"):
                out.writestr(name, archive.read(name))
    return buffer.getvalue()


def test_the_story_as_a_refi_qda_project_validates_and_brings_codings_back(thaw_bin, tmp_path):
    from lxml import etree
    schema = etree.XMLSchema(etree.parse(str(conformance() / "Project-mrt2019.xsd")))
    ns = "urn:QDA-XML:project:1.0"
    with demo_server(thaw_bin, str(tmp_path / "demo.sqlite")) as base:
        admin = signed_in(base, "admin@thaw.demo")
        answer = admin.get(base + f"/api/v1/evaluation/qdpx?{STORY}")
        assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(answer.content))
        project = etree.fromstring(archive.read("project.qde"))
        assert schema.validate(etree.ElementTree(project)), schema.error_log
        sources = project.findall(f".//{{{ns}}}TextSource")
        assert len(sources) > 100
        for source in sources:
            assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
            assert f"sources/{source.get('guid')}.txt" in archive.namelist()
        codes = {c.get("name") for c in project.iter(f"{{{ns}}}Code")}
        assert {"Signals through staffing", "Following through", "Persevering", "Surprise", "Informal channel", "Freeze", "Thaw"} <= codes
        kinds = {s.find(f"{{{ns}}}VariableValue[4]/{{{ns}}}TextValue").text for s in sources}
        assert {"minutes", "motion", "commitment", "message", "signal", "policy-move", "outside-event", "climate-change"} <= kinds
        # The story's freeze and thaw are coded as the climate found them.
        coded = {c.get("guid"): c.get("name") for c in project.iter(f"{{{ns}}}Code")}
        applied = [coded[r.get("targetGUID")] for r in project.iter(f"{{{ns}}}CodeRef")]
        assert applied.count("Freeze") >= 1 and applied.count("Thaw") >= 1
        # The president never agreed to research use, the policy lead withdrew: none of their messages is in it.
        # A researcher codes a span of the first committee minutes with a code of their own.
        minutes = next(s for s in sources if s.find(f"{{{ns}}}Description").text.startswith("thaw:meeting/"))
        text = archive.read(f"sources/{minutes.get('guid')}.txt").decode("utf-8")
        codebook = project.find(f"{{{ns}}}CodeBook/{{{ns}}}Codes")
        etree.SubElement(codebook, f"{{{ns}}}Code", guid="7F000000-0000-4000-8000-00000000C0DE", name="Shared ownership", isCodable="true")
        selection = etree.Element(f"{{{ns}}}PlainTextSelection", guid="7F000000-0000-4000-8000-0000000005E1", startPosition="0", endPosition="30")
        coding = etree.SubElement(selection, f"{{{ns}}}Coding", guid="7F000000-0000-4000-8000-00000000C0D1")
        etree.SubElement(coding, f"{{{ns}}}CodeRef", targetGUID="7F000000-0000-4000-8000-00000000C0DE")
        minutes.find(f"{{{ns}}}Description").addnext(selection)
        assert schema.validate(etree.ElementTree(project)), schema.error_log
        brought = admin.post(base + "/api/v1/evaluation/qdpx", data=repacked(project, archive), headers={"Content-Type": "application/zip"})
        assert brought.status_code == 200, brought.text
        assert brought.json()["imported"] == 1 and brought.json()["skipped"] > 100
        mine = admin.get(base + "/api/v1/evaluation/annotations").json()["items"]
        assert [(a["code"], a["quote"]) for a in mine] == [("Shared ownership", text[:30])]
        # On the committee's timeline, to the researcher who made it, and to nobody else.
        committee = mine[0]["committeeId"]
        assert "Shared ownership" in admin.get(base + f"/partnership/committees/{committee}/timeline").text
        lead = signed_in(base, "lead@authority.demo")
        assert "Shared ownership" not in lead.get(base + f"/partnership/committees/{committee}/timeline").text
        # Codings on the climate's freezes and thaws come back too, though the climate, read again over
        # other months, would find its changes elsewhere: the source's subject names the change whole.
        climate = [s for s in sources if s.find(f"{{{ns}}}Description").text.startswith("thaw:climate/")]
        assert len(climate) >= 2
        for i, source in enumerate(climate):
            selection = etree.Element(f"{{{ns}}}PlainTextSelection", guid=f"7F000000-0000-4000-8000-0000000006{i:02X}", startPosition="0", endPosition="11")
            coding = etree.SubElement(selection, f"{{{ns}}}Coding", guid=f"7F000000-0000-4000-8000-0000000007{i:02X}")
            etree.SubElement(coding, f"{{{ns}}}CodeRef", targetGUID="7F000000-0000-4000-8000-00000000C0DE")
            source.find(f"{{{ns}}}Description").addnext(selection)
        project.set("name", "Freezes and thaws")
        assert schema.validate(etree.ElementTree(project)), schema.error_log
        brought = admin.post(base + "/api/v1/evaluation/qdpx", data=repacked(project, archive), headers={"Content-Type": "application/zip"})
        assert brought.status_code == 200 and brought.json()["imported"] == 1 + len(climate), brought.text
        mine = admin.get(base + "/api/v1/evaluation/annotations").json()["items"]
        on_climate = [a for a in mine if a["project"] == "Freezes and thaws" and a["subject"].startswith("climate/")]
        assert len(on_climate) == len(climate) and all(a["quote"] == "The climate" and len(a["organizationIds"]) == 2 for a in on_climate)
        # Not a project: refused with a reason, nothing changed.
        bad = admin.post(base + "/api/v1/evaluation/qdpx", data=b"PK\x03\x04 not really", headers={"Content-Type": "application/zip"})
        assert bad.status_code == 400 and "qdpx" in bad.text


def test_the_bulk_export_is_valid_fhir_r4_and_pseudonymised_for_an_evaluator(thaw_bin, tmp_path):
    with demo_server(thaw_bin, str(tmp_path / "demo.sqlite")) as base:
        client, _ = seed_client(base)
        evaluator = signed_in(base, "evaluator@thaw.demo")
        files, manifest = bulk_files(base, evaluator)
        assert {f["type"] for f in manifest["output"]} == {"Task", "ServiceRequest", "Procedure"}
        resources = [json.loads(line) for text in files.values() for line in text.splitlines() if line]
        assert len(resources) == sum(f["count"] for f in manifest["output"]) and len(resources) > 30
        assert_valid(resources)
        for resource in resources:
            assert [s["code"] for s in resource["meta"]["security"]] == ["PSEUDED", "REDACTED"]
            assert "note" not in resource and resource["id"].startswith("x")
        patients = {r["for"]["reference"] for r in resources if r["resourceType"] == "Task"}
        assert all(p.startswith("Patient/x") for p in patients) and f"Patient/{client['id']}" not in patients
        # Another export gives other pseudonyms: two exports cannot be joined.
        again, _ = bulk_files(base, evaluator, "Task")
        assert not patients & {json.loads(line)["for"]["reference"] for line in again["Task"].splitlines()}
        # Only the person who asked can fetch the files.
        status = manifest["output"][0]["url"]
        assert requests.get(status).status_code == 401
        assert signed_in(base, "admin@thaw.demo").get(status).status_code == 404
