"""Reads of live scores, rankings and frozen reviews, every one scoped to the acting user.

Units' rows are those where the user holds SEE_EMULATION; officers' rows those of officers
placed in such units, and the user's own. Live rows come from `Standing` (computed in the
background, never on a page view); a review's rows from its frozen snapshot, filtered the same
way. Missing and forbidden answer the same NotFound (audited).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from lifelong.core.lookups import get_visible, refuse
from lifelong.emulation.models import Campaign, Content, Criterion, Phase, Review, Standing
from lifelong.emulation.queries.inputs import field_of
from lifelong.emulation.queries.scope import own_person
from lifelong.emulation.services.scoring import criteria_in_force
from lifelong.learning.queries.facts import LearningFacts, learning_facts
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Unit

__all__ = [
    "OfficerFacts",
    "UnitScores",
    "get_phase",
    "get_review",
    "people_standings",
    "review_people",
    "review_units",
    "reviews_of",
    "trend",
    "unit_officers",
    "unit_rows",
    "unit_scores",
    "visible_units",
]


def _roots(user: AnyUser) -> list[str]:
    return access.scope_of(user, Capability.SEE_EMULATION)


def get_phase(user: AnyUser, campaign: Campaign, pk: object | None) -> Phase:
    """Return the campaign's phase `pk`; with None, the phase running today (else the last)."""
    phases = Phase.objects.filter(campaign=campaign).order_by("starts_on")
    if pk in (None, ""):
        today = datetime.date.today()
        found = phases.filter(starts_on__lte=today, ends_on__gte=today).first() or phases.last()
        if found is None:
            raise refuse(user, "phase", "")
        return found
    return get_visible(user, phases, "phase", pk)


def visible_units(user: AnyUser, campaign: Campaign, phase: Phase) -> QuerySet[Standing]:
    """Return the live standings of the units the user sees, by cluster and rank."""
    return (
        Standing.objects.filter(phase=phase, unit__isnull=False)
        .filter(access.scope_filter(_roots(user), "unit__path"))
        .select_related("unit", "cluster")
        .order_by("cluster__name", "rank", "unit__sort_key")
    )


def unit_rows(standings: QuerySet[Standing] | list[Standing]) -> list[dict[str, Any]]:
    """Return unit standings in the API's ranking shape."""
    return [
        {
            "unit_id": s.unit_id,
            "unit_code": s.unit.code if s.unit else "",
            "unit_name": s.unit.name if s.unit else "",
            "cluster": s.cluster.name if s.cluster else "",
            "cluster_id": s.cluster_id,
            "total": float(s.total),
            "rank": s.rank,
            "of": s.of,
            "by_content": s.by_content,
        }
        for s in standings
    ]


def people_standings(
    user: AnyUser, campaign: Campaign, phase: Phase, *, unit: Unit | None = None
) -> QuerySet[Standing]:
    """Return the live standings of the officers the user sees (in `unit`'s subtree if given)."""
    condition = access.scope_filter(_roots(user), "person__unit__path")
    person = own_person(user)
    if person is not None:
        condition |= Q(person=person)
    rows = Standing.objects.filter(condition, phase=phase, person__isnull=False)
    if unit is not None:
        rows = rows.filter(access.scope_filter([unit.path], "person__unit__path"))
    return rows.select_related("person", "cluster").order_by(
        "cluster__name", "rank", "person__sort_key"
    )


@dataclass
class UnitScores:
    """A unit's score in a phase, criterion by criterion, with what each came from."""

    unit: Unit
    phase: Phase
    standing: Standing | None
    contents: list[Content]
    criteria: list[Criterion]


def unit_scores(user: AnyUser, campaign: Campaign, phase: Phase, unit_id: object) -> UnitScores:
    """Return the unit's drill-down if the user sees the unit; else NotFound (audited)."""
    units = Unit.objects.filter(access.scope_filter(_roots(user)))
    unit = get_visible(user, units, "unit", unit_id)
    standing = Standing.objects.filter(phase=phase, unit=unit).select_related("cluster").first()
    version, _defs = criteria_in_force(phase)
    criteria = (
        list(Criterion.objects.filter(version=version).select_related("content", "kpi"))
        if version is not None
        else []
    )
    contents = list(Content.objects.filter(campaign=campaign).order_by("position", "pk"))
    return UnitScores(unit, phase, standing, contents, criteria)


@dataclass(frozen=True)
class OfficerFacts:
    """An officer behind a unit's learning figures, with their facts over the phase."""

    officer_code: str
    name: str
    sort_key: str
    facts: LearningFacts | None


def unit_officers(campaign: Campaign, phase: Phase, unit: Unit) -> list[OfficerFacts]:
    """Return the officers counted for the competing unit in the phase, with their facts.

    The caller has already checked that the user sees the unit (`unit_scores`).
    """
    where = field_of(campaign, phase)
    entrants = [e for e in where.entrants.values() if e.unit_id == unit.pk]
    facts = learning_facts(
        phase.starts_on,
        min(phase.ends_on, where.reference),
        person_ids=[e.person_id for e in entrants],
    )
    rows = [
        OfficerFacts(e.officer_code, e.name, e.sort_key, facts.get(e.person_id)) for e in entrants
    ]
    return sorted(rows, key=lambda r: r.sort_key)


def trend(user: AnyUser, campaign: Campaign) -> dict[int, dict[int, float]]:
    """Return each visible unit's live total per phase: {unit id: {phase id: total}}."""
    rows = Standing.objects.filter(phase__campaign=campaign, unit__isnull=False).filter(
        access.scope_filter(_roots(user), "unit__path")
    )
    found: dict[int, dict[int, float]] = {}
    for unit_id, phase_id, total in rows.values_list("unit_id", "phase_id", "total"):
        found.setdefault(unit_id, {})[phase_id] = float(total)
    return found


def reviews_of(user: AnyUser, campaign: Campaign) -> QuerySet[Review]:
    """Return the campaign's reviews, newest first (the campaign is already visible)."""
    return (
        Review.objects.filter(campaign=campaign)
        .select_related("phase")
        .defer("snapshot")
        .order_by("-frozen_at", "-version")
    )


def get_review(user: AnyUser, campaign: Campaign, pk: object) -> Review:
    """Return the campaign's review `pk`; else NotFound (audited)."""
    return get_visible(user, Review.objects.filter(campaign=campaign), "review", pk)


def review_units(user: AnyUser, review: Review) -> list[dict[str, Any]]:
    """Return the frozen unit rows of `review` the user sees."""
    rows = review.snapshot.get("units", [])
    ids = {row["unit_id"] for row in rows}
    seen = set(
        Unit.objects.filter(pk__in=ids)
        .filter(access.scope_filter(_roots(user)))
        .values_list("pk", flat=True)
    )
    return [row for row in rows if row["unit_id"] in seen]


def review_people(
    user: AnyUser, review: Review, *, unit: Unit | None = None
) -> list[dict[str, Any]]:
    """Return the frozen officer rows of `review` the user sees (under `unit` if given)."""
    rows = review.snapshot.get("people", [])
    units = Unit.objects.filter(pk__in={row["own_unit_id"] for row in rows}).filter(
        access.scope_filter(_roots(user))
    )
    if unit is not None:
        units = units.filter(access.scope_filter([unit.path]))
    seen = set(units.values_list("pk", flat=True))
    person = own_person(user)
    own = person.officer_code if person is not None and unit is None else None
    return [row for row in rows if row["own_unit_id"] in seen or row["officer_code"] == own]
