"""A unit head looks up a person in their region; an administrator audits it."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories.org import account, person, small_org

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("test-results")
PASSWORD = "browser-test-pass-1"


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_unit_head_finds_a_person_and_administrator_sees_the_audit(page: Page, live_server):
    # given
    org = small_org()
    found = person(org.team_1, "Nguyễn", "Văn", "Đức")
    person(org.team_1, "Trần", "Thị", "Hoa")
    other = person(org.team_2, "Lê", "Văn", "Nam")
    account("head1", ("unit_head", org.region_1), password=PASSWORD)
    account("admin", ("administrator", org.root), password=PASSWORD)
    base = live_server.url

    # when: the unit head opens their unit and searches without diacritics
    _log_in(page, base, "head1")
    page.get_by_role("link", name="Đơn vị").click()
    expect(page.get_by_role("heading", name=org.region_1.name)).to_be_visible()
    page.get_by_label("Tìm kiếm").fill("nguyen van")
    people = page.locator("#people-table")
    expect(people.get_by_role("link", name="Nguyễn Văn Đức")).to_be_visible()
    expect(people.get_by_text("Trần Thị Hoa")).to_have_count(0)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "unit-head-search.png"), full_page=True)
    people.get_by_role("link", name="Nguyễn Văn Đức").click()

    # then: the person's page opens
    expect(page.get_by_role("heading", name="Nguyễn Văn Đức")).to_be_visible()
    expect(page.get_by_text(found.officer_code)).to_be_visible()

    # when: the unit head tries a person of another region by URL
    response = page.goto(f"{base}/org/people/{other.officer_code}/")

    # then: not found, and nothing of that person shows
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.get_by_text("Lê Văn Nam")).to_have_count(0)

    # when: the administrator opens the audit log
    page.get_by_role("button", name="Đăng xuất").click()
    _log_in(page, base, "admin")
    page.goto(f"{base}/admin/audit/?actor=head1")

    # then: the refused attempt and the earlier read are both there
    events = page.locator("#audit-events")
    expect(events.locator("tr[data-action='access.denied']")).to_contain_text(other.officer_code)
    expect(events.locator("tr[data-action='person.viewed']")).to_contain_text("Nguyễn Văn Đức")
    page.screenshot(path=str(SHOTS / "admin-audit.png"), full_page=True)


def test_person_page_fits_a_phone_screen(page: Page, live_server):
    # given
    org = small_org()
    me = person(org.team_1, "Phạm", "Thị", "Lan")
    account("lan", ("officer", org.team_1), person=me, password=PASSWORD)
    page.set_viewport_size({"width": 375, "height": 740})
    # when
    _log_in(page, live_server.url, "lan")
    page.get_by_role("link", name="Hồ sơ của tôi").click()
    # then: no horizontal scrolling of the page itself
    expect(page.get_by_role("heading", name="Phạm Thị Lan")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    page.screenshot(path=str(SHOTS / "phone-person.png"), full_page=True)
