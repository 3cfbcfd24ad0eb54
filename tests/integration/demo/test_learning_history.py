"""The demo's learning history: written through the xAPI store, projected once, full ledgers."""

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from lifelong.core.models import AuditEvent
from lifelong.demo import builder
from lifelong.learning.models import (
    Course,
    CourseActivity,
    Instructor,
    LearningRecord,
    LedgerYear,
    UnknownActor,
    WcoAccreditation,
)
from lifelong.learning.rules import ledger
from lifelong.lrs.models import Client, HookCursor, Statement
from lifelong.org.models import Person

pytestmark = pytest.mark.django_db

OFFICERS = 200
SEED = 7


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Build the demo with its standard history once, rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        build = builder.build_demo(seed=SEED, officers=OFFICERS)
        event = AuditEvent.objects.get(action=builder.DEMO_BUILT)
        yield {"build": build, "learning": event.data["learning"]}
        transaction.set_rollback(True)


def test_every_statement_is_stored_and_projected_when_the_demo_is_built(built):
    # given
    learning = built["learning"]
    # when: the build ran (the fixture)
    # then: no statement was refused, and the one projection pass saw them all
    assert learning["statements"] == Statement.objects.count() > OFFICERS * 15
    last = Statement.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert HookCursor.objects.get(consumer="learning.records").position == last
    # the LMS wrote its share under its own client
    lms = Client.objects.get(name="Trường Hải quan LMS")
    assert Statement.objects.filter(client=lms).count() > learning["statements"] // 4
    assert Statement.objects.filter(client=None).exists()


def test_most_officers_have_a_ledger_when_the_demo_is_built(built):
    # given
    active = Person.objects.count()
    # when
    with_2025 = LedgerYear.objects.filter(year=2025, hours_total__gt=0).count()
    compliant_2025 = LedgerYear.objects.filter(year=2025, hours_total__gte=30).count()
    # then: nearly everybody learned, most met the target, some did not
    assert with_2025 >= active * 0.9
    assert active * 0.5 <= compliant_2025 < active
    assert LedgerYear.objects.filter(year=2026).exists()
    assert LedgerYear.objects.filter(year=2024).exists()


def test_the_history_mixes_sources_of_hours_voided_and_unknown_when_built(built):
    # when
    sources = set(LearningRecord.objects.values_list("hours_source", flat=True))
    # then: durations, course hours, and a few records without hours
    assert sources == {"duration", "course", "none"}
    assert LearningRecord.objects.filter(voided=True).exists()
    assert Statement.objects.filter(is_voiding=True).exists()
    by_mbox = LearningRecord.objects.filter(actor_ifi__startswith="mbox:", person__isnull=False)
    assert by_mbox.exists()
    assert (
        UnknownActor.objects.count()
        == LearningRecord.objects.filter(person__isnull=True).values("actor_ifi").distinct().count()
    )


def test_ledger_totals_equal_a_recomputation_from_records_when_sampled(built):
    # given: a sample of officers and their records
    sample = list(Person.objects.order_by("officer_code").values_list("pk", flat=True)[::9])
    records: dict[tuple[int, str], list[LearningRecord]] = defaultdict(list)
    for record in LearningRecord.objects.filter(person_id__in=sample):
        records[(record.person_id, record.claim_key)].append(record)
    # when: the ledger's rules are applied to the records again
    expected: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for rows in records.values():
        facts = [ledger.RecordFacts(r.seq, r.hours, r.year, r.voided) for r in rows]
        best = ledger.best_claim(facts)
        if best is not None and best.hours is not None:
            expected[(rows[0].person_id, best.year)] += best.hours
    # then
    stored = {
        (p, y): h
        for p, y, h in LedgerYear.objects.filter(person_id__in=sample).values_list(
            "person_id", "year", "hours_total"
        )
    }
    assert {k: v for k, v in stored.items() if v} == {k: v for k, v in expected.items() if v}


def test_the_catalogue_is_full_when_the_demo_is_built(built):
    # then
    assert Course.objects.count() >= 55
    assert set(Course.objects.values_list("provider", flat=True)) == {
        "customs_school",
        "unit",
        "wco_clikc",
        "external",
    }
    assert CourseActivity.objects.filter(iri__startswith="https://lms.").exists()
    assert Instructor.objects.filter(kind="external").exists()
    assert Instructor.objects.filter(kind="in_house").exists()
    assert WcoAccreditation.objects.filter(status="accredited").exists()
    assert Course.objects.filter(search_text__contains="phan loai").exists()
