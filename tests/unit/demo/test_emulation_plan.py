"""The demo's emulation plan: pure, deterministic per seed, consistent with the scoring rules."""

import datetime
import random
import unicodedata
from collections import Counter, defaultdict
from dataclasses import astuple
from decimal import Decimal

import pytest

from lifelong.demo import emulation_plan as ep
from lifelong.demo import plan
from lifelong.emulation import rules
from lifelong.emulation.choices import (
    AssessmentStatus,
    KpiAggregation,
    Metric,
    PeriodKind,
    RegistrationStatus,
    Subject,
)

TODAY = datetime.date(2026, 11, 22)
COMPETING_KINDS = ("regional", "hq_department", "training")


def _competitors(officers: int = 400, seed: int = 2025) -> tuple[list, dict[str, list[str]]]:
    """The demo organisation's competing units and their officers, as the builder reads them."""
    rng = random.Random(seed)
    org = plan.plan_organisation(rng)
    people = list(plan.plan_people(rng, org, officers))
    units = {u.code: u for u in org.units}
    competing = {u.code for u in org.units if u.kind in COMPETING_KINDS and u.valid_to is None}

    def holder(code: str | None) -> str | None:
        while code is not None and code not in competing:
            code = units[code].parent
        return code

    officers_of: dict[str, list[str]] = {code: [] for code in sorted(competing)}
    for person in people:
        found = holder(person.unit)
        if found is not None and person.status not in ("retired", "left"):
            officers_of[found].append(person.officer_code)
    facts = [
        ep.CompetitorFacts(code, units[code].kind, len(officers_of[code]))
        for code in sorted(competing)
    ]
    return facts, officers_of


def _nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


def test_the_campaign_has_two_dated_phases_and_the_five_movement_contents_weighing_100():
    assert ep.CAMPAIGN_NAME.startswith("Thi đua xây dựng xã hội học tập")
    (first, start1, end1), (second, start2, end2) = ep.PHASES
    assert (first, start1, end1) == (
        "Giai đoạn 2024-2025",
        datetime.date(2024, 1, 1),
        datetime.date(2025, 12, 31),
    )
    assert (second, start2) == ("Giai đoạn 2026-2030", datetime.date(2026, 1, 1))
    assert end2 == datetime.date(2030, 12, 31)
    codes = [code for code, _name, _weight in ep.CONTENTS]
    assert codes == ["law_policy", "digital_data", "job_position", "international", "self_study"]
    assert rules.check_weights([w for _c, _n, w in ep.CONTENTS]) == []
    texts = [ep.CAMPAIGN_NAME, ep.CAMPAIGN_DESCRIPTION, *(n for _c, n, _w in ep.CONTENTS)]
    texts += [c.name for c in ep.CRITERIA] + [k.name for k in ep.KPIS]
    assert all(_nfc(t) for t in texts)


@pytest.mark.parametrize("phase", [0, 1])
def test_criteria_weigh_100_in_every_content_and_every_one_can_score(phase):
    by_content: dict[int, list[Decimal]] = defaultdict(list)
    for spec in ep.CRITERIA:
        by_content[spec.content].append(spec.weight)
        rule = rules.Criterion(
            kind=rules.Kind(spec.kind),
            target=spec.targets[phase],
            steps=tuple(rules.Step(Decimal(b), Decimal(p)) for b, p in spec.steps[phase]),
            normalisation=rules.Normalisation(spec.normalisation),
        )
        assert rules.check_criterion(rule) == [], spec.code
    assert sorted(by_content) == list(range(len(ep.CONTENTS)))
    assert all(rules.check_weights(weights) == [] for weights in by_content.values())


def test_criteria_measure_every_metric_with_codes_unique_and_valid_choices():
    assert {c.metric for c in ep.CRITERIA} == set(Metric.values)
    assert len({c.code for c in ep.CRITERIA}) == len(ep.CRITERIA)
    kpi_codes = {k.code for k in ep.KPIS}
    for spec in ep.CRITERIA:
        assert spec.subject in Subject.values
        assert (spec.metric == Metric.EVIDENCE) == (spec.kind == rules.Kind.ASSESSED)
        assert (spec.metric == Metric.KPI) == bool(spec.kpi)
        if spec.kpi:
            assert spec.kpi in kpi_codes
        if spec.normalisation != "none":  # only counts are normalised by unit size
            assert spec.metric in {"certificates", "initiatives", "wco_instructors", "kpi"}
    # WCO instructors are ranked within the cluster; hours per head are linear to the target.
    kinds = {c.metric: c.kind for c in ep.CRITERIA if c.metric != Metric.KPI}
    assert kinds["wco_instructors"] == "rank"
    assert kinds["hours_per_head"] == "linear"
    assert kinds["target_share"] == "thresholds"


def test_phase_2_raises_the_targets_and_never_lowers_one():
    raised = 0
    for spec in ep.CRITERIA:
        first, second = spec.targets
        if first is not None:
            assert second is not None and second >= first, spec.code
            raised += second > first
        for (bound1, points1), (bound2, points2) in zip(*spec.steps, strict=True):
            assert bound2 >= bound1 and points2 == points1, spec.code
            raised += bound2 > bound1
    assert raised >= 5


def test_regional_sub_departments_form_two_clusters_and_the_others_a_block():
    facts, _officers = _competitors()
    clusters = ep.clusters_of(facts)
    members = [code for _name, _kind, codes in clusters for code in codes]
    assert sorted(members) == sorted(f.code for f in facts)  # each unit in exactly one
    kind_of = {f.code: f.kind for f in facts}
    regions = [c for c in clusters if c[1] == "cluster"]
    blocks = [c for c in clusters if c[1] == "block"]
    assert len(regions) == 2 and len(blocks) == 1
    assert all(kind_of[code] == "regional" for _n, _k, codes in regions for code in codes)
    assert {kind_of[code] for code in blocks[0][2]} == {"hq_department", "training"}
    assert abs(len(regions[0][2]) - len(regions[1][2])) <= 1


def test_clusters_leave_out_an_empty_group():
    facts = [ep.CompetitorFacts("HQ1", "hq_department", 10)]
    assert ep.clusters_of(facts) == [("Khối các đơn vị tham mưu và đào tạo", "block", ["HQ1"])]


def test_kpi_values_cover_every_unit_and_indicator_for_ended_periods_of_its_kind():
    facts, _officers = _competitors()
    values = ep.plan_kpi_values(random.Random(5), facts, TODAY)
    assert values == ep.plan_kpi_values(random.Random(5), facts, TODAY)
    kinds = {k.code: k.period_kind for k in ep.KPIS}
    assert all(k.period_kind in PeriodKind.values for k in ep.KPIS)
    assert all(k.aggregation in KpiAggregation.values for k in ep.KPIS)
    periods = Counter((v.kpi, v.unit) for v in values)
    expected = {"quarter": 11, "half": 5, "year": 2}  # up to 22/11/2026, ended periods only
    for kpi in ep.KPIS:
        for unit in facts:
            assert periods[(kpi.code, unit.code)] == expected[kpi.period_kind]
    for value in values:
        assert rules.period_number(kinds[value.kpi], value.period_start, value.period_end)
        assert datetime.date(2024, 1, 1) <= value.period_start
        assert value.period_end < TODAY
        assert value.value > 0 and value.value == value.value.to_integral_value()
        assert value.source.startswith("Báo cáo ") and value.source.endswith(" của đơn vị")
        assert str(value.period_start.year) in value.source and _nfc(value.source)
    assert any(v.source == "Báo cáo tổng kết năm 2024 của đơn vị" for v in values)


def test_kpi_values_grow_over_the_years_across_the_units():
    facts, _officers = _competitors()
    values = ep.plan_kpi_values(random.Random(5), facts, TODAY)
    for kpi in ep.KPIS:
        per_year: dict[int, Decimal] = defaultdict(Decimal)
        for value in values:
            if value.kpi == kpi.code and value.period_start.month <= 6:  # the same periods
                per_year[value.period_start.year] += value.value
        assert per_year[2024] < per_year[2025] < per_year[2026] or kpi.period_kind == "year"
        assert per_year[2024] < per_year[2025]


def test_every_unit_registers_every_year_but_one_regional_unit_missed_2025():
    facts, officers = _competitors()
    found = ep.plan_registrations(random.Random(7), facts, officers, TODAY)
    assert found == ep.plan_registrations(random.Random(7), facts, officers, TODAY)
    assert all(r.status in RegistrationStatus.values for r in found)
    units = [r for r in found if r.unit]
    by_year = Counter((r.year, r.unit) for r in units)
    assert set(by_year.values()) == {1}
    assert {r.year for r in units} == {2024, 2025, 2026}
    assert all(by_year[(year, f.code)] == 1 for year in (2024, 2025, 2026) for f in facts)
    missed = [r for r in units if r.status == "not_registered"]
    kind_of = {f.code: f.kind for f in facts}
    assert len(missed) == 1 and missed[0].year == 2025 and kind_of[missed[0].unit] == "regional"
    assert missed[0].commitments == ""
    past = [r for r in units if r.year < 2026 and r.status != "not_registered"]
    assert {r.status for r in past} == {"approved"}
    assert {r.status for r in units if r.year == 2026} == {"approved", "submitted"}
    assert all(_nfc(r.commitments) and "35 giờ" in r.commitments for r in units if r.year == 2026)


def test_some_officers_register_once_a_year_approved():
    facts, officers = _competitors(officers=2000)
    found = ep.plan_registrations(random.Random(7), facts, officers, TODAY)
    people = [r for r in found if r.officer]
    everyone = {code for codes in officers.values() for code in codes}
    assert people and all(r.officer in everyone and not r.unit for r in people)
    assert {r.status for r in people} == {"approved"}
    assert len({(r.year, r.officer) for r in people}) == len(people)
    assert 0.01 * len(everyone) < len([r for r in people if r.year == 2025]) < 0.1 * len(everyone)


def test_self_assessments_are_on_evidence_criteria_phase_1_reviewed_phase_2_awaiting():
    facts, _officers = _competitors()
    found = ep.plan_assessments(random.Random(3), facts)
    assert found == ep.plan_assessments(random.Random(3), facts)
    evidence = {c.code for c in ep.CRITERIA if c.metric == Metric.EVIDENCE}
    assert {a.code for a in found} == evidence
    assert len({(a.phase, a.code, a.unit) for a in found}) == len(found)
    assert all(a.status in AssessmentStatus.values for a in found)
    first = [a for a in found if a.phase == 0]
    assert len({a.unit for a in first}) > len(facts) / 2  # most units
    statuses = Counter(a.status for a in first)
    assert statuses["accepted"] > statuses["submitted"] and statuses["adjusted"]
    for assessment in found:
        assert 0 <= assessment.self_points <= 100
        assert assessment.link.startswith("https://") and _nfc(assessment.explanation)
        if assessment.status == "adjusted":
            assert assessment.reviewed_points is not None
            assert assessment.reviewed_points < assessment.self_points
            assert assessment.review_reason in ep.ADJUST_REASONS
        elif assessment.status == "accepted":
            assert assessment.reviewed_points == assessment.self_points
        else:
            assert assessment.reviewed_points is None and assessment.review_reason == ""
    assert {a.status for a in found if a.phase == 1} == {"submitted"}


def test_the_same_seed_gives_the_same_plan_and_another_seed_another():
    facts, officers = _competitors()

    def whole(seed: int) -> list[tuple]:
        rng = random.Random(seed)
        return [
            *(astuple(v) for v in ep.plan_kpi_values(rng, facts, TODAY)),
            *(astuple(r) for r in ep.plan_registrations(rng, facts, officers, TODAY)),
            *(astuple(a) for a in ep.plan_assessments(rng, facts)),
        ]

    assert whole(1) == whole(1)
    assert whole(1) != whole(2)
