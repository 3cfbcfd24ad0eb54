"""Writes of assignments: rules defined and applied, assignments checked and escalated.

Every function takes the acting user by keyword, runs in one transaction and writes one
audit event. Applying a rule is idempotent: an officer already assigned by the rule, or
with an open assignment of the course, is not assigned again.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.notify import notify
from lifelong.learning.choices import AssignmentStatus
from lifelong.learning.models import Assignment, AssignmentRule, Course, LearningRecord
from lifelong.learning.queries import assignments as queries
from lifelong.learning.rules import assignments as rules
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import CivilServiceRank, JobPosition, Person, Unit
from lifelong.org.queries import today

__all__ = [
    "CheckResult",
    "apply_rule",
    "check_assignments",
    "check_assignments_task",
    "create_rule",
]


def _rule_facts(rule: AssignmentRule) -> rules.RuleFacts:
    return rules.RuleFacts(
        unit_path=rule.unit.path if rule.unit_id and rule.unit else None,
        job_position_id=rule.job_position_id,
        rank_id=rule.rank_id,
        new_hires_days=rule.new_hires_days,
        due_days=rule.due_days,
        due_date=rule.due_date,
    )


@transaction.atomic
def create_rule(
    *,
    acting_user: User,
    name: str,
    course: Course,
    unit: Unit | None = None,
    job_position: JobPosition | None = None,
    rank: CivilServiceRank | None = None,
    new_hires_days: int | None = None,
    due_days: int | None = None,
    due_date: datetime.date | None = None,
) -> tuple[AssignmentRule, list[Assignment]]:
    """Define an assignment rule in the acting training office's scope and apply it at once.

    The unit must lie in the user's MANAGE_TRAINING scope; a rule without a unit (the whole
    organisation) needs a scope over a root unit. Returns the rule and the assignments made.
    """
    if not access.has_capability(acting_user, Capability.MANAGE_TRAINING):
        raise NotFound(_("Not found."))
    if unit is not None and not access.in_scope(acting_user, Capability.MANAGE_TRAINING, unit):
        raise ValidationFailed(
            _("This unit is outside your scope."),
            fields={"unit": [_("This unit is outside your scope.")]},
        )
    if unit is None and not queries.may_define_org_wide(acting_user):
        raise ValidationFailed(
            _("Choose a unit: your scope does not cover the whole organisation."),
            fields={"unit": [_("Choose a unit in your scope.")]},
        )
    if due_date is not None and due_date < today():
        raise ValidationFailed(
            _("The due date is in the past."),
            fields={"due_date": [_("The due date is in the past.")]},
        )
    rule = AssignmentRule(
        name=name.strip(),
        course=course,
        unit=unit,
        job_position=job_position,
        rank=rank,
        new_hires_days=new_hires_days,
        due_days=due_days,
        due_date=due_date,
        created_by=acting_user,
    )
    try:
        rule.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages)) from exc
    rule.save()
    record_event(
        "assignment_rule.created",
        actor=acting_user,
        target=rule,
        after={
            "course": course.code,
            "unit": unit.code if unit else None,
            "job_position": job_position.code if job_position else None,
            "rank": rank.code if rank else None,
            "new_hires_days": new_hires_days,
            "due_days": due_days,
            "due_date": due_date,
        },
    )
    return rule, apply_rule(acting_user=acting_user, rule=rule)


@transaction.atomic
def apply_rule(*, acting_user: User, rule: AssignmentRule) -> list[Assignment]:
    """Assign the rule's course to every active officer it matches who lacks it; notify them.

    Idempotent: an officer the rule already assigned (open or done), or with an open
    assignment of the same course, is skipped. Officers outside the acting user's
    training-office scope are never touched. An inactive rule assigns nobody.
    """
    # Locked so that two simultaneous applications of one rule cannot both assign.
    locked = (
        AssignmentRule.objects.select_for_update(of=("self",))
        .select_related("course", "unit")
        .filter(pk=rule.pk)
        .first()
    )
    if locked is None or not queries.list_rules(acting_user).filter(pk=rule.pk).exists():
        raise NotFound(_("Not found."))
    if not locked.is_active:
        raise ValidationFailed(_("This rule is not active."))
    on = today()
    facts = _rule_facts(locked)
    # Never beyond the acting user's scope: the rule's unit subtree, if it is in scope.
    roots = access.scope_of(acting_user, Capability.MANAGE_TRAINING)
    if locked.unit is not None:
        in_scope = access.in_scope(acting_user, Capability.MANAGE_TRAINING, locked.unit)
        roots = [locked.unit.path] if in_scope else []
    already = set(
        Assignment.objects.filter(
            Q(rule=locked) | Q(course=locked.course, status=AssignmentStatus.OPEN)
        ).values_list("person_id", flat=True)
    )
    chosen = [
        officer.person_id
        for officer in queries.officer_facts(roots)
        if officer.person_id not in already and rules.matches(facts, officer, on)
    ]
    due = rules.due_date_for(facts, on)
    now = timezone.now()
    made = Assignment.objects.bulk_create(
        [
            Assignment(
                rule=locked, person_id=pk, course=locked.course, due_date=due, notified_at=now
            )
            for pk in chosen
        ]
    )
    link = reverse("learning:my_assignments")
    users = dict(
        Person.objects.filter(pk__in=chosen, user__isnull=False).values_list("pk", "user_id")
    )
    accounts = get_user_model().objects.in_bulk(list(users.values()))
    for pk in chosen:
        account = accounts.get(users.get(pk, -1))
        if account is not None:
            notify(
                user=account,
                kind="learning.assigned",
                message=_("New mandatory learning: {course}, due {date}.").format(
                    course=locked.course.title, date=f"{due:%d/%m/%Y}"
                ),
                link=link,
            )
    record_event(
        "assignment_rule.applied",
        actor=acting_user,
        target=locked,
        data={"assigned": len(made), "due_date": due},
    )
    return made


#
# The periodic check: done, overdue, escalation
#


@transaction.atomic
def set_rule_active(*, acting_user: User, rule: AssignmentRule, active: bool) -> AssignmentRule:
    """Stop a rule assigning its course (or start it again); assignments made stay as they are.

    Only a training office whose scope holds the rule may do it (others get NotFound).
    """
    if not queries.list_rules(acting_user).filter(pk=rule.pk).exists():
        raise NotFound(_("Not found."))
    if rule.is_active == active:
        return rule
    rule.is_active = active
    rule.save(update_fields=["is_active"])
    record_event(
        "assignment_rule.activated" if active else "assignment_rule.deactivated",
        actor=acting_user,
        target=rule,
    )
    return rule


@dataclass(frozen=True)
class CheckResult:
    """What one check of the open assignments changed."""

    done: int
    overdue: int
    escalated: int
    heads_notified: int


@transaction.atomic
def check_assignments(
    *, acting_user: User | None = None, on: datetime.date | None = None
) -> CheckResult:
    """Mark open assignments done when learned, and escalate overdue ones once.

    Done: a non-voided counted learning record of the course, dated after the assignment.
    Overdue: still open past the due date. Each overdue assignment notifies the unit heads of
    the officer's unit (the nearest unit up the tree that has any) once, and records
    `escalated_at` so a second check changes nothing.
    """
    on = on or today()
    now = timezone.now()
    first_record = (
        LearningRecord.objects.filter(
            person_id=OuterRef("person_id"),
            course_id=OuterRef("course_id"),
            voided=False,
            occurred_at__gte=OuterRef("assigned_at"),
        )
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    done = (
        Assignment.objects.filter(status=AssignmentStatus.OPEN)
        .filter(queries.done_condition())
        .update(status=AssignmentStatus.DONE, completed_at=Subquery(first_record))
    )
    overdue = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(status=AssignmentStatus.OPEN, due_date__lt=on)
        .select_related("person", "person__unit", "course")
        .order_by("pk")
    )
    grants = queries.head_grants()
    accounts = get_user_model().objects.in_bulk(sorted({g.user_id for g in grants}))
    link = reverse("learning:overdue_assignments")
    escalated = 0
    notified = 0
    for assignment in overdue:
        if not rules.needs_escalation(
            open_=True,
            done=False,
            due_date=assignment.due_date,
            escalated=assignment.escalated_at is not None,
            today=on,
        ):
            continue
        for user_id in rules.heads_to_notify(assignment.person.unit.path, grants):
            notify(
                user=accounts[user_id],
                kind="learning.assignment_overdue",
                message=_("Overdue: {name} has not completed {course} (due {date}).").format(
                    name=assignment.person.full_name,
                    course=assignment.course.title,
                    date=f"{assignment.due_date:%d/%m/%Y}",
                ),
                link=link,
            )
            notified += 1
        assignment.escalated_at = now
        assignment.save(update_fields=["escalated_at"])
        escalated += 1
    result = CheckResult(
        done=done, overdue=len(overdue), escalated=escalated, heads_notified=notified
    )
    record_event(
        "assignments.checked",
        actor=acting_user,
        target_type="learning.assignment",
        data={"on": on, **result.__dict__},
    )
    return result


@task()
def check_assignments_task() -> dict[str, int]:
    """Background task: run `check_assignments` (queue it daily, e.g. from cron or the CLI)."""
    result = check_assignments(acting_user=None)
    return dict(result.__dict__)
