"""The demo's emulation campaign as written: configured, registered, assessed, scored, reviewed."""

from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from lifelong.core.models import AuditEvent
from lifelong.demo import emulation_plan as ep
from lifelong.emulation import rules
from lifelong.emulation.models import (
    Assessment,
    Campaign,
    ClusterUnit,
    Content,
    CriteriaVersion,
    Criterion,
    KpiValue,
    Registration,
    Review,
    Standing,
)
from lifelong.emulation.services import scoring

pytestmark = pytest.mark.django_db

UNITS = ("units", "both")


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


def test_each_phase_has_one_criteria_version_with_every_planned_criterion(demo):
    campaign = Campaign.objects.get()
    first, second = campaign.phases.order_by("starts_on")
    for index, phase in enumerate((first, second)):
        versions = list(CriteriaVersion.objects.filter(phase=phase))
        assert [v.number for v in versions] == [1]
        rows = {c.code: c for c in Criterion.objects.filter(version=versions[0])}
        assert set(rows) == {c.code for c in ep.CRITERIA}
        for spec in ep.CRITERIA:
            row = rows[spec.code]
            assert (row.metric, row.kind, row.weight) == (spec.metric, spec.kind, spec.weight)
            assert row.target == spec.targets[index]
            assert rules.check_criterion(scoring.criterion_def(row).rule) == []
            assert (row.kpi.code if row.kpi else "") == spec.kpi


def test_every_competing_unit_reports_every_indicator_with_a_source(demo):
    campaign = Campaign.objects.get()
    units = set(ClusterUnit.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    indicators = {k.code for k in ep.KPIS}
    reported = set(KpiValue.objects.values_list("indicator__code", "unit_id"))
    assert reported == {(code, unit) for code in indicators for unit in units}
    assert not KpiValue.objects.filter(source="").exists()
    assert not KpiValue.objects.filter(period_end__gte=timezone.localdate()).exists()


def test_every_competing_unit_registered_each_year_and_officers_registered_approved(demo):
    campaign = Campaign.objects.get()
    units = set(ClusterUnit.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    years = range(2024, timezone.localdate().year + 1)
    rows = Registration.objects.filter(campaign=campaign, unit__isnull=False)
    assert sorted(rows.values_list("year", "unit_id")) == sorted(
        (year, unit) for year in years for unit in units
    )
    assert not rows.filter(status="approved", decided_by__isnull=True).exists()
    officers = Registration.objects.filter(campaign=campaign, person__isnull=False)
    assert set(officers.values_list("status", flat=True)) == {"approved"}


def test_self_assessments_are_units_own_on_evidence_criteria_reviewed_in_phase_1(demo):
    campaign = Campaign.objects.get()
    first, second = campaign.phases.order_by("starts_on")
    evidence = {c.code for c in ep.CRITERIA if c.metric == "evidence"}
    units = set(ClusterUnit.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    rows = Assessment.objects.filter(phase__campaign=campaign)
    assert set(rows.values_list("criterion_code", flat=True)) == evidence
    assert set(rows.values_list("unit_id", flat=True)) <= units
    reviewed = rows.filter(phase=first, status__in=("accepted", "adjusted"))
    assert reviewed.count() > rows.filter(phase=first, status="submitted").count()
    assert not reviewed.filter(reviewed_by__isnull=True).exists()
    assert set(rows.filter(phase=second).values_list("status", flat=True)) == {"submitted"}


def test_live_unit_standings_rank_within_each_cluster_and_explain_every_criterion(demo):
    campaign = Campaign.objects.get()
    cluster_of = dict(ClusterUnit.objects.filter(campaign=campaign).values_list("unit", "cluster"))
    contents = {str(pk) for pk in Content.objects.values_list("pk", flat=True)}
    for phase in campaign.phases.all():
        unit_codes = {
            c.code for c in Criterion.objects.filter(version__phase=phase, subject__in=UNITS)
        }
        rows = list(Standing.objects.filter(phase=phase, unit__isnull=False))
        assert {s.unit_id for s in rows} == set(cluster_of)
        by_cluster: dict[int, list[Standing]] = {}
        for standing in rows:
            assert standing.cluster_id == cluster_of[standing.unit_id]
            assert set(standing.detail) == unit_codes
            assert set(standing.by_content) == contents
            assert all("inputs" in d for d in standing.detail.values())
            by_cluster.setdefault(standing.cluster_id, []).append(standing)
        for members in by_cluster.values():
            expected = rules.competition_ranks({s.unit_id: s.total for s in members})
            assert {s.unit_id: s.rank for s in members} == expected
            assert all(s.of == len(members) for s in members)


def test_the_frozen_review_is_the_secretariats_audited_with_phase_1_criteria(demo):
    campaign = Campaign.objects.get()
    first = campaign.phases.order_by("starts_on").first()
    review = Review.objects.get(campaign=campaign)
    assert review.frozen_by.username == "secretariat"
    assert review.superseded_at is None
    snapshot = review.snapshot
    assert snapshot["period"]["ends_on"] == "2025-12-31"
    assert snapshot["period"]["reference"] == "2025-12-31"  # phase 1 is over
    assert snapshot["criteria_version"] == 1
    targets = {c["code"]: c["target"] for c in snapshot["criteria"]}
    saved = Criterion.objects.filter(version__phase=first)
    assert targets == {c.code: None if c.target is None else float(c.target) for c in saved}
    assert snapshot["people"]
    assert AuditEvent.objects.filter(action="emulation.review_frozen").count() == 1
    built = AuditEvent.objects.get(action="demo.built").data["emulation"]
    assert built["reviews"] == 1 and built["standings"] == Standing.objects.count()
    assert set(built["seconds"]) == {"setup", "recompute", "review", "total"}
