"""Rules of replication and the good-model library: adoptions, good models, who curates."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifelong.initiatives.choices import Level
from lifelong.initiatives.rules import LEVELS
from lifelong.initiatives.rules_library import (
    MOVEMENT_CONTENTS,
    AdoptionFacts,
    Problem,
    check_adoption,
    check_good_model,
    may_curate,
)
from lifelong.learning.choices import MovementContent

TODAY = datetime.date(2026, 3, 10)


#
# Adoptions
#


def test_an_adoption_of_a_recognised_initiative_since_its_application_passes():
    # given
    facts = AdoptionFacts(
        started_on=datetime.date(2025, 1, 1),
        today=TODAY,
        recognised=True,
        first_applied=datetime.date(2024, 6, 1),
    )
    # when / then
    assert check_adoption(facts) == []


def test_an_unrecognised_initiative_cannot_be_adopted():
    # given
    facts = AdoptionFacts(started_on=TODAY, today=TODAY, recognised=False)
    # when / then
    assert check_adoption(facts) == [("", Problem.NOT_RECOGNISED)]


def test_a_unit_adopts_the_same_thing_once():
    # given
    facts = AdoptionFacts(started_on=TODAY, today=TODAY, already=True)
    # when / then
    assert check_adoption(facts) == [("unit", Problem.ADOPTED_ALREADY)]


def test_the_initiatives_own_unit_does_not_register_it_as_an_adoption():
    # given
    facts = AdoptionFacts(started_on=TODAY, today=TODAY, own_unit=True)
    # when / then
    assert check_adoption(facts) == [("unit", Problem.OWN_UNIT)]


@pytest.mark.parametrize(
    ("started_on", "problem"),
    [
        (None, Problem.STARTED_REQUIRED),
        (TODAY + datetime.timedelta(days=1), Problem.STARTED_IN_FUTURE),
        (datetime.date(2024, 5, 31), Problem.STARTED_BEFORE_APPLICATION),
    ],
)
def test_the_start_date_is_given_not_in_the_future_and_not_before_the_application(
    started_on, problem
):
    # given
    facts = AdoptionFacts(
        started_on=started_on, today=TODAY, first_applied=datetime.date(2024, 6, 1)
    )
    # when / then
    assert check_adoption(facts) == [("started_on", problem)]


def test_the_start_date_may_be_the_day_of_first_application_or_today():
    # given
    first = datetime.date(2024, 6, 1)
    # when / then
    assert check_adoption(AdoptionFacts(started_on=first, today=TODAY, first_applied=first)) == []
    assert check_adoption(AdoptionFacts(started_on=TODAY, today=TODAY, first_applied=first)) == []


def test_every_problem_of_an_adoption_is_listed_at_once():
    # given
    facts = AdoptionFacts(
        started_on=TODAY + datetime.timedelta(days=5),
        today=TODAY,
        recognised=False,
        own_unit=True,
        already=True,
    )
    # when
    problems = {p for _f, p in check_adoption(facts)}
    # then
    assert problems == {
        Problem.NOT_RECOGNISED,
        Problem.OWN_UNIT,
        Problem.ADOPTED_ALREADY,
        Problem.STARTED_IN_FUTURE,
    }


@given(
    started=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31)),
    first=st.one_of(
        st.none(),
        st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31)),
    ),
)
def test_a_start_date_passes_exactly_when_between_first_application_and_today(started, first):
    # given
    facts = AdoptionFacts(started_on=started, today=TODAY, first_applied=first)
    # when
    passes = check_adoption(facts) == []
    # then
    assert passes == (started <= TODAY and (first is None or first <= started))


#
# Good models
#


def _good_model(**overrides):
    values = {
        "title": "Mô hình “Tổ tư vấn thủ tục hải quan” tại cửa khẩu",
        "summary": "Tổ công chức hướng dẫn doanh nghiệp khai báo điện tử.",
        "contents": ["digital_data"],
        "unit_count": 1,
    }
    values.update(overrides)
    return check_good_model(**values)


def test_a_complete_good_model_passes():
    assert _good_model() == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"title": "   "}, [("title", Problem.TITLE_REQUIRED)]),
        ({"summary": ""}, [("summary", Problem.SUMMARY_REQUIRED)]),
        ({"contents": []}, [("contents", Problem.CONTENT_REQUIRED)]),
        ({"contents": ["digital_data", "sports"]}, [("contents", Problem.CONTENT_UNKNOWN)]),
        ({"unit_count": 0}, [("units", Problem.UNITS_REQUIRED)]),
        ({"unrecognised_initiatives": 1}, [("initiatives", Problem.INITIATIVE_NOT_RECOGNISED)]),
    ],
)
def test_a_good_model_is_refused_for_each_missing_or_wrong_part(overrides, expected):
    assert _good_model(**overrides) == expected


def test_the_five_contents_are_the_movements():
    # then: the rules' codes are those of the learning app's choices, in the same order
    assert tuple(MovementContent.values) == MOVEMENT_CONTENTS
    assert len(MOVEMENT_CONTENTS) == 5
    assert tuple(Level.values) == LEVELS


#
# Who curates
#


def test_a_unit_head_curates_only_models_of_the_units_they_lead():
    # given: a unit head of region 2 (path 0001 0003)
    share = ["00010003"]
    # when / then
    assert may_curate(unit_paths=["000100030004"], manage_roots=[], share_roots=share)
    assert not may_curate(
        unit_paths=["000100030004", "00010002"], manage_roots=[], share_roots=share
    )


def test_the_secretariat_curates_anything_in_its_scope():
    # given
    manage = ["0001"]
    # when / then
    assert may_curate(unit_paths=["00010002", "00010003"], manage_roots=manage, share_roots=[])
    assert not may_curate(unit_paths=["0002"], manage_roots=manage, share_roots=[])


def test_a_model_without_units_is_the_secretariats_alone():
    assert may_curate(unit_paths=[], manage_roots=["0001"], share_roots=[])
    assert not may_curate(unit_paths=[], manage_roots=[], share_roots=["0001"])
