"""REST endpoints of campaigns and their criteria (read): what a campaign is and how it scores.

Scoped through `queries.scope.visible_campaigns`: a campaign in draft is the secretariat's
only; a launched one is seen by the holders of an emulation capability over its units and by
the officers in its scope. Anything else answers 404, exactly as a missing one.
"""

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.emulation.models import Campaign, Content, Criterion, Phase
from lifelong.emulation.queries.scope import get_campaign, visible_campaigns
from lifelong.emulation.queries.standings import get_phase
from lifelong.emulation.services.scoring import criteria_in_force

router = Router(tags=["emulation"])


class PhaseOut(Schema):
    """A dated phase of a campaign."""

    id: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


class ContentOut(Schema):
    """A content of a campaign and its weight in the total (the weights sum to 100)."""

    id: int
    name: str
    weight: float


class CampaignOut(Schema):
    """An emulation campaign."""

    id: int
    name: str
    status: str = Field(
        description="draft, launched, running, interim_review, final_review or closed."
    )
    starts_on: datetime.date
    ends_on: datetime.date
    launching_unit_id: int
    phases: list[PhaseOut]
    contents: list[ContentOut]

    @staticmethod
    def resolve_phases(obj: Campaign) -> list[Phase]:
        """Return the phases in date order."""
        return list(obj.phases.all())

    @staticmethod
    def resolve_contents(obj: Campaign) -> list[Content]:
        """Return the contents in their order."""
        return list(obj.contents.all())


class CampaignList(Schema):
    """A page of campaigns, newest first."""

    items: list[CampaignOut]
    count: int


class CriterionOut(Schema):
    """A criterion of a phase as configured."""

    code: str
    name: str
    content_id: int
    subject: str = Field(description="units, people or both.")
    metric: str = Field(
        description="hours_per_head, target_share, language_or_data_share, certificates, "
        "initiatives, wco_instructors, kpi or evidence."
    )
    kpi_id: int | None
    kind: str = Field(description="linear, thresholds, rank or assessed.")
    weight: float = Field(description="Weight in its content (%).")
    target: float | None
    cap: float
    steps: list[list[float]] = Field(description="Thresholds as [bound, points] pairs.")
    lower_is_better: bool
    normalisation: str = Field(description="none, per_head or per_100.")


class CriteriaOut(Schema):
    """The criteria in force in a phase (its newest version)."""

    phase_id: int
    version: int | None = Field(description="The criteria version; null when none is saved.")
    criteria: list[CriterionOut]


class PhaseQuery(Schema):
    """Which phase: its id; default the phase running today (else the last)."""

    phase: int | None = None


def _campaigns(request: HttpRequest) -> QuerySet[Campaign]:
    return visible_campaigns(request.user).prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
        Prefetch("contents", queryset=Content.objects.order_by("position", "pk")),
    )


@router.get(
    "/campaigns",
    response=responses(CampaignList, 401, 422),
    summary="List emulation campaigns",
)
def list_campaigns(request: HttpRequest, page: Query[Page]) -> Listing[Campaign]:
    """List the campaigns the caller sees, newest first, with their phases and contents."""
    return paginate(_campaigns(request).order_by("-starts_on", "pk"), page)


@router.get(
    "/campaigns/{campaign_id}",
    response=responses(CampaignOut, 401, 404, 422),
    summary="Get an emulation campaign",
)
def get_campaign_detail(request: HttpRequest, campaign_id: int) -> Campaign:
    """Return one campaign with its phases and contents."""
    get_campaign(request.user, campaign_id)
    return _campaigns(request).get(pk=campaign_id)


@router.get(
    "/campaigns/{campaign_id}/criteria",
    response=responses(CriteriaOut, 401, 404, 422),
    summary="Get the criteria of a phase",
)
def get_criteria(request: HttpRequest, campaign_id: int, query: Query[PhaseQuery]) -> dict:
    """Return the criteria in force in the phase (newest version), in their order."""
    campaign = get_campaign(request.user, campaign_id)
    phase = get_phase(request.user, campaign, query.phase)
    version, _defs = criteria_in_force(phase)
    rows: list[Criterion] = (
        list(Criterion.objects.filter(version=version).order_by("content__position", "position"))
        if version is not None
        else []
    )
    return {
        "phase_id": phase.pk,
        "version": version.number if version is not None else None,
        "criteria": [
            {
                "code": c.code,
                "name": c.name,
                "content_id": c.content_id,
                "subject": c.subject,
                "metric": c.metric,
                "kpi_id": c.kpi_id,
                "kind": c.kind,
                "weight": float(c.weight),
                "target": None if c.target is None else float(c.target),
                "cap": float(c.cap),
                "steps": [[float(b), float(p)] for b, p in c.steps or ()],
                "lower_is_better": c.lower_is_better,
                "normalisation": c.normalisation,
            }
            for c in rows
        ],
    }
