"""The OpenAPI document is valid OpenAPI 3.1; no generated request, however
malformed, gets a server error; and every response matches its documented
schema and content type (schemathesis against a real `thaw demo`)."""
import shutil
import subprocess

import pytest
import requests
from openapi_spec_validator import validate

from conftest import demo_server, run


@pytest.fixture(scope="module")
def demo(thaw_bin, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("contract") / "demo.sqlite")
    with demo_server(thaw_bin, db) as base:
        token = run(thaw_bin, "token", "create", "--database", db, "--email", "navigator@riverside-fht.demo").stdout.split()[-1]
        yield base, token


def test_openapi_document_is_valid_openapi_3_1(demo):
    base, _ = demo
    document = requests.get(base + "/api/v1/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_generated_requests_get_no_server_error_and_documented_responses(demo):
    base, token = demo
    cli = shutil.which("schemathesis") or shutil.which("st")
    assert cli, "schemathesis is installed by .ci/run (pip install -r Tests/e2e/requirements.txt)"
    result = subprocess.run(
        [cli, "run", base + "/api/v1/openapi.json", "--url", base, "-H", f"Authorization: Bearer {token}",
         "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance",
         # Revoking tokens would revoke the one the run signs in with.
         "--exclude-operation-id", "revokeToken",
         "--max-examples", "25", "--seed", "20261126"],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:]
