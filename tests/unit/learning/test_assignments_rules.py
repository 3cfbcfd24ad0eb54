"""Assignment rules: whom a rule matches, due dates, overdue and escalation."""

import datetime

from lifelong.learning.rules.assignments import (
    DEFAULT_DUE_DAYS,
    HeadGrant,
    OfficerFacts,
    RuleFacts,
    due_date_for,
    heads_to_notify,
    is_overdue,
    matches,
    needs_escalation,
)

TODAY = datetime.date(2026, 3, 1)
REGION = "00000001" + "00000002"
TEAM = REGION + "00000003"
OTHER_REGION = "00000001" + "00000009"


def officer(**overrides):
    facts = {
        "person_id": 1,
        "unit_path": TEAM,
        "job_position_id": 10,
        "rank_id": 20,
        "hire_date": datetime.date(2015, 1, 1),
        "active": True,
    }
    return OfficerFacts(**{**facts, **overrides})


def test_a_rule_without_criteria_matches_every_active_officer():
    # when / then
    assert matches(RuleFacts(), officer(), TODAY)
    assert not matches(RuleFacts(), officer(active=False), TODAY)


def test_the_unit_criterion_covers_the_whole_subtree_and_nothing_else():
    # given
    rule = RuleFacts(unit_path=REGION)
    # when / then
    assert matches(rule, officer(unit_path=TEAM), TODAY)
    assert matches(rule, officer(unit_path=REGION), TODAY)
    assert not matches(rule, officer(unit_path=OTHER_REGION), TODAY)


def test_every_criterion_given_must_hold():
    # given
    rule = RuleFacts(unit_path=REGION, job_position_id=10, rank_id=20)
    # when / then
    assert matches(rule, officer(), TODAY)
    assert not matches(rule, officer(job_position_id=11), TODAY)
    assert not matches(rule, officer(rank_id=None), TODAY)


def test_new_hires_are_those_hired_within_the_days_and_not_in_the_future():
    # given
    rule = RuleFacts(new_hires_days=30)
    # when / then
    assert matches(rule, officer(hire_date=TODAY - datetime.timedelta(days=30)), TODAY)
    assert not matches(rule, officer(hire_date=TODAY - datetime.timedelta(days=31)), TODAY)
    assert not matches(rule, officer(hire_date=TODAY + datetime.timedelta(days=1)), TODAY)
    assert not matches(rule, officer(hire_date=None), TODAY)


def test_due_date_is_the_fixed_date_else_days_from_today_else_the_default():
    # when / then
    assert due_date_for(RuleFacts(due_date=datetime.date(2026, 6, 30)), TODAY) == datetime.date(
        2026, 6, 30
    )
    assert due_date_for(RuleFacts(due_days=10), TODAY) == datetime.date(2026, 3, 11)
    assert due_date_for(RuleFacts(), TODAY) == TODAY + datetime.timedelta(days=DEFAULT_DUE_DAYS)


def test_a_fixed_due_date_already_past_gives_today():
    # when / then: nobody is overdue on the day they are assigned
    assert due_date_for(RuleFacts(due_date=datetime.date(2026, 1, 1)), TODAY) == TODAY


def test_overdue_means_open_not_done_and_past_the_due_date():
    # given
    yesterday = TODAY - datetime.timedelta(days=1)
    # when / then
    assert is_overdue(open_=True, done=False, due_date=yesterday, today=TODAY)
    assert not is_overdue(open_=True, done=False, due_date=TODAY, today=TODAY)
    assert not is_overdue(open_=True, done=True, due_date=yesterday, today=TODAY)
    assert not is_overdue(open_=False, done=False, due_date=yesterday, today=TODAY)


def test_an_overdue_assignment_is_escalated_only_once():
    # given
    past = TODAY - datetime.timedelta(days=5)
    # when / then
    assert needs_escalation(open_=True, done=False, due_date=past, escalated=False, today=TODAY)
    assert not needs_escalation(open_=True, done=False, due_date=past, escalated=True, today=TODAY)


def test_escalation_goes_to_the_heads_of_the_nearest_unit_with_a_head():
    # given
    grants = [
        HeadGrant(user_id=7, unit_path=REGION),
        HeadGrant(user_id=5, unit_path=REGION),
        HeadGrant(user_id=9, unit_path=OTHER_REGION),
        HeadGrant(user_id=1, unit_path="00000001"),
    ]
    # when / then: the team has no head, so the region's heads are told, not the root's
    assert heads_to_notify(TEAM, grants) == [5, 7]
    # and a team with its own head escalates to that head only
    assert heads_to_notify(TEAM, [*grants, HeadGrant(user_id=3, unit_path=TEAM)]) == [3]
    assert heads_to_notify(TEAM, [HeadGrant(user_id=9, unit_path=OTHER_REGION)]) == []
