"""Storing statements: validation, enrichment, deduplication, voiding, index rows, hook.

`store_statements` is the one write path of the Statement resource and of every app that
writes statements (the learning app records attendance through it). A batch is stored
all-or-nothing in one transaction. Section numbers are those of xAPI 1.0.3 (Data part unless
"Communication" is named).

Per-batch work is a fixed number of queries whatever the batch size: one `UPDATE ...
RETURNING` on the sequence row (the lock that orders commits), one query for ids already
stored, a few for statement references and activity definitions when the batch has any,
then `bulk_create`s.
"""

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from lifelong.lrs import hooks
from lifelong.lrs.equivalence import equivalent
from lifelong.lrs.http import XapiError
from lifelong.lrs.models import (
    Activity,
    Attachment,
    Client,
    Statement,
    StatementActivity,
    StatementAgent,
)
from lifelong.lrs.validation import (
    VOIDED_VERB,
    InvalidStatement,
    parse_timestamp,
    validate_statements,
)

__all__ = [
    "MAX_BATCH",
    "SEQUENCE",
    "StatementIndex",
    "canonical_definitions",
    "format_stored",
    "index_statement",
    "store_statements",
]

# The largest batch one request may store (docs/xapi.md); larger ones answer 413.
MAX_BATCH = 1000
SEQUENCE = "statements"
DEFAULT_VERSION = "1.0.0"


#
# Index rows (pure)
#


def _ifi(agent: Mapping[str, Any]) -> str | None:
    """Return the IFI string of a validated Agent or Group (lrs.agents' format)."""
    if "mbox" in agent:
        return f"mbox:{agent['mbox']}"
    if "mbox_sha1sum" in agent:
        return f"mbox_sha1sum:{agent['mbox_sha1sum']}"
    if "openid" in agent:
        return f"openid:{agent['openid']}"
    if "account" in agent:
        return f"account:{agent['account']['homePage']} {agent['account']['name']}"
    return None


@dataclass
class StatementIndex:
    """What the query parameters match in one statement: its indexed columns and rows."""

    actor_ifi: str
    verb_iri: str
    activity_iri: str
    registration: str | None
    ref_id: str | None
    is_voiding: bool
    # IFI or IRI -> related_only (False wins: a direct mention is also a related one).
    agents: dict[str, bool] = field(default_factory=dict)
    activities: dict[str, bool] = field(default_factory=dict)

    def add_agent(self, actor: Any, related: bool) -> None:
        """Index an Agent or Group and, for a Group, its members (Communication 2.1.3)."""
        if not isinstance(actor, dict):
            return
        for one in [actor, *(actor.get("member") or [])]:
            ifi = _ifi(one)
            if ifi is not None:
                self.agents[ifi] = self.agents.get(ifi, True) and related

    def add_activity(self, iri: str, related: bool) -> None:
        """Index an Activity id."""
        self.activities[iri] = self.activities.get(iri, True) and related


def _index_context(index: StatementIndex, context: Mapping[str, Any]) -> None:
    for key in ("instructor", "team"):
        if key in context:
            index.add_agent(context[key], related=True)
    for value in (context.get("contextActivities") or {}).values():
        for activity in value if isinstance(value, list) else [value]:
            index.add_activity(activity["id"], related=True)


def index_statement(statement: Mapping[str, Any]) -> StatementIndex:
    """Return the index of a validated, enriched statement.

    Direct matches (related_only False): the actor and an Agent/Group object for `agent`;
    an Activity object for `activity`. Related matches (`related_agents`,
    `related_activities`, Communication 2.1.3): authority, instructor, team, context
    activities, and all of these inside a SubStatement.
    """
    obj = statement["object"]
    kind = obj.get("objectType", "Activity")
    context = statement.get("context") or {}
    registration = context.get("registration")
    index = StatementIndex(
        actor_ifi=_ifi(statement["actor"]) or "",
        verb_iri=statement["verb"]["id"],
        activity_iri=obj["id"] if kind == "Activity" else "",
        registration=registration.lower() if registration else None,
        ref_id=obj["id"].lower() if kind == "StatementRef" else None,
        is_voiding=statement["verb"]["id"] == VOIDED_VERB and kind == "StatementRef",
    )
    index.add_agent(statement["actor"], related=False)
    if kind == "Activity":
        index.add_activity(obj["id"], related=False)
    elif kind in {"Agent", "Group"}:
        index.add_agent(obj, related=False)
    elif kind == "SubStatement":
        index.add_agent(obj["actor"], related=True)
        sub_object = obj["object"]
        sub_kind = sub_object.get("objectType", "Activity")
        if sub_kind == "Activity":
            index.add_activity(sub_object["id"], related=True)
        elif sub_kind in {"Agent", "Group"}:
            index.add_agent(sub_object, related=True)
        _index_context(index, obj.get("context") or {})
    if "authority" in statement:
        index.add_agent(statement["authority"], related=True)
    _index_context(index, context)
    return index


def _definitions(statement: Mapping[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    """Yield (IRI, definition) for every Activity with a definition in a statement."""
    objects = [statement["object"]]
    contexts = [statement.get("context") or {}]
    if statement["object"].get("objectType") == "SubStatement":
        objects.append(statement["object"]["object"])
        contexts.append(statement["object"].get("context") or {})
    for context in contexts:
        for value in (context.get("contextActivities") or {}).values():
            objects.extend(value if isinstance(value, list) else [value])
    for obj in objects:
        if obj.get("objectType", "Activity") == "Activity" and obj.get("definition"):
            yield obj["id"], obj["definition"]


def merge_definition(old: dict[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Merge a newly received Activity definition into the canonical one (Data 2.4.4.1).

    The newer definition wins property by property; language maps are merged language by
    language, so a French name received later does not drop the English one.
    """
    merged = dict(old)
    for key, value in new.items():
        if key in {"name", "description", "extensions"} and isinstance(value, dict):
            merged[key] = {**(merged.get(key) or {}), **value}
        else:
            merged[key] = value
    return merged


def iri_hash(iri: str) -> str:
    """Return the SHA-256 hex of an IRI: the unique key of an Activity row."""
    return hashlib.sha256(iri.encode("utf-8")).hexdigest()


def format_stored(moment: datetime) -> str:
    """Return a `stored` timestamp: UTC, milliseconds, "Z" (Data 2.4.8, 4.5)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


#
# Enrichment (Data 2.4)
#


def _enrich(statement: dict[str, Any], client: Client | None) -> None:
    # 2.4.1: the LRS assigns an id when the statement has none.
    statement.setdefault("id", str(uuid.uuid4()))
    statement["id"] = statement["id"].lower()
    # 2.4.9: the LRS sets the authority from the credentials, overriding any it was sent.
    if client is not None:
        statement["authority"] = client.authority
    # 2.4.10: a statement without a version is stored as 1.0.0.
    statement.setdefault("version", DEFAULT_VERSION)
    # 2.4.6.2: a single context Activity is stored (and returned) as an array of one.
    if statement["object"].get("objectType") == "SubStatement":
        statement["object"] = dict(statement["object"])
    for holder in (statement, statement["object"]):
        context = holder.get("context")
        if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
            holder["context"] = {
                **context,
                "contextActivities": {
                    key: value if isinstance(value, list) else [value]
                    for key, value in context["contextActivities"].items()
                },
            }
    # 2.4.8 "stored" and 2.4.7 "timestamp" are set under the sequence lock, in _insert().


#
# The service
#


def _lock_sequence(count: int) -> int:
    """Reserve `count` sequence numbers; return the first. Holds the row lock until commit.

    One `UPDATE ... RETURNING` both locks the counter row and advances it, so `seq` follows
    commit order on PostgreSQL; on SQLite the IMMEDIATE transaction serialises writers anyway.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE lrs_sequencecounter SET value = value + %s WHERE name = %s RETURNING value",
            [count, SEQUENCE],
        )
        row = cursor.fetchone()
        if row is None:
            # The migration creates the row; a store emptied by hand gets it back here. Two
            # first writers may race: ON CONFLICT lets the loser wait on the winner's row
            # lock instead of failing, and the UPDATE then advances the committed row.
            cursor.execute(
                "INSERT INTO lrs_sequencecounter (name, value) VALUES (%s, 0) "
                "ON CONFLICT (name) DO NOTHING",
                [SEQUENCE],
            )
            cursor.execute(
                "UPDATE lrs_sequencecounter SET value = value + %s WHERE name = %s RETURNING value",
                [count, SEQUENCE],
            )
            row = cursor.fetchone()
    return int(row[0]) - count + 1


def store_statements(
    raw: list[Any],
    *,
    client: Client | None,
    attachments: Mapping[str, tuple[str, bytes]] | None = None,
    run_hooks: bool = True,
) -> list[str]:
    """Validate, enrich and store a batch of statements; return their ids in input order.

    All-or-nothing: one transaction. A statement whose id is already stored is skipped when
    it is equivalent (Data 2.3.1) and refused with 409 otherwise (Communication 2.1.2), and
    nothing of the batch is stored then. `attachments` maps a SHA-2 to the (content type,
    bytes) of a multipart part (Data 2.4.11); each attachment without a fileUrl needs one.

    Raises:
        XapiError: 400 for an invalid statement (with the field path), 403 when a voiding
            statement targets a voiding statement, 409 on a conflicting re-send, 413 for a
            batch over MAX_BATCH.
    """
    if len(raw) > MAX_BATCH:
        raise XapiError(413, f"A batch holds at most {MAX_BATCH} statements.", "statements")
    try:
        validate_statements(raw)
    except InvalidStatement as exc:
        path = exc.path
        if len(raw) == 1 and path.startswith("statements[0]"):
            path = path.removeprefix("statements[0]").lstrip(".")
        raise XapiError(400, exc.message, path or "statement") from exc
    statements = [dict(s) for s in raw]
    for statement in statements:
        _enrich(statement, client)
    _check_attachments(statements, attachments or {})
    with transaction.atomic():
        ids = _insert(statements, client, attachments or {})
    if run_hooks:
        transaction.on_commit(hooks.statements_stored)
    return ids


def _check_attachments(
    statements: list[dict[str, Any]], parts: Mapping[str, tuple[str, bytes]]
) -> None:
    """Data 2.4.11 / Communication 1.5.2: every attachment without fileUrl has its part."""
    declared: set[str] = set()
    for index, statement in enumerate(statements):
        for position, attachment in enumerate(statement.get("attachments") or []):
            sha2 = attachment["sha2"].lower()
            declared.add(sha2)
            if "fileUrl" not in attachment and sha2 not in parts:
                raise XapiError(
                    400,
                    "No multipart part carries this attachment (its sha2 matches no "
                    "X-Experience-API-Hash) and it has no fileUrl.",
                    f"statements[{index}].attachments[{position}].sha2",
                )
    extra = sorted(set(parts) - declared)
    if extra:
        raise XapiError(
            400,
            f"A multipart part (X-Experience-API-Hash {extra[0]}) matches no attachment of "
            "the statements.",
            "X-Experience-API-Hash",
        )


def _insert(
    statements: list[dict[str, Any]],
    client: Client | None,
    parts: Mapping[str, tuple[str, bytes]],
) -> list[str]:
    first_seq = _lock_sequence(len(statements))
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    stored_text = format_stored(now)

    ids = [s["id"] for s in statements]
    existing = dict(
        Statement.objects.filter(id__in=[uuid.UUID(i) for i in ids]).values_list("id", "payload")
    )
    fresh: list[dict[str, Any]] = []
    for position, statement in enumerate(statements):
        old = existing.get(uuid.UUID(statement["id"]))
        if old is None:
            fresh.append(statement)
        elif not equivalent(old, statement):
            raise XapiError(
                409,
                f"Statement {statement['id']} is already stored with different content.",
                f"statements[{position}].id" if len(statements) > 1 else "id",
            )
    if not fresh:
        return ids

    indexes = {s["id"]: index_statement(s) for s in fresh}
    _resolve_references(fresh, indexes)

    rows: list[Statement] = []
    agent_rows: list[StatementAgent] = []
    activity_rows: list[StatementActivity] = []
    for offset, statement in enumerate(fresh):
        seq = first_seq + offset
        # 2.4.8: stored is the time the LRS stored the statement; 2.4.7: a statement without
        # a timestamp gets the stored time.
        statement["stored"] = stored_text
        statement.setdefault("timestamp", stored_text)
        index = indexes[statement["id"]]
        timestamp = parse_timestamp(statement["timestamp"]) or now
        row = Statement(
            id=uuid.UUID(statement["id"]),
            seq=seq,
            payload=statement,
            actor_ifi=index.actor_ifi[:512],
            verb_iri=index.verb_iri,
            activity_iri=index.activity_iri,
            registration=uuid.UUID(index.registration) if index.registration else None,
            ref_id=uuid.UUID(index.ref_id) if index.ref_id else None,
            is_voiding=index.is_voiding,
            timestamp=timestamp,
            stored=now,
            client=client,
            has_attachments=bool(statement.get("attachments")),
        )
        rows.append(row)
        agent_rows.extend(
            StatementAgent(statement_id=row.id, seq=seq, ifi=ifi[:512], related_only=related)
            for ifi, related in index.agents.items()
        )
        activity_rows.extend(
            StatementActivity(statement_id=row.id, seq=seq, iri=iri, related_only=related)
            for iri, related in index.activities.items()
        )
    _apply_voiding(rows)
    Statement.objects.bulk_create(rows)
    StatementAgent.objects.bulk_create(agent_rows)
    StatementActivity.objects.bulk_create(activity_rows)
    if parts:
        Attachment.objects.bulk_create(
            [
                Attachment(sha2=sha2, content_type=ctype, length=len(content), content=content)
                for sha2, (ctype, content) in parts.items()
            ],
            ignore_conflicts=True,
        )
    _update_activities(fresh)
    return ids


def _resolve_references(fresh: list[dict[str, Any]], indexes: dict[str, StatementIndex]) -> None:
    """Check voiding targets and let a statement match what its StatementRef target matches.

    Communication 2.1.3 "Filter Conditions for StatementRefs": a statement whose object is a
    StatementRef meets the agent and activity filters its target meets, recursively; the
    target's index rows (which already hold its own target's) are copied onto it. A target
    that arrives later is not propagated back (docs/xapi.md).
    Data 2.3.2: a voiding statement that targets a voiding statement is invalid: refused.
    """
    targets = {i.ref_id for i in indexes.values() if i.ref_id}
    if not targets:
        return
    in_batch = {sid: idx for sid, idx in indexes.items() if sid in targets}
    outside = [uuid.UUID(t) for t in targets - set(in_batch)]
    voiding_targets: set[str] = {sid for sid, idx in in_batch.items() if idx.is_voiding}
    agents: dict[str, dict[str, bool]] = {sid: idx.agents for sid, idx in in_batch.items()}
    activities: dict[str, dict[str, bool]] = {sid: idx.activities for sid, idx in in_batch.items()}
    if outside:
        voiding_targets.update(
            str(i)
            for i in Statement.objects.filter(id__in=outside, is_voiding=True).values_list(
                "id", flat=True
            )
        )
        for sid, ifi, related in StatementAgent.objects.filter(
            statement_id__in=outside
        ).values_list("statement_id", "ifi", "related_only"):
            agents.setdefault(str(sid), {})[ifi] = related
        for sid, iri, related in StatementActivity.objects.filter(
            statement_id__in=outside
        ).values_list("statement_id", "iri", "related_only"):
            activities.setdefault(str(sid), {})[iri] = related
    for position, statement in enumerate(fresh):
        index = indexes[statement["id"]]
        if not index.ref_id:
            continue
        if index.is_voiding and index.ref_id in voiding_targets:
            raise XapiError(
                400,
                "A voiding statement cannot target another voiding statement (Data 2.3.2).",
                f"statements[{position}].object.id" if len(fresh) > 1 else "object.id",
            )
        for ifi, related in agents.get(index.ref_id, {}).items():
            index.agents[ifi] = index.agents.get(ifi, True) and related
        for iri, related in activities.get(index.ref_id, {}).items():
            index.activities[iri] = index.activities.get(iri, True) and related


def _apply_voiding(rows: list[Statement]) -> None:
    """Mark voided targets, whether stored before, in this batch, or voided before arrival."""
    by_id = {row.id: row for row in rows}
    voiding = {row.ref_id: row.id for row in rows if row.is_voiding and row.ref_id}
    for target, voider in voiding.items():
        if target in by_id and not by_id[target].is_voiding:
            by_id[target].voided = True
            by_id[target].voided_by = voider
    outside = [t for t in voiding if t not in by_id]
    if outside:
        for target in outside:
            Statement.objects.filter(id=target, voided=False, is_voiding=False).update(
                voided=True, voided_by=voiding[target]
            )
    # A voiding statement stored before its target (allowed: Data 2.3.2 does not require the
    # target to exist) voids the target when it arrives.
    for late_target, late_voider in Statement.objects.filter(
        ref_id__in=list(by_id), is_voiding=True
    ).values_list("ref_id", "id"):
        row = by_id.get(late_target) if late_target else None
        if row is not None and not row.is_voiding:
            row.voided = True
            row.voided_by = late_voider


def _update_activities(statements: list[dict[str, Any]]) -> None:
    """Merge the Activity definitions of new statements into the canonical ones (2.4.4.1)."""
    received: dict[str, dict[str, Any]] = {}
    for statement in statements:
        for iri, definition in _definitions(statement):
            received[iri] = merge_definition(received.get(iri, {}), definition)
    if not received:
        return
    hashes = {iri_hash(iri): iri for iri in received}
    known = {a.iri_hash: a for a in Activity.objects.filter(iri_hash__in=list(hashes))}
    changed: list[Activity] = []
    created: list[Activity] = []
    for digest, iri in hashes.items():
        activity = known.get(digest)
        if activity is None:
            created.append(Activity(iri=iri, iri_hash=digest, definition=received[iri]))
            continue
        merged = merge_definition(activity.definition, received[iri])
        if merged != activity.definition:
            activity.definition = merged
            changed.append(activity)
    if created:
        Activity.objects.bulk_create(created, ignore_conflicts=True)
    if changed:
        Activity.objects.bulk_update(changed, ["definition"])


def canonical_definitions(iris: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return the canonical definitions of the given Activity ids (those the store knows)."""
    hashes = {iri_hash(iri): iri for iri in iris}
    return {
        hashes[digest]: definition
        for digest, definition in Activity.objects.filter(iri_hash__in=list(hashes)).values_list(
            "iri_hash", "definition"
        )
    }
