"""An officer writes an initiative with a co-author and a PDF and submits it: under evaluation."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lifelong.initiatives.models import Evaluation, Initiative
from tests.factories.initiatives import council
from tests.factories.org import account, person, small_org

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("test-results")
PASSWORD = "browser-test-pass-1"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_officer_submits_an_initiative_with_a_co_author_and_a_pdf(page: Page, live_server):
    # given: an officer of team 1, a co-author in region II, the council of region I
    org = small_org()
    lan = person(org.team_1, "Phạm", "Thị", "Lan")
    binh = person(org.team_2, "Trần", "Văn", "Bình")
    account("lan", ("officer", org.team_1), person=lan, password=PASSWORD)
    council(org.region_1, "co_so", [(person(org.region_1, "Vũ", "Văn", "Chính"), "chair")])
    base = live_server.url
    SHOTS.mkdir(exist_ok=True)

    # when: she writes the initiative, adding a row for her co-author
    _log_in(page, base, "lan")
    page.goto(f"{base}/initiatives/mine/")
    page.get_by_test_id("initiative-new").click()
    page.locator("#id_title").fill("Tự động đối chiếu bản lược khai điện tử với tờ khai")
    page.get_by_role("button", name="Thêm tác giả").click()
    expect(page.locator("#id_authors-2-officer_code")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(
        "Tự động đối chiếu bản lược khai điện tử với tờ khai"
    )
    page.locator("#id_field").select_option("digital")
    page.locator("#id_problem").fill("Đối chiếu thủ công mất nhiều giờ mỗi chuyến bay.")
    page.locator("#id_solution").fill("Công cụ so khớp tự động bản lược khai với tờ khai.")
    page.locator("#id_novelty").fill("Lần đầu áp dụng tại chi cục.")
    page.locator("#id_applied_from").fill("15/01/2025")
    page.locator("#id_effect").fill("Giảm 70% thời gian đối chiếu.")
    page.locator("#id_authors-0-share").fill("60")
    page.locator("#id_authors-1-officer_code").fill(binh.officer_code)
    page.locator("#id_authors-1-share").fill("40")
    page.locator("#id_attachments").set_input_files(
        {"name": "thuyet-minh.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.screenshot(path=str(SHOTS / "initiative-form.png"), full_page=True)
    page.locator("button[value=submit]").click()

    # then: the page shows it under evaluation, with both authors and the file
    expect(page.get_by_test_id("initiative-status")).to_have_text("Đang xét")
    authors = page.locator("#initiative-authors")
    expect(authors).to_contain_text("Phạm Thị Lan")
    expect(authors).to_contain_text("Trần Văn Bình")
    expect(page.get_by_role("link", name="thuyet-minh.pdf")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="thuyet-minh.pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    page.screenshot(path=str(SHOTS / "initiative-submitted.png"), full_page=True)
    made = Initiative.objects.get()
    assert made.status == "submitted"
    assert Evaluation.objects.get(initiative=made).council.unit == org.region_1

    # then: it is listed among her initiatives, no longer editable
    page.goto(f"{base}/initiatives/mine/")
    expect(page.locator("#initiative-table")).to_contain_text("Đang xét")
    page.goto(f"{base}/initiatives/{made.pk}/")
    expect(page.locator("#initiative-actions")).to_have_count(0)
