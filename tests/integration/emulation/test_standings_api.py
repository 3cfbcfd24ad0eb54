"""The emulation API: campaigns, criteria, live rankings, a unit's drill-down, frozen reviews."""

import datetime

import pytest
from django.test import Client

from lifelong.core.api.auth import create_token
from lifelong.emulation.models import Campaign
from lifelong.emulation.services import reviews, scoring
from tests.factories.emulation import campaign
from tests.factories.learning_ledger import learn
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 22)


def client_of(user) -> Client:
    _row, token = create_token(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def scored(org):
    """A scored campaign: region 1 and region 2 tie on hours, the HQ department alone."""
    built = campaign(org)
    officers = [person(org.team_1), person(org.team_2, given="Cường")]
    for officer in officers:
        learn(officer, 30, year=2025)
    scoring.recompute(campaign=built.campaign, today=TODAY)
    return built, officers


def test_campaigns_list_their_phases_and_contents_with_numbers(org, scored):
    built, _ = scored
    api = client_of(account("thuky", ("secretariat", org.root)))
    body = api.get("/api/v1/campaigns").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert [p["name"] for p in item["phases"]] == ["Giai đoạn 2024-2025", "Giai đoạn 2026-2030"]
    assert [c["weight"] for c in item["contents"]] == [60.0, 40.0]
    criteria = api.get(
        f"/api/v1/campaigns/{built.campaign.pk}/criteria?phase={built.phase_1.pk}"
    ).json()
    assert criteria["version"] == 1
    assert criteria["criteria"][1]["steps"] == [[10.0, 50.0], [30.0, 80.0], [50.0, 100.0]]


def test_the_ranking_shares_ranks_on_ties_and_shows_scores_by_content(org, scored):
    built, _ = scored
    api = client_of(account("thuky", ("secretariat", org.root)))
    body = api.get(f"/api/v1/campaigns/{built.campaign.pk}/ranking?phase={built.phase_1.pk}").json()
    assert body["phase_id"] == built.phase_1.pk
    regions = [u for u in body["units"] if u["cluster"] == "Cụm các chi cục khu vực"]
    assert [u["rank"] for u in regions] == [1, 1]
    first = regions[0]
    assert isinstance(first["total"], float)
    assert set(first["by_content"]) == {str(c.pk) for c in built.contents}


def test_a_unit_head_sees_only_their_units_and_officers(org, scored):
    built, officers = scored
    head = client_of(account("truongkv1", ("unit_head", org.region_1)))
    url = f"/api/v1/campaigns/{built.campaign.pk}"
    units = head.get(f"{url}/ranking?phase={built.phase_1.pk}").json()["units"]
    assert [u["unit_id"] for u in units] == [org.region_1.pk]
    people = head.get(f"{url}/ranking/people?phase={built.phase_1.pk}").json()
    assert [p["officer_code"] for p in people["people"]] == [officers[0].officer_code]
    assert head.get(f"{url}/units/{org.region_2.pk}/scores").status_code == 404
    assert head.get(f"{url}/ranking/people?unit_id={org.region_2.pk}").status_code == 404


def test_an_officer_out_of_scope_does_not_see_a_draft_campaign(org, scored):
    built, officers = scored
    Campaign.objects.filter(pk=built.campaign.pk).update(status="draft")
    officer = client_of(account("canbo", person=officers[0]))
    assert officer.get(f"/api/v1/campaigns/{built.campaign.pk}").status_code == 404
    assert officer.get("/api/v1/campaigns").json()["count"] == 0


def test_an_officer_sees_their_own_rank(org, scored):
    built, officers = scored
    officer = client_of(account("canbo", person=officers[0]))
    url = f"/api/v1/campaigns/{built.campaign.pk}"
    assert officer.get(f"{url}/ranking?phase={built.phase_1.pk}").json()["units"] == []
    people = officer.get(f"{url}/ranking/people?phase={built.phase_1.pk}").json()["people"]
    assert [p["officer_code"] for p in people] == [officers[0].officer_code]


def test_the_drill_down_shows_the_numbers_behind_each_score(org, scored):
    built, _ = scored
    api = client_of(account("thuky", ("secretariat", org.root)))
    body = api.get(
        f"/api/v1/campaigns/{built.campaign.pk}/units/{org.region_1.pk}/scores"
        f"?phase={built.phase_1.pk}"
    ).json()
    hours = next(c for c in body["criteria"] if c["code"] == "hours")
    assert hours["inputs"] == {"hours": "30.00", "headcount": 1, "officer_years": 2}
    assert (hours["value"], hours["points"]) == (15.0, 50.0)
    culture = next(c for c in body["criteria"] if c["code"] == "culture")
    assert culture["problem"] == "no_data"


def test_a_review_answers_its_frozen_snapshot_after_new_data(org, scored):
    built, officers = scored
    secretariat = account("thuky", ("secretariat", org.root))
    review = reviews.freeze(
        acting_user=secretariat,
        campaign=built.campaign,
        kind="interim",
        phase=built.phase_1,
        today=TODAY,
    )
    api = client_of(secretariat)
    url = f"/api/v1/campaigns/{built.campaign.pk}/reviews"
    before = api.get(f"{url}/{review.pk}").json()
    learn(officers[1], 60, year=2025)
    scoring.recompute(campaign=built.campaign, today=TODAY)
    after = api.get(f"{url}/{review.pk}").json()
    assert after == before
    assert [u["rank"] for u in before["units"] if u["cluster"].startswith("Cụm")] == [1, 1]
    live = api.get(f"/api/v1/campaigns/{built.campaign.pk}/ranking?phase={built.phase_1.pk}")
    ranks = {u["unit_id"]: u["rank"] for u in live.json()["units"]}
    assert (ranks[org.region_2.pk], ranks[org.region_1.pk]) == (1, 2)
    listed = api.get(url).json()
    assert listed["items"][0] | {"frozen_at": None} == {
        "id": review.pk,
        "kind": "interim",
        "phase_id": built.phase_1.pk,
        "version": 1,
        "frozen_at": None,
        "superseded_at": None,
    }
