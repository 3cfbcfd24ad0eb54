"""Paging of every API list: `limit`/`offset` in, `{"items": [...], "count": N}` out."""

from typing import TypedDict

from django.db.models import Model, QuerySet
from ninja import Schema
from pydantic import Field

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "Listing", "Page", "paginate"]

DEFAULT_LIMIT = 50
# Above this a list answers 422 rather than silently fewer items than asked for.
MAX_LIMIT = 500


class Page(Schema):
    """Paging parameters of every list."""

    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items to return at most."
    )
    offset: int = Field(0, ge=0, description="How many items to skip.")


class Listing[T](TypedDict):
    """One page of a list and the size of the whole list."""

    items: list[T]
    count: int


def paginate[M: Model](queryset: QuerySet[M], page: Page) -> Listing[M]:
    """Return one page of `queryset` and the number of rows in all of it.

    A page that is not full reached the end, so its count needs no second query; otherwise
    (and for an offset past the end) the count is one `COUNT(*)`.
    """
    items = list(queryset[page.offset : page.offset + page.limit])
    if len(items) < page.limit and (items or page.offset == 0):
        count = page.offset + len(items)
    else:
        count = queryset.count()
    return {"items": items, "count": count}
