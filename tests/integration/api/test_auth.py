"""Authentication of the API: bearer tokens, the browser session and its CSRF check."""

import datetime

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import SessionAuth

from lifelong.api import api
from lifelong.core.api.auth import create_token, revoke_token
from lifelong.core.models import ApiToken
from tests.factories.org import account

pytestmark = pytest.mark.django_db


def assert_401(response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer not-a-token", "Bearer " + "x" * 500, "Basic dXNlcjpwdw==", "Token x"],
)
def test_missing_or_invalid_token_answers_401_json(org, header):
    # given
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    # when
    response = client.get("/api/v1/units")
    # then
    assert_401(response)


def test_token_of_an_inactive_account_answers_401(org):
    # given
    user = account("head", ("unit_head", org.region_1))
    _row, token = create_token(acting_user=None, user=user)
    user.is_active = False
    user.save()
    # when
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/units")
    # then
    assert_401(response)


def test_revoked_token_answers_401(org):
    # given
    user = account("head", ("unit_head", org.region_1))
    row, token = create_token(acting_user=None, user=user)
    revoke_token(acting_user=None, token=row)
    # when
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/units")
    # then
    assert_401(response)


def test_invalid_token_does_not_fall_back_to_the_session(org):
    # given: a logged-in browser that also sends a revoked token
    user = account("head", ("unit_head", org.region_1))
    row, token = create_token(acting_user=None, user=user)
    revoke_token(acting_user=None, token=row)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.force_login(user)
    # when
    response = client.get("/api/v1/units")
    # then
    assert_401(response)


def test_token_acts_as_its_user_and_records_its_use(org):
    # given
    user = account("head", ("unit_head", org.region_1))
    row, token = create_token(acting_user=None, user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    # when
    response = client.get("/api/v1/units")
    # then
    assert response.status_code == 200
    assert {u["id"] for u in response.json()["items"]} == {org.region_1.pk, org.team_1.pk}
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(org):
    # given
    user = account("head", ("unit_head", org.region_1))
    row, token = create_token(acting_user=None, user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get("/api/v1/units")
    earlier = timezone.now() - datetime.timedelta(seconds=10)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=earlier)
    # when
    client.get("/api/v1/units")
    # then
    row.refresh_from_db()
    assert row.last_used_at == earlier


def test_session_of_a_logged_in_user_authenticates_safe_calls(org):
    # given
    user = account("head", ("unit_head", org.region_1))
    client = Client()
    client.force_login(user)
    # when
    response = client.get("/api/v1/units")
    # then
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_session_call_with_an_unsafe_method_needs_the_csrf_token(org):
    # given: the API's own session authentication, and a POST without a CSRF token
    session_auth = next(a for a in api.auth if isinstance(a, SessionAuth))
    user = account("head", ("unit_head", org.region_1))
    request = RequestFactory().post("/api/v1/units")
    request.user = user
    request.COOKIES["sessionid"] = "any"
    # when / then
    with pytest.raises(HttpError) as refused:
        session_auth(request)
    assert refused.value.status_code == 403


def test_unknown_api_path_answers_json_404_without_authentication(db):
    # when
    responses = [Client().get("/api/v1/nothing-here"), Client().post("/api/v1/units/")]
    # then
    for response in responses:
        assert response.status_code == 404
        assert response.json()["message"]


def test_index_points_at_the_openapi_document(db):
    # when
    response = Client().get("/api/v1/")
    # then
    assert response.status_code == 200
    assert response.json()["openapi"] == "/api/v1/openapi.json"
