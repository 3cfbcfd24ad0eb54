"""Statement comparison (Data 2.3.1) and the canonical/ids formats: pure, no database."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifelong.lrs.equivalence import equivalent
from lifelong.lrs.query import format_statement, parse_accept_language, pick_language
from lifelong.lrs.store import index_statement, merge_definition

FIXTURES = Path(__file__).parents[2] / "fixtures" / "xapi"


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def as_stored(statement: dict[str, Any]) -> dict[str, Any]:
    """Return `statement` as the store keeps it: with the properties the LRS sets."""
    return statement | {
        "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
        "stored": "2025-03-04T03:11:12.345Z",
        "authority": {"objectType": "Agent", "mbox": "mailto:lms@customs.gov.vn"},
        "version": "1.0.0",
        "timestamp": statement.get("timestamp", "2025-03-04T03:11:12.345Z"),
    }


def test_resend_is_equivalent_when_only_lrs_set_properties_differ():
    # given
    sent = load("statement_minimal.json")
    # when / then
    assert equivalent(as_stored(sent), sent)


def test_resend_is_equivalent_when_timestamp_is_the_same_instant_in_another_zone():
    # given
    sent = load("statement_full.json")
    again = sent | {"timestamp": "2025-03-04T03:11:12.345Z"}
    # when / then
    assert equivalent(as_stored(sent), again)


def test_resend_is_equivalent_when_definitions_display_member_order_or_mbox_domain_case_differ():
    # given
    sent = load("statement_full.json")
    again = copy.deepcopy(sent)
    again["verb"]["display"] = {"vi": "trả lời"}
    again["object"]["definition"] = {"name": {"fr": "Question"}}
    again["actor"]["member"].reverse()
    again["actor"]["mbox"] = "mailto:team-hp@CUSTOMS.gov.vn"
    # when / then
    assert equivalent(as_stored(sent), again)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("result", "duration"), "PT62M3.5S"),  # Data 2.3.1.b8: duration is a string
        (("result", "success"), False),
        (("context", "registration"), "1b0b1f4e-6d3c-4c49-9f27-9a33c3a2cb30"),
        (("object", "id"), "http://lms.customs.gov.vn/quiz/1/q2"),
        (("timestamp",), "2025-03-04T10:11:13.345+07:00"),
    ],
)
def test_resend_conflicts_when_a_statement_property_differs(path, value):
    # given
    sent = load("statement_full.json")
    again = copy.deepcopy(sent)
    node = again
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    # when / then
    assert not equivalent(as_stored(sent), again)


@settings(max_examples=40)
@given(
    st.dictionaries(
        st.sampled_from(["http://e.x/a", "http://e.x/b", "urn:x:c"]),
        st.one_of(st.none(), st.integers(), st.text(max_size=5)),
        max_size=3,
    )
)
def test_equivalence_is_reflexive_and_sees_extension_changes(extensions):
    # given
    sent = load("statement_minimal.json") | {"result": {"extensions": extensions}}
    changed = sent | {"result": {"extensions": {**extensions, "http://e.x/z": 1}}}
    # then
    assert equivalent(as_stored(sent), sent)
    assert not equivalent(as_stored(sent), changed)


def test_ids_format_keeps_only_identifiers():
    # given
    statement = as_stored(load("statement_full.json"))
    # when
    out = format_statement(statement, "ids")
    # then
    assert out["verb"] == {"id": "http://adlnet.gov/expapi/verbs/answered"}
    assert out["object"] == {"id": "http://lms.customs.gov.vn/quiz/1/q1"}
    assert out["actor"] == {"objectType": "Group", "mbox": "mailto:team-hp@customs.gov.vn"}
    assert out["context"]["team"] == {
        "objectType": "Group",
        "member": [{"objectType": "Agent", "mbox": "mailto:b@customs.gov.vn"}],
    }


def test_canonical_format_uses_the_store_definition_in_the_preferred_language():
    # given
    statement = as_stored(load("statement_full.json"))
    canonical = {
        "http://lms.customs.gov.vn/quiz/1/q1": {"name": {"en-US": "Q1", "vi": "Câu hỏi 1"}},
    }
    # when
    out = format_statement(
        statement,
        "canonical",
        canonical=canonical,
        languages=parse_accept_language("vi-VN, en;q=0.5"),
    )
    # then
    assert out["object"]["definition"] == {"name": {"vi": "Câu hỏi 1"}}
    assert out["verb"]["display"] == {"en-US": "answered"}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr, en-US;q=0.8", {"en-US": "x"}),
        ("vi", {"vi": "y"}),
        ("", {"en-US": "x"}),
        ("de;q=0.9, vi-VN", {"vi": "y"}),
    ],
)
def test_pick_language_follows_accept_language_quality(header, expected):
    # then
    assert pick_language({"en-US": "x", "vi": "y"}, parse_accept_language(header)) == expected


def test_index_marks_direct_and_related_agents_and_activities():
    # given
    statement = as_stored(load("statement_full.json"))
    # when
    index = index_statement(statement)
    # then
    assert index.agents["mbox:mailto:team-hp@customs.gov.vn"] is False
    assert index.agents["account:https://lifelong.customs.gov.vn HQ00123"] is False
    assert index.agents["openid:https://id.customs.gov.vn/trainer/7"] is True
    assert index.agents["mbox:mailto:lms@customs.gov.vn"] is True
    assert index.activities == {
        "http://lms.customs.gov.vn/quiz/1/q1": False,
        "http://lms.customs.gov.vn/quiz/1": True,
        "http://lms.customs.gov.vn/courses/hs-code-101": True,
        "https://w3id.org/xapi/cmi5/context/categories/cmi5": True,
    }
    assert index.registration == "0b0b1f4e-6d3c-4c49-9f27-9a33c3a2cb30"


def test_index_of_a_substatement_marks_its_parts_related_only():
    # given
    statement = load("statement_substatement.json")
    # when
    index = index_statement(statement)
    # then
    assert index.activity_iri == ""
    assert index.activities == {
        "http://lifelong.customs.gov.vn/classes/42": True,
        "http://lifelong.customs.gov.vn/courses/7": True,
    }
    assert index.agents == {
        "mbox:mailto:an@customs.gov.vn": False,
        "mbox:mailto:trainer@customs.gov.vn": True,
    }


def test_merge_definition_keeps_languages_and_takes_newer_properties():
    # given
    old = {"name": {"en-US": "Course"}, "type": "http://a.b/old"}
    # when
    merged = merge_definition(old, {"name": {"vi": "Khoá học"}, "type": "http://a.b/new"})
    # then
    assert merged == {"name": {"en-US": "Course", "vi": "Khoá học"}, "type": "http://a.b/new"}
