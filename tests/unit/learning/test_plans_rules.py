"""Learning-plan rules: targets and items, transitions, progress."""

from decimal import Decimal

from lifelong.learning.rules.plans import (
    ItemFacts,
    PlanAction,
    PlanProblem,
    PlanStatus,
    check_items,
    check_plan,
    plan_transition,
    progress,
)


def test_check_plan_refuses_a_target_when_zero_or_huge():
    # when / then
    assert check_plan(Decimal(30)) == []
    assert check_plan(Decimal(0)) == [PlanProblem.TARGET_NOT_POSITIVE]
    assert check_plan(Decimal(5000)) == [PlanProblem.TARGET_TOO_LARGE]


def test_check_items_names_each_bad_item_when_items_are_wrong():
    # given
    items = [
        ItemFacts(7, "", Decimal(8), 1),
        ItemFacts(None, "  ", Decimal(4), 2),
        ItemFacts(7, "", Decimal(0), 5),
        ItemFacts(None, "Đọc sách", Decimal(6)),
    ]
    # when
    problems = check_items(items)
    # then
    assert problems == [
        (1, PlanProblem.ITEM_UNNAMED),
        (2, PlanProblem.COURSE_TWICE),
        (2, PlanProblem.ITEM_HOURS_NOT_POSITIVE),
        (2, PlanProblem.ITEM_QUARTER),
    ]


def test_plan_transition_follows_submit_agree_return_when_allowed():
    # when / then
    assert plan_transition(None, PlanAction.SAVE) is PlanStatus.DRAFT
    assert plan_transition(None, PlanAction.SUBMIT) is PlanProblem.NOTHING_PLANNED
    assert (
        plan_transition(PlanStatus.DRAFT, PlanAction.SUBMIT, item_count=1) is PlanStatus.SUBMITTED
    )
    assert plan_transition(PlanStatus.SUBMITTED, PlanAction.AGREE) is PlanStatus.AGREED
    assert plan_transition(PlanStatus.SUBMITTED, PlanAction.RETURN) is PlanStatus.RETURNED
    assert plan_transition(PlanStatus.AGREED, PlanAction.SAVE) is PlanStatus.DRAFT
    assert plan_transition(PlanStatus.DRAFT, PlanAction.AGREE) is PlanProblem.NOT_ALLOWED
    assert plan_transition(PlanStatus.AGREED, PlanAction.RETURN) is PlanProblem.NOT_ALLOWED


def test_progress_counts_ledger_hours_and_planned_courses_done():
    # given
    items = [
        ItemFacts(1, "", Decimal(8), 1),
        ItemFacts(2, "", Decimal(8), 2),
        ItemFacts(None, "Tự học tiếng Anh", Decimal(20), None),
    ]
    # when
    result = progress(
        target_hours=Decimal(30), hours_done=Decimal(12), items=items, completed_course_ids={2, 9}
    )
    # then
    assert (result.share, result.remaining_hours, result.planned_hours) == (
        Decimal("0.40"),
        Decimal(18),
        Decimal(36),
    )
    assert (result.courses_planned, result.courses_done, result.done_course_ids) == (
        2,
        1,
        frozenset({2}),
    )


def test_progress_is_capped_at_the_whole_target_when_exceeded():
    # when
    result = progress(
        target_hours=Decimal(30), hours_done=Decimal(45), items=[], completed_course_ids=[]
    )
    # then
    assert (result.share, result.remaining_hours) == (Decimal(1), Decimal(0))
