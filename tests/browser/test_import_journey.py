"""An administrator imports people: a bad file is refused row by row, a good one applied."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lifelong.org.models import Person
from tests.factories.org import account, small_org

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
SHOTS = Path("test-results")
PASSWORD = "browser-test-pass-1"


def test_administrator_sees_every_bad_row_then_applies_a_good_file(page: Page, live_server):
    # given
    org = small_org()
    account("admin", ("administrator", org.root), password=PASSWORD)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Quản trị").click()
    page.get_by_role("link", name="Nhập đơn vị, vị trí việc làm và cán bộ").click()

    # when: a file with bad rows is checked
    page.locator("input[type=file]").set_input_files(str(FIXTURES / "people_bad.csv"))
    page.get_by_role("button", name="Kiểm tra tệp").click()

    # then: every error is listed with its row, and nothing is written
    errors = page.locator("#import-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("BAD001")
    assert errors.locator("tbody tr").count() >= 5
    assert Person.objects.count() == 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "import-errors.png"), full_page=True)

    # when: a good file is checked, then applied
    page.locator("input[type=file]").set_input_files(str(FIXTURES / "people_utf8_bom.csv"))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator("#import-counts")).to_be_visible()
    page.get_by_role("button", name="Thực hiện nhập").click()

    # then: the people are there, names intact
    expect(page.get_by_text("Đã nhập từ")).to_be_visible()
    assert Person.objects.filter(officer_code="IMP0001", given_name="Đức").exists()
