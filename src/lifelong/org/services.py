"""Every write to the organisation: one transaction, one audit event per change.

Services take keyword-only arguments and the acting user; they validate with `full_clean()`
before saving and raise `ValidationFailed` / `Conflict` with a message for the user.
"""

import datetime
import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from lifelong.core.audit import Action, record_event
from lifelong.core.exceptions import Conflict, ValidationFailed
from lifelong.core.text import nfc
from lifelong.org.choices import (
    DisciplineForm,
    Gender,
    PartyStatus,
    PersonStatus,
    PositionGroup,
    Role,
    SuccessionKind,
    UnitKind,
)
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

Actor = User | None


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
        raise Conflict(_("Officer code {code} is already used.").format(code=officer_code.strip()))
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
            raise ValidationFailed(
                _("This field cannot be changed here: {field}.").format(field=field)
            )
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
) -> User:
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
def grant_role(*, acting_user: Actor, user: User, role: str, unit: Unit) -> RoleGrant:
    """Grant `role` over `unit` and its subtree; granting it twice is refused."""
    if RoleGrant.objects.filter(user=user, role=role, unit=unit).exists():
        raise Conflict(_("This account already holds this role on this unit."))
    grant = RoleGrant(user=user, role=role, unit=unit)
    _clean(grant)
    grant.save()
    if role == "administrator" and not user.is_staff:
        # The operators' Django admin is opened to administrators only.
        user.is_staff = True
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


#
# Bulk writes: imports of thousands of rows and the demo organisation
#
# Rows are validated in memory (choices, ranges, duplicates within the batch and against the
# database, one query per chunk) and written with `bulk_create` in batches: `full_clean()` per
# row would cost a query per unique field. `normalise()` runs on every Unit and Person first,
# because `bulk_create` bypasses `save()`. Each call records one audit event for its whole
# batch; with `audit=False` the caller records one event for the whole operation instead
# (the demo build does).
#

__all__ += [
    "NewAccount",
    "add_sensitive_records_bulk",
    "create_accounts_bulk",
    "create_people_bulk",
    "create_positions_bulk",
    "create_units_bulk",
    "record_successions_bulk",
]

BULK_BATCH_SIZE = 1000
# SQLite before 3.32 allowed 999 bound variables per statement; stay below it everywhere.
_IN_CHUNK = 900


def _existing(model: Any, field: str, values: list[str]) -> set[str]:
    """Return which of `values` already exist in `model.field` (chunked IN queries)."""
    found: set[str] = set()
    for start in range(0, len(values), _IN_CHUNK):
        chunk = values[start : start + _IN_CHUNK]
        found.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return found


def _refuse_duplicates(values: list[str], model: Any, field: str, label: str) -> None:
    """Raise Conflict if a value repeats within the batch or is already stored."""
    repeated = sorted(v for v, n in Counter(values).items() if n > 1)
    taken = repeated or sorted(_existing(model, field, values))
    if taken:
        raise Conflict(
            _("{label} already used: {values}.").format(label=label, values=", ".join(taken[:5]))
        )


def _check_choice(value: str, choices: Any, label: str) -> None:
    if value not in choices.values:
        raise ValidationFailed(_("Unknown {label}: {value}.").format(label=label, value=value))


def _summary_event(acting_user: Actor, action: str, target_type: str, **data: Any) -> None:
    record_event(action, actor=acting_user, target_type=target_type, data={"bulk": True, **data})


@transaction.atomic
def create_positions_bulk(
    *,
    acting_user: Actor,
    ranks: list[CivilServiceRank],
    positions: list[JobPosition],
    audit: bool = True,
) -> None:
    """Create civil-service ranks and job positions (a position may point at a new rank)."""
    for rank in ranks:
        rank.code = rank.code.strip()
        rank.name = nfc(rank.name).strip()
    for position in positions:
        position.code = position.code.strip()
        position.name = nfc(position.name).strip()
        _check_choice(position.group, PositionGroup, _("position group"))
    _refuse_duplicates([r.code for r in ranks], CivilServiceRank, "code", _("Rank code"))
    _refuse_duplicates([p.code for p in positions], JobPosition, "code", _("Position code"))
    CivilServiceRank.objects.bulk_create(ranks)
    JobPosition.objects.bulk_create(positions)
    if audit:
        _summary_event(
            acting_user,
            Action.POSITION_CREATED,
            "org.jobposition",
            ranks=len(ranks),
            positions=len(positions),
        )


@transaction.atomic
def create_units_bulk(*, acting_user: Actor, units: list[Unit], audit: bool = True) -> list[Unit]:
    """Create many units and place them in the tree.

    A unit's parent is either already stored or comes earlier in `units`; units are written
    level by level, so each one's tree path is known from its parent's.
    """
    for unit in units:
        unit.normalise()
        _check_choice(unit.kind, UnitKind, _("unit kind"))
        if not unit.code or not unit.name:
            raise ValidationFailed(_("Every unit needs a code and a name."))
        if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
            raise ValidationFailed(
                _("A unit cannot end before it starts: {code}.").format(code=unit.code)
            )
    _refuse_duplicates([u.code for u in units], Unit, "code", _("Unit code"))
    pending = list(units)
    while pending:
        ready = [u for u in pending if u.parent is None or u.parent.pk is not None]
        if not ready:
            raise ValidationFailed(_("A unit's parent is neither stored nor in the batch."))
        for unit in ready:
            unit.path = "0" * PATH_DIGITS  # replaced below, once the id is known
        Unit.objects.bulk_create(ready, batch_size=BULK_BATCH_SIZE)
        for unit in ready:
            if unit.pk is None:  # a backend that cannot return ids from a bulk insert
                unit.pk = Unit.objects.get(code=unit.code).pk
            unit.path = (unit.parent.path if unit.parent else "") + _own_path(unit)
            unit.depth = unit.parent.depth + 1 if unit.parent else 0
        Unit.objects.bulk_update(ready, ["path", "depth"], batch_size=BULK_BATCH_SIZE)
        pending = [u for u in pending if u.pk is None]
    if audit:
        _summary_event(acting_user, Action.UNIT_CREATED, "org.unit", count=len(units))
    return units


@transaction.atomic
def record_successions_bulk(
    *,
    acting_user: Actor,
    successions: list[UnitSuccession],
    close_predecessors: bool = True,
    audit: bool = True,
) -> list[UnitSuccession]:
    """Record many successions at once, with `record_succession`'s invariants.

    Refuses a self-succession, a pair recorded twice and any succession that closes a cycle
    with those stored or earlier in the batch. With `close_predecessors`, a former unit still
    open ends the day before its (earliest) succession takes effect.
    """
    edges: dict[int, list[int]] = defaultdict(list)
    for pred, succ in UnitSuccession.objects.values_list("predecessor_id", "successor_id"):
        edges[pred].append(succ)
    pairs = {(pred, succ) for pred, succs in edges.items() for succ in succs}
    for s in successions:
        _check_choice(s.kind, SuccessionKind, _("succession kind"))
        if (s.predecessor.pk, s.successor.pk) in pairs:
            raise Conflict(_("This succession is already recorded."))
        if succession_would_cycle(edges, s.predecessor.pk, s.successor.pk):
            raise Conflict(
                _("{a} cannot pass its history to {b}: {b} already leads back to {a}.").format(
                    a=s.predecessor.name, b=s.successor.name
                )
            )
        edges[s.predecessor.pk].append(s.successor.pk)
        pairs.add((s.predecessor.pk, s.successor.pk))
    UnitSuccession.objects.bulk_create(successions, batch_size=BULK_BATCH_SIZE)
    if close_predecessors:
        ends: dict[int, datetime.date] = {}
        for s in successions:
            end = s.effective_on - datetime.timedelta(days=1)
            ends[s.predecessor.pk] = min(end, ends.get(s.predecessor.pk, end))
        to_close = list(Unit.objects.filter(pk__in=list(ends), valid_to__isnull=True))
        for unit in to_close:
            unit.valid_to = ends[unit.pk]
            if unit.valid_from and unit.valid_to < unit.valid_from:
                raise ValidationFailed(
                    _("A unit cannot end before it starts: {code}.").format(code=unit.code)
                )
        Unit.objects.bulk_update(to_close, ["valid_to"], batch_size=BULK_BATCH_SIZE)
    if audit:
        _summary_event(
            acting_user, Action.UNIT_SUCCEEDED, "org.unitsuccession", count=len(successions)
        )
    return successions


def _check_history(person: Person, history: list[PositionAssignment]) -> None:
    """Refuse a position history whose entries overlap, run backwards, or leave two open."""
    previous_end: datetime.date | None = None
    for index, entry in enumerate(history):
        last = index == len(history) - 1
        broken = (
            (entry.ends_on is not None and entry.ends_on < entry.starts_on)
            or (entry.ends_on is None and not last)
            or (previous_end is not None and entry.starts_on <= previous_end)
        )
        if broken:
            raise ValidationFailed(
                _("The position history of {code} overlaps or runs backwards.").format(
                    code=person.officer_code
                )
            )
        previous_end = entry.ends_on


@transaction.atomic
def create_people_bulk(
    *,
    acting_user: Actor,
    people: list[Person],
    histories: list[list[PositionAssignment]] | None = None,
    audit: bool = True,
) -> list[Person]:
    """Create many people, each with their position history (oldest entry first).

    Officer codes and work e-mails must be new and distinct; each history must be ordered,
    without overlaps, with at most its last entry open.
    """
    if histories is not None and len(histories) != len(people):
        raise ValidationFailed(_("Every person needs a position history (it may be empty)."))
    for index, person in enumerate(people):
        person.normalise()
        if not person.officer_code or not person.family_name or not person.given_name:
            raise ValidationFailed(_("Every person needs an officer code, family and given name."))
        _check_choice(person.gender, Gender, _("gender"))
        _check_choice(person.status, PersonStatus, _("status"))
        if person.work_email:
            try:
                validate_email(person.work_email)
            except ValidationError as exc:
                raise ValidationFailed(
                    _("Invalid work e-mail: {email}.").format(email=person.work_email)
                ) from exc
        if histories is not None:
            _check_history(person, histories[index])
    _refuse_duplicates([p.officer_code for p in people], Person, "officer_code", _("Officer code"))
    emails = [p.work_email for p in people if p.work_email]
    _refuse_duplicates(emails, Person, "work_email", _("Work e-mail"))
    Person.objects.bulk_create(people, batch_size=BULK_BATCH_SIZE)
    if histories is not None:
        entries: list[PositionAssignment] = []
        for person, history in zip(people, histories, strict=True):
            for entry in history:
                entry.person = person
                entries.append(entry)
        PositionAssignment.objects.bulk_create(entries, batch_size=BULK_BATCH_SIZE)
    if audit:
        _summary_event(acting_user, Action.PERSON_CREATED, "org.person", count=len(people))
    return people


@transaction.atomic
def add_sensitive_records_bulk(
    *,
    acting_user: Actor,
    party_memberships: Sequence[PartyMembership] = (),
    discipline_records: Sequence[DisciplineRecord] = (),
    audit: bool = True,
) -> None:
    """Store many Party memberships and discipline records (audited as counts, no values)."""
    for membership in party_memberships:
        _check_choice(membership.status, PartyStatus, _("Party status"))
    for record in discipline_records:
        _check_choice(record.form, DisciplineForm, _("discipline form"))
        if record.ends_on is not None and record.ends_on < record.decided_on:
            raise ValidationFailed(_("A discipline record cannot end before its decision."))
    PartyMembership.objects.bulk_create(list(party_memberships), batch_size=BULK_BATCH_SIZE)
    DisciplineRecord.objects.bulk_create(list(discipline_records), batch_size=BULK_BATCH_SIZE)
    if audit:
        # The values stay out of the log, as in `set_party_membership`.
        _summary_event(
            acting_user,
            Action.SENSITIVE_WRITTEN,
            "org.person",
            party_memberships=len(party_memberships),
            discipline_records=len(discipline_records),
        )


@dataclass(frozen=True)
class NewAccount:
    """A login to create, with the person it belongs to and its roles over unit subtrees.

    Give `password` in plain text, or `encoded_password` already hashed by `make_password`.
    """

    username: str
    password: str = ""
    encoded_password: str = ""
    person: Person | None = None
    roles: tuple[tuple[str, Unit], ...] = ()


@transaction.atomic
def create_accounts_bulk(
    *, acting_user: Actor, accounts: list[NewAccount], audit: bool = True
) -> list[User]:
    """Create login accounts with their roles, linked to their people.

    Plain passwords are hashed in parallel threads (the hash releases the GIL); a caller that
    already holds hashes passes `encoded_password`. User names must be new and distinct.
    """
    for account in accounts:
        for role, _unit in account.roles:
            _check_choice(role, Role, _("role"))
    user_model = get_user_model()
    usernames = [a.username for a in accounts]
    _refuse_duplicates(usernames, user_model, "username", _("User name"))
    plain = [a.password for a in accounts if not a.encoded_password]
    with ThreadPoolExecutor(max_workers=max(1, min(len(plain), os.cpu_count() or 1))) as pool:
        hashed = iter(list(pool.map(make_password, plain)))
    users: list[User] = []
    grants: list[RoleGrant] = []
    for account in accounts:
        person = account.person
        user = user_model(
            username=account.username,
            password=account.encoded_password or next(hashed),
            first_name=person.given_name if person else "",
            last_name=f"{person.family_name} {person.middle_name}".strip() if person else "",
            email=person.work_email if person else "",
            # The operators' Django admin is opened to administrators only (`grant_role`).
            is_staff=any(role == Role.ADMINISTRATOR for role, _unit in account.roles),
        )
        user.save()
        if person is not None:
            person.user = user
            person.save(update_fields=["user", "updated_at"])
        grants.extend(RoleGrant(user=user, role=r, unit=u) for r, u in account.roles)
        users.append(user)
    RoleGrant.objects.bulk_create(grants)
    if audit:
        _summary_event(
            acting_user, Action.ROLE_GRANTED, "auth.user", accounts=usernames, grants=len(grants)
        )
    return users
