"""Two Thaw servers, as a clinic and a partner that runs its own system: the clinic refers a
client to the partner's service; the referral is sent to the partner's FHIR server (SMART
Backend Services with the clinic server's own key), lands in the partner's inbox there with
only what the consent allows, and each move the partner makes there comes back to the clinic's
referral, its timeline and the navigator's notifications."""
import json
import time

import pytest
import requests

from conftest import demo_server, run


def fhir_to_thaw(fhir_id):
    return fhir_id.replace("-", "_", 1)


def wait_for(what, check, timeout=30):
    """Polls `check` until it answers something true; the servers' logs are beside their databases."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    pytest.fail(f"{what} did not happen within {timeout} s")


def test_a_referral_to_a_partner_that_runs_its_own_system(thaw_bin, tmp_path):
    clinic_db, partner_db = str(tmp_path / "clinic.sqlite"), str(tmp_path / "partner.sqlite")
    with demo_server(thaw_bin, partner_db, "--partner-follow-seconds", "1") as partner, \
            demo_server(thaw_bin, clinic_db, "--partner-follow-seconds", "1") as clinic:
        def token(db, address):
            return run(thaw_bin, "token", "create", "--database", db, "--email", address).stdout.split()[-1]

        def bearer(value):
            return {"Authorization": f"Bearer {value}"}

        def organizations(base, auth):
            bundle = requests.get(base + "/fhir/Organization?_count=50", headers=auth).json()
            return {e["resource"]["name"]: e["resource"]["id"] for e in bundle["entry"]}

        # The partner's system: the clinic is an organisation there too, with an administrator who
        # registers the clinic's server as a system acting for its navigator.
        partner_staff = bearer(token(partner_db, "staff@homeward.demo"))
        partner_orgs = organizations(partner, partner_staff)
        run(thaw_bin, "user", "add", "--database", partner_db, "--organization", fhir_to_thaw(partner_orgs["Riverside Family Health Team"]),
            "--email", "admin@riverside.partner.test", "--name", "Riverside administrator", "--roles", "administrator",
            env={"THAW_PASSWORD": "correct horse battery staple"})
        riverside_admin = bearer(token(partner_db, "admin@riverside.partner.test"))
        navigator_there = next(u for u in requests.get(partner + "/api/v1/users", headers=riverside_admin).json()["items"]
                               if u["email"] == "navigator@riverside-fht.demo")
        clinic_keys = requests.get(clinic + "/fhir/.well-known/jwks.json").json()
        assert clinic_keys["keys"][0]["alg"] == "ES384" and "d" not in clinic_keys["keys"][0]
        registered = requests.post(partner + "/api/v1/smart-clients", headers=riverside_admin, json={
            "name": "Riverside's Thaw", "userId": navigator_there["id"], "jwks": json.dumps(clinic_keys),
            "scopes": "system/Task.crus system/ServiceRequest.crs system/Patient.crs system/Consent.crs system/Condition.crs system/Procedure.rs"})
        assert registered.status_code == 201, registered.text

        # The clinic's network administrator names Homeward's own system.
        network_admin = bearer(token(clinic_db, "admin@thaw.demo"))
        clinic_orgs = organizations(clinic, network_admin)
        homeward_here = fhir_to_thaw(clinic_orgs["Homeward Housing Society"])
        endpoint = requests.put(f"{clinic}/api/v1/organizations/{homeward_here}/fhir-endpoint", headers=network_admin, json={
            "fhirBase": partner + "/fhir", "clientId": registered.json()["id"],
            "remoteOrganizationId": partner_orgs["Homeward Housing Society"]})
        assert endpoint.status_code == 200, endpoint.text
        assert requests.put(f"{clinic}/api/v1/organizations/{homeward_here}/fhir-endpoint", headers=bearer(token(clinic_db, "navigator@riverside-fht.demo")),
                            json={"fhirBase": "https://x.example/fhir", "clientId": "x", "remoteOrganizationId": "x"}).status_code == 403

        # The navigator refers a new client, with consent to contact details and needs (not notes).
        navigator = bearer(token(clinic_db, "navigator@riverside-fht.demo"))
        client = requests.post(clinic + "/api/v1/clients", headers=navigator, json={
            "givenName": "Mira", "familyName": "Exchange", "phone": "555-0142", "birthDate": "1980-04-02"}).json()
        consent = requests.post(f"{clinic}/api/v1/clients/{client['id']}/consents", headers=navigator, json={
            "grantee": {"organizationId": homeward_here}, "scopes": ["contact", "needs"], "purpose": "referral"})
        assert consent.status_code == 201, consent.text
        screening = requests.post(f"{clinic}/api/v1/clients/{client['id']}/screenings", headers=navigator, json={"answers": {"housing": "yes"}})
        assert screening.status_code == 201, screening.text
        needs = [n["id"] for n in requests.get(f"{clinic}/api/v1/clients/{client['id']}/needs", headers=navigator).json()["items"]]
        service = next(e["resource"]["id"] for e in requests.get(
            f"{clinic}/fhir/HealthcareService?organization=Organization/{clinic_orgs['Homeward Housing Society']}", headers=navigator).json()["entry"])
        referral = requests.post(clinic + "/api/v1/referrals", headers=navigator, json={
            "clientId": client["id"], "serviceId": fhir_to_thaw(service), "needCategory": "housing", "needIds": needs,
            "note": "Private: discussed family conflict"})
        assert referral.status_code == 201, referral.text
        referral_id = referral.json()["id"]

        # It reaches the partner's own system, in Homeward's inbox there.
        partner_fhir = {**partner_staff, "Accept": "application/fhir+json"}

        def arrived():
            bundle = requests.get(f"{partner}/fhir/Task?owner=Organization/{partner_orgs['Homeward Housing Society']}&status=requested"
                                  "&_include=Task:focus&_include=Task:patient&_count=200", headers=partner_fhir).json()
            entries = [e["resource"] for e in bundle.get("entry", [])]
            patients = {f"Patient/{r['id']}" for r in entries if r["resourceType"] == "Patient" and r["name"][0]["family"] == "Exchange"}
            task = next((t for t in entries if t["resourceType"] == "Task" and t.get("for", {}).get("reference") in patients), None)
            return (task, entries) if task else None

        task, entries = wait_for("the referral reaching the partner's system", arrived)
        request = next(r for r in entries if r["resourceType"] == "ServiceRequest" and r["id"] == task["id"])
        patient = next(r for r in entries if r["resourceType"] == "Patient" and f"Patient/{r['id']}" == task["for"]["reference"])
        assert patient["name"][0]["family"] == "Exchange" and patient["telecom"][0]["value"] == "555-0142"
        assert "note" not in request and "note" not in task, "the consent does not cover notes: the note stays home"
        assert request["reasonReference"], "the needs went, under the needs scope"

        # The partner works it in its own system: accepted, then completed with an outcome.
        there = fhir_to_thaw(task["id"])
        partner_api = {**partner_staff, "Content-Type": "application/json"}
        accepted = requests.post(f"{partner}/api/v1/referrals/{there}/status", headers={**partner_api, "If-Match": '"1"'}, json={"status": "accepted"})
        assert accepted.status_code == 200, accepted.text
        wait_for("the acceptance mirrored at the clinic", lambda: requests.get(
            f"{clinic}/api/v1/referrals/{referral_id}", headers=navigator).json()["referral"]["status"] == "accepted")
        completed = requests.post(f"{partner}/api/v1/referrals/{there}/status", headers={**partner_api, "If-Match": accepted.headers["ETag"]},
                                  json={"status": "completed", "outcome": {"code": "need-met", "summary": "Moved into supportive housing"}})
        assert completed.status_code == 200, completed.text
        mirrored = wait_for("the completion mirrored at the clinic", lambda: (lambda r: r if r["status"] == "completed" else None)(
            requests.get(f"{clinic}/api/v1/referrals/{referral_id}", headers=navigator).json()["referral"]))
        assert mirrored["outcome"] == {"code": "need-met", "summary": "Moved into supportive housing"}

        # The navigator heard of it as of any referral.
        kinds = wait_for("the navigator's notifications", lambda: {
            n["kind"] for n in requests.get(clinic + "/api/v1/notifications", headers=navigator).json()["items"]
            if n.get("referralId") == referral_id} >= {"referral-accepted", "referral-completed"} or None)
        assert kinds

        # A second referral, cancelled here by the navigator before the partner answers: cancelled there too.
        second = requests.post(clinic + "/api/v1/referrals", headers=navigator, json={
            "clientId": client["id"], "serviceId": fhir_to_thaw(service), "needCategory": "housing", "needIds": needs})
        assert second.status_code == 201, second.text
        second_task, _ = wait_for("the second referral reaching the partner's system", arrived)
        assert second_task["id"] != task["id"]
        cancelled = requests.post(f"{clinic}/api/v1/referrals/{second.json()['id']}/status",
                                  headers={**navigator, "If-Match": second.headers["ETag"]},
                                  json={"status": "cancelled", "reason": "The client found housing through family"})
        assert cancelled.status_code == 200, cancelled.text
        there_now = wait_for("the cancellation reaching the partner's system", lambda: (lambda t: t if t["status"] == "cancelled" else None)(
            requests.get(f"{partner}/fhir/Task/{second_task['id']}", headers=partner_fhir).json()))
        assert "statusReason" not in there_now  # the partner's staff never read the referring side's reasons without notes
        # And the reason itself never left the clinic: the clinic's own view there holds only that it was cancelled.
        as_sender = requests.get(f"{partner}/fhir/Task/{second_task['id']}",
                                 headers=bearer(token(partner_db, "navigator@riverside-fht.demo"))).json()
        assert as_sender["statusReason"]["text"] == "Cancelled by the referring organisation"
