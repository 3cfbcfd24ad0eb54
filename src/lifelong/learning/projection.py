"""The learning projection: the `statements_stored` consumer that builds records and the ledger.

From each page of stored statements (in `seq` order, at least once):

1. counted statements (completed, passed, attended; `rules.ledger`) of an Agent become
   `LearningRecord` rows, keyed on the statement's `seq` so a re-delivery changes nothing;
2. the actor is matched to an officer: an administrator's `ActorLink` first, then the
   officer's account (homePage = LIFELONG_SITE_URL, name = officer code), then the work
   e-mail as mbox; an actor that matches nobody is kept as an `UnknownActor`;
3. voiding statements mark their targets' records voided;
4. each touched (officer, activity + registration) claim is decided again (largest wins,
   voided never counts) and each touched (officer, year) `LedgerYear` summed again.

Dashboards read `LedgerYear`; nothing here scans the statements table.
"""

import datetime
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Field, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import ValidationFailed
from lifelong.learning.choices import HoursSource, TrainingCategory
from lifelong.learning.models import (
    ActorLink,
    CourseActivity,
    LearningRecord,
    LedgerClaim,
    LedgerYear,
    UnknownActor,
)
from lifelong.learning.rules import ledger
from lifelong.learning.xapi import EXT_CATEGORY_PATH, EXT_CONTENTS_PATH, VERB_VOIDED
from lifelong.lrs.agents import agent_ifi
from lifelong.lrs.hooks import StoredStatement
from lifelong.lrs.queries import sequence_numbers
from lifelong.lrs.store import db_uuid, in_json_array, insert_rows, iri_hash
from lifelong.org.models import Person

__all__ = ["CONSUMER", "match_actor", "project", "recompute"]

CONSUMER = "learning.records"
_MAX_NAME = 300


def project(page: Sequence[StoredStatement]) -> None:
    """Project one page of stored statements (idempotent; one transaction)."""
    with transaction.atomic():
        touched = _store_records(page)
        touched |= _apply_voiding(page)
        if touched:
            recompute(touched)


#
# Records
#


def _verb(payload: dict[str, Any]) -> str:
    verb = payload.get("verb")
    return verb.get("id", "") if isinstance(verb, dict) else ""


def _counted(page: Sequence[StoredStatement]) -> list[StoredStatement]:
    counted = []
    for stored in page:
        payload = stored.payload
        obj = payload.get("object") or {}
        actor = payload.get("actor") or {}
        if (
            ledger.counted_verb(_verb(payload))
            and obj.get("objectType", "Activity") == "Activity"
            and actor.get("objectType", "Agent") == "Agent"
        ):
            counted.append(stored)
    return counted


def _resolve(ifis: set[str]) -> dict[str, int]:
    """Return the officer (person id) each IFI stands for, where one does.

    An administrator's `ActorLink` first, then the officer's account, then the work e-mail:
    one query for the three (this runs for every page, inside the write under load).
    """
    if not ifis:
        return {}
    # The officer's account: homePage LIFELONG_SITE_URL, with or without a trailing slash.
    prefixes = (f"account:{settings.SITE_URL} ", f"account:{settings.SITE_URL}/ ")
    codes = {
        ifi.removeprefix(prefix): ifi
        for ifi in ifis
        for prefix in prefixes
        if ifi.startswith(prefix)
    }
    emails = {
        ifi.removeprefix("mbox:mailto:").lower(): ifi
        for ifi in ifis
        if ifi.startswith("mbox:mailto:")
    }
    qn = connection.ops.quote_name
    links = qn(ActorLink._meta.db_table)
    people = qn(Person._meta.db_table)
    sql = (
        f"SELECT 0, ifi, person_id FROM {links} WHERE {in_json_array('ifi')} "  # noqa: S608 - identifiers only
        f"UNION ALL SELECT 1, officer_code, id FROM {people} WHERE {in_json_array('officer_code')} "
        f"UNION ALL SELECT 2, LOWER(work_email), id FROM {people} "
        f"WHERE {in_json_array('LOWER(work_email)')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [json.dumps(list(ifis)), json.dumps(list(codes)), json.dumps(list(emails))]
        )
        found_rows = cursor.fetchall()
    by_kind: list[dict[str, int]] = [{}, {}, {}]
    for kind, key, pk in found_rows:
        by_kind[kind][key] = pk
    found = dict(by_kind[0])
    for code, pk in by_kind[1].items():
        found.setdefault(codes[code], pk)
    for email, pk in by_kind[2].items():
        found.setdefault(emails[email], pk)
    return found


def _extension(payload: dict[str, Any], path: str) -> Any:
    context = payload.get("context")
    extensions = context.get("extensions") if isinstance(context, dict) else None
    if not isinstance(extensions, dict):
        return None
    for key, value in extensions.items():
        if isinstance(key, str) and key.endswith(path):
            return value
    return None


def _activity_name(obj: dict[str, Any]) -> str:
    names = (obj.get("definition") or {}).get("name") or {}
    if not isinstance(names, dict) or not names:
        return ""
    for language in ("vi-VN", "vi", "en-US", "en"):
        if isinstance(names.get(language), str):
            return names[language][:_MAX_NAME]
    first = next(iter(names.values()))
    return first[:_MAX_NAME] if isinstance(first, str) else ""


_RECORD_FIELDS = (
    "statement_id",
    "seq",
    "person",
    "actor_ifi",
    "verb",
    "activity_iri",
    "activity_name",
    "registration",
    "claim_key",
    "course",
    "hours",
    "hours_source",
    "category",
    "contents",
    "occurred_at",
    "year",
    "voided",
    "authority",
)


def _known_records(seqs: list[int]) -> set[int]:
    """Return the numbers among `seqs` whose statements already have a record (re-delivered).

    One query with one JSON parameter; records are unique by their statement's `seq`, whose
    index grows at its end (a statement id's would take a random leaf for every record).
    """
    if not seqs:
        return set()
    table = connection.ops.quote_name(LearningRecord._meta.db_table)
    sql = f"SELECT seq FROM {table} WHERE {in_json_array('seq', integers=True)}"  # noqa: S608 - identifiers only
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(seqs)])
        return {int(found) for (found,) in cursor.fetchall()}


def _store_records(page: Sequence[StoredStatement]) -> set[tuple[int, str]]:
    counted = _counted(page)
    if not counted:
        return set()
    known = _known_records([s.seq for s in counted])
    counted = [s for s in counted if s.seq not in known]
    if not counted:
        return set()
    ifis = {s.id: agent_ifi(s.payload["actor"]) or "" for s in counted}
    people = _resolve({ifi for ifi in ifis.values() if ifi})
    # A page repeats the same activities, durations and moments: each is worked out once.
    digests = {iri: iri_hash(iri) for iri in {s.payload["object"]["id"] for s in counted}}
    hashes = set(digests.values())
    courses = {
        activity.iri_hash: activity.course
        for activity in CourseActivity.objects.filter(iri_hash__in=hashes)
        .select_related("course")
        .prefetch_related("course__contents")
    }
    course_contents = {
        course.pk: [c.content for c in course.contents.all()] for course in courses.values()
    }
    adapt_datetime = connection.ops.adapt_datetimefield_value
    categories = frozenset(TrainingCategory.values)
    # Statement ids come from the store in canonical form (lower case, hyphens).
    native_uuid = connection.features.has_native_uuid_field
    durations: dict[Any, Decimal | None] = {}
    moments: dict[str, tuple[Any, int]] = {}
    registrations: dict[str, Any] = {}  # attended, completed, passed: one registration
    rows: list[tuple[Any, ...]] = []
    touched: set[tuple[int, str]] = set()
    unknown: dict[str, dict[str, Any]] = {}
    unknown_records: dict[str, int] = defaultdict(int)
    for stored in counted:
        payload = stored.payload
        obj = payload["object"]
        iri = obj["id"]
        course = courses.get(digests[iri])
        context = payload.get("context") or {}
        registration = context.get("registration")
        duration = (payload.get("result") or {}).get("duration")
        if duration not in durations:
            durations[duration] = ledger.duration_hours(duration)
        hours = durations[duration]
        source = HoursSource.DURATION
        if hours is None and course is not None:
            hours, source = course.hours, HoursSource.COURSE
        if hours is None:
            source = HoursSource.NONE
        category = _extension(payload, EXT_CATEGORY_PATH)
        contents = _extension(payload, EXT_CONTENTS_PATH)
        if category not in categories:
            category = course.category if course else TrainingCategory.OTHER
        if not isinstance(contents, list):
            contents = course_contents[course.pk] if course else []
        moment = moments.get(payload["timestamp"])
        if moment is None:
            occurred = datetime.datetime.fromisoformat(payload["timestamp"])
            moment = moments[payload["timestamp"]] = (
                adapt_datetime(occurred),
                ledger.business_year(occurred),
            )
        ifi = ifis[stored.id]
        person_id = people.get(ifi)
        if person_id is None and ifi:
            unknown.setdefault(ifi, payload["actor"])
            unknown_records[ifi] += 1
        if registration and registration not in registrations:
            registrations[registration] = db_uuid(uuid.UUID(registration))
        key = ledger.claim_key(iri, registration)
        if person_id is not None:
            touched.add((person_id, key))
        # The values `LearningRecord(...)` would save, in the database's form (insert_rows).
        rows.append(
            (
                stored.id if native_uuid else stored.id.replace("-", ""),
                stored.seq,
                person_id,
                ifi[:512],
                ledger.counted_verb(_verb(payload)) or "",
                iri,
                _activity_name(obj),
                registrations[registration] if registration else None,
                key,
                course.pk if course is not None else None,
                hours,
                source,
                category,
                ",".join(str(c) for c in contents if isinstance(c, str))[:200],
                moment[0],
                moment[1],
                stored.voided,
                _authority_name(payload),
            )
        )
    insert_rows(LearningRecord, _RECORD_FIELDS, rows)
    _remember_unknown(unknown, unknown_records)
    return touched


def _authority_name(payload: dict[str, Any]) -> str:
    authority = payload.get("authority") or {}
    name = authority.get("name") if isinstance(authority, dict) else None
    return name[:_MAX_NAME] if isinstance(name, str) else ""


_UNKNOWN_FIELDS = ("ifi", "name", "actor", "first_seen", "statement_count")


def _remember_unknown(actors: dict[str, dict[str, Any]], counts: dict[str, int]) -> None:
    """Keep the actors that match nobody, and add this page's new records to their counts.

    `counts` are the records just inserted for each actor (a re-delivered statement has
    none: its record was already there), so adding them keeps each count exact without
    counting the actor's records again on every page. One upsert: a new actor is inserted
    with its count, a known one (its name, actor and first sighting kept) gets it added.
    """
    if not actors:
        return
    # The values `UnknownActor(...)` would save, in the database's form (insert_rows): the
    # model instances of `bulk_create` cost a fifth of a page's projection under load.
    postgres = connection.vendor == "postgresql"
    first_seen = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(UnknownActor._meta.db_table)
    rows: dict[str, list[Any]] = {}
    for ifi, actor in actors.items():
        key = ifi[:512]  # two IFIs alike in their first 512 characters share one row
        if key in rows:
            rows[key][4] += counts.get(ifi, 0)
            continue
        rows[key] = [
            key,
            str(actor.get("name") or "")[:_MAX_NAME],
            actor if postgres else json.dumps(actor),
            first_seen,
            counts.get(ifi, 0),
        ]
    insert_rows(
        UnknownActor,
        _UNKNOWN_FIELDS,
        [tuple(row) for row in rows.values()],
        on_conflict=f"ON CONFLICT (ifi) DO UPDATE SET statement_count = "
        f"{table}.statement_count + excluded.statement_count",
    )


def _apply_voiding(page: Sequence[StoredStatement]) -> set[tuple[int, str]]:
    targets = [
        s.payload["object"]["id"]
        for s in page
        if _verb(s.payload) == VERB_VOIDED
        and (s.payload.get("object") or {}).get("objectType") == "StatementRef"
    ]
    if not targets:
        return set()
    # By the targets' numbers: records are indexed by seq, not by statement id.
    records = LearningRecord.objects.filter(seq__in=sequence_numbers(targets), voided=False)
    touched = set(records.exclude(person=None).values_list("person_id", "claim_key"))
    records.update(voided=True)
    return touched


#
# Claims and the yearly ledger
#


def _pairs(model: type[Model], first: str, second: str, pairs: set[tuple[Any, Any]]) -> QuerySet:
    """Return `model`'s rows whose (`first`, `second`) is one of `pairs`.

    One query with one JSON parameter, probing the (first, second) index once per pair:
    `first IN (...) AND second IN (...)` would cross every person with every key. `first`
    IS NOT NULL, which no pair's value can be anyway, lets the planner use an index partial
    on it (LearningRecord's).
    """
    meta = model._meta
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    pk = qn(str(meta.pk.column))
    a = qn(str(cast(Field[Any, Any], meta.get_field(first)).column))
    b = qn(str(cast(Field[Any, Any], meta.get_field(second)).column))
    document = json.dumps([{"a": x, "b": y} for x, y in pairs])
    if connection.vendor == "postgresql":
        kind = "integer" if isinstance(next(iter(pairs))[1], int) else "text"
        sql = (
            f"SELECT t.{pk} FROM jsonb_to_recordset(%s::jsonb) AS j(a bigint, b {kind}) "  # noqa: S608 - identifiers only
            f"JOIN {table} AS t ON t.{a} = j.a AND t.{b} = j.b WHERE t.{a} IS NOT NULL"
        )
    else:
        # CROSS JOIN: SQLite keeps the pairs as the outer loop (index probes, no scan).
        sql = (
            f"SELECT t.{pk} FROM json_each(%s) AS j CROSS JOIN {table} AS t "  # noqa: S608 - identifiers only
            f"ON t.{a} = json_extract(j.value, '$.a') AND t.{b} = json_extract(j.value, '$.b') "
            f"WHERE t.{a} IS NOT NULL"
        )
    return model._default_manager.filter(pk__in=RawSQL(sql, [document]))  # noqa: S611 - identifiers only


_CLAIM_FIELDS = ("person", "claim_key", "record", "year", "hours", "category", "contents")


def recompute(touched: Iterable[tuple[int, str]]) -> None:
    """Decide again the claims of (person id, claim key) pairs and sum their years."""
    touched = set(touched)
    if not touched:
        return
    records: dict[tuple[int, str], list[tuple[Any, ...]]] = defaultdict(list)
    for row in _pairs(LearningRecord, "person", "claim_key", touched).values_list(
        "person_id", "claim_key", "pk", "seq", "hours", "year", "voided", "category", "contents"
    ):
        records[(row[0], row[1])].append(row)
    old = list(
        _pairs(LedgerClaim, "person", "claim_key", touched).values_list("pk", "person_id", "year")
    )
    years = {(person_id, year) for _pk, person_id, year in old}
    fresh: list[tuple[Any, ...]] = []
    for (person_id, key), rows in records.items():
        by_seq = {r[3]: r for r in rows}
        facts = [ledger.RecordFacts(r[3], r[4], r[5], r[6]) for r in rows]
        best = ledger.best_claim(facts)
        if best is None:
            continue
        _p, _k, record_pk, _seq, hours, year, _voided, category, contents = by_seq[best.seq]
        fresh.append((person_id, key, record_pk, year, hours, category, contents))
        years.add((person_id, year))
    ids = [pk for pk, _p, _y in old]
    for start in range(0, len(ids), 5000):
        LedgerClaim.objects.filter(pk__in=ids[start : start + 5000]).delete()
    insert_rows(LedgerClaim, _CLAIM_FIELDS, fresh)
    _sum_years(years)


_YEAR_FIELDS = (
    "person",
    "year",
    "hours_total",
    "by_category",
    "by_content",
    "no_hours",
    "updated_at",
)


def _sum_years(years: set[tuple[int, int]]) -> None:
    if not years:
        return
    claims: dict[tuple[int, int], list[ledger.Claim]] = defaultdict(list)
    for person_id, year, hours, category, contents in _pairs(
        LedgerClaim, "person", "year", years
    ).values_list("person_id", "year", "hours", "category", "contents"):
        claims[(person_id, year)].append(
            ledger.Claim(hours, category, tuple(c for c in contents.split(",") if c))
        )
    existing = dict(
        ((person_id, year), pk)
        for pk, person_id, year in _pairs(LedgerYear, "person", "year", years).values_list(
            "pk", "person_id", "year"
        )
    )
    postgres = connection.vendor == "postgresql"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    create: list[tuple[Any, ...]] = []
    update: list[tuple[Any, ...]] = []
    for pair in sorted(years):
        total = ledger.totals(claims.get(pair, []))
        by_category: Any = {k: _number(v) for k, v in sorted(total.by_category.items())}
        by_content: Any = {k: _number(v) for k, v in sorted(total.by_content.items())}
        if not postgres:  # the text JSONField stores on SQLite; PostgreSQL takes the value
            by_category, by_content = json.dumps(by_category), json.dumps(by_content)
        values = (total.hours_total, by_category, by_content, total.no_hours, now)
        pk = existing.get(pair)
        if pk is None:
            create.append((pair[0], pair[1], *values))
        else:
            update.append((*values, pk))
    insert_rows(LedgerYear, _YEAR_FIELDS, create)
    if update:
        table = connection.ops.quote_name(LedgerYear._meta.db_table)
        cast = "::jsonb" if postgres else ""
        if postgres:
            update = [(v[0], json.dumps(v[1]), json.dumps(v[2]), *v[3:]) for v in update]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET hours_total = %s, by_category = %s{cast}, "  # noqa: S608 - identifiers only
                f"by_content = %s{cast}, no_hours = %s, updated_at = %s WHERE id = %s",
                update,
            )


def _number(value: Decimal) -> float:
    return float(value)


#
# Matching an unknown actor (an administrator's action)
#


def match_actor(*, acting_user: User, unknown: UnknownActor, person: Person) -> UnknownActor:
    """Match an unknown actor to an officer: its statements count for them from now on."""
    if unknown.person_id is not None:
        raise ValidationFailed(_("This actor is already matched to an officer."))
    with transaction.atomic():
        ActorLink.objects.create(ifi=unknown.ifi, person=person, matched_by=acting_user)
        unknown.person = person
        unknown.matched_by = acting_user
        unknown.matched_at = timezone.now()
        unknown.save(update_fields=["person", "matched_by", "matched_at"])
        records = LearningRecord.objects.filter(actor_ifi=unknown.ifi, person__isnull=True)
        keys = set(records.values_list("claim_key", flat=True))
        records.update(person=person)
        recompute({(person.pk, key) for key in keys})
        record_event(
            "xapi_actor.matched",
            actor=acting_user,
            target=unknown,
            target_label=unknown.name or unknown.ifi,
            data={"ifi": unknown.ifi, "officer_code": person.officer_code, "records": len(keys)},
        )
    return unknown
