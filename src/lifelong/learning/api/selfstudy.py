"""REST endpoints of self-study declarations: list, read, declare, submit, approve, return.

Thin: each endpoint parses its input, calls one query or service of `learning`, and lets the
schema render. A declaration out of the caller's scope answers 404 exactly as a missing one.
Evidence files are uploaded through the pages only.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.learning.choices import (
    DeclarationStatus,
    MovementContent,
    StudyMethod,
    TrainingCategory,
)
from lifelong.learning.models import SelfStudy
from lifelong.learning.queries import selfstudy as queries
from lifelong.learning.services import selfstudy as services

router = Router(tags=["self-study"])


class DeclarationFilter(Page):
    """Filters of the declaration list."""

    mine: bool = Field(False, description="Only the caller's own declarations.")
    to_approve: bool = Field(
        False, description="Only the submitted declarations the caller may approve."
    )
    status: DeclarationStatus | None = Field(None, description="Only this status.")
    q: str = Field(
        "", max_length=200, description="Words of the officer's name or code; no diacritics needed."
    )


class DeclarationIn(Schema):
    """A self-study declaration as an officer sends it (evidence is uploaded in the page)."""

    topic: str = Field(min_length=1, max_length=300)
    method: StudyMethod
    learned_on: datetime.date = Field(description="The day of the learning (not in the future).")
    hours: Decimal = Field(description="Clock hours, more than 0 and at most 24 a day.")
    category: TrainingCategory = TrainingCategory.OTHER
    content: MovementContent = MovementContent.SELF_STUDY
    learned: str = Field(min_length=1, max_length=5000, description="What was learned.")
    submit: bool = Field(False, description="Submit for approval at once (else a draft).")


class ReturnIn(Schema):
    """Why a declaration is returned to the officer."""

    reason: str = Field(min_length=1, max_length=2000)


class DeclarationOut(Schema):
    """A self-study declaration."""

    id: int
    officer_code: str
    full_name: str
    unit_id: int
    topic: str
    method: StudyMethod
    learned_on: datetime.date
    hours: float = Field(description="Clock hours.")
    category: TrainingCategory
    content: MovementContent
    learned: str
    status: DeclarationStatus
    return_reason: str
    statement_id: str | None = Field(
        description="The xAPI statement that counts it now (approved only)."
    )
    evidence_count: int

    @staticmethod
    def resolve_officer_code(obj: SelfStudy) -> str:
        """Return the officer's code."""
        return obj.person.officer_code

    @staticmethod
    def resolve_full_name(obj: SelfStudy) -> str:
        """Return the officer's full name."""
        return obj.person.full_name

    @staticmethod
    def resolve_unit_id(obj: SelfStudy) -> int:
        """Return the officer's unit."""
        return obj.person.unit_id

    @staticmethod
    def resolve_statement_id(obj: SelfStudy) -> str | None:
        """Return the id of the statement that counts it."""
        return str(obj.statement_id) if obj.statement_id else None

    @staticmethod
    def resolve_evidence_count(obj: SelfStudy) -> int:
        """Return how many evidence files it has."""
        count = getattr(obj, "n_evidence", None)
        return int(count) if count is not None else obj.evidence.count()


class DeclarationList(Schema):
    """A page of declarations, newest learning first (the approval queue: oldest first)."""

    items: list[DeclarationOut]
    count: int


def _with_counts(rows: Any) -> Any:
    return rows.annotate(n_evidence=Count("evidence"))


@router.get(
    "/self-study",
    response=responses(DeclarationList, 401, 422),
    summary="List self-study declarations",
)
def list_declarations(
    request: HttpRequest, filters: Query[DeclarationFilter]
) -> Listing[SelfStudy]:
    """List the declarations the caller may see: their own, and those of their units' officers.

    `mine` keeps the caller's own; `to_approve` keeps the queue of submitted declarations the
    caller may approve (never their own).
    """
    status = filters.status.value if filters.status else ""
    if filters.to_approve:
        rows = queries.approval_queue(request.user, query=filters.q)
        if status:
            rows = rows.filter(status=status)
    elif filters.mine:
        rows = queries.my_declarations(request.user, status=status)
    else:
        rows = queries.declarations_visible_to(request.user, status=status, query=filters.q)
    return paginate(_with_counts(rows), filters)


@router.get(
    "/self-study/{declaration_id}",
    response=responses(DeclarationOut, 401, 404),
    summary="Get a self-study declaration",
)
def get_declaration(request: HttpRequest, declaration_id: int) -> SelfStudy:
    """Return one declaration; 404 if missing or out of the caller's scope."""
    return queries.access_declaration(request.user, declaration_id)


@router.post(
    "/self-study",
    response=responses(DeclarationOut, 400, 401, 422),
    summary="Declare self-study",
)
def create_declaration(request: HttpRequest, payload: DeclarationIn) -> SelfStudy:
    """Declare the caller's self-study, as a draft or (`submit`) for approval.

    400 with per-field `details.fields` for hours that are zero, negative or over 24 a day
    (with the caller's other approved and pending self-study that day), or a date in the
    future or before 2000.
    """
    values = payload.dict()
    submit = values.pop("submit")
    data = services.declaration_input(**values)
    return services.save_declaration(acting_user=request.user, data=data, submit=submit)


@router.post(
    "/self-study/{declaration_id}/submit",
    response=responses(DeclarationOut, 400, 401, 404),
    summary="Submit a self-study declaration",
)
def submit_declaration(request: HttpRequest, declaration_id: int) -> SelfStudy:
    """Submit the caller's draft or returned declaration for approval."""
    declaration = queries.access_own_declaration(request.user, declaration_id)
    return services.submit_declaration(acting_user=request.user, declaration=declaration)


@router.post(
    "/self-study/{declaration_id}/approve",
    response=responses(DeclarationOut, 400, 401, 404),
    summary="Approve a self-study declaration",
)
def approve_declaration(request: HttpRequest, declaration_id: int) -> SelfStudy:
    """Approve a submitted declaration: its hours count in the officer's ledger.

    The caller must be a unit head over the officer's unit, and not the officer (else 404).
    """
    declaration = queries.access_reviewable(request.user, declaration_id)
    return services.approve_declaration(acting_user=request.user, declaration=declaration)


@router.post(
    "/self-study/{declaration_id}/return",
    response=responses(DeclarationOut, 400, 401, 404, 422),
    summary="Return a self-study declaration",
)
def return_declaration(request: HttpRequest, declaration_id: int, payload: ReturnIn) -> SelfStudy:
    """Return a submitted declaration to the officer with a reason (the unit head)."""
    declaration = queries.access_reviewable(request.user, declaration_id)
    return services.return_declaration(
        acting_user=request.user, declaration=declaration, reason=payload.reason
    )
