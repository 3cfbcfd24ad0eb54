"""Writes of the catalogue: courses, programmes, instructors and their WCO accreditations.

Every service takes the acting user (None for the system: the demo, a command), checks that
a user holds MANAGE_TRAINING, runs in one transaction and records one audit event. A
course's own activity IRI and the e-learning IRIs that stand for it are `CourseActivity`
rows, so the ledger finds a course's hours from any of them.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.text import fold, nfc, sort_key
from lifelong.core.validation import full_clean_or_refuse
from lifelong.learning import xapi
from lifelong.learning.choices import InstructorKind, Provider
from lifelong.learning.models import (
    Course,
    CourseActivity,
    CourseContent,
    Instructor,
    Programme,
    ProgrammeCourse,
    Topic,
    WcoAccreditation,
)
from lifelong.learning.rules.catalogue import course_length, parse_iris
from lifelong.lrs.store import iri_hash
from lifelong.org import access
from lifelong.org.models import Person, Unit
from lifelong.org.rules import Capability

__all__ = [
    "CourseInput",
    "InstructorInput",
    "ProgrammeInput",
    "add_accreditation",
    "create_course",
    "create_instructor",
    "create_programme",
    "ensure_topics",
    "may_manage_training",
    "update_accreditation",
    "update_course",
    "update_instructor",
    "update_programme",
]

Actor = User | None
_SEARCH_MAX = 1200


def may_manage_training(user: Actor) -> bool:
    """Return whether the user (None: the system) may change the catalogue."""
    return user is None or access.has_capability(user, Capability.MANAGE_TRAINING)


def _require_training_office(user: Actor) -> None:
    if not may_manage_training(user):
        raise NotFound(_("Not found."))


def _snapshot(obj: Any, fields: Sequence[str]) -> dict[str, Any]:
    return model_to_dict(obj, fields=list(fields))


#
# Topics
#


def ensure_topics(names: Sequence[str]) -> list[Topic]:
    """Return the topics named `names`, creating those that do not exist yet.

    A topic's code is its folded, slugified name, so "Phân loại HS" and "phan loai hs" are
    the same topic.
    """
    topics: list[Topic] = []
    for raw in names:
        name = nfc(raw.strip())[:200]
        code = slugify(fold(name))[:64]
        if not code:
            continue
        topic = Topic.objects.filter(code=code).first()
        if topic is None:
            topic = Topic.objects.create(code=code, name=name, sort_key=sort_key(name))
        if topic not in topics:
            topics.append(topic)
    return topics


#
# Courses
#

COURSE_FIELDS = [
    "code",
    "title",
    "title_en",
    "description",
    "periods",
    "hours",
    "level",
    "provider",
    "provider_unit",
    "provider_name",
    "delivery_mode",
    "category",
    "issues_certificate",
    "certificate_months",
    "is_active",
]


@dataclass
class CourseInput:
    """What the training office enters for a course."""

    title: str
    level: str
    provider: str
    delivery_mode: str
    category: str
    title_en: str = ""
    description: str = ""
    periods: Decimal | None = None
    hours: Decimal | None = None
    provider_unit: Unit | None = None
    provider_name: str = ""
    contents: Sequence[str] = ()
    topics: Sequence[str] = ()  # topic names; unknown ones are created
    issues_certificate: bool = False
    certificate_months: int | None = None
    activity_iris: Sequence[str] = ()  # e-learning IRIs that stand for the course
    is_active: bool = True


def _apply_course(course: Course, data: CourseInput) -> None:
    length = course_length(
        data.periods, data.hours, minutes_per_period=settings.LIFELONG_PERIOD_MINUTES
    )
    if length.problem == "missing":
        raise ValidationFailed(
            _("Give the length in periods or in clock hours."),
            fields={"periods": [_("Give the length in periods or in clock hours.")]},
        )
    if length.problem == "negative":
        raise ValidationFailed(
            _("A course's length cannot be negative."),
            fields={"hours": [_("A course's length cannot be negative.")]},
        )
    if data.provider == Provider.UNIT and data.provider_unit is None:
        raise ValidationFailed(
            _("Choose the unit that provides the course."),
            fields={"provider_unit": [_("Choose the unit that provides the course.")]},
        )
    if data.provider == Provider.EXTERNAL and not data.provider_name.strip():
        raise ValidationFailed(
            _("Name the external provider."),
            fields={"provider_name": [_("Name the external provider.")]},
        )
    if data.certificate_months is not None and not data.issues_certificate:
        data.certificate_months = None
    course.title = nfc(data.title.strip())
    course.title_en = data.title_en.strip()
    course.description = nfc(data.description.strip())
    course.periods = length.periods  # type: ignore[assignment]  # set: no problem above
    course.hours = length.hours  # type: ignore[assignment]  # set: no problem above
    course.level = data.level
    course.provider = data.provider
    course.provider_unit = data.provider_unit if data.provider == Provider.UNIT else None
    course.provider_name = nfc(data.provider_name.strip())
    course.delivery_mode = data.delivery_mode
    course.category = data.category
    course.issues_certificate = data.issues_certificate
    course.certificate_months = data.certificate_months
    course.is_active = data.is_active
    course.sort_key = sort_key(course.title, course.code)


def _course_search_text(course: Course, topics: Sequence[Topic]) -> str:
    provider_unit = course.provider_unit.name if course.provider_unit else ""
    words = [
        course.code,
        course.title,
        course.title_en,
        course.provider_name,
        provider_unit,
        *(t.name for t in topics),
    ]
    return fold(" ".join(w for w in words if w))[:_SEARCH_MAX]


def _set_contents(course: Course, contents: Sequence[str]) -> None:
    wanted = list(dict.fromkeys(contents))
    CourseContent.objects.filter(course=course).exclude(content__in=wanted).delete()
    have = set(CourseContent.objects.filter(course=course).values_list("content", flat=True))
    rows = []
    for content in wanted:
        if content in have:
            continue
        row = CourseContent(course=course, content=content)
        full_clean_or_refuse(row, exclude=["course"])
        rows.append(row)
    CourseContent.objects.bulk_create(rows)


def _set_activities(course: Course, extra_iris: Sequence[str]) -> list[str]:
    """Map the course's own IRI and `extra_iris` to the course; return the IRIs mapped."""
    valid, invalid = parse_iris(list(extra_iris))
    if invalid:
        message = _("Not an activity IRI (http or https address): {iri}").format(iri=invalid[0])
        raise ValidationFailed(message, fields={"activity_iris": [message]})
    own = xapi.activity_iri("course", course.code)
    iris = list(dict.fromkeys([own, *valid]))
    hashes = {iri_hash(iri): iri for iri in iris}
    taken = (
        CourseActivity.objects.filter(iri_hash__in=hashes)
        .exclude(course=course)
        .select_related("course")
        .first()
    )
    if taken is not None:
        message = _("The activity {iri} already stands for the course {code}.").format(
            iri=taken.iri, code=taken.course.code
        )
        raise ValidationFailed(message, fields={"activity_iris": [message]})
    CourseActivity.objects.filter(course=course).exclude(iri_hash__in=hashes).delete()
    have = set(CourseActivity.objects.filter(course=course).values_list("iri_hash", flat=True))
    CourseActivity.objects.bulk_create(
        [
            CourseActivity(iri=iri, iri_hash=digest, course=course)
            for digest, iri in hashes.items()
            if digest not in have
        ]
    )
    return iris


def _after_save(course: Course, data: CourseInput) -> list[str]:
    _set_contents(course, data.contents)
    topics = ensure_topics(data.topics)
    course.topics.set(topics)
    iris = _set_activities(course, data.activity_iris)
    course.search_text = _course_search_text(course, topics)
    Course.objects.filter(pk=course.pk).update(search_text=course.search_text)
    return iris


@transaction.atomic
def create_course(*, acting_user: Actor, code: str, data: CourseInput) -> Course:
    """Create a course of the catalogue with its contents, topics and activity IRIs.

    The length missing from periods and clock hours is derived from the other; the code is
    the course's natural key (its activity IRI) and never changes afterwards.
    """
    _require_training_office(acting_user)
    code = code.strip().upper()
    if Course.objects.filter(code__iexact=code).exists():
        message = _("A course with the code {code} already exists.").format(code=code)
        raise ValidationFailed(message, fields={"code": [message]})
    course = Course(code=code)
    _apply_course(course, data)
    full_clean_or_refuse(course)
    course.save()
    iris = _after_save(course, data)
    record_event(
        "course.created",
        actor=acting_user,
        target=course,
        after={
            **_snapshot(course, COURSE_FIELDS),
            "contents": list(data.contents),
            "topics": list(data.topics),
            "activities": iris,
        },
    )
    return course


@transaction.atomic
def update_course(*, acting_user: Actor, course: Course, data: CourseInput) -> Course:
    """Change a course; its code (and so its own activity IRI) stays."""
    _require_training_office(acting_user)
    course = Course.objects.select_for_update().get(pk=course.pk)
    before = {
        **_snapshot(course, COURSE_FIELDS),
        "contents": sorted(course.contents.values_list("content", flat=True)),
        "activities": sorted(course.activities.values_list("iri", flat=True)),
    }
    _apply_course(course, data)
    full_clean_or_refuse(course)
    course.save()
    iris = _after_save(course, data)
    record_event(
        "course.updated",
        actor=acting_user,
        target=course,
        before=before,
        after={
            **_snapshot(course, COURSE_FIELDS),
            "contents": sorted(data.contents),
            "activities": sorted(iris),
        },
    )
    return course


#
# Programmes
#


@dataclass
class ProgrammeInput:
    """What the training office enters for a programme: its courses in order."""

    title: str
    courses: Sequence[Course]
    title_en: str = ""
    description: str = ""
    is_active: bool = True


def _apply_programme(programme: Programme, data: ProgrammeInput) -> None:
    programme.title = nfc(data.title.strip())
    programme.title_en = data.title_en.strip()
    programme.description = nfc(data.description.strip())
    programme.is_active = data.is_active
    programme.sort_key = sort_key(programme.title, programme.code)
    programme.search_text = fold(" ".join([programme.code, programme.title, programme.title_en]))[
        :_SEARCH_MAX
    ]


def _set_steps(programme: Programme, courses: Sequence[Course]) -> None:
    ordered = list(dict.fromkeys(courses))
    if not ordered:
        message = _("A programme needs at least one course.")
        raise ValidationFailed(message, fields={"courses": [message]})
    ProgrammeCourse.objects.filter(programme=programme).delete()
    ProgrammeCourse.objects.bulk_create(
        [
            ProgrammeCourse(programme=programme, course=course, position=index)
            for index, course in enumerate(ordered, start=1)
        ]
    )


@transaction.atomic
def create_programme(*, acting_user: Actor, code: str, data: ProgrammeInput) -> Programme:
    """Create a programme (learning path): an ordered list of courses."""
    _require_training_office(acting_user)
    code = code.strip().upper()
    if Programme.objects.filter(code__iexact=code).exists():
        message = _("A programme with the code {code} already exists.").format(code=code)
        raise ValidationFailed(message, fields={"code": [message]})
    programme = Programme(code=code)
    _apply_programme(programme, data)
    full_clean_or_refuse(programme)
    programme.save()
    _set_steps(programme, data.courses)
    record_event(
        "programme.created",
        actor=acting_user,
        target=programme,
        after={"title": programme.title, "courses": [c.code for c in data.courses]},
    )
    return programme


@transaction.atomic
def update_programme(
    *, acting_user: Actor, programme: Programme, data: ProgrammeInput
) -> Programme:
    """Change a programme and the order of its courses."""
    _require_training_office(acting_user)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before = {
        "title": programme.title,
        "courses": list(
            ProgrammeCourse.objects.filter(programme=programme)
            .order_by("position")
            .values_list("course__code", flat=True)
        ),
    }
    _apply_programme(programme, data)
    full_clean_or_refuse(programme)
    programme.save()
    _set_steps(programme, data.courses)
    record_event(
        "programme.updated",
        actor=acting_user,
        target=programme,
        before=before,
        after={"title": programme.title, "courses": [c.code for c in data.courses]},
    )
    return programme


#
# Instructors
#

INSTRUCTOR_FIELDS = ["person", "full_name", "organisation", "email", "kind", "subjects"]


@dataclass
class InstructorInput:
    """What the training office enters for an instructor (an officer, or a named external)."""

    kind: str
    person: Person | None = None
    full_name: str = ""
    organisation: str = ""
    email: str = ""
    topics: Sequence[str] = ()
    subjects: str = ""
    is_active: bool = True


def _apply_instructor(instructor: Instructor, data: InstructorInput) -> None:
    # An in-house instructor (full-time or kiêm chức) is an officer of the administration.
    if data.kind != InstructorKind.EXTERNAL and data.person is None:
        message = _("An in-house instructor is an officer: choose the officer.")
        raise ValidationFailed(message, fields={"person": [message]})
    # An external instructor needs a name (an officer's is taken from their record).
    if data.person is None and not data.full_name.strip():
        message = _("An external instructor needs a full name.")
        raise ValidationFailed(message, fields={"full_name": [message]})
    if data.person is not None:
        other = Instructor.objects.filter(person=data.person).exclude(pk=instructor.pk).first()
        if other is not None:
            message = _("This officer is already in the instructor registry.")
            raise ValidationFailed(message, fields={"person": [message]})
    instructor.person = data.person
    instructor.full_name = (
        data.person.full_name if data.person is not None else nfc(data.full_name.strip())
    )
    instructor.organisation = nfc(data.organisation.strip())
    instructor.email = data.email.strip()
    instructor.kind = data.kind
    instructor.subjects = nfc(data.subjects.strip())
    instructor.is_active = data.is_active
    if data.person is not None:
        instructor.sort_key = data.person.sort_key
    else:
        parts = instructor.full_name.split()
        given = parts[-1] if parts else ""
        instructor.sort_key = sort_key(given, *parts[:-1])


def _instructor_search(instructor: Instructor, topics: Sequence[Topic]) -> str:
    words = [
        instructor.full_name,
        instructor.organisation,
        instructor.subjects,
        instructor.person.officer_code if instructor.person else "",
        *(t.name for t in topics),
    ]
    return fold(" ".join(w for w in words if w))[:_SEARCH_MAX]


def _store_instructor(instructor: Instructor, data: InstructorInput) -> list[Topic]:
    """Apply `data`, check and save the instructor, set its topics and its search text."""
    _apply_instructor(instructor, data)
    full_clean_or_refuse(instructor)
    instructor.save()
    topics = ensure_topics(data.topics)
    instructor.topics.set(topics)
    instructor.search_text = _instructor_search(instructor, topics)
    Instructor.objects.filter(pk=instructor.pk).update(search_text=instructor.search_text)
    return topics


@transaction.atomic
def create_instructor(*, acting_user: Actor, data: InstructorInput) -> Instructor:
    """Add an instructor to the registry: an officer, or an external person with a name."""
    _require_training_office(acting_user)
    instructor = Instructor()
    topics = _store_instructor(instructor, data)
    record_event(
        "instructor.created",
        actor=acting_user,
        target=instructor,
        after={**_snapshot(instructor, INSTRUCTOR_FIELDS), "topics": [t.name for t in topics]},
    )
    return instructor


@transaction.atomic
def update_instructor(
    *, acting_user: Actor, instructor: Instructor, data: InstructorInput
) -> Instructor:
    """Change an instructor's record."""
    _require_training_office(acting_user)
    instructor = Instructor.objects.select_for_update().get(pk=instructor.pk)
    before = _snapshot(instructor, INSTRUCTOR_FIELDS)
    topics = _store_instructor(instructor, data)
    record_event(
        "instructor.updated",
        actor=acting_user,
        target=instructor,
        before=before,
        after={**_snapshot(instructor, INSTRUCTOR_FIELDS), "topics": [t.name for t in topics]},
    )
    return instructor


ACCREDITATION_FIELDS = ["area", "status", "valid_from", "valid_until"]


@transaction.atomic
def add_accreditation(
    *,
    acting_user: Actor,
    instructor: Instructor,
    area: str,
    status: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> WcoAccreditation:
    """Record a WCO accreditation (pre-accredited or accredited) of an instructor in one area."""
    _require_training_office(acting_user)
    accreditation = WcoAccreditation(
        instructor=instructor,
        area=area,
        status=status,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    full_clean_or_refuse(accreditation)
    accreditation.save()
    record_event(
        "wco_accreditation.added",
        actor=acting_user,
        target=accreditation,
        target_label=f"{instructor.full_name}: {accreditation.get_area_display()}",
        after=_snapshot(accreditation, ACCREDITATION_FIELDS),
    )
    return accreditation


@transaction.atomic
def update_accreditation(
    *,
    acting_user: Actor,
    accreditation: WcoAccreditation,
    area: str,
    status: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> WcoAccreditation:
    """Change a WCO accreditation (e.g. pre-accredited becomes accredited)."""
    _require_training_office(acting_user)
    accreditation = WcoAccreditation.objects.select_for_update().get(pk=accreditation.pk)
    before = _snapshot(accreditation, ACCREDITATION_FIELDS)
    accreditation.area = area
    accreditation.status = status
    accreditation.valid_from = valid_from
    accreditation.valid_until = valid_until
    full_clean_or_refuse(accreditation)
    accreditation.save()
    record_event(
        "wco_accreditation.updated",
        actor=acting_user,
        target=accreditation,
        before=before,
        after=_snapshot(accreditation, ACCREDITATION_FIELDS),
    )
    return accreditation
