"""Pages: login, home by role, unit page, person page, audit log, errors."""

import pytest
from django.test import Client

from tests.factories.org import account, person

pytestmark = pytest.mark.django_db


def test_pages_require_login(org):
    response = Client().get(f"/org/units/{org.root.pk}/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_login_page_is_vietnamese_by_default():
    body = Client().get("/login/").content.decode()
    assert "Đăng nhập" in body
    assert 'lang="vi"' in body


def test_login_and_logout_are_audited(org):
    from lifelong.core.models import AuditEvent

    # given
    account("head", ("unit_head", org.region_1), password="a-Good-pass-123")
    client = Client()
    # when
    client.post("/login/", {"username": "head", "password": "wrong"})
    client.post("/login/", {"username": "head", "password": "a-Good-pass-123"})
    client.post("/logout/")
    # then
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["auth.login_failed", "auth.logged_in", "auth.logged_out"]


def test_every_page_shows_logout_when_logged_in(org):
    client = Client()
    client.force_login(account("head", ("unit_head", org.region_1)))
    for url in ["/", f"/org/units/{org.region_1.pk}/"]:
        body = client.get(url).content.decode()
        assert "Đăng xuất" in body


def test_unit_page_lists_sub_units_and_paginates_people(org, django_assert_max_num_queries):
    # given
    for i in range(30):
        person(org.team_1, given=f"Người{i}")
    client = Client()
    client.force_login(account("head", ("unit_head", org.region_1)))
    # when
    with django_assert_max_num_queries(20):
        first = client.get(f"/org/units/{org.region_1.pk}/")
    second = client.get(f"/org/units/{org.region_1.pk}/", {"page": 2})
    # then
    body = first.content.decode()
    assert org.team_1.name in body
    assert "30" in body
    assert second.status_code == 200


def test_htmx_search_returns_the_people_fragment_only(org):
    # given
    person(org.team_1, "Nguyễn", "Văn", "Khoa")
    client = Client()
    client.force_login(account("head", ("unit_head", org.region_1)))
    # when
    response = client.get(f"/org/units/{org.region_1.pk}/", {"q": "khoa"}, HTTP_HX_REQUEST="true")
    # then
    body = response.content.decode()
    assert "Nguyễn Văn Khoa" in body
    assert "<html" not in body


@pytest.mark.parametrize("url", ["/org/units/99999999/", "/org/units/abc/", "/org/people/x" * 20])
def test_malformed_or_unknown_ids_give_the_not_found_page(org, url):
    client = Client()
    client.force_login(account("head", ("unit_head", org.region_1)))
    response = client.get(url)
    assert response.status_code == 404


def test_audit_log_is_for_administrators_only(org):
    admin = Client()
    admin.force_login(account("admin", ("administrator", org.root)))
    head = Client()
    head.force_login(account("head", ("unit_head", org.region_1)))
    assert admin.get("/admin/audit/").status_code == 200
    assert head.get("/admin/audit/").status_code == 404
    assert admin.get("/admin/audit/", {"since": "31/02/2025"}).status_code == 200


def test_django_admin_is_for_administrators_only(org):
    head = Client()
    head.force_login(account("head", ("unit_head", org.region_1)))
    admin = Client()
    admin.force_login(account("admin", ("administrator", org.root)))
    assert head.get("/django-admin/").status_code == 302
    assert admin.get("/django-admin/").status_code == 200
    assert admin.get("/django-admin/org/person/").status_code == 200


def test_english_is_available(org):
    client = Client()
    client.force_login(account("head", ("unit_head", org.region_1)))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert "Log out" in body


def test_vietnamese_is_kept_whatever_the_browser_asks(org):
    # given: a workstation whose browser prefers English
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    # when
    body = client.get("/login/").content.decode()
    # then
    assert 'lang="vi"' in body
