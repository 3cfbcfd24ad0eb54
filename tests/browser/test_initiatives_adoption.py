"""Another unit applies a recognised initiative; the library finds models without diacritics."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lifelong.initiatives.models import Adoption
from lifelong.initiatives.services import library as services
from tests.factories.initiatives import recognised_initiative
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


def test_unit_head_of_another_region_registers_an_adoption_from_the_initiatives_page(
    page: Page, live_server
):
    # given: an initiative of region 1 recognised at cơ sở level
    org = small_org()
    author = person(org.team_1, "Lê", "Văn", "Hùng")
    initiative = recognised_initiative(
        org.team_1,
        [(author, 100)],
        title="Ứng dụng phân tích rủi ro trong kiểm tra hồ sơ",
        levels=(("co_so", datetime.date(2024, 6, 1)),),
    )
    head = person(org.region_2, "Trần", "Thị", "Hoa")
    account("hoa", ("unit_head", org.region_2), person=head, password=PASSWORD)
    base = live_server.url
    SHOTS.mkdir(exist_ok=True)

    # when: the unit head of region 2 registers from the initiative's page
    _log_in(page, base, "hoa")
    page.goto(f"{base}/initiatives/{initiative.pk}/")
    expect(page.locator("#initiative-adoptions")).to_contain_text("Chưa có đơn vị nào")
    page.get_by_test_id("adopt").click()
    page.locator("#id_unit").select_option(label=org.region_2.name)
    page.locator("#id_started_on").fill("01/03/2025")
    page.locator("#id_results").fill("Giảm 30% thời gian kiểm tra hồ sơ giấy.")
    page.locator("#id_figures").fill("1.200 tờ khai mỗi tháng")
    page.screenshot(path=str(SHOTS / "initiatives-adoption-form.png"), full_page=True)
    page.get_by_role("button", name="Lưu").click()

    # then: back on the initiative's page, region 2 applies it since 01/03/2025 with its results
    expect(page).to_have_url(f"{base}/initiatives/{initiative.pk}/")
    row = page.locator("#initiative-adoptions tbody tr").first
    expect(row).to_contain_text("Chi cục Hải quan khu vực II")
    expect(row).to_contain_text("01/03/2025")
    expect(row).to_contain_text("Giảm 30% thời gian kiểm tra hồ sơ giấy.")
    expect(row).to_contain_text("1.200 tờ khai mỗi tháng")
    page.screenshot(path=str(SHOTS / "initiatives-adoption-shown.png"), full_page=True)
    adoption = Adoption.objects.get()
    assert (adoption.unit, adoption.initiative) == (org.region_2, initiative)


def test_the_good_model_library_finds_a_model_searched_without_diacritics(page: Page, live_server):
    # given: two good models, curated by the secretariat
    org = small_org()
    secretariat = account("thuky", ("secretariat", org.root), password=PASSWORD)
    for title, content, unit in (
        ("Mô hình một cửa số tại cảng biển", "digital_data", org.team_2),
        ("Cách làm hiệu quả trong kèm cặp công chức mới", "job_position", org.team_1),
    ):
        services.create_good_model(
            acting_user=secretariat,
            data=services.GoodModelInput(
                title=title,
                summary="Chia sẻ để các đơn vị nhân rộng.",
                contents=[content],
                unit_ids=[unit.pk],
            ),
        )
    officer = person(org.team_2, "Phạm", "Thị", "Lan")
    account("lan", ("officer", org.team_2), person=officer, password=PASSWORD)
    base = live_server.url

    # when: an officer types the words without diacritics
    _log_in(page, base, "lan")
    page.goto(f"{base}/initiatives/good-models/")
    rows = page.locator("#good-models-table tbody tr")
    expect(rows).to_have_count(2)
    page.locator("#good-model-q").fill("mo hinh cang bien")

    # then: the list narrows in place to the one model
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Mô hình một cửa số tại cảng biển")
    expect(page).to_have_url(re.compile(r"/initiatives/good-models/\?q=mo(\+|%20)hinh"))
    page.screenshot(path=str(SHOTS / "initiatives-good-model-search.png"), full_page=True)
