"""Reads of the organisation, every one scoped to the acting user.

`access_<thing>` fetches one object or raises `NotFound` (missing and forbidden alike, and
a refused attempt is audited); `<things>_visible_to` and `list_<things>` return scoped
querysets. Sensitive records are read only here, and each read writes an audit event.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import Action, record_event
from lifelong.core.exceptions import NotFound
from lifelong.core.text import search_terms
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import (
    PATH_DIGITS,
    DisciplineRecord,
    PartyMembership,
    Person,
    PositionAssignment,
    Unit,
    UnitSuccession,
)

__all__ = [
    "UnitLineage",
    "access_person",
    "access_unit",
    "get_lineage",
    "list_children",
    "list_people",
    "list_units",
    "read_discipline",
    "read_party_membership",
    "today",
]


def today() -> datetime.date:
    """Return today's business date (Asia/Ho_Chi_Minh)."""
    return timezone.localdate()


def _refuse(user: AnyUser, kind: str, key: object) -> NotFound:
    record_event(Action.ACCESS_DENIED, actor=user, target_type=kind, target_id=str(key)[:64])
    return NotFound(_("Not found."))


#
# Units
#


def access_unit(user: AnyUser, pk: object) -> Unit:
    """Return the unit `pk` if the user may see it; otherwise raise NotFound (audited)."""
    try:
        unit_id = int(str(pk))
    except ValueError:
        raise _refuse(user, "org.unit", pk) from None
    unit = access.units_visible_to(user).filter(pk=unit_id).select_related("parent").first()
    if unit is None:
        raise _refuse(user, "org.unit", unit_id)
    return unit


def list_units(user: AnyUser, *, parent: Unit | None = None, query: str = "") -> QuerySet[Unit]:
    """Return the units the user may see, in tree order, optionally filtered.

    `parent` keeps only its direct sub-units. The query is diacritic-insensitive: every word
    of it must appear in the unit's folded name or code.
    """
    units = access.units_visible_to(user)
    if parent is not None:
        units = units.filter(parent=parent)
    for term in search_terms(query)[:8]:
        units = units.filter(search_text__contains=term)
    return units.order_by("path")


def list_children(user: AnyUser, unit: Unit, *, on: datetime.date | None = None) -> list[Unit]:
    """Return the unit's sub-units that exist on `on` (default today), with head counts."""
    on = on or today()
    children = (
        access.units_visible_to(user)
        .filter(parent=unit)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("sort_key", "code")
    )
    low_high = {c.pk: Unit.subtree_range(c.path) for c in children}
    counts: dict[int, int] = defaultdict(int)
    if low_high:
        # One grouped query for every child's head count (no N+1).
        low = min(r[0] for r in low_high.values())
        high = max(r[1] for r in low_high.values())
        rows = (
            Person.objects.filter(unit__path__gte=low, unit__path__lt=high)
            .values("unit__path")
            .annotate(n=Count("id"))
        )
        for row in rows:
            for pk, (lo, hi) in low_high.items():
                if lo <= row["unit__path"] < hi:
                    counts[pk] += row["n"]
    result = list(children)
    for child in result:
        child.head_count = counts[child.pk]  # type: ignore[attr-defined]  # annotation for display
    return result


@dataclass(frozen=True)
class UnitLineage:
    """Where a unit's history came from and where it went."""

    predecessors: list[UnitSuccession]
    successors: list[UnitSuccession]


def get_lineage(unit: Unit) -> UnitLineage:
    """Return the successions into and out of `unit` (the caller has access to it)."""
    related = UnitSuccession.objects.select_related("predecessor", "successor")
    return UnitLineage(
        predecessors=list(related.filter(successor=unit)),
        successors=list(related.filter(predecessor=unit)),
    )


def ancestors(unit: Unit) -> list[Unit]:
    """Return the unit's ancestors from the root down (one query)."""
    step = PATH_DIGITS
    ids = [int(unit.path[i : i + step]) for i in range(0, len(unit.path) - step, step)]
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


#
# People
#


def list_people(
    user: AnyUser,
    *,
    unit: Unit | None = None,
    query: str = "",
    status: str = "",
    group: str = "",
) -> QuerySet[Person]:
    """Return the people the user may see, optionally in `unit`'s subtree and matching `query`.

    The query is diacritic-insensitive: every word of it must appear in the person's folded
    name, officer code or e-mail. The order is Vietnamese collation by given name.
    """
    people = access.people_visible_to(user)
    if unit is not None:
        low, high = Unit.subtree_range(unit.path)
        people = people.filter(unit__path__gte=low, unit__path__lt=high)
    for term in search_terms(query)[:8]:
        people = people.filter(search_text__contains=term)
    if status:
        people = people.filter(status=status)
    if group:
        people = people.filter(job_position__group=group)
    return people.select_related("unit", "job_position", "rank").order_by(
        "sort_key", "officer_code"
    )


def access_person(user: AnyUser, officer_code: str) -> Person:
    """Return the person if the user may see them; otherwise raise NotFound (audited)."""
    person = (
        access.people_visible_to(user)
        .filter(officer_code=officer_code)
        .select_related("unit", "job_position", "rank", "user")
        .first()
    )
    if person is None:
        raise _refuse(user, "org.person", officer_code)
    return person


def view_person(user: AnyUser, officer_code: str) -> Person:
    """Return the person for display and record the read of their personal file."""
    person = access_person(user, officer_code)
    record_event(Action.PERSON_VIEWED, actor=user, target=person)
    return person


def position_history(person: Person) -> list[PositionAssignment]:
    """Return the person's dated position history, newest first."""
    return list(person.assignments.select_related("unit", "job_position"))


def people_by_codes(user: AnyUser, codes: Iterable[str]) -> dict[str, Person]:
    """Return the visible people among `codes`, by officer code."""
    return {
        p.officer_code: p for p in access.people_visible_to(user).filter(officer_code__in=codes)
    }


#
# Sensitive records
#


def may_read_party(user: AnyUser, person: Person) -> bool:
    """Return whether the user may read the person's Party membership."""
    return access.in_scope(user, Capability.READ_PARTY, person.unit)


def may_read_discipline(user: AnyUser, person: Person) -> bool:
    """Return whether the user may read the person's discipline records."""
    return access.in_scope(user, Capability.READ_DISCIPLINE, person.unit)


def read_party_membership(user: AnyUser, person: Person) -> PartyMembership | None:
    """Return the person's Party membership, recording the read; NotFound if not allowed."""
    if not may_read_party(user, person):
        raise _refuse(user, "org.partymembership", person.officer_code)
    membership = PartyMembership.objects.filter(person=person).first()
    record_event(
        Action.SENSITIVE_READ, actor=user, target=person, data={"record": "party_membership"}
    )
    return membership


def read_discipline(user: AnyUser, person: Person) -> list[DisciplineRecord]:
    """Return the person's discipline records, recording the read; NotFound if not allowed."""
    if not may_read_discipline(user, person):
        raise _refuse(user, "org.disciplinerecord", person.officer_code)
    records = list(DisciplineRecord.objects.filter(person=person))
    record_event(Action.SENSITIVE_READ, actor=user, target=person, data={"record": "discipline"})
    return records
