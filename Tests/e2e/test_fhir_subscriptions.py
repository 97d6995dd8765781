"""The closed loop through FHIR alone, driven by fhirpy: a referral source sends a referral,
the recipient hears of it by subscription, finds it by owner, accepts, works and completes
it with an outcome; the source hears of each step by subscription notification (id-only,
read back through the API) and sees it by search. Notifications that fail are sent again
with the same event number."""
import json
import queue
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from fhirpy import SyncFHIRClient

from conftest import free_port
from test_fhir import FHIR_JSON, assert_valid
from test_fhir_referral_source import ig_referral, locations, network, post_bundle  # noqa: F401  (the fixture)

TOPIC = "https://thaw.health/fhir/SubscriptionTopic/task-changed"
BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"


class Receiver:
    """A rest-hook endpoint: every notification it is sent, in order; it answers `failures` 500s first."""

    def __init__(self, failures=0):
        self.received, self.failures, self.attempts = queue.Queue(), failures, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.attempts.append((body, dict(self.headers)))
                if receiver.failures > 0:
                    receiver.failures -= 1
                    self.send_response(500)
                else:
                    receiver.received.put(body)
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}/notify"

    def next(self, kind="event-notification", timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                bundle = self.received.get(timeout=max(0.05, deadline - time.time()))
            except queue.Empty:
                break
            if status(bundle)["type"] == kind:
                return bundle
        pytest.fail(f"no {kind} notification within {timeout} s; attempts: {[status(a)['type'] for a, _ in self.attempts]}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def status(bundle):
    """The SubscriptionStatus parameters of a notification, by name."""
    parameters = bundle["entry"][0]["resource"]["parameter"]
    return {p["name"]: p.get("valueCode") or p.get("valueString") or p.get("valueCanonical") or p.get("part") or p.get("valueReference")
            for p in parameters}


def focus(bundle):
    event = status(bundle)["notification-event"]
    return next(p["valueReference"]["reference"] for p in event if p["name"] == "focus").split("/fhir/")[1]


def subscribe(fhir, endpoint, criteria, heartbeat=None):
    channel = {"type": "rest-hook", "endpoint": endpoint, "payload": "application/fhir+json",
               "header": ["Authorization: Bearer receiver-secret"],
               "_payload": {"extension": [{"url": BACKPORT + "backport-payload-content", "valueCode": "id-only"}]}}
    if heartbeat:
        channel["extension"] = [{"url": BACKPORT + "backport-heartbeat-period", "valueUnsignedInt": heartbeat}]
    subscription = fhir.resource("Subscription", status="requested", reason="referral loop", criteria=TOPIC, channel=channel,
                                 _criteria={"extension": [{"url": BACKPORT + "backport-filter-criteria", "valueString": criteria}]})
    subscription.save()
    return subscription


def wait_active(fhir, subscription, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        current = fhir.reference("Subscription", subscription.id).to_resource()
        if current["status"] == "active":
            return current
        time.sleep(0.2)
    pytest.fail(f"the subscription did not become active: {current.serialize()}")


def test_the_whole_loop_through_fhir_with_subscriptions(network):
    base, tokens, orgs = network
    food_org, clinic_org = orgs["Good Neighbour Food Bank"], orgs["Riverside Family Health Team"]
    source = SyncFHIRClient(base + "/fhir", authorization=f"Bearer {tokens['clinic']}")
    recipient = SyncFHIRClient(base + "/fhir", authorization=f"Bearer {tokens['food']}")
    source_hook, recipient_hook = Receiver(), Receiver()
    try:
        source_sub = subscribe(source, source_hook.url, f"Task?requester=Organization/{clinic_org}", heartbeat=1)
        recipient_sub = subscribe(recipient, recipient_hook.url, f"Task?owner=Organization/{food_org}&status=requested")
        handshake = source_hook.next("handshake")
        assert status(handshake)["topic"] == TOPIC and source_hook.attempts[0][1]["Authorization"] == "Bearer receiver-secret"
        recipient_hook.next("handshake")
        active = wait_active(source, source_sub)
        assert active["channel"]["header"] == ["Authorization: ***"]  # the secret is not read back
        wait_active(recipient, recipient_sub)
        assert status(source_hook.next("heartbeat", timeout=10))["status"] == "active"

        # The source sends the referral; the recipient hears of it, and only by id.
        made = locations(post_bundle(base, tokens["clinic"], ig_referral(food_org, "loop-1", "mrn-loop-1")))
        task_ref = made["Task"]["location"].rsplit("/_history", 1)[0]
        heard = recipient_hook.next()
        assert focus(heard) == task_ref and all("resource" not in e for e in heard["entry"][1:])
        assert_valid([heard])

        # The recipient reads what it heard of, as the IG says: the Task with its ServiceRequest.
        found = recipient.resources("Task").search(_id=task_ref.split("/")[1]).include("Task", "focus").fetch_raw()
        assert {e["resource"]["resourceType"] for e in found["entry"]} == {"Task", "ServiceRequest"}
        task = next(e["resource"] for e in found["entry"] if e["resource"]["resourceType"] == "Task")
        assert task["owner"]["reference"] == f"Organization/{food_org}"
        assert focus(source_hook.next()) == task_ref  # the source hears of its own referral's creation

        # Accept, work, complete with an outcome: each step heard by the source, each seen by search.
        steps = [("accepted", None), ("in-progress", None),
                 ("completed", [{"type": {"text": "outcome"}, "valueCodeableConcept": {
                     "coding": [{"system": "https://thaw.health/fhir/CodeSystem/referral-outcome", "code": "need-met"}],
                     "text": "Enrolled in the weekly hamper programme"}}])]
        numbers = []
        for status_code, output in steps:
            current = recipient.reference("Task", task["id"]).to_resource().serialize()
            changed = dict(current, status=status_code, **({"output": output} if output else {}))
            answer = requests.put(f"{base}/fhir/Task/{task['id']}", json=changed,
                                  headers={"Authorization": f"Bearer {tokens['food']}", "Content-Type": FHIR_JSON,
                                           "If-Match": f'W/"{current["meta"]["versionId"]}"'})
            assert answer.status_code == 200, answer.text
            heard = source_hook.next()
            assert focus(heard) == task_ref
            numbers.append(int(status(heard)["events-since-subscription-start"]))
            seen = source.resources("Task").search(_id=task["id"]).include("Task", "output").fetch_raw()
            assert next(e["resource"] for e in seen["entry"] if e["resource"]["resourceType"] == "Task")["status"] == status_code
        assert numbers == sorted(numbers) and len(set(numbers)) == 3
        procedure = [e["resource"] for e in seen["entry"] if e["resource"]["resourceType"] == "Procedure"]
        assert procedure and procedure[0]["outcome"]["text"] == "Enrolled in the weekly hamper programme"
        assert_valid(procedure + [source.reference("Subscription", source_sub.id).to_resource().serialize()])

        # $status reports the subscription and how many events it has had.
        answer = requests.get(f"{base}/fhir/Subscription/{source_sub.id}/$status", headers={"Authorization": f"Bearer {tokens['clinic']}"})
        assert answer.status_code == 200 and int(status(answer.json())["events-since-subscription-start"]) >= 4

        # Another organisation can neither read nor end the subscription.
        assert requests.get(f"{base}/fhir/Subscription/{source_sub.id}", headers={"Authorization": f"Bearer {tokens['housing']}"}).status_code == 404
        assert requests.delete(f"{base}/fhir/Subscription/{source_sub.id}", headers={"Authorization": f"Bearer {tokens['housing']}"}).status_code == 404
    finally:
        source_hook.close()
        recipient_hook.close()


def test_a_failed_notification_is_sent_again_with_the_same_event_number(network):
    base, tokens, orgs = network
    food_org = orgs["Good Neighbour Food Bank"]
    fhir = SyncFHIRClient(base + "/fhir", authorization=f"Bearer {tokens['food']}")
    hook = Receiver()
    # An endpoint that takes the connection and never answers: its sends wait out their
    # timeout without holding up anyone else's.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    try:
        subscribe(fhir, f"http://127.0.0.1:{silent.getsockname()[1]}/hook", f"Task?owner=Organization/{food_org}")
        subscription = subscribe(fhir, hook.url, f"Task?owner=Organization/{food_org}")
        hook.next("handshake")
        wait_active(fhir, subscription)
        hook.failures = 2
        made = locations(post_bundle(base, tokens["clinic"], ig_referral(food_org, "retry-1", "mrn-retry-1")))
        heard = hook.next(timeout=30)  # after two failures and their backoff (2 s, then 4 s)
        assert focus(heard) == made["Task"]["location"].rsplit("/_history", 1)[0]
        tries = [a for a, _ in hook.attempts if status(a)["type"] == "event-notification"]
        assert len(tries) == 3 and len({status(t)["events-since-subscription-start"] for t in tries}) == 1
    finally:
        hook.close()
        silent.close()


def test_bad_subscriptions_are_refused_naming_the_element(network):
    base, tokens, orgs = network
    headers = {"Authorization": f"Bearer {tokens['food']}", "Content-Type": FHIR_JSON}
    good = {"resourceType": "Subscription", "status": "requested", "reason": "x", "criteria": TOPIC,
            "channel": {"type": "rest-hook", "endpoint": "https://partner.example/hook", "payload": "application/fhir+json"}}
    for change, expression in [({"criteria": "Task?status=requested"}, "Subscription.criteria"),
                               ({"channel": dict(good["channel"], type="websocket")}, "Subscription.channel.type"),
                               ({"channel": dict(good["channel"], endpoint="ftp://x")}, "Subscription.channel.endpoint"),
                               ({"_criteria": {"extension": [{"url": BACKPORT + "backport-filter-criteria", "valueString": "Task?colour=blue"}]}},
                                "Subscription.criteria")]:
        answer = requests.post(f"{base}/fhir/Subscription", data=json.dumps(dict(good, **change)), headers=headers)
        assert answer.status_code == 422, (change, answer.text)
        assert answer.json()["issue"][0]["expression"] == [expression], answer.text
