"""Live scores: every unit's and officer's score, content scores, total and rank, per phase.

`recompute` replaces a phase's `Standing` rows with a fresh computation (the inputs from
`queries.inputs`, the arithmetic from `rules.score_competition`) in one transaction, so a
reader sees the old ranking or the new one, never half of each. `compute_phase` does the same
work without writing: the criteria preview and the freezing of a review use it.

The background task `recompute_changed_task` (queued by `lifelong worker` every
`RECOMPUTE_EVERY`) recomputes the campaigns whose inputs changed since their last scoring, and
every campaign at least every `RECOMPUTE_AT_LEAST`, so scores follow new data within a minute.
"""

import datetime
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Model, QuerySet
from django.tasks import task
from django.utils import timezone

from lifelong.core.audit import record_event
from lifelong.emulation import rules
from lifelong.emulation.choices import CampaignStatus
from lifelong.emulation.models import (
    Assessment,
    Campaign,
    ClusterUnit,
    Content,
    CriteriaVersion,
    Criterion,
    KpiValue,
    Phase,
    Standing,
)
from lifelong.emulation.queries.inputs import (
    CriterionDef,
    Field,
    Measured,
    field_of,
    measure,
)
from lifelong.initiatives.models import Recognition
from lifelong.learning.models import Certificate, LedgerYear, WcoAccreditation
from lifelong.org.models import Person, PositionAssignment

__all__ = [
    "RECOMPUTE_AT_LEAST",
    "RECOMPUTE_EVERY",
    "PhaseScores",
    "Recomputed",
    "compute_phase",
    "criteria_in_force",
    "criterion_def",
    "detail_of",
    "inputs_digest",
    "recompute",
    "recompute_changed",
    "recompute_changed_task",
]

RECOMPUTE_EVERY = datetime.timedelta(seconds=30)
RECOMPUTE_AT_LEAST = datetime.timedelta(minutes=10)
# Campaigns whose scores still move; a closed campaign keeps its last scores.
LIVE = (
    CampaignStatus.LAUNCHED,
    CampaignStatus.RUNNING,
    CampaignStatus.INTERIM_REVIEW,
    CampaignStatus.FINAL_REVIEW,
)

Progress = Callable[[int, int, str], None]


def criterion_def(row: Criterion) -> CriterionDef:
    """Return a saved criterion as the plain data the scoring works on."""
    return CriterionDef(
        code=row.code,
        name=row.name,
        content_id=row.content_id,
        weight=row.weight,
        metric=row.metric,
        subject=row.subject,
        kpi_id=row.kpi_id,
        rule=rules.Criterion(
            kind=rules.Kind(row.kind),
            target=row.target,
            cap=row.cap,
            steps=tuple(rules.Step(Decimal(str(b)), Decimal(str(p))) for b, p in row.steps or ()),
            lower_is_better=row.lower_is_better,
            normalisation=rules.Normalisation(row.normalisation),
        ),
    )


def criteria_in_force(phase: Phase) -> tuple[CriteriaVersion | None, list[CriterionDef]]:
    """Return the phase's newest criteria version and its criteria (none: no version yet)."""
    version = CriteriaVersion.objects.filter(phase=phase).order_by("-number").first()
    if version is None:
        return None, []
    rows = Criterion.objects.filter(version=version).order_by("content__position", "position")
    return version, [criterion_def(row) for row in rows]


@dataclass
class PhaseScores:
    """A phase's computed scores, not yet written: the field, the values and the standings."""

    phase: Phase
    criteria: list[CriterionDef]
    content_weights: dict[int, Decimal]
    where: Field
    measured: Measured
    units: dict[int, rules.Standing]
    people: dict[int, rules.Standing]


def compute_phase(
    phase: Phase,
    criteria: Sequence[CriterionDef] | None = None,
    *,
    today: datetime.date | None = None,
) -> PhaseScores:
    """Compute every standing of `phase` with `criteria` (default: those in force)."""
    if criteria is None:
        criteria = criteria_in_force(phase)[1]
    criteria = list(criteria)
    campaign = phase.campaign
    weights = dict(Content.objects.filter(campaign=campaign).values_list("pk", "weight"))
    where = field_of(campaign, phase, today=today)
    measured = measure(criteria, phase, where)
    unit_criteria = [
        rules.Weighted(c.code, c.content_id, c.weight, c.rule) for c in criteria if c.scores_units
    ]
    people_criteria = [
        rules.Weighted(c.code, c.content_id, c.weight, c.rule) for c in criteria if c.scores_people
    ]
    units = rules.score_competition(
        unit_criteria,
        weights,
        measured.units,
        measured.headcounts,
        {u: c.cluster_id for u, c in where.competitors.items()},
    )
    people: dict[int, rules.Standing] = {}
    if people_criteria:
        people = rules.score_competition(
            people_criteria,
            weights,
            measured.people,
            dict.fromkeys(measured.people, 1),
            {p: e.cluster_id for p, e in where.entrants.items()},
        )
    return PhaseScores(phase, criteria, weights, where, measured, units, people)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def detail_of(score: rules.CriterionScore, inputs: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return one criterion's score as JSON data (numbers as JSON numbers)."""
    data: dict[str, Any] = {
        "raw": _number(score.raw),
        "value": _number(score.value),
        "points": float(score.points),
    }
    if score.rank is not None:
        data["rank"] = score.rank
        data["of"] = score.of
    if score.problem is not None:
        data["problem"] = str(score.problem)
    if inputs is not None:
        data["inputs"] = inputs
    return data


def _by_content(standing: rules.Standing) -> dict[str, float]:
    return {str(key): float(points) for key, points in standing.by_content.items()}


def _standing_rows(scores: PhaseScores) -> Iterator[tuple[Any, ...]]:
    """Yield (unit, person, cluster, total, by_content, rank, of, detail) of every standing."""
    for unit_id, standing in scores.units.items():
        inputs = scores.measured.inputs[unit_id]
        yield (
            unit_id,
            None,
            scores.where.competitors[unit_id].cluster_id,
            standing.total,
            _by_content(standing),
            standing.rank,
            standing.of,
            {code: detail_of(score, inputs.get(code)) for code, score in standing.scores.items()},
        )
    for person_id, standing in scores.people.items():
        yield (
            None,
            person_id,
            scores.where.entrants[person_id].cluster_id,
            standing.total,
            _by_content(standing),
            standing.rank,
            standing.of,
            {code: detail_of(score) for code, score in standing.scores.items()},
        )


# One INSERT per batch of rows, without building a model instance per row: a phase of 10,000
# officers is written in well under a second instead of several.
_INSERT = (
    "INSERT INTO emulation_standing (phase_id, unit_id, person_id, cluster_id, total, "
    'by_content, "rank", "of", detail, computed_at) '
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_BATCH = 2000
# One encoder for every row (json.dumps with options builds a new one per call), compact: a
# phase of 10,000 officers is over 2 MB of JSON.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@transaction.atomic
def _write(scores: PhaseScores) -> int:
    Standing.objects.filter(phase=scores.phase).delete()
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    phase_id = scores.phase.pk
    written = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for unit_id, person_id, cluster_id, total, by_content, rank, of, detail in _standing_rows(
            scores
        ):
            batch.append(
                (
                    phase_id,
                    unit_id,
                    person_id,
                    cluster_id,
                    ops.adapt_decimalfield_value(total, 6, 2),
                    _JSON.encode(by_content),
                    rank,
                    of,
                    _JSON.encode(detail),
                    now,
                )
            )
            if len(batch) >= _BATCH:
                cursor.executemany(_INSERT, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(_INSERT, batch)
            written += len(batch)
    return written


def _digest_part(queryset: QuerySet[Any], *fields: str) -> str:
    found = queryset.aggregate(n=Count("pk"), **{f"m{i}": Max(f) for i, f in enumerate(fields)})
    return "|".join(str(found[key]) for key in sorted(found))


def inputs_digest(campaign: Campaign) -> str:
    """Return a digest of everything the campaign's scores are computed from.

    Counts and the latest change of the learning summaries, certificates, accreditations,
    recognitions, people and placements, the campaign's KPI values and self-assessments, and
    the campaign's own configuration (its `updated_at` moves with every setup change).
    """
    models: list[tuple[QuerySet[Any], tuple[str, ...]]] = [
        (LedgerYear.objects.all(), ("updated_at",)),
        (Certificate.objects.all(), ("pk", "revoked_at")),
        (WcoAccreditation.objects.all(), ("pk", "valid_until")),
        (Recognition.objects.all(), ("pk",)),
        (Person.objects.all(), ("updated_at",)),
        (PositionAssignment.objects.all(), ("pk", "ends_on")),
        (KpiValue.objects.all(), ("reported_at",)),
        (Assessment.objects.filter(phase__campaign=campaign), ("updated_at",)),
        (ClusterUnit.objects.filter(campaign=campaign), ("pk",)),
        (CriteriaVersion.objects.filter(phase__campaign=campaign), ("pk",)),
    ]
    parts = [str(campaign.updated_at), *(_digest_part(q, *f) for q, f in models)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Recomputed:
    """What a recompute did."""

    campaigns: int
    phases: int
    standings: int
    seconds: float


def _phases(campaigns: Iterable[Campaign]) -> list[Phase]:
    return list(
        Phase.objects.filter(campaign__in=list(campaigns))
        .select_related("campaign")
        .order_by("campaign_id", "starts_on")
    )


def recompute(
    *,
    campaign: Campaign | None = None,
    acting_user: Model | None = None,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> Recomputed:
    """Recompute the live scores of `campaign` (default: every campaign not in draft)."""
    started = time.perf_counter()
    if campaign is not None:
        campaigns = [campaign]
    else:
        campaigns = list(Campaign.objects.exclude(status=CampaignStatus.DRAFT).order_by("pk"))
    phases = _phases(campaigns)
    digests = {c.pk: inputs_digest(c) for c in campaigns}
    written = 0
    for done, phase in enumerate(phases):
        if progress is not None:
            progress(done, len(phases), f"{phase.campaign.name}: {phase.name}")
        written += _write(compute_phase(phase, today=today))
    if progress is not None:
        progress(len(phases), len(phases), "")
    now = timezone.now()
    for found in campaigns:
        Campaign.objects.filter(pk=found.pk).update(scored_at=now, scored_inputs=digests[found.pk])
    seconds = time.perf_counter() - started
    if acting_user is not None:
        record_event(
            "emulation.recomputed",
            actor=acting_user,  # type: ignore[arg-type]
            target=campaign,
            data={"phases": len(phases), "standings": written, "seconds": round(seconds, 2)},
        )
    return Recomputed(len(campaigns), len(phases), written, seconds)


def recompute_changed(*, now: datetime.datetime | None = None) -> list[int]:
    """Recompute the live campaigns whose inputs changed, or not scored lately; return ids."""
    now = now or timezone.now()
    done: list[int] = []
    for campaign in Campaign.objects.filter(status__in=LIVE).order_by("pk"):
        stale = campaign.scored_at is None or campaign.scored_at < now - RECOMPUTE_AT_LEAST
        if stale or inputs_digest(campaign) != campaign.scored_inputs:
            recompute(campaign=campaign)
            done.append(campaign.pk)
    return done


@task()
def recompute_changed_task() -> list[int]:
    """The background task: recompute the campaigns whose inputs changed."""
    return recompute_changed()
