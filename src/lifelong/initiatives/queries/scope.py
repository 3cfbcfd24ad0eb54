"""Who sees which initiative: the one filter every initiatives page and endpoint starts from.

- Recognised initiatives (at any level) are the movement's to share: every signed-in user.
- Authors, and whoever wrote the initiative, see it in every status, drafts included.
- Holders of SEE_INITIATIVES (unit heads, the secretariat) see the initiatives of their units
  once submitted; never a draft.
- Members of a council see the initiatives it has evaluated or has in its queue.

Missing and forbidden are the same NotFound, and a refused attempt is audited.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from lifelong.core.lookups import get_visible
from lifelong.initiatives.choices import InitiativeStatus, MemberRole
from lifelong.initiatives.models import (
    Council,
    CouncilMember,
    Evaluation,
    Initiative,
    InitiativeAuthor,
)
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability

__all__ = [
    "councils_of",
    "get_initiative",
    "is_author",
    "is_council_officer",
    "visible_initiatives",
]


def visible_initiatives(user: AnyUser) -> QuerySet[Initiative]:
    """Return the initiatives the user may see."""
    if not user.is_authenticated:
        return Initiative.objects.none()
    authored = InitiativeAuthor.objects.filter(initiative=OuterRef("pk"), person__user_id=user.pk)
    evaluated = Evaluation.objects.filter(
        initiative=OuterRef("pk"), council__members__person__user_id=user.pk
    )
    submitted = ~Q(status=InitiativeStatus.DRAFT)
    condition = (
        ~Q(level="")
        | Q(created_by_id=user.pk)
        | Q(Exists(authored))
        | (
            submitted
            & access.scope_filter(access.scope_of(user, Capability.SEE_INITIATIVES), "unit__path")
        )
        | (submitted & Q(Exists(evaluated)))
    )
    return Initiative.objects.filter(condition)


def get_initiative(user: AnyUser, pk: object) -> Initiative:
    """Return the initiative `pk` if the user may see it; else NotFound (audited)."""
    rows = visible_initiatives(user).select_related("unit", "created_by")
    return get_visible(user, rows, "initiative", pk)


def is_author(user: AnyUser, initiative: Initiative) -> bool:
    """Return whether the user is one of the initiative's authors (or wrote it)."""
    if not user.is_authenticated:
        return False
    return (
        initiative.created_by_id == user.pk
        or initiative.authors.filter(person__user_id=user.pk).exists()
    )


def councils_of(user: AnyUser) -> QuerySet[Council]:
    """Return the councils the user sits on."""
    if not user.is_authenticated:
        return Council.objects.none()
    return Council.objects.filter(members__person__user_id=user.pk).distinct()


def is_council_officer(user: AnyUser, council: Council) -> bool:
    """Return whether the user chairs the council or is its secretary (records votes, decisions)."""
    if not user.is_authenticated:
        return False
    return CouncilMember.objects.filter(
        council=council,
        person__user_id=user.pk,
        role__in=[MemberRole.CHAIR, MemberRole.SECRETARY],
    ).exists()
