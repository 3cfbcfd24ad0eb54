"""Self-study rules: hours and dates, who may review, status transitions."""

import datetime
from decimal import Decimal

import pytest

from lifelong.learning.rules.selfstudy import (
    Action,
    Problem,
    Status,
    check_declaration,
    evidence_changeable,
    may_review,
    statement_moment,
    transition,
)

TODAY = datetime.date(2025, 6, 10)


@pytest.mark.parametrize(
    ("hours", "other", "expected"),
    [
        (Decimal("0.25"), Decimal(0), []),
        (Decimal(24), Decimal(0), []),
        (Decimal(0), Decimal(0), [("hours", Problem.HOURS_NOT_POSITIVE)]),
        (Decimal(-1), Decimal(0), [("hours", Problem.HOURS_NOT_POSITIVE)]),
        (Decimal("24.01"), Decimal(0), [("hours", Problem.HOURS_OVER_DAY)]),
        (Decimal(4), Decimal(20), []),
        (Decimal("4.5"), Decimal(20), [("hours", Problem.DAY_OVER_24)]),
    ],
)
def test_check_declaration_refuses_implausible_hours_when_out_of_range(hours, other, expected):
    # when
    problems = check_declaration(
        hours=hours, learned_on=TODAY, today=TODAY, other_hours_that_day=other
    )
    # then
    assert problems == expected


@pytest.mark.parametrize(
    ("learned_on", "expected"),
    [
        (TODAY, []),
        (datetime.date(2000, 1, 1), []),
        (TODAY + datetime.timedelta(days=1), [("learned_on", Problem.DATE_IN_FUTURE)]),
        (datetime.date(1999, 12, 31), [("learned_on", Problem.DATE_TOO_EARLY)]),
    ],
)
def test_check_declaration_refuses_dates_when_future_or_before_2000(learned_on, expected):
    # when / then
    assert check_declaration(hours=Decimal(1), learned_on=learned_on, today=TODAY) == expected


def test_check_declaration_names_every_problem_when_several_fields_fail():
    # when
    problems = check_declaration(
        hours=Decimal(0), learned_on=TODAY + datetime.timedelta(days=5), today=TODAY
    )
    # then
    assert {field for field, _p in problems} == {"hours", "learned_on"}


def test_may_review_only_when_in_scope_and_not_own_declaration():
    # when / then
    assert may_review(reviewer_person_id=1, owner_person_id=2, approves_unit=True)
    assert may_review(reviewer_person_id=None, owner_person_id=2, approves_unit=True)
    assert not may_review(reviewer_person_id=2, owner_person_id=2, approves_unit=True)
    assert not may_review(reviewer_person_id=1, owner_person_id=2, approves_unit=False)


@pytest.mark.parametrize(
    ("current", "action", "status", "void", "write"),
    [
        (None, Action.SAVE, Status.DRAFT, False, False),
        (None, Action.SUBMIT, Status.SUBMITTED, False, False),
        (Status.RETURNED, Action.SUBMIT, Status.SUBMITTED, False, False),
        (Status.SUBMITTED, Action.APPROVE, Status.APPROVED, False, True),
        (Status.SUBMITTED, Action.RETURN, Status.RETURNED, False, False),
        # the officer's edit of an approved declaration voids it and sends it back
        (Status.APPROVED, Action.SUBMIT, Status.SUBMITTED, True, False),
        (Status.APPROVED, Action.SAVE, Status.DRAFT, True, False),
        # the approver's correction voids and writes at once
        (Status.APPROVED, Action.CORRECT, Status.APPROVED, True, True),
    ],
)
def test_transition_voids_and_writes_statements_when_the_rules_say(
    current, action, status, void, write
):
    # when
    step = transition(current, action)
    # then
    assert step is not None
    assert (step.status, step.void_statement, step.write_statement) == (status, void, write)


@pytest.mark.parametrize(
    ("current", "action"),
    [
        (Status.DRAFT, Action.APPROVE),
        (Status.RETURNED, Action.APPROVE),
        (Status.APPROVED, Action.APPROVE),
        (Status.APPROVED, Action.RETURN),
        (Status.SUBMITTED, Action.CORRECT),
        (None, Action.APPROVE),
    ],
)
def test_transition_is_refused_when_the_status_does_not_allow_it(current, action):
    # when / then
    assert transition(current, action) is None


def test_evidence_is_changeable_when_not_approved():
    # when / then
    assert [evidence_changeable(s) for s in Status] == [True, True, False, True]


def test_statement_moment_is_noon_in_hanoi_when_built_for_a_date():
    # when
    moment = statement_moment(datetime.date(2024, 12, 31))
    # then: 05:00 UTC, the same day everywhere near Vietnam, and the year 2024
    assert moment.astimezone(datetime.UTC) == datetime.datetime(
        2024, 12, 31, 5, tzinfo=datetime.UTC
    )
