"""REST endpoints of the organisation: units and people, scoped to the caller.

Thin: each endpoint parses its parameters, calls one query of `org.queries` (which scopes
by the caller's roles) and lets the schema render. A unit or person outside the caller's
scope answers 404 exactly as a missing one does.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, paginate
from lifelong.core.exceptions import NotFound
from lifelong.org import queries
from lifelong.org.models import Person, Unit
from lifelong.org.schemas import (
    PeopleFilter,
    PersonList,
    PersonOut,
    UnitFilter,
    UnitList,
    UnitOut,
)

router = Router(tags=["organisation"])

# Officer codes are at most this long (Person.officer_code); a longer one cannot exist.
OFFICER_CODE_MAX_LENGTH = 32


@router.get("/units", response=responses(UnitList, 401, 404, 422), summary="List units")
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> Listing[Unit]:
    """List the units the caller may see, in tree order.

    `parent_id` keeps the direct sub-units of one unit; `q` searches names and codes without
    diacritics.
    """
    parent = None
    if filters.parent_id is not None:
        parent = queries.access_unit(request.user, filters.parent_id)
    units = queries.list_units(request.user, parent=parent, query=filters.q)
    return paginate(units, filters)


@router.get("/units/{unit_id}", response=responses(UnitOut, 401, 404, 422), summary="Get a unit")
def get_unit(request: HttpRequest, unit_id: int) -> Unit:
    """Return one unit; 404 if it does not exist or the caller may not see it."""
    return queries.access_unit(request.user, unit_id)


@router.get("/people", response=responses(PersonList, 401, 404, 422), summary="List people")
def list_people(request: HttpRequest, filters: Query[PeopleFilter]) -> Listing[Person]:
    """List the people the caller may see, in Vietnamese name order.

    `unit_id` keeps the people of that unit's whole subtree; `q` searches names, officer
    codes and work e-mails without diacritics. An officer sees only their own record.
    """
    unit = None
    if filters.unit_id is not None:
        unit = queries.access_unit(request.user, filters.unit_id)
    people = queries.list_people(
        request.user, unit=unit, query=filters.q, status=filters.status or ""
    )
    return paginate(people, filters)


@router.get(
    "/people/{officer_code}", response=responses(PersonOut, 401, 404), summary="Get a person"
)
def get_person(request: HttpRequest, officer_code: str) -> Person:
    """Return one person's basic record; 404 if missing or out of the caller's scope.

    Each read is recorded in the audit log, as opening the personal file in a page is.
    """
    if len(officer_code) > OFFICER_CODE_MAX_LENGTH:
        raise NotFound(_("Not found."))
    return queries.view_person(request.user, officer_code)
