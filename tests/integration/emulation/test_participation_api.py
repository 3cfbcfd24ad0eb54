"""API of registrations, evidence and KPIs: scoped, numbers as numbers, refusals as 400."""

import datetime

import pytest
from django.test import Client

from lifelong.core.api.auth import create_token
from lifelong.emulation.models import Assessment, KpiIndicator
from tests.factories.emulation import campaign
from tests.factories.org import account

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    _row, token = create_token(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def test_a_unit_registers_through_the_api_and_the_level_above_approves(org):
    built = campaign(org)
    head = client_of(account("truongkv1", ("unit_head", org.region_1)))
    secretariat = client_of(account("thuky", ("secretariat", org.root)))
    url = f"/api/v1/campaigns/{built.campaign.pk}/registrations"
    made = head.post(
        url,
        {
            "year": 2026,
            "commitments": "35 giờ",
            "targets": {"hours": 35},
            "unit_id": org.region_1.pk,
            "submit": True,
        },
        content_type="application/json",
    )
    assert made.status_code == 200, made.content
    body = made.json()
    assert (body["status"], body["targets"]) == ("submitted", {"hours": 35.0})
    assert head.post(f"/api/v1/registrations/{body['id']}/approve").status_code == 404
    approved = secretariat.post(f"/api/v1/registrations/{body['id']}/approve").json()
    assert approved["status"] == "approved"
    bad = head.post(
        url, {"year": 2040, "unit_id": org.region_1.pk}, content_type="application/json"
    )
    assert bad.status_code == 400 and "year of the campaign" in bad.json()["message"]
    other = client_of(account("truongkv2", ("unit_head", org.region_2)))
    assert other.get(url).json()["count"] == 0


def test_evidence_is_listed_and_reviewed_through_the_api(org):
    built = campaign(org)
    found = Assessment.objects.create(
        phase=built.phase_2,
        criterion_code="culture",
        unit=org.region_1,
        self_points=90,
        explanation="Thư viện số",
        status="submitted",
    )
    secretariat = client_of(account("thuky", ("secretariat", org.root)))
    listed = secretariat.get(
        f"/api/v1/campaigns/{built.campaign.pk}/evidence?phase={built.phase_2.pk}"
    ).json()
    assert listed["items"][0]["self_points"] == 90.0
    refused = secretariat.post(
        f"/api/v1/evidence/{found.pk}/review", {"points": 60}, content_type="application/json"
    )
    assert refused.status_code == 400
    done = secretariat.post(
        f"/api/v1/evidence/{found.pk}/review",
        {"points": 60, "reason": "Thiếu biên bản"},
        content_type="application/json",
    ).json()
    assert (done["status"], done["reviewed_points"]) == ("adjusted", 60.0)


def test_kpis_are_reported_and_compared_through_the_api(org):
    KpiIndicator.objects.create(code="doanh-nghiep", name="Doanh nghiệp", measure="doanh nghiệp")
    head = client_of(account("truongkv1", ("unit_head", org.region_1)))
    url = f"/api/v1/units/{org.region_1.pk}/kpis"
    for year, value in ((2024, 100), (2025, 130)):
        answer = head.post(
            url,
            {
                "indicator": "doanh-nghiep",
                "period_start": f"{year}-01-01",
                "period_end": f"{year}-12-31",
                "value": value,
                "source": "Báo cáo năm",
            },
            content_type="application/json",
        )
        assert answer.status_code == 200, answer.content
    items = head.get(url).json()["items"]
    assert [i["change_percent"] for i in items] == [None, 30.0]
    assert items[1]["change_fold"] == 1.3
    future = head.post(
        url,
        {
            "indicator": "doanh-nghiep",
            "period_start": f"{datetime.date.today().year + 1}-01-01",
            "period_end": f"{datetime.date.today().year + 1}-12-31",
            "value": 1,
            "source": "x",
        },
        content_type="application/json",
    )
    assert future.status_code == 400
    assert head.get(f"/api/v1/units/{org.region_2.pk}/kpis").status_code == 404
    assert head.get("/api/v1/kpis").json()["items"][0]["period_kind"] == "year"
