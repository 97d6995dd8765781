"""Validates FHIR R4 resources with the strict models of fhir.resources 6.4.0.

Runs in its own virtual environment (fhir.resources needs pydantic 1): reads a JSON
list of resources on stdin, prints one line per invalid resource, exits 1 if any."""
import json
import sys

from fhir.resources import construct_fhir_element

failures = []
for resource in json.load(sys.stdin):
    try:
        construct_fhir_element(resource["resourceType"], resource)
    except Exception as error:  # the models raise pydantic's ValidationError
        failures.append(f"{resource.get('resourceType')}/{resource.get('id')}: {error}")
print("\n".join(failures))
sys.exit(1 if failures else 0)
