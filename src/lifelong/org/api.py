"""REST endpoints of the organisation: units and people, scoped to the caller."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from lifelong.org import access, queries
from lifelong.org.schemas import ErrorOut, PersonList, PersonOut, UnitList, UnitOut

router = Router(tags=["organisation"])

MAX_LIMIT = 500


class Page(Schema):
    """Paging parameters of every list."""

    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class PeopleFilter(Page):
    """Filters of the people list."""

    unit_id: int | None = None
    q: str = Field("", max_length=200)
    status: str = ""


@router.get("/units", response={200: UnitList, 401: ErrorOut, 422: ErrorOut})
def list_units(request: HttpRequest, page: Query[Page]) -> dict[str, object]:
    """List the units the caller may see, in tree order."""
    units = access.units_visible_to(request.user).order_by("path")
    return {"items": list(units[page.offset : page.offset + page.limit]), "count": units.count()}


@router.get(
    "/units/{unit_id}", response={200: UnitOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def get_unit(request: HttpRequest, unit_id: int) -> object:
    """Return one unit; 404 if it does not exist or the caller may not see it."""
    return queries.access_unit(request.user, unit_id)


@router.get("/people", response={200: PersonList, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def list_people(request: HttpRequest, filters: Query[PeopleFilter]) -> dict[str, object]:
    """List people in a unit's whole subtree (or everyone visible), searched without diacritics."""
    unit = queries.access_unit(request.user, filters.unit_id) if filters.unit_id else None
    people = queries.list_people(request.user, unit=unit, query=filters.q, status=filters.status)
    items = list(people[filters.offset : filters.offset + filters.limit])
    return {"items": items, "count": people.count()}


@router.get(
    "/people/{officer_code}", response={200: PersonOut, 401: ErrorOut, 404: ErrorOut}
)
def get_person(request: HttpRequest, officer_code: str) -> object:
    """Return one person's basic record; 404 if missing or out of the caller's scope."""
    if len(officer_code) > 32:
        raise HttpError(404, "Not found.")
    return queries.view_person(request.user, officer_code)
