"""FHIR R4 at /fhir, driven by clients nobody here wrote: fhirpy searches and
updates, and every resource Thaw returns validates against fhir.resources'
strict R4 models (in their own virtual environment, made by .ci/run)."""
import json
import os
import subprocess

import pytest
import requests
from fhirpy import SyncFHIRClient

from conftest import ROOT, demo_server, run

VALIDATOR_PYTHON = os.environ.get("THAW_FHIR_VENV_PYTHON") or str(ROOT / ".build" / "fhir-venv" / "bin" / "python")
FHIR_JSON = "application/fhir+json"


@pytest.fixture(scope="module")
def demo(thaw_bin, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("fhir") / "demo.sqlite")
    with demo_server(thaw_bin, db) as base:
        def token(email):
            return run(thaw_bin, "token", "create", "--database", db, "--email", email).stdout.split()[-1]

        yield base, {"navigator": token("navigator@riverside-fht.demo"), "housing": token("staff@homeward.demo"),
                     "food": token("staff@goodneighbour.demo"), "employment": token("staff@workbridge.demo")}


def client(base, token):
    return SyncFHIRClient(base + "/fhir", authorization=f"Bearer {token}")


def get(base, token, path):
    return requests.get(base + "/fhir/" + path, headers={"Authorization": f"Bearer {token}"})


def assert_valid(resources):
    assert os.path.exists(VALIDATOR_PYTHON), f"the fhir.resources environment is made by .ci/run: {VALIDATOR_PYTHON} is missing"
    result = subprocess.run([VALIDATOR_PYTHON, str(ROOT / "Tests" / "e2e" / "fhir_validate.py")],
                            input=json.dumps(resources), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_metadata_states_what_is_implemented_and_validates(demo):
    base, _ = demo
    answer = requests.get(base + "/fhir/metadata")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(FHIR_JSON)
    statement = answer.json()
    assert statement["fhirVersion"] == "4.0.1"
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert {"Task", "ServiceRequest", "Patient", "Organization", "HealthcareService"} <= set(resources)
    assert "update" in [i["code"] for i in resources["Task"]["interaction"]]
    assert "Task:focus" in resources["Task"]["searchInclude"]
    assert_valid([statement])


def test_partner_finds_its_requested_tasks_with_their_service_requests(demo):
    base, tokens = demo
    housing = client(base, tokens["housing"])
    bundle = housing.resources("Task").search(status="requested").include("Task", "focus").limit(50).fetch_raw()
    tasks = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "match"]
    included = {e["resource"]["id"]: e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "include"}
    assert tasks, "the demo has requested referrals for the housing partner"
    owners = {t["owner"]["reference"] for t in tasks if "owner" in t}
    assert len(owners) == 1, owners  # its own inbox only
    for task in tasks:
        assert task["status"] == "requested" and task["code"]["coding"][0]["code"] == "fulfill"
        assert task["focus"]["reference"] == f"ServiceRequest/{task['id']}" and task["id"] in included
    assert_valid(tasks + list(included.values()))


def test_navigator_reads_every_resource_around_a_referral_and_all_validate(demo):
    base, tokens = demo
    token = tokens["navigator"]
    bundle = get(base, token, "Task?_count=20&_include=Task:output&_include=Task:patient&_include=Task:owner").json()
    resources = [e["resource"] for e in bundle["entry"]]
    assert {"Task", "Patient", "Organization"} <= {r["resourceType"] for r in resources}
    task = next(r for r in resources if r["resourceType"] == "Task")
    reads = [get(base, token, task["focus"]["reference"]), get(base, token, task["for"]["reference"]),
             get(base, token, task["requester"]["reference"])]
    for answer in reads:
        assert answer.status_code == 200, answer.text
        assert answer.headers["Content-Type"].startswith(FHIR_JSON)
    services = get(base, token, "HealthcareService?_count=5").json()
    assert_valid(resources + [r.json() for r in reads] + [e["resource"] for e in services.get("entry", [])])


def test_paging_follows_next_links_without_repeats(demo):
    base, tokens = demo
    seen, url, pages = [], base + "/fhir/Task?_count=3", 0
    while url and pages < 50:
        bundle = requests.get(url, headers={"Authorization": f"Bearer {tokens['navigator']}"}).json()
        seen += [e["resource"]["id"] for e in bundle.get("entry", [])]
        url = next((l["url"] for l in bundle["link"] if l["relation"] == "next"), None)
        pages += 1
    assert pages > 1 and len(seen) == len(set(seen))


def test_a_partner_reads_nothing_of_another_partners_referrals(demo):
    base, tokens = demo
    housing_tasks = get(base, tokens["housing"], "Task?_count=50").json().get("entry", [])
    assert housing_tasks
    # A client referred to both partners is the food bank's to read through its own referral; the others are not.
    food_patients = {e["resource"].get("for", {}).get("reference") for e in get(base, tokens["food"], "Task?_count=200").json().get("entry", [])}
    others = [e for e in housing_tasks if e["resource"].get("for", {}).get("reference") not in food_patients]
    assert len(others) >= 5
    for entry in others[:5]:
        task = entry["resource"]
        for path in (f"Task/{task['id']}", f"ServiceRequest/{task['id']}", task.get("for", {}).get("reference", "Patient/none")):
            answer = get(base, tokens["food"], path)
            assert answer.status_code == 404, (path, answer.status_code)
            assert answer.json()["resourceType"] == "OperationOutcome"
    food_ids = {e["resource"]["id"] for e in get(base, tokens["food"], "Task?_count=200").json().get("entry", [])}
    assert not food_ids & {e["resource"]["id"] for e in housing_tasks}


def test_the_partner_accepts_a_task_with_if_match_and_a_stale_version_is_refused(demo):
    base, tokens = demo
    headers = {"Authorization": f"Bearer {tokens['housing']}", "Content-Type": FHIR_JSON}
    task = get(base, tokens["housing"], "Task?status=requested&_count=1").json()["entry"][0]["resource"]
    version = task["meta"]["versionId"]
    accepted = dict(task, status="accepted")
    answer = requests.put(f"{base}/fhir/Task/{task['id']}", json=accepted, headers={**headers, "If-Match": f'W/"{version}"'})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "accepted" and answer.headers["ETag"] == f'W/"{int(version) + 1}"'
    stale = requests.put(f"{base}/fhir/Task/{task['id']}", json=dict(accepted, status="in-progress"),
                         headers={**headers, "If-Match": f'W/"{version}"'})
    assert stale.status_code == 412 and stale.json()["resourceType"] == "OperationOutcome"
    # The referrer sees the change through FHIR too.
    seen = get(base, tokens["navigator"], f"Task/{task['id']}").json()
    assert seen["status"] == "accepted"


def test_bad_searches_and_bodies_get_an_operation_outcome_naming_the_element(demo):
    base, tokens = demo
    unknown = get(base, tokens["navigator"], "Task?colour=blue")
    assert unknown.status_code == 400
    issue = unknown.json()["issue"][0]
    assert issue["expression"] == ["Task.colour"] or "colour" in issue["diagnostics"]
    bad_status = get(base, tokens["navigator"], "Task?status=finished")
    assert bad_status.status_code == 400 and bad_status.json()["resourceType"] == "OperationOutcome"
    task = get(base, tokens["housing"], "Task?_count=1").json()["entry"][0]["resource"]
    broken = requests.put(f"{base}/fhir/Task/{task['id']}", data="{\"resourceType\": \"Task\", \"status\": 7}",
                          headers={"Authorization": f"Bearer {tokens['housing']}", "Content-Type": FHIR_JSON,
                                   "If-Match": f'W/"{task["meta"]["versionId"]}"'})
    assert broken.status_code == 400 and broken.json()["resourceType"] == "OperationOutcome"


def test_an_onward_referral_is_a_task_part_of_the_one_it_came_from(demo):
    """The demo's job coach referred a client on: the onward Task names its parent in partOf,
    validates, and the navigator holding the client sees the chain over the API."""
    base, tokens = demo
    tasks = client(base, tokens["employment"]).resources("Task").limit(200).fetch_all()
    onward = [t.serialize() for t in tasks if t.get("partOf")]
    assert len(onward) == 2, "the demo's job coach referred one client on twice"
    parents = {t["partOf"][0]["reference"] for t in onward}
    assert len(parents) == 1 and parents.pop().startswith("Task/")
    parent = onward[0]["partOf"][0]["reference"]
    assert get(base, tokens["employment"], parent).status_code == 200, "the partner works the referral it came from"
    assert_valid(onward)
    parent_id = parent.split("/")[1].replace("-", "_")
    def chain(token):
        return requests.get(f"{base}/api/v1/referrals/{parent_id}/chain", headers={"Authorization": f"Bearer {token}"})
    links = chain(tokens["navigator"])
    assert links.status_code == 200, links.text
    items = links.json()["items"]
    assert len(items) == 3 and [l.get("partOf") is not None for l in items] == [False, True, True]
    assert chain(tokens["housing"]).status_code == 404, "housing is not party to the referral the chain is asked from"


def test_tasks_for_the_patient_are_the_igs_and_only_for_the_record_holder(demo):
    """What the navigator asked the client to do is the IG's TaskForPatient: the client both
    subject and owner, the clinic the requester, the service to contact as the input; it
    validates, is read by id, and the partner finds none of it."""
    base, tokens = demo
    nav = tokens["navigator"]
    referral_tasks = get(base, nav, "Task?_count=50&_include=Task:patient").json()["entry"]
    patients = {e["resource"]["id"] for e in referral_tasks if e["resource"]["resourceType"] == "Patient"}
    found = []
    for patient in sorted(patients):
        answer = get(base, nav, f"Task?code=make-contact,review-material,general-information&patient=Patient/{patient}")
        assert answer.status_code == 200, answer.text
        found += [e["resource"] for e in answer.json().get("entry", [])]
    assert found, "the demo's navigator asked clients to do things themselves"
    profile = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForPatient"
    for task in found:
        assert task["meta"]["profile"] == [profile]
        assert task["for"] == {"reference": task["owner"]["reference"]} or task["for"]["reference"] == task["owner"]["reference"]
        assert task["requester"]["reference"].startswith("Organization/") and task["description"]
    contact = [t for t in found if t["code"]["coding"][0]["code"] == "make-contact"]
    assert contact and all(t["input"][0]["valueReference"]["reference"].startswith("HealthcareService/") for t in contact)
    assert_valid(found)
    one = get(base, nav, f"Task/{found[0]['id']}")
    assert one.status_code == 200 and one.json()["id"] == found[0]["id"]
    # The partner the referral went to: not found, as for an id that does not exist.
    assert get(base, tokens["housing"], f"Task/{found[0]['id']}").status_code == 404
    patient = found[0]["for"]["reference"]
    assert get(base, tokens["housing"], f"Task?code=make-contact&patient={patient}").status_code == 404
    assert get(base, nav, "Task?code=make-contact").status_code == 400, "tasks for the patient are searched for one patient"
