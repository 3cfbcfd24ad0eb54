"""Reads of the store for other apps and resources: canonical Activities, stored statements.

Other apps never query `Statement` directly: they use these functions or the
`statements_stored` hook (lrs.hooks).
"""

from typing import Any

from lifelong.lrs.models import Activity, Statement
from lifelong.lrs.store import iri_hash

__all__ = ["get_activity", "get_statement", "sequence_numbers"]


def get_activity(iri: str) -> dict[str, Any]:
    """Return the Activity object of `iri` with the canonical definition (Data 2.4.4.1).

    An activity the store has never seen still gets an object with just its id
    (Communication 2.5).
    """
    result: dict[str, Any] = {"objectType": "Activity", "id": iri}
    row = Activity.objects.filter(iri_hash=iri_hash(iri)).values_list("iri", "definition").first()
    if row is not None and row[0] == iri and row[1]:
        result["definition"] = row[1]
    return result


def get_statement(statement_id: str) -> dict[str, Any] | None:
    """Return a stored, non-voided statement by id, or None."""
    row = Statement.objects.filter(id=statement_id, voided=False).values_list("payload").first()
    return row[0] if row else None


def sequence_numbers(statement_ids: list[str]) -> list[int]:
    """Return the `seq` of each stored statement among `statement_ids` (voided or not)."""
    if not statement_ids:
        return []
    return list(Statement.objects.filter(id__in=statement_ids).values_list("seq", flat=True))
