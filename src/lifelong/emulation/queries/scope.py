"""Who sees which campaign, unit score and officer score: the filters every page starts from.

- A campaign being drafted is seen by the secretariat (MANAGE_EMULATION) only.
- A launched campaign is seen by whoever holds an emulation capability over one of its units in
  scope or above them (unit heads, the secretariat), and by every officer placed in its scope,
  who registers and sees their own score.
- A unit's scores, evidence, commitments and KPIs are seen by holders of SEE_EMULATION over
  that unit; an officer's by SEE_EMULATION over the officer's unit, and by the officer.
- The level above reviews: a registration or a self-assessment of a unit is approved or
  reviewed by a holder of REVIEW_EMULATION over the unit's parent; an officer's registration
  by a holder of REVIEW_EMULATION over the officer's unit (their unit head).

Missing and forbidden are the same NotFound, and a refused attempt is audited.
"""

from django.db.models import Q, QuerySet

from lifelong.core.lookups import get_visible
from lifelong.emulation.choices import CampaignStatus
from lifelong.emulation.models import Campaign
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Person, Unit

__all__ = [
    "EMULATION_CAPABILITIES",
    "get_campaign",
    "may_manage",
    "may_review_person",
    "may_review_unit",
    "may_see_person",
    "may_see_unit",
    "may_take_part",
    "own_person",
    "visible_campaigns",
]

EMULATION_CAPABILITIES = (
    Capability.SEE_EMULATION,
    Capability.TAKE_PART_EMULATION,
    Capability.REVIEW_EMULATION,
    Capability.MANAGE_EMULATION,
)


def own_person(user: AnyUser) -> Person | None:
    """Return the officer record of the signed-in user, if there is one."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).select_related("unit").first()


def _scope_condition(roots: list[str]) -> Q:
    """Campaigns with a unit in scope inside `roots`, or under one of them (root above scope)."""
    if not roots:
        return Q(pk__in=[])
    inside = access.scope_filter(roots, "scope_units__path")
    above = Q()
    for root in roots:
        # A root inside a scope unit's subtree: the scope unit's path is a prefix of the root.
        prefixes = [root[:n] for n in range(1, len(root) + 1)]
        above |= Q(scope_units__path__in=prefixes)
    return inside | above


def visible_campaigns(user: AnyUser) -> QuerySet[Campaign]:
    """Return the campaigns the user may see (see the module's notes)."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    roots = sorted({root for cap in EMULATION_CAPABILITIES for root in access.scope_of(user, cap)})
    launched = ~Q(status=CampaignStatus.DRAFT)
    condition = launched & _scope_condition(roots)
    person = own_person(user)
    if person is not None and person.unit is not None:
        path = person.unit.path
        condition |= launched & Q(scope_units__path__in=[path[:n] for n in range(1, len(path) + 1)])
    managed = access.scope_of(user, Capability.MANAGE_EMULATION)
    if managed:
        condition |= access.scope_filter(managed, "launching_unit__path")
    ids = Campaign.objects.filter(condition).values("pk")
    return Campaign.objects.filter(pk__in=ids).select_related("launching_unit")


def get_campaign(user: AnyUser, pk: object) -> Campaign:
    """Return the campaign `pk` if the user may see it; else NotFound (audited)."""
    return get_visible(user, visible_campaigns(user), "campaign", pk)


def may_manage(user: AnyUser, campaign: Campaign) -> bool:
    """Return whether the user configures the campaign (the secretariat over its launcher)."""
    return access.in_scope(user, Capability.MANAGE_EMULATION, campaign.launching_unit)


def may_see_unit(user: AnyUser, unit: Unit) -> bool:
    """Return whether the user sees the unit's scores, evidence, commitments and KPIs."""
    return access.in_scope(user, Capability.SEE_EMULATION, unit)


def may_take_part(user: AnyUser, unit: Unit) -> bool:
    """Return whether the user registers, self-assesses and reports KPIs for the unit."""
    return access.in_scope(user, Capability.TAKE_PART_EMULATION, unit)


def may_review_unit(user: AnyUser, unit: Unit) -> bool:
    """Return whether the user is the level above the unit (approves, reviews it)."""
    parent = unit.parent
    return parent is not None and access.in_scope(user, Capability.REVIEW_EMULATION, parent)


def may_see_person(user: AnyUser, person: Person) -> bool:
    """Return whether the user sees the officer's scores: the officer, or SEE_EMULATION."""
    if user.is_authenticated and person.user_id == user.pk:
        return True
    return person.unit is not None and access.in_scope(user, Capability.SEE_EMULATION, person.unit)


def may_review_person(user: AnyUser, person: Person) -> bool:
    """Return whether the user approves the officer's registration (their unit's head)."""
    if user.is_authenticated and person.user_id == user.pk:
        return False
    return person.unit is not None and access.in_scope(
        user, Capability.REVIEW_EMULATION, person.unit
    )
