"""Recognised initiatives of a person or a unit in a period: what emulation and titles count.

Each recognition is one achievement at one level (an initiative recognised at cơ sở level in
2023 and at ministry level in 2025 gives two rows). `recognitions` is for services that
decide for the whole organisation (scoring, title checks) and is not scoped; pages and the
API use `recognitions_visible_to`, which is.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from lifelong.initiatives.models import InitiativeAuthor, Recognition
from lifelong.initiatives.queries.scope import visible_initiatives
from lifelong.org import access
from lifelong.org.access import AnyUser

__all__ = ["RecognisedAuthor", "RecognisedInitiative", "recognitions", "recognitions_visible_to"]


@dataclass(frozen=True)
class RecognisedAuthor:
    """An author of a recognised initiative and their share (%)."""

    person_id: int
    officer_code: str
    share: Decimal


@dataclass(frozen=True)
class RecognisedInitiative:
    """One recognition of an initiative: at which level, by which decision, whose it is."""

    initiative_id: int
    title: str
    unit_id: int
    level: str
    decision_number: str
    decision_date: datetime.date
    authors: tuple[RecognisedAuthor, ...]


def _rows(
    base: QuerySet[Recognition],
    *,
    start: datetime.date | None,
    end: datetime.date | None,
    levels: Iterable[str] | None,
    person_ids: Iterable[int] | None,
    unit_paths: Iterable[str] | None,
) -> list[RecognisedInitiative]:
    rows = base
    if start is not None:
        rows = rows.filter(decision_date__gte=start)
    if end is not None:
        rows = rows.filter(decision_date__lte=end)
    if levels is not None:
        rows = rows.filter(level__in=list(levels))
    if person_ids is not None:
        rows = rows.filter(initiative__authors__person_id__in=list(person_ids))
    if unit_paths is not None:
        rows = rows.filter(access.scope_filter(list(unit_paths), "initiative__unit__path"))
    authors = InitiativeAuthor.objects.select_related("person").order_by("position", "pk")
    rows = (
        rows.select_related("initiative")
        .prefetch_related(Prefetch("initiative__authors", queryset=authors))
        .order_by("decision_date", "pk")
        .distinct()
    )
    return [
        RecognisedInitiative(
            initiative_id=r.initiative_id,
            title=r.initiative.title,
            unit_id=r.initiative.unit_id,
            level=r.level,
            decision_number=r.decision_number,
            decision_date=r.decision_date,
            authors=tuple(
                RecognisedAuthor(a.person_id, a.person.officer_code, a.share)
                for a in r.initiative.authors.all()
            ),
        )
        for r in rows
    ]


def recognitions(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    levels: Iterable[str] | None = None,
    person_ids: Iterable[int] | None = None,
    unit_paths: Iterable[str] | None = None,
) -> list[RecognisedInitiative]:
    """Return the recognitions decided between `start` and `end` (inclusive), unscoped.

    `person_ids` keeps the initiatives those people wrote; `unit_paths` those of the units in
    the subtrees of those tree paths. For services deciding for the whole organisation only.
    """
    return _rows(
        Recognition.objects.all(),
        start=start,
        end=end,
        levels=levels,
        person_ids=person_ids,
        unit_paths=unit_paths,
    )


def recognitions_visible_to(
    user: AnyUser,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    levels: Iterable[str] | None = None,
    person_ids: Iterable[int] | None = None,
    unit_paths: Iterable[str] | None = None,
) -> list[RecognisedInitiative]:
    """Return the recognitions of initiatives the user may see (see `recognitions`)."""
    base = Recognition.objects.filter(Q(initiative__in=visible_initiatives(user)))
    return _rows(
        base,
        start=start,
        end=end,
        levels=levels,
        person_ids=person_ids,
        unit_paths=unit_paths,
    )
