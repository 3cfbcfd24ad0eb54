"""REST endpoints of the hours ledger: an officer's year, and a unit's compliance.

Thin: each endpoint checks access through `learning.queries.ledger` (an officer reads their
own ledger; unit heads, the training office and the secretariat read inside their
SEE_LEARNING scope; anything else answers 404 as a missing key does) and renders the
summary the projection keeps, so a statement shows here as soon as its POST commits.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from lifelong.core.api.exceptions import responses
from lifelong.core.exceptions import NotFound
from lifelong.learning.queries import ledger as queries

router = Router(tags=["learning"])

OFFICER_CODE_MAX_LENGTH = 32
FIRST_YEAR = 2000
LAST_YEAR = 2100

#
# Schemas
#


class YearQuery(Schema):
    """The year asked for."""

    year: int | None = Field(
        None,
        ge=FIRST_YEAR,
        le=LAST_YEAR,
        description="The calendar year (a statement counts for its timestamp's year in "
        "Asia/Ho_Chi_Minh); this year when omitted.",
    )


class HoursByCategory(Schema):
    """Clock hours by training category (Decree 171/2025); every code is always present."""

    political_theory: float = Field(0, description="Political theory.")
    defence_security: float = Field(0, description="National defence and security.")
    state_management: float = Field(0, description="State-management knowledge and skills.")
    job_skills: float = Field(0, description="Knowledge and skills of the job position.")
    digital_skills: float = Field(
        0, description="Science, technology, innovation and digital skills."
    )
    other: float = Field(0, description="Anything else.")


class HoursByContent(Schema):
    """Clock hours by movement content of the 2024-2030 plan; every code is always present.

    A course may serve several contents, so these may add up to more than the total.
    """

    law_policy: float = Field(0, description="Law and policy.")
    digital_data: float = Field(0, description="Digital transformation and data.")
    job_position: float = Field(0, description="Training tied to job positions.")
    international: float = Field(0, description="International practice and rotation.")
    self_study: float = Field(0, description="Self-study and learning culture.")


class LedgerOut(Schema):
    """One officer's hours ledger for one year, in clock hours."""

    officer_code: str
    year: int
    hours_total: float = Field(description="Hours that count this year (each claim once).")
    target_hours: float = Field(
        description="The annual target for the officer's job-position group (organisation "
        "policy; 30 clock hours = 40 periods by default)."
    )
    by_category: HoursByCategory
    by_content: HoursByContent


class ComplianceOut(Schema):
    """A unit's whole subtree against the annual targets."""

    unit_id: int
    year: int
    headcount: int = Field(
        description="Officers in the subtree on the reference date (today, or 31 December "
        "of a past year, including former units whose history passed into it)."
    )
    on_track: int = Field(description="Officers whose hours meet the target pro rata to date.")
    compliant: int = Field(description="Officers whose hours meet the whole year's target.")
    on_track_share: float = Field(description="on_track / headcount, 0-1 (0 without officers).")
    compliant_share: float = Field(description="compliant / headcount, 0-1 (0 without officers).")
    hours_per_head: float = Field(description="Clock hours per officer of the headcount.")


#
# Endpoints
#


@router.get(
    "/people/{officer_code}/ledger",
    response=responses(LedgerOut, 401, 404, 422),
    summary="Get an officer's hours ledger",
)
def get_ledger(request: HttpRequest, officer_code: str, params: Query[YearQuery]) -> LedgerOut:
    """Return an officer's hours for a year, by training category and movement content.

    Counted are the ADL verbs completed, passed and attended; the hours are the statement's
    `result.duration`, else the hours of the course its activity maps to; one officer,
    activity and registration count once (the largest claim); voided statements never
    count. 404 if the officer does not exist or is outside the caller's scope.
    """
    if len(officer_code) > OFFICER_CODE_MAX_LENGTH:
        raise NotFound(_("Not found."))
    person = queries.access_ledger_person(request.user, officer_code)
    year = params.year or queries.today().year
    book = queries.get_person_ledger(person, year, with_records=False)
    return LedgerOut(
        officer_code=person.officer_code,
        year=year,
        hours_total=float(book.hours_total),
        target_hours=float(book.target_hours),
        by_category=HoursByCategory(**{a.code: float(a.hours) for a in book.by_category}),
        by_content=HoursByContent(**{a.code: float(a.hours) for a in book.by_content}),
    )


@router.get(
    "/units/{unit_id}/compliance",
    response=responses(ComplianceOut, 401, 404, 422),
    summary="Get a unit's learning compliance",
)
def get_compliance(request: HttpRequest, unit_id: int, params: Query[YearQuery]) -> ComplianceOut:
    """Return how many officers of the unit's whole subtree are on track and compliant.

    The officers are those in the subtree on the reference date (today, or 31 December for
    a past year) with all their hours of that year. 404 if the unit does not exist or is
    outside the caller's SEE_LEARNING scope.
    """
    unit = queries.access_compliance_unit(request.user, unit_id)
    year = params.year or queries.today().year
    result = queries.unit_compliance(unit, year)
    figures = result.figures
    return ComplianceOut(
        unit_id=unit.pk,
        year=year,
        headcount=figures.headcount,
        on_track=figures.on_track,
        compliant=figures.compliant,
        on_track_share=figures.on_track_share,
        compliant_share=figures.compliant_share,
        hours_per_head=figures.hours_per_head,
    )
