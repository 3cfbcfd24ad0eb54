"""The demo's learning history is the same for the same seed, and absent with --history none."""

from typing import Any

import pytest
from django.db import transaction

from lifelong.demo import builder, learning_builder
from lifelong.learning.models import Course, CourseClass, Enrolment, LedgerYear, SelfStudy
from lifelong.lrs.models import Statement

pytestmark = pytest.mark.django_db

OFFICERS = 200


def _build_and_snapshot(
    seed: int, history: str = "standard", *, parallel: bool = False
) -> dict[str, Any]:
    with transaction.atomic():
        builder.build_demo(seed=seed, officers=OFFICERS, history=history, parallel=parallel)
        # Codes and statement ids, not row ids: PostgreSQL's sequences do not roll back.
        snapshot = {
            "order": list(Statement.objects.order_by("seq").values_list("id", flat=True)),
            "statements": sorted(
                Statement.objects.values_list("id", "verb_iri", "actor_ifi", "voided")
            ),
            "ledger": sorted(
                LedgerYear.objects.values_list("person__officer_code", "year", "hours_total")
            ),
            "classes": sorted(CourseClass.objects.values_list("code", "start_date", "capacity")),
            "enrolments": sorted(
                Enrolment.objects.values_list(
                    "course_class__code", "person__officer_code", "registration", "status"
                )
            ),
            "self_study": SelfStudy.objects.count(),
            "courses": Course.objects.count(),
        }
        transaction.set_rollback(True)
    return snapshot


def test_history_is_the_same_when_built_again_with_the_same_seed():
    # given
    first = _build_and_snapshot(5)
    # when
    again = _build_and_snapshot(5)
    # then
    assert first["statements"]
    assert again == first


def test_history_prepared_in_a_second_process_is_the_same_in_the_same_order():
    # given: this machine can fork a preparing process (the demo command asks for one)
    with learning_builder._preparing_worker(True) as worker:
        if worker is None:
            pytest.skip("one core, or processes cannot be forked here")
    # when
    alone, parallel = _build_and_snapshot(5), _build_and_snapshot(5, parallel=True)
    # then: the same statements, stored in the same order, and the same ledger
    assert parallel["order"]
    assert parallel == alone


def test_history_differs_when_the_seed_differs():
    # when
    one, other = _build_and_snapshot(5), _build_and_snapshot(6)
    # then
    assert {s[0] for s in one["statements"]}.isdisjoint({s[0] for s in other["statements"]})


def test_no_statement_is_written_when_history_is_none():
    # when
    snapshot = _build_and_snapshot(5, history="none")
    # then: the catalogue is there, the history is not
    assert snapshot["courses"] >= 55
    assert snapshot["statements"] == []
    assert snapshot["ledger"] == []
    assert snapshot["classes"] == []
