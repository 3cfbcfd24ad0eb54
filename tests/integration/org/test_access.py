"""The scoping matrix: every role × own unit / sub-unit / other unit, through pages and API."""

import pytest
from django.test import Client

from lifelong.core.api.auth import create_token
from lifelong.core.models import AuditEvent
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db

ROLES_THAT_SEE_PEOPLE = [
    "unit_head",
    "training_office",
    "secretariat",
    "pipeline_committee",
    "administrator",
]


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES_THAT_SEE_PEOPLE)
def test_role_sees_people_of_own_unit_and_sub_units_but_not_other_region(org, role):
    # given
    own = person(org.region_1, given="Bình")
    below = person(org.team_1, given="Chi")
    other = person(org.team_2, given="Dũng")
    user = account(f"u-{role}", (role, org.region_1))
    client = _client_for(user)
    # when / then: pages
    assert client.get(f"/org/people/{own.officer_code}/").status_code == 200
    assert client.get(f"/org/people/{below.officer_code}/").status_code == 200
    assert client.get(f"/org/people/{other.officer_code}/").status_code == 404
    assert client.get(f"/org/units/{org.team_1.pk}/").status_code == 200
    assert client.get(f"/org/units/{org.region_2.pk}/").status_code == 404
    # when / then: API
    _row, token = create_token(acting_user=None, user=user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(f"/api/v1/people/{below.officer_code}").status_code == 200
    assert api.get(f"/api/v1/people/{other.officer_code}").status_code == 404
    assert api.get(f"/api/v1/units/{org.region_2.pk}").status_code == 404
    listed = api.get("/api/v1/people", {"limit": 500}).json()
    codes = {item["officer_code"] for item in listed["items"]}
    assert {own.officer_code, below.officer_code} <= codes
    assert other.officer_code not in codes
    assert listed["count"] == len(codes)


def test_officer_sees_own_record_only(org):
    # given
    me = person(org.team_1, given="Em")
    colleague = person(org.team_1, given="Giang")
    user = account("officer", ("officer", org.team_1), person=me)
    client = _client_for(user)
    # when / then
    assert client.get(f"/org/people/{me.officer_code}/").status_code == 200
    assert client.get(f"/org/people/{colleague.officer_code}/").status_code == 404
    page = client.get(f"/org/units/{org.team_1.pk}/")
    assert page.status_code == 200
    assert colleague.full_name not in page.content.decode()


def test_refused_access_is_audited_and_answers_like_missing(org):
    # given
    other = person(org.team_2)
    user = account("head-1", ("unit_head", org.region_1))
    client = _client_for(user)
    # when
    refused = client.get(f"/org/people/{other.officer_code}/")
    missing = client.get("/org/people/NO-SUCH-CODE/")
    # then
    assert refused.status_code == missing.status_code == 404
    assert AuditEvent.objects.filter(
        action="access.denied", actor=user, target_id=other.officer_code
    ).exists()


def test_people_search_folds_diacritics(org):
    # given
    found = person(org.team_1, "Nguyễn", "Văn", "Đức")
    person(org.team_1, "Trần", "Thị", "Hoa")
    user = account("head", ("unit_head", org.region_1))
    client = _client_for(user)
    # when
    page = client.get(f"/org/units/{org.region_1.pk}/", {"q": "nguyen van duc"})
    # then
    body = page.content.decode()
    assert found.full_name in body
    assert "Trần Thị Hoa" not in body
