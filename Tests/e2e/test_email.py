"""Email through a real SMTP server (aiosmtpd, started here) that demands STARTTLS and
authentication: a partner hears of a new referral at once, the email carries no client data,
its one-click link turns email off without signing in, and every notification is also in the
person's list in the web app and the API."""
import datetime
import email
import email.policy
import ssl
import subprocess
import threading
import time

import pytest
import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from conftest import demo_server, free_port, run
from test_fhir_referral_source import ig_referral, locations, post_bundle


class Inbox:
    """Messages the SMTP server accepted, by recipient."""

    def __init__(self):
        self.messages, self.lock = [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=email.policy.default),
                                  session.authenticated, session.ssl is not None))
        return "250 OK"

    def to(self, address):
        with self.lock:
            return [m for m in self.messages if address in m[0]]

    def wait_for(self, address, count=1, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.to(address)) >= count:
                return self.to(address)
            time.sleep(0.1)
        pytest.fail(f"no email to {address} within {timeout} s; the server has: {[m[0] for m in self.messages]}")


def authenticator(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=auth_data.login == b"thaw" and auth_data.password == b"s3cret-pass")


@pytest.fixture(scope="module")
def mail(thaw_bin, tmp_path_factory):
    work = tmp_path_factory.mktemp("email")
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_required=True, auth_require_tls=True)
    controller.start()
    db = str(work / "demo.sqlite")
    smtp = f"smtp://thaw:s3cret-pass@localhost:{port}?from=thaw@demo.test&ca={cert}"
    try:
        with demo_server(thaw_bin, db, "--smtp", smtp, "--deadline-sweep-seconds", "1") as base:
            def token(address):
                return run(thaw_bin, "token", "create", "--database", db, "--email", address).stdout.split()[-1]

            tokens = {"clinic": token("navigator@riverside-fht.demo"), "food": token("staff@goodneighbour.demo"),
                      "lead": token("lead@riverside-pcn.demo")}
            organizations = {e["resource"]["name"]: e["resource"]["id"] for e in requests.get(
                base + "/fhir/Organization?_count=50", headers={"Authorization": f"Bearer {tokens['clinic']}"}).json()["entry"]}
            yield base, tokens, organizations, inbox
    finally:
        controller.stop()


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_partner_is_emailed_of_a_new_referral_without_client_data(mail):
    base, tokens, orgs, inbox = mail
    # The demo's history is not emailed when it starts; only reminders of what is coming due may be.
    assert {m[1]["Subject"] for m in inbox.messages} <= {"Thaw: a commitment is due soon"}
    made = locations(post_bundle(base, tokens["clinic"], ig_referral(orgs["Good Neighbour Food Bank"], "mail-1", "mrn-mail-1")))
    referral = made["Task"]["location"].split("/")[1].replace("-", "_", 1)
    recipients, message, authenticated, encrypted = inbox.wait_for("staff@goodneighbour.demo")[0]
    assert authenticated and encrypted  # STARTTLS, then AUTH, as the server demands
    assert message["Subject"] == "Thaw: a new referral" and message["From"].addresses[0].addr_spec == "thaw@demo.test"
    body = text_of(message)
    assert f"/referrals/{referral}" in body and "Riverside Family Health Team sent Good Neighbour Food Bank a referral." in body
    for private in ("BAXTER", "ABBAS", "COLIN", "food pantry", "Food insecurity", "555-555-5555", "1987"):
        assert private.lower() not in (body + str(message)).lower(), private
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The same notification is in the person's list, through the API.
    listed = requests.get(base + "/api/v1/notifications", headers={"Authorization": f"Bearer {tokens['food']}"}).json()
    assert listed["unread"] >= 1 and any(n["referralId"] == referral and n["kind"] == "new-referral" for n in listed["items"])


def test_the_email_link_changes_preferences_without_signing_in_and_one_click_stops_email(mail):
    base, tokens, orgs, inbox = mail
    before = len(inbox.to("staff@goodneighbour.demo"))
    locations(post_bundle(base, tokens["clinic"], ig_referral(orgs["Good Neighbour Food Bank"], "mail-2", "mrn-mail-2")))
    message = inbox.wait_for("staff@goodneighbour.demo", before + 1)[-1][1]
    link = next(line.strip() for line in text_of(message).splitlines() if "/email-preferences/" in line)
    page = requests.get(link)
    assert page.status_code == 200 and "A new referral reaches your organisation" in page.text
    assert requests.get(link[:-4] + "xxxx").status_code == 404  # a link Thaw did not send opens nothing
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert requests.post(unsubscribe, data="List-Unsubscribe=One-Click",
                         headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 200
    preferences = requests.get(base + "/api/v1/notification-preferences", headers={"Authorization": f"Bearer {tokens['food']}"}).json()
    assert {p["mode"] for p in preferences["items"]} == {"off"}

    locations(post_bundle(base, tokens["clinic"], ig_referral(orgs["Good Neighbour Food Bank"], "mail-3", "mrn-mail-3")))
    time.sleep(3)
    assert len(inbox.to("staff@goodneighbour.demo")) == before + 1, "no email after one-click off"
    listed = requests.get(base + "/api/v1/notifications", headers={"Authorization": f"Bearer {tokens['food']}"}).json()
    assert sum(n["kind"] == "new-referral" for n in listed["items"]) >= 3  # still in the list


def test_the_referrer_chooses_digest_and_hears_nothing_at_once(mail):
    base, tokens, orgs, inbox = mail
    headers = {"Authorization": f"Bearer {tokens['clinic']}"}
    answer = requests.put(base + "/api/v1/notification-preferences", json={"kind": "referral-accepted", "mode": "digest"}, headers=headers)
    assert answer.status_code == 200
    assert next(p for p in answer.json()["items"] if p["kind"] == "referral-accepted")["mode"] == "digest"
    made = locations(post_bundle(base, tokens["clinic"], ig_referral(orgs["Good Neighbour Food Bank"], "mail-4", "mrn-mail-4")))
    task_id = made["Task"]["location"].split("/")[1]
    task = requests.get(f"{base}/fhir/Task/{task_id}", headers={"Authorization": f"Bearer {tokens['food']}"}).json()
    accepted = requests.put(f"{base}/fhir/Task/{task_id}", json=dict(task, status="accepted"),
                            headers={"Authorization": f"Bearer {tokens['food']}", "Content-Type": "application/fhir+json",
                                     "If-Match": f'W/"{task["meta"]["versionId"]}"'})
    assert accepted.status_code == 200
    deadline = time.time() + 10
    while time.time() < deadline:
        listed = requests.get(base + "/api/v1/notifications", headers=headers).json()
        if any(n["kind"] == "referral-accepted" and n["referralId"] == task_id.replace("-", "_", 1) for n in listed["items"]):
            break
        time.sleep(0.2)
    else:
        pytest.fail("the referrer's notification did not arrive")
    time.sleep(1)
    assert not inbox.to("navigator@riverside-fht.demo"), "a digest choice is not emailed at once"
    assert requests.post(base + "/api/v1/notification-preferences", json={}, headers=headers).status_code in (404, 405)


def test_a_partnership_lead_is_reminded_of_a_commitment_coming_due_without_its_words(mail):
    base, tokens, orgs, inbox = mail
    headers = {"Authorization": f"Bearer {tokens['lead']}"}
    before = len(inbox.to("lead@riverside-pcn.demo"))
    tomorrow = (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)).isoformat()
    made = requests.post(base + "/api/v1/commitments", headers=headers, json={
        "toOrganizationId": orgs["Good Neighbour Food Bank"].replace("-", "_", 1), "what": "Send the winter hamper schedule",
        "context": "meeting", "dueOn": tomorrow})
    assert made.status_code == 201, made.text
    message = inbox.wait_for("lead@riverside-pcn.demo", before + 1)[-1][1]
    body = text_of(message)
    assert message["Subject"] == "Thaw: a commitment is due soon"
    assert f"made to Good Neighbour Food Bank is due on {tomorrow}." in body and "/partnership/commitments" in body
    assert "hamper" not in body.lower()  # what was promised stays in Thaw

    # Once: the sweep runs each second, and nothing more about it arrives.
    time.sleep(3)
    again = [m for m in inbox.to("lead@riverside-pcn.demo")[before:] if tomorrow in text_of(m[1]) and "Good Neighbour" in text_of(m[1])]
    assert len(again) == 1
    listed = requests.get(base + "/api/v1/notifications", headers=headers).json()
    mine = [n for n in listed["items"] if n["kind"] == "commitment-due" and n["subject"] == {"type": "commitment", "id": made.json()["id"]}]
    assert len(mine) == 1 and "referralId" not in mine[0]


def test_a_client_who_agreed_gets_an_appointment_reminder_in_french_with_the_time_and_place_only(mail):
    base, tokens, orgs, inbox = mail
    def call(method, path, token, body=None, headers=None):
        answer = requests.request(method, base + "/api/v1" + path, json=body,
                                  headers={"Authorization": f"Bearer {tokens[token]}", **(headers or {})})
        assert answer.status_code < 300, (path, answer.status_code, answer.text)
        return answer
    client = call("POST", "/clients", "clinic", {"givenName": "Élodie", "familyName": "Beausoleil", "email": "elodie@client.test",
                                                  "preferredLanguage": "fr"}).json()
    call("POST", f"/clients/{client['id']}/consents", "clinic",
         {"grantee": {"sector": "community"}, "scopes": ["contact", "needs"], "purpose": "referral"})
    services = call("GET", "/services?need=food", "clinic").json()["items"]
    hamper = next(s for s in services if s["name"] == "Weekly Food Hamper")
    referral = call("POST", "/referrals", "clinic", {"clientId": client["id"], "serviceId": hamper["id"], "needCategory": "food",
                                                     "note": "Pantry empty since the layoff"})
    call("POST", f"/referrals/{referral.json()['id']}/status", "food", {"status": "accepted"}, {"If-Match": referral.headers["ETag"]})
    # Not agreed yet: no reminder goes, even once an appointment is booked.
    soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=3)).replace(microsecond=0)
    call("POST", f"/referrals/{referral.json()['id']}/appointments", "food",
         {"at": soon.strftime("%Y-%m-%dT%H:%M:%SZ"), "place": "12 Rue Principale, salle 2"})
    time.sleep(2)
    assert not inbox.to("elodie@client.test")
    # Agreed: the next appointment's reminder goes at once (it is within a day), in French.
    assert call("PUT", f"/clients/{client['id']}/reminders", "clinic", {"channel": "email"}).json() == {"channel": "email"}
    later = soon + datetime.timedelta(hours=2)
    call("POST", f"/referrals/{referral.json()['id']}/appointments", "food",
         {"at": later.strftime("%Y-%m-%dT%H:%M:%SZ"), "place": "12 Rue Principale, salle 2"})
    messages = inbox.wait_for("elodie@client.test", count=2)
    _, message, authenticated, encrypted = messages[0]
    assert authenticated and encrypted
    assert message["Subject"] == "Rappel : votre rendez-vous"
    body = text_of(message)
    assert "12 Rue Principale, salle 2" in body and "rendez-vous le" in body
    for private in ("Élodie", "Beausoleil", "Good Neighbour", "Hamper", "food", "alimentation", "Pantry", "layoff"):
        assert private.lower() not in (body + message["Subject"]).lower(), private
    assert message["List-Unsubscribe"] is None
    # Both appointments had their reminder, once each; nothing more follows.
    time.sleep(2)
    assert len(inbox.to("elodie@client.test")) == 2
