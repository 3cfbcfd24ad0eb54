"""Write the demo's learning: catalogue rows, then 2024-2026 history through the xAPI store.

`learning_plan.py` decides everything from the seed. The catalogue, instructors, classes,
enrolments, self-study declarations and certificates are written as rows (bulk, with the sort
keys and search text the catalogue services compute). Every learning event is a statement:
the LMS's through `lrs.store.store_statements(batch, client=<the LMS client>,
run_hooks=False)`, Lifelong's own (class attendance, completions, approved self-study) with
no client as `learning.xapi.write` does, in batches of at most 1,000. One projection pass
(`lrs.hooks.run_consumers()`) then builds records, claims and the yearly ledger, with the same
validation and rules as any statement: nothing writes the ledger directly.
"""

import datetime
import gc
import os
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from multiprocessing import get_all_start_methods, get_context
from typing import Any

import django
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from lifelong.core.text import fold, sort_key
from lifelong.demo import learning_plan as lp
from lifelong.learning import xapi
from lifelong.learning.models import (
    AnnualTarget,
    Attendance,
    Certificate,
    ClassSession,
    Course,
    CourseActivity,
    CourseClass,
    CourseContent,
    Enrolment,
    EnrolmentStatement,
    Instructor,
    LearningRecord,
    LedgerClaim,
    LedgerYear,
    Programme,
    ProgrammeCourse,
    SelfStudy,
    Topic,
    WcoAccreditation,
)
from lifelong.learning.rules.ledger import BUSINESS_ZONE
from lifelong.lrs import hooks
from lifelong.lrs.models import Client, Statement, StatementActivity, StatementAgent
from lifelong.lrs.services import create_client
from lifelong.lrs.store import (
    MAX_BATCH,
    PreparedStatement,
    db_uuid,
    insert_rows,
    insert_rows_returning_keys,
    iri_hash,
    prepare_statements,
    store_prepared,
    store_statements,
)
from lifelong.org.models import Person, Unit

__all__ = ["HISTORY_MODES", "LearningCounts", "build_learning"]

HISTORY_MODES = ("standard", "full", "none")
OFFICER_CHUNK = 500
# Statements per page of the one projection pass (the store's own commits use hooks.PAGE_SIZE).
PROJECTION_PAGE = 25_000
ADL = "http://adlnet.gov/expapi/verbs/"
Progress = Callable[[str, int], None]


@dataclass
class LearningCounts:
    """What the learning build wrote, and how long its parts took."""

    courses: int = 0
    instructors: int = 0
    classes: int = 0
    enrolments: int = 0
    self_study: int = 0
    certificates: int = 0
    statements: int = 0
    lms_statements: int = 0
    projected: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


#
# Catalogue and instructors
#


def _catalogue() -> dict[str, Course]:
    topics = {
        code: Topic(code=code, name=name, name_en=name_en, sort_key=sort_key(name))
        for code, name, name_en in lp.TOPICS
    }
    Topic.objects.bulk_create(topics.values())
    school = Unit.objects.filter(code="THQ").first()
    courses: dict[str, Course] = {}
    for spec in lp.COURSES:
        names = [topics[t].name for t in spec.topics]
        words = [spec.code, spec.title, spec.title_en, spec.provider_name, *names]
        courses[spec.code] = Course(
            code=spec.code,
            title=spec.title,
            title_en=spec.title_en,
            description=spec.title_en,
            periods=Decimal(spec.periods),
            hours=spec.hours,
            level=spec.level,
            provider=spec.provider,
            provider_unit=school if spec.provider == lp.CS else None,
            provider_name=spec.provider_name,
            delivery_mode=spec.delivery,
            category=spec.category,
            issues_certificate=spec.certificate_months is not None,
            certificate_months=spec.certificate_months or None,
            sort_key=sort_key(spec.title, spec.code),
            search_text=fold(" ".join(w for w in words if w))[:1200],
        )
    Course.objects.bulk_create(courses.values())
    CourseContent.objects.bulk_create(
        CourseContent(course=courses[s.code], content=c) for s in lp.COURSES for c in s.contents
    )
    through = Course.topics.through
    through.objects.bulk_create(
        through(course_id=courses[s.code].pk, topic_id=topics[t].pk)
        for s in lp.COURSES
        for t in s.topics
    )
    activities: list[CourseActivity] = []
    for spec in lp.COURSES:
        iris = [xapi.activity_iri("course", spec.code)]
        if spec.lms:
            home = lp.CLIKC_HOME if spec.provider == lp.WCO else lp.LMS_HOME
            iris.append(f"{home}/courses/{spec.code.lower()}")
        activities.extend(
            CourseActivity(iri=iri, iri_hash=iri_hash(iri), course=courses[spec.code])
            for iri in iris
        )
    CourseActivity.objects.bulk_create(activities)
    for code, title, title_en, steps in lp.PROGRAMMES:
        programme = Programme.objects.create(
            code=code,
            title=title,
            title_en=title_en,
            sort_key=sort_key(title, code),
            search_text=fold(" ".join([code, title, title_en]))[:1200],
        )
        ProgrammeCourse.objects.bulk_create(
            ProgrammeCourse(programme=programme, course=courses[c], position=n)
            for n, c in enumerate(steps, start=1)
        )
    if not AnnualTarget.objects.exists():
        AnnualTarget.objects.create(
            position_group="",
            from_year=2024,
            hours=Decimal(30),
            source="Kế hoạch xây dựng xã hội học tập ngành Hải quan 2024-2030",
        )
    return courses


def _instructors(rng: random.Random) -> tuple[dict[str, Instructor], list[lp.InstructorSpec]]:
    # The school's teachers first, then its other staff: in-house instructors are officers.
    school = Person.objects.filter(unit__code="THQ", status="active").order_by("officer_code")
    teachers = list(
        school.filter(job_position__code="NV-GV").values_list("officer_code", flat=True)
    )
    teachers += [c for c in school.values_list("officer_code", flat=True) if c not in teachers]
    teachers = teachers[:30]
    leaders = list(
        Person.objects.filter(unit__code__startswith="CHQ-", job_position__code__startswith="LD-")
        .order_by("officer_code")
        .values_list("officer_code", flat=True)[:20]
    )
    specs = lp.plan_instructors(rng, teachers, leaders)
    people = Person.objects.in_bulk(
        [s.officer for s in specs if s.officer], field_name="officer_code"
    )
    topics = dict(Topic.objects.values_list("code", "pk"))
    topic_names = dict(Topic.objects.values_list("code", "name"))
    rows: dict[str, Instructor] = {}
    for spec in specs:
        person = people.get(spec.officer) if spec.officer else None
        name = person.full_name if person is not None else spec.full_name
        parts = name.split()
        words = [
            name,
            spec.organisation,
            spec.officer or "",
            *(topic_names[t] for t in spec.topics),
        ]
        rows[spec.key] = Instructor(
            person=person,
            full_name=name,
            organisation=spec.organisation or "Cục Hải quan",
            email=person.work_email if person is not None else "",
            kind=spec.kind,
            sort_key=person.sort_key if person is not None else sort_key(parts[-1], *parts[:-1]),
            search_text=fold(" ".join(w for w in words if w))[:1200],
        )
    Instructor.objects.bulk_create(rows.values())
    through = Instructor.topics.through
    through.objects.bulk_create(
        through(instructor_id=rows[s.key].pk, topic_id=topics[t]) for s in specs for t in s.topics
    )
    WcoAccreditation.objects.bulk_create(
        WcoAccreditation(
            instructor=rows[s.key], area=area, status=status, valid_from=start, valid_until=until
        )
        for s in specs
        for area, status, start, until in s.accreditations
    )
    return rows, specs


#
# Classes
#


@dataclass
class _ClassRows:
    classes: dict[str, CourseClass]
    sessions: dict[str, list[ClassSession]]


def _classes(
    rng: random.Random,
    officers: int,
    instructors: dict[str, Instructor],
    planned: list[lp.InstructorSpec],
    courses: dict[str, Course],
) -> tuple[list[lp.ClassSpec], _ClassRows]:
    regions = sorted(
        Unit.objects.filter(code__regex=r"^KV[0-9]+$", valid_to__isnull=True).values_list(
            "code", flat=True
        )
    )
    specs = lp.plan_classes(rng, officers, regions or ["THQ"], planned)
    units = dict(
        Unit.objects.filter(code__in={s.organiser for s in specs}).values_list("code", "pk")
    )
    classes = {
        s.code: CourseClass(
            code=s.code,
            course=courses[s.course],
            organiser_id=units[s.organiser],
            start_date=s.start,
            end_date=s.end,
            venue=s.venue,
            capacity=s.capacity,
            status=s.status,
        )
        for s in specs
    }
    CourseClass.objects.bulk_create(classes.values())
    through = CourseClass.instructors.through
    through.objects.bulk_create(
        through(courseclass_id=classes[s.code].pk, instructor_id=instructors[k].pk)
        for s in specs
        for k in s.instructors
    )
    sessions: dict[str, list[ClassSession]] = {}
    for spec in specs:
        sessions[spec.code] = [
            ClassSession(
                course_class=classes[spec.code],
                date=one.date,
                starts_at=datetime.time(8, 0),
                hours=one.hours,
                title=one.title,
                instructor=instructors[spec.instructors[0]] if spec.instructors else None,
            )
            for one in spec.sessions
        ]
    ClassSession.objects.bulk_create(s for rows in sessions.values() for s in rows)
    return specs, _ClassRows(classes, sessions)


#
# Statements
#


class _Ids:
    """Deterministic statement ids drawn from the seed (a build gives the same ids again)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed * 7919 + 17)

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def _moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BUSINESS_ZONE)


class _Sink:
    """Collects statements per client and stores each full batch of MAX_BATCH, in order.

    With a `worker` (a process pool of one), each batch is validated, enriched and prepared
    there (`store.prepare_statements`, pure) while this process stores the batches before
    it (`store.store_prepared`): the two halves of `store_statements` on two cores. At most
    PENDING batches wait, so memory stays bounded; they are stored in the order they came.
    """

    PENDING = 4

    def __init__(self, lms: Client, worker: Executor | None = None) -> None:
        self.lms = lms
        self.worker = worker
        self.postgres = connection.vendor == "postgresql"
        self.own: list[dict[str, Any]] = []
        self.lms_batch: list[dict[str, Any]] = []
        self.pending: deque[
            tuple[Future[list[PreparedStatement]], list[dict[str, Any]], Client | None]
        ] = deque()
        self.stored = 0
        self.lms_stored = 0

    def add_own(self, statements: Iterable[dict[str, Any]]) -> None:
        self.own.extend(statements)
        if len(self.own) >= MAX_BATCH:
            self._flush_own()

    def add_lms(self, statements: Iterable[dict[str, Any]]) -> None:
        self.lms_batch.extend(statements)
        if len(self.lms_batch) >= MAX_BATCH:
            self._flush_lms()

    def _flush_own(self) -> None:
        while self.own:
            batch, self.own = self.own[:MAX_BATCH], self.own[MAX_BATCH:]
            self._store(batch, None)

    def _flush_lms(self) -> None:
        while self.lms_batch:
            batch, self.lms_batch = self.lms_batch[:MAX_BATCH], self.lms_batch[MAX_BATCH:]
            self._store(batch, self.lms)
            self.lms_stored += len(batch)

    def _store(self, batch: list[dict[str, Any]], client: Client | None) -> None:
        self.stored += len(batch)
        if self.worker is None:
            store_statements(batch, client=client, run_hooks=False)
            return
        work = self.worker.submit(prepare_statements, batch, client=client, postgres=self.postgres)
        self.pending.append((work, batch, client))
        while len(self.pending) > self.PENDING:
            self._store_next()

    def _store_next(self) -> None:
        work, batch, client = self.pending.popleft()
        try:
            prepared = work.result()
        except BrokenProcessPool:
            # The worker could not start or died (an embedding program without a main
            # guard, memory): this process prepares the rest itself, with the same result.
            self.worker = None
            prepared = prepare_statements(batch, client=client, postgres=self.postgres)
        store_prepared(prepared, client=client, run_hooks=False)

    def flush(self) -> None:
        self._flush_own()
        self._flush_lms()
        while self.pending:
            self._store_next()


@contextmanager
def _preparing_worker(enabled: bool) -> Iterator[Executor | None]:
    """A process that prepares statement batches, when asked and when it can help.

    It needs no database (`prepare_statements` runs no query). Forked when this process
    runs no other thread (the fastest: it inherits the loaded code and memory, measured
    about 10 s sooner on the 10,000-officer build); else started by a fork server, which
    loads Django once (forking a process with threads can deadlock the child). None on a
    machine of one core or where neither way exists.
    """
    methods = get_all_start_methods()
    method = "fork" if threading.active_count() == 1 else "forkserver"
    if not enabled or (os.cpu_count() or 1) < 2 or method not in methods:
        yield None
        return
    initializer = gc.disable if method == "fork" else _start_worker
    with ProcessPoolExecutor(
        max_workers=1, mp_context=get_context(method), initializer=initializer
    ) as pool:
        yield pool


def _start_worker() -> None:
    """Load Django in a fork server's preparing process; no cyclic GC (`_no_cyclic_gc`).

    The process lives for one build: what little it allocates in cycles is freed with it.
    """
    django.setup()
    gc.disable()


def _lms_client() -> Client:
    found = Client.objects.filter(name=lp.LMS_CLIENT_NAME).first()
    if found is not None:
        return found
    client, _secret = create_client(
        acting_user=None, name=lp.LMS_CLIENT_NAME, scopes=["statements/write", "statements/read"]
    )
    return client


def _lms_actor(person: Person, kind: str) -> dict[str, Any]:
    if kind == "account":
        return xapi.actor_for(person)
    if kind == "mbox":
        return {
            "objectType": "Agent",
            "name": person.full_name,
            "mbox": f"mailto:{person.work_email}",
        }
    # An actor the LMS knows by a private e-mail: nobody matches it until an administrator does.
    return {
        "objectType": "Agent",
        "name": person.full_name,
        "mbox": f"mailto:hocvien.{person.officer_code.lower()}@ca-nhan.demo.test",
    }


def _lms_statements(
    person: Person, attempt: lp.ElearningSpec, ids: _Ids, lms_name: str
) -> list[dict[str, Any]]:
    actor = _lms_actor(person, attempt.actor)
    context: dict[str, Any] = {
        "registration": str(attempt.registration),
        "platform": lms_name,
        "language": "vi-VN",
    }
    obj = {
        "objectType": "Activity",
        "id": attempt.iri,
        "definition": {
            "name": {"vi-VN": attempt.name},
            "type": "http://adlnet.gov/expapi/activities/course",
        },
    }
    out: list[dict[str, Any]] = []
    finished = attempt.finished_at

    def one(verb: str, target: dict[str, Any], when: datetime.datetime, **extra: Any) -> None:
        out.append(
            {
                "id": str(ids()),
                "actor": actor,
                "verb": {"id": ADL + verb, "display": {"en-US": verb}},
                "object": target,
                "timestamp": when.isoformat(),
                "context": context,
                **extra,
            }
        )

    if attempt.modules:
        # Full history: what an LMS sends besides completions (stored, never counted).
        start = finished - datetime.timedelta(hours=attempt.modules)
        one("launched", obj, start)
        for number in range(1, attempt.modules + 1):
            module = {
                "objectType": "Activity",
                "id": f"{attempt.iri}/modules/{number}",
                "definition": {"name": {"vi-VN": f"{attempt.name} - Bài {number}"}},
            }
            one("experienced", module, start + datetime.timedelta(minutes=50 * number))
        one("terminated", obj, finished - datetime.timedelta(minutes=5))
    result: dict[str, Any] = {"completion": True}
    if attempt.hours is not None:
        result["duration"] = xapi.duration(attempt.hours)
    one("completed", obj, finished, result=result)
    if attempt.score is not None:
        one(
            "passed",
            obj,
            finished + datetime.timedelta(minutes=2),
            result={
                "score": {
                    "scaled": float(attempt.score) / 10,
                    "raw": float(attempt.score),
                    "min": 0,
                    "max": 10,
                },
                "success": True,
            },
        )
    if attempt.voided:
        one(
            "voided",
            {
                "objectType": "StatementRef",
                "id": out[-1]["id"] if attempt.score is None else out[-2]["id"],
            },
            finished + datetime.timedelta(days=1),
        )
        # A voiding statement carries no context (Data 2.3.2 needs none).
        out[-1].pop("context")
        out[-1]["verb"] = {"id": xapi.VERB_VOIDED, "display": {"en-US": "voided"}}
    return out


#
# The history of one chunk of officers
#


@dataclass
class _Refs:
    classes: _ClassRows
    courses: dict[str, Course]
    contents: dict[str, list[str]]
    specs: dict[str, lp.ClassSpec]


_ATTENDANCE_FIELDS = (
    "enrolment",
    "session",
    "present",
    "statement_id",
    "recorded_by",
    "recorded_at",
)
_ENROLMENT_STATEMENT_FIELDS = ("enrolment", "statement_id", "verb", "hours", "voided", "created_at")
_ENROLMENT_FIELDS = (
    "course_class",
    "person",
    "source",
    "status",
    "registration",
    "score",
    "passed",
    "completed_at",
    "enrolled_at",
)
_SELF_STUDY_FIELDS = (
    "person",
    "topic",
    "method",
    "learned_on",
    "hours",
    "category",
    "content",
    "learned",
    "status",
    "return_reason",
    "reviewed_at",
    "statement_id",
    "created_at",
    "updated_at",
)


def _write_chunk(
    chunk: list[lp.OfficerHistory],
    people: dict[str, Person],
    refs: _Refs,
    sink: _Sink,
    ids: _Ids,
    counts: LearningCounts,
) -> None:
    # Enrolments and self-study declarations are written as raw rows too (their keys come
    # back from `insert_rows_returning_keys`): `bulk_create` prepared each value of some
    # 50,000 rows field by field, about 3 s of a standard build.
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    enrolments: list[tuple[Any, ...]] = []
    plans: list[lp.EnrolmentSpec] = []
    for history in chunk:
        for spec in history.enrolments:
            course_class = refs.classes.classes[spec.class_code]
            status = "completed" if spec.completed else "enrolled"
            if refs.specs[spec.class_code].status == "finished" and not spec.completed:
                status = "not_completed"
            end = _moment(refs.specs[spec.class_code].end, 17, 30) if spec.completed else None
            enrolments.append(
                (
                    course_class.pk,
                    people[spec.officer].pk,
                    spec.source,
                    status,
                    db_uuid(spec.registration),
                    spec.score,
                    spec.passed,
                    adapt(end) if end is not None else None,
                    now,
                )
            )
            plans.append(spec)
    enrolment_keys = insert_rows_returning_keys(Enrolment, _ENROLMENT_FIELDS, enrolments)
    # Attendance and enrolment statements are the most numerous rows besides statements:
    # written as raw rows (`insert_rows`), with the values their fields would save.
    attendance: list[tuple[Any, ...]] = []
    written: list[tuple[Any, ...]] = []
    own: list[dict[str, Any]] = []
    for enrolled, spec in zip(enrolment_keys, plans, strict=True):
        class_spec = refs.specs[spec.class_code]
        course = refs.courses[class_spec.course]
        sessions = refs.classes.sessions[spec.class_code]
        person = people[spec.officer]
        common: dict[str, Any] = {
            "person": person,
            "activity": xapi.activity_iri("course", course.code),
            "name": course.title,
            "registration": spec.registration,
            "category": course.category,
            "contents": refs.contents[course.code],
            "grouping": [xapi.activity_iri("class", class_spec.code)],
        }
        total = Decimal(0)
        for session, present in zip(sessions, spec.attended, strict=False):
            statement_id = None
            if present:
                total += session.hours
                statement_id = ids()
                own.append(
                    xapi.statement(
                        verb_name="attended",
                        timestamp=_moment(session.date, 17),
                        hours=total,
                        statement_id=statement_id,
                        **common,
                    )
                )
                written.append((enrolled, db_uuid(statement_id), "attended", total, False, now))
            attendance.append((enrolled, session.pk, present, db_uuid(statement_id), None, now))
        if spec.completed:
            end = _moment(class_spec.end, 17, 30)
            extras: tuple[tuple[str, dict[str, Any]], ...] = (
                ("completed", {}),
                ("passed", {"score": spec.score, "success": True}),
            )
            for verb_name, extra in extras:
                if verb_name == "passed" and not spec.passed:
                    continue
                statement_id = ids()
                own.append(
                    xapi.statement(
                        verb_name=verb_name,
                        timestamp=end,
                        hours=total,
                        statement_id=statement_id,
                        **common,
                        **extra,
                    )
                )
                written.append((enrolled, db_uuid(statement_id), verb_name, total, False, now))
    insert_rows(Attendance, _ATTENDANCE_FIELDS, attendance)
    insert_rows(EnrolmentStatement, _ENROLMENT_STATEMENT_FIELDS, written)
    counts.enrolments += len(enrolments)

    # Approved self-study: the declaration, then its statement (an edit voids and replaces it).
    studies: list[tuple[lp.SelfStudySpec, uuid.UUID, uuid.UUID | None]] = []
    declarations: list[tuple[Any, ...]] = []
    for history in chunk:
        for study in history.self_study:
            first = ids() if study.corrected_from is not None else None
            current = ids()
            reviewed = _moment(study.learned_on, 16) + datetime.timedelta(days=3)
            declarations.append(
                (
                    people[study.officer].pk,
                    study.topic,
                    study.method,
                    study.learned_on.isoformat(),
                    study.hours,
                    study.category,
                    study.content,
                    study.learned,
                    "approved",
                    "",
                    adapt(reviewed),
                    db_uuid(current),
                    now,
                    now,
                )
            )
            studies.append((study, current, first))
    keys = insert_rows_returning_keys(SelfStudy, _SELF_STUDY_FIELDS, declarations)
    for key, (study, current, first) in zip(keys, studies, strict=True):
        person = people[study.officer]
        common = {
            "person": person,
            "verb_name": "completed",
            "activity": xapi.activity_iri("self-study", key),
            "name": study.topic[:300],
            "timestamp": _moment(study.learned_on, 12),
            "category": study.category,
            "contents": [study.content],
        }
        if first is not None and study.corrected_from is not None:
            own.append(xapi.statement(hours=study.corrected_from, statement_id=first, **common))
            voiding = xapi.voiding(person, first, timestamp=_moment(study.learned_on, 12))
            voiding["id"] = str(ids())
            own.append(voiding)
        own.append(xapi.statement(hours=study.hours, statement_id=current, **common))
    counts.self_study += len(studies)

    Certificate.objects.bulk_create(
        Certificate(
            person=people[spec.officer],
            kind="external",
            field=spec.field,
            title=spec.title,
            issuer=spec.issuer,
            level=spec.level,
            issued_on=spec.issued_on,
            expires_on=spec.expires_on,
        )
        for history in chunk
        for spec in history.certificates
    )
    counts.certificates += sum(len(h.certificates) for h in chunk)
    sink.add_own(own)
    lms: list[dict[str, Any]] = []
    for history in chunk:
        person = people[history.officer.code]
        for attempt in history.elearning:
            lms.extend(_lms_statements(person, attempt, ids, sink.lms.name))
    sink.add_lms(lms)


#
# The build
#


def _officers() -> tuple[list[lp.OfficerFacts], dict[str, Person]]:
    people = {
        p.officer_code: p
        for p in Person.objects.select_related("unit", "job_position").order_by("officer_code")
    }
    facts = [
        lp.OfficerFacts(
            code=p.officer_code,
            unit=p.unit.code,
            email=p.work_email,
            position=p.job_position.code if p.job_position else "",
            leader=bool(p.job_position and p.job_position.code.startswith("LD-")),
            hire_date=p.hire_date or datetime.date(2000, 1, 1),
        )
        for p in people.values()
    ]
    return facts, people


# The store's tables, and the only secondary indexes the build's own queries need while it
# writes the history: voiding by `ref_id`.
_STATEMENT_TABLES = (Statement, StatementAgent, StatementActivity)
_USED_WHILE_WRITING = ('("ref_id")',)
# The projection's tables, and the indexes its pass reads: the claims of (person, key) and
# the claims of (person, year); the unique ones stay anyway.
_LEDGER_TABLES = (LearningRecord, LedgerClaim, LedgerYear)
_USED_WHILE_PROJECTING = frozenset({"learning_record_claim", "learning_claim_person_year"})


def _used_while_writing(_name: str, sql: str) -> bool:
    return sql.rstrip().endswith(_USED_WHILE_WRITING)


def _used_while_projecting(name: str, _sql: str) -> bool:
    return name in _USED_WHILE_PROJECTING


@contextmanager
def _deferred_indexes(
    models: Sequence[type[Model]], used: Callable[[str, str], bool]
) -> Iterator[None]:
    """On SQLite, build `models`' secondary indexes once, after a bulk load.

    Inserting 300,000 statements (or their records) into a dozen B-tree indexes costs more
    than the rows themselves; creating each index afterwards from the loaded rows (one sort)
    costs far less. Unique indexes (ids, `seq`) and those the load reads (`used`, given the
    index's name and SQL) stay. The indexes are created again with their own SQL, so the
    schema ends as migrations left it. Runs inside the build's transaction: a failed build
    rolls the drop back too.
    """
    if connection.vendor != "sqlite":
        yield
        return
    tables = [model._meta.db_table for model in models]
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608 - placeholders only
            f"AND tbl_name IN ({marks}) ORDER BY name",
            tables,
        )
        deferred = [
            (name, sql)
            for name, sql in cursor.fetchall()
            if not sql.upper().startswith("CREATE UNIQUE") and not used(name, sql)
        ]
        for name, _sql in deferred:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, sql in deferred:
            cursor.execute(sql)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a phase allocates millions of objects.

    The statements and their index rows are freed by reference counting; the collector's
    full passes over every live object (the build's plans, people and caches) are wasted
    work that grows with the build. Restored (and one collection run) afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def _chunks(items: Iterator[lp.OfficerHistory], size: int) -> Iterator[list[lp.OfficerHistory]]:
    while chunk := list(islice(items, size)):
        yield chunk


def build_learning(
    *,
    seed: int,
    history: str = "standard",
    progress: Progress | None = None,
    parallel: bool = False,
) -> LearningCounts:
    """Write the catalogue, instructors and (unless `history` is "none") 2024-2026 history.

    Runs in the caller's transaction. Statements go through the store's bulk path in batches
    of at most 1,000, then one projection pass builds the ledger. `parallel` prepares the
    batches in a second process (`_Sink`); the result is the same, row for row.
    """
    if history not in HISTORY_MODES:
        raise ValueError(f"unknown history mode {history!r}")
    counts = LearningCounts()
    clock = time.perf_counter()
    rng = random.Random(seed * 31 + 4)
    courses = _catalogue()
    counts.courses = len(courses)
    instructors_rng = random.Random(seed * 31 + 5)
    instructors, planned = _instructors(instructors_rng)
    counts.instructors = len(instructors)
    counts.seconds["catalogue"] = round(time.perf_counter() - clock, 3)
    if history == "none":
        return counts
    facts, people = _officers()
    class_specs, class_rows = _classes(rng, len(facts), instructors, planned, courses)
    counts.classes = len(class_specs)
    refs = _Refs(
        classes=class_rows,
        courses=courses,
        contents={c.code: list(c.contents) for c in lp.COURSES},
        specs={s.code: s for s in class_specs},
    )
    ids = _Ids(seed)
    plans = lp.plan_history(rng, facts, class_specs, full=history == "full")
    with (
        _preparing_worker(parallel) as worker,
        _no_cyclic_gc(),
        _deferred_indexes(_STATEMENT_TABLES, _used_while_writing),
    ):
        sink = _Sink(_lms_client(), worker)
        for chunk in _chunks(plans, OFFICER_CHUNK):
            _write_chunk(chunk, people, refs, sink, ids, counts)
            if progress is not None:
                progress("officers", len(chunk))
        sink.flush()
    counts.statements = sink.stored
    counts.lms_statements = sink.lms_stored
    counts.seconds["statements"] = round(time.perf_counter() - clock, 3)
    # One catch-up pass over the whole history: large pages, fewer queries per statement.
    with _no_cyclic_gc(), _deferred_indexes(_LEDGER_TABLES, _used_while_projecting):
        projected = hooks.run_consumers(page_size=PROJECTION_PAGE)
    counts.projected = max(projected.values(), default=0)
    counts.seconds["projection"] = round(time.perf_counter() - clock, 3)
    return counts
