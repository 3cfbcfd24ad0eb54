"""REST endpoints of scores: live rankings, a unit's drill-down, frozen reviews.

Live rankings read the scores computed in the background (they follow new data within a
minute; `lifelong emulation recompute` at once). A review answers its frozen snapshot, which
nothing later changes. Rows are those of the units (and their officers) where the caller holds
SEE_EMULATION, plus the caller's own row; ranks are competition ranks (1, 1, 3) within the
cluster. Anything out of scope answers 404, exactly as a missing one.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.core.lookups import get_visible
from lifelong.emulation.models import Review
from lifelong.emulation.queries import standings as queries
from lifelong.emulation.queries.scope import get_campaign
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Unit

router = Router(tags=["emulation"])

BY_CONTENT = "Score (0-100) by content id (as a string key)."


class UnitRankOut(Schema):
    """A unit's total and rank within its cluster."""

    unit_id: int
    unit_name: str
    cluster: str
    total: float
    rank: int = Field(description="Competition rank within the cluster (1, 1, 3).")
    by_content: dict[str, float] = Field(description=BY_CONTENT)


class RankingOut(Schema):
    """The units' ranking of a phase."""

    phase_id: int
    units: list[UnitRankOut]


class PersonRankOut(Schema):
    """An officer's total and rank within the cluster of their unit."""

    officer_code: str
    name: str
    cluster: str
    total: float
    rank: int = Field(description="Competition rank within the cluster (1, 1, 3).")
    by_content: dict[str, float] = Field(description=BY_CONTENT)


class PeopleRankingOut(Schema):
    """A page of the officers' ranking of a phase."""

    phase_id: int
    people: list[PersonRankOut]
    count: int


class PeopleQuery(Page):
    """Which phase (default the running one) and, optionally, which unit's subtree."""

    phase: int | None = None
    unit_id: int | None = None


class PhaseQuery(Schema):
    """Which phase: its id; default the phase running today (else the last)."""

    phase: int | None = None


class ReviewOut(Schema):
    """A frozen review: interim (one phase) or final (the whole campaign)."""

    id: int
    kind: str = Field(description="interim or final.")
    phase_id: int | None = Field(description="The phase reviewed; null for the final review.")
    version: int
    frozen_at: datetime.datetime
    superseded_at: datetime.datetime | None = Field(
        description="When a newer version replaced it (reopened), else null."
    )


class ReviewList(Schema):
    """A page of a campaign's reviews, newest first."""

    items: list[ReviewOut]
    count: int


class ProposalOut(Schema):
    """A unit or officer the review proposes for commendation, with the reasons."""

    unit_id: int | None = None
    officer_code: str | None = None
    name: str
    cluster: str
    reasons: dict[str, Any] = Field(
        description="rank, of (how many ranked), total, best_content {id, name, score}."
    )


class ProposalsOut(Schema):
    """The exemplary collectives and individuals a review proposes."""

    units: list[ProposalOut]
    people: list[ProposalOut]


class ReviewSnapshotOut(Schema):
    """A review's frozen ranking, in the live ranking's shape."""

    id: int
    kind: str
    phase_id: int | None
    version: int
    frozen_at: datetime.datetime
    units: list[UnitRankOut]
    people: list[PersonRankOut]
    proposals: ProposalsOut


class CriterionScoreOut(Schema):
    """One criterion's score of a unit and what it came from."""

    code: str
    name: str
    content_id: int
    weight: float
    raw: float | None = Field(description="The value as measured.")
    value: float | None = Field(description="The value scored (normalised if asked).")
    points: float
    rank: int | None = Field(None, description="For rank criteria: the rank in the cluster.")
    problem: str | None = Field(None, description="Why no points: no_data or no_staff.")
    inputs: dict[str, Any] = Field(description="The numbers and records behind the value.")


class UnitScoresOut(Schema):
    """A unit's score in a phase, criterion by criterion."""

    phase_id: int
    unit_id: int
    unit_name: str
    cluster: str | None
    total: float | None
    rank: int | None
    of: int | None
    by_content: dict[str, float]
    criteria: list[CriterionScoreOut]


@router.get(
    "/campaigns/{campaign_id}/ranking",
    response=responses(RankingOut, 401, 404, 422),
    summary="The units' live ranking of a phase",
)
def get_ranking(request: HttpRequest, campaign_id: int, query: Query[PhaseQuery]) -> dict:
    """Return the units' live totals and ranks by cluster, with each content's score."""
    campaign = get_campaign(request.user, campaign_id)
    phase = queries.get_phase(request.user, campaign, query.phase)
    rows = queries.unit_rows(queries.visible_units(request.user, campaign, phase))
    return {"phase_id": phase.pk, "units": rows}


@router.get(
    "/campaigns/{campaign_id}/ranking/people",
    response=responses(PeopleRankingOut, 401, 404, 422),
    summary="The officers' live ranking of a phase",
)
def get_people_ranking(request: HttpRequest, campaign_id: int, query: Query[PeopleQuery]) -> dict:
    """Return a page of the officers' live totals and ranks by cluster (`unit_id`: a subtree)."""
    campaign = get_campaign(request.user, campaign_id)
    phase = queries.get_phase(request.user, campaign, query.phase)
    unit = None
    if query.unit_id is not None:
        units = Unit.objects.filter(
            access.scope_filter(access.scope_of(request.user, Capability.SEE_EMULATION))
        )
        unit = get_visible(request.user, units, "unit", query.unit_id)
    listing = paginate(queries.people_standings(request.user, campaign, phase, unit=unit), query)
    return {
        "phase_id": phase.pk,
        "count": listing["count"],
        "people": [
            {
                "officer_code": s.person.officer_code if s.person else "",
                "name": s.person.full_name if s.person else "",
                "cluster": s.cluster.name if s.cluster else "",
                "total": float(s.total),
                "rank": s.rank,
                "by_content": s.by_content,
            }
            for s in listing["items"]
        ],
    }


@router.get(
    "/campaigns/{campaign_id}/units/{unit_id}/scores",
    response=responses(UnitScoresOut, 401, 404, 422),
    summary="A unit's scores in a phase, with what they came from",
)
def get_unit_scores(
    request: HttpRequest, campaign_id: int, unit_id: int, query: Query[PhaseQuery]
) -> dict:
    """Return the unit's total, rank and every criterion's score with its inputs."""
    campaign = get_campaign(request.user, campaign_id)
    phase = queries.get_phase(request.user, campaign, query.phase)
    found = queries.unit_scores(request.user, campaign, phase, unit_id)
    standing = found.standing
    detail = standing.detail if standing is not None else {}
    return {
        "phase_id": phase.pk,
        "unit_id": found.unit.pk,
        "unit_name": found.unit.name,
        "cluster": standing.cluster.name if standing and standing.cluster else None,
        "total": float(standing.total) if standing else None,
        "rank": standing.rank if standing else None,
        "of": standing.of if standing else None,
        "by_content": standing.by_content if standing else {},
        "criteria": [
            {
                "code": c.code,
                "name": c.name,
                "content_id": c.content_id,
                "weight": float(c.weight),
                **{k: detail.get(c.code, {}).get(k) for k in ("raw", "value", "rank", "problem")},
                "points": detail.get(c.code, {}).get("points", 0.0),
                "inputs": detail.get(c.code, {}).get("inputs", {}),
            }
            for c in found.criteria
            if c.code in detail
        ],
    }


@router.get(
    "/campaigns/{campaign_id}/reviews",
    response=responses(ReviewList, 401, 404, 422),
    summary="A campaign's frozen reviews",
)
def list_reviews(request: HttpRequest, campaign_id: int, page: Query[Page]) -> Listing[Review]:
    """List the campaign's interim and final reviews, every version, newest first."""
    campaign = get_campaign(request.user, campaign_id)
    return paginate(queries.reviews_of(request.user, campaign), page)


@router.get(
    "/campaigns/{campaign_id}/reviews/{review_id}",
    response=responses(ReviewSnapshotOut, 401, 404, 422),
    summary="A frozen review's ranking",
)
def get_review(request: HttpRequest, campaign_id: int, review_id: int) -> dict:
    """Return the review's frozen ranking of units and officers, and its proposals."""
    campaign = get_campaign(request.user, campaign_id)
    review = queries.get_review(request.user, campaign, review_id)
    units = queries.review_units(request.user, review)
    people = queries.review_people(request.user, review)
    unit_ids = {u["unit_id"] for u in units}
    codes = {p["officer_code"] for p in people}
    proposals = review.snapshot.get("proposals", {})
    return {
        "id": review.pk,
        "kind": review.kind,
        "phase_id": review.phase_id,
        "version": review.version,
        "frozen_at": review.frozen_at,
        "units": units,
        "people": people,
        "proposals": {
            "units": [p for p in proposals.get("units", []) if p.get("unit_id") in unit_ids],
            "people": [p for p in proposals.get("people", []) if p.get("officer_code") in codes],
        },
    }
