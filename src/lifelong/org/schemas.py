"""API schemas of the organisation app: list filters in, units and basic person records out.

Only basic personal data leaves through the API: Party membership and discipline are
sensitive (domain-vn.md §6) and are read only through audited pages for now.
"""

import datetime
from typing import Any, Literal

from django.conf import settings
from ninja import Schema
from pydantic import Field

from lifelong.core.api.pagination import Page
from lifelong.org.choices import Gender, PersonStatus, UnitKind
from lifelong.org.models import Person

__all__ = [
    "PeopleFilter",
    "PersonList",
    "PersonOut",
    "UnitFilter",
    "UnitList",
    "UnitOut",
    "XapiAccount",
    "XapiActor",
]

SEARCH_MAX_LENGTH = 200

#
# Filters
#


class UnitFilter(Page):
    """Filters of the unit list."""

    parent_id: int | None = Field(
        None, description="Only the direct sub-units of this unit (404 if it is not visible)."
    )
    q: str = Field(
        "",
        max_length=SEARCH_MAX_LENGTH,
        description="Words that must all appear in the unit's name or code; "
        "diacritics and case are ignored.",
    )


class PeopleFilter(Page):
    """Filters of the people list."""

    unit_id: int | None = Field(
        None, description="Only people of this unit and all its sub-units (404 if not visible)."
    )
    q: str = Field(
        "",
        max_length=SEARCH_MAX_LENGTH,
        description="Words that must all appear in the name, officer code or work e-mail; "
        "diacritics and case are ignored (`nguyen van` finds Nguyễn Văn …).",
    )
    status: PersonStatus | None = Field(None, description="Only people with this status.")


#
# Units
#


class UnitOut(Schema):
    """A unit as the API shows it."""

    id: int
    code: str
    name: str
    kind: UnitKind
    parent_id: int | None
    depth: int = Field(description="0 for a root unit, 1 for its sub-units, and so on.")
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class UnitList(Schema):
    """A page of units, in tree order."""

    items: list[UnitOut]
    count: int = Field(description="How many units match, over all pages.")


#
# People
#


class XapiAccount(Schema):
    """An xAPI account (Data 2.4.2.4): this site and the officer code."""

    homePage: str = Field(
        description="LIFELONG_SITE_URL, the site that issues the codes."
    )  # xAPI's own key
    name: str = Field(description="The officer code.")


class XapiActor(Schema):
    """The xAPI actor an e-learning system should send for this officer."""

    objectType: Literal["Agent"] = "Agent"
    name: str = Field(description="The officer's full name.")
    account: XapiAccount


class PersonOut(Schema):
    """A person's basic record: no sensitive data."""

    officer_code: str
    family_name: str
    middle_name: str
    given_name: str
    full_name: str
    gender: Gender
    birth_date: datetime.date | None
    work_email: str
    unit_id: int
    unit_code: str
    unit_name: str
    job_position_code: str | None
    job_position_name: str | None
    rank_code: str | None
    hire_date: datetime.date | None
    status: PersonStatus
    xapi_actor: XapiActor = Field(
        description="The actor to send in xAPI statements about this officer, so that "
        "their learning counts in their hours ledger."
    )

    # The resolvers read relations that the queries fetch with select_related (no N+1).

    @staticmethod
    def resolve_unit_code(obj: Person) -> str:
        """Return the code of the person's unit."""
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj: Person) -> str:
        """Return the name of the person's unit."""
        return obj.unit.name

    @staticmethod
    def resolve_job_position_code(obj: Person) -> str | None:
        """Return the code of the person's job position, if any."""
        return obj.job_position.code if obj.job_position else None

    @staticmethod
    def resolve_job_position_name(obj: Person) -> str | None:
        """Return the name of the person's job position, if any."""
        return obj.job_position.name if obj.job_position else None

    @staticmethod
    def resolve_rank_code(obj: Person) -> str | None:
        """Return the code of the person's civil-service rank, if any."""
        return obj.rank.code if obj.rank else None

    @staticmethod
    def resolve_xapi_actor(obj: Person) -> dict[str, Any]:
        """Return the officer's xAPI account actor (homePage = LIFELONG_SITE_URL)."""
        return {
            "objectType": "Agent",
            "name": obj.full_name,
            "account": {"homePage": str(settings.SITE_URL), "name": obj.officer_code},
        }


class PersonList(Schema):
    """A page of people, in Vietnamese name order."""

    items: list[PersonOut]
    count: int = Field(description="How many people match, over all pages.")
