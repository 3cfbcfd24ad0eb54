"""Rows for certificate and assignment tests: courses, classes, completed enrolments, learning.

Plain rows for the catalogue and classes (their own services belong to other areas);
certificates, rules and assignments are made through the real services by the tests.
"""

import datetime
import itertools
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lifelong.learning import xapi
from lifelong.learning.choices import (
    CourseLevel,
    DeliveryMode,
    EnrolmentSource,
    EnrolmentStatus,
    Provider,
    TrainingCategory,
)
from lifelong.learning.models import Course, CourseActivity, CourseClass, Enrolment
from lifelong.lrs.store import iri_hash
from lifelong.org.models import Person, Unit

_codes = itertools.count(1)


def course(
    title: str = "Phân loại hàng hóa theo Danh mục HS",
    *,
    issues_certificate: bool = True,
    certificate_months: int | None = 24,
    hours: Decimal = Decimal("16"),
) -> Course:
    """Create a course, with the activity IRI of Lifelong's own statements about it."""
    n = next(_codes)
    created = Course.objects.create(
        code=f"KH{n:04d}",
        title=title,
        periods=hours * 4 / 3,
        hours=hours,
        level=CourseLevel.BASIC,
        provider=Provider.CUSTOMS_SCHOOL,
        delivery_mode=DeliveryMode.CLASSROOM,
        category=TrainingCategory.JOB_SKILLS,
        issues_certificate=issues_certificate,
        certificate_months=certificate_months,
    )
    iri = xapi.activity_iri("course", created.code)
    CourseActivity.objects.create(iri=iri, iri_hash=iri_hash(iri), course=created)
    return created


def completed_enrolment(
    person: Person,
    of: Course,
    *,
    organiser: Unit,
    completed_at: datetime.datetime | None = None,
) -> Enrolment:
    """Create a finished class of `of` and `person`'s completed enrolment in it."""
    n = next(_codes)
    done = completed_at or timezone.now()
    day = timezone.localdate(done)
    course_class = CourseClass.objects.create(
        code=f"LOP{n:04d}",
        course=of,
        organiser=organiser,
        start_date=day - datetime.timedelta(days=3),
        end_date=day,
        capacity=30,
    )
    return Enrolment.objects.create(
        course_class=course_class,
        person=person,
        source=EnrolmentSource.SELF,
        status=EnrolmentStatus.COMPLETED,
        passed=True,
        completed_at=done,
    )


def learn(person: Person, of: Course, *, at: datetime.datetime | None = None) -> str:
    """Write the statement that `person` completed `of` (projected after the commit)."""
    with transaction.atomic():
        [statement_id] = xapi.write(
            [
                xapi.statement(
                    person=person,
                    verb_name="completed",
                    activity=xapi.activity_iri("course", of.code),
                    name=of.title,
                    timestamp=at or timezone.now(),
                    hours=of.hours,
                )
            ]
        )
    return statement_id
