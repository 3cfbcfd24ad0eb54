"""Writes of learning plans (issue 4, §9): the officer's yearly plan, agreed by the unit head.

Every function takes keyword-only arguments with `acting_user`, runs in one transaction and
records one audit event. A plan writes no statement: progress is read from the ledger.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.learning.models import Course, LearningPlan, PlanItem
from lifelong.learning.queries import plans as queries
from lifelong.learning.rules import plans as rules
from lifelong.org.access import AnyUser
from lifelong.org.models import Person

__all__ = ["PLAN_MESSAGES", "agree_plan", "return_plan", "save_plan", "submit_plan"]

PLAN_MESSAGES = {
    rules.PlanProblem.TARGET_NOT_POSITIVE: gettext_lazy("The target must be more than 0 hours."),
    rules.PlanProblem.TARGET_TOO_LARGE: gettext_lazy("The target is at most 2000 hours."),
    rules.PlanProblem.ITEM_HOURS_NOT_POSITIVE: gettext_lazy("Planned hours must be more than 0."),
    rules.PlanProblem.ITEM_HOURS_TOO_LARGE: gettext_lazy("Planned hours are at most 2000."),
    rules.PlanProblem.ITEM_UNNAMED: gettext_lazy("Choose a course or describe the self-study."),
    rules.PlanProblem.ITEM_QUARTER: gettext_lazy("The quarter is 1, 2, 3 or 4."),
    rules.PlanProblem.COURSE_TWICE: gettext_lazy("This course is already in the plan."),
    rules.PlanProblem.NOTHING_PLANNED: gettext_lazy(
        "Plan at least one course or piece of self-study before submitting."
    ),
    rules.PlanProblem.NOT_ALLOWED: gettext_lazy("This plan cannot be changed that way now."),
    rules.PlanProblem.REASON_REQUIRED: gettext_lazy("Give the reason for returning it."),
}

EARLIEST_YEAR = 2000


def _message(problem: rules.PlanProblem) -> str:
    return str(PLAN_MESSAGES[problem])


def _person_of(user: AnyUser) -> Person:
    person = Person.objects.filter(user_id=user.pk).first() if user.is_authenticated else None
    if person is None:
        raise ValidationFailed(_("Your account is not linked to an officer's record."))
    return person


def _check(year: int, target_hours: Decimal, items: Sequence[rules.ItemFacts]) -> None:
    this_year = timezone.localdate().year
    if not EARLIEST_YEAR <= year <= this_year + 1:
        raise ValidationFailed(
            _("A plan is for a year from 2000 to {last}.").format(last=this_year + 1),
            fields={"year": [_("Choose another year.")]},
        )
    fields: dict[str, list[str]] = {}
    for problem in rules.check_plan(target_hours):
        fields.setdefault("target_hours", []).append(_message(problem))
    for index, problem in rules.check_items(items):
        fields.setdefault(f"items.{index}", []).append(_message(problem))
    courses = {i.course_id for i in items if i.course_id is not None}
    known = set(Course.objects.filter(pk__in=courses).values_list("pk", flat=True))
    for index, item in enumerate(items):
        if item.course_id is not None and item.course_id not in known:
            fields.setdefault(f"items.{index}", []).append(_("No such course."))
    if fields:
        first = next(iter(fields.values()))[0]
        raise ValidationFailed(first, fields=fields)


def _snapshot(plan: LearningPlan) -> dict[str, object]:
    return {
        "year": plan.year,
        "target_hours": plan.target_hours,
        "status": plan.status,
        "items": [
            {
                "course": i.course_id,
                "description": i.description,
                "hours": i.planned_hours,
                "quarter": i.quarter,
            }
            for i in plan.items.all()
        ]
        if plan.pk
        else [],
    }


def save_plan(
    *,
    acting_user: AnyUser,
    year: int,
    target_hours: Decimal,
    items: Sequence[rules.ItemFacts],
    note: str = "",
    submit: bool = False,
) -> LearningPlan:
    """Create or replace the acting officer's plan for `year`, as a draft or submitted.

    Any change takes an agreed or submitted plan back to draft (or straight to submitted):
    the unit head agrees to the plan as it stands. Refused values raise ValidationFailed
    with per-field messages (`items.<n>` for the n-th item) and nothing is saved.
    """
    person = _person_of(acting_user)
    _check(year, target_hours, items)
    with transaction.atomic():
        plan = LearningPlan.objects.select_for_update().filter(person=person, year=year).first()
        before = _snapshot(plan) if plan is not None else None
        current = rules.PlanStatus(plan.status) if plan is not None else None
        action = rules.PlanAction.SUBMIT if submit else rules.PlanAction.SAVE
        outcome = rules.plan_transition(current, action, item_count=len(items))
        if isinstance(outcome, rules.PlanProblem):
            raise ValidationFailed(_message(outcome))
        if plan is None:
            plan = LearningPlan(person=person, year=year)
        plan.target_hours = target_hours
        plan.note = note.strip()
        plan.status = outcome
        if outcome is rules.PlanStatus.SUBMITTED:
            plan.return_reason = ""  # a draft keeps the reason, so the officer still sees it
        plan.agreed_by = None
        plan.agreed_at = None
        plan.save()
        PlanItem.objects.filter(plan=plan).delete()
        PlanItem.objects.bulk_create(
            [
                PlanItem(
                    plan=plan,
                    course_id=i.course_id,
                    description=i.description.strip()[:300],
                    planned_hours=i.planned_hours,
                    quarter=i.quarter,
                )
                for i in items
            ]
        )
        record_event(
            "plan.submitted" if submit else ("plan.created" if before is None else "plan.updated"),
            actor=acting_user,
            target=plan,
            before=before,
            after=_snapshot(plan),
        )
    return plan


def submit_plan(*, acting_user: AnyUser, plan: LearningPlan) -> LearningPlan:
    """Submit the acting officer's plan as it stands."""
    items = [
        rules.ItemFacts(i.course_id, i.description, i.planned_hours, i.quarter)
        for i in plan.items.all()
    ]
    return save_plan(
        acting_user=acting_user,
        year=plan.year,
        target_hours=plan.target_hours,
        items=items,
        note=plan.note,
        submit=True,
    )


def _review(acting_user: AnyUser, plan: LearningPlan, action: rules.PlanAction) -> LearningPlan:
    plan = LearningPlan.objects.select_for_update().select_related("person__unit").get(pk=plan.pk)
    if not queries.may_review(acting_user, plan):
        raise NotFound(_("Not found."))
    outcome = rules.plan_transition(rules.PlanStatus(plan.status), action)
    if isinstance(outcome, rules.PlanProblem):
        raise ValidationFailed(_message(outcome))
    plan.status = outcome
    return plan


def agree_plan(*, acting_user: AnyUser, plan: LearningPlan) -> LearningPlan:
    """Agree to a submitted plan (a unit head over the officer's unit, never their own)."""
    with transaction.atomic():
        plan = _review(acting_user, plan, rules.PlanAction.AGREE)
        plan.agreed_by_id = acting_user.pk
        plan.agreed_at = timezone.now()
        plan.return_reason = ""
        plan.save()
        record_event("plan.agreed", actor=acting_user, target=plan)
    return plan


def return_plan(*, acting_user: AnyUser, plan: LearningPlan, reason: str) -> LearningPlan:
    """Return a submitted plan to the officer with a reason (required)."""
    reason = reason.strip()
    if not reason:
        message = _message(rules.PlanProblem.REASON_REQUIRED)
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        plan = _review(acting_user, plan, rules.PlanAction.RETURN)
        plan.return_reason = reason[:2000]
        plan.save()
        record_event("plan.returned", actor=acting_user, target=plan, data={"reason": reason})
    return plan
