"""REST endpoints of participation: registrations and their approval, evidence and its review.

Thin: each endpoint parses its input and calls one service of `services.participation`; the
services decide who may act (the unit's head registers and self-assesses; the level above
approves and reviews). Lists hold the rows of the units the caller sees or reviews, their
officers, and the caller's own. Anything out of scope answers 404, exactly as a missing one.
"""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.core.lookups import get_visible
from lifelong.emulation.models import Assessment, Registration
from lifelong.emulation.queries.participation import participation_roots, visible_registrations
from lifelong.emulation.queries.scope import get_campaign
from lifelong.emulation.services import participation as services
from lifelong.org import access
from lifelong.org.models import Unit

router = Router(tags=["emulation"])


class RegistrationOut(Schema):
    """A registration (đăng ký thi đua) of a unit or an officer for a campaign year."""

    id: int
    year: int
    unit_id: int | None
    officer_code: str | None
    status: str = Field(
        description="draft, submitted, approved, returned or not_registered (recorded when "
        "registration closed)."
    )
    commitments: str
    targets: dict[str, float] = Field(description="Targets by criterion code.")
    return_reason: str
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_officer_code(obj: Registration) -> str | None:
        """Return the officer's code, for an officer's registration."""
        return obj.person.officer_code if obj.person else None


class RegistrationList(Schema):
    """A page of registrations, newest year first."""

    items: list[RegistrationOut]
    count: int


class RegistrationIn(Schema):
    """A registration to save; `unit_id` for a unit's, none for the caller's own."""

    year: int
    commitments: str = ""
    targets: dict[str, Decimal] = Field(default_factory=dict)
    unit_id: int | None = None
    submit: bool = Field(False, description="Send it for approval (else a draft).")


class ReasonIn(Schema):
    """Why a registration is returned."""

    reason: str


class RegistrationFilter(Page):
    """Filters of the list."""

    year: int | None = None
    status: str | None = None


class FileOut(Schema):
    """A file of evidence and where to download it (signed-in session)."""

    name: str
    url: str


class EvidenceOut(Schema):
    """A unit's self-assessment on an evidence criterion and its review."""

    id: int
    phase_id: int
    criterion_code: str
    unit_id: int
    self_points: float
    reviewed_points: float | None
    status: str = Field(description="draft, submitted, accepted or adjusted.")
    explanation: str
    link: str
    review_reason: str
    files: list[FileOut]

    @staticmethod
    def resolve_files(obj: Assessment) -> list[dict[str, str]]:
        """Return the files with their download paths."""
        return [
            {
                "name": f.name,
                "url": f"/emulation/{obj.phase.campaign_id}/assessments/{obj.pk}/files/{f.pk}/",
            }
            for f in obj.files.all()
        ]


class EvidenceList(Schema):
    """A page of self-assessments."""

    items: list[EvidenceOut]
    count: int


class EvidenceFilter(Page):
    """Filters of the evidence list."""

    phase: int | None = None
    unit_id: int | None = None


class ReviewIn(Schema):
    """The level above's review: the points kept; a reason when they differ."""

    points: Decimal = Field(ge=0, le=100)
    reason: str = ""


@router.get(
    "/campaigns/{campaign_id}/registrations",
    response=responses(RegistrationList, 401, 404, 422),
    summary="List a campaign's registrations",
)
def list_registrations(
    request: HttpRequest, campaign_id: int, filters: Query[RegistrationFilter]
) -> Listing[Registration]:
    """List the registrations of the units the caller sees or reviews, and the caller's own."""
    campaign = get_campaign(request.user, campaign_id)
    rows = visible_registrations(request.user, campaign)
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paginate(rows, filters)


@router.post(
    "/campaigns/{campaign_id}/registrations",
    response=responses(RegistrationOut, 400, 401, 404, 422),
    summary="Save a registration",
)
def save_registration(
    request: HttpRequest, campaign_id: int, payload: RegistrationIn
) -> Registration:
    """Save a unit's (or the caller's own) registration; `submit` sends it for approval.

    400 for a campaign not taking registrations, a year outside it, a target of a criterion
    that does not exist that year, or a registration already submitted.
    """
    campaign = get_campaign(request.user, campaign_id)
    unit = None
    if payload.unit_id is not None:
        units = Unit.objects.filter(access.scope_filter(participation_roots(request.user)))
        unit = get_visible(request.user, units, "unit", payload.unit_id)
    return services.register(
        acting_user=request.user,  # type: ignore[arg-type]
        campaign=campaign,
        year=payload.year,
        commitments=payload.commitments,
        targets=payload.targets,
        unit=unit,
        submit=payload.submit,
    )


def _registration(request: HttpRequest, registration_id: int) -> Registration:
    rows = visible_registrations(request.user)
    return get_visible(request.user, rows, "registration", registration_id)


@router.post(
    "/registrations/{registration_id}/approve",
    response=responses(RegistrationOut, 400, 401, 404, 422),
    summary="Approve a registration",
)
def approve_registration(request: HttpRequest, registration_id: int) -> Registration:
    """Approve a submitted registration (the level above the unit, or the officer's head)."""
    row = _registration(request, registration_id)
    return services.approve(acting_user=request.user, registration=row)  # type: ignore[arg-type]


@router.post(
    "/registrations/{registration_id}/return",
    response=responses(RegistrationOut, 400, 401, 404, 422),
    summary="Return a registration",
)
def return_registration(
    request: HttpRequest, registration_id: int, payload: ReasonIn
) -> Registration:
    """Return a submitted registration for changes, with the reason (required)."""
    row = _registration(request, registration_id)
    return services.return_registration(
        acting_user=request.user,  # type: ignore[arg-type]
        registration=row,
        reason=payload.reason,
    )


@router.get(
    "/campaigns/{campaign_id}/evidence",
    response=responses(EvidenceList, 401, 404, 422),
    summary="List self-assessments on evidence criteria",
)
def list_evidence(
    request: HttpRequest, campaign_id: int, filters: Query[EvidenceFilter]
) -> Listing[Assessment]:
    """List the self-assessments of the units the caller sees, takes part for or reviews."""
    campaign = get_campaign(request.user, campaign_id)
    rows = (
        Assessment.objects.filter(phase__campaign=campaign)
        .filter(access.scope_filter(participation_roots(request.user), "unit__path"))
        .select_related("phase")
        .prefetch_related("files")
        .order_by("phase__starts_on", "unit__path", "criterion_code")
    )
    if filters.phase is not None:
        rows = rows.filter(phase_id=filters.phase)
    if filters.unit_id is not None:
        rows = rows.filter(unit_id=filters.unit_id)
    return paginate(rows, filters)


@router.post(
    "/evidence/{assessment_id}/review",
    response=responses(EvidenceOut, 400, 401, 404, 422),
    summary="Review a self-assessment",
)
def review_evidence(request: HttpRequest, assessment_id: int, payload: ReviewIn) -> Assessment:
    """Accept the unit's points (the same) or adjust them with a reason (the level above)."""
    rows = Assessment.objects.filter(
        access.scope_filter(participation_roots(request.user), "unit__path")
    ).select_related("phase")
    found = get_visible(request.user, rows, "assessment", assessment_id)
    return services.review_assessment(
        acting_user=request.user,  # type: ignore[arg-type]
        assessment=found,
        points=payload.points,
        reason=payload.reason,
    )
