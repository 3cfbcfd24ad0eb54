"""The learning projection: statements in the store become records, claims and the ledger."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings

from lifelong.learning.models import LearningRecord, LedgerYear, UnknownActor
from lifelong.lrs.store import store_statements
from tests.factories.org import person

pytestmark = pytest.mark.django_db(transaction=True)

ADL = "http://adlnet.gov/expapi/verbs/"


def officer_statement(
    code: str, verb: str, activity: str, *, duration: str | None = None, **extra: Any
) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": settings.SITE_URL, "name": code}},
        "verb": {"id": ADL + verb},
        "object": {"id": activity},
        "timestamp": extra.pop("timestamp", "2025-06-01T09:00:00+07:00"),
        **extra,
    }
    if duration:
        statement["result"] = {"duration": duration}
    return statement


def test_completed_and_passed_of_one_activity_count_once_with_the_larger_claim(org):
    # given
    officer = person(org.team_1)
    activity = "https://lms.example.test/course/hs-2025"
    # when
    store_statements(
        [
            officer_statement(officer.officer_code, "completed", activity, duration="PT3H"),
            officer_statement(officer.officer_code, "passed", activity, duration="PT2H"),
        ],
        client=None,
    )
    # then
    ledger = LedgerYear.objects.get(person=officer, year=2025)
    assert ledger.hours_total == Decimal("3.00")
    assert ledger.by_category == {"other": 3.0}
    assert LearningRecord.objects.filter(person=officer).count() == 2


def test_a_voided_statement_no_longer_counts(org):
    # given
    officer = person(org.team_1)
    first = officer_statement(officer.officer_code, "attended", "https://x.test/a", duration="PT1H")
    store_statements([first], client=None)
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == Decimal("1.00")
    # when
    voiding = {
        "actor": first["actor"],
        "verb": {"id": ADL + "voided"},
        "object": {"objectType": "StatementRef", "id": first["id"]},
    }
    store_statements([voiding], client=None)
    # then
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == Decimal("0.00")


def test_the_year_is_taken_in_ho_chi_minh_time(org):
    # given: 31/12/2024 23:30 UTC is 01/01/2025 06:30 in Hanoi
    officer = person(org.team_1)
    statement = officer_statement(
        officer.officer_code,
        "completed",
        "https://x.test/b",
        duration="PT2H",
        timestamp=datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC).isoformat(),
    )
    # when
    store_statements([statement], client=None)
    # then
    assert list(LedgerYear.objects.filter(person=officer).values_list("year", flat=True)) == [2025]


def test_an_unknown_actor_is_kept_and_its_email_matches_later(org):
    # given
    statement = officer_statement("NOBODY", "completed", "https://x.test/c", duration="PT1H")
    statement["actor"] = {"mbox": "mailto:stranger@example.test", "name": "Người lạ"}
    # when
    store_statements([statement], client=None)
    # then
    unknown = UnknownActor.objects.get()
    assert (unknown.name, unknown.statement_count) == ("Người lạ", 1)
    assert LearningRecord.objects.get().person is None
