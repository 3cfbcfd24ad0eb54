"""Live scores: recomputed from the learning, initiatives and evidence data, ranked in clusters."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from lifelong.emulation.models import Assessment, Standing
from lifelong.emulation.services import scoring
from tests.factories.emulation import campaign
from tests.factories.initiatives import recognised_initiative
from tests.factories.learning_ledger import learn
from tests.factories.org import person

# The learning projection runs when the statements' transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 22)


def unit_standing(phase, unit) -> Standing:
    return Standing.objects.get(phase=phase, unit=unit)


def test_units_are_scored_from_their_officers_learning_and_ranked_in_their_cluster(org):
    # given: two officers in region 1 with 60 h each over 2024-2025, one in region 2 with 15 h
    built = campaign(org)
    a, b = person(org.team_1), person(org.region_1, given="Bình")
    c = person(org.team_2, given="Cường")
    for officer, hours in ((a, 30), (b, 30), (c, 15)):
        learn(officer, hours, year=2024)
        learn(officer, hours, year=2025)
    # when
    result = scoring.recompute(campaign=built.campaign, today=TODAY)
    # then: hours per head per year 30 (100 points) against 15 (50 points)
    first = unit_standing(built.phase_1, org.region_1)
    second = unit_standing(built.phase_1, org.region_2)
    assert first.detail["hours"]["value"] == 30.0
    assert first.detail["hours"]["points"] == 100.0
    assert first.detail["hours"]["inputs"] == {
        "hours": "120.00",
        "headcount": 2,
        "officer_years": 4,
    }
    assert second.detail["hours"]["points"] == 50.0
    assert (first.rank, first.of, second.rank) == (1, 2, 2)
    # the HQ department competes alone in its block, with no staff
    block = unit_standing(built.phase_1, org.hq_dept)
    assert (block.rank, block.of) == (1, 1)
    assert block.detail["hours"]["problem"] == "no_staff"
    # people are ranked within their cluster on the criteria that apply to them
    people = Standing.objects.filter(phase=built.phase_1, person__isnull=False)
    assert {s.person_id: s.rank for s in people} == {a.pk: 1, b.pk: 1, c.pk: 3}
    assert result.phases == 2


def test_recompute_follows_new_learning_data(org):
    # given: scored once
    built = campaign(org)
    a = person(org.team_1)
    c = person(org.team_2, given="Cường")
    learn(a, 10, year=2025)
    learn(c, 20, year=2025)
    scoring.recompute(campaign=built.campaign, today=TODAY)
    assert unit_standing(built.phase_1, org.region_1).rank == 2
    # when: region 1's officer learns 40 more hours in 2025, and the task runs
    learn(a, 40, year=2025)
    done = scoring.recompute_changed()
    # then: region 1 moves to the top
    assert done == [built.campaign.pk]
    assert unit_standing(built.phase_1, org.region_1).rank == 1
    # and nothing changed: the next run skips the campaign
    assert scoring.recompute_changed() == []


def test_initiatives_count_per_100_staff_and_evidence_scores_the_reviewed_points(org):
    built = campaign(org)
    author = person(org.team_1)
    person(org.team_1, given="Bình")
    recognised_initiative(org.team_1, [(author, 100)], (("co_so", datetime.date(2025, 3, 1)),))
    Assessment.objects.create(
        phase=built.phase_1,
        criterion_code="culture",
        unit=org.region_1,
        self_points=Decimal(90),
        reviewed_points=Decimal(70),
        review_reason="Thiếu minh chứng về thư viện điện tử",
        status="adjusted",
    )
    scoring.recompute(campaign=built.campaign, today=TODAY)
    detail = unit_standing(built.phase_1, org.region_1).detail
    # one initiative for 2 officers: 50 per 100 staff, far above the target of 5: capped at 100
    assert detail["initiatives"]["raw"] == 1.0
    assert detail["initiatives"]["value"] == 50.0
    assert detail["initiatives"]["points"] == 100.0
    assert detail["initiatives"]["inputs"]["initiatives"][0]["level"] == "co_so"
    assert detail["culture"]["points"] == 70.0
    assert detail["culture"]["inputs"]["review_reason"] == "Thiếu minh chứng về thư viện điện tử"
    # content 2 = (100 + 70) / 2 = 85
    content_2 = str(built.contents[1].pk)
    assert unit_standing(built.phase_1, org.region_1).by_content[content_2] == 85.0


def test_the_cli_recomputes_at_once_with_a_progress_bar(org, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    built = campaign(org)
    learn(person(org.team_1), 10, year=2025)
    with translation.override("en"):
        call_command("emulation", "recompute", "--campaign", str(built.campaign.pk))
        out, err = capsys.readouterr()
        assert "2/2" in err and "#" in err
        assert "1 campaigns, 2 phases" in out
        assert Standing.objects.filter(phase=built.phase_1, unit=org.region_1).exists()
        with pytest.raises(CommandError, match="No campaign has the id 999999"):
            call_command("emulation", "recompute", "--campaign", "999999")


def test_a_running_phase_counts_the_years_so_far_not_the_years_to_come(org):
    # given: phase 2 (2026-2030) is running on 22/11/2026; an officer learned 30 h in 2026
    built = campaign(org)
    learn(person(org.team_1), 30, year=2026)
    # when
    scoring.recompute(campaign=built.campaign, today=TODAY)
    # then: 30 hours per head per year (one year so far), not 30 / 5 years
    hours = unit_standing(built.phase_2, org.region_1).detail["hours"]
    assert hours["value"] == 30.0
    assert hours["inputs"]["officer_years"] == 1
