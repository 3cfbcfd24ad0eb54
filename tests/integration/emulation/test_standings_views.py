"""Pages of scores: dashboard, rankings, a unit's drill-down, freezing and reopening reviews."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from lifelong.emulation.choices import AssessmentStatus
from lifelong.emulation.models import Assessment, Review
from lifelong.emulation.services import reviews, scoring
from tests.factories.emulation import campaign
from tests.factories.learning_ledger import learn
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 22)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in(user) -> Client:
    """A signed-in client reading the pages in English (the UI's default is Vietnamese)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def scored(org):
    built = campaign(org)
    officers = [person(org.team_1), person(org.team_2, given="Cường")]
    learn(officers[0], 40, year=2025)
    learn(officers[1], 20, year=2025)
    scoring.recompute(campaign=built.campaign, today=TODAY)
    return built, officers


def test_the_dashboard_ranks_units_by_cluster_with_progress_by_content(org, scored):
    built, _ = scored
    page = signed_in(account("thuky", ("secretariat", org.root)))
    url = f"/emulation/{built.campaign.pk}/?phase={built.phase_1.pk}"
    html = page.get(url).content.decode()
    assert "Cụm các chi cục khu vực" in html and "Khối cơ quan" in html
    assert html.index("khu vực I") < html.index("khu vực II")  # region 1 ranks first
    assert "Progress by content" in html and "Trend over the phases" in html
    export = page.get(url + "&format=xlsx")
    assert export["Content-Type"] == XLSX


def test_a_unit_head_sees_their_unit_only_and_not_another_units_page(org, scored):
    built, _ = scored
    page = signed_in(account("truongkv1", ("unit_head", org.region_1)))
    html = page.get(f"/emulation/{built.campaign.pk}/?phase={built.phase_1.pk}").content.decode()
    assert "khu vực I" in html and "khu vực II" not in html
    other = page.get(f"/emulation/{built.campaign.pk}/units/{org.region_2.pk}/")
    assert other.status_code == 404


def test_the_unit_page_explains_each_score_with_the_numbers_behind_it(org, scored):
    built, _ = scored
    page = signed_in(account("thuky", ("secretariat", org.root)))
    html = page.get(
        f"/emulation/{built.campaign.pk}/units/{org.region_1.pk}/?phase={built.phase_1.pk}"
    ).content.decode()
    assert "Rank 1 of 2 in Cụm các chi cục khu vực" in html
    assert "Hours counted" in html and "40.00" in html
    assert "No data for this period" in html  # the evidence criterion, not assessed


def test_an_officer_sees_the_campaign_and_their_own_rank_only(org, scored):
    built, officers = scored
    page = signed_in(account("canbo", person=officers[0]))
    assert built.campaign.name in page.get("/emulation/").content.decode()
    html = page.get(
        f"/emulation/{built.campaign.pk}/people/?phase={built.phase_1.pk}"
    ).content.decode()
    assert officers[0].officer_code in html and officers[1].officer_code not in html


def test_the_secretariat_freezes_a_review_and_reopens_it_with_a_reason(org, scored):
    built, _ = scored
    page = signed_in(account("thuky", ("secretariat", org.root)))
    base = f"/emulation/{built.campaign.pk}/reviews"
    answer = page.post(f"{base}/freeze/", {"kind": "interim", "phase": built.phase_1.pk})
    review = Review.objects.get()
    assert answer.url == f"{base}/{review.pk}/"
    html = page.get(answer.url).content.decode()
    assert "Version 1, frozen on" in html and "Proposed for commendation" in html
    again = page.post(
        f"{base}/freeze/", {"kind": "interim", "phase": built.phase_1.pk}, follow=True
    )
    assert "already frozen" in again.content.decode()
    assert Review.objects.count() == 1
    refused = page.post(f"{base}/{review.pk}/reopen/", {"reason": " "}, follow=True)
    assert "Say why the review is reopened" in refused.content.decode()
    reopened = page.post(f"{base}/{review.pk}/reopen/", {"reason": "Bổ sung dữ liệu"})
    newest = Review.objects.get(version=2)
    assert reopened.url == f"{base}/{newest.pk}/"
    old = page.get(f"{base}/{review.pk}/").content.decode()
    assert "Bổ sung dữ liệu" in old and "A newer version replaces this one" in old


def test_a_unit_head_cannot_freeze_a_review(org, scored):
    built, _ = scored
    page = signed_in(account("truongkv1", ("unit_head", org.region_1)))
    page.post(
        f"/emulation/{built.campaign.pk}/reviews/freeze/",
        {"kind": "interim", "phase": built.phase_1.pk},
    )
    assert not Review.objects.exists()


def test_the_unit_page_lists_the_officers_behind_the_learning_figures(org, scored):
    built, officers = scored
    page = signed_in(account("thuky", ("secretariat", org.root)))
    url = f"/emulation/{built.campaign.pk}/units/{org.region_1.pk}/?phase={built.phase_1.pk}"
    assert officers[0].officer_code not in page.get(url).content.decode()
    html = page.get(url + "&officers=1").content.decode()
    assert officers[0].officer_code in html and officers[1].officer_code not in html
    assert "40" in html  # the officer's hours in 2024-2025


def test_the_officers_ranking_filters_by_a_unit_the_user_sees(org, scored):
    built, officers = scored
    page = signed_in(account("thuky", ("secretariat", org.root)))
    url = f"/emulation/{built.campaign.pk}/people/?phase={built.phase_1.pk}"
    everyone = page.get(url).content.decode()
    assert 'data-testid="people-unit"' in everyone
    assert officers[0].officer_code in everyone and officers[1].officer_code in everyone
    html = page.get(f"{url}&unit={org.region_2.pk}").content.decode()
    assert officers[1].officer_code in html and officers[0].officer_code not in html
    head = signed_in(account("truongkv1", ("unit_head", org.region_1)))
    assert head.get(f"{url}&unit={org.region_2.pk}").status_code == 404


def test_the_unit_page_lists_its_self_assessments(org, scored):
    built, _ = scored
    Assessment.objects.create(
        phase=built.phase_1,
        criterion_code="culture",
        unit=org.region_1,
        self_points=Decimal("80"),
        reviewed_points=Decimal("70"),
        review_reason="Thiếu minh chứng năm 2025",
        status=AssessmentStatus.ADJUSTED,
    )
    page = signed_in(account("thuky", ("secretariat", org.root)))
    html = page.get(
        f"/emulation/{built.campaign.pk}/units/{org.region_1.pk}/?phase={built.phase_1.pk}"
    ).content.decode()
    table = html[html.index('id="evidence-table"') :]
    assert "Thiếu minh chứng năm 2025" in table and "Adjusted" in table


def test_reviews_and_a_reviews_rows_export_as_xlsx(org, scored):
    built, officers = scored
    secretariat = account("thuky", ("secretariat", org.root))
    review = reviews.freeze(
        acting_user=secretariat,
        campaign=built.campaign,
        kind="interim",
        phase=built.phase_1,
        today=TODAY,
    )
    page = signed_in(secretariat)
    base = f"/emulation/{built.campaign.pk}/reviews/"
    listed = page.get(base + "?format=xlsx")
    assert listed["Content-Type"] == XLSX
    assert [row[2] for row in sheet_rows(listed)[1:]] == [1]
    people = sheet_rows(page.get(f"{base}{review.pk}/?format=xlsx&rows=people"))
    assert people[0][:4] == ("Cluster", "Rank", "Officer code", "Name")
    assert {row[2] for row in people[1:]} == {o.officer_code for o in officers}
    units = sheet_rows(page.get(f"{base}{review.pk}/?format=xlsx"))
    assert {row[2] for row in units[1:]} >= {org.region_1.name, org.region_2.name}


def sheet_rows(response) -> list[tuple]:
    """Return an XLSX response's first sheet as rows of values."""
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))
