"""REST endpoints of the catalogue: courses, programmes and the instructor registry.

Read-only and open to every authenticated caller, as the catalogue pages are. Thin: each
endpoint parses its filters, calls `learning.queries.catalogue` and lets the schema render.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.learning.choices import (
    CourseLevel,
    DeliveryMode,
    InstructorKind,
    MovementContent,
    Provider,
    TrainingCategory,
    WcoArea,
    WcoStatus,
)
from lifelong.learning.models import Course, Instructor, Programme
from lifelong.learning.queries import catalogue as queries

router = Router(tags=["learning"])

SEARCH_MAX_LENGTH = 200

#
# Schemas
#


class CourseFilter(Page):
    """Filters of the course list."""

    q: str = Field(
        "",
        max_length=SEARCH_MAX_LENGTH,
        description="Words that must all appear in the code, titles, provider or topics; "
        "diacritics and case are ignored (`phan loai` finds Phân loại).",
    )
    content: MovementContent | None = Field(None, description="Only courses serving this content.")
    category: TrainingCategory | None = Field(None, description="Only this training category.")
    mode: DeliveryMode | None = Field(None, description="Only this delivery mode.")
    provider: Provider | None = Field(None, description="Only this kind of provider.")
    level: CourseLevel | None = Field(None, description="Only this level.")


class CourseOut(Schema):
    """A course of the catalogue."""

    code: str
    title: str
    title_en: str
    description: str
    periods: float = Field(description="Length in periods (tiết).")
    hours: float = Field(description="Length in clock hours.")
    level: CourseLevel
    provider: Provider
    provider_unit_id: int | None
    provider_name: str
    delivery_mode: DeliveryMode
    category: TrainingCategory
    contents: list[MovementContent] = Field(description="The movement contents it serves.")
    topics: list[str]
    issues_certificate: bool
    certificate_months: int | None
    is_active: bool
    activity_iri: str = Field(description="The course's own xAPI activity IRI.")

    @staticmethod
    def resolve_contents(obj: Course) -> list[str]:
        """Return the course's movement content codes."""
        return sorted(c.content for c in obj.contents.all())

    @staticmethod
    def resolve_topics(obj: Course) -> list[str]:
        """Return the course's topic names."""
        return [t.name for t in obj.topics.all()]

    @staticmethod
    def resolve_activity_iri(obj: Course) -> str:
        """Return the course's own activity IRI."""
        from lifelong.learning import xapi

        return xapi.activity_iri("course", obj.code)


class CourseList(Schema):
    """A page of courses, in Vietnamese title order."""

    items: list[CourseOut]
    count: int = Field(description="How many courses match, over all pages.")


class ProgrammeFilter(Page):
    """Filters of the programme list."""

    q: str = Field("", max_length=SEARCH_MAX_LENGTH, description="Words of the code or titles.")


class ProgrammeStepOut(Schema):
    """A course's place in a programme."""

    position: int
    course_code: str
    course_title: str
    hours: float


class ProgrammeOut(Schema):
    """A programme (learning path) and its courses in order."""

    code: str
    title: str
    title_en: str
    description: str
    is_active: bool
    courses: list[ProgrammeStepOut]

    @staticmethod
    def resolve_courses(obj: Programme) -> list[dict[str, Any]]:
        """Return the programme's courses in order."""
        return [
            {
                "position": step.position,
                "course_code": step.course.code,
                "course_title": step.course.title,
                "hours": step.course.hours,
            }
            for step in obj.steps.all()
        ]


class ProgrammeList(Schema):
    """A page of programmes."""

    items: list[ProgrammeOut]
    count: int


class InstructorFilter(Page):
    """Filters of the instructor list."""

    q: str = Field(
        "", max_length=SEARCH_MAX_LENGTH, description="Words of the name, organisation, subjects."
    )
    kind: InstructorKind | None = Field(None, description="Only this kind of instructor.")
    wco_area: WcoArea | None = Field(None, description="Only instructors accredited in this area.")
    wco_status: WcoStatus | None = Field(None, description="Only with this accreditation status.")


class AccreditationOut(Schema):
    """A WCO accreditation."""

    area: WcoArea
    status: WcoStatus
    valid_from: datetime.date
    valid_until: datetime.date | None


class InstructorOut(Schema):
    """An instructor of the registry."""

    id: int
    full_name: str
    kind: InstructorKind
    officer_code: str | None = Field(description="For an in-house instructor.")
    organisation: str
    subjects: list[str]
    accreditations: list[AccreditationOut]

    @staticmethod
    def resolve_officer_code(obj: Instructor) -> str | None:
        """Return the officer code of an in-house instructor."""
        return obj.person.officer_code if obj.person else None

    @staticmethod
    def resolve_subjects(obj: Instructor) -> list[str]:
        """Return the instructor's subjects (topics, then other subjects)."""
        return [t.name for t in obj.topics.all()] + ([obj.subjects] if obj.subjects else [])

    @staticmethod
    def resolve_accreditations(obj: Instructor) -> list[Any]:
        """Return the instructor's WCO accreditations."""
        return list(obj.accreditations.all())


class InstructorDetailOut(InstructorOut):
    """An instructor with what they taught and how learners rated them."""

    teaching_hours: float = Field(description="Clock hours of the sessions they taught.")
    session_count: int = Field(description="Sessions they taught.")
    class_codes: list[str]
    rating_average: float | None = Field(description="Learners' average rating, 1-5.")
    rating_count: int


class InstructorList(Schema):
    """A page of instructors, in Vietnamese name order."""

    items: list[InstructorOut]
    count: int


#
# Endpoints
#


@router.get("/courses", response=responses(CourseList, 401, 422), summary="List courses")
def list_courses(request: HttpRequest, filters: Query[CourseFilter]) -> Listing[Course]:
    """List the active courses of the catalogue, searched and filtered.

    `q` is diacritic-insensitive; `content`, `category`, `mode`, `provider` and `level` take
    the codes listed in this document.
    """
    courses = queries.list_courses(
        request.user,
        queries.CourseFilters(
            query=filters.q,
            content=filters.content or "",
            category=filters.category or "",
            mode=filters.mode or "",
            provider=filters.provider or "",
            level=filters.level or "",
        ),
    )
    return paginate(courses, filters)


@router.get("/courses/{code}", response=responses(CourseOut, 401, 404), summary="Get a course")
def get_course(request: HttpRequest, code: str) -> Course:
    """Return one course by its code; 404 if there is none."""
    return queries.access_course(request.user, code)


@router.get("/programmes", response=responses(ProgrammeList, 401, 422), summary="List programmes")
def list_programmes(request: HttpRequest, filters: Query[ProgrammeFilter]) -> Listing[Programme]:
    """List the programmes (learning paths) with their courses in order."""
    programmes = queries.list_programmes(request.user, filters.q).prefetch_related("steps__course")
    return paginate(programmes, filters)


@router.get(
    "/programmes/{code}", response=responses(ProgrammeOut, 401, 404), summary="Get a programme"
)
def get_programme(request: HttpRequest, code: str) -> Programme:
    """Return one programme by its code, with its courses in order; 404 if there is none."""
    return queries.access_programme(request.user, code)


@router.get(
    "/instructors", response=responses(InstructorList, 401, 422), summary="List instructors"
)
def list_instructors(request: HttpRequest, filters: Query[InstructorFilter]) -> Listing[Instructor]:
    """List the instructor registry, searched and filtered by kind and WCO accreditation."""
    instructors = queries.list_instructors(
        request.user,
        queries.InstructorFilters(
            query=filters.q,
            kind=filters.kind or "",
            wco_area=filters.wco_area or "",
            wco_status=filters.wco_status or "",
        ),
    )
    return paginate(instructors, filters)


@router.get(
    "/instructors/{instructor_id}",
    response=responses(InstructorDetailOut, 401, 404, 422),
    summary="Get an instructor",
)
def get_instructor(request: HttpRequest, instructor_id: int) -> Instructor:
    """Return one instructor with teaching hours delivered, classes and ratings."""
    instructor = queries.access_instructor(request.user, instructor_id)
    stats = queries.instructor_stats(instructor)
    # Read by InstructorDetailOut: the figures ride on the row they describe.
    instructor.teaching_hours = stats.teaching_hours  # type: ignore[attr-defined]
    instructor.session_count = stats.sessions  # type: ignore[attr-defined]
    instructor.class_codes = [c.code for c in stats.classes]  # type: ignore[attr-defined]
    instructor.rating_average = stats.rating_average  # type: ignore[attr-defined]
    instructor.rating_count = stats.rating_count  # type: ignore[attr-defined]
    return instructor
