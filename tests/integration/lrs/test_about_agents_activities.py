"""The About, Agents and Activities resources (xAPI 1.0.3 Communication 2.4, 2.5, 2.8)."""

import json
from typing import Any

import pytest
from django.test import Client as HttpClient

from lifelong.lrs.store import store_statements
from tests.integration.lrs.test_documents import AGENT, Xapi, error_of, make_xapi

pytestmark = pytest.mark.django_db

ABOUT = "/xapi/about"
AGENTS = "/xapi/agents"
ACTIVITIES = "/xapi/activities"
MEETING = "http://www.example.com/meetings/occurances/34534"
DEFINITION = {
    "type": "http://adlnet.gov/expapi/activities/meeting",
    "name": {"en-US": "example meeting", "fr-FR": "réunion"},
}


@pytest.fixture
def xapi(db: None) -> Xapi:
    return make_xapi(["all"])


def stored_statement(actor: dict[str, Any], activity: dict[str, Any]) -> str:
    """Store one statement through the store's own service; return its id."""
    statement = {
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
        "object": activity,
    }
    return store_statements([statement], client=None, run_hooks=False)[0]


#
# About
#


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_about_answers_without_credentials_or_version_when_asked(db: None, method: str) -> None:
    # given an anonymous client that sends no version header
    # when it asks About
    response = HttpClient().generic(method, ABOUT)
    # then 200, the version header set by the LRS, and (for GET) the versions it speaks
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == "1.0.3"
    if method == "GET":
        about = json.loads(response.content)
        assert set(about) == {"version", "extensions"}
        assert about["version"] == ["1.0.0", "1.0.1", "1.0.2", "1.0.3"]
        assert all(key.startswith("http") for key in about["extensions"])
    else:
        assert response.content == b""


def test_about_refuses_with_405_when_written(db: None) -> None:
    response = HttpClient().post(ABOUT, "{}", content_type="application/json")
    assert response.status_code == 405


#
# Activities
#


def test_activities_returns_canonical_definition_when_activity_known(xapi: Xapi) -> None:
    # given two statements describing one activity in two languages (conformance XAPI-00254)
    actor = {"mbox": "mailto:xapi@adlnet.gov"}
    english = {"type": DEFINITION["type"], "name": {"en-US": "example meeting"}}
    french = {"type": DEFINITION["type"], "name": {"fr-FR": "réunion"}}
    for definition in (english, french):
        stored_statement(actor, {"objectType": "Activity", "id": MEETING, "definition": definition})
    # when it is asked for
    response = xapi.get(ACTIVITIES, {"activityId": MEETING})
    # then the full Activity object comes back, every language kept
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "objectType": "Activity",
        "id": MEETING,
        "definition": DEFINITION,
    }


def test_activities_returns_bare_activity_when_activity_unknown(xapi: Xapi) -> None:
    # given an activity the store never saw (2.5.s2.b1: still an Activity object)
    # when it is asked for
    response = xapi.get(ACTIVITIES, {"activityId": "http://example.com/never-seen"})
    # then an Activity with only its id comes back
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "objectType": "Activity",
        "id": "http://example.com/never-seen",
    }


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({}, "activityId"),
        ({"activityId": "not an iri"}, "activityId"),
        ({"activityId": MEETING, "agent": "{}"}, "agent"),
        ({"activityid": MEETING}, "activityid"),
    ],
)
def test_activities_refuses_with_400_and_path_when_parameter_invalid(
    xapi: Xapi, params: dict[str, Any], path: str
) -> None:
    response = xapi.get(ACTIVITIES, params)
    assert response.status_code == 400
    assert error_of(response)["path"] == path


def test_activities_refuses_with_400_when_version_header_missing(xapi: Xapi) -> None:
    response = xapi.get(ACTIVITIES, {"activityId": MEETING}, version=None)
    assert response.status_code == 400
    assert error_of(response)["path"] == "X-Experience-API-Version"


#
# Agents
#


def test_agents_returns_person_with_arrays_when_agent_unknown(xapi: Xapi) -> None:
    # given an agent the store never saw
    agent = {"objectType": "Agent", "name": "Rick James", **AGENT}
    # when its Person is asked for
    response = xapi.get(AGENTS, {"agent": agent})
    # then a Person carries what the request said, every property an array (2.4.s3.b3)
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "objectType": "Person",
        "name": ["Rick James"],
        "account": [AGENT["account"]],
    }


@pytest.mark.parametrize(
    ("agent", "key"),
    [
        ({"mbox": "mailto:xapi@adlnet.gov"}, "mbox"),
        ({"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}, "mbox_sha1sum"),
        ({"openid": "http://openid.example.org/12345"}, "openid"),
    ],
)
def test_agents_returns_identifier_as_array_when_agent_given(
    xapi: Xapi, agent: dict[str, str], key: str
) -> None:
    response = xapi.get(AGENTS, {"agent": agent})
    assert response.status_code == 200
    assert json.loads(response.content) == {"objectType": "Person", key: [agent[key]]}


def test_agents_adds_name_from_statements_when_store_knows_agent(xapi: Xapi) -> None:
    # given a statement whose actor has a name, and a request without one
    stored_statement(
        {"mbox": "mailto:officer@example.gov", "name": "Nguyễn Văn A"},
        {"id": MEETING},
    )
    # when the Person is asked for
    response = xapi.get(AGENTS, {"agent": {"mbox": "mailto:officer@example.gov"}})
    # then the stored name is in it
    assert json.loads(response.content) == {
        "objectType": "Person",
        "name": ["Nguyễn Văn A"],
        "mbox": ["mailto:officer@example.gov"],
    }


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({}, "agent"),
        ({"agent": "true"}, "agent"),
        ({"agent": {"objectType": "Agent", "name": "no identifier"}}, "agent"),
        ({"agent": {"objectType": "Group", "mbox": "mailto:g@example.com"}}, "agent.objectType"),
        ({"agent": {"mbox": "g@example.com"}}, "agent.mbox"),
        ({"agent": AGENT, "since": "2026-01-01T00:00:00Z"}, "since"),
    ],
)
def test_agents_refuses_with_400_and_path_when_parameter_invalid(
    xapi: Xapi, params: dict[str, Any], path: str
) -> None:
    response = xapi.get(AGENTS, params)
    assert response.status_code == 400
    assert error_of(response)["path"] == path


#
# Scopes
#


@pytest.mark.parametrize("path", [AGENTS, ACTIVITIES])
def test_reads_refuse_with_403_when_client_only_writes_statements(db: None, path: str) -> None:
    # given a client that may only write statements, and one that may read
    writer = make_xapi(["statements/write"])
    reader = make_xapi(["statements/read"])
    params = {"agent": AGENT} if path == AGENTS else {"activityId": MEETING}
    # then the writer is refused and the reader served
    refused = writer.get(path, params)
    assert refused.status_code == 403
    assert error_of(refused)["path"] == "Authorization"
    assert reader.get(path, params).status_code == 200


@pytest.mark.parametrize("path", [AGENTS, ACTIVITIES])
def test_reads_answer_head_without_body_when_asked(xapi: Xapi, path: str) -> None:
    params = {"agent": AGENT} if path == AGENTS else {"activityId": MEETING}
    response = xapi.request("HEAD", path, params)
    assert response.status_code == 200
    assert response.content == b""
