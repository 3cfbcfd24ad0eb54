"""Reads of participation: the registrations a user sees, scoped.

Registrations of the units where the user holds SEE_EMULATION, REVIEW_EMULATION or
TAKE_PART_EMULATION, of the officers placed there, and the user's own.
"""

from django.db.models import Q, QuerySet

from lifelong.emulation.models import Campaign, Registration
from lifelong.emulation.queries.scope import own_person
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability

__all__ = ["participation_roots", "visible_registrations"]


def participation_roots(user: AnyUser) -> list[str]:
    """Return the subtree roots where the user sees, reviews or takes part in emulation."""
    return sorted(
        set(access.scope_of(user, Capability.SEE_EMULATION))
        | set(access.scope_of(user, Capability.REVIEW_EMULATION))
        | set(access.scope_of(user, Capability.TAKE_PART_EMULATION))
    )


def visible_registrations(
    user: AnyUser, campaign: Campaign | None = None
) -> QuerySet[Registration]:
    """Return the registrations the user sees (of `campaign` only, if given), newest first."""
    roots = participation_roots(user)
    condition = access.scope_filter(roots, "unit__path") | access.scope_filter(
        roots, "person__unit__path"
    )
    person = own_person(user)
    if person is not None:
        condition |= Q(person=person)
    rows = Registration.objects.filter(condition)
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    return rows.select_related("unit", "person", "person__unit").order_by(
        "-year", "unit__path", "person__sort_key"
    )
