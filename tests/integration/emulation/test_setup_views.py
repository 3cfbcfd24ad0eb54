"""Setup pages: only the secretariat over the launching unit; preview shows, save versions."""

import pytest
from django.conf import settings
from django.test import Client

from lifelong.emulation.models import Campaign, CriteriaVersion
from tests.factories.emulation import campaign
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def criteria_post(content_id: int, **changes) -> dict:
    row = {
        "c-TOTAL_FORMS": "1",
        "c-INITIAL_FORMS": "0",
        "c-0-content": str(content_id),
        "c-0-code": "hours",
        "c-0-name": "Số giờ học",
        "c-0-subject": "units",
        "c-0-metric": "hours_per_head",
        "c-0-kind": "linear",
        "c-0-weight": "100",
        "c-0-target": "30",
        "c-0-cap": "100",
        "c-0-normalisation": "none",
    }
    return row | changes


def test_unit_heads_and_officers_do_not_reach_the_setup_pages(org):
    built = campaign(org)
    for user in (
        account("truongkv1", ("unit_head", org.region_1)),
        account("canbo", person=person(org.team_1)),
    ):
        page = signed_in(user)
        assert page.get(f"/emulation/{built.campaign.pk}/setup/").status_code == 404
        url = f"/emulation/{built.campaign.pk}/setup/phases/{built.phase_1.pk}/criteria/"
        assert page.get(url).status_code == 404
        assert page.get("/emulation/new/").status_code == 404


def test_the_preview_shows_scores_and_saves_nothing_then_save_makes_version_2(org):
    built = campaign(org, status="draft")
    page = signed_in(account("thuky", ("secretariat", org.root)))
    url = f"/emulation/{built.campaign.pk}/setup/phases/{built.phase_1.pk}/criteria/"
    assert "Số giờ học bình quân" in page.get(url).content.decode()  # version 1's rows
    body = criteria_post(built.contents[0].pk, preview="1")
    html = page.post(url, body).content.decode()
    assert 'data-testid="preview-table"' in html and "KV01" in html
    assert CriteriaVersion.objects.filter(phase=built.phase_1).count() == 1
    saved = page.post(url, criteria_post(built.contents[0].pk, save="1"))
    assert saved.status_code == 302
    assert CriteriaVersion.objects.filter(phase=built.phase_1).count() == 2


def test_weights_not_summing_to_100_are_refused_and_the_rows_stay_typed(org):
    built = campaign(org, status="draft")
    page = signed_in(account("thuky", ("secretariat", org.root)))
    url = f"/emulation/{built.campaign.pk}/setup/phases/{built.phase_1.pk}/criteria/"
    answer = page.post(url, criteria_post(built.contents[0].pk, save="1", **{"c-0-weight": "70"}))
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "add up to 70, not 100" in html
    assert 'value="Số giờ học"' in html
    assert CriteriaVersion.objects.filter(phase=built.phase_1).count() == 1


def test_the_secretariat_creates_a_campaign_in_draft(org):
    page = signed_in(account("thuky", ("secretariat", org.root)))
    answer = page.post(
        "/emulation/new/",
        {
            "name": "Thi đua năm 2027",
            "launching_unit": org.root.pk,
            "starts_on": "01/01/2027",
            "ends_on": "31/12/2026",
        },
    )
    assert answer.status_code == 400
    assert "cannot end before it starts" in answer.content.decode()
    answer = page.post(
        "/emulation/new/",
        {
            "name": "Thi đua năm 2027",
            "launching_unit": org.root.pk,
            "starts_on": "01/01/2027",
            "ends_on": "31/12/2027",
        },
    )
    made = Campaign.objects.get()
    assert answer.url == f"/emulation/{made.pk}/setup/"
    assert made.status == "draft"
