"""The ledger API: an officer's year and a unit's compliance, scoped like org's API."""

import base64
import json
import uuid
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client

from lifelong.core.api.auth import create_token
from lifelong.learning.choices import MovementContent, TrainingCategory
from lifelong.learning.models import AnnualTarget
from lifelong.lrs.services import create_client
from tests.factories.learning_ledger import course, learn, send, statement
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db(transaction=True)

ApiClient = Callable[[AbstractBaseUser], Client]


@pytest.fixture
def api_client(db: None) -> ApiClient:
    """Return a factory: account -> test client with a fresh bearer token of it (English)."""

    def make(user: AbstractBaseUser) -> Client:
        _row, token = create_token(acting_user=None, user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")

    return make


def test_ledger_answers_hours_by_category_and_content_for_a_unit_head(org, api_client):
    # given
    officer = person(org.team_1)
    _course, iri = course("6", category="job_skills", contents=("job_position", "law_policy"))
    send(statement(officer, activity=iri), statement(officer, duration="PT2H"))
    head = account("head1", ("unit_head", org.region_1))
    # when
    response = api_client(head).get(f"/api/v1/people/{officer.officer_code}/ledger?year=2025")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["officer_code"] == officer.officer_code
    assert (body["year"], body["hours_total"], body["target_hours"]) == (2025, 8.0, 30.0)
    assert body["by_category"]["job_skills"] == 6.0
    assert body["by_category"]["other"] == 2.0
    assert body["by_category"]["political_theory"] == 0.0
    assert body["by_content"] == {
        "law_policy": 6.0,
        "digital_data": 0.0,
        "job_position": 6.0,
        "international": 0.0,
        "self_study": 0.0,
    }


def test_ledger_is_404_outside_scope_and_own_ledger_is_readable(org, api_client):
    # given
    officer = person(org.team_2)
    learn(officer, 3)
    head = account("head1", ("unit_head", org.region_1))
    me = account("me", ("officer", org.team_2), person=officer)
    url = f"/api/v1/people/{officer.officer_code}/ledger?year=2025"
    # when
    refused = api_client(head).get(url)
    own = api_client(me).get(url)
    # then
    assert refused.status_code == 404
    assert refused.json() == {"message": "Not found."}
    assert own.status_code == 200 and own.json()["hours_total"] == 3.0


def test_ledger_refuses_a_malformed_year(org, api_client):
    # given
    officer = person(org.team_1)
    me = account("me", ("officer", org.team_1), person=officer)
    # when
    response = api_client(me).get(f"/api/v1/people/{officer.officer_code}/ledger?year=abc")
    # then
    assert response.status_code == 422


def test_compliance_counts_the_whole_subtree_of_a_past_year(org, api_client):
    # given: a 20-hour target for 2025; one officer compliant, one not, one elsewhere
    AnnualTarget.objects.create(position_group="", from_year=2025, hours=20)
    done, behind = person(org.team_1), person(org.region_1)
    learn(done, 25)
    learn(behind, 5)
    learn(person(org.team_2), 40)
    head = account("head1", ("unit_head", org.region_1))
    # when
    response = api_client(head).get(f"/api/v1/units/{org.region_1.pk}/compliance?year=2025")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "unit_id": org.region_1.pk,
        "year": 2025,
        "headcount": 2,
        "on_track": 1,
        "compliant": 1,
        "on_track_share": 0.5,
        "compliant_share": 0.5,
        "hours_per_head": 15.0,
    }


def test_compliance_of_another_region_is_404(org, api_client):
    # given
    head = account("head1", ("unit_head", org.region_1))
    # when
    response = api_client(head).get(f"/api/v1/units/{org.region_2.pk}/compliance?year=2025")
    # then
    assert response.status_code == 404


def test_an_officer_cannot_read_unit_compliance(org, api_client):
    # given
    me = account("me", ("officer", org.team_1), person=person(org.team_1))
    # when
    response = api_client(me).get(f"/api/v1/units/{org.team_1.pk}/compliance?year=2025")
    # then
    assert response.status_code == 404


def test_a_statement_posted_to_xapi_shows_in_the_ledger_right_after(org, api_client):
    # given: an e-learning client and an officer with no learning yet
    officer = person(org.team_1)
    me = account("me", ("officer", org.team_1), person=officer)
    lms, secret = create_client(acting_user=None, name="LMS", scopes=["statements/write"])
    basic = base64.b64encode(f"{lms.key}:{secret}".encode()).decode()
    url = f"/api/v1/people/{officer.officer_code}/ledger?year=2025"
    assert api_client(me).get(url).json()["hours_total"] == 0.0
    # when
    posted = Client().post(
        "/xapi/statements",
        json.dumps(statement(officer, duration="PT1H30M", registration=str(uuid.uuid4()))),
        content_type="application/json",
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    # then
    assert posted.status_code == 200
    assert api_client(me).get(url).json()["hours_total"] == 1.5


def test_person_api_gives_the_xapi_actor(org, api_client):
    # given
    officer = person(org.team_1, "Đặng", "Thị", "Mai")
    me = account("me", ("officer", org.team_1), person=officer)
    # when
    body = api_client(me).get(f"/api/v1/people/{officer.officer_code}").json()
    # then
    assert body["xapi_actor"] == {
        "objectType": "Agent",
        "name": "Đặng Thị Mai",
        "account": {"homePage": settings.SITE_URL, "name": officer.officer_code},
    }


def test_openapi_lists_the_ledger_codes(client):
    # when
    schema = client.get("/api/v1/openapi.json").json()
    # then
    components = schema["components"]["schemas"]
    assert set(components["HoursByCategory"]["properties"]) == set(TrainingCategory.values)
    assert set(components["HoursByContent"]["properties"]) == set(MovementContent.values)
    assert "/api/v1/people/{officer_code}/ledger" in schema["paths"]
    assert "/api/v1/units/{unit_id}/compliance" in schema["paths"]
