"""Frozen reviews: nothing that arrives later moves them; reopening makes a new version."""

import datetime

import pytest
from django.utils import translation

from lifelong.core.exceptions import Conflict, NotFound, ValidationFailed
from lifelong.core.models import AuditEvent
from lifelong.emulation.models import Registration, Review, Standing
from lifelong.emulation.services import reviews, scoring
from tests.factories.emulation import campaign
from tests.factories.learning_ledger import learn
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 22)


def region_row(review: Review, unit) -> dict:
    return next(u for u in review.snapshot["units"] if u["unit_id"] == unit.pk)


def test_a_frozen_interim_review_does_not_move_when_data_inside_the_phase_arrives(org):
    # given: region 2 ahead in 2025, and an interim review of phase 1 frozen
    built = campaign(org)
    secretariat = account("thuky", ("secretariat", org.root))
    a, c = person(org.team_1), person(org.team_2, given="Cường")
    learn(a, 10, year=2025)
    learn(c, 40, year=2025)
    review = reviews.freeze(
        acting_user=secretariat,
        campaign=built.campaign,
        kind="interim",
        phase=built.phase_1,
        today=TODAY,
    )
    frozen = region_row(review, org.region_1)
    assert (frozen["rank"], frozen["detail"]["hours"]["inputs"]["hours"]) == (2, "10.00")
    # when: learning dated inside phase 1 arrives later and the live scores are recomputed
    learn(a, 100, year=2025)
    scoring.recompute(campaign=built.campaign, today=TODAY)
    # then: the live ranking moved, the review did not
    assert Standing.objects.get(phase=built.phase_1, unit=org.region_1).rank == 1
    review.refresh_from_db()
    assert region_row(review, org.region_1) == frozen
    assert review.snapshot["criteria"][0]["code"] == "hours"
    assert review.snapshot["criteria_version"] == 1


def test_a_review_is_frozen_once_and_cannot_be_edited(org):
    built = campaign(org)
    secretariat = account("thuky", ("secretariat", org.root))
    review = reviews.freeze(
        acting_user=secretariat, campaign=built.campaign, kind="interim", phase=built.phase_1
    )
    with pytest.raises(Conflict):
        reviews.freeze(
            acting_user=secretariat, campaign=built.campaign, kind="interim", phase=built.phase_1
        )
    review.snapshot["units"] = []
    with translation.override("en"), pytest.raises(ValidationFailed, match="cannot be changed"):
        review.save()
    assert Review.objects.get(pk=review.pk).snapshot["units"] != []


def test_only_the_secretariat_reopens_with_a_reason_and_the_old_version_is_kept(org):
    built = campaign(org)
    secretariat = account("thuky", ("secretariat", org.root))
    head = account("truongkv1", ("unit_head", org.region_1))
    a = person(org.team_1)
    first = reviews.freeze(
        acting_user=secretariat, campaign=built.campaign, kind="interim", phase=built.phase_1
    )
    with pytest.raises(NotFound):
        reviews.reopen(acting_user=head, review=first, reason="Sai số liệu")
    with pytest.raises(ValidationFailed):
        reviews.reopen(acting_user=secretariat, review=first, reason="  ")
    learn(a, 30, year=2024)
    second = reviews.reopen(
        acting_user=secretariat, review=first, reason="Bổ sung dữ liệu học tập năm 2024"
    )
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.superseded_at is not None
    assert first.reopen_reason == "Bổ sung dữ liệu học tập năm 2024"
    assert region_row(first, org.region_1)["total"] < region_row(second, org.region_1)["total"]
    assert AuditEvent.objects.filter(action="emulation.review_reopened").count() == 1


def test_the_final_review_proposes_the_top_registered_unit_of_each_cluster(org):
    built = campaign(org)
    secretariat = account("thuky", ("secretariat", org.root))
    a, c = person(org.team_1), person(org.team_2, given="Cường")
    learn(a, 40, year=2025)
    learn(c, 10, year=2025)
    for unit in (org.region_1, org.region_2):
        Registration.objects.create(
            campaign=built.campaign, year=2025, unit=unit, status="approved"
        )
    Registration.objects.create(campaign=built.campaign, year=2025, person=a, status="approved")
    review = reviews.freeze(acting_user=secretariat, campaign=built.campaign, kind="final")
    assert review.phase is None
    proposed = review.snapshot["proposals"]
    assert [u["unit_id"] for u in proposed["units"]] == [org.region_1.pk]
    assert proposed["units"][0]["reasons"]["rank"] == 1
    assert proposed["units"][0]["reasons"]["best_content"]["name"]
    assert [p["officer_code"] for p in proposed["people"]] == [a.officer_code]
