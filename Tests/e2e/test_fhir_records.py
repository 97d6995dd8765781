"""The rest of the referral's FHIR: the client's Consents, Conditions, screening (as
QuestionnaireResponse and Observations) for the organisation holding the client; a Task's
history; the recipient's PATCH and Procedure; and the IG's Task rules, evaluated with fhirpathpy
on every Task Thaw returns."""
import pytest
import requests
from fhirpathpy import evaluate

from test_fhir import FHIR_JSON, assert_valid, demo, get  # noqa: F401  (the fixture)

# The SDOHCC TaskForReferralManagement profile's rules, and base R4 Task's inv-1, as FHIRPath.
TASK_RULES = {
    "status in the referral value set": "status in ('draft' | 'requested' | 'accepted' | 'rejected' | 'cancelled' | 'in-progress' | 'on-hold' | 'failed' | 'completed' | 'entered-in-error')",
    "code is fulfill": "code.coding.where(system = 'http://hl7.org/fhir/CodeSystem/task-code' and code = 'fulfill').exists()",
    "intent is order": "intent = 'order'",
    "focus is a ServiceRequest": "focus.reference.startsWith('ServiceRequest/')",
    "for and requester are present": "for.exists() and requester.exists()",
    "completed has its output": "status = 'completed' implies output.where(valueReference.reference.startsWith('Procedure/')).exists()",
    "inv-1": "lastModified.exists().not() or authoredOn.exists().not() or lastModified >= authoredOn",
}


def assert_task_rules(tasks):
    assert tasks
    for task in tasks:
        for name, rule in TASK_RULES.items():
            assert evaluate(task, rule) == [True], (name, task["id"], task["status"])


def test_every_task_keeps_the_igs_rules(demo):
    base, tokens = demo
    for token in tokens.values():
        bundle = get(base, token, "Task?_count=200").json()
        assert_task_rules([e["resource"] for e in bundle.get("entry", [])])


def test_the_holder_reads_the_clients_records_and_a_partner_reads_none(demo):
    base, tokens = demo
    task = get(base, tokens["navigator"], "Task?_count=1&status=completed").json()["entry"][0]["resource"]
    patient = task["for"]["reference"]
    records = {}
    for kind in ("Consent", "Condition", "QuestionnaireResponse", "Observation", "Procedure"):
        answer = get(base, tokens["navigator"], f"{kind}?patient={patient}")
        assert answer.status_code == 200, (kind, answer.text)
        records[kind] = [e["resource"] for e in answer.json().get("entry", [])]
    assert records["Consent"] and records["Procedure"]
    assert all(c["patient"]["reference"] == patient for c in records["Consent"])
    assert_valid([r for rs in records.values() for r in rs])
    for kind, found in records.items():
        for resource in found[:2]:
            assert get(base, tokens["navigator"], f"{kind}/{resource['id']}").status_code == 200, kind
            if kind != "Procedure":
                assert get(base, tokens["food"], f"{kind}/{resource['id']}").status_code == 404, kind
    assert get(base, tokens["housing"], f"Consent?patient={patient}").status_code == 404
    assert get(base, tokens["navigator"], "Consent").status_code == 400  # a client-record search names its patient
    assert get(base, tokens["navigator"], f"Consent?patient={patient}&_include=Consent:patient").status_code == 400

    # Paged by _count: following each next link gives every record once, as the total says.
    kind = max(records, key=lambda k: len(records[k]))
    assert len(records[kind]) >= 2, records
    page = get(base, tokens["navigator"], f"{kind}?patient={patient}&_count=1").json()
    paged, pages = [], 0
    while True:
        pages += 1
        assert page["total"] == len(records[kind]) and len(page.get("entry", [])) == 1
        paged += [e["resource"]["id"] for e in page["entry"]]
        following = [link["url"] for link in page["link"] if link["relation"] == "next"]
        if not following:
            break
        page = requests.get(following[0], headers={"Authorization": f"Bearer {tokens['navigator']}"}).json()
    assert paged == [r["id"] for r in records[kind]] and pages == len(records[kind])
    assert get(base, tokens["navigator"], f"{kind}?patient={patient}&_cursor=-1").status_code == 400


def test_history_patch_and_a_recorded_procedure_close_the_loop(demo):
    base, tokens = demo
    partner = {"Authorization": f"Bearer {tokens['housing']}"}
    task = get(base, tokens["housing"], "Task?status=requested&_count=1").json()["entry"][0]["resource"]
    version = int(task["meta"]["versionId"])

    def patch(operations, at):
        return requests.patch(f"{base}/fhir/Task/{task['id']}", json=operations,
                              headers={**partner, "Content-Type": "application/json-patch+json", "If-Match": f'W/"{at}"'})

    accepted = patch([{"op": "test", "path": "/status", "value": "requested"}, {"op": "replace", "path": "/status", "value": "accepted"}], version)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted", accepted.text
    assert patch([{"op": "replace", "path": "/status", "value": "in-progress"}], version).status_code == 412
    assert patch([{"op": "test", "path": "/status", "value": "requested"}], version + 1).status_code == 412
    assert patch([{"op": "replace", "path": "/intent", "value": "plan"}], version + 1).status_code == 422
    working = patch([{"op": "replace", "path": "/status", "value": "in-progress"}], version + 1)
    assert working.status_code == 200, working.text

    procedure = requests.post(f"{base}/fhir/Procedure", headers={**partner, "Content-Type": FHIR_JSON}, json={
        "resourceType": "Procedure", "status": "completed", "subject": task["for"],
        "basedOn": [{"reference": f"ServiceRequest/{task['id']}"}],
        "outcome": {"coding": [{"system": "https://thaw.health/fhir/CodeSystem/referral-outcome", "code": "service-provided"}],
                    "text": "Housing application filed"}})
    assert procedure.status_code == 201, procedure.text
    assert get(base, tokens["food"], f"Procedure/{task['id']}").status_code == 404
    done = patch([{"op": "replace", "path": "/status", "value": "completed"},
                  {"op": "add", "path": "/output", "value": [{"type": {"text": "outcome"},
                                                             "valueReference": {"reference": f"Procedure/{task['id']}"}}]}], version + 2)
    assert done.status_code == 200 and done.json()["status"] == "completed", done.text

    history = get(base, tokens["navigator"], f"Task/{task['id']}/_history").json()
    statuses = [e["resource"]["status"] for e in history["entry"]]
    assert statuses[:4] == ["completed", "in-progress", "accepted", "requested"] and history["type"] == "history"
    old = get(base, tokens["navigator"], f"Task/{task['id']}/_history/{version}")
    assert old.status_code == 200 and old.json()["status"] == "requested"
    outcome = get(base, tokens["navigator"], f"Procedure/{task['id']}").json()
    assert outcome["outcome"]["text"] == "Housing application filed"
    assert_task_rules([e["resource"] for e in history["entry"]])
    assert_valid([history, outcome, procedure.json()])
    assert get(base, tokens["food"], f"Task/{task['id']}/_history").status_code == 404
