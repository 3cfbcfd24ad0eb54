"""Build catalogue and class state through the real services, as a test's given step."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth.models import User

from lifelong.learning.choices import (
    ClassStatus,
    CourseLevel,
    DeliveryMode,
    MovementContent,
    Provider,
    TrainingCategory,
)
from lifelong.learning.models import ClassSession, Course, CourseClass, Instructor
from lifelong.learning.services import catalogue, classes
from lifelong.org.models import Person, Unit

_codes = itertools.count(1)


def course(
    title: str = "Phân loại hàng hóa theo HS",
    *,
    code: str = "",
    hours: Decimal | None = Decimal(8),
    periods: Decimal | None = None,
    category: str = TrainingCategory.JOB_SKILLS,
    contents: tuple[str, ...] = (MovementContent.JOB_POSITION,),
    mode: str = DeliveryMode.CLASSROOM,
    provider: str = Provider.CUSTOMS_SCHOOL,
    issues_certificate: bool = False,
    activity_iris: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
) -> Course:
    """Create a course of the catalogue."""
    return catalogue.create_course(
        acting_user=None,
        code=code or f"C{next(_codes):04d}",
        data=catalogue.CourseInput(
            title=title,
            level=CourseLevel.BASIC,
            provider=provider,
            provider_name="Học viện Tài chính" if provider == Provider.EXTERNAL else "",
            delivery_mode=mode,
            category=category,
            periods=periods,
            hours=hours,
            contents=contents,
            topics=topics,
            issues_certificate=issues_certificate,
            certificate_months=24 if issues_certificate else None,
            activity_iris=activity_iris,
        ),
    )


def course_class(
    of: Course,
    organiser: Unit,
    *,
    code: str = "",
    capacity: int = 20,
    start: datetime.date = datetime.date(2025, 3, 3),
    end: datetime.date = datetime.date(2025, 3, 5),
    status: str = ClassStatus.OPEN,
    instructors: tuple[Instructor, ...] = (),
) -> CourseClass:
    """Create a class of `of`, open for enrolment by default."""
    return classes.create_class(
        acting_user=None,
        course=of,
        code=code or f"L{next(_codes):04d}",
        data=classes.ClassInput(
            organiser=organiser,
            start_date=start,
            end_date=end,
            capacity=capacity,
            venue="Trường Hải quan Việt Nam, Hà Nội",
            instructors=instructors,
            status=status,
        ),
    )


def session(
    of: CourseClass,
    day: datetime.date,
    hours: Decimal = Decimal(4),
    *,
    at: datetime.time = datetime.time(8, 0),
    instructor: Instructor | None = None,
) -> ClassSession:
    """Add a session to a class."""
    return classes.add_session(
        acting_user=None,
        course_class=of,
        date=day,
        starts_at=at,
        hours=hours,
        title=f"Buổi {day:%d/%m}",
        instructor=instructor,
    )


def instructor(
    person: Person | None = None, *, name: str = "Trần Minh Quân", kind: str = ""
) -> Instructor:
    """Create an instructor: the officer `person` (in-house) or an external person."""
    return catalogue.create_instructor(
        acting_user=None,
        data=catalogue.InstructorInput(
            kind=kind or ("in_house" if person else "external"),
            person=person,
            full_name="" if person else name,
            organisation="" if person else "Học viện Tài chính",
        ),
    )


def training_office(username: str, unit: Unit, **kwargs: object) -> User:
    """Create a training-office account over `unit`."""
    from tests.factories.org import account

    user = account(username, ("training_office", unit), **kwargs)  # type: ignore[arg-type]
    assert isinstance(user, User)
    return user
