"""Reads of the submission area, every one scoped to the acting user (`queries.scope`).

- "My initiatives" are those the user wrote or is an author of, drafts included.
- An initiative's page shows it with its authors and shares, attachments and recognitions.
- An attachment is downloaded by whoever may see the initiative, and each read is audited.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from lifelong.core.audit import Action, record_event
from lifelong.core.lookups import get_visible, refuse
from lifelong.core.models import StoredFile
from lifelong.core.text import search_terms
from lifelong.initiatives import rules
from lifelong.initiatives.models import (
    Initiative,
    InitiativeAttachment,
    InitiativeAuthor,
    Recognition,
)
from lifelong.initiatives.queries.scope import get_initiative, is_author, visible_initiatives
from lifelong.org import access
from lifelong.org.access import AnyUser
from lifelong.org.models import PATH_DIGITS, Person, Unit

__all__ = [
    "InitiativePage",
    "access_attachment",
    "access_own_initiative",
    "initiative_page",
    "initiatives_visible_to",
    "my_initiatives",
    "units_for",
    "writer_of",
]

# Search looks at this many words of a query at most.
MAX_TERMS = 8


def writer_of(user: AnyUser) -> Person | None:
    """Return the officer's record of the user's account (with its unit), if there is one."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).select_related("unit").first()


def units_for(writer: Person, initiative: Initiative | None = None) -> list[Unit]:
    """Return the units an initiative of `writer` may belong to: theirs and those above.

    The deepest comes first; an initiative being edited keeps its own unit on the list.
    """
    path = writer.unit.path
    paths = [path[:end] for end in range(PATH_DIGITS, len(path) + 1, PATH_DIGITS)]
    today = timezone.localdate()
    units = [u for u in Unit.objects.filter(path__in=paths) if u.is_current(today)]
    if initiative is not None and initiative.unit_id not in {u.pk for u in units}:
        units.append(initiative.unit)
    return sorted(units, key=lambda u: -len(u.path))


def _with_authors(rows: QuerySet[Initiative]) -> QuerySet[Initiative]:
    authors = InitiativeAuthor.objects.select_related("person").order_by("position", "pk")
    return rows.select_related("unit").prefetch_related(Prefetch("authors", queryset=authors))


def _search(rows: QuerySet[Initiative], query: str) -> QuerySet[Initiative]:
    # Every word must match, without diacritics: "phan tich rui ro" finds "Phân tích rủi ro".
    for term in search_terms(query)[:MAX_TERMS]:
        rows = rows.filter(search_text__contains=term)
    return rows


def _mine(user: AnyUser) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    authored = InitiativeAuthor.objects.filter(initiative=OuterRef("pk"), person__user_id=user.pk)
    return Q(created_by_id=user.pk) | Q(Exists(authored))


def my_initiatives(user: AnyUser, *, status: str = "", query: str = "") -> QuerySet[Initiative]:
    """Return the initiatives the user wrote or co-authored, last changed first.

    `status` keeps one status; `query` matches words of the title, texts and authors without
    diacritics.
    """
    if not user.is_authenticated:
        return Initiative.objects.none()
    rows = Initiative.objects.filter(_mine(user))
    if status:
        rows = rows.filter(status=status)
    return _with_authors(_search(rows, query)).order_by("-updated_at", "-pk")


def initiatives_visible_to(
    user: AnyUser,
    *,
    mine: bool = False,
    status: str = "",
    level: str = "",
    unit_id: int | None = None,
    year: int | None = None,
    query: str = "",
) -> QuerySet[Initiative]:
    """Return the initiatives the user may see, filtered; recognised last first.

    `level` and `year` concern the highest level held and the date it was recognised;
    `unit_id` keeps that unit's subtree (an unknown unit keeps nothing).
    """
    rows = visible_initiatives(user)
    if mine:
        rows = rows.filter(_mine(user))
    if status:
        rows = rows.filter(status=status)
    if level:
        rows = rows.filter(level=level)
    if year is not None:
        rows = rows.filter(
            recognised_on__gte=datetime.date(year, 1, 1),
            recognised_on__lte=datetime.date(year, 12, 31),
        )
    if unit_id is not None:
        path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
        rows = rows.filter(access.scope_filter([path] if path else [], "unit__path"))
    rows = _search(rows, query)
    return _with_authors(rows).order_by("-recognised_on", "-updated_at", "-pk")


@dataclass(frozen=True)
class InitiativePage:
    """An initiative with what its page shows, and what the user may do with it."""

    initiative: Initiative
    authors: list[InitiativeAuthor]
    attachments: list[InitiativeAttachment]
    recognitions: list[Recognition]
    mine: bool

    @property
    def editable(self) -> bool:
        """Whether the user may edit it now (an author, while a draft or returned)."""
        return self.mine and rules.transition(self.initiative.status, rules.Action.EDIT) is not None

    @property
    def submittable(self) -> bool:
        """Whether the user may submit it now."""
        return (
            self.mine and rules.transition(self.initiative.status, rules.Action.SUBMIT) is not None
        )

    @property
    def deletable(self) -> bool:
        """Whether the user may delete it (an author, while a draft)."""
        return self.mine and self.initiative.status == rules.Status.DRAFT


def _recognitions(initiative: Initiative) -> list[Recognition]:
    rows = list(Recognition.objects.filter(initiative=initiative))
    return sorted(rows, key=lambda r: (rules.LEVELS.index(r.level), r.decision_date, r.pk))


def initiative_page(user: AnyUser, pk: object) -> InitiativePage:
    """Return an initiative the user may see, for its page; else NotFound (audited)."""
    initiative = get_initiative(user, pk)
    return InitiativePage(
        initiative=initiative,
        authors=list(
            initiative.authors.select_related("person", "person__unit").order_by("position", "pk")
        ),
        attachments=list(initiative.attachments.select_related("file").order_by("pk")),
        recognitions=_recognitions(initiative),
        mine=is_author(user, initiative),
    )


def access_own_initiative(user: AnyUser, pk: object) -> Initiative:
    """Return an initiative the user is an author of (or wrote); else NotFound (audited).

    Refusing those who may see it but not write it the same way keeps edits to authors.
    """
    initiative = get_initiative(user, pk)
    if not is_author(user, initiative):
        raise refuse(user, "initiative", pk)
    return initiative


def access_attachment(user: AnyUser, initiative_pk: object, attachment_pk: object) -> StoredFile:
    """Return an attachment the user may download, recording the read (`file.read`).

    Whoever may see the initiative may read its attachments.
    """
    initiative = get_initiative(user, initiative_pk)
    attachment = get_visible(
        user,
        InitiativeAttachment.objects.filter(initiative=initiative).select_related("file"),
        "initiatives.initiativeattachment",
        attachment_pk,
    )
    record_event(
        Action.FILE_READ,
        actor=user,
        target=attachment.file,
        data={"initiative": initiative.pk},
    )
    return attachment.file
