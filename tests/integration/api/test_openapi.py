"""The OpenAPI document: served by the app, valid JSON, and the contract of every endpoint."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/units": {"200", "401", "404", "422"},
    "/api/v1/units/{unit_id}": {"200", "401", "404", "422"},
    "/api/v1/people": {"200", "401", "404", "422"},
    "/api/v1/people/{officer_code}": {"200", "401", "404"},
}


@pytest.fixture
def document(db: None) -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_document_is_openapi_3_with_every_endpoint(document):
    # then
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Lifelong API"
    assert set(ENDPOINTS) <= set(document["paths"])
    assert not any("{rest}" in path or "{path}" in path for path in document["paths"])


@pytest.mark.parametrize(("path", "codes"), ENDPOINTS.items())
def test_every_answer_an_endpoint_gives_is_declared(document, path, codes):
    # given
    operation = document["paths"][path]["get"]
    # then
    assert set(operation["responses"]) == codes
    for code, answer in operation["responses"].items():
        assert "$ref" in answer["content"]["application/json"]["schema"], code
    assert operation["summary"] and operation["description"]
    assert {"BearerToken": []} in operation["security"]


def test_operation_ids_are_unique_and_readable(document):
    # given
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    # then
    assert len(ids) == len(set(ids))
    assert {"org_list_units", "org_get_unit", "org_list_people", "org_get_person"} <= set(ids)


def test_schemas_document_lists_errors_and_no_sensitive_field(document):
    # given
    schemas = document["components"]["schemas"]
    # then
    assert set(schemas["PersonList"]["required"]) == {"items", "count"}
    assert schemas["PersonList"]["properties"]["count"]["type"] == "integer"
    assert schemas["UnitOut"]["properties"]["id"]["type"] == "integer"
    assert "officer_code" in schemas["PersonOut"]["required"]
    assert not any(
        word in field
        for field in schemas["PersonOut"]["properties"]
        for word in ("party", "discipline")
    )
    assert schemas["ErrorOut"]["required"] == ["message"]
    assert set(schemas["ValidationErrorOut"]["required"]) == {"message", "errors"}
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_paging_limits_are_in_the_document(document):
    # given
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/people"]["get"]["parameters"]}
    # then
    assert {"unit_id", "q", "limit", "offset", "status"} <= set(parameters)
    assert parameters["limit"]["schema"]["maximum"] == 500
    assert parameters["offset"]["schema"]["minimum"] == 0
