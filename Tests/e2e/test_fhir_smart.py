"""SMART Backend Services, tried with a real JWT library (PyJWT with cryptography): a partner's
system registered by its administrator gets a token by signing an assertion (RS384 or ES384),
reads within its scopes only, and every misuse of the token endpoint is refused in OAuth's words."""
import json
import time
import uuid

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from conftest import demo_server, run


@pytest.fixture(scope="module")
def smart(thaw_bin, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("smart") / "demo.sqlite")
    with demo_server(thaw_bin, db) as base:
        def token(address):
            return run(thaw_bin, "token", "create", "--database", db, "--email", address).stdout.split()[-1]

        admin = {"Authorization": f"Bearer {token('admin@homeward.demo')}"}
        users = requests.get(base + "/api/v1/users", headers=admin).json()["items"]
        staff = next(u for u in users if u["email"] == "staff@homeward.demo")
        yield base, admin, staff


def register(base, admin, staff, key, alg, scopes="system/Task.rus system/ServiceRequest.rs system/Subscription.crds"):
    public = json.loads((RSAAlgorithm if alg == "RS384" else ECAlgorithm).to_jwk(key.public_key()))
    public.update(kid=str(uuid.uuid4()), alg=alg, use="sig")
    answer = requests.post(base + "/api/v1/smart-clients", headers=admin, json={
        "name": f"Homeward case system ({alg})", "userId": staff["id"], "jwks": json.dumps({"keys": [public]}), "scopes": scopes})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"], public["kid"]


def assertion(base, client_id, key, kid, alg, **changes):
    claims = {"iss": client_id, "sub": client_id, "aud": base + "/fhir/auth/token", "exp": int(time.time()) + 240,
              "jti": str(uuid.uuid4())}
    claims.update(changes)
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


def ask(base, signed, scope="system/Task.rs system/ServiceRequest.rs system/Patient.rs"):
    return requests.post(base + "/fhir/auth/token", data={
        "grant_type": "client_credentials", "scope": scope,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": signed})


def test_the_configuration_says_how(smart):
    base, _, _ = smart
    configuration = requests.get(base + "/fhir/.well-known/smart-configuration").json()
    assert configuration["token_endpoint"] == base + "/fhir/auth/token"
    assert "private_key_jwt" in configuration["token_endpoint_auth_methods_supported"]
    assert {"RS384", "ES384"} <= set(configuration["token_endpoint_auth_signing_alg_values_supported"])


@pytest.mark.parametrize("alg", ["RS384", "ES384"])
def test_a_registered_system_reads_within_its_scopes(smart, alg):
    base, admin, staff = smart
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if alg == "RS384" else ec.generate_private_key(ec.SECP384R1())
    client_id, kid = register(base, admin, staff, key, alg)
    signed = assertion(base, client_id, key, kid, alg)
    answer = ask(base, signed)
    assert answer.status_code == 200, answer.text
    granted = answer.json()
    assert granted["token_type"] == "bearer" and granted["expires_in"] == 300
    assert granted["scope"] == "system/ServiceRequest.rs system/Task.rs"  # Patient was not registered
    headers = {"Authorization": f"Bearer {granted['access_token']}"}

    tasks = requests.get(base + "/fhir/Task?_count=5&_include=Task:focus&_include=Task:patient", headers=headers)
    assert tasks.status_code == 200, tasks.text
    kinds = {e["resource"]["resourceType"] for e in tasks.json()["entry"]}
    assert "Task" in kinds and "Patient" not in kinds  # an include the token may not read is left out
    patient = next(e["resource"]["for"]["reference"] for e in tasks.json()["entry"] if e["resource"]["resourceType"] == "Task")
    refused = requests.get(f"{base}/fhir/{patient}", headers=headers)
    assert refused.status_code == 403 and "Patient" in refused.json()["issue"][0]["diagnostics"]
    assert requests.get(base + "/api/v1/referrals?view=inbox", headers=headers).status_code == 403

    # An assertion is good once.
    replay = ask(base, signed)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"


def test_the_token_endpoint_refuses_every_misuse(smart):
    base, admin, staff = smart
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client_id, kid = register(base, admin, staff, key, "RS384")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cases = {
        "another key": assertion(base, client_id, stranger, kid, "RS384"),
        "HS256": jwt.encode({"iss": client_id, "sub": client_id, "aud": base + "/fhir/auth/token", "exp": int(time.time()) + 60,
                             "jti": "x"}, "secret-secret-secret-secret-secret", algorithm="HS256", headers={"kid": kid}),
        "expired": assertion(base, client_id, key, kid, "RS384", exp=int(time.time()) - 10),
        "too long": assertion(base, client_id, key, kid, "RS384", exp=int(time.time()) + 3600),
        "another audience": assertion(base, client_id, key, kid, "RS384", aud="https://elsewhere.example/token"),
        "unknown issuer": assertion(base, "sys_unknown", key, kid, "RS384", sub="sys_unknown"),
        "sub differs": assertion(base, client_id, key, kid, "RS384", sub="someone-else"),
        "not a JWT": "not.a.jwt",
    }
    for name, signed in cases.items():
        answer = ask(base, signed)
        assert answer.status_code == 401 and answer.json()["error"] == "invalid_client", (name, answer.text)
    assert ask(base, assertion(base, client_id, key, kid, "RS384"), scope="system/Consent.rs").json()["error"] == "invalid_scope"
    assert ask(base, assertion(base, client_id, key, kid, "RS384"), scope="user/Task.rs").json()["error"] == "invalid_scope"
    wrong_grant = requests.post(base + "/fhir/auth/token", data={"grant_type": "password", "username": "x", "password": "y"})
    assert wrong_grant.status_code == 400 and wrong_grant.json()["error"] == "unsupported_grant_type"

    # Revoking the system ends its tokens at once.
    token = ask(base, assertion(base, client_id, key, kid, "RS384")).json()["access_token"]
    assert requests.get(base + "/fhir/Task?_count=1", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert requests.delete(f"{base}/api/v1/smart-clients/{client_id}", headers=admin).status_code == 204
    assert requests.get(base + "/fhir/Task?_count=1", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_only_public_keys_with_smart_algorithms_are_registered(smart):
    base, admin, staff = smart
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = json.loads(RSAAlgorithm.to_jwk(key))
    private.update(kid="k1", alg="RS384")
    public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    for keys, field in [([private], "jwks.keys[0]"), ([dict(public, kid="k2", alg="RS256")], "jwks.keys[0].alg"),
                        ([dict(public, alg="RS384")], "jwks.keys[0].kid")]:
        answer = requests.post(base + "/api/v1/smart-clients", headers=admin, json={
            "name": "x", "userId": staff["id"], "jwks": json.dumps({"keys": keys}), "scopes": "system/Task.rs"})
        assert answer.status_code == 422 or answer.status_code == 400, answer.text
        assert answer.json()["errors"][0]["field"] == field, answer.text
    staff_token = requests.post(base + "/api/v1/smart-clients", headers=admin, json={
        "name": "x", "userId": "usr_nobody", "jwks": json.dumps({"keys": [dict(public, kid="k3", alg="RS384")]}), "scopes": "system/Task.rs"})
    assert staff_token.status_code == 422 and staff_token.json()["errors"][0]["field"] == "userId"
