"""Reads of assignment rules and assignments, every one scoped to the acting user.

An assignment counts as done as soon as the officer has a non-voided counted learning
record of its course dated after it was assigned (`done_condition`), whether or not the
periodic check has marked it yet: every list annotates `is_done` so pages never lag.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from lifelong.core.audit import Action, record_event
from lifelong.core.exceptions import NotFound
from lifelong.learning.choices import AssignmentStatus
from lifelong.learning.models import Assignment, AssignmentRule, LearningRecord
from lifelong.learning.rules.assignments import HeadGrant, OfficerFacts
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.choices import PersonStatus
from lifelong.org.models import PATH_DIGITS, Person, RoleGrant, Unit
from lifelong.org.queries import today

__all__ = [
    "access_rule",
    "done_condition",
    "head_grants",
    "list_my_assignments",
    "list_overdue",
    "list_rules",
    "may_define_org_wide",
    "officer_facts",
    "with_done",
]


def done_condition() -> Exists:
    """Return the SQL condition "the officer has learned the assigned course since"."""
    return Exists(
        LearningRecord.objects.filter(
            person_id=OuterRef("person_id"),
            course_id=OuterRef("course_id"),
            voided=False,
            occurred_at__gte=OuterRef("assigned_at"),
        )
    )


def with_done(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate each assignment with `is_done` (done, or learned since it was assigned)."""
    return assignments.annotate(is_done=Q(status=AssignmentStatus.DONE) | done_condition())


def list_my_assignments(user: AnyUser) -> QuerySet[Assignment]:
    """Return the user's own assignments (open first, by due date), with `is_done`."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return with_done(
        Assignment.objects.filter(person__user_id=user.pk)
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("course", "rule")
    ).order_by("-status", "due_date", "pk")


def list_overdue(
    user: AnyUser, *, unit: Unit | None = None, on: datetime.date | None = None
) -> QuerySet[Assignment]:
    """Return the overdue assignments of officers in the user's SEE_LEARNING scope.

    Overdue: open, due before `on` (default today) and not learned since assigned. Sorted
    by due date, then by name.
    """
    roots = access.scope_of(user, Capability.SEE_LEARNING)
    overdue = Assignment.objects.filter(
        access.scope_filter(roots, "person__unit__path"),
        status=AssignmentStatus.OPEN,
        due_date__lt=on or today(),
    ).filter(~done_condition())
    if unit is not None:
        low, high = Unit.subtree_range(unit.path)
        overdue = overdue.filter(person__unit__path__gte=low, person__unit__path__lt=high)
    return overdue.select_related("person", "person__unit", "course").order_by(
        "due_date", "person__sort_key", "pk"
    )


#
# Rules
#


def may_define_org_wide(user: AnyUser) -> bool:
    """Return whether the user's training-office scope includes a root unit (whole tree)."""
    return any(
        len(root) == PATH_DIGITS for root in access.scope_of(user, Capability.MANAGE_TRAINING)
    )


def list_rules(user: AnyUser) -> QuerySet[AssignmentRule]:
    """Return the assignment rules the user may manage: those of units in its scope.

    A rule without a unit covers the whole organisation; only a training office over a
    root unit sees it.
    """
    roots = access.scope_of(user, Capability.MANAGE_TRAINING)
    condition = access.scope_filter(roots, "unit__path")
    if may_define_org_wide(user):
        condition |= Q(unit__isnull=True)
    return (
        AssignmentRule.objects.filter(condition)
        .select_related("course", "unit", "job_position", "rank")
        .order_by("name", "pk")
    )


def access_rule(user: AnyUser, pk: object) -> AssignmentRule:
    """Return rule `pk` if the user may manage it; otherwise raise NotFound (audited)."""
    try:
        rule_id = int(str(pk))
    except ValueError:
        rule_id = None
    rule = list_rules(user).filter(pk=rule_id).first() if rule_id is not None else None
    if rule is None:
        record_event(
            Action.ACCESS_DENIED,
            actor=user,
            target_type="learning.assignmentrule",
            target_id=str(pk)[:64],
        )
        raise NotFound(_("Not found."))
    return rule


def officer_facts(roots: list[str]) -> list[OfficerFacts]:
    """Return the facts a rule considers for every active officer under `roots`."""
    rows = (
        Person.objects.filter(access.scope_filter(roots, "unit__path"), status=PersonStatus.ACTIVE)
        .values_list("pk", "unit__path", "job_position_id", "rank_id", "hire_date")
        .order_by("pk")
    )
    return [
        OfficerFacts(
            person_id=pk,
            unit_path=path,
            job_position_id=position,
            rank_id=rank,
            hire_date=hired,
            active=True,
        )
        for pk, path, position, rank, hired in rows
    ]


def head_grants() -> list[HeadGrant]:
    """Return every unit-head grant (user, unit path): the candidates of an escalation."""
    return [
        HeadGrant(user_id=user_id, unit_path=path)
        for user_id, path in RoleGrant.objects.filter(
            role="unit_head", user__is_active=True
        ).values_list("user_id", "unit__path")
    ]
