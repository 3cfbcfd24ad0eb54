"""Reads of learning plans and their progress, every one scoped to the acting user.

An officer always sees their own plans; unit heads (APPROVE_LEARNING) and the training
office and secretariat (SEE_LEARNING) see those of the officers of their units. Progress
reads the ledger's summary (`LedgerYear`) and the officer's learning records of the year.
"""

from decimal import Decimal

from django.db.models import Q, QuerySet

from lifelong.core.lookups import get_visible
from lifelong.core.text import search_terms
from lifelong.learning.choices import PlanStatus
from lifelong.learning.models import (
    AnnualTarget,
    Course,
    LearningPlan,
    LearningRecord,
    LedgerYear,
    PlanItem,
)
from lifelong.learning.rules import ledger
from lifelong.learning.rules import plans as rules
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Person

__all__ = [
    "access_plan",
    "active_courses",
    "default_target",
    "items_of",
    "may_review",
    "my_plan",
    "plan_progress",
    "plans_to_agree",
    "plans_visible_to",
]


def default_target(person: Person, year: int) -> Decimal:
    """Return the annual target of the officer's job-position group for `year`."""
    rows = [
        ledger.TargetRow(r.position_group, r.from_year, r.until_year, r.hours)
        for r in AnnualTarget.objects.all()
    ]
    group = person.job_position.group if person.job_position_id else ""  # type: ignore[union-attr]  # checked by job_position_id
    return ledger.target_for(rows, group, year)


def _base() -> QuerySet[LearningPlan]:
    return LearningPlan.objects.select_related("person", "person__unit", "agreed_by")


def my_plan(user: AnyUser, year: int) -> LearningPlan | None:
    """Return the user's own plan for `year`, if there is one."""
    if not user.is_authenticated:
        return None
    return _base().filter(person__user_id=user.pk, year=year).first()


def plans_visible_to(
    user: AnyUser, *, year: int | None = None, status: str = "", query: str = ""
) -> QuerySet[LearningPlan]:
    """Return the plans the user may see: their own and those of officers in scope."""
    if not user.is_authenticated:
        return _base().none()
    roots = [
        *access.scope_of(user, Capability.SEE_LEARNING),
        *access.scope_of(user, Capability.APPROVE_LEARNING),
    ]
    rows = _base().filter(
        access.scope_filter(roots, "person__unit__path") | Q(person__user_id=user.pk)
    )
    if year is not None:
        rows = rows.filter(year=year)
    if status:
        rows = rows.filter(status=status)
    for term in search_terms(query)[:8]:
        rows = rows.filter(person__search_text__contains=term)
    return rows.order_by("-year", "person__sort_key", "pk")


def access_plan(user: AnyUser, pk: object) -> LearningPlan:
    """Return a plan the user may see; otherwise raise NotFound (audited)."""
    return get_visible(user, plans_visible_to(user), "learning.learningplan", pk)


def may_review(user: AnyUser, plan: LearningPlan) -> bool:
    """Return whether the user may agree to or return the plan: its officer's unit head."""
    if plan.person.user_id == user.pk:
        return False
    return access.in_scope(user, Capability.APPROVE_LEARNING, plan.person.unit)


def plans_to_agree(user: AnyUser) -> QuerySet[LearningPlan]:
    """Return the submitted plans the user may agree to, oldest first; never their own."""
    roots = access.scope_of(user, Capability.APPROVE_LEARNING)
    if not roots:
        return _base().none()
    return (
        _base()
        .filter(access.scope_filter(roots, "person__unit__path"), status=PlanStatus.SUBMITTED)
        .exclude(person__user_id=user.pk or 0)
        .order_by("updated_at", "pk")
    )


def items_of(plan: LearningPlan) -> list[PlanItem]:
    """Return the plan's items with their courses."""
    return list(plan.items.select_related("course").order_by("quarter", "pk"))


def plan_progress(plan: LearningPlan, items: list[PlanItem] | None = None) -> rules.Progress:
    """Return the plan's progress: the ledger's hours that year and the planned courses done.

    A planned course is done when the officer has a live (not voided) learning record of it
    in the plan's year.
    """
    items = items if items is not None else items_of(plan)
    hours = (
        LedgerYear.objects.filter(person_id=plan.person_id, year=plan.year)
        .values_list("hours_total", flat=True)
        .first()
    )
    planned = [i.course_id for i in items if i.course_id is not None]
    done = (
        set(
            LearningRecord.objects.filter(
                person_id=plan.person_id, year=plan.year, voided=False, course_id__in=planned
            ).values_list("course_id", flat=True)
        )
        if planned
        else set()
    )
    return rules.progress(
        target_hours=plan.target_hours,
        hours_done=Decimal(hours or 0),
        items=[
            rules.ItemFacts(i.course_id, i.description, i.planned_hours, i.quarter) for i in items
        ],
        completed_course_ids={c for c in done if c is not None},
    )


def active_courses() -> QuerySet[Course]:
    """Return the catalogue's active courses, in Vietnamese title order."""
    return Course.objects.filter(is_active=True).order_by("sort_key", "code")
