"""REST endpoints of learning plans: a plan with its progress, and the unit head's review.

A plan out of the caller's scope answers 404 exactly as a missing one.
"""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.exceptions import NotFound
from lifelong.learning.choices import PlanStatus
from lifelong.learning.models import LearningPlan
from lifelong.learning.queries import plans as queries
from lifelong.learning.services import plans as services

router = Router(tags=["learning plans"])


class PlanItemOut(Schema):
    """A planned course or piece of self-study."""

    course_id: int | None
    course_code: str | None
    description: str
    planned_hours: float
    quarter: int | None
    done: bool | None = Field(description="For a course: a live record of it that year.")


class ProgressOut(Schema):
    """Progress against the plan: the ledger's hours that year and planned courses done."""

    hours_done: float
    share: float = Field(description="Hours done / target, 0-1.")
    remaining_hours: float
    planned_hours: float
    courses_planned: int
    courses_done: int


class PlanOut(Schema):
    """An officer's yearly learning plan with its progress."""

    id: int
    officer_code: str
    year: int
    target_hours: float
    status: PlanStatus
    return_reason: str
    note: str
    items: list[PlanItemOut]
    progress: ProgressOut


class ReturnIn(Schema):
    """Why a plan is returned to the officer."""

    reason: str = Field(min_length=1, max_length=2000)


def _out(plan: LearningPlan) -> PlanOut:
    items = queries.items_of(plan)
    progress = queries.plan_progress(plan, items)
    return PlanOut(
        id=plan.pk,
        officer_code=plan.person.officer_code,
        year=plan.year,
        target_hours=float(plan.target_hours),
        status=PlanStatus(plan.status),
        return_reason=plan.return_reason,
        note=plan.note,
        items=[
            PlanItemOut(
                course_id=i.course_id,
                course_code=i.course.code if i.course else None,
                description=i.description,
                planned_hours=float(i.planned_hours),
                quarter=i.quarter,
                done=(i.course_id in progress.done_course_ids) if i.course_id else None,
            )
            for i in items
        ],
        progress=ProgressOut(
            hours_done=float(progress.hours_done),
            share=float(progress.share),
            remaining_hours=float(progress.remaining_hours),
            planned_hours=float(progress.planned_hours),
            courses_planned=progress.courses_planned,
            courses_done=progress.courses_done,
        ),
    )


@router.get(
    "/plans/mine", response=responses(PlanOut, 401, 404, 422), summary="Get my learning plan"
)
def get_my_plan(request: HttpRequest, year: int | None = None) -> PlanOut:
    """Return the caller's plan for `year` (default this year) with progress; 404 if none."""
    plan = queries.my_plan(request.user, year or timezone.localdate().year)
    if plan is None:
        raise NotFound(_("Not found."))
    return _out(plan)


@router.get(
    "/plans/{plan_id}", response=responses(PlanOut, 401, 404), summary="Get a learning plan"
)
def get_plan(request: HttpRequest, plan_id: int) -> PlanOut:
    """Return one plan with progress; 404 if missing or out of the caller's scope."""
    return _out(queries.access_plan(request.user, plan_id))


@router.post(
    "/plans/{plan_id}/agree",
    response=responses(PlanOut, 400, 401, 404),
    summary="Agree to a learning plan",
)
def agree_plan(request: HttpRequest, plan_id: int) -> PlanOut:
    """Agree to a submitted plan (the officer's unit head; never one's own: 404)."""
    plan = queries.access_plan(request.user, plan_id)
    return _out(services.agree_plan(acting_user=request.user, plan=plan))


@router.post(
    "/plans/{plan_id}/return",
    response=responses(PlanOut, 400, 401, 404, 422),
    summary="Return a learning plan",
)
def return_plan(request: HttpRequest, plan_id: int, payload: ReturnIn) -> PlanOut:
    """Return a submitted plan to the officer with a reason (the officer's unit head)."""
    plan = queries.access_plan(request.user, plan_id)
    return _out(services.return_plan(acting_user=request.user, plan=plan, reason=payload.reason))
