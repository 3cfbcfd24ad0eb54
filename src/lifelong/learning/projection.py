"""The learning projection: the `statements_stored` consumer that builds records and the ledger.

From each page of stored statements (in `seq` order, at least once):

1. counted statements (completed, passed, attended; `rules.ledger`) of an Agent become
   `LearningRecord` rows, keyed on the statement id so a re-delivery changes nothing;
2. the actor is matched to an officer: an administrator's `ActorLink` first, then the
   officer's account (homePage = LIFELONG_SITE_URL, name = officer code), then the work
   e-mail as mbox; an actor that matches nobody is kept as an `UnknownActor`;
3. voiding statements mark their targets' records voided;
4. each touched (officer, activity + registration) claim is decided again (largest wins,
   voided never counts) and each touched (officer, year) `LedgerYear` summed again.

Dashboards read `LedgerYear`; nothing here scans the statements table.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models.functions import Lower
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
from lifelong.lrs.store import iri_hash
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
    """Return the officer (person id) each IFI stands for, where one does."""
    found = dict(ActorLink.objects.filter(ifi__in=ifis).values_list("ifi", "person_id"))
    rest = ifis - found.keys()
    account_prefix = f"account:{settings.SITE_URL} "
    codes = {
        ifi.removeprefix(account_prefix): ifi for ifi in rest if ifi.startswith(account_prefix)
    }
    if codes:
        for code, pk in Person.objects.filter(officer_code__in=codes).values_list(
            "officer_code", "pk"
        ):
            found[codes[code]] = pk
    emails = {
        ifi.removeprefix("mbox:mailto:").lower(): ifi
        for ifi in rest
        if ifi.startswith("mbox:mailto:")
    }
    if emails:
        rows = (
            Person.objects.annotate(email=Lower("work_email"))
            .filter(email__in=emails)
            .values_list("email", "pk")
        )
        for email, pk in rows:
            found[emails[email]] = pk
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


def _store_records(page: Sequence[StoredStatement]) -> set[tuple[int, str]]:
    counted = _counted(page)
    if not counted:
        return set()
    known = {
        str(pk)
        for pk in LearningRecord.objects.filter(
            statement_id__in=[s.id for s in counted]
        ).values_list("statement_id", flat=True)
    }
    counted = [s for s in counted if s.id not in known]
    if not counted:
        return set()
    ifis = {s.id: agent_ifi(s.payload["actor"]) or "" for s in counted}
    people = _resolve({ifi for ifi in ifis.values() if ifi})
    hashes = {iri_hash(s.payload["object"]["id"]) for s in counted}
    courses = {
        activity.iri_hash: activity.course
        for activity in CourseActivity.objects.filter(iri_hash__in=hashes)
        .select_related("course")
        .prefetch_related("course__contents")
    }
    records: list[LearningRecord] = []
    unknown: dict[str, dict[str, Any]] = {}
    for stored in counted:
        payload = stored.payload
        obj = payload["object"]
        iri = obj["id"]
        course = courses.get(iri_hash(iri))
        context = payload.get("context") or {}
        registration = context.get("registration")
        hours = ledger.duration_hours((payload.get("result") or {}).get("duration"))
        source = HoursSource.DURATION
        if hours is None and course is not None:
            hours, source = course.hours, HoursSource.COURSE
        if hours is None:
            source = HoursSource.NONE
        category = _extension(payload, EXT_CATEGORY_PATH)
        contents = _extension(payload, EXT_CONTENTS_PATH)
        if category not in TrainingCategory.values:
            category = course.category if course else TrainingCategory.OTHER
        if not isinstance(contents, list):
            contents = [c.content for c in course.contents.all()] if course else []
        occurred = datetime.datetime.fromisoformat(payload["timestamp"])
        ifi = ifis[stored.id]
        person_id = people.get(ifi)
        if person_id is None and ifi:
            unknown.setdefault(ifi, payload["actor"])
        records.append(
            LearningRecord(
                statement_id=stored.id,
                seq=stored.seq,
                person_id=person_id,
                actor_ifi=ifi[:512],
                verb=ledger.counted_verb(_verb(payload)) or "",
                activity_iri=iri,
                activity_name=_activity_name(obj),
                registration=registration,
                claim_key=ledger.claim_key(iri, registration),
                course=course,
                hours=hours,
                hours_source=source,
                category=category,
                contents=",".join(str(c) for c in contents if isinstance(c, str))[:200],
                occurred_at=occurred,
                year=ledger.business_year(occurred),
                voided=stored.voided,
                authority=_authority_name(payload),
            )
        )
    LearningRecord.objects.bulk_create(records, batch_size=500)
    _remember_unknown(unknown)
    return {(r.person_id, r.claim_key) for r in records if r.person_id is not None}


def _authority_name(payload: dict[str, Any]) -> str:
    authority = payload.get("authority") or {}
    name = authority.get("name") if isinstance(authority, dict) else None
    return name[:_MAX_NAME] if isinstance(name, str) else ""


def _remember_unknown(actors: dict[str, dict[str, Any]]) -> None:
    if not actors:
        return
    existing = set(UnknownActor.objects.filter(ifi__in=actors).values_list("ifi", flat=True))
    UnknownActor.objects.bulk_create(
        [
            UnknownActor(
                ifi=ifi[:512],
                name=str(actor.get("name") or "")[:_MAX_NAME],
                actor=actor,
            )
            for ifi, actor in actors.items()
            if ifi not in existing
        ]
    )
    for ifi in actors:
        count = LearningRecord.objects.filter(actor_ifi=ifi, person__isnull=True).count()
        UnknownActor.objects.filter(ifi=ifi).update(statement_count=count)


def _apply_voiding(page: Sequence[StoredStatement]) -> set[tuple[int, str]]:
    targets = [
        s.payload["object"]["id"]
        for s in page
        if _verb(s.payload) == VERB_VOIDED
        and (s.payload.get("object") or {}).get("objectType") == "StatementRef"
    ]
    if not targets:
        return set()
    records = LearningRecord.objects.filter(statement_id__in=targets, voided=False)
    touched = set(records.exclude(person=None).values_list("person_id", "claim_key"))
    records.update(voided=True)
    return touched


#
# Claims and the yearly ledger
#


def recompute(touched: Iterable[tuple[int, str]]) -> None:
    """Decide again the claims of (person id, claim key) pairs and sum their years."""
    touched = set(touched)
    people = {p for p, _k in touched}
    keys = {k for _p, k in touched}
    records: dict[tuple[int, str], list[LearningRecord]] = defaultdict(list)
    for record in LearningRecord.objects.filter(person_id__in=people, claim_key__in=keys):
        pair = (record.person_id, record.claim_key)
        if pair in touched:
            records[pair].append(record)
    old = LedgerClaim.objects.filter(person_id__in=people, claim_key__in=keys)
    years = {
        (p, y) for p, k, y in old.values_list("person_id", "claim_key", "year") if (p, k) in touched
    }
    fresh: list[LedgerClaim] = []
    for (person_id, key), rows in records.items():
        by_seq = {r.seq: r for r in rows}
        facts = [ledger.RecordFacts(r.seq, r.hours, r.year, r.voided) for r in rows]
        best = ledger.best_claim(facts)
        if best is None:
            continue
        record = by_seq[best.seq]
        fresh.append(
            LedgerClaim(
                person_id=person_id,
                claim_key=key,
                record=record,
                year=record.year,
                hours=record.hours,
                category=record.category,
                contents=record.contents,
            )
        )
        years.add((person_id, record.year))
    _delete_claims(touched)
    LedgerClaim.objects.bulk_create(fresh, batch_size=500)
    _sum_years(years)


def _delete_claims(touched: set[tuple[int, str]]) -> None:
    by_person: dict[int, list[str]] = defaultdict(list)
    for person_id, key in touched:
        by_person[person_id].append(key)
    ids = [
        pk
        for pk, person_id, key in LedgerClaim.objects.filter(
            person_id__in=by_person, claim_key__in={k for _p, k in touched}
        ).values_list("pk", "person_id", "claim_key")
        if (person_id, key) in touched
    ]
    for start in range(0, len(ids), 500):
        LedgerClaim.objects.filter(pk__in=ids[start : start + 500]).delete()


def _sum_years(years: set[tuple[int, int]]) -> None:
    if not years:
        return
    people = {p for p, _y in years}
    claims: dict[tuple[int, int], list[ledger.Claim]] = defaultdict(list)
    for person_id, year, hours, category, contents in LedgerClaim.objects.filter(
        person_id__in=people, year__in={y for _p, y in years}
    ).values_list("person_id", "year", "hours", "category", "contents"):
        if (person_id, year) in years:
            claims[(person_id, year)].append(
                ledger.Claim(hours, category, tuple(c for c in contents.split(",") if c))
            )
    existing = {
        (row.person_id, row.year): row
        for row in LedgerYear.objects.filter(person_id__in=people, year__in={y for _p, y in years})
        if (row.person_id, row.year) in years
    }
    create: list[LedgerYear] = []
    update: list[LedgerYear] = []
    for pair in years:
        total = ledger.totals(claims.get(pair, []))
        row = existing.get(pair) or LedgerYear(person_id=pair[0], year=pair[1])
        row.hours_total = total.hours_total
        row.by_category = {k: _number(v) for k, v in sorted(total.by_category.items())}
        row.by_content = {k: _number(v) for k, v in sorted(total.by_content.items())}
        row.no_hours = total.no_hours
        (update if row.pk else create).append(row)
    LedgerYear.objects.bulk_create(create, batch_size=500)
    if update:
        LedgerYear.objects.bulk_update(
            update, ["hours_total", "by_category", "by_content", "no_hours"], batch_size=500
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
