"""The statements Lifelong itself writes to the xAPI store, and the identifiers in them.

Every learning event of this app (attending a class session, passing, completing, an
approved self-study declaration) is a statement in `lrs`; the ledger is built from them by
`learning.projection`, exactly as from an e-learning system's statements. A correction is a
voiding statement plus a new one, never an edit.

An officer's actor is their account (homePage = LIFELONG_SITE_URL, name = officer code).
Lifelong's own statements carry the training category and movement contents as context
extensions, so that self-study (which maps to no course) lands in the right columns.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings

from lifelong.learning.rules.ledger import COUNTED_VERBS
from lifelong.lrs.store import store_statements
from lifelong.org.models import Person

__all__ = [
    "EXT_CATEGORY_PATH",
    "EXT_CONTENTS_PATH",
    "VERB_VOIDED",
    "activity_iri",
    "actor_for",
    "authority",
    "duration",
    "statement",
    "verb",
    "voiding",
    "write",
]

VERB_VOIDED = "http://adlnet.gov/expapi/verbs/voided"
_VERB_BY_NAME = {name: iri for iri, name in COUNTED_VERBS.items()}
# Extension keys end with these paths; the projection matches the ending, so statements keep
# counting when LIFELONG_SITE_URL changes.
EXT_CATEGORY_PATH = "/xapi/extensions/training-category"
EXT_CONTENTS_PATH = "/xapi/extensions/movement-contents"


def _site() -> str:
    return str(settings.SITE_URL)


def authority() -> dict[str, Any]:
    """Return the authority of Lifelong's own statements."""
    return {
        "objectType": "Agent",
        "name": "Lifelong",
        "account": {"homePage": _site(), "name": "lifelong"},
    }


def actor_for(person: Person) -> dict[str, Any]:
    """Return the actor an e-learning system (and Lifelong) sends for `person`."""
    return {
        "objectType": "Agent",
        "name": person_full_name(person),
        "account": {"homePage": _site(), "name": person.officer_code},
    }


def person_full_name(person: Person) -> str:
    return " ".join(p for p in (person.family_name, person.middle_name, person.given_name) if p)


def activity_iri(kind: str, key: object) -> str:
    """Return the IRI of one of Lifelong's activities: `<site>/xapi/activities/<kind>/<key>`."""
    return f"{_site()}/xapi/activities/{kind}/{key}"


def verb(name: str) -> dict[str, Any]:
    """Return the ADL verb object for `completed`, `passed` or `attended`."""
    return {"id": _VERB_BY_NAME[name], "display": {"en-US": name}}


def duration(hours: Decimal) -> str:
    """Return clock hours as an ISO 8601 duration (whole seconds)."""
    seconds = int((hours * 3600).to_integral_value())
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return (
        "PT"
        + (f"{h}H" if h else "")
        + (f"{m}M" if m else "")
        + (f"{s}S" if s or not (h or m) else "")
    )


def statement(
    *,
    person: Person,
    verb_name: str,
    activity: str,
    name: str,
    timestamp: datetime.datetime,
    hours: Decimal | None = None,
    registration: uuid.UUID | None = None,
    category: str | None = None,
    contents: Sequence[str] = (),
    score: Decimal | None = None,
    success: bool | None = None,
    grouping: Iterable[str] = (),
    statement_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Build one statement of Lifelong's own (validated by the store when written)."""
    result: dict[str, Any] = {}
    if hours is not None:
        result["duration"] = duration(hours)
    if score is not None:
        result["score"] = {"raw": float(score)}
    if success is not None:
        result["success"] = success
    if verb_name == "completed":
        result["completion"] = True
    context: dict[str, Any] = {"platform": "Lifelong", "language": "vi-VN"}
    if registration is not None:
        context["registration"] = str(registration)
    extensions: dict[str, Any] = {}
    if category:
        extensions[_site() + EXT_CATEGORY_PATH] = category
    if contents:
        extensions[_site() + EXT_CONTENTS_PATH] = list(contents)
    if extensions:
        context["extensions"] = extensions
    groups = [{"id": iri, "objectType": "Activity"} for iri in grouping]
    if groups:
        context["contextActivities"] = {"grouping": groups}
    built: dict[str, Any] = {
        "id": str(statement_id or uuid.uuid4()),
        "actor": actor_for(person),
        "verb": verb(verb_name),
        "object": {
            "objectType": "Activity",
            "id": activity,
            "definition": {"name": {"vi-VN": name}},
        },
        "timestamp": timestamp.isoformat(),
        "context": context,
        "authority": authority(),
    }
    if result:
        built["result"] = result
    return built


def voiding(
    person: Person, target_id: uuid.UUID | str, *, timestamp: datetime.datetime
) -> dict[str, Any]:
    """Build the statement that voids `target_id` (Data 2.3.2), by the same actor."""
    return {
        "id": str(uuid.uuid4()),
        "actor": actor_for(person),
        "verb": {"id": VERB_VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": str(target_id)},
        "timestamp": timestamp.isoformat(),
        "authority": authority(),
    }


def write(statements: list[dict[str, Any]]) -> list[str]:
    """Store Lifelong's own statements in the caller's transaction; return their ids.

    The projection runs after the commit, as for any other client's statements.
    """
    return store_statements(statements, client=None)
