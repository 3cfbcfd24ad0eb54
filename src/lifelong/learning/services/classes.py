"""Writes of classes: sessions, enrolment, waiting list, attendance, results, ratings.

Every learning event is an xAPI statement written through `learning.xapi` inside the
service's transaction; the ledger is projected from the store after the commit. Every
statement of an enrolment has the course's activity IRI, the enrolment's registration and
the class's activity IRI as grouping (issue 4, §2), so the ledger counts the class once per
officer: the largest claim of that activity and registration wins.
"""

import datetime
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import Conflict, NotFound, ValidationFailed
from lifelong.core.validation import full_clean_or_refuse
from lifelong.learning import xapi
from lifelong.learning.choices import ClassStatus, EnrolmentSource, EnrolmentStatus
from lifelong.learning.models import (
    Attendance,
    ClassSession,
    Course,
    CourseClass,
    Enrolment,
    EnrolmentStatement,
    Instructor,
    InstructorRating,
)
from lifelong.learning.queries.classes import class_instructors
from lifelong.learning.rules import classes as rules
from lifelong.learning.rules.ledger import BUSINESS_ZONE
from lifelong.org import access
from lifelong.org.models import Person, Unit
from lifelong.org.rules import Capability

__all__ = [
    "ClassInput",
    "add_session",
    "create_class",
    "enrol",
    "may_enrol_as",
    "may_manage_class",
    "rate_instructor",
    "record_completion",
    "record_result",
    "set_attendance",
    "take_attendance",
    "update_class",
    "withdraw",
]

logger = logging.getLogger(__name__)
Actor = User | None
SEATED = sorted(rules.SEATED_STATUSES)


def _today() -> datetime.date:
    return timezone.localdate()


def _moment(day: datetime.date, at: datetime.time | None = None) -> datetime.datetime:
    """Return a business date and time as an aware moment in Asia/Ho_Chi_Minh."""
    return datetime.datetime.combine(day, at or datetime.time(0, 0), tzinfo=BUSINESS_ZONE)


#
# Who may do what
#


def may_manage_class(user: Actor, course_class: CourseClass) -> bool:
    """Return whether the user runs the class: MANAGE_TRAINING over its organising unit."""
    return user is None or access.in_scope(user, Capability.MANAGE_TRAINING, course_class.organiser)


def may_enrol_as(user: Actor, course_class: CourseClass, person: Person, source: str) -> bool:
    """Return whether the user may put `person` in the class as `source`."""
    if user is None:
        return True
    if source == EnrolmentSource.SELF:
        return getattr(user, "person", None) == person
    if source == EnrolmentSource.UNIT_HEAD:
        return access.in_scope(user, Capability.APPROVE_LEARNING, person.unit)
    if source in {EnrolmentSource.TRAINING_OFFICE, EnrolmentSource.ASSIGNMENT}:
        return may_manage_class(user, course_class) or access.in_scope(
            user, Capability.MANAGE_TRAINING, person.unit
        )
    return False


def _require_manager(user: Actor, course_class: CourseClass) -> None:
    if not may_manage_class(user, course_class):
        raise NotFound(_("Not found."))


#
# Classes and sessions
#

CLASS_FIELDS = [
    "code",
    "course",
    "organiser",
    "start_date",
    "end_date",
    "venue",
    "online_url",
    "capacity",
    "status",
]


class ClassInput:
    """What the training office enters for a class."""

    def __init__(
        self,
        *,
        organiser: Unit,
        start_date: datetime.date,
        end_date: datetime.date,
        capacity: int,
        venue: str = "",
        online_url: str = "",
        instructors: Iterable[Instructor] = (),
        status: str = ClassStatus.PLANNED,
    ) -> None:
        self.organiser = organiser
        self.start_date = start_date
        self.end_date = end_date
        self.capacity = capacity
        self.venue = venue
        self.online_url = online_url
        self.instructors = list(instructors)
        self.status = status


def _apply_class(course_class: CourseClass, data: ClassInput) -> None:
    if not data.venue.strip() and not data.online_url.strip():
        message = _("Give the venue or the online meeting link.")
        raise ValidationFailed(message, fields={"venue": [message]})
    if data.end_date < data.start_date:
        message = _("The class ends before it starts.")
        raise ValidationFailed(message, fields={"end_date": [message]})
    if data.capacity < 1:
        message = _("The capacity must be at least 1.")
        raise ValidationFailed(message, fields={"capacity": [message]})
    course_class.organiser = data.organiser
    course_class.start_date = data.start_date
    course_class.end_date = data.end_date
    course_class.capacity = data.capacity
    course_class.venue = data.venue.strip()
    course_class.online_url = data.online_url.strip()
    course_class.status = data.status


@transaction.atomic
def create_class(*, acting_user: Actor, course: Course, code: str, data: ClassInput) -> CourseClass:
    """Create a class of `course`, organised by a unit where the user manages training."""
    code = code.strip().upper()
    course_class = CourseClass(code=code, course=course)
    _apply_class(course_class, data)
    _require_manager(acting_user, course_class)
    if CourseClass.objects.filter(code__iexact=code).exists():
        message = _("A class with the code {code} already exists.").format(code=code)
        raise ValidationFailed(message, fields={"code": [message]})
    full_clean_or_refuse(course_class)
    course_class.save()
    course_class.instructors.set(data.instructors)
    record_event(
        "class.created",
        actor=acting_user,
        target=course_class,
        after={
            **{
                f: getattr(course_class, f)
                for f in CLASS_FIELDS
                if f not in {"course", "organiser"}
            },
            "course": course.code,
            "organiser": data.organiser.code,
            "instructors": [i.pk for i in data.instructors],
        },
    )
    return course_class


@transaction.atomic
def update_class(*, acting_user: Actor, course_class: CourseClass, data: ClassInput) -> CourseClass:
    """Change a class; a larger capacity gives the freed places to the waiting list in order."""
    _require_manager(acting_user, course_class)
    course_class = CourseClass.objects.select_for_update().get(pk=course_class.pk)
    before = {f: str(getattr(course_class, f)) for f in CLASS_FIELDS}
    _apply_class(course_class, data)
    _require_manager(acting_user, course_class)  # the new organiser too
    full_clean_or_refuse(course_class)
    course_class.save()
    course_class.instructors.set(data.instructors)
    promoted = _fill_places(course_class)
    record_event(
        "class.updated",
        actor=acting_user,
        target=course_class,
        before=before,
        after={
            **{f: str(getattr(course_class, f)) for f in CLASS_FIELDS},
            "promoted": promoted,
        },
    )
    return course_class


@transaction.atomic
def add_session(
    *,
    acting_user: Actor,
    course_class: CourseClass,
    date: datetime.date,
    hours: Decimal,
    starts_at: datetime.time | None = None,
    title: str = "",
    instructor: Instructor | None = None,
) -> ClassSession:
    """Add a session to a class, on a day within the class's dates, of more than 0 hours."""
    _require_manager(acting_user, course_class)
    if not course_class.start_date <= date <= course_class.end_date:
        message = _("The session is outside the class dates ({start} to {end}).").format(
            start=f"{course_class.start_date:%d/%m/%Y}", end=f"{course_class.end_date:%d/%m/%Y}"
        )
        raise ValidationFailed(message, fields={"date": [message]})
    if not Decimal(0) < hours <= Decimal(24):
        message = _("A session lasts more than 0 and at most 24 hours.")
        raise ValidationFailed(message, fields={"hours": [message]})
    session = ClassSession(
        course_class=course_class,
        date=date,
        starts_at=starts_at,
        hours=hours,
        title=title.strip(),
        instructor=instructor,
    )
    full_clean_or_refuse(session)
    session.save()
    record_event(
        "class_session.added",
        actor=acting_user,
        target=session,
        after={
            "class": course_class.code,
            "date": date,
            "starts_at": starts_at,
            "hours": hours,
            "instructor": instructor.pk if instructor else None,
        },
    )
    return session


#
# Enrolment and the waiting list
#


def _lock_class(course_class: CourseClass) -> CourseClass:
    # Every change of places locks the class row first, so two enrolments racing for the
    # last place are decided one after the other.
    return CourseClass.objects.select_for_update().select_related("course").get(pk=course_class.pk)


def _fill_places(course_class: CourseClass) -> list[int]:
    """Give free places to the waiting list in order; renumber the rest. Return promoted ids."""
    enrolments = Enrolment.objects.filter(course_class=course_class)
    seated = enrolments.filter(status__in=SEATED).count()
    waiting = list(
        enrolments.filter(status=EnrolmentStatus.WAITLISTED).values_list("pk", "waitlist_position")
    )
    pairs = [(pk, position or 0) for pk, position in waiting]
    promoted = rules.next_in_line(pairs, free_places=course_class.capacity - seated)
    if promoted:
        Enrolment.objects.filter(pk__in=promoted).update(
            status=EnrolmentStatus.ENROLLED, waitlist_position=None
        )
    rest = [pair for pair in pairs if pair[0] not in promoted]
    for pk, position in rules.renumber_waitlist(rest).items():
        Enrolment.objects.filter(pk=pk).update(waitlist_position=position)
    return promoted


@transaction.atomic
def enrol(
    *,
    acting_user: Actor,
    course_class: CourseClass,
    person: Person,
    source: str,
    allow_waitlist: bool = True,
) -> Enrolment:
    """Give an officer a place in a class, or the next place on its waiting list.

    Refuses (Conflict) an officer already enrolled or waiting, and a full class when the
    caller does not accept the waiting list; refuses (ValidationFailed) a class not open to
    this kind of enrolment. A withdrawn officer may enrol again under the same registration.
    """
    if not may_enrol_as(acting_user, course_class, person, source):
        raise NotFound(_("Not found."))
    course_class = _lock_class(course_class)
    existing = Enrolment.objects.filter(course_class=course_class, person=person).first()
    enrolments = Enrolment.objects.filter(course_class=course_class)
    decision = rules.decide_enrolment(
        class_status=course_class.status,
        source=source,
        capacity=course_class.capacity,
        seated=enrolments.filter(status__in=SEATED).count(),
        waitlist_positions=[
            p
            for p in enrolments.filter(status=EnrolmentStatus.WAITLISTED).values_list(
                "waitlist_position", flat=True
            )
            if p is not None
        ],
        existing_status=existing.status if existing else None,
    )
    if decision.refusal == "duplicate":
        raise Conflict(
            _("{name} is already enrolled in the class {code}.").format(
                name=person.full_name, code=course_class.code
            )
        )
    if decision.refusal == "closed":
        raise ValidationFailed(
            _("The class {code} is not open for enrolment ({status}).").format(
                code=course_class.code, status=course_class.get_status_display()
            )
        )
    if decision.status == EnrolmentStatus.WAITLISTED and not allow_waitlist:
        raise Conflict(
            _("The class {code} is full ({capacity} places).").format(
                code=course_class.code, capacity=course_class.capacity
            )
        )
    enrolment = existing or Enrolment(course_class=course_class, person=person)
    enrolment.source = source
    enrolment.status = str(decision.status)
    enrolment.waitlist_position = decision.waitlist_position
    enrolment.enrolled_by = acting_user
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise Conflict(
            _("{name} is already enrolled in the class {code}.").format(
                name=person.full_name, code=course_class.code
            )
        ) from None
    record_event(
        "enrolment.created",
        actor=acting_user,
        target=enrolment,
        target_label=f"{course_class.code}: {person.officer_code}",
        after={
            "class": course_class.code,
            "officer_code": person.officer_code,
            "source": source,
            "status": enrolment.status,
            "waitlist_position": enrolment.waitlist_position,
        },
    )
    return enrolment


def may_withdraw(user: Actor, enrolment: Enrolment) -> bool:
    """Return whether the user may withdraw the enrolment: the officer, their head, the office."""
    if user is None:
        return True
    person = enrolment.person
    return (
        getattr(user, "person", None) == person
        or access.in_scope(user, Capability.APPROVE_LEARNING, person.unit)
        or may_manage_class(user, enrolment.course_class)
    )


@transaction.atomic
def withdraw(*, acting_user: Actor, enrolment: Enrolment) -> Enrolment:
    """Withdraw an officer from a class or its waiting list; the first waiting takes the place."""
    if not may_withdraw(acting_user, enrolment):
        raise NotFound(_("Not found."))
    course_class = _lock_class(enrolment.course_class)
    enrolment = Enrolment.objects.select_related("person").get(pk=enrolment.pk)
    if enrolment.status not in {EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED}:
        raise ValidationFailed(_("Only an officer enrolled or on the waiting list can withdraw."))
    before = enrolment.status
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.waitlist_position = None
    enrolment.save(update_fields=["status", "waitlist_position"])
    promoted = _fill_places(course_class)
    record_event(
        "enrolment.withdrawn",
        actor=acting_user,
        target=enrolment,
        target_label=f"{course_class.code}: {enrolment.person.officer_code}",
        before={"status": before},
        after={"status": enrolment.status, "promoted": promoted},
    )
    return enrolment


#
# Statements of an enrolment
#


def _statement(
    enrolment: Enrolment,
    verb_name: str,
    *,
    timestamp: datetime.datetime,
    hours: Decimal | None,
    score: Decimal | None = None,
    success: bool | None = None,
) -> dict[str, Any]:
    course_class = enrolment.course_class
    course = course_class.course
    return xapi.statement(
        person=enrolment.person,
        verb_name=verb_name,
        activity=xapi.activity_iri("course", course.code),
        name=course.title,
        timestamp=timestamp,
        hours=hours,
        registration=enrolment.registration,
        category=course.category,
        contents=sorted(course.contents.values_list("content", flat=True)),
        score=score,
        success=success,
        grouping=[xapi.activity_iri("class", course_class.code)],
    )


def _void(enrolment: Enrolment, ids: Iterable[str], *, timestamp: datetime.datetime) -> list[str]:
    ids = list(ids)
    if not ids:
        return []
    xapi.write([xapi.voiding(enrolment.person, sid, timestamp=timestamp) for sid in ids])
    EnrolmentStatement.objects.filter(statement_id__in=ids).update(voided=True)
    return ids


def _write(enrolment: Enrolment, verb_name: str, payload: dict[str, Any], hours: Decimal) -> str:
    [statement_id] = xapi.write([payload])
    EnrolmentStatement.objects.create(
        enrolment=enrolment, statement_id=statement_id, verb=verb_name, hours=hours
    )
    return statement_id


def _live(enrolment: Enrolment, verb_name: str) -> list[rules.LiveStatement]:
    return [
        rules.LiveStatement(str(sid), hours)
        for sid, hours in EnrolmentStatement.objects.filter(
            enrolment=enrolment, verb=verb_name, voided=False
        ).values_list("statement_id", "hours")
    ]


def attended_hours(enrolment: Enrolment) -> Decimal:
    """Return the clock hours of the sessions the officer was marked present at."""
    total = Attendance.objects.filter(enrolment=enrolment, present=True).aggregate(
        total=Sum("session__hours")
    )["total"]
    return Decimal(total or 0)


def _last_attended(enrolment: Enrolment) -> ClassSession | None:
    return (
        ClassSession.objects.filter(attendance__enrolment=enrolment, attendance__present=True)
        .order_by("-date", "-starts_at", "-pk")
        .first()
    )


def _sync_attended(enrolment: Enrolment) -> tuple[list[str], str | None]:
    """Make the live attended statements claim exactly the cumulative attended hours."""
    total = attended_hours(enrolment)
    plan = rules.attendance_plan(_live(enrolment, "attended"), total)
    now = timezone.now()
    voided = _void(enrolment, plan.void, timestamp=now)
    written = None
    if plan.write_hours is not None:
        last = _last_attended(enrolment)
        assert last is not None  # a positive total means a session was attended
        payload = _statement(
            enrolment,
            "attended",
            timestamp=_moment(last.date, last.starts_at),
            hours=plan.write_hours,
        )
        written = _write(enrolment, "attended", payload, plan.write_hours)
    voided += _cap_results(enrolment, total, now)
    return voided, written


def _cap_results(enrolment: Enrolment, total: Decimal, now: datetime.datetime) -> list[str]:
    """Re-state a pass or completion that claims more than the hours now attended."""
    voided: list[str] = []
    end = _moment(enrolment.course_class.end_date)
    for verb_name in ("passed", "completed"):
        over = [s.statement_id for s in _live(enrolment, verb_name) if s.hours > total]
        if not over:
            continue
        voided += _void(enrolment, over, timestamp=now)
        extra: dict[str, Any] = {}
        if verb_name == "passed":
            extra = {"score": enrolment.score, "success": True}
        payload = _statement(enrolment, verb_name, timestamp=end, hours=total, **extra)
        _write(enrolment, verb_name, payload, total)
    return voided


#
# Attendance
#


def _check_markable(session: ClassSession, enrolment: Enrolment) -> None:
    if enrolment.course_class_id != session.course_class_id:
        raise NotFound(_("Not found."))
    if enrolment.status not in SEATED:
        raise ValidationFailed(
            _(
                "{name} has no place in the class; attendance is taken for enrolled officers."
            ).format(name=enrolment.person.full_name)
        )


def _mark(acting_user: Actor, session: ClassSession, enrolment: Enrolment, present: bool) -> bool:
    """Set one attendance mark; return whether it changed."""
    if present and session.date > _today():
        raise ValidationFailed(
            _("The session of {date} has not taken place yet.").format(
                date=f"{session.date:%d/%m/%Y}"
            )
        )
    row = Attendance.objects.filter(enrolment=enrolment, session=session).first()
    if row is not None and row.present == present:
        return False
    if row is None and not present:
        return False  # absent by default: nothing to record
    if row is None:
        row = Attendance(enrolment=enrolment, session=session)
    row.present = present
    row.recorded_by = acting_user
    row.statement_id = None
    row.save()
    return True


@transaction.atomic
def set_attendance(
    *, acting_user: Actor, session: ClassSession, enrolment: Enrolment, present: bool
) -> Attendance | None:
    """Mark one officer present or absent at one session, and keep the ledger's claim right.

    Present writes an `attended` statement with the cumulative attended hours of the class;
    absent (a correction) voids the statements that claim more and writes the new total.
    """
    course_class = session.course_class
    _require_manager(acting_user, course_class)
    _check_markable(session, enrolment)
    if not _mark(acting_user, session, enrolment, present):
        return Attendance.objects.filter(enrolment=enrolment, session=session).first()
    voided, written = _sync_attended(enrolment)
    row = Attendance.objects.get(enrolment=enrolment, session=session)
    if present and written is not None:
        row.statement_id = uuid.UUID(written)
        row.save(update_fields=["statement_id"])
    record_event(
        "attendance.recorded",
        actor=acting_user,
        target=row,
        target_label=f"{course_class.code} {session.date:%d/%m/%Y}: "
        f"{enrolment.person.officer_code}",
        after={"present": present, "voided": voided, "written": written},
    )
    return row


@transaction.atomic
def take_attendance(
    *,
    acting_user: Actor,
    course_class: CourseClass,
    present: Iterable[tuple[int, int]],
    sessions: Sequence[ClassSession] | None = None,
) -> dict[str, int]:
    """Record the attendance grid of a class: `present` holds (enrolment id, session id) pairs.

    Every seated officer not listed for a session of `sessions` (default: all the class's
    sessions) is absent from it. Each officer whose marks changed gets one statement with
    the new cumulative total (and voidings where the total fell). Returns counts.
    """
    _require_manager(acting_user, course_class)
    wanted = set(present)
    sessions = list(sessions if sessions is not None else course_class.sessions.all())
    enrolments = list(
        Enrolment.objects.filter(course_class=course_class, status__in=SEATED).select_related(
            "person", "course_class__course"
        )
    )
    by_id = {e.pk: e for e in enrolments}
    unknown = {pair for pair in wanted if pair[0] not in by_id}
    if unknown:
        raise ValidationFailed(_("Attendance is taken for enrolled officers only."))
    changed: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for session in sessions:
        if session.course_class_id != course_class.pk:
            raise NotFound(_("Not found."))
        for enrolment in enrolments:
            mark = (enrolment.pk, session.pk) in wanted
            if _mark(acting_user, session, enrolment, mark):
                changed[enrolment.pk].append((f"{session.date:%d/%m/%Y}", mark))
    statements = 0
    for enrolment_id in changed:
        enrolment = by_id[enrolment_id]
        voided, written = _sync_attended(enrolment)
        statements += len(voided) + (written is not None)
        if written is not None:
            Attendance.objects.filter(
                enrolment=enrolment, present=True, session=_last_attended(enrolment)
            ).update(statement_id=uuid.UUID(written))
    record_event(
        "attendance.recorded",
        actor=acting_user,
        target=course_class,
        data={
            "changes": {
                by_id[pk].person.officer_code: [f"{d}:{'present' if m else 'absent'}" for d, m in v]
                for pk, v in changed.items()
            }
        },
    )
    return {"officers": len(changed), "statements": statements}


#
# Results and completion
#


def _require_ended(course_class: CourseClass) -> None:
    if course_class.end_date > _today():
        raise ValidationFailed(
            _("The class {code} ends on {date}; results are recorded once it has ended.").format(
                code=course_class.code, date=f"{course_class.end_date:%d/%m/%Y}"
            )
        )


def _claimable_hours(enrolment: Enrolment) -> Decimal | None:
    """Return the hours a pass or completion claims: those attended (None if no sessions)."""
    if not ClassSession.objects.filter(course_class=enrolment.course_class).exists():
        # Without sessions no attendance is taken: the course's hours apply (ledger rule).
        return None
    return rules.capped_hours(attended_hours(enrolment))


def _lock_for_outcome(acting_user: Actor, enrolment: Enrolment, not_seated: str) -> Enrolment:
    """Lock a seated enrolment of an ended class whose outcome the acting user records.

    Refuses (in this order) one who does not run the class, an enrolment not seated
    (with `not_seated`) and a class not yet ended.
    """
    course_class = enrolment.course_class
    _require_manager(acting_user, course_class)
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("person", "course_class__course")
        .get(pk=enrolment.pk)
    )
    if enrolment.status not in SEATED:
        raise ValidationFailed(not_seated)
    _require_ended(course_class)
    return enrolment


@transaction.atomic
def record_result(
    *,
    acting_user: Actor,
    enrolment: Enrolment,
    score: Decimal | None,
    passed: bool | None,
) -> Enrolment:
    """Record an officer's score and whether they passed; a pass writes a `passed` statement.

    A changed result voids the earlier `passed` statement; a pass claims at most the hours
    attended.
    """
    course_class = enrolment.course_class
    enrolment = _lock_for_outcome(
        acting_user, enrolment, _("Results are recorded for enrolled officers only.")
    )
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        message = _("A score is between 0 and 100.")
        raise ValidationFailed(message, fields={"score": [message]})
    before = {"score": enrolment.score, "passed": enrolment.passed}
    enrolment.score = score
    enrolment.passed = passed
    enrolment.save(update_fields=["score", "passed"])
    moment = _moment(course_class.end_date)
    voided = _void(
        enrolment, [s.statement_id for s in _live(enrolment, "passed")], timestamp=timezone.now()
    )
    written = None
    if passed:
        hours = _claimable_hours(enrolment)
        payload = _statement(
            enrolment, "passed", timestamp=moment, hours=hours, score=score, success=True
        )
        written = _write(enrolment, "passed", payload, hours or Decimal(0))
    record_event(
        "enrolment.result_recorded",
        actor=acting_user,
        target=enrolment,
        target_label=f"{course_class.code}: {enrolment.person.officer_code}",
        before=before,
        after={"score": score, "passed": passed, "voided": voided, "written": written},
    )
    return enrolment


@transaction.atomic
def record_completion(
    *, acting_user: Actor, enrolment: Enrolment, completed: bool = True
) -> Enrolment:
    """Mark an officer's enrolment completed (a `completed` statement) or not completed.

    Completion claims the attended hours and, for a course that issues certificates, issues
    one (learning.services.certificates). Undoing a completion voids its statement.
    """
    course_class = enrolment.course_class
    enrolment = _lock_for_outcome(
        acting_user, enrolment, _("Completion is recorded for enrolled officers only.")
    )
    before = enrolment.status
    wanted = EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.NOT_COMPLETED
    if before == wanted:
        return enrolment
    voided = _void(
        enrolment, [s.statement_id for s in _live(enrolment, "completed")], timestamp=timezone.now()
    )
    written = None
    enrolment.status = wanted
    enrolment.completed_at = timezone.now() if completed else None
    enrolment.save(update_fields=["status", "completed_at"])
    if completed:
        hours = _claimable_hours(enrolment)
        payload = _statement(
            enrolment, "completed", timestamp=_moment(course_class.end_date), hours=hours
        )
        written = _write(enrolment, "completed", payload, hours or Decimal(0))
    record_event(
        "enrolment.completed" if completed else "enrolment.not_completed",
        actor=acting_user,
        target=enrolment,
        target_label=f"{course_class.code}: {enrolment.person.officer_code}",
        before={"status": before},
        after={"status": wanted, "voided": voided, "written": written},
    )
    if completed and course_class.course.issues_certificate:
        _issue_certificate(acting_user, enrolment)
    return enrolment


def _issue_certificate(acting_user: Actor, enrolment: Enrolment) -> None:
    # Imported here: the certificates service is a sibling that may import this module.
    from lifelong.learning.services import certificates

    certificates.issue_on_completion(acting_user=acting_user, enrolment=enrolment)


@transaction.atomic
def record_completions(
    *, acting_user: Actor, course_class: CourseClass, outcomes: Mapping[int, bool]
) -> int:
    """Record completion (True) or not (False) of several enrolments of one class."""
    _require_manager(acting_user, course_class)
    count = 0
    for enrolment in Enrolment.objects.filter(course_class=course_class, pk__in=outcomes):
        before = enrolment.status
        after = record_completion(
            acting_user=acting_user, enrolment=enrolment, completed=outcomes[enrolment.pk]
        )
        count += after.status != before
    return count


#
# Ratings
#


@transaction.atomic
def rate_instructor(
    *,
    acting_user: Actor,
    enrolment: Enrolment,
    instructor: Instructor,
    score: int,
    comment: str = "",
) -> InstructorRating:
    """Rate an instructor of a class the officer completed (1-5), once per instructor."""
    if acting_user is None or getattr(acting_user, "person", None) != enrolment.person:
        raise NotFound(_("Not found."))
    enrolment = Enrolment.objects.select_related("course_class").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise ValidationFailed(_("You can rate the instructors of a class you completed."))
    if instructor not in class_instructors(enrolment.course_class):
        raise NotFound(_("Not found."))
    if not 1 <= score <= 5:
        message = _("A rating is from 1 to 5.")
        raise ValidationFailed(message, fields={"score": [message]})
    if InstructorRating.objects.filter(instructor=instructor, enrolment=enrolment).exists():
        raise Conflict(_("You have already rated this instructor for this class."))
    rating = InstructorRating(
        instructor=instructor, enrolment=enrolment, score=score, comment=comment.strip()
    )
    full_clean_or_refuse(rating)
    rating.save()
    record_event(
        "instructor.rated",
        actor=acting_user,
        target=rating,
        target_label=f"{instructor.full_name}: {enrolment.course_class.code}",
        after={"score": score},
    )
    return rating
