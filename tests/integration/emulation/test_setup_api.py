"""The campaigns and criteria API: the shape of a campaign, a phase's criteria, and the scoping."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from lifelong.core.api.auth import create_token
from lifelong.emulation.services import setup
from lifelong.emulation.services.setup import CriterionInput
from tests.factories.emulation import campaign
from tests.factories.org import account, person, unit

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    _row, token = create_token(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def test_a_campaign_answers_its_status_dates_phases_and_weighted_contents(org):
    built = campaign(org)
    api = client_of(account("truongkv1", ("unit_head", org.region_1)))
    body = api.get(f"/api/v1/campaigns/{built.campaign.pk}").json()
    assert body["id"] == built.campaign.pk
    assert body["status"] == "running"
    assert (body["starts_on"], body["ends_on"]) == ("2024-01-01", "2030-12-31")
    assert body["phases"][0] == {
        "id": built.phase_1.pk,
        "name": "Giai đoạn 2024-2025",
        "starts_on": "2024-01-01",
        "ends_on": "2025-12-31",
    }
    assert [(c["id"], c["weight"]) for c in body["contents"]] == [
        (built.contents[0].pk, 60.0),
        (built.contents[1].pk, 40.0),
    ]
    listed = api.get("/api/v1/campaigns").json()
    assert listed["count"] == 1
    assert listed["items"][0] == body


def test_the_criteria_follow_the_newest_version_with_numbers(org):
    built = campaign(org, status="draft")
    secretariat = account("thuky", ("secretariat", org.root))
    setup.save_criteria(
        acting_user=secretariat,
        phase=built.phase_2,
        rows=[
            CriterionInput(
                content_id=built.contents[0].pk,
                code="hours",
                name="Số giờ học bình quân",
                subject="both",
                metric="hours_per_head",
                kind="thresholds",
                weight=Decimal(100),
                steps="10:50; 25:80; 40:100",
            )
        ],
        note="Chuyển sang ngưỡng",
    )
    api = client_of(secretariat)
    body = api.get(f"/api/v1/campaigns/{built.campaign.pk}/criteria?phase={built.phase_2.pk}")
    assert body.status_code == 200
    answer = body.json()
    assert answer["phase_id"] == built.phase_2.pk
    assert answer["version"] == 2
    assert answer["criteria"] == [
        {
            "code": "hours",
            "name": "Số giờ học bình quân",
            "content_id": built.contents[0].pk,
            "subject": "both",
            "metric": "hours_per_head",
            "kpi_id": None,
            "kind": "thresholds",
            "weight": 100.0,
            "target": None,
            "cap": 100.0,
            "steps": [[10.0, 50.0], [25.0, 80.0], [40.0, 100.0]],
            "lower_is_better": False,
            "normalisation": "none",
        }
    ]


def test_a_draft_is_the_secretariats_only_and_an_officer_out_of_scope_gets_404(org):
    draft = campaign(org, status="draft")
    head = client_of(account("truongkv1", ("unit_head", org.region_1)))
    assert head.get("/api/v1/campaigns").json()["count"] == 0
    assert head.get(f"/api/v1/campaigns/{draft.campaign.pk}").status_code == 404
    secretariat = account("thuky", ("secretariat", org.root))
    regional = setup.create_campaign(
        acting_user=secretariat,
        name="Thi đua khu vực II",
        description="",
        launching_unit=org.root,
        scope_units=[org.region_2],
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    type(regional).objects.filter(pk=regional.pk).update(status="running")
    outsider = client_of(account("canbo", person=person(org.team_1)))
    answer = outsider.get(f"/api/v1/campaigns/{regional.pk}/criteria")
    assert answer.status_code == 404
    assert "message" in answer.json()
    insider = client_of(account("canbo2", person=person(org.team_2, given="Cường")))
    assert [c["id"] for c in insider.get("/api/v1/campaigns").json()["items"]] == [regional.pk]


def test_a_phase_of_another_campaign_is_not_found(org):
    one, other = campaign(org), campaign(org)
    api = client_of(account("thuky", ("secretariat", org.root)))
    url = f"/api/v1/campaigns/{one.campaign.pk}/criteria?phase={other.phase_1.pk}"
    assert api.get(url).status_code == 404
    assert api.get(f"/api/v1/campaigns/{one.campaign.pk}/criteria?phase=x").status_code in (
        404,
        422,
    )


def test_the_secretariat_of_another_branch_does_not_see_the_campaign(org):
    built = campaign(org)
    elsewhere = unit("Cục Hải quan tỉnh khác", code="KHAC")
    api = client_of(account("thukykhac", ("secretariat", elsewhere)))
    assert api.get(f"/api/v1/campaigns/{built.campaign.pk}").status_code == 404
    assert api.get("/api/v1/campaigns").json() == {"items": [], "count": 0}
