"""The demo's emulation campaign as written: configured, registered, assessed, scored, reviewed."""

from collections import Counter
from decimal import Decimal

import pytest

from lifelong.demo import emulation_plan as ep
from lifelong.emulation import rules
from lifelong.emulation.models import (
    Assessment,
    Campaign,
    ClusterUnit,
    Content,
    Criterion,
    KpiValue,
    Registration,
    Review,
    Standing,
)
from lifelong.emulation.services import scoring

pytestmark = pytest.mark.django_db


def test_the_demo_carries_the_real_campaign_with_its_phases_and_five_contents(demo):
    campaign = Campaign.objects.get()
    assert campaign.name == ep.CAMPAIGN_NAME
    assert campaign.status == "running"
    assert [p.name for p in campaign.phases.order_by("starts_on")] == [
        "Giai đoạn 2024-2025",
        "Giai đoạn 2026-2030",
    ]
    contents = list(Content.objects.filter(campaign=campaign))
    assert len(contents) == 5
    assert rules.check_weights([c.weight for c in contents]) == []


def test_criteria_weigh_100_in_each_content_and_phase_2_raises_the_targets(demo):
    campaign = Campaign.objects.get()
    first, second = campaign.phases.order_by("starts_on")
    for phase in (first, second):
        by_content: dict[int, list[Decimal]] = {}
        for criterion in Criterion.objects.filter(version__phase=phase):
            by_content.setdefault(criterion.content_id, []).append(criterion.weight)
        assert all(rules.check_weights(w) == [] for w in by_content.values())
    hours = {
        c.version.phase_id: c.target
        for c in Criterion.objects.filter(code="gio-hoc-binh-quan").select_related("version")
    }
    assert hours[second.pk] > hours[first.pk]
    metrics = set(Criterion.objects.values_list("metric", flat=True))
    assert metrics >= {"hours_per_head", "kpi", "evidence", "initiatives", "wco_instructors"}


def test_units_compete_in_clusters_report_kpis_register_and_assess(demo):
    campaign = Campaign.objects.get()
    members = ClusterUnit.objects.filter(campaign=campaign)
    assert members.count() >= 3
    kinds = Counter(m.cluster.kind for m in members.select_related("cluster"))
    assert kinds["cluster"] and kinds["block"]
    assert KpiValue.objects.filter(unit__in=members.values("unit")).count() > 0
    statuses = Counter(
        Registration.objects.filter(unit__isnull=False, year=2025).values_list("status", flat=True)
    )
    assert statuses["not_registered"] == 1
    assert Registration.objects.filter(person__isnull=False).exists()
    assert Assessment.objects.filter(status="adjusted").exclude(review_reason="").exists()


def test_live_scores_exist_for_units_and_officers_and_phase_1_review_is_frozen(demo):
    campaign = Campaign.objects.get()
    first = campaign.phases.order_by("starts_on").first()
    units = Standing.objects.filter(phase__campaign=campaign, unit__isnull=False)
    assert units.count() == 2 * ClusterUnit.objects.filter(campaign=campaign).count()
    assert Standing.objects.filter(phase=first, person__isnull=False).exists()
    review = Review.objects.get(campaign=campaign)
    assert (review.kind, review.phase_id, review.version) == ("interim", first.pk, 1)
    frozen = {u["unit_id"]: u["total"] for u in review.snapshot["units"]}
    live = {s.unit_id: float(s.total) for s in units.filter(phase=first)}
    assert frozen == live
    assert review.snapshot["proposals"]["units"]


def test_recomputing_the_demo_gives_the_same_scores(demo):
    campaign = Campaign.objects.get()
    before = sorted(
        Standing.objects.filter(phase__campaign=campaign).values_list(
            "phase_id", "unit_id", "person_id", "total", "rank"
        ),
        key=str,
    )
    scoring.recompute(campaign=campaign)
    after = sorted(
        Standing.objects.filter(phase__campaign=campaign).values_list(
            "phase_id", "unit_id", "person_id", "total", "rank"
        ),
        key=str,
    )
    assert after == before
