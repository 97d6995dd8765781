"""Email through a real SMTP server (aiosmtpd, started here) that demands STARTTLS and
authentication: a partner hears of a new referral at once, the email carries no client data,
its one-click link turns email off without signing in, and every notification is also in the
person's list in the web app and the API."""
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
        with demo_server(thaw_bin, db, "--smtp", smtp) as base:
            def token(address):
                return run(thaw_bin, "token", "create", "--database", db, "--email", address).stdout.split()[-1]

            tokens = {"clinic": token("navigator@riverside-fht.demo"), "food": token("staff@goodneighbour.demo")}
            organizations = {e["resource"]["name"]: e["resource"]["id"] for e in requests.get(
                base + "/fhir/Organization?_count=50", headers={"Authorization": f"Bearer {tokens['clinic']}"}).json()["entry"]}
            yield base, tokens, organizations, inbox
    finally:
        controller.stop()


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_partner_is_emailed_of_a_new_referral_without_client_data(mail):
    base, tokens, orgs, inbox = mail
    assert not inbox.messages, "the demo's history is not emailed when it starts"
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
