"""Statement validation per xAPI 1.0.3 Data: pure, no database.

Mirrors the refusals of the ADL conformance suite's Data 2.x and 4.x sections.
"""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifelong.lrs.validation import (
    InvalidStatement,
    is_iri,
    is_uuid,
    parse_timestamp,
    validate_statement,
    validate_statements,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "xapi"


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def with_change(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Return a copy of `base` with dotted `path` set to `value` (`...` deletes it)."""
    statement = copy.deepcopy(base)
    *parents, last = path.split(".")
    node = statement
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return statement


@pytest.mark.parametrize(
    "name", ["statement_minimal.json", "statement_full.json", "statement_substatement.json"]
)
def test_valid_fixtures_pass_when_they_follow_the_data_part(name):
    # given
    statement = load(name)
    # when / then
    validate_statement(statement)


REFUSED = [
    # (path, value, offending path) — Data 2.2 keys are case-sensitive, unknown ones refused
    ("iD", "6690e6c9-3ef0-4ed3-8b37-7f3964730bee", "iD"),
    ("actor", ..., "actor"),
    ("verb", ..., "verb"),
    ("object", ..., "object"),
    ("actor", None, "actor"),
    ("id", 12345, "id"),
    ("id", "AA97B177-9383-4934-8543-0F91A7A028368", "id"),
    ("id", "MA97B177-9383-4934-8543-0F91A7A02836", "id"),
    # Agents (2.4.2)
    ("actor.mbox", "an@customs.gov.vn", "actor.mbox"),
    ("actor.openid", "https://id.example/1", "actor"),
    ("actor.objectType", "Person", "actor.objectType"),
    ("actor.name", 7, "actor.name"),
    ("actor.mbox_sha1sum", 1234, "actor"),
    # Verb (2.4.3)
    ("verb.id", "not an iri", "verb.id"),
    ("verb.id", "ab=c://should.fail.com", "verb.id"),
    ("verb.display", "completed", "verb.display"),
    ("verb.display", {"not a tag!": "x"}, "verb.display.not a tag!"),
    # Object (2.4.4)
    ("object.id", "course-1", "object.id"),
    ("object.objectType", "Thing", "object.objectType"),
    ("object.definition", "text", "object.definition"),
    ("object.definition", {"interactionType": "Choice"}, "object.definition.interactionType"),
    ("object.definition", {"moreInfo": "nope"}, "object.definition.moreInfo"),
    ("object.definition", {"extensions": {"key": 1}}, "object.definition.extensions.key"),
    # Timestamps (4.5)
    ("timestamp", "01/011/2015", "timestamp"),
    ("timestamp", "2015-13-01T00:00:00Z", "timestamp"),
    ("timestamp", "2015-11-01T00:00:00-00:00", "timestamp"),
    ("timestamp", "2015-11-01T00:00:00-0000", "timestamp"),
    ("timestamp", "2015-11-01T00:00:00-00", "timestamp"),
    # Version (2.4.10)
    ("version", "1.1.0", "version"),
    ("version", "0.9.9", "version"),
    ("version", "should fail", "version"),
    # Attachments (2.4.11)
    ("attachments", "x", "attachments"),
    (
        "attachments",
        [{"usageType": "x", "display": {}, "contentType": "a/b", "length": 1, "sha2": "a" * 64}],
        "attachments[0].usageType",
    ),
]


@pytest.mark.parametrize(("path", "value", "where"), REFUSED)
def test_refusal_names_the_field_when_a_statement_breaks_a_rule(path, value, where):
    # given
    statement = with_change(load("statement_minimal.json"), path, value)
    # when
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement)
    # then
    assert caught.value.path == where


FULL_REFUSED = [
    ("result.score.scaled", 1.00001, "result.score.scaled"),
    ("result.score.raw", 11, "result.score.raw"),
    ("result.score.min", 10.5, "result.score.min"),
    ("result.score.max", "100", "result.score.max"),
    ("result.success", "true", "result.success"),
    ("result.completion", "false", "result.completion"),
    ("result.duration", "1 hour", "result.duration"),
    ("result.extensions", {"no-iri": 1}, "result.extensions.no-iri"),
    ("context.registration", "not-a-uuid", "context.registration"),
    ("context.team", {"mbox": "mailto:a@b.c"}, "context.team.objectType"),
    ("context.instructor", "teacher", "context.instructor"),
    ("context.language", "not a language", "context.language"),
    ("context.contextActivities", {"parents": []}, "context.contextActivities.parents"),
    ("context.statement", {"objectType": "StatementRef", "id": "x"}, "context.statement.id"),
    (
        "actor.member",
        [{"objectType": "Group", "mbox": "mailto:g@b.c"}],
        "actor.member[0].objectType",
    ),
    (
        "authority",
        {
            "objectType": "Group",
            "mbox": "mailto:g@b.c",
            "member": [{"mbox": "mailto:a@b.c"}, {"mbox": "mailto:c@b.c"}],
        },
        "authority",
    ),
    (
        "authority",
        {"objectType": "Group", "member": [{"mbox": "mailto:a@b.c"}]},
        "authority.member",
    ),
    ("object.definition.choices", [{"id": "a"}, {"id": "a"}], "object.definition.choices[1].id"),
    ("object.definition.scale", [{"id": "a"}], "object.definition.scale"),
]


@pytest.mark.parametrize(("path", "value", "where"), FULL_REFUSED)
def test_refusal_names_the_nested_field_when_result_or_context_is_wrong(path, value, where):
    # given
    statement = with_change(load("statement_full.json"), path, value)
    # when
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement)
    # then
    assert caught.value.path == where


@pytest.mark.parametrize("kind", ["Agent", "Group", "StatementRef", "SubStatement"])
def test_revision_and_platform_are_refused_when_the_object_is_not_an_activity(kind):
    # given
    objects = {
        "Agent": {"objectType": "Agent", "mbox": "mailto:a@b.c"},
        "Group": {"objectType": "Group", "member": [{"mbox": "mailto:a@b.c"}]},
        "StatementRef": {
            "objectType": "StatementRef",
            "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
        },
        "SubStatement": load("statement_substatement.json")["object"],
    }
    statement = load("statement_minimal.json") | {
        "object": objects[kind],
        "context": {"platform": "Moodle"},
    }
    # when
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement)
    # then
    assert caught.value.path == "context.platform"


@pytest.mark.parametrize("key", ["id", "stored", "version", "authority"])
def test_substatement_refuses_the_properties_only_a_statement_has(key):
    # given
    statement = load("statement_substatement.json")
    statement["object"][key] = {
        "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
        "stored": "2025-01-01T00:00:00Z",
        "version": "1.0.0",
        "authority": {"mbox": "mailto:a@b.c"},
    }[key]
    # when / then
    with pytest.raises(InvalidStatement, match=key):
        validate_statement(statement)


def test_substatement_refuses_a_nested_substatement():
    # given
    statement = load("statement_substatement.json")
    statement["object"]["object"] = copy.deepcopy(statement["object"])
    # when / then
    with pytest.raises(InvalidStatement, match="another SubStatement"):
        validate_statement(statement)


def test_voiding_statement_is_refused_when_its_object_is_not_a_statement_ref():
    # given
    statement = load("statement_minimal.json")
    statement["verb"]["id"] = "http://adlnet.gov/expapi/verbs/voided"
    # when / then
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement)
    assert caught.value.path == "object"


def test_batch_is_refused_when_an_id_appears_twice():
    # given
    one = load("statement_minimal.json") | {"id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}
    two = load("statement_minimal.json") | {"id": "6690E6C9-3EF0-4ED3-8B37-7F3964730BEE"}
    # when / then
    with pytest.raises(InvalidStatement) as caught:
        validate_statements([one, two])
    assert caught.value.path == "statements[1].id"


def test_extension_values_may_be_null_empty_or_objects():
    # given
    statement = load("statement_minimal.json")
    statement["object"]["definition"] = {
        "extensions": {"http://e.x/a": None, "http://e.x/b": "", "http://e.x/c": {}}
    }
    # when / then
    validate_statement(statement)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-11-18T12:17:00Z", "2015-11-18T12:17:00+00:00"),
        ("2015-11-18T12:17:00.123+07:00", "2015-11-18T05:17:00.123000+00:00"),
        ("2015-11-18T12:17:00+0530", "2015-11-18T06:47:00+00:00"),
        ("2015-11-18T12:17:00", "2015-11-18T12:17:00+00:00"),
    ],
)
def test_parse_timestamp_answers_utc_when_the_offset_is_valid(value, expected):
    # when
    moment = parse_timestamp(value)
    # then
    assert moment is not None and moment.isoformat() == expected


@given(
    st.one_of(st.uuids(version=1), st.uuids(version=3), st.uuids(version=4), st.uuids(version=5))
)
def test_is_uuid_accepts_every_rfc4122_uuid(value):
    # then
    assert is_uuid(str(value)) and is_uuid(str(value).upper())


@settings(max_examples=50)
@given(st.from_regex(r"\A[a-z][a-z0-9+.-]{0,8}:[a-z0-9/._~-]{0,20}\Z"))
def test_is_iri_accepts_every_string_with_a_scheme(value):
    # then
    assert is_iri(value)


@pytest.mark.parametrize("value", ["", "no-scheme", "1http://x", "http://x y", 12])
def test_is_iri_refuses_when_there_is_no_scheme_or_a_space(value):
    # then
    assert not is_iri(value)
