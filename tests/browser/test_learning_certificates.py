"""The public certificate page verifies a valid number and rejects a revoked one (issue 4)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lifelong.learning.services.certificates import issue_on_completion, revoke_certificate
from tests.factories.learning_certificates import completed_enrolment, course
from tests.factories.org import account, person, small_org

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("test-results")


def test_public_page_verifies_a_valid_number_and_rejects_a_revoked_one(page: Page, live_server):
    # given: two issued certificates, one of them revoked by the training office
    org = small_org()
    holder = person(org.team_1, "Đặng", "Thị", "Thu")
    other = person(org.team_1, "Võ", "Văn", "Phúc")
    hs = course("Trị giá hải quan nâng cao")
    valid = issue_on_completion(
        acting_user=None, enrolment=completed_enrolment(holder, hs, organiser=org.root)
    )
    revoked = issue_on_completion(
        acting_user=None, enrolment=completed_enrolment(other, hs, organiser=org.root)
    )
    office = account("office", ("training_office", org.root))
    revoke_certificate(acting_user=office, certificate=revoked, reason="Cấp nhầm")

    # when: anyone, without logging in, types the valid number (lower case, with spaces)
    page.goto(f"{live_server.url}/learning/verify/")
    page.get_by_label("Số hiệu chứng nhận").fill(f"  {valid.number.lower()} ")
    page.get_by_role("button", name="Tra cứu").click()

    # then: it is valid, with the holder and the course, and nothing personal beyond them
    result = page.locator("#verification")
    expect(result.get_by_role("heading", name="Chứng nhận còn hiệu lực")).to_be_visible()
    expect(result).to_contain_text("Đặng Thị Thu")
    expect(result).to_contain_text("Trị giá hải quan nâng cao")
    expect(result).not_to_contain_text(holder.officer_code)
    expect(result).not_to_contain_text(org.team_1.name)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "certificate-valid.png"), full_page=True)

    # when: the revoked number is checked
    page.get_by_label("Số hiệu chứng nhận").fill(revoked.number)
    page.get_by_role("button", name="Tra cứu").click()

    # then: it is rejected as revoked
    expect(
        result.get_by_role("heading", name="Chứng nhận đã bị thu hồi: không còn giá trị")
    ).to_be_visible()
    page.screenshot(path=str(SHOTS / "certificate-revoked.png"), full_page=True)

    # when: an unknown number is checked
    page.get_by_label("Số hiệu chứng nhận").fill("HQ-2026-999999-ABCD")
    page.get_by_role("button", name="Tra cứu").click()

    # then
    expect(
        result.get_by_role("heading", name="Không có chứng nhận nào mang số hiệu này")
    ).to_be_visible()
