"""REST endpoints of initiatives: list, read, write, submit; recognised initiatives in a period.

Thin: each endpoint parses its input, calls one query or service of the submission area, and
lets the schema render. An initiative out of the caller's sight answers 404 exactly as a
missing one; attachments are uploaded and downloaded through the pages.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.initiatives.choices import ApplicationKind, InitiativeStatus, Level
from lifelong.initiatives.choices import Field as InitiativeField
from lifelong.initiatives.models import Initiative
from lifelong.initiatives.queries import submission as queries
from lifelong.initiatives.queries.recognised import RecognisedInitiative, recognitions_visible_to
from lifelong.initiatives.services import submission as services
from lifelong.learning.choices import MovementContent
from lifelong.org.models import Person, Unit

router = Router(tags=["initiatives"])

#
# Schemas
#


class InitiativeFilter(Page):
    """Filters of the initiative list."""

    mine: bool = Field(False, description="Only those the caller wrote or co-authored.")
    status: InitiativeStatus | None = Field(None, description="Only this status.")
    level: Level | None = Field(None, description="Only those whose highest level is this one.")
    unit_id: int | None = Field(None, description="Only this unit's and its sub-units'.")
    year: int | None = Field(
        None, ge=1900, le=9999, description="Only those recognised at their level in this year."
    )
    q: str = Field(
        "",
        max_length=200,
        description="Words of the title, texts or authors' names; no diacritics needed.",
    )


class RecognisedFilter(Page):
    """Filters of the recognised initiatives: whose, where, when, at which level."""

    officer_code: str | None = Field(
        None, max_length=32, description="Only initiatives this officer is an author of."
    )
    unit_id: int | None = Field(None, description="Only initiatives of this unit's subtree.")
    start: datetime.date | None = Field(None, description="Decisions on or after this day.")
    end: datetime.date | None = Field(None, description="Decisions on or before this day.")
    level: Level | None = Field(None, description="Only recognitions at this level.")


class AuthorIn(Schema):
    """An author named by officer code, with their share of the contribution."""

    officer_code: str = Field(min_length=1, max_length=32)
    share: float = Field(description="Share in %: more than 0, at most two decimals.")


class InitiativeIn(Schema):
    """An initiative as its authors write it (attachments are uploaded in the page)."""

    title: str = Field(max_length=300)
    unit_id: int | None = Field(
        None,
        description="The initiative's unit: an author's unit or one above it. Default: the "
        "caller's unit (on a change: the unit it has).",
    )
    field: InitiativeField
    content: MovementContent | None = Field(None, description="The movement content it serves.")
    problem: str = Field("", max_length=20000, description="The problem it solves.")
    solution: str = Field("", max_length=20000, description="The solution.")
    novelty: str = Field("", max_length=20000, description="What is new within the unit.")
    application_kind: ApplicationKind = ApplicationKind.APPLIED
    applied_from: datetime.date | None = Field(
        None, description="Since when it has been applied or trialled (not in the future)."
    )
    effect: str = Field("", max_length=20000, description="The measured effect.")
    figures: str = Field("", max_length=20000, description="The benefits in figures.")
    scope: str = Field("", max_length=20000, description="Where it can apply.")
    authors: list[AuthorIn] = Field(
        description="Every author once, the caller among them; shares add up to 100."
    )
    submit: bool = Field(
        False, description="Submit for evaluation at once (else a draft is saved)."
    )


class AuthorOut(Schema):
    """An author and their share."""

    officer_code: str
    name: str
    share: float = Field(description="Share of the contribution in %.")


class InitiativeBase(Schema):
    """An initiative, its status and the highest level at which it is recognised."""

    id: int
    title: str
    unit_id: int
    unit_name: str
    field: InitiativeField
    status: InitiativeStatus
    level: Level | None = Field(description="The highest level recognised; null if none.")
    recognised_on: datetime.date | None = Field(description="The date of that recognition.")
    authors: list[AuthorOut]


class InitiativeOut(InitiativeBase):
    """An initiative, its status and the highest level at which it is recognised."""

    @staticmethod
    def resolve_unit_name(obj: Initiative) -> str:
        """Return the unit's name."""
        return obj.unit.name

    @staticmethod
    def resolve_level(obj: Initiative) -> str | None:
        """Return the level, or None while not recognised."""
        return obj.level or None

    @staticmethod
    def resolve_authors(obj: Initiative) -> list[dict[str, Any]]:
        """Return the authors in their order (prefetched)."""
        return [
            {"officer_code": a.person.officer_code, "name": a.person.full_name, "share": a.share}
            for a in obj.authors.all()
        ]


class RecognitionOut(Schema):
    """One recognition of the initiative: level, decision and who recognised it."""

    level: Level
    decision_number: str
    decision_date: datetime.date
    authority: str


class AttachmentOut(Schema):
    """A file attached to the initiative (downloaded through its page)."""

    id: int
    name: str
    size: int = Field(description="Size in bytes.")


class InitiativeDetailOut(InitiativeBase):
    """An initiative with its texts, its history of recognitions and its attachments."""

    content: MovementContent | None
    problem: str
    solution: str
    novelty: str
    application_kind: ApplicationKind
    applied_from: datetime.date | None
    effect: str
    figures: str
    scope: str
    return_reason: str = Field(description="Why the council returned it, while returned.")
    submitted_at: datetime.datetime | None
    recognitions: list[RecognitionOut] = Field(description="Lowest level first.")
    attachments: list[AttachmentOut]


class InitiativeList(Schema):
    """A page of initiatives, last recognised first."""

    items: list[InitiativeOut]
    count: int


class RecognisedAuthorOut(Schema):
    """An author of a recognised initiative."""

    officer_code: str
    share: float = Field(description="Share of the contribution in %.")


class RecognisedOut(Schema):
    """One recognition: an initiative recognised at a level by a decision."""

    initiative_id: int
    title: str
    unit_id: int
    level: Level
    decision_number: str
    decision_date: datetime.date
    authors: list[RecognisedAuthorOut]


class RecognisedList(Schema):
    """A page of recognitions, earliest decision first."""

    items: list[RecognisedOut]
    count: int


#
# Helpers
#


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    page = queries.initiative_page(request.user, pk)
    i = page.initiative
    return {
        "id": i.pk,
        "title": i.title,
        "unit_id": i.unit_id,
        "unit_name": i.unit.name,
        "field": i.field,
        "status": i.status,
        "level": i.level or None,
        "recognised_on": i.recognised_on,
        "authors": [
            {"officer_code": a.person.officer_code, "name": a.person.full_name, "share": a.share}
            for a in page.authors
        ],
        "content": i.content or None,
        "problem": i.problem,
        "solution": i.solution,
        "novelty": i.novelty,
        "application_kind": i.application_kind,
        "applied_from": i.applied_from,
        "effect": i.effect,
        "figures": i.figures,
        "scope": i.scope,
        "return_reason": i.return_reason,
        "submitted_at": i.submitted_at,
        "recognitions": page.recognitions,
        "attachments": [
            {"id": a.pk, "name": a.file.name, "size": a.file.size} for a in page.attachments
        ],
    }


def _input(payload: InitiativeIn) -> services.InitiativeInput:
    values = payload.dict()
    values["authors"] = [(a["officer_code"], str(a["share"])) for a in values["authors"]]
    values["content"] = values["content"] or ""
    return services.initiative_input(**values)


#
# Endpoints (the fixed path `recognised` before `{initiative_id}`)
#


@router.get(
    "/initiatives/recognised",
    response=responses(RecognisedList, 401, 422),
    summary="List recognised initiatives of a person or a unit in a period",
)
def list_recognised(
    request: HttpRequest, filters: Query[RecognisedFilter]
) -> Listing[RecognisedInitiative]:
    """List the recognitions decided in a period, one item per initiative and level.

    What emulation and titles count: `officer_code` keeps the initiatives that officer is an
    author of, `unit_id` those of the unit's subtree, `start`/`end` the decision dates
    (inclusive), `level` one level. An unknown officer code or unit keeps nothing.
    """
    person_ids = None
    if filters.officer_code is not None:
        code = filters.officer_code.strip()
        person_ids = list(
            Person.objects.filter(officer_code__in={code, code.upper()}).values_list(
                "pk", flat=True
            )
        )
    unit_paths = None
    if filters.unit_id is not None:
        unit_paths = list(Unit.objects.filter(pk=filters.unit_id).values_list("path", flat=True))
    rows = recognitions_visible_to(
        request.user,
        start=filters.start,
        end=filters.end,
        levels=[filters.level.value] if filters.level else None,
        person_ids=person_ids,
        unit_paths=unit_paths,
    )
    return {"items": rows[filters.offset : filters.offset + filters.limit], "count": len(rows)}


@router.get(
    "/initiatives",
    response=responses(InitiativeList, 401, 422),
    summary="List initiatives",
)
def list_initiatives(request: HttpRequest, filters: Query[InitiativeFilter]) -> Listing[Initiative]:
    """List the initiatives the caller may see, each with its level and date of recognition.

    Recognised initiatives are everyone's; authors see theirs in every status; unit heads
    and the secretariat see those submitted in their units; council members what their
    council evaluates. Drafts are seen by their authors only.
    """
    rows = queries.initiatives_visible_to(
        request.user,
        mine=filters.mine,
        status=filters.status.value if filters.status else "",
        level=filters.level.value if filters.level else "",
        unit_id=filters.unit_id,
        year=filters.year,
        query=filters.q,
    )
    return paginate(rows, filters)


@router.get(
    "/initiatives/{initiative_id}",
    response=responses(InitiativeDetailOut, 401, 404),
    summary="Get an initiative",
)
def get_initiative(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    """Return one initiative with its texts, recognitions and attachments; 404 if unseen."""
    return _detail(request, initiative_id)


@router.post(
    "/initiatives",
    response=responses(InitiativeDetailOut, 400, 401, 422),
    summary="Write an initiative",
)
def create_initiative(request: HttpRequest, payload: InitiativeIn) -> dict[str, Any]:
    """Write an initiative as the caller (an officer), as a draft or (`submit`) for evaluation.

    400 with per-field `details.fields` (`authors.N` for an unknown officer code) for shares
    that do not add up to 100, an author outside the organisation, the caller not among the
    authors, missing texts when submitting, or no council covering the unit.
    """
    saved = services.create_initiative(
        acting_user=request.user, data=_input(payload), submit=payload.submit
    )
    return _detail(request, saved.pk)


@router.put(
    "/initiatives/{initiative_id}",
    response=responses(InitiativeDetailOut, 400, 401, 404, 422),
    summary="Change an initiative",
)
def update_initiative(
    request: HttpRequest, initiative_id: int, payload: InitiativeIn
) -> dict[str, Any]:
    """Replace a draft or returned initiative's texts and authors (an author only).

    400 when it is submitted, recognised or refused (it stays as it is), or for the same
    input problems as when writing one; 404 for anyone who is not an author.
    """
    initiative = queries.access_own_initiative(request.user, initiative_id)
    saved = services.update_initiative(
        acting_user=request.user,
        initiative=initiative,
        data=_input(payload),
        submit=payload.submit,
    )
    return _detail(request, saved.pk)


@router.post(
    "/initiatives/{initiative_id}/submit",
    response=responses(InitiativeDetailOut, 400, 401, 404),
    summary="Submit an initiative for evaluation",
)
def submit_initiative(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    """Submit a draft or returned initiative as it stands; the unit's council evaluates it.

    400 when the case is incomplete or no council covers the unit (nothing changes then).
    """
    initiative = queries.access_own_initiative(request.user, initiative_id)
    services.submit_initiative(acting_user=request.user, initiative=initiative)
    return _detail(request, initiative_id)
