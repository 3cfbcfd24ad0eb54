"""Pages of the ledger: my learning, an officer's ledger, unit compliance, targets, actors."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lifelong.core.models import AuditEvent
from lifelong.learning.models import AnnualTarget, LedgerYear, UnknownActor
from tests.factories.learning_ledger import learn, send, statement
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _sheet(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def test_my_learning_shows_the_total_and_exports_the_records(org):
    # given
    officer = person(org.team_1)
    learn(officer, 4)
    client = _client(account("me", ("officer", org.team_1), person=officer))
    # when
    page = client.get(reverse("learning:my_learning"), {"year": 2025})
    export = client.get(reverse("learning:my_learning"), {"year": 2025, "export": "xlsx"})
    # then
    assert page.status_code == 200
    assert page.context["book"].hours_total == 4
    assert 'data-testid="hours-total">4<' in page.content.decode()
    rows = _sheet(export)
    assert len(rows) == 2 and rows[1][3] == 4.0


def test_my_learning_explains_an_account_without_an_officer(org):
    # given
    client = _client(account("ops", ("administrator", org.root)))
    # when
    page = client.get(reverse("learning:my_learning"))
    # then
    assert page.status_code == 200
    assert page.context.get("book") is None


def test_person_ledger_is_404_outside_the_unit_heads_scope(org):
    # given
    mine, other = person(org.team_1), person(org.team_2)
    client = _client(account("head", ("unit_head", org.region_1)))
    # when
    allowed = client.get(reverse("learning:person_ledger", args=[mine.officer_code]))
    refused = client.get(reverse("learning:person_ledger", args=[other.officer_code]))
    # then
    assert allowed.status_code == 200
    assert refused.status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", target_id=other.officer_code).exists()


def test_unit_compliance_page_shows_figures_sub_units_and_the_officers_behind(org):
    # given
    AnnualTarget.objects.create(position_group="", from_year=2025, hours=10)
    behind = person(org.team_1, "Trần", "Thị", "Hoa")
    learn(behind, 2)
    learn(person(org.team_1, "Lê", "Văn", "Bình"), 12)
    client = _client(account("head", ("unit_head", org.region_1)))
    url = reverse("learning:unit_compliance", args=[org.region_1.pk])
    # when
    page = client.get(url, {"year": 2025})
    partial = client.get(url, {"year": 2025, "q": "tran"}, HTTP_HX_REQUEST="true")
    export = client.get(url, {"year": 2025, "export": "behind"})
    units = client.get(url, {"year": 2025, "export": "xlsx"})
    # then
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="headcount">2<' in body
    assert reverse("learning:unit_compliance", args=[org.team_1.pk]) in body
    assert reverse("learning:person_ledger", args=[behind.officer_code]) in body
    assert "<html" not in partial.content.decode() and "Trần Thị Hoa" in partial.content.decode()
    assert [r[0] for r in _sheet(export)[1:]] == [behind.officer_code]
    assert _sheet(units)[1][:4] == (org.team_1.name, 2, 1, 1)


def test_unit_compliance_page_is_404_for_another_region_and_for_an_officer(org):
    # given
    head = _client(account("head", ("unit_head", org.region_1)))
    officer = _client(account("me", ("officer", org.team_1), person=person(org.team_1)))
    # when / then
    assert head.get(reverse("learning:unit_compliance", args=[org.region_2.pk])).status_code == 404
    assert officer.get(reverse("learning:unit_compliance", args=[org.team_1.pk])).status_code == 404
    assert officer.get(reverse("learning:compliance_index")).status_code == 404


def test_compliance_index_opens_the_users_unit(org):
    # given
    head = _client(account("head", ("unit_head", org.region_1)))
    # when
    response = head.get(reverse("learning:compliance_index"))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:unit_compliance", args=[org.region_1.pk])


def test_unit_compliance_page_keeps_its_query_count_as_the_unit_grows(org):
    # given
    client = _client(account("head", ("unit_head", org.root)))
    url = reverse("learning:unit_compliance", args=[org.root.pk])
    learn(person(org.team_1), 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": 2025})
    for _ in range(8):
        learn(person(org.team_2), 1)
    # when
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"year": 2025})
    # then
    assert response.status_code == 200
    assert len(many) == len(few)


def test_training_office_adds_a_target_and_bad_input_is_refused(org):
    # given
    client = _client(account("office", ("training_office", org.root)))
    url = reverse("learning:targets")
    # when
    added = client.post(url, {"position_group": "leadership", "from_year": 2026, "hours": "40"})
    twice = client.post(url, {"position_group": "leadership", "from_year": 2026, "hours": "20"})
    zero = client.post(url, {"position_group": "", "from_year": 2026, "hours": "0"})
    backwards = client.post(
        url, {"position_group": "", "from_year": 2026, "until_year": 2025, "hours": "5"}
    )
    # then
    assert added.status_code == 302
    assert twice.status_code == 200 and twice.context["form"].errors["from_year"]
    assert zero.status_code == 200 and zero.context["form"].errors["hours"]
    assert backwards.status_code == 200 and backwards.context["form"].errors["until_year"]
    assert list(AnnualTarget.objects.values_list("position_group", "hours")) == [("leadership", 40)]
    assert AuditEvent.objects.filter(action="learning_target.created").count() == 1
    assert _sheet(client.get(url, {"export": "xlsx"}))[1][1] == 2026


def test_targets_page_is_404_for_a_unit_head(org):
    # given
    client = _client(account("head", ("unit_head", org.region_1)))
    # when / then
    assert client.get(reverse("learning:targets")).status_code == 404


def test_administrator_matches_an_unknown_actor_and_its_hours_count(org):
    # given
    officer = person(org.team_1)
    send(statement({"mbox": "mailto:old-address@example.test", "name": "Cũ"}, duration="PT5H"))
    unknown = UnknownActor.objects.get()
    admin = _client(account("admin", ("administrator", org.root)))
    url = reverse("learning:unknown_actors")
    # when
    listed = admin.get(url)
    wrong = admin.post(reverse("learning:match_actor", args=[unknown.pk]), {"officer_code": "X"})
    # then: a wrong code changes nothing
    assert "old-address@example.test" in listed.content.decode()
    assert wrong.status_code == 302 and UnknownActor.objects.get().person is None
    # when
    matched = admin.post(
        reverse("learning:match_actor", args=[unknown.pk]), {"officer_code": officer.officer_code}
    )
    # then
    assert matched.status_code == 302
    assert LedgerYear.objects.get(person=officer, year=2025).hours_total == 5
    assert AuditEvent.objects.filter(action="xapi_actor.matched").count() == 1
    assert "old-address" not in admin.get(url).content.decode()


def test_unknown_actors_page_is_404_for_a_unit_head(org):
    # given
    client = _client(account("head", ("unit_head", org.region_1)))
    # when / then
    assert client.get(reverse("learning:unknown_actors")).status_code == 404
