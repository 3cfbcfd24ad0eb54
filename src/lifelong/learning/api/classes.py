"""REST endpoints of classes: the class list, a class with its sessions, self-enrolment.

Classes are visible to every authenticated caller, as on the pages; enrolling oneself is
the one write (an officer's account only). Thin: queries read, `learning.services.classes`
decides and writes.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.core.exceptions import NotFound
from lifelong.learning.choices import ClassStatus, EnrolmentSource, EnrolmentStatus
from lifelong.learning.models import CourseClass
from lifelong.learning.queries import classes as queries
from lifelong.learning.services import classes as services

router = Router(tags=["learning"])
_MIDNIGHT = datetime.time(0, 0)

#
# Schemas
#


class ClassFilter(Page):
    """Filters of the class list."""

    course: str = Field("", max_length=32, description="Only classes of this course code.")
    date_from: datetime.date | None = Field(
        None, alias="from", description="Only classes running on or after this date."
    )
    date_to: datetime.date | None = Field(
        None, alias="to", description="Only classes running on or before this date."
    )
    status: ClassStatus | None = Field(None, description="Only classes with this status.")


class ClassOut(Schema):
    """A class: one run of a course."""

    code: str
    course_code: str
    course_title: str
    organiser_id: int
    start_date: datetime.date
    end_date: datetime.date
    venue: str
    online_url: str
    capacity: int
    status: ClassStatus
    instructor_ids: list[int]

    @staticmethod
    def resolve_course_code(obj: CourseClass) -> str:
        """Return the class's course code."""
        return obj.course.code

    @staticmethod
    def resolve_course_title(obj: CourseClass) -> str:
        """Return the class's course title."""
        return obj.course.title

    @staticmethod
    def resolve_instructor_ids(obj: CourseClass) -> list[int]:
        """Return the ids of the class's instructors."""
        return [i.pk for i in obj.instructors.all()]


class SessionOut(Schema):
    """A session of a class."""

    date: datetime.date
    starts_at: datetime.time | None
    hours: float = Field(description="Clock hours.")
    title: str
    instructor_id: int | None


class ClassDetailOut(ClassOut):
    """A class with its sessions and the number of places taken."""

    sessions: list[SessionOut]
    enrolled: int = Field(description="Places taken.")
    waiting: int = Field(description="Officers on the waiting list.")

    @staticmethod
    def resolve_sessions(obj: CourseClass) -> list[Any]:
        """Return the class's sessions in order."""
        return sorted(obj.sessions.all(), key=lambda s: (s.date, s.starts_at or _MIDNIGHT, s.pk))

    @staticmethod
    def resolve_enrolled(obj: CourseClass) -> int:
        """Return the number of places taken."""
        return int(getattr(obj, "seated", 0))


class ClassList(Schema):
    """A page of classes, the latest first."""

    items: list[ClassOut]
    count: int


class EnrolmentOut(Schema):
    """An officer's enrolment in a class."""

    class_code: str
    officer_code: str
    status: EnrolmentStatus = Field(description="`enrolled`, or `waitlisted` when full.")
    waitlist_position: int | None = Field(description="1 is the next to get a place.")
    source: EnrolmentSource
    registration: str = Field(description="The xAPI registration of this enrolment.")


class EnrolIn(Schema):
    """Self-enrolment options."""

    accept_waitlist: bool = Field(
        True,
        description="When the class is full: true puts the caller on the waiting list, "
        "false answers 409.",
    )


#
# Endpoints
#


@router.get("/classes", response=responses(ClassList, 401, 422), summary="List classes")
def list_classes(request: HttpRequest, filters: Query[ClassFilter]) -> Listing[CourseClass]:
    """List classes, the latest first; filter by course code and by dates (`from`, `to`).

    A class matches a date range when it runs on at least one day of it.
    """
    classes = queries.list_classes(
        request.user,
        queries.ClassFilters(
            course=filters.course,
            date_from=filters.date_from,
            date_to=filters.date_to,
            status=filters.status or "",
        ),
    ).prefetch_related("instructors")
    return paginate(classes, filters)


@router.get("/classes/{code}", response=responses(ClassDetailOut, 401, 404), summary="Get a class")
def get_class(request: HttpRequest, code: str) -> CourseClass:
    """Return one class with its sessions and places taken; 404 if there is none."""
    course_class = queries.access_class(request.user, code)
    found = (
        queries.list_classes(request.user)
        .filter(pk=course_class.pk)
        .prefetch_related("instructors", "sessions")
        .first()
    )
    return found or course_class


@router.post(
    "/classes/{code}/enrolments",
    response=responses(EnrolmentOut, 400, 401, 403, 404, 409, 422),
    summary="Enrol oneself in a class",
)
def enrol_self(request: HttpRequest, code: str, payload: EnrolIn | None = None) -> dict[str, Any]:
    """Enrol the caller (an officer's account) in an open class.

    Answers `enrolled`, or `waitlisted` with a position when the class is full. Errors: 409
    when the caller is already enrolled or waiting, or the class is full and
    `accept_waitlist` is false; 400 when the class is not open for enrolment; 404 when the
    class does not exist or the account is no officer's.
    """
    course_class = queries.access_class(request.user, code)
    person = getattr(request.user, "person", None)
    if person is None:
        raise NotFound(_("Your account is not linked to an officer."))
    accept_waitlist = payload.accept_waitlist if payload is not None else True
    enrolment = services.enrol(
        acting_user=request.user,  # type: ignore[arg-type]  # authenticated: a real user
        course_class=course_class,
        person=person,
        source=EnrolmentSource.SELF,
        allow_waitlist=accept_waitlist,
    )
    return {
        "class_code": course_class.code,
        "officer_code": person.officer_code,
        "status": enrolment.status,
        "waitlist_position": enrolment.waitlist_position,
        "source": enrolment.source,
        "registration": str(enrolment.registration),
    }
