"""Every write to the organisation: one transaction, one audit event per change.

Services take keyword-only arguments and the acting user; they validate with `full_clean()`
before saving and raise `ValidationFailed` / `Conflict` with a message for the user.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from lifelong.core.audit import Action, record_event
from lifelong.core.exceptions import Conflict, ValidationFailed
from lifelong.org.models import (
    PATH_DIGITS,
    CivilServiceRank,
    DisciplineRecord,
    JobPosition,
    PartyMembership,
    Person,
    PositionAssignment,
    RoleGrant,
    Unit,
    UnitSuccession,
)
from lifelong.org.rules import succession_would_cycle, tree_move_would_cycle

__all__ = [
    "add_discipline_record",
    "create_job_position",
    "create_person",
    "create_rank",
    "create_unit",
    "grant_role",
    "move_person",
    "record_succession",
    "revoke_role",
    "set_party_membership",
    "update_person",
    "update_unit",
]

Actor = AbstractBaseUser | None


def _clean(obj: Any) -> None:
    """Run model validation and turn Django's error into the domain's."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages = [m for field_errors in exc.message_dict.values() for m in field_errors]
        raise ValidationFailed(" ".join(messages), fields=exc.message_dict) from exc


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return model_to_dict(obj, fields=fields)


#
# Units
#

UNIT_FIELDS = ["code", "name", "kind", "parent", "valid_from", "valid_to"]


def _own_path(unit: Unit) -> str:
    return f"{unit.pk:0{PATH_DIGITS}d}"


@transaction.atomic
def create_unit(
    *,
    acting_user: Actor,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Unit:
    """Create a unit under `parent` (or a root) and place it in the tree."""
    unit = Unit(
        code=code, name=name, kind=kind, parent=parent, valid_from=valid_from, valid_to=valid_to
    )
    unit.path = "0" * PATH_DIGITS  # replaced below, once the id is known
    _clean(unit)
    unit.save()
    unit.path = (parent.path if parent else "") + _own_path(unit)
    unit.depth = parent.depth + 1 if parent else 0
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    record_event(
        Action.UNIT_CREATED, actor=acting_user, target=unit, after=_snapshot(unit, UNIT_FIELDS)
    )
    return unit


@transaction.atomic
def update_unit(*, acting_user: Actor, unit: Unit, **changes: Any) -> Unit:
    """Change a unit's fields; moving it under a new parent moves its whole subtree.

    Refuses a move that would put a unit below itself.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = _snapshot(unit, UNIT_FIELDS)
    new_parent = changes.get("parent", unit.parent)
    if new_parent is not None and tree_move_would_cycle(unit.path, new_parent.path):
        raise Conflict(_("A unit cannot be placed under itself or one of its own sub-units."))
    for field, value in changes.items():
        if field not in UNIT_FIELDS:
            raise ValidationFailed(_("Unknown unit field: {field}.").format(field=field))
        setattr(unit, field, value)
    _clean(unit)
    unit.save()
    new_path = (new_parent.path if new_parent else "") + _own_path(unit)
    if new_path != unit.path:
        old = unit.path
        low, high = Unit.subtree_range(old)
        depth_shift = (len(new_path) - len(old)) // PATH_DIGITS
        for sub in Unit.objects.filter(path__gte=low, path__lt=high).order_by("pk"):
            Unit.objects.filter(pk=sub.pk).update(
                path=new_path + sub.path[len(old) :], depth=sub.depth + depth_shift
            )
        unit.refresh_from_db()
    record_event(
        Action.UNIT_UPDATED,
        actor=acting_user,
        target=unit,
        before=before,
        after=_snapshot(unit, UNIT_FIELDS),
    )
    return unit


@transaction.atomic
def record_succession(
    *,
    acting_user: Actor,
    predecessor: Unit,
    successor: Unit,
    kind: str,
    effective_on: datetime.date,
    decision: str = "",
    close_predecessor: bool = True,
) -> UnitSuccession:
    """Record that `predecessor`'s history passes to `successor` from `effective_on`.

    Refuses a succession that would close a cycle. With `close_predecessor` the former unit's
    validity ends the day before, unless it already ended.
    """
    edges: dict[int, list[int]] = defaultdict(list)
    for pred, succ in UnitSuccession.objects.values_list("predecessor_id", "successor_id"):
        edges[pred].append(succ)
    if succession_would_cycle(edges, predecessor.pk, successor.pk):
        raise Conflict(
            _("{a} cannot pass its history to {b}: {b} already leads back to {a}.").format(
                a=predecessor.name, b=successor.name
            )
        )
    succession = UnitSuccession(
        predecessor=predecessor,
        successor=successor,
        kind=kind,
        effective_on=effective_on,
        decision=decision,
    )
    _clean(succession)
    succession.save()
    if close_predecessor and predecessor.valid_to is None:
        predecessor.valid_to = effective_on - datetime.timedelta(days=1)
        _clean(predecessor)
        predecessor.save(update_fields=["valid_to"])
    record_event(
        Action.UNIT_SUCCEEDED,
        actor=acting_user,
        target=predecessor,
        data={"successor": successor.code, "kind": kind, "effective_on": effective_on},
    )
    return succession


#
# Positions and ranks
#


@transaction.atomic
def create_rank(*, acting_user: Actor, code: str, name: str, level: int = 0) -> CivilServiceRank:
    """Create a civil-service rank."""
    rank = CivilServiceRank(code=code, name=name, level=level)
    _clean(rank)
    rank.save()
    record_event(Action.POSITION_CREATED, actor=acting_user, target=rank)
    return rank


@transaction.atomic
def create_job_position(
    *,
    acting_user: Actor,
    code: str,
    name: str,
    group: str,
    rank: CivilServiceRank | None = None,
) -> JobPosition:
    """Create a job position (vị trí việc làm)."""
    position = JobPosition(code=code, name=name, group=group, rank=rank)
    _clean(position)
    position.save()
    record_event(Action.POSITION_CREATED, actor=acting_user, target=position)
    return position


#
# People
#

PERSON_FIELDS = [
    "officer_code",
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "work_email",
    "unit",
    "job_position",
    "rank",
    "hire_date",
    "status",
]


@transaction.atomic
def create_person(
    *,
    acting_user: Actor,
    officer_code: str,
    family_name: str,
    given_name: str,
    gender: str,
    unit: Unit,
    middle_name: str = "",
    birth_date: datetime.date | None = None,
    work_email: str = "",
    job_position: JobPosition | None = None,
    rank: CivilServiceRank | None = None,
    hire_date: datetime.date | None = None,
    status: str = "active",
    assigned_on: datetime.date | None = None,
) -> Person:
    """Create a person and open their position history in `unit` from `assigned_on`.

    `assigned_on` defaults to the hire date; without either, no history entry is opened.
    """
    if Person.objects.filter(officer_code=officer_code.strip()).exists():
        raise Conflict(
            _("Officer code {code} is already used.").format(code=officer_code.strip())
        )
    person = Person(
        officer_code=officer_code,
        family_name=family_name,
        middle_name=middle_name,
        given_name=given_name,
        gender=gender,
        birth_date=birth_date,
        work_email=work_email,
        unit=unit,
        job_position=job_position,
        rank=rank,
        hire_date=hire_date,
        status=status,
    )
    _clean(person)
    person.save()
    starts_on = assigned_on or hire_date
    if starts_on is not None:
        PositionAssignment.objects.create(
            person=person, unit=unit, job_position=job_position, starts_on=starts_on
        )
    record_event(
        Action.PERSON_CREATED,
        actor=acting_user,
        target=person,
        after=_snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def update_person(*, acting_user: Actor, person: Person, **changes: Any) -> Person:
    """Change a person's record fields (not their unit or position: see `move_person`)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _snapshot(person, PERSON_FIELDS)
    for field, value in changes.items():
        if field not in PERSON_FIELDS or field in {"unit", "job_position"}:
            raise ValidationFailed(_("This field cannot be changed here: {field}.").format(
                field=field
            ))
        setattr(person, field, value)
    _clean(person)
    person.save()
    record_event(
        Action.PERSON_UPDATED,
        actor=acting_user,
        target=person,
        before=before,
        after=_snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def move_person(
    *,
    acting_user: Actor,
    person: Person,
    unit: Unit,
    job_position: JobPosition | None,
    starts_on: datetime.date,
    note: str = "",
) -> PositionAssignment:
    """Assign a person to a unit and position from `starts_on`, closing the open assignment.

    Rotation (luân chuyển) and reorganisation both come through here, so the position
    history stays complete and dated.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    current = person.assignments.filter(ends_on__isnull=True).order_by("-starts_on").first()
    if current is not None:
        if starts_on <= current.starts_on:
            raise ValidationFailed(
                _("The new assignment must start after the current one ({date}).").format(
                    date=current.starts_on.strftime("%d/%m/%Y")
                )
            )
        current.ends_on = starts_on - datetime.timedelta(days=1)
        current.save(update_fields=["ends_on"])
    assignment = PositionAssignment(
        person=person, unit=unit, job_position=job_position, starts_on=starts_on, note=note
    )
    _clean(assignment)
    assignment.save()
    before = {"unit": person.unit.code, "job_position": getattr(person.job_position, "code", None)}
    person.unit = unit
    person.job_position = job_position
    person.save(update_fields=["unit", "job_position", "updated_at"])
    record_event(
        Action.PERSON_MOVED,
        actor=acting_user,
        target=person,
        before=before,
        after={"unit": unit.code, "job_position": getattr(job_position, "code", None)},
        data={"starts_on": starts_on},
    )
    return assignment


#
# Accounts and roles
#


@transaction.atomic
def create_account(
    *, acting_user: Actor, username: str, password: str, person: Person | None = None
) -> AbstractBaseUser:
    """Create a login account, linked to `person` if given."""
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise Conflict(_("The user name {name} is taken.").format(name=username))
    user = user_model.objects.create_user(username=username, password=password)
    if person is not None:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        user.first_name = person.given_name
        user.last_name = f"{person.family_name} {person.middle_name}".strip()
        user.email = person.work_email
        user.save(update_fields=["first_name", "last_name", "email"])
    record_event(Action.PERSON_UPDATED, actor=acting_user, target=user, data={"account": "created"})
    return user


@transaction.atomic
def grant_role(*, acting_user: Actor, user: AbstractBaseUser, role: str, unit: Unit) -> RoleGrant:
    """Grant `role` over `unit` and its subtree; granting it twice is refused."""
    if RoleGrant.objects.filter(user=user, role=role, unit=unit).exists():
        raise Conflict(_("This account already holds this role on this unit."))
    grant = RoleGrant(user=user, role=role, unit=unit)
    _clean(grant)
    grant.save()
    if role == "administrator" and not user.is_staff:
        # The operators' Django admin is opened to administrators only.
        user.is_staff = True  # type: ignore[attr-defined]  # the default User model has it
        user.save(update_fields=["is_staff"])
    record_event(
        Action.ROLE_GRANTED,
        actor=acting_user,
        target=grant,
        after={"user": user.get_username(), "role": role, "unit": unit.code},
    )
    return grant


@transaction.atomic
def revoke_role(*, acting_user: Actor, grant: RoleGrant) -> None:
    """Withdraw a role grant."""
    before = {"user": grant.user.get_username(), "role": grant.role, "unit": grant.unit.code}
    record_event(Action.ROLE_REVOKED, actor=acting_user, target=grant, before=before)
    grant.delete()


#
# Sensitive records
#


@transaction.atomic
def set_party_membership(
    *,
    acting_user: Actor,
    person: Person,
    status: str,
    admitted_on: datetime.date,
    full_member_on: datetime.date | None = None,
    party_cell: str = "",
) -> PartyMembership:
    """Create or replace a person's Party membership record (audited, no values logged)."""
    membership, _created = PartyMembership.objects.get_or_create(
        person=person,
        defaults={"status": status, "admitted_on": admitted_on},
    )
    membership.status = status
    membership.admitted_on = admitted_on
    membership.full_member_on = full_member_on
    membership.party_cell = party_cell
    _clean(membership)
    membership.save()
    # The values themselves stay out of the log: the log is readable by administrators.
    record_event(
        Action.SENSITIVE_WRITTEN,
        actor=acting_user,
        target=person,
        data={"record": "party_membership"},
    )
    return membership


@transaction.atomic
def add_discipline_record(
    *,
    acting_user: Actor,
    person: Person,
    form: str,
    decided_on: datetime.date,
    decision_number: str = "",
    reason: str = "",
    ends_on: datetime.date | None = None,
) -> DisciplineRecord:
    """Record a disciplinary decision (audited, no values logged)."""
    record = DisciplineRecord(
        person=person,
        form=form,
        decided_on=decided_on,
        decision_number=decision_number,
        reason=reason,
        ends_on=ends_on,
    )
    _clean(record)
    record.save()
    record_event(
        Action.SENSITIVE_WRITTEN, actor=acting_user, target=person, data={"record": "discipline"}
    )
    return record
