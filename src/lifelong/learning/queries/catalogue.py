"""Reads of the catalogue: courses, programmes and instructors.

Everyone logged in may read the catalogue and the instructor registry (it is what officers
choose their learning from); changing them is the training office's (MANAGE_TRAINING).
Searches are diacritic-insensitive over the folded `search_text` columns.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum

from lifelong.core.lookups import refuse
from lifelong.core.text import search_terms
from lifelong.learning.models import (
    ClassSession,
    Course,
    CourseClass,
    Instructor,
    InstructorRating,
    Programme,
    ProgrammeCourse,
    WcoAccreditation,
)
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability

__all__ = [
    "CourseFilters",
    "InstructorFilters",
    "InstructorStats",
    "access_course",
    "access_instructor",
    "access_programme",
    "course_classes",
    "course_programmes",
    "instructor_stats",
    "list_courses",
    "list_instructors",
    "list_programmes",
    "may_manage_catalogue",
]

MAX_TERMS = 8


def may_manage_catalogue(user: AnyUser) -> bool:
    """Return whether the user may change the catalogue and the instructor registry."""
    return access.has_capability(user, Capability.MANAGE_TRAINING)


def _logged_in(user: AnyUser, kind: str, key: object) -> None:
    if not user.is_authenticated:
        raise refuse(user, kind, key)


#
# Courses
#


@dataclass(frozen=True)
class CourseFilters:
    """What a catalogue search may ask for; empty means any."""

    query: str = ""
    content: str = ""
    category: str = ""
    mode: str = ""
    provider: str = ""
    level: str = ""
    include_inactive: bool = False


def list_courses(user: AnyUser, filters: CourseFilters = CourseFilters()) -> QuerySet[Course]:
    """Return the courses matching `filters`, in Vietnamese title order.

    Every word of the query must appear in the folded code, titles, provider or topics
    ("phan loai" finds "Phân loại"). Inactive courses are left out unless asked for by the
    training office.
    """
    if not user.is_authenticated:
        return Course.objects.none()
    courses = Course.objects.all()
    if not (filters.include_inactive and may_manage_catalogue(user)):
        courses = courses.filter(is_active=True)
    for term in search_terms(filters.query)[:MAX_TERMS]:
        courses = courses.filter(search_text__contains=term)
    if filters.content:
        courses = courses.filter(contents__content=filters.content)
    if filters.category:
        courses = courses.filter(category=filters.category)
    if filters.mode:
        courses = courses.filter(delivery_mode=filters.mode)
    if filters.provider:
        courses = courses.filter(provider=filters.provider)
    if filters.level:
        courses = courses.filter(level=filters.level)
    return (
        courses.select_related("provider_unit")
        .prefetch_related("contents", "topics")
        .order_by("sort_key", "code")
    )


def access_course(user: AnyUser, code: str) -> Course:
    """Return the course `code` for a logged-in user; NotFound otherwise."""
    _logged_in(user, "learning.course", code)
    course = (
        Course.objects.filter(code=code[:32])
        .select_related("provider_unit")
        .prefetch_related("contents", "topics", "activities")
        .first()
    )
    if course is None or (not course.is_active and not may_manage_catalogue(user)):
        raise refuse(user, "learning.course", code)
    return course


def course_classes(course: Course) -> QuerySet[CourseClass]:
    """Return a course's classes, the latest first, with the number of places taken."""
    return (
        CourseClass.objects.filter(course=course)
        .select_related("organiser")
        .order_by("-start_date", "code")
    )


def course_programmes(course: Course) -> QuerySet[Programme]:
    """Return the active programmes a course is part of."""
    return Programme.objects.filter(steps__course=course, is_active=True).distinct()


#
# Programmes
#


def list_programmes(user: AnyUser, query: str = "") -> QuerySet[Programme]:
    """Return the active programmes (all of them for the training office), searched."""
    if not user.is_authenticated:
        return Programme.objects.none()
    programmes = Programme.objects.all()
    if not may_manage_catalogue(user):
        programmes = programmes.filter(is_active=True)
    for term in search_terms(query)[:MAX_TERMS]:
        programmes = programmes.filter(search_text__contains=term)
    return programmes.annotate(course_count=Count("steps")).order_by("sort_key", "code")


def access_programme(user: AnyUser, code: str) -> Programme:
    """Return the programme `code` with its courses in order; NotFound otherwise."""
    _logged_in(user, "learning.programme", code)
    steps = ProgrammeCourse.objects.select_related("course").order_by("position")
    programme = (
        Programme.objects.filter(code=code[:32])
        .prefetch_related(Prefetch("steps", queryset=steps))
        .first()
    )
    if programme is None or (not programme.is_active and not may_manage_catalogue(user)):
        raise refuse(user, "learning.programme", code)
    return programme


#
# Instructors
#


@dataclass(frozen=True)
class InstructorFilters:
    """What an instructor search may ask for; empty means any."""

    query: str = ""
    kind: str = ""
    wco_area: str = ""
    wco_status: str = ""


def list_instructors(
    user: AnyUser, filters: InstructorFilters = InstructorFilters()
) -> QuerySet[Instructor]:
    """Return the instructors matching `filters`, in Vietnamese name order.

    `wco_area` and `wco_status` keep instructors holding such an accreditation (both must
    hold for the same accreditation when both are given).
    """
    if not user.is_authenticated:
        return Instructor.objects.none()
    instructors = Instructor.objects.all()
    if not may_manage_catalogue(user):
        instructors = instructors.filter(is_active=True)
    for term in search_terms(filters.query)[:MAX_TERMS]:
        instructors = instructors.filter(search_text__contains=term)
    if filters.kind:
        instructors = instructors.filter(kind=filters.kind)
    if filters.wco_area or filters.wco_status:
        accredited = WcoAccreditation.objects.all()
        if filters.wco_area:
            accredited = accredited.filter(area=filters.wco_area)
        if filters.wco_status:
            accredited = accredited.filter(status=filters.wco_status)
        instructors = instructors.filter(pk__in=accredited.values("instructor_id"))
    return (
        instructors.select_related("person__unit")
        .prefetch_related("accreditations", "topics")
        .order_by("sort_key", "pk")
    )


def access_instructor(user: AnyUser, pk: object) -> Instructor:
    """Return the instructor `pk` for a logged-in user; NotFound otherwise."""
    _logged_in(user, "learning.instructor", pk)
    try:
        instructor_id = int(str(pk))
    except ValueError:
        raise refuse(user, "learning.instructor", pk) from None
    instructor = (
        Instructor.objects.filter(pk=instructor_id)
        .select_related("person__unit")
        .prefetch_related("accreditations", "topics")
        .first()
    )
    if instructor is None or (not instructor.is_active and not may_manage_catalogue(user)):
        raise refuse(user, "learning.instructor", pk)
    return instructor


@dataclass(frozen=True)
class InstructorStats:
    """What an instructor has taught and how learners rated it."""

    classes: list[CourseClass]
    teaching_hours: Decimal
    sessions: int
    rating_average: Decimal | None
    rating_count: int


def instructor_stats(instructor: Instructor) -> InstructorStats:
    """Return the classes an instructor taught, the hours of their sessions and their ratings.

    Teaching hours delivered are the hours of the sessions they taught (aggregated in SQL).
    """
    taught = ClassSession.objects.filter(instructor=instructor).aggregate(
        hours=Sum("hours"), sessions=Count("pk")
    )
    ids = set(
        CourseClass.objects.filter(
            Q(instructors=instructor) | Q(sessions__instructor=instructor)
        ).values_list("pk", flat=True)
    )
    classes = list(
        CourseClass.objects.filter(pk__in=ids)
        .select_related("course", "organiser")
        .order_by("-start_date", "code")
    )
    ratings = InstructorRating.objects.filter(instructor=instructor).aggregate(
        average=Avg("score"), count=Count("pk")
    )
    average = ratings["average"]
    return InstructorStats(
        classes=classes,
        teaching_hours=Decimal(taught["hours"] or 0),
        sessions=int(taught["sessions"] or 0),
        rating_average=(
            Decimal(str(average)).quantize(Decimal("0.01")) if average is not None else None
        ),
        rating_count=int(ratings["count"] or 0),
    )
