"""The pure parts of document storage: keys, ETags, preconditions, the JSON merge, parameters."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifelong.lrs.documents import (
    DocumentKey,
    check_preconditions,
    compute_etag,
    is_json_media_type,
    key_digest,
    merge_json,
    parse_activity_id,
    parse_agent,
    parse_etags,
    parse_registration,
    parse_since,
    quote_etag,
)
from lifelong.lrs.http import XapiError

JSON = "application/json"
ETAG = "a" * 40

json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=10)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)
json_objects = st.dictionaries(st.text(max_size=8), json_values, max_size=6)


def dumps(value: object) -> bytes:
    return json.dumps(value).encode()


#
# Keys
#


def test_key_digest_differs_when_a_separator_moves_between_parts() -> None:
    # given two tuples whose plain concatenation is the same string
    # when both are hashed
    # then the digests differ, because the parts are encoded as a JSON list
    assert key_digest("a|b", "c") != key_digest("a", "b|c")
    assert key_digest("ab", "") != key_digest("a", "b")


@given(st.text(), st.text(), st.text(), st.text())
def test_key_hash_is_stable_and_distinguishes_ids_when_context_is_shared(
    activity: str, agent: str, registration: str, doc_id: str
) -> None:
    # given a key and the same key with a different id
    key = DocumentKey("state", activity, agent, registration, doc_id)
    other = DocumentKey("state", activity, agent, registration, doc_id + "x")
    # then the key hash is a stable sha256, the context hash ignores registration and id
    assert key.key_hash == DocumentKey("state", activity, agent, registration, doc_id).key_hash
    assert len(key.key_hash) == 64
    assert key.key_hash != other.key_hash
    assert key.context_hash == other.context_hash
    assert key.context_hash == DocumentKey("state", activity, agent, "r", "i").context_hash


def test_key_hash_differs_when_kind_differs() -> None:
    # given an activity profile and a state with the same parts
    # then they never share a row
    profile = DocumentKey("activity_profile", "http://a", "", "", "p")
    state = DocumentKey("state", "http://a", "", "", "p")
    assert profile.key_hash != state.key_hash
    assert profile.context_hash != state.context_hash


#
# ETags
#


def test_compute_etag_is_lowercase_sha1_hex_when_content_is_binary() -> None:
    # given binary content
    content = bytes(range(256))
    # when its ETag is computed
    etag = compute_etag(content)
    # then it is the SHA-1 hex digest (Communication 3.1.s4.b2), quoted on the wire
    assert etag == hashlib.sha1(content).hexdigest()
    assert etag == etag.lower()
    assert quote_etag(etag) == f'"{etag}"'


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (f'"{ETAG}"', [ETAG]),
        (f'W/"{ETAG}"', [ETAG]),
        (f'"{ETAG.upper()}"', [ETAG]),
        (f'"x", "{ETAG}"', ["x", ETAG]),
        ("*", ["*"]),
        (ETAG, [ETAG]),
        ("", []),
    ],
)
def test_parse_etags_unquotes_when_header_lists_tags(header: str, expected: list[str]) -> None:
    # given an If-Match / If-None-Match header
    # when it is parsed
    # then the tags come out unquoted, weak prefix dropped, lower-case
    assert parse_etags(header) == expected


def test_check_preconditions_passes_when_if_match_names_current_etag() -> None:
    # given an existing document and its quoted ETag in If-Match
    # then the write may go on; `*` also matches an existing document
    check_preconditions(ETAG, f'"{ETAG}"', "")
    check_preconditions(ETAG, "*", "")


@pytest.mark.parametrize(
    ("current", "if_match", "if_none_match", "path"),
    [
        (ETAG, '"' + "1" * 40 + '"', "", "If-Match"),  # stale ETag
        (None, f'"{ETAG}"', "", "If-Match"),  # nothing to match
        (None, "*", "", "If-Match"),
        (ETAG, "", "*", "If-None-Match"),  # exists already
        (ETAG, "", f'"{ETAG}"', "If-None-Match"),
    ],
)
def test_check_preconditions_refuses_with_412_when_precondition_fails(
    current: str | None, if_match: str, if_none_match: str, path: str
) -> None:
    # given a precondition that does not hold
    # when it is checked
    with pytest.raises(XapiError) as caught:
        check_preconditions(current, if_match, if_none_match)
    # then 412 names the header
    assert caught.value.status == 412
    assert caught.value.path == path


def test_check_preconditions_passes_when_if_none_match_star_and_no_document() -> None:
    # given no document and If-None-Match: *
    # then creating it may go on
    check_preconditions(None, "", "*")
    # and an If-None-Match naming another ETag does not block an update
    check_preconditions(ETAG, "", '"' + "2" * 40 + '"')


#
# The JSON merge (Communication 2.2.s7)
#


def test_merge_json_replaces_top_level_properties_whole_when_both_are_objects() -> None:
    # given the spec's example and a nested property
    stored = {"x": "foo", "y": "bar", "car": {"make": "Ford", "model": "Escape"}}
    posted = {"x": "bash", "z": "faz", "car": {"make": "Dodge"}}
    # when merged
    merged = json.loads(merge_json(dumps(stored), JSON, dumps(posted), JSON))
    # then posted top-level properties win whole; others stay
    assert merged == {"x": "bash", "y": "bar", "z": "faz", "car": {"make": "Dodge"}}


@given(json_objects, json_objects)
def test_merge_json_equals_dict_update_when_objects_are_arbitrary(
    stored: dict[str, object], posted: dict[str, object]
) -> None:
    # given any two JSON objects
    # when merged
    merged = json.loads(merge_json(dumps(stored), JSON, dumps(posted), "application/json; x=y"))
    # then the result is the stored object updated by the posted one
    assert merged == {**stored, **posted}


@pytest.mark.parametrize(
    ("stored", "stored_type", "posted", "posted_type", "path"),
    [
        (b'{"a":1}', JSON, b"abc", "text/plain", "Content-Type"),
        (b'{"a":1}', JSON, b'{"b":1}', "", "Content-Type"),
        (b"/ asdf", "application/octet-stream", b'{"b":1}', JSON, "content"),
        (b'{"a":1}', JSON, b'{"b":1}{', JSON, "content"),
        (b'{"a":1}', JSON, b"[1,2]", JSON, "content"),
        (b"[1]", JSON, b'{"b":1}', JSON, "content"),
        (b'{"a":1}', JSON, b"\xff\xfe", JSON, "content"),
    ],
)
def test_merge_json_refuses_with_400_when_either_side_is_not_a_json_object(
    stored: bytes, stored_type: str, posted: bytes, posted_type: str, path: str
) -> None:
    # given a stored and a posted document, one of which is not an application/json object
    # when merged
    with pytest.raises(XapiError) as caught:
        merge_json(stored, stored_type, posted, posted_type)
    # then 400 names what is wrong (2.2.s8.b1)
    assert caught.value.status == 400
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("application/json", True),
        ("Application/JSON; charset=utf-8", True),
        ("application/jsonx", False),
        ("text/json", False),
        ("", False),
    ],
)
def test_is_json_media_type_ignores_parameters_and_case_when_checking(
    value: str, expected: bool
) -> None:
    assert is_json_media_type(value) is expected


#
# Parameters
#


def test_parse_since_returns_utc_when_timestamp_has_offset_or_none() -> None:
    # given timestamps with Z, an offset and no offset
    # then each is an aware UTC datetime
    assert parse_since("2026-01-02T03:04:05Z") == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_since("2026-01-02T10:04:05+07:00") == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_since("2026-01-02T03:04:05.123456") == datetime(
        2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC
    )


@pytest.mark.parametrize("value", ["not a timestamp", "true", "2026-01-02", ""])
def test_parse_since_refuses_with_400_when_not_a_timestamp(value: str) -> None:
    with pytest.raises(XapiError) as caught:
        parse_since(value)
    assert (caught.value.status, caught.value.path) == (400, "since")


def test_parse_registration_lowercases_when_uuid_is_uppercase() -> None:
    value = "6F2F0F28-2A9A-4C4C-9B41-0D7A1C6E5F00"
    assert parse_registration(value) == value.lower()


@pytest.mark.parametrize("value", ["true", "6f2f0f28", "{6f2f0f28-2a9a-4c4c-9b41-0d7a1c6e5f00}"])
def test_parse_registration_refuses_with_400_when_not_a_uuid(value: str) -> None:
    with pytest.raises(XapiError) as caught:
        parse_registration(value)
    assert (caught.value.status, caught.value.path) == (400, "registration")


@pytest.mark.parametrize("value", ["http://example.com/a", "urn:x:y", "tag:a@b,2026:c"])
def test_parse_activity_id_accepts_when_value_is_an_iri(value: str) -> None:
    assert parse_activity_id(value) == value


@pytest.mark.parametrize("value", ["", "not an iri", "example.com/a", "true"])
def test_parse_activity_id_refuses_with_400_when_not_an_iri(value: str) -> None:
    with pytest.raises(XapiError) as caught:
        parse_activity_id(value)
    assert (caught.value.status, caught.value.path) == (400, "activityId")


def test_parse_agent_returns_ifi_when_agent_is_an_account() -> None:
    raw = json.dumps({"objectType": "Agent", "account": {"homePage": "http://h", "name": "n"}})
    agent, ifi = parse_agent(raw)
    assert agent["account"]["name"] == "n"
    assert ifi == "account:http://h n"


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ("true", "agent"),
        ("{broken", "agent"),
        ('{"objectType": "Agent"}', "agent"),
        ('{"mbox": "a@b"}', "agent.mbox"),
        ('{"mbox_sha1sum": "xyz"}', "agent.mbox_sha1sum"),
        ('{"openid": "not an iri"}', "agent.openid"),
        ('{"account": {"homePage": "nope", "name": "n"}}', "agent.account.homePage"),
        ('{"objectType": "Activity", "mbox": "mailto:a@b.c"}', "agent.objectType"),
        ('{"mbox": "mailto:a@b.c", "openid": "http://o"}', "agent"),
        ('{"name": 3, "mbox": "mailto:a@b.c"}', "agent.name"),
    ],
)
def test_parse_agent_refuses_with_400_and_path_when_agent_is_invalid(raw: str, path: str) -> None:
    # given a malformed agent parameter
    # when it is parsed
    with pytest.raises(XapiError) as caught:
        parse_agent(raw)
    # then 400 names the offending field
    assert caught.value.status == 400
    assert caught.value.path == path
