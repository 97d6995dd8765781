"""A referral source (an EMR) sends referrals to Thaw over FHIR, as the SDOH Clinical
Care IG's referral-source actor does: a transaction Bundle with the Task, its
ServiceRequest, the Patient, the Consent and the Conditions. The IG's own example
resources (from the conformance material, never copied here) must be taken as they are."""
import copy
import json
import os
import uuid
from pathlib import Path

import pytest
import requests
from fhirpy import SyncFHIRClient

from conftest import ROOT, demo_server, run
from test_fhir import FHIR_JSON, assert_valid

IG = "http://hl7.org/fhir/us/sdoh-clinicalcare"


def conformance_dir():
    """The IG's examples: THAW_CONFORMANCE_DIR, or the conformance material beside the repository."""
    candidates = [os.environ.get("THAW_CONFORMANCE_DIR"), str(ROOT.parent / "shared" / "conformance")]
    for candidate in filter(None, candidates):
        if (Path(candidate) / "gravity-sdohcc").is_dir():
            return Path(candidate) / "gravity-sdohcc"
    pytest.fail("the SDOH Clinical Care IG's examples are missing: set THAW_CONFORMANCE_DIR (.ci/run does)")


def example(name):
    return json.loads((conformance_dir() / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def network(thaw_bin, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("fhir-source") / "demo.sqlite")
    with demo_server(thaw_bin, db) as base:
        def token(email):
            return run(thaw_bin, "token", "create", "--database", db, "--email", email).stdout.split()[-1]

        tokens = {"clinic": token("navigator@riverside-fht.demo"), "food": token("staff@goodneighbour.demo"),
                  "housing": token("staff@homeward.demo")}
        organizations = {e["resource"]["name"]: e["resource"]["id"] for e in requests.get(
            base + "/fhir/Organization?_count=50", headers={"Authorization": f"Bearer {tokens['clinic']}"}).json()["entry"]}
        yield base, tokens, organizations


def post_bundle(base, token, bundle):
    return requests.post(base + "/fhir", data=json.dumps(bundle),
                         headers={"Authorization": f"Bearer {token}", "Content-Type": FHIR_JSON})


def ig_referral(owner, task_identifier, patient_identifier=None):
    """The IG's examples as a referral source sends them: its Patient, food-insecurity Condition,
    information-disclosure Consent and food-pantry ServiceRequest as they are; the Task is the IG's
    fulfilment Task as first sent (requested, for this network's food bank)."""
    patient = example("Patient-pat-53234")
    if patient_identifier:
        patient["identifier"][0]["value"] = patient_identifier
    task = example("Task-SDOHCC-TaskReferralManagementOrderFulfillmentAcceptedExample")
    task["status"] = "requested"
    task["owner"] = {"reference": f"Organization/{owner}"}
    task["identifier"] = [{"system": "urn:example:emr:referrals", "value": task_identifier}]
    resources = [patient, example("Condition-SDOHCC-ConditionFoodInsecurityExample"),
                 example("Consent-SDOHCC-ConsentInformationDisclosureExample"),
                 example("ServiceRequest-SDOHCC-ServiceRequestActiveFoodPantryApplicationAssistExample"), task]
    return {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": r, "request": {"method": "POST", "url": r["resourceType"]}}
        for r in resources]}


def locations(answer):
    return {e["response"]["location"].split("/")[0]: e["response"] for e in answer.json()["entry"]}


def test_the_igs_examples_make_a_referral_in_the_partners_inbox(network):
    base, tokens, orgs = network
    food = orgs["Good Neighbour Food Bank"]
    answer = post_bundle(base, tokens["clinic"], ig_referral(food, "emr-1001", "mrn-77001"))
    assert answer.status_code == 200, answer.text
    response = answer.json()
    assert response["type"] == "transaction-response" and len(response["entry"]) == 5
    made = locations(answer)
    assert made["Patient"]["status"] == "201 Created" and made["Task"]["status"] == "201 Created"
    task_id = made["Task"]["location"].split("/")[1]
    assert made["ServiceRequest"]["location"].startswith(f"ServiceRequest/{task_id}/")

    # The food bank finds it where it finds every referral: its open inbox, by owner and status.
    inbox = SyncFHIRClient(base + "/fhir", authorization=f"Bearer {tokens['food']}")
    bundle = inbox.resources("Task").search(owner=f"Organization/{food}", status="requested") \
        .include("Task", "focus").limit(100).fetch_raw()
    tasks = {e["resource"]["id"]: e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "match"}
    assert task_id in tasks
    request = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"] == task_id
                   and e["resource"]["resourceType"] == "ServiceRequest")
    assert request["category"][0]["coding"][0]["code"] == "food-insecurity"
    assert request["reasonReference"][0]["reference"].startswith("Condition/need-")
    patient = requests.get(f"{base}/fhir/{tasks[task_id]['for']['reference']}",
                           headers={"Authorization": f"Bearer {tokens['food']}"}).json()
    assert patient["name"][0]["family"] == "BAXTER"  # the current name, not the one that ended in 2020
    assert_valid(list(tasks.values()) + [request, patient])

    # The same referral sent again (a retry) is the same referral; nothing new is made.
    again = locations(post_bundle(base, tokens["clinic"], ig_referral(food, "emr-1001", "mrn-77001")))
    assert again["Task"]["location"] == made["Task"]["location"] and again["Task"]["status"] == "200 OK"

    # A new referral for the same patient finds the client by its identifier instead of registering another.
    second = locations(post_bundle(base, tokens["clinic"], ig_referral(food, "emr-1002", "mrn-77001")))
    assert second["Patient"] == {"status": "200 OK", "location": made["Patient"]["location"]}
    assert second["Task"]["location"] != made["Task"]["location"]


def test_a_bad_bundle_is_refused_naming_the_element_and_nothing_is_written(network):
    base, tokens, orgs = network
    food = orgs["Good Neighbour Food Bank"]
    bundle = ig_referral(food, "emr-2001", "mrn-88001")
    broken = copy.deepcopy(bundle)
    broken["entry"][3]["resource"]["category"] = [{"text": "food"}]
    answer = post_bundle(base, tokens["clinic"], broken)
    assert answer.status_code == 422, answer.text
    issue = answer.json()["issue"][0]
    assert answer.json()["resourceType"] == "OperationOutcome"
    assert issue["expression"] == ["Bundle.entry[3].resource.category"], issue

    # No consent for the receiver's purpose: refused by the same rule as the web app, naming the owner.
    care_only = copy.deepcopy(bundle)
    care_only["entry"][2]["resource"]["provision"] = {
        "purpose": [{"system": "https://thaw.health/fhir/CodeSystem/consent-purpose", "code": "care-coordination"}]}
    refused = post_bundle(base, tokens["clinic"], care_only)
    assert refused.status_code == 422 and refused.json()["issue"][0]["expression"] == ["Bundle.entry[4].resource.owner"]

    strays = copy.deepcopy(bundle)
    strays["entry"].append(copy.deepcopy(strays["entry"][1]))
    strays["entry"][-1]["fullUrl"] = f"urn:uuid:{uuid.uuid4()}"
    stray = post_bundle(base, tokens["clinic"], strays)
    assert stray.status_code == 422 and stray.json()["issue"][0]["expression"] == ["Bundle.entry[5].resource"]

    for body, expression in [({"resourceType": "Bundle", "type": "batch"}, "Bundle.type"),
                             ({"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": {"resourceType": "Observation"}}]},
                              "Bundle.entry[0].resource.resourceType")]:
        refused = post_bundle(base, tokens["clinic"], body)
        assert refused.status_code == 400 and refused.json()["issue"][0]["expression"] == [expression], refused.text

    # Nothing of the refused attempts was kept: the patient is registered only now.
    made = locations(post_bundle(base, tokens["clinic"], bundle))
    assert made["Patient"]["status"] == "201 Created" and made["Task"]["status"] == "201 Created"


def test_a_partner_cannot_send_a_referral_for_a_client_it_does_not_hold(network):
    base, tokens, orgs = network
    clinic_referral = locations(post_bundle(base, tokens["clinic"], ig_referral(
        orgs["Good Neighbour Food Bank"], "emr-3001", "mrn-99001")))
    bundle = ig_referral(orgs["Homeward Housing Society"], "housing-1", None)
    # The housing partner names the clinic's client by its Thaw id instead of sending a Patient.
    del bundle["entry"][0]
    patient_ref = {"reference": clinic_referral["Patient"]["location"]}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        for key in ("subject", "patient", "for"):
            if key in resource:
                resource[key] = patient_ref
    answer = post_bundle(base, tokens["housing"], bundle)
    assert answer.status_code in (403, 422), answer.text
    assert answer.json()["resourceType"] == "OperationOutcome"


def post(base, token, resource):
    return requests.post(f"{base}/fhir/{resource['resourceType']}", data=json.dumps(resource),
                         headers={"Authorization": f"Bearer {token}", "Content-Type": FHIR_JSON})


def test_a_source_posts_the_patient_needs_and_consent_first_then_a_referral_that_references_them(network):
    base, tokens, orgs = network
    food = orgs["Good Neighbour Food Bank"]
    patient = example("Patient-pat-53234")
    patient["identifier"][0]["value"] = "mrn-first-1"
    made = post(base, tokens["clinic"], patient)
    assert made.status_code == 201, made.text
    patient_id = made.json()["id"]
    assert made.headers["Location"].endswith(f"/Patient/{patient_id}") and made.json()["name"][0]["family"] == "BAXTER"
    # Posted again, the identifier finds the same client: 200, nothing registered twice.
    again = post(base, tokens["clinic"], patient)
    assert again.status_code == 200 and again.json()["id"] == patient_id

    condition = example("Condition-SDOHCC-ConditionFoodInsecurityExample")
    condition["subject"] = {"reference": f"Patient/{patient_id}"}
    need = post(base, tokens["clinic"], condition)
    assert need.status_code == 201, need.text
    assert post(base, tokens["clinic"], condition).json()["id"] == need.json()["id"]  # its active need of that category

    consent = example("Consent-SDOHCC-ConsentInformationDisclosureExample")
    consent["patient"] = {"reference": f"Patient/{patient_id}"}
    consent["provision"] = {"type": "permit", "actor": [{"reference": {"reference": f"Organization/{food}"}}]}
    recorded = post(base, tokens["clinic"], consent)
    assert recorded.status_code == 201, recorded.text
    assert_valid([made.json(), need.json(), recorded.json()])

    # The referral itself: only the Task and its ServiceRequest, naming what was posted.
    bundle = ig_referral(food, "emr-first-1")
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] in ("Task", "ServiceRequest")]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        for key in ("subject", "for"):
            if key in resource:
                resource[key] = {"reference": f"Patient/{patient_id}"}
        if resource["resourceType"] == "ServiceRequest":
            resource["reasonReference"] = [{"reference": f"Condition/{need.json()['id']}"}]
            resource.pop("supportingInfo", None)
        if resource["resourceType"] == "Task":
            resource["focus"] = {"reference": next(e["fullUrl"] for e in bundle["entry"]
                                                   if e["resource"]["resourceType"] == "ServiceRequest")}
    answer = post_bundle(base, tokens["clinic"], bundle)
    assert answer.status_code == 200, answer.text
    task_id = locations(answer)["Task"]["location"].split("/")[1]
    seen = requests.get(f"{base}/fhir/Task?_id={task_id}&_include=Task:focus",
                        headers={"Authorization": f"Bearer {tokens['food']}"}).json()
    request = next(e["resource"] for e in seen["entry"] if e["resource"]["resourceType"] == "ServiceRequest")
    assert request["subject"]["reference"] == f"Patient/{patient_id}"
    assert request["reasonReference"] == [{"reference": f"Condition/{need.json()['id']}"}]


def test_a_resource_posted_alone_is_refused_naming_its_element(network):
    base, tokens, orgs = network
    nameless = example("Patient-pat-53234")
    del nameless["name"]
    refused = post(base, tokens["clinic"], nameless)
    assert refused.status_code == 422 and refused.json()["issue"][0]["expression"] == ["Patient.name"], refused.text

    wrong_type = requests.post(f"{base}/fhir/Patient", data=json.dumps(example("Condition-SDOHCC-ConditionFoodInsecurityExample")),
                               headers={"Authorization": f"Bearer {tokens['clinic']}", "Content-Type": FHIR_JSON})
    assert wrong_type.status_code == 400 and wrong_type.json()["issue"][0]["expression"] == ["Patient.resourceType"]

    # The clinic's patient is not the housing partner's to record needs or consents for.
    clinic_patient = post(base, tokens["clinic"], example("Patient-pat-53234")).json()["id"]
    condition = example("Condition-SDOHCC-ConditionFoodInsecurityExample")
    condition["subject"] = {"reference": f"Patient/{clinic_patient}"}
    foreign = post(base, tokens["housing"], condition)
    assert foreign.status_code in (403, 422), foreign.text
    consent = example("Consent-SDOHCC-ConsentInformationDisclosureExample")
    consent["patient"] = {"reference": f"Patient/{clinic_patient}"}
    consent["provision"] = {"type": "permit", "actor": [{"reference": {"reference": "Organization/org-nowhere"}}]}
    nowhere = post(base, tokens["clinic"], consent)
    assert nowhere.status_code == 422
    assert nowhere.json()["issue"][0]["expression"] == ["Consent.provision.actor[0].reference"], nowhere.text
