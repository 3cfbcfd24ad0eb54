"""Write the demo's emulation campaign, score it, and freeze the interim review of phase 1.

`emulation_plan.py` decides from the seed and the organisation already written; this module
writes in bulk in the caller's transaction, checks the configuration with the same rules the
setup uses (weights summing to 100, scorable criteria: a wrong plan fails the build), computes
the live scores with `scoring.recompute` and freezes phase 1's interim review with
`reviews.freeze` as the demo's secretariat: phase 2 is running.
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from lifelong.core.text import sort_key
from lifelong.demo import emulation_plan as ep
from lifelong.emulation import rules
from lifelong.emulation.choices import CampaignStatus, ReviewKind
from lifelong.emulation.models import (
    Assessment,
    Campaign,
    Cluster,
    ClusterUnit,
    Content,
    CriteriaVersion,
    Criterion,
    KpiIndicator,
    KpiValue,
    Phase,
    Registration,
)
from lifelong.emulation.services import reviews, scoring
from lifelong.org.models import Person, Unit

__all__ = ["EmulationCounts", "build_emulation"]

SECRETARIAT = "secretariat"


@dataclass
class EmulationCounts:
    """What the emulation build wrote."""

    clusters: int = 0
    competing_units: int = 0
    criteria: int = 0
    kpi_values: int = 0
    registrations: int = 0
    assessments: int = 0
    standings: int = 0
    reviews: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def as_data(self) -> dict[str, object]:
        """Return the counts as JSON data for the build's audit event."""
        return dict(self.__dict__)


def _check(contents: list[Content]) -> None:
    """Fail loudly if the plan's weights or criteria could not score."""
    problems = rules.check_weights([w for _c, _n, w in ep.CONTENTS])
    for index in range(len(contents)):
        problems += rules.check_weights([c.weight for c in ep.CRITERIA if c.content == index])
    if problems:
        raise ValueError(f"the demo campaign's weights are wrong: {problems}")


def _rule(spec: ep.CriterionSpec, phase: int) -> rules.Criterion:
    return rules.Criterion(
        kind=rules.Kind(spec.kind),
        target=spec.targets[phase],
        steps=tuple(rules.Step(Decimal(b), Decimal(p)) for b, p in spec.steps[phase]),
        normalisation=rules.Normalisation(spec.normalisation),
    )


def build_emulation(*, seed: int, today: datetime.date | None = None) -> EmulationCounts:
    """Plan and write the demo's campaign over the organisation already in the database."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed * 37 + 11)
    counts = EmulationCounts()
    root = Unit.objects.get(parent__isnull=True, valid_to__isnull=True)
    competing = list(
        Unit.objects.filter(
            valid_to__isnull=True, kind__in=("regional", "hq_department", "training")
        ).order_by("path")
    )
    by_code = {u.code: u for u in competing}
    officers: dict[str, list[str]] = {u.code: [] for u in competing}
    people = Person.objects.exclude(status__in=("retired", "left")).values_list(
        "officer_code", "unit__path"
    )
    paths = sorted(((u.path, u.code) for u in competing), key=lambda p: -len(p[0]))
    person_ids = dict(Person.objects.values_list("officer_code", "pk"))
    for code, path in people.order_by("officer_code"):
        holder = next((c for p, c in paths if path and path.startswith(p)), None)
        if holder is not None:
            officers[holder].append(code)
    facts = [ep.CompetitorFacts(u.code, u.kind, len(officers[u.code])) for u in competing]

    campaign = Campaign.objects.create(
        name=ep.CAMPAIGN_NAME,
        description=ep.CAMPAIGN_DESCRIPTION,
        launching_unit=root,
        status=CampaignStatus.RUNNING,
        starts_on=ep.PHASES[0][1],
        ends_on=ep.PHASES[-1][2],
        sort_key=sort_key(ep.CAMPAIGN_NAME),
    )
    campaign.scope_units.set([root])
    phases = [
        Phase.objects.create(campaign=campaign, name=name, starts_on=start, ends_on=end)
        for name, start, end in ep.PHASES
    ]
    contents = [
        Content.objects.create(
            campaign=campaign, name=name, movement_content=code, weight=weight, position=i
        )
        for i, (code, name, weight) in enumerate(ep.CONTENTS)
    ]
    _check(contents)
    for name, kind, codes in ep.clusters_of(facts):
        cluster = Cluster.objects.create(campaign=campaign, name=name, kind=kind)
        ClusterUnit.objects.bulk_create(
            ClusterUnit(cluster=cluster, unit=by_code[c], campaign=campaign) for c in codes
        )
        counts.clusters += 1
        counts.competing_units += len(codes)

    indicators = {
        spec.code: KpiIndicator.objects.create(
            code=spec.code,
            name=spec.name,
            measure=spec.measure,
            period_kind=spec.period_kind,
            aggregation=spec.aggregation,
        )
        for spec in ep.KPIS
    }
    values = ep.plan_kpi_values(rng, facts, today)
    KpiValue.objects.bulk_create(
        (
            KpiValue(
                indicator=indicators[v.kpi],
                unit=by_code[v.unit],
                period_start=v.period_start,
                period_end=v.period_end,
                value=v.value,
                source=v.source,
            )
            for v in values
        ),
        batch_size=1000,
    )
    counts.kpi_values = len(values)

    for index, phase in enumerate(phases):
        version = CriteriaVersion.objects.create(
            phase=phase,
            number=1,
            note="Bộ tiêu chí ban hành kèm theo kế hoạch phát động"
            if index == 0
            else "Nâng chỉ tiêu cho giai đoạn 2026-2030",
        )
        rows = []
        for position, spec in enumerate(ep.CRITERIA):
            rule = _rule(spec, index)
            if problems := rules.check_criterion(rule):
                raise ValueError(f"the demo criterion {spec.code} cannot score: {problems}")
            rows.append(
                Criterion(
                    version=version,
                    content=contents[spec.content],
                    code=spec.code,
                    name=spec.name,
                    subject=spec.subject,
                    metric=spec.metric,
                    kpi=indicators[spec.kpi] if spec.kpi else None,
                    kind=spec.kind,
                    weight=spec.weight,
                    target=spec.targets[index],
                    steps=[[b, p] for b, p in spec.steps[index]],
                    normalisation=spec.normalisation,
                    position=position,
                )
            )
        Criterion.objects.bulk_create(rows)
        counts.criteria += len(rows)

    secretariat = get_user_model().objects.get(username=SECRETARIAT)
    registrations = ep.plan_registrations(rng, facts, officers, today)
    Registration.objects.bulk_create(
        (
            Registration(
                campaign=campaign,
                year=r.year,
                unit=by_code[r.unit] if r.unit else None,
                person_id=person_ids[r.officer] if r.officer else None,
                commitments=r.commitments,
                targets={"gio-hoc-binh-quan": 30 if r.year < 2026 else 35} if r.unit else {},
                status=r.status,
                submitted_at=timezone.make_aware(datetime.datetime(r.year, 1, 20, 9))
                if r.status != "not_registered"
                else None,
                decided_by=secretariat if r.status in ("approved", "not_registered") else None,
                decided_at=timezone.make_aware(datetime.datetime(r.year, 2, 5, 15))
                if r.status in ("approved", "not_registered")
                else None,
            )
            for r in registrations
        ),
        batch_size=1000,
    )
    counts.registrations = len(registrations)

    assessments = ep.plan_assessments(rng, facts)
    Assessment.objects.bulk_create(
        Assessment(
            phase=phases[a.phase],
            criterion_code=a.code,
            unit=by_code[a.unit],
            self_points=a.self_points,
            explanation=a.explanation,
            link=a.link,
            status=a.status,
            reviewed_points=a.reviewed_points,
            review_reason=a.review_reason,
            reviewed_by=secretariat if a.reviewed_points is not None else None,
            reviewed_at=timezone.make_aware(datetime.datetime(2026, 1, 15, 10))
            if a.reviewed_points is not None
            else None,
        )
        for a in assessments
    )
    counts.assessments = len(assessments)
    counts.seconds["setup"] = round(time.perf_counter() - started, 3)

    scored = time.perf_counter()
    counts.standings = scoring.recompute(campaign=campaign, today=today).standings
    counts.seconds["recompute"] = round(time.perf_counter() - scored, 3)
    frozen = time.perf_counter()
    reviews.freeze(
        acting_user=secretariat,
        campaign=campaign,
        kind=ReviewKind.INTERIM,
        phase=phases[0],
        today=today,
    )
    counts.reviews = 1
    counts.seconds["review"] = round(time.perf_counter() - frozen, 3)
    counts.seconds["total"] = round(time.perf_counter() - started, 3)
    return counts
