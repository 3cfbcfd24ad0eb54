"""Build ledger state as a test's given step: statements through the real xAPI store."""

import datetime
import itertools
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings

from lifelong.learning.models import Course, CourseActivity, CourseContent
from lifelong.lrs.store import iri_hash, store_statements
from lifelong.org import services
from lifelong.org.models import JobPosition, Person

ADL = "http://adlnet.gov/expapi/verbs/"
_codes = itertools.count(1)


def statement(
    actor: Person | dict[str, Any],
    verb: str = "completed",
    activity: str = "",
    *,
    duration: str | None = None,
    timestamp: str | datetime.datetime = "2025-06-01T09:00:00+07:00",
    registration: str | None = None,
    extensions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return an e-learning system's statement about `actor` (an officer or an actor)."""
    if isinstance(actor, Person):
        actor = {"account": {"homePage": settings.SITE_URL, "name": actor.officer_code}}
    built: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": ADL + verb},
        "object": {
            "id": activity or f"https://lms.example.test/course/{next(_codes)}",
            "definition": {"name": {"vi-VN": "Khóa học thử nghiệm"}},
        },
        "timestamp": timestamp if isinstance(timestamp, str) else timestamp.isoformat(),
    }
    if duration:
        built["result"] = {"duration": duration}
    context: dict[str, Any] = {}
    if registration:
        context["registration"] = registration
    if extensions:
        context["extensions"] = extensions
    if context:
        built["context"] = context
    return built


def send(*statements: dict[str, Any]) -> list[str]:
    """Store statements as an e-learning client would (the projection runs on commit)."""
    return [str(s) for s in store_statements(list(statements), client=None)]


def learn(officer: Person, hours: int | str, *, year: int = 2025) -> None:
    """Give `officer` a completed activity of `hours` clock hours in `year`."""
    send(statement(officer, duration=f"PT{hours}H", timestamp=f"{year}-05-10T09:00:00+07:00"))


def course(
    hours: str = "6",
    *,
    category: str = "job_skills",
    contents: tuple[str, ...] = ("job_position",),
    iri: str = "",
) -> tuple[Course, str]:
    """Create a catalogue course and an activity IRI that maps to it."""
    n = next(_codes)
    row = Course.objects.create(
        code=f"KH{n:04d}",
        title=f"Khóa học {n}",
        periods=Decimal(hours) * 60 / 45,
        hours=Decimal(hours),
        level="basic",
        provider="customs_school",
        delivery_mode="elearning",
        category=category,
    )
    for content in contents:
        CourseContent.objects.create(course=row, content=content)
    iri = iri or f"https://lms.example.test/mapped/{n}"
    CourseActivity.objects.create(iri=iri, iri_hash=iri_hash(iri), course=row)
    return row, iri


def job_position(group: str) -> JobPosition:
    """Create a job position of `group`."""
    n = next(_codes)
    return services.create_job_position(
        acting_user=None, code=f"VT{n:04d}", name=f"Vị trí {n}", group=group
    )
