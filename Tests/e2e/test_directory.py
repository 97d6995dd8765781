"""The HSDS 3.0 directory from outside: the standard's own examples (JSON and the tabular data
package, from the conformance material) import; what Thaw exports validates against HSDS's
compiled schemas (jsonschema) and imports again to the same directory; bad files are refused
whole, naming file, row, field and rule."""
import json
import os
from pathlib import Path

import jsonschema
import requests
import pytest

from conftest import ROOT, demo_server, run


def hsds_dir():
    candidates = [os.environ.get("THAW_CONFORMANCE_DIR"), str(ROOT.parent / "shared" / "conformance")]
    for candidate in filter(None, candidates):
        if (Path(candidate) / "hsds").is_dir():
            return Path(candidate) / "hsds"
    pytest.fail("the HSDS conformance material is missing: set THAW_CONFORMANCE_DIR (.ci/run does)")


def validator(name):
    schema = json.loads((hsds_dir() / "schema" / "compiled" / name).read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def export(thaw_bin, db, out, fmt):
    run(thaw_bin, "directory", "export", "--database", db, "--format", fmt, str(out))
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_the_standards_examples_import_export_valid_and_import_again_unchanged(thaw_bin, tmp_path):
    db = str(tmp_path / "directory.sqlite")
    first = run(thaw_bin, "directory", "import", "--database", db, str(hsds_dir() / "csv"))
    assert "imported:" in first.stdout and " 0 added" not in first.stdout, first.stdout
    for example in ("service_full.json", "organization_full.json", "service_at_location_full.json", "taxonomy_term.json"):
        run(thaw_bin, "directory", "import", "--database", db, str(hsds_dir() / example))

    exported = export(thaw_bin, db, tmp_path / "json", "json")
    services = json.loads(exported["services.json"])
    assert services, exported.keys()
    for service in services:
        errors = sorted(validator("service.json").iter_errors(service), key=str)
        assert not errors, [e.message for e in errors][:5]
    for organization in json.loads(exported["organizations.json"]):
        errors = sorted(validator("organization.json").iter_errors(organization), key=str)
        assert not errors, [e.message for e in errors][:5]
    counselling = next(s for s in services if s["id"] == "ac148810-d857-441c-9679-408f346de14b")
    assert counselling["organization"]["name"] and counselling["service_at_locations"][0]["location"]["id"]

    # The export imports again into an empty directory, and exports the same again: in both shapes.
    package = export(thaw_bin, db, tmp_path / "csv", "csv")
    assert "services.csv" in package and json.loads(package["datapackage.json"])["profile"] == "tabular-data-package"
    for shape, folder in (("json", tmp_path / "json"), ("csv", tmp_path / "csv")):
        copy = str(tmp_path / f"copy-{shape}.sqlite")
        run(thaw_bin, "directory", "import", "--database", copy, str(folder))
        assert export(thaw_bin, copy, tmp_path / f"again-{shape}", shape) == (exported if shape == "json" else package)

    # The same data again changes nothing.
    again = run(thaw_bin, "directory", "import", "--database", db, str(tmp_path / "csv"))
    assert " 0 added, 0 updated" in again.stdout, again.stdout


def test_a_bad_file_is_refused_whole_naming_file_row_field_and_rule(thaw_bin, tmp_path):
    db = str(tmp_path / "directory.sqlite")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "organizations.csv").write_text("id,name,description\nd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Food Bank,Food\n")
    (bad / "services.csv").write_text(
        "id,organization_id,name,status\n"
        "ac148810-d857-441c-9679-408f346de14b,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Hampers,open\n"
        "not-a-uuid,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,,active\n")
    (bad / "attributes.csv").write_text(
        "id,link_id,taxonomy_term_id,link_entity\n"
        "11111111-2222-4333-8444-555555555555,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,99999999-2222-4333-8444-555555555555,organization\n")
    refused = run(thaw_bin, "directory", "import", "--database", db, str(bad), check=False)
    assert refused.returncode == 1 and "nothing imported" in refused.stdout
    for expected in ("services.csv row 1 status", "[enum]", "services.csv row 2 id", "[uuid]", "services.csv row 2 name", "[required]",
                     "attributes.csv row 1 taxonomy_term_id", "[reference]"):
        assert expected in refused.stdout, (expected, refused.stdout)
    # Nothing of it was kept: the directory holds only Thaw's own vocabulary (its need and capacity taxonomies).
    kept = export(thaw_bin, db, tmp_path / "out", "json")
    assert set(kept) == {"taxonomies.json", "taxonomy_terms.json"}, kept.keys()

    partial = run(thaw_bin, "directory", "import", "--database", db, "--allow-partial", str(bad))
    assert "imported: 1 added" in partial.stdout, partial.stdout  # the organisation alone

    (tmp_path / "page.html").write_text("<html>not a directory</html>")
    not_hsds = run(thaw_bin, "directory", "import", "--database", db, str(tmp_path / "page.html"), check=False)
    assert not_hsds.returncode == 1 and "[json]" in not_hsds.stdout


def test_thaws_own_services_are_in_the_directory_valid_with_their_needs_and_capacity(thaw_bin, tmp_path):
    db = str(tmp_path / "demo.sqlite")
    with demo_server(thaw_bin, db):
        exported = export(thaw_bin, db, tmp_path / "json", "json")
    services = json.loads(exported["services.json"])
    for service in services:
        errors = sorted(validator("service.json").iter_errors(service), key=str)
        assert not errors, [e.message for e in errors][:5]
    # The network's own services (the 211 line's others are listed beside them) say their needs and capacity.
    members = [s for s in services if any(i["identifier_scheme"] == "https://thaw.health/organization"
                                         for i in s["organization"]["organization_identifiers"])]
    assert len(members) == 6 and len(services) == 14
    for service in members:
        terms = {a["taxonomy_term"]["taxonomy_id"] for a in service["attributes"]}
        assert terms == {"7a6e1e0d-0000-4000-8000-000000000100", "7a6e1e0d-0000-4000-8000-000000000200"}, service["name"]
        assert service["service_at_locations"][0]["location"]["latitude"]


def test_the_hsds_api_answers_in_the_standards_shapes_and_only_to_whom_it_should(thaw_bin, tmp_path):
    db = str(tmp_path / "demo.sqlite")
    with demo_server(thaw_bin, db, "--public-directory") as base:
        # Imported into the running server's database, as an operator would.
        run(thaw_bin, "directory", "import", "--database", db, str(hsds_dir() / "csv"))
        run(thaw_bin, "directory", "import", "--database", db, str(hsds_dir() / "service_full.json"))
        about = requests.get(base + "/hsds").json()
        assert about["version"] == "3.0"

        def page(path, schema, **params):
            answer = requests.get(base + "/hsds/" + path, params=params)
            assert answer.status_code == 200, answer.text
            body = answer.json()
            for key in ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"):
                assert key in body, key
            for item in body["contents"] if schema else []:
                errors = sorted(validator(schema).iter_errors(item), key=str)
                assert not errors, (path, [e.message for e in errors][:3])
            return body

        services = page("services", "service_list.json", per_page=3)
        assert services["total_items"] >= 6 and services["size"] == 3 and services["first_page"] and not services["last_page"]
        second = page("services", "service_list.json", per_page=3, page=2)
        assert {s["id"] for s in second["contents"]}.isdisjoint({s["id"] for s in services["contents"]})
        found = page("services", "service_list.json", search="counselling")
        assert found["contents"][0]["id"] == "ac148810-d857-441c-9679-408f346de14b"
        whole = requests.get(base + "/hsds/services/ac148810-d857-441c-9679-408f346de14b").json()
        assert not sorted(validator("service.json").iter_errors(whole), key=str)
        assert whole["service_at_locations"] and whole["organization"]["id"]
        page("services", "service.json", full="true", per_page=5)

        organizations = page("organizations", "organization_list.json")
        member = next(o for o in organizations["contents"] if o["name"] == "Good Neighbour Food Bank")
        with_services = requests.get(f"{base}/hsds/organizations/{member['id']}", params={"full_service": "true"}).json()
        assert not sorted(validator("organization.json").iter_errors(with_services), key=str)
        assert with_services["services"] and all(s["organization_id"] == member["id"] for s in with_services["services"])
        page("service_at_locations", "service_at_location_list.json")
        page("service_at_locations", "service_at_location.json", full="true")
        needs = page("taxonomy_terms", None, taxonomy_id="7a6e1e0d-0000-4000-8000-000000000100")
        assert needs["total_items"] == 10
        assert page("taxonomies", None)["total_items"] >= 2

        for bad in ({"colour": "blue"}, {"page": "0"}, {"per_page": "5000"}, {"taxonomy_id": "nope"}, {"format": "xml"}):
            answer = requests.get(base + "/hsds/services", params=bad)
            assert answer.status_code == 400, (bad, answer.status_code)
        assert requests.get(base + "/hsds/services/not-a-uuid").status_code == 404
        assert requests.get(base + "/hsds/services/00000000-0000-4000-8000-000000000000").status_code == 404

    private = str(tmp_path / "private.sqlite")
    with demo_server(thaw_bin, private) as base:
        assert requests.get(base + "/hsds/services").status_code == 401
        token = run(thaw_bin, "token", "create", "--database", private, "--email", "staff@goodneighbour.demo").stdout.split()[-1]
        assert requests.get(base + "/hsds/services", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_the_directorys_places_are_fhir_locations_and_services_name_them(thaw_bin, tmp_path):
    from test_fhir import assert_valid  # the strict R4 models
    db = str(tmp_path / "demo.sqlite")
    with demo_server(thaw_bin, db) as base:
        run(thaw_bin, "directory", "import", "--database", db, str(hsds_dir() / "csv"))
        token = run(thaw_bin, "token", "create", "--database", db, "--email", "navigator@riverside-fht.demo").stdout.split()[-1]
        auth = {"Authorization": f"Bearer {token}"}
        bundle = requests.get(base + "/fhir/Location", headers=auth).json()
        places = [e["resource"] for e in bundle.get("entry", [])]
        assert places and all(p["resourceType"] == "Location" for p in places)
        place = next(p for p in places if p["id"] == "3a19ff88-4620-4d17-9830-ac1d859eb5d5")
        assert place["position"]["latitude"] and place["address"]["postalCode"]
        read = requests.get(f"{base}/fhir/Location/{place['id']}", headers=auth)
        assert read.status_code == 200 and read.json()["id"] == place["id"]
        by_code = requests.get(base + "/fhir/Location", headers=auth, params={"address-postalcode": place["address"]["postalCode"]}).json()
        assert [e["resource"]["id"] for e in by_code["entry"]] == [place["id"]]
        assert requests.get(base + "/fhir/Location/not-a-uuid", headers=auth).status_code == 404
        assert requests.get(base + "/fhir/Location", headers=auth, params={"near": "1|2"}).status_code == 400
        services = requests.get(base + "/fhir/HealthcareService?_count=50", headers=auth).json()
        assert all(s["resource"]["identifier"][0]["value"].startswith("urn:uuid:") for s in services["entry"])
        statement = requests.get(base + "/fhir/metadata").json()
        assert "Location" in {r["type"] for r in statement["rest"][0]["resource"]}
        assert_valid(places + [s["resource"] for s in services["entry"]])


def test_navigators_see_hours_areas_waits_and_freshness_and_partners_keep_capacity(thaw_bin, tmp_path):
    db = str(tmp_path / "demo.sqlite")
    with demo_server(thaw_bin, db) as base:
        def token(email):
            return {"Authorization": "Bearer " + run(thaw_bin, "token", "create", "--database", db, "--email", email).stdout.split()[-1]}
        navigator, housing = token("navigator@riverside-fht.demo"), token("staff@homeward.demo")

        def search(**params):
            answer = requests.get(base + "/api/v1/directory", params=params, headers=navigator)
            assert answer.status_code == 200, answer.text
            return {hit["name"]: hit for hit in answer.json()["hits"]}

        # Open now: the crisis line is open around the clock, whatever the hour this runs at.
        open_now = search(openNow="true")
        assert "Women's Shelter Line" in open_now and all(hit["openNow"] is True for hit in open_now.values())
        # The rent bank serves four postal areas: found from one of them, not from Northgate.
        assert "Rent Bank" in search(need="housing", postalCode="K1P 5N2")
        assert "Rent Bank" not in search(need="housing", postalCode="K1J 6P1")
        # Freshness: the 211 line's record checked 316 days ago and the one never checked are flagged;
        # the network's own services are verified by name, and a waitlist says its wait.
        everything = search(limit="200", capacity=["accepting", "waitlist", "closed"])
        assert everything["Seniors' Day Program"]["stale"] and everything["Energy Assistance Program"]["stale"]
        assert everything["Energy Assistance Program"].get("verifiedAt") is None
        waitlist = everything["Supportive Housing Waitlist"]
        assert not waitlist["stale"] and waitlist["verifiedBy"] == "Harper Housing" and waitlist["waitTime"] == "About 3 months"

        # The housing partner keeps its own: capacity with a wait, then still right.
        service = waitlist["thawServiceId"]
        changed = requests.patch(f"{base}/api/v1/services/{service}", json={"capacity": "waitlist", "estimatedWaitDays": 30}, headers=housing)
        assert changed.status_code == 200 and changed.json()["estimatedWaitDays"] == 30
        assert search(q="supportive housing")["Supportive Housing Waitlist"]["waitTime"] == "About 4 weeks"
        assert requests.post(f"{base}/api/v1/services/{service}/verify", headers=housing).status_code == 200
        assert requests.post(f"{base}/api/v1/services/{service}/verify", headers=navigator).status_code == 403
        assert requests.patch(f"{base}/api/v1/services/{service}", json={"capacity": "closed"},
                              headers=token("staff@goodneighbour.demo")).status_code == 404
        assert requests.get(base + "/api/v1/services-to-verify", headers=housing).json()["items"] == []
    exported = export(thaw_bin, db, tmp_path / "json", "json")
    published = next(s for s in json.loads(exported["services.json"]) if s["name"] == "Supportive Housing Waitlist")
    assert published["wait_time"] == "About 4 weeks" and published["assured_date"] and "assurer_email" not in published
    assert not sorted(validator("service.json").iter_errors(published), key=str)


def test_distances_agree_with_the_geodesic_on_the_wgs84_ellipsoid(thaw_bin, tmp_path):
    from geographiclib.geodesic import Geodesic  # Karney's exact geodesics: the reference
    db = str(tmp_path / "demo.sqlite")
    with demo_server(thaw_bin, db) as base:
        headers = {"Authorization": "Bearer " + run(thaw_bin, "token", "create", "--database", db,
                                                    "--email", "navigator@riverside-fht.demo").stdout.split()[-1]}
        exported = export(thaw_bin, db, tmp_path / "json", "json")
        points = {}
        for service in json.loads(exported["services.json"]):
            for at in service["service_at_locations"]:
                location = at["location"]
                points.setdefault(service["name"], []).append((location["latitude"], location["longitude"]))
        for near in ("45.4215,-75.6972", "45.1500,-76.1000"):
            answer = requests.get(base + "/api/v1/directory", headers=headers,
                                  params={"near": near, "withinKm": "200", "limit": "200", "capacity": ["accepting", "waitlist", "closed"]})
            assert answer.status_code == 200, answer.text
            latitude, longitude = map(float, near.split(","))
            measured = [h for h in answer.json()["hits"] if h.get("kilometres") is not None]
            assert len(measured) >= 10
            for hit in measured:
                reference = min(Geodesic.WGS84.Inverse(latitude, longitude, lat, lon)["s12"] / 1000 for lat, lon in points[hit["name"]])
                assert abs(hit["kilometres"] - reference) < 0.1, (hit["name"], hit["kilometres"], reference)
