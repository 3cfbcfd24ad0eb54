"""Reading statements: GET /xapi/statements query parameters, formats and `more` paging.

`parse_query` checks the parameters (Communication 2.1.3) into a `StatementQuery`;
`find_statements` runs it over the index rows and answers one page plus the cursor of the
next. Paging is by `seq`, the store's sequence: a `more` link carries the query, the last
`seq` served and the highest `seq` that could be read when the first page was (no write
still in flight holds a lower one: `lrs.sequence`), signed so that it is opaque and cannot
be altered. Statements that arrive while a
client pages are never served twice nor skipped within that snapshot.

The output formats (`exact`, `ids`, `canonical`) are pure functions over payloads.
"""

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

from lifelong.lrs import sequence
from lifelong.lrs.agents import parse_agent_param
from lifelong.lrs.http import XapiError
from lifelong.lrs.models import Client, Statement, StatementActivity, StatementAgent
from lifelong.lrs.validation import is_iri, is_uuid, parse_timestamp

__all__ = [
    "MAX_LIMIT",
    "StatementQuery",
    "find_statements",
    "format_statement",
    "more_token",
    "parse_query",
    "pick_language",
    "query_from_more",
]

# The largest page the store serves (limit=0 or a larger limit means this many).
MAX_LIMIT = 500
FILTER_PARAMS = frozenset(
    {
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "ascending",
    }
)
SINGLE_PARAMS = frozenset({"statementId", "voidedStatementId"})
COMMON_PARAMS = frozenset({"format", "attachments"})
FORMATS = frozenset({"exact", "ids", "canonical"})
_MORE_SALT = "lifelong.lrs.more"


@dataclass
class StatementQuery:
    """A checked GET /xapi/statements query (filters, page size, order, format)."""

    agent_ifi: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: str | None = None
    until: str | None = None
    limit: int = MAX_LIMIT
    ascending: bool = False
    format: str = "exact"
    attachments: bool = False
    # Paging state, set on the pages after the first.
    after_seq: int | None = None
    max_seq: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _boolean(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false")
    if value not in {"true", "false"}:
        raise XapiError(400, f"{name} must be true or false.", name)
    return value == "true"


def parse_common(params: dict[str, str]) -> tuple[str, bool]:
    """Return the format and attachments parameters, which every GET may carry."""
    fmt = params.get("format", "exact")
    if fmt not in FORMATS:
        raise XapiError(400, "format must be ids, exact or canonical.", "format")
    return fmt, _boolean(params, "attachments")


def parse_query(params: dict[str, str]) -> StatementQuery:
    """Check the filter parameters of a statements query; raise 400 naming the bad one."""
    unknown = sorted(set(params) - FILTER_PARAMS - COMMON_PARAMS)
    if unknown:
        raise XapiError(400, f"Unknown parameter {unknown[0]!r}.", unknown[0])
    fmt, attachments = parse_common(params)
    query = StatementQuery(format=fmt, attachments=attachments)
    if "agent" in params:
        _, query.agent_ifi = parse_agent_param(params["agent"])
    if "verb" in params:
        if not is_iri(params["verb"]):
            raise XapiError(400, "verb must be an IRI.", "verb")
        query.verb = params["verb"]
    if "activity" in params:
        if not is_iri(params["activity"]):
            raise XapiError(400, "activity must be an IRI.", "activity")
        query.activity = params["activity"]
    if "registration" in params:
        if not is_uuid(params["registration"]):
            raise XapiError(400, "registration must be a UUID.", "registration")
        query.registration = params["registration"].lower()
    query.related_activities = _boolean(params, "related_activities")
    query.related_agents = _boolean(params, "related_agents")
    for name in ("since", "until"):
        if name in params:
            if parse_timestamp(params[name]) is None:
                raise XapiError(400, f"{name} must be an ISO 8601 timestamp.", name)
            setattr(query, name, params[name])
    if "limit" in params:
        try:
            limit = int(params["limit"])
        except ValueError as exc:
            raise XapiError(400, "limit must be a non-negative integer.", "limit") from exc
        if limit < 0:
            raise XapiError(400, "limit must be a non-negative integer.", "limit")
        query.limit = MAX_LIMIT if limit == 0 else min(limit, MAX_LIMIT)
    query.ascending = _boolean(params, "ascending")
    return query


#
# The `more` link
#


def more_token(query: StatementQuery) -> str:
    """Return the opaque, signed token of a query's next page."""
    return signing.dumps(asdict(query), salt=_MORE_SALT, compress=True)


def query_from_more(token: str) -> StatementQuery:
    """Return the query a `more` token stands for; 400 when it is not one of ours."""
    try:
        data = signing.loads(token, salt=_MORE_SALT)
    except signing.BadSignature as exc:
        raise XapiError(400, "The more token is not valid.", "more") from exc
    return StatementQuery(**data)


#
# Running a query
#


def _ref_or(condition: Q) -> Q:
    """Match statements meeting `condition` or whose StatementRef target meets it.

    Communication 2.1.3 "Filter Conditions for StatementRefs", for the verb and registration
    filters (two levels deep); agent and activity rows are propagated at insert instead.
    """
    level1 = Statement.objects.filter(condition).values("id")
    level2 = Statement.objects.filter(ref_id__in=level1).values("id")
    return condition | Q(ref_id__in=level1) | Q(ref_id__in=level2)


def build_queryset(query: StatementQuery, client: Client | None, mine_only: bool) -> QuerySet:
    """Return the queryset of a query's matching statements, ordered, without paging."""
    qs = Statement.objects.filter(voided=False)
    order_field = "seq"
    if query.agent_ifi is not None:
        agent_rows = StatementAgent.matching(query.agent_ifi)
        if not query.related_agents:
            agent_rows = agent_rows.filter(related_only=False)
        qs = qs.filter(id__in=agent_rows.values("statement_id"))
    if query.activity is not None:
        activity_rows = StatementActivity.matching(query.activity)
        if not query.related_activities:
            activity_rows = activity_rows.filter(related_only=False)
        qs = qs.filter(id__in=activity_rows.values("statement_id"))
    if query.verb is not None:
        qs = qs.filter(_ref_or(Q(verb_iri=query.verb)))
    if query.registration is not None:
        qs = qs.filter(_ref_or(Q(registration=query.registration)))
    if query.since is not None:
        qs = qs.filter(stored__gt=parse_timestamp(query.since))
    if query.until is not None:
        qs = qs.filter(stored__lte=parse_timestamp(query.until))
    if mine_only:
        # Communication 4.2 statements/read/mine: only statements this client's authority set.
        qs = qs.filter(client=client)
    if query.max_seq is not None:
        qs = qs.filter(seq__lte=query.max_seq)
    if query.after_seq is not None:
        if query.ascending:
            qs = qs.filter(seq__gt=query.after_seq)
        else:
            qs = qs.filter(seq__lt=query.after_seq)
    return qs.order_by(order_field if query.ascending else f"-{order_field}")


def current_max_seq() -> int:
    """Return the highest `seq` a query may page through now (0 for an empty store).

    The highest stored, or on PostgreSQL the high-water mark (`sequence.readable_through`):
    a statement with a lower number that commits later would otherwise appear on no page.
    """
    readable = sequence.readable_through()
    if readable is not None:
        return readable
    last = Statement.objects.order_by("-seq").values_list("seq", flat=True).first()
    return int(last or 0)


def find_statements(
    query: StatementQuery, *, client: Client | None, mine_only: bool = False
) -> tuple[list[dict[str, Any]], StatementQuery | None]:
    """Return one page of matching payloads and the query of the next page (or None)."""
    if query.max_seq is None:
        query.max_seq = current_max_seq()
    rows = list(
        build_queryset(query, client, mine_only).values_list("seq", "payload")[: query.limit + 1]
    )
    next_query = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        next_query = StatementQuery(**{**asdict(query), "after_seq": rows[-1][0]})
    return [payload for _, payload in rows], next_query


#
# Formats (pure)
#


def _ids_actor(actor: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"objectType": actor.get("objectType", "Agent")}
    for key in ("mbox", "mbox_sha1sum", "openid", "account"):
        if key in actor:
            out[key] = actor[key]
    if "member" in actor and not any(
        key in actor for key in ("mbox", "mbox_sha1sum", "openid", "account")
    ):
        out["member"] = [_ids_actor(m) for m in actor["member"]]
    return out


def _map_activities(obj: dict[str, Any], change: Any) -> dict[str, Any]:
    """Return a copy of a statement (or SubStatement) with `change` applied to Activities."""
    out = dict(obj)
    target = out.get("object")
    if isinstance(target, dict):
        kind = target.get("objectType", "Activity")
        if kind == "Activity":
            out["object"] = change(target)
        elif kind == "SubStatement":
            out["object"] = _map_activities(target, change)
    context = out.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        out["context"] = {
            **context,
            "contextActivities": {
                key: [change(a) for a in (value if isinstance(value, list) else [value])]
                for key, value in context["contextActivities"].items()
            },
        }
    return out


def _map_actors(obj: dict[str, Any], change: Any) -> dict[str, Any]:
    out = dict(obj)
    for key in ("actor", "authority"):
        if isinstance(out.get(key), dict):
            out[key] = change(out[key])
    target = out.get("object")
    if isinstance(target, dict):
        kind = target.get("objectType")
        if kind in {"Agent", "Group"}:
            out["object"] = change(target)
        elif kind == "SubStatement":
            out["object"] = _map_actors(target, change)
    context = out.get("context")
    if isinstance(context, dict):
        context = dict(context)
        for key in ("instructor", "team"):
            if isinstance(context.get(key), dict):
                context[key] = change(context[key])
        out["context"] = context
    return out


def _verbs(obj: dict[str, Any], change: Any) -> dict[str, Any]:
    out = dict(obj)
    out["verb"] = change(out["verb"])
    if isinstance(out.get("object"), dict) and out["object"].get("objectType") == "SubStatement":
        out["object"] = _verbs(out["object"], change)
    return out


def parse_accept_language(header: str) -> list[str]:
    """Return the language ranges of an Accept-Language header, best first (RFC 2616 14.4)."""
    ranges: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:
            ranges.append((-quality, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranges)]


def pick_language(language_map: dict[str, str], preferences: list[str]) -> dict[str, str]:
    """Return a language map reduced to its one best entry for `preferences`."""
    if not language_map:
        return language_map
    lowered = {key.lower(): key for key in language_map}
    for wanted in preferences:
        if wanted == "*":
            break
        if wanted in lowered:
            key = lowered[wanted]
            return {key: language_map[key]}
        for low, key in lowered.items():
            if low.startswith(wanted + "-") or wanted.startswith(low + "-"):
                return {key: language_map[key]}
    first = next(iter(language_map))
    return {first: language_map[first]}


def _filter_definition(definition: dict[str, Any], preferences: list[str]) -> dict[str, Any]:
    out = dict(definition)
    for key in ("name", "description"):
        if isinstance(out.get(key), dict):
            out[key] = pick_language(out[key], preferences)
    for key in ("choices", "scale", "source", "target", "steps"):
        if isinstance(out.get(key), list):
            out[key] = [
                {**c, "description": pick_language(c["description"], preferences)}
                if isinstance(c.get("description"), dict)
                else c
                for c in out[key]
            ]
    return out


def format_statement(
    statement: dict[str, Any],
    fmt: str,
    *,
    canonical: dict[str, dict[str, Any]] | None = None,
    languages: list[str] | None = None,
) -> dict[str, Any]:
    """Return a stored statement in the `exact`, `ids` or `canonical` format.

    `canonical` maps Activity ids to the store's canonical definitions; `languages` are the
    client's Accept-Language preferences (Communication 2.1.3 "Language Filtering").
    """
    if fmt == "exact":
        return statement
    if fmt == "ids":
        out = _map_activities(statement, lambda a: {"id": a["id"]})
        out = _map_actors(out, _ids_actor)
        return _verbs(out, lambda v: {"id": v["id"]})
    preferences = languages or []
    known = canonical or {}

    def canonical_activity(activity: dict[str, Any]) -> dict[str, Any]:
        definition = known.get(activity["id"], activity.get("definition"))
        out = {"objectType": "Activity", "id": activity["id"]}
        if definition:
            out["definition"] = _filter_definition(definition, preferences)
        return out

    def canonical_verb(verb: dict[str, Any]) -> dict[str, Any]:
        if isinstance(verb.get("display"), dict):
            return {**verb, "display": pick_language(verb["display"], preferences)}
        return verb

    return _verbs(_map_activities(statement, canonical_activity), canonical_verb)


def activity_ids(statements: list[dict[str, Any]]) -> set[str]:
    """Return the ids of every Activity the statements mention (for canonical format)."""
    found: set[str] = set()

    def collect(activity: dict[str, Any]) -> dict[str, Any]:
        found.add(activity["id"])
        return activity

    for statement in statements:
        _map_activities(statement, collect)
    return found


def parse_instant(value: str) -> datetime | None:
    """Return the aware datetime of an ISO 8601 timestamp (None if invalid)."""
    return parse_timestamp(value)


def dumps(data: Any) -> str:
    """Return compact JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
