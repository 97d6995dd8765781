"""The boundary sweep: every operation of the OpenAPI document, every parameter and
body field, with extreme values (years 1 and 9999, 1e308, -1, 0, huge integers,
empty, 100,000 characters, NUL, invalid UTF-8, wrong types), as each role, against
the release-mode server on the demo network. It fails if the server dies, answers
5xx, or answers with a status its operation does not document."""
import json
import os
import signal
import subprocess
import urllib.parse

import pytest
import requests

from conftest import ROOT, free_port, run, wait_healthy

# Values put in place of a parameter or field. Bytes are sent as they are (invalid UTF-8).
EXTREMES = ["0001-01-01", "9999-12-31", "0001-01", "9999-12", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "1e308", "-1e308", "NaN", "-1", "0", "99999999999999999999999", "", "x" * 100_000, "a\u0000b",
            b"\xff\xfe\xfd", 1e308, -1, 0, 99999999999999999999999, True, None, [], {}, ["x" * 1000] * 100]

# Answers any operation may give besides those it documents:
# 431 for a request line or headers too large to read.
ALWAYS = {431}

ROLES = ["navigator@riverside-fht.demo", "clinician@elm-street.demo", "staff@homeward.demo", "lead@authority.demo",
         "admin@thaw.demo", "admin@homeward.demo"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    binary = os.environ.get("THAW_RELEASE_BIN") or str(ROOT / ".build" / "release" / "thaw")
    assert os.path.exists(binary), f"the sweep runs against the release build (swift build -c release --product thaw): {binary} is missing"
    db = str(tmp_path_factory.mktemp("sweep") / "demo.sqlite")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp_path_factory.mktemp("sweep-log") / "server.log", "w+")
    process = subprocess.Popen([binary, "demo", "--port", str(port), "--file", db], stdout=log, stderr=subprocess.STDOUT)
    wait_healthy(base, process)
    tokens = {email: run(binary, "token", "create", "--database", db, "--email", email).stdout.split()[-1] for email in ROLES}
    yield base, process, tokens, log
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def resolve(schema, components):
    while "$ref" in schema:
        schema = components[schema["$ref"].split("/")[-1]]
    if "anyOf" in schema:
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        return resolve(schema, components)
    if "oneOf" in schema:  # a tagged union: its first form
        return resolve(schema["oneOf"][0], components)
    return schema


def example(schema, components, depth=0):
    """A plausible value for a schema: what a well-behaved client would send."""
    schema = resolve(schema, components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        return {"date": "2026-12-20", "date-time": "2026-12-20T10:00:00Z"}.get(schema.get("format"), "x" * max(1, schema.get("minLength", 1)))
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return [example(schema.get("items", {}), components, depth + 1)] if depth < 3 else []
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(properties[name], components, depth + 1) for name in schema.get("required", []) if name in properties}
    return "x"


def real_ids(base, tokens):
    """Ids of real records of the demo, by path parameter, so that each operation reaches its handler."""
    def get(path, email="navigator@riverside-fht.demo"):
        reply = requests.get(base + "/api/v1/" + path, headers={"Authorization": "Bearer " + tokens[email]}, timeout=30)
        return reply.json() if reply.status_code == 200 else {}

    lead = "lead@authority.demo"
    ids = {}
    organizations = get("organizations").get("items", [])
    ids["organizationId"], ids["otherId"] = organizations[0]["id"], organizations[1]["id"]
    ids["clientId"] = get("clients").get("items", [{}])[0].get("id")
    ids["consentId"] = get(f"clients/{ids['clientId']}/consents").get("items", [{}])[0].get("id")
    ids["referralId"] = get("referrals").get("items", [{}])[0].get("referral", {}).get("id")
    ids["messageId"] = (get(f"referrals/{ids['referralId']}/messages").get("items") or [{}])[0].get("id")
    ids["serviceId"] = get("services").get("items", [{}])[0].get("id")
    ids["tokenId"] = get("tokens").get("items", [{}])[0].get("id")
    for plural, key in [("committees", "committeeId"), ("commitments", "commitmentId"), ("consultations", "consultationId"),
                        ("threads", "threadId"), ("signals", "signalId"), ("roles", "roleId"), ("funding", "fundingId"),
                        ("surveys", "surveyId")]:
        items = get(plural, lead).get("items") or [{}]
        ids[key] = items[0].get("id")
    decisions = get(f"committees/{ids['committeeId']}/decisions", lead).get("items") or [{}]
    ids["decisionId"] = decisions[0].get("id")
    consultation = get(f"consultations/{ids['consultationId']}", lead)
    ids["itemId"] = (consultation.get("items") or [{}])[0].get("id")
    return {key: value or "xyz_00000000000000000000000000000000" for key, value in ids.items()}


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def encode(value):
    if isinstance(value, bytes):
        return urllib.parse.quote_from_bytes(value)
    if isinstance(value, (list, dict)) or value is None or isinstance(value, bool):
        return urllib.parse.quote(json.dumps(value))
    return urllib.parse.quote(str(value), safe="")


def test_no_value_of_any_field_crashes_the_server_or_gets_an_undocumented_answer(server):
    base, process, tokens, log = server
    document = requests.get(base + "/api/v1/openapi.json", timeout=30).json()
    components = document["components"]["schemas"]
    ids = real_ids(base, tokens)
    # A token of its own for the revoke operation, so the sweep does not revoke the ones it signs in with.
    ids["tokenId"] = "tok_00000000000000000000000000000000"
    failures, sent = [], 0
    statuses = {}
    roles = list(tokens.values())

    def send(method, path, role, query=None, body=None, raw=None, headers=None):
        nonlocal sent
        sent += 1
        all_headers = {"Authorization": "Bearer " + role, "If-Match": '"1"', **(headers or {})}
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        try:
            reply = requests.request(method, base + path + (("?" + query) if query else ""), data=data,
                                     headers=all_headers, timeout=30)
            return reply.status_code, reply.text[:300]
        except requests.ConnectionError as error:
            return None, str(error)[:300]

    for path, method, operation in operations(document):
        documented = {int(code) for code in operation["responses"]} | ALWAYS
        parameters = operation.get("parameters", [])
        path_names = [p["name"] for p in parameters if p["in"] == "path"]
        query_names = [p["name"] for p in parameters if p["in"] == "query"]
        body_schema = None
        if "requestBody" in operation:
            body_schema = resolve(operation["requestBody"]["content"]["application/json"]["schema"], components)
        baseline = example(body_schema, components) if body_schema else None

        def concrete(overrides=None):
            values = {name: ids.get(name, "xyz") for name in path_names}
            values.update(overrides or {})
            result = path
            for name, value in values.items():
                result = result.replace("{" + name + "}", encode(value))
            return result

        cases = [("baseline", concrete(), None, baseline, None)]
        for index, value in enumerate(EXTREMES):
            for name in path_names:
                cases.append((f"path {name}={str(value)[:20]!r}", concrete({name: value}), None, baseline, None))
            for name in query_names:
                cases.append((f"query {name}={str(value)[:20]!r}", concrete(), f"{name}={encode(value)}", baseline, None))
            if body_schema is not None:
                for name in resolve(body_schema, components).get("properties", {}):
                    if isinstance(value, bytes):
                        raw = json.dumps({**(baseline or {}), name: "@@"}).encode().replace(b'"@@"', b'"' + value + b'"')
                        cases.append((f"body {name}=invalid UTF-8", concrete(), None, None, raw))
                    else:
                        cases.append((f"body {name}={str(value)[:20]!r}", concrete(), None, {**(baseline or {}), name: value}, None))
            if body_schema is not None and index == 0:
                cases += [("body not an object", concrete(), None, None, b"[1,2,3]"), ("body empty", concrete(), None, None, b""),
                          ("body cut off", concrete(), None, None, b'{"a":'), ("body invalid UTF-8", concrete(), None, None, b"\xff\xfe")]
        for number, (label, concrete_path, query, body, raw) in enumerate(cases):
            # Every role meets the baseline; extreme values go round the roles.
            for role in (roles if label == "baseline" else [roles[number % len(roles)]]):
                status, text = send(method, concrete_path, role, query=query, body=body, raw=raw)
                if process.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"the server died on {method} {path} {label}: {log.read()[-3000:]}")
                if status is None:
                    # A request too large to read may be closed on; the server must still answer others.
                    if requests.get(base + "/healthz", timeout=10).status_code != 200:
                        failures.append(f"{method} {path} {label}: server stopped answering after: {text}")
                    continue
                statuses[status] = statuses.get(status, 0) + 1
                if label == "baseline" and 200 <= status < 300:
                    statuses["baseline 2xx"] = statuses.get("baseline 2xx", 0) + 1
                if status >= 500 or status not in documented:
                    failures.append(f"{method} {path} {label}: {status} {text}")
    print(f"{sent} requests: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str)))
    assert sent > 5000, f"only {sent} requests were sent"
    # The well-formed calls reached their handlers: a sweep of refusals at the door would test nothing.
    assert statuses.get("baseline 2xx", 0) > 100, statuses
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures[:60])


def test_no_value_of_any_web_form_field_crashes_the_server(server):
    """The same extremes in every field of every form the main pages offer, as each role
    (signed in by password, as a browser is): no 5xx, and the server keeps answering."""
    import re
    base, process, tokens, log = server
    extremes = ["0001-01-01", "9999-12-31", "", "x" * 100_000, "a\u0000b", "-1", "1e308", "99999999999999999999"]
    failures, sent = [], 0
    for email in ["navigator@riverside-fht.demo", "staff@homeward.demo", "lead@authority.demo", "admin@thaw.demo"]:
        session = requests.Session()
        page = session.get(base + "/").text
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page)
        session.post(base + "/sign-in", data={"email": email, "password": "thaw-demo-password", "_csrf": csrf.group(1) if csrf else ""})
        pages, forms = ["/caseload", "/inbox", "/clients", "/partnership", "/climate", "/admin", "/admin/tokens"], []
        for path in list(pages):
            for link in re.findall(r'href="(/[^"#?]+)"', session.get(base + path).text):
                if link not in pages and not link.startswith("/assets") and len(pages) < 40:
                    pages.append(link)
        for path in pages:
            for match in re.finditer(r'<form method="post" action="([^"]+)"(.*?)</form>', session.get(base + path).text, re.S):
                if "sign-out" not in match.group(1):
                    forms.append((match.group(1), dict(re.findall(r'name="([^"]+)" value="([^"]*)"', match.group(2))),
                                  set(re.findall(r'name="([^"]+)"', match.group(2))) - {"_csrf"}))
        for action, fields, names in forms[:60]:
            for name in sorted(names):
                for value in extremes:
                    sent += 1
                    reply = session.post(base + action, data={**fields, name: value}, allow_redirects=False, timeout=30)
                    if reply.status_code >= 500:
                        failures.append(f"{email} POST {action} {name}={value[:20]!r}: {reply.status_code}")
                    if process.poll() is not None:
                        pytest.fail(f"the server died on {email} POST {action} {name}={value[:20]!r}")
    assert sent > 1000, f"only {sent} form posts were sent"
    assert not failures, "\n".join(failures[:40])
    assert requests.get(base + "/healthz", timeout=10).status_code == 200
