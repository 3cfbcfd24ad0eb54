"""A unit registers and self-assesses with evidence; the level above approves and adjusts."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lifelong.core.models import AuditEvent
from lifelong.emulation.models import Assessment, Registration
from tests.factories.emulation import campaign
from tests.factories.learning_selfstudy import PDF
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


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_a_unit_registers_and_self_assesses_with_evidence_and_the_level_above_reviews(
    page: Page, live_server
):
    # given: a running campaign; the head of region 1 and the secretariat above it
    org = small_org()
    built = campaign(org)
    head = person(org.region_1, "Trần", "Thị", "Hoa")
    account("hoa", ("unit_head", org.region_1), person=head, password=PASSWORD)
    account("thuky", ("secretariat", org.root), password=PASSWORD)
    base = live_server.url
    SHOTS.mkdir(exist_ok=True)
    url = f"{base}/emulation/{built.campaign.pk}"

    # when: the head registers region 1 for 2026 and submits
    _log_in(page, base, "hoa")
    page.goto(f"{url}/registrations/")
    page.get_by_test_id("register-unit-KV01").click()
    page.locator("#id_year").fill("2026")
    page.locator("#id_commitments").fill(
        "Bình quân mỗi công chức học tập ít nhất 35 giờ; 100% công chức có kế hoạch học tập."
    )
    page.locator("#id_targets").fill("hours: 35")
    page.get_by_test_id("registration-submit").click()
    expect(page.locator("#registrations-table")).to_contain_text("Bình quân mỗi công chức")

    # and self-assesses the evidence criterion of phase 2 with a PDF, then submits
    page.goto(f"{url}/phases/{built.phase_2.pk}/units/{org.region_1.pk}/assessment/")
    section = page.get_by_test_id("assessment-culture")
    section.locator("#id_culture-self_points").fill("90")
    section.locator("#id_culture-explanation").fill(
        "Duy trì thư viện số và sinh hoạt chuyên đề hằng tháng tại các đội."
    )
    section.locator("#id_culture-evidence").set_input_files(
        {"name": "bien-ban-sinh-hoat.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_test_id("assessment-submit-culture").click()
    expect(page.get_by_test_id("assessment-status-culture")).to_contain_text("90")
    expect(page.get_by_role("link", name="bien-ban-sinh-hoat.pdf")).to_be_visible()
    page.screenshot(path=str(SHOTS / "emulation-self-assessment.png"), full_page=True)
    _log_out(page)

    # then: the secretariat approves the registration and adjusts the score with a reason
    _log_in(page, base, "thuky")
    page.goto(f"{url}/registrations/")
    registration = Registration.objects.get(unit=org.region_1)
    page.get_by_test_id(f"approve-{registration.pk}").click()
    expect(page.get_by_test_id(f"registration-{registration.pk}")).to_contain_text("Đã duyệt")
    page.goto(f"{url}/phases/{built.phase_2.pk}/units/{org.region_1.pk}/assessment/")
    section = page.get_by_test_id("assessment-culture")
    section.locator("#id_r-culture-points").fill("75")
    section.locator("#id_r-culture-reason").fill("Chưa có minh chứng của hai đội cửa khẩu.")
    page.get_by_test_id("assessment-review-culture").click()
    expect(page.get_by_test_id("assessment-status-culture")).to_contain_text("75")
    expect(page.get_by_test_id("assessment-status-culture")).to_contain_text(
        "Chưa có minh chứng của hai đội cửa khẩu."
    )
    page.screenshot(path=str(SHOTS / "emulation-assessment-reviewed.png"), full_page=True)
    found = Assessment.objects.get(unit=org.region_1)
    assert (found.status, found.reviewed_points) == ("adjusted", 75)
    event = AuditEvent.objects.get(action="emulation.assessment_reviewed")
    assert (event.before, event.after["points"]) == ({"points": 90.0}, 75.0)
