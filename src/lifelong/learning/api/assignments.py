"""REST endpoints of assignments: mine, and the overdue ones of officers in scope.

Thin: each endpoint calls one query of `learning.queries.assignments`, scoped to the caller.
"""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.learning.choices import AssignmentStatus
from lifelong.learning.models import Assignment
from lifelong.learning.queries import assignments as queries
from lifelong.org.queries import access_unit

router = Router(tags=["assignments"])


class AssignmentOut(Schema):
    """An assignment of mandatory learning."""

    id: int
    officer_code: str
    holder: str = Field(description="The officer's full name.")
    course_code: str
    course_title: str
    assigned_at: datetime.datetime
    due_date: datetime.date
    status: AssignmentStatus = Field(description="open, done or cancelled, as last checked.")
    done: bool = Field(
        description="True when the officer has learned the course since it was assigned, "
        "even before the periodic check marks it done."
    )
    escalated_at: datetime.datetime | None = Field(
        description="When the unit head was notified that it is overdue."
    )

    @staticmethod
    def resolve_officer_code(obj: Assignment) -> str:
        """Return the officer's code."""
        return obj.person.officer_code

    @staticmethod
    def resolve_holder(obj: Assignment) -> str:
        """Return the officer's full name."""
        return obj.person.full_name

    @staticmethod
    def resolve_course_code(obj: Assignment) -> str:
        """Return the course's code."""
        return obj.course.code

    @staticmethod
    def resolve_course_title(obj: Assignment) -> str:
        """Return the course's title."""
        return obj.course.title

    @staticmethod
    def resolve_done(obj: Assignment) -> bool:
        """Return the annotation computed by the query."""
        return bool(getattr(obj, "is_done", obj.status == AssignmentStatus.DONE))


class AssignmentList(Schema):
    """A page of assignments."""

    items: list[AssignmentOut]
    count: int = Field(description="How many assignments match, over all pages.")


class OverdueFilter(Page):
    """Filters of the overdue list."""

    unit_id: int | None = Field(
        None, description="Only officers of this unit's subtree (404 if not visible)."
    )


@router.get(
    "/assignments/mine", response=responses(AssignmentList, 401, 422), summary="List my assignments"
)
def list_my_assignments(request: HttpRequest, page: Query[Page]) -> Listing[Assignment]:
    """List the caller's mandatory learning: open ones first, by due date."""
    return paginate(queries.list_my_assignments(request.user).select_related("person"), page)


@router.get(
    "/assignments/overdue",
    response=responses(AssignmentList, 401, 404, 422),
    summary="List overdue assignments in scope",
)
def list_overdue_assignments(
    request: HttpRequest, filters: Query[OverdueFilter]
) -> Listing[Assignment]:
    """List the overdue assignments of officers in the caller's learning scope, by due date.

    Overdue: open, past the due date, and not learned since assigned. Empty without a
    learning role.
    """
    unit = access_unit(request.user, filters.unit_id) if filters.unit_id is not None else None
    return paginate(queries.with_done(queries.list_overdue(request.user, unit=unit)), filters)
