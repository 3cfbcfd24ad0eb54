"""Reads of classes: the class list, a class, its roster and its attendance grid.

Everyone logged in may see classes (to enrol in them). The roster is for those who run
the class (MANAGE_TRAINING over its organising unit) in full, for a unit head or another
reader of learning (SEE_LEARNING) the officers of their units, and for an officer their
own enrolment only.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from lifelong.core.lookups import refuse
from lifelong.core.text import search_terms
from lifelong.learning.choices import EnrolmentStatus
from lifelong.learning.models import (
    Attendance,
    ClassSession,
    CourseClass,
    Enrolment,
    Instructor,
    InstructorRating,
)
from lifelong.learning.rules.classes import SEATED_STATUSES
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Person

__all__ = [
    "AttendanceGrid",
    "ClassFilters",
    "access_class",
    "access_enrolment",
    "attendance_grid",
    "class_instructors",
    "list_classes",
    "may_manage",
    "my_enrolment",
    "rateable_instructors",
    "roster",
    "sessions_of",
]


def may_manage(user: AnyUser, course_class: CourseClass) -> bool:
    """Return whether the user runs the class (its roster, attendance and results)."""
    return access.in_scope(user, Capability.MANAGE_TRAINING, course_class.organiser)


SEATED = sorted(SEATED_STATUSES)


@dataclass(frozen=True)
class ClassFilters:
    """What a class search may ask for; empty means any."""

    course: str = ""  # a course code
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: str = ""
    query: str = ""


def list_classes(user: AnyUser, filters: ClassFilters = ClassFilters()) -> QuerySet[CourseClass]:
    """Return the classes matching `filters`, the latest first, with places taken.

    `date_from` / `date_to` keep the classes that run on at least one day of the range.
    """
    if not user.is_authenticated:
        return CourseClass.objects.none()
    classes = CourseClass.objects.all()
    if filters.course:
        classes = classes.filter(course__code=filters.course)
    if filters.date_from:
        classes = classes.filter(end_date__gte=filters.date_from)
    if filters.date_to:
        classes = classes.filter(start_date__lte=filters.date_to)
    if filters.status:
        classes = classes.filter(status=filters.status)
    for term in search_terms(filters.query)[:8]:
        classes = classes.filter(Q(code__icontains=term) | Q(course__search_text__contains=term))
    return (
        classes.select_related("course", "organiser")
        .annotate(
            seated=Count("enrolments", filter=Q(enrolments__status__in=SEATED), distinct=True),
            waiting=Count(
                "enrolments",
                filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED),
                distinct=True,
            ),
        )
        .order_by("-start_date", "code")
    )


def access_class(user: AnyUser, code: str) -> CourseClass:
    """Return the class `code` for a logged-in user; NotFound otherwise."""
    if not user.is_authenticated:
        raise refuse(user, "learning.courseclass", code)
    course_class = (
        CourseClass.objects.filter(code=code[:40])
        .select_related("course", "organiser")
        .prefetch_related("instructors")
        .first()
    )
    if course_class is None:
        raise refuse(user, "learning.courseclass", code)
    return course_class


def sessions_of(course_class: CourseClass) -> list[ClassSession]:
    """Return a class's sessions in order, with their instructors."""
    return list(
        ClassSession.objects.filter(course_class=course_class)
        .select_related("instructor")
        .order_by("date", "starts_at", "pk")
    )


def roster(user: AnyUser, course_class: CourseClass) -> list[Enrolment]:
    """Return the enrolments the user may see: all for a manager, their units' for a reader.

    Withdrawn enrolments come last; the waiting list in its order.
    """
    enrolments = Enrolment.objects.filter(course_class=course_class).select_related("person__unit")
    if not may_manage(user, course_class):
        roots = access.scope_of(user, Capability.SEE_LEARNING)
        if not roots:
            return []
        enrolments = enrolments.filter(access.scope_filter(roots, "person__unit__path"))
    order: dict[str, int] = {
        EnrolmentStatus.ENROLLED: 0,
        EnrolmentStatus.COMPLETED: 0,
        EnrolmentStatus.NOT_COMPLETED: 0,
        EnrolmentStatus.WAITLISTED: 1,
        EnrolmentStatus.WITHDRAWN: 2,
    }
    return sorted(
        enrolments,
        key=lambda e: (order.get(e.status, 3), e.waitlist_position or 0, e.person.sort_key),
    )


def my_enrolment(user: AnyUser, course_class: CourseClass) -> Enrolment | None:
    """Return the user's own enrolment in the class, if they are an officer and have one."""
    person: Person | None = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return None
    return Enrolment.objects.filter(course_class=course_class, person=person).first()


def access_enrolment(user: AnyUser, course_class: CourseClass, pk: object) -> Enrolment:
    """Return an enrolment of the class the user may act on (manager, head, or own)."""
    try:
        enrolment_id = int(str(pk))
    except ValueError:
        raise refuse(user, "learning.enrolment", pk) from None
    enrolment = (
        Enrolment.objects.filter(pk=enrolment_id, course_class=course_class)
        .select_related("person__unit", "course_class__course")
        .first()
    )
    if enrolment is None:
        raise refuse(user, "learning.enrolment", pk)
    person = enrolment.person
    allowed = (
        may_manage(user, course_class)
        or getattr(user, "person", None) == person
        or access.in_scope(user, Capability.SEE_LEARNING, person.unit)
    )
    if not allowed:
        raise refuse(user, "learning.enrolment", pk)
    return enrolment


@dataclass(frozen=True)
class AttendanceGrid:
    """A class's attendance: seated enrolments × sessions, marks and hours attended."""

    sessions: list[ClassSession]
    rows: list[tuple[Enrolment, list[tuple[ClassSession, bool]], Decimal]]


def attendance_grid(course_class: CourseClass) -> AttendanceGrid:
    """Return the grid the training office fills in (two queries, no N+1)."""
    sessions = sessions_of(course_class)
    enrolments = sorted(
        Enrolment.objects.filter(course_class=course_class, status__in=SEATED).select_related(
            "person"
        ),
        key=lambda e: e.person.sort_key,
    )
    present: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, session_id in Attendance.objects.filter(
        enrolment__course_class=course_class, present=True
    ).values_list("enrolment_id", "session_id"):
        present[enrolment_id].add(session_id)
    hours = {s.pk: s.hours for s in sessions}
    rows = []
    for enrolment in enrolments:
        marks = [(s, s.pk in present[enrolment.pk]) for s in sessions]
        total = sum((hours[pk] for pk in present[enrolment.pk] if pk in hours), Decimal(0))
        rows.append((enrolment, marks, total))
    return AttendanceGrid(sessions=sessions, rows=rows)


def class_instructors(course_class: CourseClass) -> list[Instructor]:
    """Return the class's instructors and those who taught one of its sessions."""
    ids = set(course_class.instructors.values_list("pk", flat=True))
    ids |= {
        pk
        for pk in course_class.sessions.exclude(instructor=None).values_list(
            "instructor_id", flat=True
        )
        if pk is not None
    }
    return list(Instructor.objects.filter(pk__in=ids).order_by("sort_key", "pk"))


def rateable_instructors(enrolment: Enrolment) -> list[tuple[Instructor, int | None]]:
    """Return the class's instructors with the learner's rating of each (None: not rated)."""
    rated = dict(
        InstructorRating.objects.filter(enrolment=enrolment).values_list("instructor_id", "score")
    )
    return [(i, rated.get(i.pk)) for i in class_instructors(enrolment.course_class)]
