"""Learning plans (issue 4, §9): pure rules, no database, standard library only.

- An officer's plan for a year has a target (by default the annual target of their
  job-position group), planned courses and planned self-study (hours, quarter).
- The officer submits it; a unit head over the officer's unit (never their own plan) agrees
  or returns it with a reason. An edit after submission or agreement takes it back to draft.
- Progress: the hours the ledger counts that year against the plan's target, and which
  planned courses are done.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "MAX_PLAN_HOURS",
    "ItemFacts",
    "PlanAction",
    "PlanProblem",
    "PlanStatus",
    "Progress",
    "check_items",
    "check_plan",
    "plan_transition",
    "progress",
]

MAX_PLAN_HOURS = Decimal(2000)  # a year of full-time study: more is a typing error
HUNDREDTH = Decimal("0.01")


class PlanStatus(StrEnum):
    """A plan's status (the codes of `learning.choices.PlanStatus`)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    AGREED = "agreed"
    RETURNED = "returned"


class PlanAction(StrEnum):
    """What someone does to a plan."""

    SAVE = "save"
    SUBMIT = "submit"
    AGREE = "agree"
    RETURN = "return"


class PlanProblem(StrEnum):
    """Why a plan's values or an action on it are refused."""

    TARGET_NOT_POSITIVE = "target_not_positive"
    TARGET_TOO_LARGE = "target_too_large"
    ITEM_HOURS_NOT_POSITIVE = "item_hours_not_positive"
    ITEM_HOURS_TOO_LARGE = "item_hours_too_large"
    ITEM_UNNAMED = "item_unnamed"
    ITEM_QUARTER = "item_quarter"
    COURSE_TWICE = "course_twice"
    NOTHING_PLANNED = "nothing_planned"
    NOT_ALLOWED = "not_allowed"
    REASON_REQUIRED = "reason_required"


@dataclass(frozen=True)
class ItemFacts:
    """One planned item: a course (its id) or described self-study, with hours and quarter."""

    course_id: int | None
    description: str
    planned_hours: Decimal
    quarter: int | None = None


def check_plan(target_hours: Decimal) -> list[PlanProblem]:
    """Return why a plan's target is refused; empty when it is fine."""
    if target_hours <= 0:
        return [PlanProblem.TARGET_NOT_POSITIVE]
    if target_hours > MAX_PLAN_HOURS:
        return [PlanProblem.TARGET_TOO_LARGE]
    return []


def check_items(items: Sequence[ItemFacts]) -> list[tuple[int, PlanProblem]]:
    """Return (item index, problem) pairs for the planned items; empty when all are fine.

    A course is planned at most once a year; self-study needs a description.
    """
    problems: list[tuple[int, PlanProblem]] = []
    seen: set[int] = set()
    for index, item in enumerate(items):
        if item.course_id is None and not item.description.strip():
            problems.append((index, PlanProblem.ITEM_UNNAMED))
        if item.course_id is not None:
            if item.course_id in seen:
                problems.append((index, PlanProblem.COURSE_TWICE))
            seen.add(item.course_id)
        if item.planned_hours <= 0:
            problems.append((index, PlanProblem.ITEM_HOURS_NOT_POSITIVE))
        elif item.planned_hours > MAX_PLAN_HOURS:
            problems.append((index, PlanProblem.ITEM_HOURS_TOO_LARGE))
        if item.quarter is not None and not 1 <= item.quarter <= 4:
            problems.append((index, PlanProblem.ITEM_QUARTER))
    return problems


def plan_transition(
    current: PlanStatus | None, action: PlanAction, *, item_count: int = 0
) -> PlanStatus | PlanProblem:
    """Return the status `action` leads to from `current` (None: a new plan), or why not.

    Saving is allowed at every stage and takes the plan back to draft: a changed plan must
    be agreed again. Submitting needs at least one planned item. Agreeing and returning
    apply only to a submitted plan.
    """
    if action is PlanAction.SAVE:
        return PlanStatus.DRAFT
    if action is PlanAction.SUBMIT:
        if item_count == 0:
            return PlanProblem.NOTHING_PLANNED
        return PlanStatus.SUBMITTED
    if current is not PlanStatus.SUBMITTED:
        return PlanProblem.NOT_ALLOWED
    return PlanStatus.AGREED if action is PlanAction.AGREE else PlanStatus.RETURNED


@dataclass(frozen=True)
class Progress:
    """How far an officer is with a year's plan."""

    target_hours: Decimal
    hours_done: Decimal
    share: Decimal  # hours done / target, 0-1 (capped at 1)
    remaining_hours: Decimal
    planned_hours: Decimal  # the sum of the planned items
    courses_planned: int
    courses_done: int
    done_course_ids: frozenset[int]


def progress(
    *,
    target_hours: Decimal,
    hours_done: Decimal,
    items: Iterable[ItemFacts],
    completed_course_ids: Iterable[int],
) -> Progress:
    """Return the progress against a plan.

    `hours_done` is the ledger's total for the plan's year; `completed_course_ids` are the
    courses with a live learning record of the officer that year.
    """
    items = list(items)
    planned_courses = {i.course_id for i in items if i.course_id is not None}
    done = planned_courses & set(completed_course_ids)
    share = Decimal(0)
    if target_hours > 0:
        share = min(Decimal(1), hours_done / target_hours).quantize(HUNDREDTH, ROUND_HALF_UP)
    return Progress(
        target_hours=target_hours,
        hours_done=hours_done,
        share=share,
        remaining_hours=max(Decimal(0), target_hours - hours_done),
        planned_hours=sum((i.planned_hours for i in items), Decimal(0)),
        courses_planned=len(planned_courses),
        courses_done=len(done),
        done_course_ids=frozenset(done),
    )
