"""Writes of initiative councils: set one up, edit it, seat and unseat members, dissolve it.

Councils are the emulation secretariat's work (MANAGE_INITIATIVES over the council's unit);
anyone else gets the same NotFound as for a council that does not exist. A unit council sits
at the unit whose subtree it serves; a ministry council sits at the top of the organisation
or at a unit where the acting user's role grants MANAGE_INITIATIVES (domain-vn.md §4). Only
serving officers sit on a council, each once, with at most one chair and one secretary.

Every function takes keyword-only arguments with `acting_user`, runs in one transaction and
records one audit event.
"""

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.text import nfc
from lifelong.core.validation import full_clean_or_refuse
from lifelong.initiatives.choices import CouncilLevel, EvaluationStatus, MemberRole
from lifelong.initiatives.models import Council, CouncilMember, Evaluation, EvaluationScore
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.choices import PersonStatus
from lifelong.org.models import Person, Unit

__all__ = [
    "SERVING",
    "add_member",
    "change_member_role",
    "create_council",
    "dissolve_council",
    "remove_member",
    "update_council",
]

# An officer still in the service: retired officers and those who left sit on no council.
SERVING = frozenset({PersonStatus.ACTIVE, PersonStatus.ON_LEAVE, PersonStatus.SECONDED})

# The roles a council has at most one of: they record the vote and the decision.
SINGLE_ROLES = frozenset({MemberRole.CHAIR, MemberRole.SECRETARY})


#
# Helpers
#


def _require_manager(acting_user: AnyUser, unit: Unit) -> None:
    """Refuse, as for a missing council, anyone without MANAGE_INITIATIVES over `unit`."""
    if not access.in_scope(acting_user, Capability.MANAGE_INITIATIVES, unit):
        raise NotFound(_("Not found."))


def _check_seat(unit: Unit, level: str, acting_user: AnyUser) -> None:
    """Refuse a ministry council anywhere but the top or a unit where the user runs the work."""
    if level != CouncilLevel.BO:
        return
    if unit.parent_id is None:
        return
    if unit.path in access.granted_roots(acting_user, Capability.MANAGE_INITIATIVES):
        return
    message = _(
        "A ministry council sits at the top of the organisation or at the unit where you "
        "run the emulation secretariat."
    )
    raise ValidationFailed(message, fields={"unit": [message]})


def _locked(council: Council) -> Council:
    # Re-read under a lock: two secretaries seating a chair at once must not seat two.
    return Council.objects.select_for_update().select_related("unit").get(pk=council.pk)


def _refuse_dissolved(council: Council) -> None:
    if council.dissolved_on is not None:
        raise ValidationFailed(_("This council is dissolved; it cannot be changed."))


def _check_person(person: Person) -> None:
    if person.status not in SERVING:
        message = _("Only a serving officer can sit on a council.")
        raise ValidationFailed(message, fields={"officer_code": [message]})


def _check_single_role(council: Council, role: str, *, exclude: int | None = None) -> None:
    if role not in SINGLE_ROLES:
        return
    others = CouncilMember.objects.filter(council=council, role=role)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        message = (
            _("The council already has a chair.")
            if role == MemberRole.CHAIR
            else _("The council already has a secretary.")
        )
        raise ValidationFailed(message, fields={"role": [message]})


def _snapshot(council: Council) -> dict[str, object]:
    return {
        "name": council.name,
        "level": council.level,
        "unit": council.unit_id,
        "established_on": council.established_on,
        "dissolved_on": council.dissolved_on,
        "decision_number": council.decision_number,
    }


#
# Councils
#


@transaction.atomic
def create_council(
    *,
    acting_user: User,
    name: str,
    level: str,
    unit: Unit,
    established_on: datetime.date,
    decision_number: str = "",
    members: Sequence[tuple[Person, str]] = (),
) -> Council:
    """Set up a council of `unit` at `level`, with `members` as (officer, role) pairs.

    The acting user holds MANAGE_INITIATIVES over `unit` (else NotFound); a ministry council
    sits at the top or where the user runs the secretariat.
    """
    _require_manager(acting_user, unit)
    if level not in CouncilLevel.values:
        message = _("Choose a unit council or the ministry council.")
        raise ValidationFailed(message, fields={"level": [message]})
    _check_seat(unit, level, acting_user)
    council = Council(
        name=nfc(name.strip()),
        level=level,
        unit=unit,
        established_on=established_on,
        decision_number=nfc(decision_number.strip()),
    )
    full_clean_or_refuse(council)
    council.save()
    seated: list[dict[str, object]] = []
    for person, role in members:
        _seat(council, person, role)
        seated.append({"person": person.pk, "role": role})
    record_event(
        "council.created",
        actor=acting_user,
        target=council,
        after=_snapshot(council),
        data={"members": seated},
    )
    return council


@transaction.atomic
def update_council(
    *,
    acting_user: User,
    council: Council,
    name: str,
    established_on: datetime.date,
    decision_number: str = "",
) -> Council:
    """Change a council's name, establishment date or decision (its unit and level stay).

    An establishment date after the council's first evaluation is refused: the council was in
    office when it evaluated.
    """
    _require_manager(acting_user, council.unit)
    council = _locked(council)
    _refuse_dissolved(council)
    first = (
        Evaluation.objects.filter(council=council)
        .order_by("opened_at")
        .values_list("opened_at", flat=True)
        .first()
    )
    if first is not None and established_on > timezone.localdate(first):
        message = _("The council has evaluated initiatives before this date.")
        raise ValidationFailed(message, fields={"established_on": [message]})
    before = _snapshot(council)
    council.name = nfc(name.strip())
    council.established_on = established_on
    council.decision_number = nfc(decision_number.strip())
    full_clean_or_refuse(council)
    council.save()
    record_event(
        "council.updated",
        actor=acting_user,
        target=council,
        before=before,
        after=_snapshot(council),
    )
    return council


@transaction.atomic
def dissolve_council(
    *, acting_user: User, council: Council, dissolved_on: datetime.date
) -> Council:
    """Dissolve a council on `dissolved_on` (not before it was established, not in the future).

    A council with initiatives still under evaluation is not dissolved: they are decided first.
    """
    _require_manager(acting_user, council.unit)
    council = _locked(council)
    _refuse_dissolved(council)
    if dissolved_on > timezone.localdate():
        message = _("The date cannot be in the future.")
        raise ValidationFailed(message, fields={"dissolved_on": [message]})
    if dissolved_on < council.established_on:
        message = _("A council cannot be dissolved before it was established.")
        raise ValidationFailed(message, fields={"dissolved_on": [message]})
    if Evaluation.objects.filter(council=council, status=EvaluationStatus.OPEN).exists():
        raise ValidationFailed(
            _("The council still has initiatives under evaluation: decide them first.")
        )
    council.dissolved_on = dissolved_on
    council.save(update_fields=["dissolved_on"])
    record_event(
        "council.dissolved", actor=acting_user, target=council, data={"dissolved_on": dissolved_on}
    )
    return council


#
# Members
#


def _seat(council: Council, person: Person, role: str) -> CouncilMember:
    if role not in MemberRole.values:
        message = _("Choose the member's role.")
        raise ValidationFailed(message, fields={"role": [message]})
    _check_person(person)
    if CouncilMember.objects.filter(council=council, person=person).exists():
        message = _("This officer already sits on the council.")
        raise ValidationFailed(message, fields={"officer_code": [message]})
    _check_single_role(council, role)
    return CouncilMember.objects.create(council=council, person=person, role=role)


@transaction.atomic
def add_member(
    *, acting_user: User, council: Council, person: Person, role: str = MemberRole.MEMBER
) -> CouncilMember:
    """Seat a serving officer on the council with `role` (one chair and one secretary at most)."""
    _require_manager(acting_user, council.unit)
    council = _locked(council)
    _refuse_dissolved(council)
    member = _seat(council, person, role)
    record_event(
        "council.member_added",
        actor=acting_user,
        target=council,
        data={"member": member.pk, "person": person.pk, "role": role},
    )
    return member


@transaction.atomic
def change_member_role(
    *, acting_user: User, council: Council, member: CouncilMember, role: str
) -> CouncilMember:
    """Give a member another role on the council (one chair and one secretary at most)."""
    _require_manager(acting_user, council.unit)
    council = _locked(council)
    _refuse_dissolved(council)
    member = CouncilMember.objects.filter(council=council, pk=member.pk).first() or _missing()
    if role not in MemberRole.values:
        message = _("Choose the member's role.")
        raise ValidationFailed(message, fields={"role": [message]})
    _check_single_role(council, role, exclude=member.pk)
    before = member.role
    member.role = role
    member.save(update_fields=["role"])
    record_event(
        "council.member_changed",
        actor=acting_user,
        target=council,
        data={"member": member.pk, "person": member.person_id, "from": before, "to": role},
    )
    return member


@transaction.atomic
def remove_member(*, acting_user: User, council: Council, member: CouncilMember) -> None:
    """Take a member off the council; one who has scored stays, with their scores, on record."""
    _require_manager(acting_user, council.unit)
    council = _locked(council)
    _refuse_dissolved(council)
    member = CouncilMember.objects.filter(council=council, pk=member.pk).first() or _missing()
    if EvaluationScore.objects.filter(member=member).exists():
        raise ValidationFailed(
            _(
                "This member has scored initiatives: the scores stay on the council's record, "
                "so the member cannot be removed."
            )
        )
    data = {"member": member.pk, "person": member.person_id, "role": member.role}
    member.delete()
    record_event("council.member_removed", actor=acting_user, target=council, data=data)


def _missing() -> CouncilMember:
    raise NotFound(_("Not found."))
