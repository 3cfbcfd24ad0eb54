"""The learning projection: statements in the store become records, claims and the ledger."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings

from lifelong.learning.models import ActorLink, LearningRecord, LedgerYear, UnknownActor
from lifelong.learning.projection import project
from lifelong.lrs.hooks import StoredStatement
from lifelong.lrs.models import Statement
from lifelong.lrs.store import store_statements
from tests.factories.org import person

pytestmark = pytest.mark.django_db(transaction=True)

ADL = "http://adlnet.gov/expapi/verbs/"


def officer_statement(
    code: str,
    verb: str,
    activity: str,
    *,
    duration: str | None = None,
    registration_id: str | None = None,
    **extra: Any,
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
    if registration_id:
        statement["context"] = {
            "registration": str(uuid.uuid5(uuid.NAMESPACE_URL, registration_id))
        }
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
    assert unknown.actor == {"mbox": "mailto:stranger@example.test", "name": "Người lạ"}
    assert unknown.first_seen is not None
    assert LearningRecord.objects.get().person is None


def test_an_unknown_actors_count_grows_per_new_statement_and_not_on_redelivery(org):
    # given: one stranger, two batches (two pages), the second re-sending one statement
    def stranger(activity: str, name: str = "Người lạ") -> dict[str, Any]:
        statement = officer_statement("NOBODY", "completed", activity, duration="PT1H")
        statement["actor"] = {"mbox": "mailto:stranger@example.test", "name": name}
        return statement

    first = [stranger("https://x.test/a"), stranger("https://x.test/b")]
    store_statements(first, client=None)
    seen = UnknownActor.objects.get().first_seen
    # when: a later statement sends another name for the same mailbox
    store_statements([first[0], stranger("https://x.test/c", "Tên khác")], client=None)
    project(
        [
            StoredStatement(id=str(row.id), seq=row.seq, payload=row.payload, voided=False)
            for row in Statement.objects.order_by("seq")
        ]
    )  # the hook delivers them all again (at least once)
    # then
    unknown = UnknownActor.objects.get()
    assert unknown.statement_count == 3
    # the actor as first seen is kept
    assert (unknown.name, unknown.first_seen) == ("Người lạ", seen)
    assert LearningRecord.objects.filter(person=None).count() == 3


def test_a_redelivered_page_changes_nothing(org):
    # given
    from lifelong.learning.projection import project
    from lifelong.lrs.hooks import StoredStatement
    from lifelong.lrs.models import Statement

    officer = person(org.team_1)
    store_statements(
        [officer_statement(officer.officer_code, "completed", "https://x.test/r", duration="PT2H")],
        client=None,
    )
    row = Statement.objects.get()
    page = [StoredStatement(id=str(row.id), seq=row.seq, payload=row.payload, voided=False)]
    # when: the hook delivers the same page again (at least once)
    project(page)
    project(page)
    # then
    assert LearningRecord.objects.count() == 1
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == Decimal("2.00")


def test_hours_come_from_the_duration_else_the_mapped_course_else_none(org):
    # given
    from tests.factories.learning_ledger import course

    officer = person(org.team_1)
    _course, mapped = course("6", category="digital_skills", contents=("digital_data",))
    code = officer.officer_code
    # when
    store_statements(
        [
            officer_statement(code, "completed", mapped, duration="PT1H"),
            officer_statement(code, "completed", mapped, registration_id="r2"),
            officer_statement(code, "completed", "https://x.test/unmapped"),
        ],
        client=None,
    )
    # then
    sources = sorted(
        LearningRecord.objects.filter(person=officer).values_list("hours_source", "hours")
    )
    assert sources == [("course", Decimal("6.00")), ("duration", Decimal("1.00")), ("none", None)]
    year = LedgerYear.objects.get(person=officer, year=2025)
    # the two registrations of the mapped course are two claims; the unmapped one has no hours
    assert (year.hours_total, year.no_hours) == (Decimal("7.00"), 1)
    assert year.by_category == {"digital_skills": 7.0}
    assert year.by_content == {"digital_data": 7.0}


def test_lifelongs_context_extensions_set_category_and_contents(org):
    # given: Lifelong's own self-study statement names its category and contents
    from lifelong.learning import xapi

    officer = person(org.team_1)
    built = xapi.statement(
        person=officer,
        verb_name="completed",
        activity=xapi.activity_iri("selfstudy", 1),
        name="Đọc sách về Luật Hải quan",
        timestamp=datetime.datetime(2025, 4, 2, 9, tzinfo=datetime.UTC),
        hours=Decimal("2.5"),
        category="state_management",
        contents=["law_policy", "self_study"],
    )
    # when
    store_statements([built], client=None)
    # then
    year = LedgerYear.objects.get(person=officer, year=2025)
    assert year.by_category == {"state_management": 2.5}
    assert year.by_content == {"law_policy": 2.5, "self_study": 2.5}
    assert LearningRecord.objects.get().activity_name == "Đọc sách về Luật Hải quan"


def test_an_officer_is_matched_by_work_email_whatever_its_case(org):
    # given
    officer = person(org.team_1, email="mai.dang@example.test")
    statement = officer_statement("-", "passed", "https://x.test/m", duration="PT3H")
    statement["actor"] = {"mbox": "mailto:Mai.Dang@Example.test"}
    # when
    store_statements([statement], client=None)
    # then
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == Decimal("3.00")
    assert not UnknownActor.objects.exists()


def test_an_account_home_page_with_a_trailing_slash_still_names_the_officer(org):
    # given: an LMS that writes the site URL with a trailing slash
    officer = person(org.team_1)
    statement = officer_statement(
        officer.officer_code, "completed", "https://x.test/s", duration="PT2H"
    )
    statement["actor"]["account"]["homePage"] = settings.SITE_URL + "/"
    # when
    store_statements([statement], client=None)
    # then
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == Decimal("2.00")
    assert not UnknownActor.objects.exists()


def test_matching_an_unknown_actor_makes_its_past_and_future_statements_count(org):
    # given
    from django.contrib.auth.models import User

    from lifelong.learning.projection import match_actor

    officer = person(org.team_1)
    admin = User.objects.create(username="admin-match")
    stranger = {"mbox": "mailto:stranger@example.test", "name": "Người lạ"}
    past = officer_statement("-", "completed", "https://x.test/p", duration="PT2H")
    past["actor"] = stranger
    store_statements([past], client=None)
    assert not LedgerYear.objects.filter(person=officer).exists()
    # when
    match_actor(acting_user=admin, unknown=UnknownActor.objects.get(), person=officer)
    future = officer_statement("-", "completed", "https://x.test/f", duration="PT1H")
    future["actor"] = stranger
    store_statements([future], client=None)
    # then
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == Decimal("3.00")
    assert UnknownActor.objects.get().person == officer


def test_an_implausible_duration_counts_as_no_hours_and_does_not_stop_the_projection(org):
    # given
    officer = person(org.team_1)
    code = officer.officer_code
    # when
    store_statements(
        [
            officer_statement(code, "completed", "https://x.test/huge", duration="PT9999999H"),
            officer_statement(code, "completed", "https://x.test/fine", duration="PT1H"),
        ],
        client=None,
    )
    # then
    year = LedgerYear.objects.get(person=officer, year=2025)
    assert (year.hours_total, year.no_hours) == (Decimal("1.00"), 1)


def test_an_administrators_link_wins_over_the_account_and_email_matches_in_any_case(org):
    # given: officer A's account linked by an administrator to officer B (a reused code),
    # and officer C known by work e-mail only
    a, b, c = person(org.team_1), person(org.team_1), person(org.team_1)
    ActorLink.objects.create(ifi=f"account:{settings.SITE_URL} {a.officer_code}", person=b)
    by_link = officer_statement(a.officer_code, "completed", "https://x.test/a", duration="PT1H")
    by_email = officer_statement("NOBODY", "completed", "https://x.test/b", duration="PT2H")
    by_email["actor"] = {"mbox": f"mailto:{c.work_email.upper()}"}
    # when
    store_statements([by_link, by_email], client=None)
    # then
    assert LearningRecord.objects.get(activity_iri="https://x.test/a").person == b
    assert LearningRecord.objects.get(activity_iri="https://x.test/b").person == c
    assert not UnknownActor.objects.exists()
