"""The administrators' LRS clients page: list, create (secret shown once), revoke."""

import hashlib
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client as HttpClient

from lifelong.lrs.models import Client
from lifelong.lrs.services import create_client
from tests.factories.org import account

pytestmark = pytest.mark.django_db

URL = "/lrs/clients/"


def client_for(user: Any) -> HttpClient:
    # English, so the assertions read the untranslated messages.
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True)
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    http.force_login(user)
    return http


def csrf_of(http: HttpClient) -> str:
    page = http.get(URL)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match
    return match.group(1)


@pytest.fixture
def admin(org: Any) -> HttpClient:
    return client_for(account("admin", ("administrator", org.root)))


def test_non_administrators_get_the_404_page(org: Any) -> None:
    # given a unit head of the whole administration, and a client
    lms, _secret = create_client(acting_user=None, name="LMS", scopes=["all"])
    head = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    head.force_login(account("head", ("unit_head", org.root)))  # type: ignore[arg-type]  # the project's User
    # when
    page = head.get(URL)
    created = head.post(URL, {"name": "Mine", "scopes": ["all"]})
    revoked = head.post(f"{URL}{lms.key}/revoke/")
    # then
    assert page.status_code == created.status_code == revoked.status_code == 404
    assert "LMS" not in page.content.decode()
    assert list(Client.objects.values_list("name", "revoked_at")) == [("LMS", None)]


def test_anonymous_visitors_are_sent_to_log_in(org: Any) -> None:
    page = HttpClient().get(URL)
    assert page.status_code == 302 and "/login/" in page["Location"]


def test_administration_home_links_to_the_clients_page(admin: HttpClient) -> None:
    page = admin.get("/admin/")
    assert page.status_code == 200
    assert f'href="{URL}"' in page.content.decode()


def test_create_shows_key_and_secret_once_when_the_form_is_valid(admin: HttpClient) -> None:
    # given
    token = csrf_of(admin)
    # when
    page = admin.post(
        URL,
        {
            "name": "Moodle HQ",
            "scopes": ["statements/write", "state"],
            "csrfmiddlewaretoken": token,
        },
    )
    # then: the key and the secret are on the page, and the secret matches the stored digest
    body = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    row = Client.objects.get(name="Moodle HQ")
    assert row.scopes == ["state", "statements/write"]
    secret = re.search(r'id="created-secret">([^<]+)<', body)
    assert secret and hashlib.sha256(secret.group(1).encode()).hexdigest() == row.secret_digest
    assert f'id="created-key">{row.key}<' in body
    # and: the next view of the page shows the client, never the secret again
    later = admin.get(URL).content.decode()
    assert row.key in later and secret.group(1) not in later and "created-secret" not in later


def test_create_refuses_a_duplicate_name_or_no_scope(admin: HttpClient) -> None:
    # given
    create_client(acting_user=None, name="LMS", scopes=["all"])
    token = csrf_of(admin)
    # when
    duplicate = admin.post(URL, {"name": "LMS", "scopes": ["all"], "csrfmiddlewaretoken": token})
    no_scope = admin.post(URL, {"name": "Other", "csrfmiddlewaretoken": token})
    unknown = admin.post(URL, {"name": "Other", "scopes": ["root"], "csrfmiddlewaretoken": token})
    # then
    assert duplicate.status_code == no_scope.status_code == unknown.status_code == 400
    assert "A client named LMS exists already" in duplicate.content.decode()
    assert Client.objects.count() == 1


def test_posts_without_the_csrf_token_are_refused(admin: HttpClient) -> None:
    # given
    lms, _secret = create_client(acting_user=None, name="LMS", scopes=["all"])
    # when
    created = admin.post(URL, {"name": "Other", "scopes": ["all"]})
    revoked = admin.post(f"{URL}{lms.key}/revoke/")
    # then
    assert created.status_code == revoked.status_code == 403
    assert list(Client.objects.values_list("name", "revoked_at")) == [("LMS", None)]


def test_revoke_marks_the_client_revoked_and_hides_its_button(admin: HttpClient) -> None:
    # given
    lms, _secret = create_client(acting_user=None, name="LMS", scopes=["all"])
    token = csrf_of(admin)
    # when
    answer = admin.post(f"{URL}{lms.key}/revoke/", {"csrfmiddlewaretoken": token}, follow=True)
    # then
    lms.refresh_from_db()
    assert lms.revoked_at is not None
    body = answer.content.decode()
    assert "The client LMS is revoked" in body
    assert f"{URL}{lms.key}/revoke/" not in body


def test_revoke_of_an_unknown_key_is_not_found(admin: HttpClient) -> None:
    token = csrf_of(admin)
    assert admin.post(f"{URL}nope/revoke/", {"csrfmiddlewaretoken": token}).status_code == 404


def test_revoke_answers_only_to_post(admin: HttpClient) -> None:
    lms, _secret = create_client(acting_user=None, name="LMS", scopes=["all"])
    assert admin.get(f"{URL}{lms.key}/revoke/").status_code == 405
