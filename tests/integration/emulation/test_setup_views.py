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


def test_unit_heads_see_a_launched_campaign_covering_their_unit_not_a_draft(org):
    launched = campaign(org)
    draft = campaign(org, status="draft")
    Campaign.objects.filter(pk=draft.campaign.pk).update(name="Bản nháp chưa phát động")
    page = signed_in(account("truongkv1", ("unit_head", org.region_1)))
    html = page.get("/emulation/").content.decode()
    assert launched.campaign.name in html
    assert "Bản nháp chưa phát động" not in html
    assert "/setup/" not in html  # no setup link for a unit head
    assert page.get(f"/emulation/{draft.campaign.pk}/").status_code == 404
    sheet = page.get("/emulation/?format=xlsx")
    assert sheet.status_code == 200
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_menu_offers_the_campaigns_to_whom_they_concern(org):
    campaign(org, status="draft")
    covered = signed_in(account("truongkv1", ("unit_head", org.region_1)))
    assert 'href="/emulation/"' in covered.get("/").content.decode()
    outsider = signed_in(account("khach"))
    assert 'href="/emulation/"' not in outsider.get("/").content.decode()


def test_the_secretariat_changes_the_campaigns_details_and_a_bad_date_keeps_the_typing(org):
    built = campaign(org, status="draft")
    page = signed_in(account("thuky", ("secretariat", org.root)))
    url = f"/emulation/{built.campaign.pk}/setup/"
    details = {
        "part": "campaign",
        "campaign-name": "Thi đua học tập suốt đời",
        "campaign-description": "Kế hoạch 2024-2030",
        "campaign-launching_unit": org.root.pk,
        "campaign-scope_units": [org.root.pk],
        "campaign-starts_on": "01/01/2024",
        "campaign-ends_on": "31/12/2028",
    }
    answer = page.post(url, details)
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "outside the campaign&#x27;s dates" in html
    assert 'value="Thi đua học tập suốt đời"' in html
    assert page.post(url, details | {"campaign-ends_on": "31/12/2030"}).status_code == 302
    built.campaign.refresh_from_db()
    assert built.campaign.name == "Thi đua học tập suốt đời"


def test_a_contents_weight_is_changed_and_a_phase_removed_in_draft(org):
    built = campaign(org, status="draft")
    page = signed_in(account("thuky", ("secretariat", org.root)))
    url = f"/emulation/{built.campaign.pk}/setup/"
    content = built.contents[0]
    answer = page.post(
        url,
        {
            "part": f"content-{content.pk}",
            f"content-{content.pk}-name": content.name,
            f"content-{content.pk}-movement_content": "",
            f"content-{content.pk}-weight": "70",
        },
    )
    assert answer.status_code == 302
    content.refresh_from_db()
    assert content.weight == 70
    html = page.get(url).content.decode()
    assert 'data-testid="contents-total">110<' in html
    assert "add up to 110, not 100" in html
    assert page.post(f"{url}phases/{built.phase_2.pk}/remove/").status_code == 302
    assert not built.campaign.phases.filter(pk=built.phase_2.pk).exists()


def test_the_clusters_page_adds_changes_and_exports_clusters(org):
    built = campaign(org, status="draft")
    page = signed_in(account("thuky", ("secretariat", org.root)))
    url = f"/emulation/{built.campaign.pk}/setup/clusters/"
    regions = built.campaign.clusters.get(kind="cluster")
    taken = page.post(
        url,
        {
            "part": "cluster",
            "cluster-name": "Cụm mới",
            "cluster-kind": "cluster",
            "cluster-units": [org.region_1.pk],
        },
    )
    assert taken.status_code == 400
    assert "Already in another cluster: Chi cục Hải quan khu vực I" in taken.content.decode()
    moved = page.post(
        url,
        {
            "part": f"cluster-{regions.pk}",
            f"cluster-{regions.pk}-name": regions.name,
            f"cluster-{regions.pk}-kind": "cluster",
            f"cluster-{regions.pk}-units": [org.region_2.pk],
        },
    )
    assert moved.status_code == 302
    html = page.get(url).content.decode()
    assert 'data-testid="unplaced"' in html and "Chi cục Hải quan khu vực I" in html
    added = page.post(
        url,
        {
            "part": "cluster",
            "cluster-name": "Cụm khu vực I",
            "cluster-kind": "cluster",
            "cluster-units": [org.region_1.pk],
        },
    )
    assert added.status_code == 302
    assert built.campaign.clusters.count() == 3
    sheet = page.get(f"{url}?format=xlsx")
    assert sheet.status_code == 200
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    head = signed_in(account("truongkv1", ("unit_head", org.region_1)))
    assert head.get(url).status_code == 404


def test_a_bad_criterion_is_marked_on_its_row(org):
    built = campaign(org, status="draft")
    page = signed_in(account("thuky", ("secretariat", org.root)))
    url = f"/emulation/{built.campaign.pk}/setup/phases/{built.phase_1.pk}/criteria/"
    answer = page.post(url, criteria_post(built.contents[0].pk, preview="1", **{"c-0-target": "0"}))
    html = answer.content.decode()
    assert answer.status_code == 400
    assert 'data-testid="criterion-problems-1"' in html
    assert "The target must be more than 0" in html
    assert 'data-testid="preview-table"' not in html
