"""The State, Activity Profile and Agent Profile resources over HTTP (Communication 2.2–2.7, 3.1).

Each test mirrors a section of the ADL conformance suite (H.Communication2.2/2.3/2.6/2.7/3.1)
or a refusal the issue asks for; the suite itself cannot run in CI.
"""

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import urlencode

import pytest
from django.http import HttpResponse
from django.test import Client as HttpClient

from lifelong.lrs.models import Document
from lifelong.lrs.services import create_client

pytestmark = pytest.mark.django_db

ACTIVITY = "http://www.example.com/activityId/hashset"
AGENT = {
    "objectType": "Agent",
    "account": {"homePage": "http://www.example.com/agentId/1", "name": "Rick James"},
}
OTHER_AGENT = {"mbox": "mailto:other@example.com"}
JSON = "application/json"

STATE = "/xapi/activities/state"
ACTIVITY_PROFILE = "/xapi/activities/profile"
AGENT_PROFILE = "/xapi/agents/profile"


@dataclass
class Xapi:
    """A test client speaking xAPI as one LRS client: Basic auth and the version header."""

    http: HttpClient
    authorization: str

    def request(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        body: bytes | str | dict[str, Any] | None = None,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
        version: str | None = "1.0.3",
        auth: bool = True,
    ) -> HttpResponse:
        query = urlencode(
            {k: json.dumps(v) if isinstance(v, dict) else v for k, v in (params or {}).items()}
        )
        url = f"{path}?{query}" if query else path
        if isinstance(body, dict):
            data: bytes | str = json.dumps(body)
            content_type = content_type or JSON
        else:
            data = body if body is not None else b""
        extra = dict(headers or {})
        if version is not None:
            extra["X-Experience-API-Version"] = version
        if auth:
            extra["Authorization"] = self.authorization
        kwargs: dict[str, Any] = {"headers": extra}
        if content_type is not None:
            kwargs["content_type"] = content_type
        return cast(HttpResponse, self.http.generic(method, url, data, **kwargs))

    def get(self, path: str, params: dict[str, Any], **kw: Any) -> HttpResponse:
        return self.request("GET", path, params, **kw)

    def put(self, path: str, params: dict[str, Any], body: Any, **kw: Any) -> HttpResponse:
        return self.request("PUT", path, params, body, **kw)

    def post(self, path: str, params: dict[str, Any], body: Any, **kw: Any) -> HttpResponse:
        return self.request("POST", path, params, body, **kw)

    def delete(self, path: str, params: dict[str, Any], **kw: Any) -> HttpResponse:
        return self.request("DELETE", path, params, **kw)


def make_xapi(scopes: list[str], name: str | None = None) -> Xapi:
    """Create an LRS client with `scopes`; return a test client that authenticates as it."""
    client, secret = create_client(
        acting_user=None, name=name or f"lms-{uuid.uuid4().hex[:8]}", scopes=scopes
    )
    token = base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    return Xapi(HttpClient(), f"Basic {token}")


@pytest.fixture
def xapi(db: None) -> Xapi:
    """An LRS client with every scope."""
    return make_xapi(["all"])


def state_params(**extra: Any) -> dict[str, Any]:
    return {"activityId": ACTIVITY, "agent": AGENT, "stateId": str(uuid.uuid4()), **extra}


def error_of(response: HttpResponse) -> dict[str, Any]:
    body = json.loads(response.content)
    assert set(body) == {"error"}
    return dict(body["error"])


def etag_of(response: HttpResponse) -> str:
    return str(response["ETag"])


#
# State: the single document
#


def test_state_get_returns_document_with_etag_when_put(xapi: Xapi) -> None:
    # given a State document stored with PUT
    params = state_params()
    document = {"name": "x", "location": {"name": "y"}}
    assert xapi.put(STATE, params, document).status_code == 204
    # when it is fetched
    response = xapi.get(STATE, params)
    # then the document, its content type, a quoted SHA-1 ETag and Last-Modified come back
    assert response.status_code == 200
    assert json.loads(response.content) == document
    assert response["Content-Type"] == JSON
    assert etag_of(response) == f'"{hashlib.sha1(response.content).hexdigest()}"'
    assert response["Last-Modified"].endswith("GMT")
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_state_stores_binary_content_and_type_as_sent_when_not_json(xapi: Xapi) -> None:
    # given binary content with its own content type
    params = state_params()
    content = bytes(range(256)) * 4
    # when stored and fetched
    put = xapi.put(STATE, params, content, content_type="image/png")
    response = xapi.get(STATE, params)
    # then the same bytes and content type come back
    assert put.status_code == 204
    assert response.content == content
    assert response["Content-Type"] == "image/png"
    assert etag_of(response) == f'"{hashlib.sha1(content).hexdigest()}"'


def test_state_head_returns_headers_only_when_document_exists(xapi: Xapi) -> None:
    # given a stored document
    params = state_params()
    xapi.put(STATE, params, {"a": 1})
    # when HEAD asks for it
    response = xapi.request("HEAD", STATE, params)
    # then 200, its ETag, and no body (Communication 1.1)
    assert response.status_code == 200
    assert response["ETag"]
    assert response.content == b""


def test_state_get_answers_404_with_path_when_document_missing(xapi: Xapi) -> None:
    response = xapi.get(STATE, state_params())
    assert response.status_code == 404
    assert error_of(response)["path"] == "stateId"


def test_state_put_replaces_document_when_sent_without_precondition(xapi: Xapi) -> None:
    # given a stored State document (State does not require concurrency headers, 3.1.s3)
    params = state_params()
    xapi.put(STATE, params, {"a": 1})
    # when another PUT without If-Match arrives
    response = xapi.put(STATE, params, {"b": 2})
    # then it replaces the document
    assert response.status_code == 204
    assert json.loads(xapi.get(STATE, params).content) == {"b": 2}


def test_state_honours_if_match_and_if_none_match_when_present(xapi: Xapi) -> None:
    # given a stored State document and its ETag
    params = state_params()
    xapi.put(STATE, params, {"a": 1})
    etag = etag_of(xapi.get(STATE, params))
    # when PUTs carry a stale If-Match, If-None-Match: *, then the right If-Match
    stale = xapi.put(STATE, params, {"a": 2}, headers={"If-Match": '"' + "1" * 40 + '"'})
    exists = xapi.put(STATE, params, {"a": 3}, headers={"If-None-Match": "*"})
    fresh = xapi.put(STATE, params, {"a": 4}, headers={"If-Match": etag})
    # then the first two are refused with 412, the last one stores
    assert (stale.status_code, exists.status_code, fresh.status_code) == (412, 412, 204)
    assert error_of(stale)["path"] == "If-Match"
    assert json.loads(xapi.get(STATE, params).content) == {"a": 4}


#
# State: POST and the JSON merge (Communication 2.2.s7/s8)
#


def test_state_post_creates_document_when_none_exists(xapi: Xapi) -> None:
    params = state_params()
    assert xapi.post(STATE, params, {"car": "MKX"}).status_code == 204
    assert json.loads(xapi.get(STATE, params).content) == {"car": "MKX"}


def test_state_post_merges_top_level_properties_when_both_are_json_objects(xapi: Xapi) -> None:
    # given a stored JSON object with a nested property
    params = state_params()
    xapi.post(STATE, params, {"car": {"make": "Ford", "model": "Escape"}, "driver": "Dale"})
    # when another object is POSTed
    response = xapi.post(STATE, params, {"car": {"make": "Dodge"}, "series": "sprint"})
    # then top-level properties are replaced whole, the others kept
    assert response.status_code == 204
    assert json.loads(xapi.get(STATE, params).content) == {
        "car": {"make": "Dodge"},
        "driver": "Dale",
        "series": "sprint",
    }


@pytest.mark.parametrize(
    ("first", "first_type", "second", "second_type"),
    [
        (b'{"a": 1}', JSON, b"abcdefg", "not/json"),  # posted is not JSON
        (b"/ asdf / undefined", "application/octet-stream", b'{"b": 2}', JSON),  # stored isn't
        (b'{"a": 1}', JSON, b'{"b": 2}{', JSON),  # posted does not parse
        (b'{"a": 1}', JSON, b"[1, 2]", JSON),  # posted is not an object
    ],
)
def test_state_post_refuses_with_400_and_keeps_document_when_merge_impossible(
    xapi: Xapi, first: bytes, first_type: str, second: bytes, second_type: str
) -> None:
    # given a stored document
    params = state_params()
    assert xapi.put(STATE, params, first, content_type=first_type).status_code == 204
    # when a POST that cannot be merged arrives
    response = xapi.post(STATE, params, second, content_type=second_type)
    # then 400 with a path, and the stored document is unchanged
    assert response.status_code == 400
    assert error_of(response)["path"] in {"content", "Content-Type"}
    after = xapi.get(STATE, params)
    assert after.content == first
    assert after["Content-Type"] == first_type


def test_state_put_refuses_with_400_when_json_content_does_not_parse(xapi: Xapi) -> None:
    response = xapi.put(STATE, state_params(), b'{"a": ', content_type=JSON)
    assert response.status_code == 400
    assert error_of(response)["path"] == "content"


#
# State: several documents
#


def test_state_get_lists_ids_since_timestamp_when_state_id_absent(xapi: Xapi) -> None:
    # given an old and a new document in one context, and one in another context
    activity = f"http://example.com/since/{uuid.uuid4()}"
    old = state_params(activityId=activity)
    new = state_params(activityId=activity)
    elsewhere = state_params(activityId=activity, agent=OTHER_AGENT)
    for params in (old, new, elsewhere):
        xapi.put(STATE, params, {"a": 1})
    Document.objects.filter(doc_id=old["stateId"]).update(updated=datetime(2020, 1, 1, tzinfo=UTC))
    context = {"activityId": activity, "agent": AGENT}
    # when ids are listed, with and without `since`
    everything = xapi.get(STATE, context)
    recent = xapi.get(STATE, {**context, "since": "2021-01-01T00:00:00Z"})
    # then the context's ids come back, `since` keeping only the newer one
    assert everything.status_code == recent.status_code == 200
    assert sorted(json.loads(everything.content)) == sorted([old["stateId"], new["stateId"]])
    assert json.loads(recent.content) == [new["stateId"]]
    assert everything["ETag"] and everything["Last-Modified"]


def test_state_lists_and_deletes_by_registration_when_given(xapi: Xapi) -> None:
    # given documents under two registrations and none
    activity = f"http://example.com/registration/{uuid.uuid4()}"
    one, two = str(uuid.uuid4()), str(uuid.uuid4())
    with_one = state_params(activityId=activity, registration=one)
    with_two = state_params(activityId=activity, registration=two.upper())
    without = state_params(activityId=activity)
    for params in (with_one, with_two, without):
        assert xapi.put(STATE, params, {"a": 1}).status_code == 204
    context = {"activityId": activity, "agent": AGENT}
    # when listing by registration, then deleting one registration's documents
    listed = json.loads(xapi.get(STATE, {**context, "registration": two}).content)
    deleted = xapi.delete(STATE, {**context, "registration": one})
    remaining = json.loads(xapi.get(STATE, context).content)
    # then registrations select (case-insensitively), and the DELETE took only its own
    assert listed == [with_two["stateId"]]
    assert deleted.status_code == 204
    assert sorted(remaining) == sorted([with_two["stateId"], without["stateId"]])
    # and a single document is addressed with its registration
    assert xapi.get(STATE, with_two).status_code == 200
    assert xapi.get(STATE, {**with_two, "registration": one}).status_code == 404


def test_state_delete_without_state_id_deletes_context_only_when_called(xapi: Xapi) -> None:
    # given two documents in a context and one in another
    activity = f"http://example.com/delete/{uuid.uuid4()}"
    mine = [state_params(activityId=activity) for _ in range(2)]
    other = state_params(activityId=activity, agent=OTHER_AGENT)
    for params in (*mine, other):
        xapi.put(STATE, params, {"a": 1})
    # when the context is deleted
    response = xapi.delete(STATE, {"activityId": activity, "agent": AGENT})
    # then its documents are gone and the other context's stay
    assert response.status_code == 204
    assert json.loads(xapi.get(STATE, {"activityId": activity, "agent": AGENT}).content) == []
    assert xapi.get(STATE, other).status_code == 200


def test_state_delete_single_document_when_state_id_given(xapi: Xapi) -> None:
    params = state_params()
    xapi.put(STATE, params, {"a": 1})
    assert xapi.delete(STATE, params).status_code == 204
    assert xapi.get(STATE, params).status_code == 404
    # deleting a missing document is no error
    assert xapi.delete(STATE, params).status_code == 204


#
# State: refusals with the field path
#


@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"activityId": None}, "activityId"),
        ({"agent": None}, "agent"),
        ({"activityId": "not an iri"}, "activityId"),
        ({"agent": "true"}, "agent"),
        ({"agent": '{"objectType": "Agent"}'}, "agent"),
        ({"agent": '{"mbox": "someone@example.com"}'}, "agent.mbox"),
        ({"registration": "true"}, "registration"),
        ({"stateid": "x"}, "stateid"),  # wrong case (3.2.s3.b8)
        ({"profileId": "x"}, "profileId"),  # not a State parameter (3.2.s3.b7)
    ],
)
def test_state_refuses_with_400_and_path_when_parameter_invalid(
    xapi: Xapi, method: str, change: dict[str, str | None], path: str
) -> None:
    # given State parameters with one missing or wrong
    params: dict[str, Any] = state_params()
    for key, value in change.items():
        if value is None:
            params.pop(key)
        else:
            params[key] = value
    # when any method is used
    response = xapi.request(method, STATE, params, {"a": 1} if method in {"PUT", "POST"} else None)
    # then 400 names the parameter, and nothing is stored
    assert response.status_code == 400
    assert error_of(response)["path"] == path
    assert not Document.objects.exists()


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_state_refuses_with_400_when_writing_without_state_id(xapi: Xapi, method: str) -> None:
    params = state_params()
    params.pop("stateId")
    response = xapi.request(method, STATE, params, {"a": 1})
    assert response.status_code == 400
    assert error_of(response)["path"] == "stateId"


def test_state_refuses_with_400_when_since_is_not_a_timestamp(xapi: Xapi) -> None:
    response = xapi.get(STATE, {"activityId": ACTIVITY, "agent": AGENT, "since": "yesterday"})
    assert response.status_code == 400
    assert error_of(response)["path"] == "since"


def test_state_refuses_with_400_when_since_sent_on_a_write(xapi: Xapi) -> None:
    response = xapi.put(STATE, state_params(since="2026-01-01T00:00:00Z"), {"a": 1})
    assert response.status_code == 400
    assert error_of(response)["path"] == "since"


def test_state_refuses_with_401_when_credentials_missing_or_wrong(xapi: Xapi) -> None:
    params = state_params()
    missing = xapi.request("GET", STATE, params, auth=False)
    wrong = Xapi(HttpClient(), "Basic " + base64.b64encode(b"foo:bar").decode()).get(STATE, params)
    assert missing.status_code == wrong.status_code == 401
    assert error_of(missing)["path"] == "Authorization"


def test_state_refuses_with_400_when_version_header_missing(xapi: Xapi) -> None:
    response = xapi.get(STATE, state_params(), version=None)
    assert response.status_code == 400
    assert error_of(response)["path"] == "X-Experience-API-Version"


#
# Scopes (Communication 4.2)
#


def test_state_refuses_with_403_when_client_only_writes_statements(db: None) -> None:
    # given a client that may only write statements
    writer = make_xapi(["statements/write"])
    params = state_params()
    # when it reads or writes State
    read = writer.get(STATE, params)
    write = writer.put(STATE, params, {"a": 1})
    # then both are forbidden, and nothing is stored
    assert read.status_code == write.status_code == 403
    assert error_of(write)["path"] == "Authorization"
    assert not Document.objects.exists()


def test_scopes_allow_reads_and_writes_when_granted(xapi: Xapi) -> None:
    # given a document, a `state` client, an `all/read` client and a `profile` client
    params = state_params()
    xapi.put(STATE, params, {"a": 1})
    state_client = make_xapi(["state"])
    reader = make_xapi(["all/read"])
    profiler = make_xapi(["profile"])
    # then `state` reads and writes State; `all/read` only reads; `profile` gets no State
    assert state_client.put(STATE, params, {"a": 2}).status_code == 204
    assert reader.get(STATE, params).status_code == 200
    assert reader.put(STATE, params, {"a": 3}).status_code == 403
    assert profiler.get(STATE, params).status_code == 403
    profile = {"activityId": ACTIVITY, "profileId": "p"}
    assert (
        profiler.put(
            ACTIVITY_PROFILE, profile, {"a": 1}, headers={"If-None-Match": "*"}
        ).status_code
        == 204
    )
    assert state_client.get(ACTIVITY_PROFILE, profile).status_code == 403


#
# Alternate request syntax and CORS (Communication 1.3, 1.5)
#


def test_state_accepts_alternate_syntax_when_method_in_query(xapi: Xapi) -> None:
    # given a form body carrying headers, parameters and content
    params = state_params()
    form = {
        "Authorization": xapi.authorization,
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": JSON,
        "activityId": params["activityId"],
        "agent": json.dumps(params["agent"]),
        "stateId": params["stateId"],
        "content": json.dumps({"via": "form"}),
    }
    # when it is POSTed with ?method=PUT, then read back with ?method=GET
    put = HttpClient().post(
        f"{STATE}?method=PUT", urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    form.pop("content")
    got = HttpClient().post(
        f"{STATE}?method=GET", urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    # then the document was stored as a normal PUT would have
    assert put.status_code == 204
    assert got.status_code == 200
    assert json.loads(got.content) == {"via": "form"}


def test_documents_answer_cors_preflight_when_options(db: None) -> None:
    # given a browser's preflight
    response = HttpClient().options(
        AGENT_PROFILE,
        headers={"Origin": "http://lms.example", "Access-Control-Request-Method": "PUT"},
    )
    # then it is allowed without credentials, and the concurrency headers may be sent and read
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "If-Match" in response["Access-Control-Allow-Headers"]
    assert "ETag" in response["Access-Control-Expose-Headers"]


#
# Activity Profile and Agent Profile (Communication 2.6, 2.7, 3.1)
#


PROFILES = [
    pytest.param(ACTIVITY_PROFILE, {"activityId": ACTIVITY}, id="activity-profile"),
    pytest.param(AGENT_PROFILE, {"agent": AGENT}, id="agent-profile"),
]


def profile_params(context: dict[str, Any]) -> dict[str, Any]:
    return {**context, "profileId": str(uuid.uuid4())}


@pytest.mark.parametrize(("path", "context"), PROFILES)
def test_profile_put_refuses_when_neither_concurrency_header_sent(
    xapi: Xapi, path: str, context: dict[str, Any]
) -> None:
    # given a new profile id
    params = profile_params(context)
    # when PUT without If-Match or If-None-Match: 400 on a new document
    new = xapi.put(path, params, {"a": 1})
    assert new.status_code == 400
    assert not Document.objects.exists()
    # and 409 explaining what to do on an existing one, which stays unchanged (3.1.s4.b13-15)
    xapi.put(path, params, {"a": 1}, headers={"If-None-Match": "*"})
    existing = xapi.put(path, params, {"a": 2})
    assert existing.status_code == 409
    assert "If-Match" in error_of(existing)["message"]
    assert json.loads(xapi.get(path, params).content) == {"a": 1}


@pytest.mark.parametrize(("path", "context"), PROFILES)
def test_profile_put_follows_etags_when_headers_sent(
    xapi: Xapi, path: str, context: dict[str, Any]
) -> None:
    # given a profile created with If-None-Match: *
    params = profile_params(context)
    created = xapi.put(path, params, {"a": 1}, headers={"If-None-Match": "*"})
    etag = etag_of(xapi.get(path, params))
    # when it is created again, updated with a stale ETag, then with the current one
    again = xapi.put(path, params, {"a": 2}, headers={"If-None-Match": "*"})
    stale = xapi.put(path, params, {"a": 3}, headers={"If-Match": '"' + "1" * 40 + '"'})
    unchanged = json.loads(xapi.get(path, params).content)
    fresh = xapi.put(path, params, {"a": 4}, headers={"If-Match": etag})
    # then 204, 412, 412 (nothing changed), 204
    assert created.status_code == 204
    assert (again.status_code, stale.status_code) == (412, 412)
    assert unchanged == {"a": 1}
    assert fresh.status_code == 204
    assert json.loads(xapi.get(path, params).content) == {"a": 4}
    # and the PUT's answer carries the new ETag
    assert etag_of(fresh) == etag_of(xapi.get(path, params))


@pytest.mark.parametrize(("path", "context"), PROFILES)
def test_profile_post_merges_and_honours_if_match_when_sent(
    xapi: Xapi, path: str, context: dict[str, Any]
) -> None:
    # given a stored JSON profile
    params = profile_params(context)
    assert xapi.post(path, params, {"car": "Honda"}).status_code == 204
    etag = etag_of(xapi.get(path, params))
    # when a POST with a stale ETag, then one with the current ETag arrive
    stale = xapi.post(path, params, {"x": 1}, headers={"If-Match": '"' + "0" * 40 + '"'})
    fresh = xapi.post(path, params, {"type": "Civic"}, headers={"If-Match": etag})
    # then the stale one is refused and the fresh one merged
    assert (stale.status_code, fresh.status_code) == (412, 204)
    assert json.loads(xapi.get(path, params).content) == {"car": "Honda", "type": "Civic"}


@pytest.mark.parametrize(("path", "context"), PROFILES)
def test_profile_delete_honours_if_match_when_sent(
    xapi: Xapi, path: str, context: dict[str, Any]
) -> None:
    # given a stored profile
    params = profile_params(context)
    xapi.post(path, params, {"a": 1})
    etag = etag_of(xapi.get(path, params))
    # when deleted with a stale ETag, then with the current one
    stale = xapi.delete(path, params, headers={"If-Match": '"' + "0" * 40 + '"'})
    kept = xapi.get(path, params).status_code
    fresh = xapi.delete(path, params, headers={"If-Match": etag})
    # then 412 keeps it, 204 removes it; deleting a missing profile is 204
    assert (stale.status_code, kept, fresh.status_code) == (412, 200, 204)
    assert xapi.get(path, params).status_code == 404
    assert xapi.delete(path, params).status_code == 204


@pytest.mark.parametrize(("path", "context"), PROFILES)
def test_profile_lists_ids_since_timestamp_when_profile_id_absent(
    xapi: Xapi, path: str, context: dict[str, Any]
) -> None:
    # given an old and a new profile of one activity or agent
    old, new = profile_params(context), profile_params(context)
    for params in (old, new):
        xapi.post(path, params, {"a": 1})
    Document.objects.filter(doc_id=old["profileId"]).update(
        updated=datetime(2020, 1, 1, tzinfo=UTC)
    )
    # when ids are listed since 2021
    response = xapi.get(path, {**context, "since": "2021-01-01T00:00:00+00:00"})
    # then only the new one is listed
    assert response.status_code == 200
    assert json.loads(response.content) == [new["profileId"]]
    assert sorted(json.loads(xapi.get(path, context).content)) == sorted(
        [old["profileId"], new["profileId"]]
    )


@pytest.mark.parametrize(("path", "context"), PROFILES)
@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_profile_refuses_with_400_when_profile_id_missing(
    xapi: Xapi, path: str, context: dict[str, Any], method: str
) -> None:
    body = {"a": 1} if method != "DELETE" else None
    response = xapi.request(method, path, context, body, headers={"If-None-Match": "*"})
    assert response.status_code == 400
    assert error_of(response)["path"] == "profileId"


@pytest.mark.parametrize(
    ("path", "params", "error_path"),
    [
        (ACTIVITY_PROFILE, {"profileId": "p"}, "activityId"),
        (ACTIVITY_PROFILE, {"activityId": "nope", "profileId": "p"}, "activityId"),
        (ACTIVITY_PROFILE, {"activityId": ACTIVITY, "profileId": "p", "agent": "{}"}, "agent"),
        (AGENT_PROFILE, {"profileId": "p"}, "agent"),
        (AGENT_PROFILE, {"agent": "true", "profileId": "p"}, "agent"),
        (
            AGENT_PROFILE,
            {"agent": AGENT, "profileId": "p", "registration": str(uuid.uuid4())},
            "registration",
        ),
    ],
)
def test_profile_refuses_with_400_and_path_when_parameter_invalid(
    xapi: Xapi, path: str, params: dict[str, Any], error_path: str
) -> None:
    response = xapi.put(path, params, {"a": 1}, headers={"If-None-Match": "*"})
    assert response.status_code == 400
    assert error_of(response)["path"] == error_path


def test_profiles_keep_agents_apart_when_profile_ids_match(xapi: Xapi) -> None:
    # given the same profile id for two agents
    first = {"agent": AGENT, "profileId": "prefs"}
    second = {"agent": OTHER_AGENT, "profileId": "prefs"}
    xapi.put(AGENT_PROFILE, first, {"who": 1}, headers={"If-None-Match": "*"})
    xapi.put(AGENT_PROFILE, second, {"who": 2}, headers={"If-None-Match": "*"})
    # then each agent has its own document
    assert json.loads(xapi.get(AGENT_PROFILE, first).content) == {"who": 1}
    assert json.loads(xapi.get(AGENT_PROFILE, second).content) == {"who": 2}


def test_state_accepts_long_iris_when_beyond_index_limits(xapi: Xapi) -> None:
    # given an activity IRI and an id far longer than an index row may be
    params = state_params(activityId="http://example.com/" + "a" * 5000, stateId="s" * 5000)
    # then the document is stored and found (only hashes are indexed)
    assert xapi.put(STATE, params, {"a": 1}).status_code == 204
    assert xapi.get(STATE, params).status_code == 200


def test_state_refuses_with_413_when_document_exceeds_limit(xapi: Xapi, settings: Any) -> None:
    # given a body limit of 1,000 bytes
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    params = state_params()
    # when a larger document is PUT
    response = xapi.put(STATE, params, b"x" * 2000, content_type="application/octet-stream")
    # then 413 in JSON (Communication 3.2.s3.b11), and nothing is stored
    assert response.status_code == 413
    assert error_of(response)["path"] == "content"
    assert not Document.objects.exists()
