"""REST endpoints of the library: good models and adoptions (units applying them).

Thin: each endpoint parses its input, calls one query or service of `initiatives`, and lets
the schema render. Good models and the adoptions of recognised initiatives are visible to
every caller; writing needs SHARE_PRACTICES over the units concerned (or MANAGE_INITIATIVES
for good models). Anything out of the caller's scope answers 404 exactly as a missing one.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from lifelong.core.api.exceptions import ErrorOut, ValidationErrorOut, responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.core.lookups import refuse
from lifelong.initiatives.models import Adoption, GoodModel, Initiative
from lifelong.initiatives.queries import library as queries
from lifelong.initiatives.queries.scope import get_initiative
from lifelong.initiatives.services import library as services
from lifelong.learning.choices import MovementContent
from lifelong.org.models import Unit

router = Router(tags=["good models"])

#
# Schemas
#


class UnitRef(Schema):
    """A unit, by id and name."""

    id: int
    name: str


class InitiativeRef(Schema):
    """An initiative behind a good model, with its recognition."""

    id: int
    title: str
    unit_id: int
    level: str = Field(description="The highest level recognised: co_so, bo or toan_quoc.")
    recognised_on: datetime.date | None = Field(description="The date of that decision.")


class AdoptionOut(Schema):
    """A unit applying an initiative or adopting a good model, and the results it reports."""

    id: int
    unit_id: int
    unit_name: str
    initiative_id: int | None = Field(description="The initiative applied (or null).")
    good_model_id: int | None = Field(description="The good model adopted (or null).")
    started_on: datetime.date = Field(description="Since when the unit applies it.")
    results: str
    figures: str

    @staticmethod
    def resolve_unit_name(obj: Adoption) -> str:
        """Return the unit's name."""
        return obj.unit.name


class AdoptionList(Schema):
    """A page of adoptions, newest start first."""

    items: list[AdoptionOut]
    count: int


class GoodModelOut(Schema):
    """A good model of the library."""

    id: int
    title: str
    summary: str
    contents: list[MovementContent] = Field(description="The movement's contents it serves.")
    units: list[UnitRef] = Field(description="The units behind it.")
    adoption_count: int = Field(description="How many units adopted it.")

    @staticmethod
    def resolve_contents(obj: GoodModel) -> list[str]:
        """Return its content codes."""
        return [c.content for c in obj.contents.all()]

    @staticmethod
    def resolve_units(obj: GoodModel) -> list[Unit]:
        """Return the units behind it."""
        return list(obj.units.all())

    @staticmethod
    def resolve_adoption_count(obj: GoodModel) -> int:
        """Return how many units adopted it."""
        count = getattr(obj, "n_adoptions", None)
        return int(count) if count is not None else obj.adoptions.count()


class GoodModelList(Schema):
    """A page of good models, by title in Vietnamese order."""

    items: list[GoodModelOut]
    count: int


class GoodModelDetailOut(GoodModelOut):
    """A good model with its texts, the initiatives behind it and its adopters."""

    description: str
    results: str
    initiatives: list[InitiativeRef] = Field(description="The initiatives behind it.")
    adoptions: list[AdoptionOut] = Field(description="Its adopters, earliest start first.")

    @staticmethod
    def resolve_units(obj: GoodModel) -> list[Unit]:
        """Return the units behind it, in Vietnamese order."""
        return queries.good_model_units(obj)

    @staticmethod
    def resolve_initiatives(obj: GoodModel, context: dict[str, Any]) -> list[Initiative]:
        """Return the initiatives behind it that the caller may see."""
        return queries.good_model_initiatives(context["request"].user, obj)

    @staticmethod
    def resolve_adoptions(obj: GoodModel, context: dict[str, Any]) -> list[Adoption]:
        """Return the units that adopted it."""
        return list(queries.adoptions_of_good_model(context["request"].user, obj))


class GoodModelIn(Schema):
    """A good model as its curator writes it."""

    title: str = Field(max_length=300)
    summary: str = Field(max_length=services.TEXT_MAX_LENGTH)
    description: str = Field("", max_length=services.TEXT_MAX_LENGTH)
    results: str = Field("", max_length=services.TEXT_MAX_LENGTH)
    contents: list[MovementContent] = Field(
        default_factory=list, description="At least one of the movement's five contents."
    )
    unit_ids: list[int] = Field(
        default_factory=list,
        description="The units behind it (at least one), each where the caller shares "
        "practices or manages initiatives.",
    )
    initiative_ids: list[int] = Field(
        default_factory=list, description="Recognised initiatives behind it."
    )


class GoodModelFilter(Page):
    """Filters of the good-model list."""

    q: str = Field(
        "",
        max_length=200,
        description="Words of the title, summary, description or units' names; every word "
        "must match; no diacritics needed.",
    )
    content: MovementContent | None = Field(None, description="Only this content.")


class AdoptionFilter(Page):
    """Filters of the adoption list."""

    unit_id: int | None = Field(None, description="Adoptions by this unit and its sub-units.")
    initiative_id: int | None = Field(None, description="Adoptions of this initiative.")
    good_model_id: int | None = Field(None, description="Adoptions of this good model.")


class AdoptionIn(Schema):
    """A unit's registration: exactly one of `initiative_id` and `good_model_id`."""

    unit_id: int = Field(description="A unit where the caller shares practices.")
    initiative_id: int | None = Field(None, description="A recognised initiative.")
    good_model_id: int | None = Field(None, description="A good model of the library.")
    started_on: datetime.date = Field(
        description="Since when the unit applies it: not in the future, not before the "
        "initiative was first applied."
    )
    results: str = Field("", max_length=services.TEXT_MAX_LENGTH)
    figures: str = Field("", max_length=services.TEXT_MAX_LENGTH)


class AdoptionUpdateIn(Schema):
    """The start date and the results of an adoption."""

    started_on: datetime.date
    results: str = Field("", max_length=services.TEXT_MAX_LENGTH)
    figures: str = Field("", max_length=services.TEXT_MAX_LENGTH)


#
# Helpers
#


def _good_model_input(payload: GoodModelIn) -> services.GoodModelInput:
    return services.GoodModelInput(
        title=payload.title,
        summary=payload.summary,
        description=payload.description,
        results=payload.results,
        contents=[c.value for c in payload.contents],
        unit_ids=payload.unit_ids,
        initiative_ids=payload.initiative_ids,
    )


#
# Good models
#


@router.get(
    "/good-models",
    response=responses(GoodModelList, 401, 422),
    summary="Search the good-model library",
)
def list_good_models(request: HttpRequest, filters: Query[GoodModelFilter]) -> Listing[GoodModel]:
    """List the good models, by title; `q` searches without diacritics, `content` filters."""
    rows = queries.good_models_visible_to(
        request.user,
        query=filters.q,
        content=filters.content.value if filters.content else "",
    )
    return paginate(rows, filters)


@router.get(
    "/good-models/{good_model_id}",
    response=responses(GoodModelDetailOut, 401, 404, 422),
    summary="Get a good model",
)
def get_good_model(request: HttpRequest, good_model_id: int) -> GoodModel:
    """Return a good model with its contents, units, initiatives and adopters."""
    return queries.get_good_model(request.user, good_model_id)


@router.post(
    "/good-models",
    response=responses(GoodModelDetailOut, 400, 401, 404, 422),
    summary="Add a good model",
)
def create_good_model(request: HttpRequest, payload: GoodModelIn) -> GoodModel:
    """Add a good model to the library (the secretariat, or unit heads for their units).

    400 with per-field `details.fields` for a missing title, summary, content or unit, a unit
    outside the caller's scope, or an initiative that is not recognised; 404 for a caller who
    may write no good model.
    """
    return services.create_good_model(acting_user=request.user, data=_good_model_input(payload))


@router.put(
    "/good-models/{good_model_id}",
    response=responses(GoodModelDetailOut, 400, 401, 404, 422),
    summary="Edit a good model",
)
def update_good_model(request: HttpRequest, good_model_id: int, payload: GoodModelIn) -> GoodModel:
    """Replace a good model's texts, contents, units and initiatives.

    The caller must be allowed over every unit behind it, before and after (else 404, or
    400 for a new unit outside the caller's scope).
    """
    good_model = queries.get_good_model(request.user, good_model_id)
    if not queries.may_curate(request.user, good_model):
        raise refuse(request.user, "initiatives.goodmodel", good_model_id)
    return services.update_good_model(
        acting_user=request.user, good_model=good_model, data=_good_model_input(payload)
    )


#
# Adoptions
#


@router.get(
    "/adoptions",
    response=responses(AdoptionList, 401, 404, 422),
    summary="List adoptions",
)
def list_adoptions(request: HttpRequest, filters: Query[AdoptionFilter]) -> Listing[Adoption]:
    """List where initiatives and good models are applied, and the results reported.

    `unit_id` keeps the adoptions of that unit's subtree; an unknown initiative, good model
    or unit answers 404.
    """
    rows = queries.adoptions_visible_to(request.user)
    if filters.unit_id is not None:
        unit = queries.access_unit(request.user, filters.unit_id)
        rows = queries.unit_adoptions(request.user, unit)
    if filters.initiative_id is not None:
        rows = rows.filter(initiative=get_initiative(request.user, filters.initiative_id))
    if filters.good_model_id is not None:
        rows = rows.filter(good_model=queries.get_good_model(request.user, filters.good_model_id))
    return paginate(rows.order_by("-started_on", "unit__sort_key", "pk"), filters)


@router.post(
    "/adoptions",
    response=responses(AdoptionOut, 400, 401, 404, 422),
    summary="Register an adoption",
)
def create_adoption(request: HttpRequest, payload: AdoptionIn) -> Adoption:
    """Register that a unit applies a recognised initiative, or adopts a good model.

    400 for an initiative not recognised, the initiative's own unit, a unit that registered
    it already, or a date in the future or before the initiative was first applied; 404 for
    a unit where the caller does not share practices, or an initiative or good model out of
    sight.
    """
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise refuse(request.user, "org.unit", payload.unit_id)
    initiative = (
        get_initiative(request.user, payload.initiative_id)
        if payload.initiative_id is not None
        else None
    )
    good_model = (
        queries.get_good_model(request.user, payload.good_model_id)
        if payload.good_model_id is not None
        else None
    )
    return services.register_adoption(
        acting_user=request.user,
        unit=unit,
        data=services.AdoptionInput(
            started_on=payload.started_on, results=payload.results, figures=payload.figures
        ),
        initiative=initiative,
        good_model=good_model,
    )


@router.put(
    "/adoptions/{adoption_id}",
    response=responses(AdoptionOut, 400, 401, 404, 422),
    summary="Edit an adoption",
)
def update_adoption(request: HttpRequest, adoption_id: int, payload: AdoptionUpdateIn) -> Adoption:
    """Change the start date and the results of an adoption of one of the caller's units."""
    adoption = queries.access_shared_adoption(request.user, adoption_id)
    return services.update_adoption(
        acting_user=request.user,
        adoption=adoption,
        data=services.AdoptionInput(
            started_on=payload.started_on, results=payload.results, figures=payload.figures
        ),
    )


@router.delete(
    "/adoptions/{adoption_id}",
    response={204: None, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Withdraw an adoption",
)
def delete_adoption(request: HttpRequest, adoption_id: int) -> Status:
    """Withdraw an adoption registered in error (a unit where the caller shares practices)."""
    adoption = queries.access_shared_adoption(request.user, adoption_id)
    services.withdraw_adoption(acting_user=request.user, adoption=adoption)
    return Status(204, None)
