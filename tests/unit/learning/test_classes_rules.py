"""Rules of classes: enrolment decisions, the waiting list, cumulative attendance claims."""

from decimal import Decimal

import pytest

from lifelong.learning.rules.classes import (
    LiveStatement,
    attendance_plan,
    capped_hours,
    decide_enrolment,
    next_in_line,
    renumber_waitlist,
)


def _decide(**overrides):
    facts = {
        "class_status": "open",
        "source": "self",
        "capacity": 2,
        "seated": 0,
        "waitlist_positions": [],
        "existing_status": None,
    }
    return decide_enrolment(**(facts | overrides))


def test_an_officer_gets_a_place_while_the_class_has_room():
    # when
    decision = _decide(seated=1)
    # then
    assert (decision.status, decision.waitlist_position, decision.refusal) == ("enrolled", None, "")


def test_a_full_class_puts_the_officer_last_on_the_waiting_list():
    # when
    decision = _decide(seated=2, waitlist_positions=[1, 2, 3])
    # then
    assert (decision.status, decision.waitlist_position) == ("waitlisted", 4)


def test_the_first_on_an_empty_waiting_list_is_position_one():
    # when / then
    assert _decide(seated=2).waitlist_position == 1


@pytest.mark.parametrize("status", ["enrolled", "waitlisted", "completed", "not_completed"])
def test_a_second_enrolment_is_a_duplicate(status):
    # when / then
    assert _decide(existing_status=status).refusal == "duplicate"


def test_a_withdrawn_officer_may_enrol_again():
    # when / then
    assert _decide(existing_status="withdrawn").status == "enrolled"


@pytest.mark.parametrize(
    ("class_status", "source", "allowed"),
    [
        ("open", "self", True),
        ("planned", "self", False),
        ("running", "self", False),
        ("planned", "unit_head", True),
        ("running", "training_office", True),
        ("finished", "training_office", False),
        ("cancelled", "unit_head", False),
    ],
)
def test_who_may_enrol_depends_on_the_class_status(class_status, source, allowed):
    # when
    decision = _decide(class_status=class_status, source=source)
    # then
    assert (decision.refusal != "closed") is allowed


def test_freed_places_go_to_the_waiting_list_in_order():
    # given: (enrolment id, position)
    waiting = [(7, 2), (3, 1), (9, 3)]
    # when / then
    assert next_in_line(waiting, free_places=2) == [3, 7]
    assert next_in_line(waiting, free_places=0) == []
    assert renumber_waitlist([(7, 2), (9, 5)]) == {7: 1, 9: 2}


def test_a_new_session_writes_the_new_cumulative_total():
    # given: 4 hours already claimed
    live = [LiveStatement("a", Decimal(4))]
    # when
    plan = attendance_plan(live, Decimal(7))
    # then: nothing voided (the larger claim wins), 7 written
    assert plan.void == () and plan.write_hours == Decimal(7)


def test_a_correction_voids_every_larger_claim_and_writes_the_lower_total():
    # given
    live = [LiveStatement("a", Decimal(4)), LiveStatement("b", Decimal(7))]
    # when
    plan = attendance_plan(live, Decimal(3))
    # then
    assert plan.void == ("a", "b") and plan.write_hours == Decimal(3)


def test_a_correction_back_to_a_claimed_total_writes_nothing_new():
    # given
    live = [LiveStatement("a", Decimal(4)), LiveStatement("b", Decimal(7))]
    # when
    plan = attendance_plan(live, Decimal(4))
    # then
    assert plan.void == ("b",) and plan.write_hours is None


def test_no_attendance_left_voids_everything_and_claims_nothing():
    # when
    plan = attendance_plan([LiveStatement("a", Decimal(4))], Decimal(0))
    # then
    assert plan.void == ("a",) and plan.write_hours is None


def test_a_negative_total_is_a_programming_error():
    # when / then
    with pytest.raises(ValueError):
        attendance_plan([], Decimal(-1))


def test_a_pass_never_claims_more_than_was_attended():
    # when / then
    assert capped_hours(Decimal(4), Decimal(10)) == Decimal(4)
    assert capped_hours(Decimal(4)) == Decimal(4)
