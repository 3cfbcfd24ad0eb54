"""Storing statements: validation, enrichment, deduplication, voiding, index rows, hook.

`store_statements` is the one write path of the Statement resource and of every app that
writes statements (the learning app records attendance through it). A batch is stored
all-or-nothing in one transaction. Section numbers are those of xAPI 1.0.3 (Data part unless
"Communication" is named).

Per-batch work is a fixed number of queries whatever the batch size: one to draw the batch's
`seq` numbers (`lrs.sequence.reserve`), one query for ids already stored, a few for
statement references and activity definitions when the batch has any, then one INSERT per
table (`_insert_sql`: raw SQL, no model instances; on SQLite one prepared row INSERT run for
every row, on PostgreSQL one JSON parameter expanded by `jsonb_to_recordset`). Everything
that needs no database (indexing, UUIDs, timestamps, the payload's JSON text) is prepared
before the transaction. On SQLite the IMMEDIATE transaction serialises writers, so what
runs in it bounds ingest; PostgreSQL writers run side by side (`lrs.sequence`), a batch
that voids or refers to statements alone. That preparation is its own function
(`prepare_statements`, then `store_prepared`), so a bulk writer can run it in another
process.
"""

import hashlib
import json
import re
import secrets
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any, cast

from django.db import OperationalError, connection, transaction
from django.db.models import Field, ForeignKey, JSONField, Model
from django.utils import timezone

from lifelong.lrs import hooks, sequence
from lifelong.lrs.equivalence import equivalent
from lifelong.lrs.groupcommit import GroupCommitter, Job
from lifelong.lrs.http import XapiError
from lifelong.lrs.indexkey import index_key
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
from lifelong.lrs.writegate import write_gate

__all__ = [
    "MAX_BATCH",
    "PreparedStatement",
    "StatementIndex",
    "canonical_definitions",
    "db_uuid",
    "format_stored",
    "in_json_array",
    "index_statement",
    "insert_rows",
    "insert_rows_returning_keys",
    "store_statements",
]

# The largest batch one request may store (docs/xapi.md); larger ones answer 413. At most
# sequence.SEQ_BLOCK, the numbers a batch draws.
MAX_BATCH = 1000
# The counter row holding the canonical Activity definitions' version (`_KnownDefinitions`).
ACTIVITIES_VERSION = "activity-definitions"
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
    # 2.4.1: the LRS assigns an id when the statement has none (not `setdefault`: a UUID
    # drawn from os.urandom for every statement that has one cost 7% of an ingest's CPU).
    ident = statement.get("id")
    statement["id"] = ident.lower() if ident else str(uuid.uuid4())
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
    # 2.4.8 "stored" and 2.4.7 "timestamp" are set in the write, in _insert_locked().


#
# The service
#


def store_statements(
    raw: list[Any],
    *,
    client: Client | None,
    attachments: Mapping[str, tuple[str, bytes]] | None = None,
    run_hooks: bool = True,
    background: bool = False,
) -> list[str]:
    """Validate, enrich and store a batch of statements; return their ids in input order.

    All-or-nothing: one transaction. A statement whose id is already stored is skipped when
    it is equivalent (Data 2.3.1) and refused with 409 otherwise (Communication 2.1.2), and
    nothing of the batch is stored then. `attachments` maps a SHA-2 to the (content type,
    bytes) of a multipart part (Data 2.4.11); each attachment without a fileUrl needs one.
    After the commit the `statements_stored` consumers run (unless `run_hooks` is False):
    here, or with `background` on this process's delivery thread (`hooks.statements_stored`).

    Raises:
        XapiError: 400 for an invalid statement (with the field path), 403 when a voiding
            statement targets a voiding statement, 409 on a conflicting re-send, 413 for a
            batch over MAX_BATCH.
    """
    prepared = prepare_statements(raw, client=client, postgres=connection.vendor == "postgresql")
    return store_prepared(
        prepared,
        client=client,
        attachments=attachments,
        run_hooks=run_hooks,
        background=background,
    )


def prepare_statements(
    raw: list[Any], *, client: Client | None, postgres: bool
) -> list["PreparedStatement"]:
    """Validate and enrich a batch, and compute all that needs no database, in input order.

    The first half of `store_statements`, without a query: a bulk writer may run it in
    another process (the demo build does) and hand the result to `store_prepared`. The
    client is only read (its `authority`); `postgres` chooses the payload's form.

    Raises:
        XapiError: 400 for an invalid statement (with the field path), 413 for a batch
            over MAX_BATCH.
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
    prepared = [PreparedStatement.of(statement, postgres=postgres) for statement in statements]
    # A batch repeats the same definitions (one course, many learners): one that equals what
    # the batch's earlier ones merge to changes nothing (`_update_activities`), so only the
    # others are kept, and carried to the lock.
    merged: dict[str, dict[str, Any]] = {}
    for item in prepared:
        kept = []
        for iri, definition in item.definitions:
            if merged.get(iri) != definition:
                merged[iri] = merge_definition(merged.get(iri) or {}, definition)
                kept.append((iri, definition))
        item.definitions = kept
    return prepared


def store_prepared(
    prepared: list["PreparedStatement"],
    *,
    client: Client | None,
    attachments: Mapping[str, tuple[str, bytes]] | None = None,
    run_hooks: bool = True,
    background: bool = False,
) -> list[str]:
    """Store a batch `prepare_statements` gave (for the same client); see `store_statements`.

    Raises:
        XapiError: 400 for an attachment without its part, 403 when a voiding statement
            targets a voiding statement, 409 on a conflicting re-send.
    """
    parts = attachments or {}
    _check_attachments(prepared, parts)
    # Only reads and writes happen from here.
    if connection.in_atomic_block:
        # A caller's transaction (a Lifelong service's write) owns the batch: stored in it,
        # under a savepoint, and delivered to the consumers once it commits. It writes
        # alone (`exclusive`): it may store more batches later, and a transaction that
        # went from a shared write to an exclusive one could deadlock with another.
        with transaction.atomic():
            ids = _insert_locked(prepared, client, parts, exclusive=True)
        if run_hooks:
            transaction.on_commit(partial(hooks.statements_stored, background=background))
        return ids
    # Otherwise the batches that wait for the write at the same time commit together
    # (`groupcommit`); this returns once the group's transaction has committed.
    ids, delivered = _committer.submit((prepared, client, parts, run_hooks))
    if run_hooks:
        if delivered:
            hooks.delivered_in_write()
        else:
            hooks.statements_stored(background=background)
    return ids


def _store_group(jobs: list[Job]) -> None:
    """Store the batches of `jobs` in one transaction, each under a savepoint of its own.

    Runs under the write gate (`_committer`). A batch's error (409, 403...) rolls back its
    savepoint only and is handed to its own request; one batch alone needs no savepoint.
    When every batch asks for the hooks, the stored statements are delivered in the same
    transaction to the consumers that allow it (`hooks.deliver_in_write`), on SQLite, where
    the group is the only write under way. Each job's result: (its ids, whether every
    consumer got its statements already).
    """
    if connection.vendor == "postgresql":
        _store_group_side_by_side(jobs)
        return
    with transaction.atomic():
        # The counter row, locked for the whole group: `before` is the last seq committed.
        before = through = sequence.reserve(0, exclusive=True) - 1
        written: list[_Row] = []
        if len(jobs) == 1:
            prepared, client, parts, _ = jobs[0].work
            ids = _insert_locked(prepared, client, parts, written, exclusive=True)
            jobs[0].result = (ids, False)
            through += len(prepared)
        else:
            for job in jobs:
                prepared, client, parts, _ = job.work
                rows: list[_Row] = []
                try:
                    with transaction.atomic():
                        ids = _insert_locked(prepared, client, parts, rows, exclusive=True)
                        job.result = (ids, False)
                except Exception as exc:
                    job.error = exc
                else:
                    written.extend(rows)
                    # Its numbers are reserved, re-sent statements' included (a rolled-back
                    # savepoint gave its own back).
                    through += len(prepared)
        if not all(job.work[3] for job in jobs):
            return
        page = [
            hooks.StoredStatement(r.seq, str(r.id), cast(dict[str, Any], r.payload), r.voided)
            for r in written
        ]
        if hooks.deliver_in_write(before, page, through):
            for job in jobs:
                if job.error is None:
                    job.result = (job.result[0], True)


def _store_group_side_by_side(jobs: list[Job]) -> None:
    """PostgreSQL: store the group's batches while other processes' groups store theirs.

    Each batch under a savepoint of its own. The whole group writes exclusively when one of
    its batches voids or refers to statements (`lrs.sequence`), shared otherwise. No
    delivery in the write: another transaction may hold lower numbers still (the consumers
    run after the commit, from `store_prepared`, reading up to the high-water mark).
    """
    exclusive = any(item.ref_id for job in jobs for item in job.work[0])
    with transaction.atomic():
        for job in jobs:
            prepared, client, parts, _ = job.work
            try:
                job.result = (_insert_side_by_side(prepared, client, parts, exclusive), False)
            except Exception as exc:
                job.error = exc


# How often a batch is stored again after a concurrent writer stored one of its ids first.
_RACE_RETRIES = 3
# PostgreSQL's SQLSTATE for a transaction it chose to fail to break a deadlock.
_DEADLOCK_DETECTED = "40P01"


def _insert_side_by_side(
    prepared: list["PreparedStatement"],
    client: Client | None,
    parts: Mapping[str, tuple[str, bytes]],
    exclusive: bool,
) -> list[str]:
    """`_insert_locked` under a savepoint, again when another writer stored an id first.

    Two shared writers may both find an id not stored yet. The INSERT then waits for the
    other (`ON CONFLICT DO NOTHING`); once it has committed, the batch is rolled back to its
    savepoint and stored again, and now finds the statement stored: a no-op when it is
    equivalent, a 409 otherwise, as if the two had come one after the other. Two batches
    sharing ids in different orders may each wait for the other: PostgreSQL then fails one
    of them (deadlock detected), which is stored again the same way.
    """
    for _ in range(_RACE_RETRIES):
        try:
            with transaction.atomic():
                return _insert_locked(prepared, client, parts, exclusive=exclusive)
        except _LostRace:
            continue
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != _DEADLOCK_DETECTED:
                raise
    raise XapiError(
        409,
        "Other requests are storing statements with the same ids at this moment; "
        "send the batch again.",
        "statements",
    )


_SKIP_STORED_ID = "ON CONFLICT (id) DO NOTHING"


class _LostRace(Exception):
    """A concurrent writer stored one of the batch's statement ids first (PostgreSQL)."""


_committer = GroupCommitter(_store_group, gate=write_gate)


def _check_attachments(
    prepared: list["PreparedStatement"], parts: Mapping[str, tuple[str, bytes]]
) -> None:
    """Data 2.4.11 / Communication 1.5.2: every attachment without fileUrl has its part."""
    declared: set[str] = set()
    for index, item in enumerate(prepared):
        if not item.has_attachments:
            continue
        for position, attachment in enumerate(item.statement["attachments"]):
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


def _insert_locked(
    prepared: list["PreparedStatement"],
    client: Client | None,
    parts: Mapping[str, tuple[str, bytes]],
    written: list["_Row"] | None = None,
    *,
    exclusive: bool,
) -> list[str]:
    """Store a batch in the write; return its ids (append its rows to `written`).

    `exclusive`: how the write is shared (`sequence.reserve`); on PostgreSQL a shared one
    that meets an id another writer stored first raises `_LostRace`.
    """
    first_seq = sequence.reserve(len(prepared), exclusive=exclusive)
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    stored_text = format_stored(now)

    ids = [p.statement_id for p in prepared]
    existing = _stored_payloads([p.id for p in prepared])
    fresh: list[PreparedStatement] = []
    for position, item in enumerate(prepared):
        old = existing.get(item.id)
        if old is None:
            fresh.append(item)
        elif not equivalent(old, item.statement):
            raise XapiError(
                409,
                f"Statement {item.statement_id} is already stored with different content.",
                f"statements[{position}].id" if len(prepared) > 1 else "id",
            )
    if not fresh:
        return ids

    indexes = {item.statement_id: item.index for item in fresh}
    _resolve_references([item.statement_id for item in fresh], indexes)

    rows: list[_Row] = []
    for offset, item in enumerate(fresh):
        payload = None
        if written is not None:  # the caller hands the rows on (`hooks.deliver_in_write`)
            payload = item.statement
            # 2.4.8: stored is the time the LRS stored the statement; 2.4.7: a statement
            # without a timestamp gets the stored time (the payload's text has both).
            payload["stored"] = stored_text
            payload.setdefault("timestamp", stored_text)
        rows.append(
            _Row(
                id=item.id,
                seq=first_seq + offset,
                payload=payload,
                payload_json=item.payload_json.replace(_STORED_TOKEN, stored_text),
                has_attachments=item.has_attachments,
                index=item.index,
                ref_id=item.ref_id,
                db_id=item.db_id,
                db_values=item.db_values,
                db_timestamp=item.db_timestamp,
            )
        )
    _apply_voiding(rows)
    _write_rows(rows, client, now)
    if written is not None:
        written.extend(rows)
    if parts:
        Attachment.objects.bulk_create(
            [
                Attachment(sha2=sha2, content_type=ctype, length=len(content), content=content)
                for sha2, (ctype, content) in parts.items()
            ],
            ignore_conflicts=True,
        )
    _update_activities([d for item in fresh for d in item.definitions])
    return ids


# Stands for the `stored` time in a payload serialised before the time is known (a random
# value: no statement can contain it by chance).
_STORED_TOKEN = f"stored-{uuid.uuid4().hex}"


@dataclass(slots=True)
class PreparedStatement:
    """A validated, enriched statement with what can be computed before the lock.

    Plain data (it pickles): `prepare_statements` may run in another process. The `db_`
    values are already in the form the chosen database takes (`_write_rows`), so the
    locked part of a write only places them.
    """

    # The statement itself: not pickled (its text is `payload_json`), decoded again when
    # asked for (`statement`), which the store does only for what is rare (a re-send, an
    # attachment) or when the rows go on to in-write delivery.
    decoded: dict[str, Any] | None
    statement_id: str
    has_attachments: bool
    id: uuid.UUID
    index: StatementIndex
    # The payload as stored (compact JSON, UTF-8), with _STORED_TOKEN for `stored` (and
    # `timestamp` when absent), keys in the order the statement has once they are set.
    payload_json: str
    # The target of a StatementRef object.
    ref_id: uuid.UUID | None
    db_id: str
    # actor_ifi, verb_iri, activity_iri, registration, ref_id, is_voiding (_STATEMENT_COLUMNS).
    db_values: tuple[Any, ...]
    # None when the statement has no timestamp (it gets the stored time).
    db_timestamp: str | None
    # (IRI, definition) of its Activities with a definition; in a prepared batch, only
    # those that change what the batch's earlier ones merge to (`prepare_statements`).
    definitions: list[tuple[str, dict[str, Any]]]

    @property
    def statement(self) -> dict[str, Any]:
        """The enriched statement, without `stored` (and `timestamp` if it had none)."""
        if self.decoded is None:
            decoded = json.loads(self.payload_json)
            del decoded["stored"]
            if decoded["timestamp"] == _STORED_TOKEN:
                del decoded["timestamp"]
            self.decoded = decoded
        return self.decoded

    def __getstate__(self) -> dict[str, Any]:
        state = {name: getattr(self, name) for name in self.__slots__}
        state["decoded"] = None  # sent as its text only: pickling the dicts cost more
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    @classmethod
    def of(cls, statement: dict[str, Any], *, postgres: bool) -> "PreparedStatement":
        """Prepare a validated, enriched statement (the values' form per database)."""
        final = {**statement, "stored": _STORED_TOKEN}
        final.setdefault("timestamp", _STORED_TOKEN)
        # PostgreSQL: placed as is in `_insert_sql`'s JSON document (jsonb keeps no text).
        # SQLite: the column's text; compact UTF-8 rather than JSONField's \u escapes and
        # spaces, which made Vietnamese statements a sixth longer (both read back the same).
        text = json.dumps(final, ensure_ascii=False, separators=(",", ":"))
        index = index_statement(statement)
        ref_id = uuid.UUID(index.ref_id) if index.ref_id else None
        registration = uuid.UUID(index.registration) if index.registration else None
        moment = parse_timestamp(statement["timestamp"]) if "timestamp" in statement else None
        ident = uuid.UUID(statement["id"])
        return cls(
            decoded=statement,
            statement_id=statement["id"],
            has_attachments=bool(statement.get("attachments")),
            definitions=list(_definitions(statement)),
            id=ident,
            index=index,
            payload_json=text,
            ref_id=ref_id,
            db_id=_uuid_form(ident, postgres),
            db_values=(
                index.actor_ifi[:512],
                index.verb_iri,
                index.activity_iri,
                _uuid_form(registration, postgres) if registration else None,
                _uuid_form(ref_id, postgres) if ref_id else None,
                index.is_voiding,
            ),
            db_timestamp=None if moment is None else _datetime_form(moment, postgres),
        )


def _uuid_form(value: uuid.UUID, postgres: bool) -> str:
    """A UUID as `_insert_sql` takes it: its string on PostgreSQL, 32 hex digits on SQLite."""
    return str(value) if postgres else value.hex


def _datetime_form(value: datetime, postgres: bool) -> str:
    """An aware datetime as `_insert_sql` takes it, without a connection (another process).

    SQLite: what `adapt_datetimefield_value` gives with USE_TZ and the connection in UTC
    (naive UTC text); PostgreSQL: ISO 8601 with its offset, cast to timestamptz there.
    """
    if postgres:
        return value.isoformat()
    return str(value.astimezone(UTC).replace(tzinfo=None))


@dataclass(slots=True)
class _Row:
    """One statement about to be inserted: what the Statement row and its index rows need."""

    id: uuid.UUID
    seq: int
    # The statement as stored, when the rows go on (`_insert_locked`'s `written`).
    payload: dict[str, Any] | None
    payload_json: str
    has_attachments: bool
    index: StatementIndex
    ref_id: uuid.UUID | None
    # PreparedStatement's values in the database's form.
    db_id: str
    db_values: tuple[Any, ...]
    db_timestamp: str | None
    voided: bool = False
    voided_by: uuid.UUID | None = None

    @property
    def is_voiding(self) -> bool:
        return self.index.is_voiding


#
# Raw SQL for the write path
#


def _db_uuid(value: uuid.UUID | None) -> Any:
    """Return a UUID for `_insert_sql`: its string on PostgreSQL, 32 hex digits on SQLite."""
    if value is None:
        return None
    # PostgreSQL: a string, for `_insert_sql`'s JSON document (cast back to uuid there).
    return _uuid_form(value, connection.features.has_native_uuid_field)


def _from_db_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def in_json_array(column: str, *, uuids: bool = False, integers: bool = False) -> str:
    """Return `column IN <the values of one JSON array parameter>`, index-friendly.

    One short, constant query with one parameter however many values, on both databases.
    `uuids`: the values are UUIDs (cast on PostgreSQL; 32 hex digits on SQLite, `db_uuid`);
    `integers`: they are integers (cast on PostgreSQL).
    """
    if connection.vendor == "postgresql":
        value = "value::uuid" if uuids else "value::bigint" if integers else "value"
        return f"{column} = ANY(ARRAY(SELECT {value} FROM json_array_elements_text(%s::json)))"  # noqa: S608 - identifiers only
    return f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - identifiers only


def _uuid_list_sql(column: str) -> str:
    return in_json_array(column, uuids=True)


def _uuid_list_param(values: Iterable[uuid.UUID]) -> str:
    if connection.features.has_native_uuid_field:
        return json.dumps([str(v) for v in values])
    return json.dumps([v.hex for v in values])


def _stored_payloads(ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """Return the payloads of the statements among `ids` that are already stored."""
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, payload FROM {table} WHERE {_uuid_list_sql('id')}",  # noqa: S608 - identifiers only
            [_uuid_list_param(ids)],
        )
        return {
            _from_db_uuid(ident): json.loads(payload) if isinstance(payload, str) else payload
            for ident, payload in cursor.fetchall()
        }


_STATEMENT_COLUMNS = (
    "id",
    "seq",
    "payload",
    "actor_ifi",
    "verb_iri",
    "activity_iri",
    "registration",
    "ref_id",
    "is_voiding",
    "voided",
    "voided_by",
    "timestamp",
    "stored",
    "client",
    "has_attachments",
)
_INDEX_COLUMNS = ("statement", "seq", "{name}", "{name}_key", "related_only")


def _insert_sql(
    model: type[Model],
    fields: Sequence[str],
    rows: list[tuple[Any, ...]],
    on_conflict: str = "",
    *,
    keys: list[int] | None = None,
) -> int:
    """INSERT `rows` into `model`'s table in as few queries as fit; return how many went in.

    The index rows of a batch are hundreds of rows: building them through `bulk_create`
    (a model instance, then field-by-field preparation, per row) cost most of a batch's time.
    Values here are already in the database's own form (`_write_rows`). `on_conflict`, an
    `ON CONFLICT ...` clause both databases understand, ends the statement. Given `keys`
    (an auto-incremented key, no `on_conflict`), the new keys are appended to it in the
    order of `rows`.
    """
    if not rows:
        return 0
    meta = model._meta
    qn = connection.ops.quote_name
    model_fields = [cast(Field[Any, Any], meta.get_field(name)) for name in fields]
    head = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(str(f.column)) for f in model_fields)}) "
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One JSON document (an array of objects keyed c0, c1…), turned into rows by
            # the server: a short, constant query with a single parameter, encoded in one
            # `json.dumps`. psycopg's client-side binding splits and quotes a multi-row
            # VALUES query (or array parameters) value by value, which cost more than the
            # insert itself.
            names = [f"c{i}" for i in range(len(model_fields))]
            types: list[str | None] = []
            for model_field in model_fields:
                if isinstance(model_field, ForeignKey):
                    types.append(model_field.target_field.rel_db_type(connection))
                else:
                    types.append(model_field.db_type(connection))
            record = ", ".join(f"{n} {t}" for n, t in zip(names, types, strict=True))
            texts: list[str] = []
            json_columns = [i for i, f in enumerate(model_fields) if isinstance(f, JSONField)]
            if json_columns:
                rows = [_mark_json_text(row, json_columns, texts) for row in rows]
            document = json.dumps(
                [dict(zip(names, row, strict=True)) for row in rows],
                ensure_ascii=False,
                separators=(",", ":"),
                default=_json_default,
            )
            if texts:
                document = _JSON_MARK_RE.sub(lambda m: texts[int(m.group(1))], document)
            # RETURNING gives the keys in the order the function yields the array's rows,
            # which is the order they are inserted in (as Django's own bulk_create assumes).
            tail = f" RETURNING {qn(str(meta.pk.column))}" if keys is not None else ""
            cursor.execute(
                f"{head}SELECT {', '.join(names)} "  # noqa: S608 - identifiers only
                f"FROM jsonb_to_recordset(%s::jsonb) AS r({record}) {on_conflict}{tail}",
                [document],
            )
            if keys is not None:
                keys.extend(int(key) for (key,) in cursor.fetchall())
            return cursor.rowcount
        # SQLite: one prepared single-row INSERT run for every row (`executemany`): no
        # parameter limit, no long multi-row SQL text to build and convert to qmark style.
        one = "(" + ", ".join(["%s"] * len(model_fields)) + ")"
        cursor.executemany(f"{head}VALUES {one} {on_conflict}", rows)
        inserted = cursor.rowcount
        if keys is not None:
            # The write transaction keeps every other writer out, and each row gets the next
            # rowid (one above the largest, AUTOINCREMENT or not): the keys are consecutive.
            cursor.execute("SELECT last_insert_rowid()")
            last = int(cursor.fetchone()[0])
            keys.extend(range(last - len(rows) + 1, last + 1))
        return inserted


def insert_rows(
    model: type[Model], fields: Sequence[str], rows: list[tuple[Any, ...]], on_conflict: str = ""
) -> None:
    """INSERT `rows` (tuples of `fields`' values) into `model`'s table with raw SQL.

    For bulk writers that own their table (the learning projection): no model instances, no
    per-value field preparation. Values must already be in the database's form: UUIDs as
    `db_uuid` gives them, datetimes through `connection.ops.adapt_datetimefield_value`, JSON
    as text on SQLite and as the value itself on PostgreSQL; Decimals may stay Decimals.
    `on_conflict`: an `ON CONFLICT (...) DO ...` clause (SQLite and PostgreSQL both take it;
    one statement must not meet the same key twice).
    """
    _insert_sql(model, fields, rows, on_conflict)


def insert_rows_returning_keys(
    model: type[Model], fields: Sequence[str], rows: list[tuple[Any, ...]]
) -> list[int]:
    """`insert_rows` for a table with an auto-incremented key: the new keys, in row order.

    For a bulk writer that needs the keys of what it inserts (the demo build's enrolments and
    self-study declarations), inside its transaction.
    """
    keys: list[int] = []
    _insert_sql(model, fields, rows, keys=keys)
    return keys


def db_uuid(value: uuid.UUID | None) -> Any:
    """Return a UUID in the form `insert_rows` takes (None stays None)."""
    return _db_uuid(value)


class _JsonText(str):
    """JSON text for a JSONField column, placed as is in `_insert_sql`'s document (PostgreSQL).

    A statement's payload is serialised before the lock (`PreparedStatement`); dumping it
    again inside the document would cost that time under the lock.
    """


# Stands for a `_JsonText` in the document until it is put in (random: no value holds it).
_JSON_MARK = f"json-text-{uuid.uuid4().hex}-"
_JSON_MARK_RE = re.compile(f'"{_JSON_MARK}(\\d+)"')


def _mark_json_text(row: tuple[Any, ...], columns: list[int], texts: list[str]) -> tuple[Any, ...]:
    marked = None
    for column in columns:
        value = row[column]
        if isinstance(value, _JsonText):
            marked = marked or list(row)
            marked[column] = f"{_JSON_MARK}{len(texts)}"
            texts.append(value)
    return row if marked is None else tuple(marked)


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _write_rows(rows: list[_Row], client: Client | None, now: datetime) -> None:
    """Insert the Statement rows and their agent and activity index rows.

    Equivalent to `bulk_create` of Statement, StatementAgent and StatementActivity instances:
    the values were converted before the lock (`PreparedStatement`), the way the fields
    would (`get_db_prep_save`); what is known only here (seq, voiding, stored) is added.
    """
    postgres = connection.vendor == "postgresql"
    stored = connection.ops.adapt_datetimefield_value(now)
    client_id = client.pk if client is not None else None
    statements: list[tuple[Any, ...]] = []
    agents: list[tuple[Any, ...]] = []
    activities: list[tuple[Any, ...]] = []
    for row in rows:
        index = row.index
        ident = row.db_id
        statements.append(
            (
                ident,
                row.seq,
                # PostgreSQL: the text goes into `_insert_sql`'s document as JSON, not a string.
                _JsonText(row.payload_json) if postgres else row.payload_json,
                *row.db_values,
                row.voided,
                _uuid_form(row.voided_by, postgres) if row.voided_by else None,
                row.db_timestamp or stored,  # none sent: the stored time (2.4.7)
                stored,
                client_id,
                row.has_attachments,
            )
        )
        for full_ifi, related in index.agents.items():
            ifi = full_ifi[:512]  # as stored
            agents.append((ident, row.seq, ifi, index_key(ifi), related))
        activities.extend(
            (ident, row.seq, iri, index_key(iri), related)
            for iri, related in index.activities.items()
        )
    if postgres:
        # Another shared writer may be storing one of these ids (`_insert_side_by_side`).
        inserted = _insert_sql(Statement, _STATEMENT_COLUMNS, statements, _SKIP_STORED_ID)
        if inserted < len(statements):
            raise _LostRace
    else:
        _insert_sql(Statement, _STATEMENT_COLUMNS, statements)
    _insert_sql(StatementAgent, [c.format(name="ifi") for c in _INDEX_COLUMNS], agents)
    _insert_sql(StatementActivity, [c.format(name="iri") for c in _INDEX_COLUMNS], activities)


def _resolve_references(fresh: list[str], indexes: dict[str, StatementIndex]) -> None:
    """Check voiding targets and let a statement match what its StatementRef target matches.

    Communication 2.1.3 "Filter Conditions for StatementRefs": a statement whose object is a
    StatementRef meets the agent and activity filters its target meets, recursively; the
    target's index rows (its own and its own target's) are copied onto it. A stored target's
    rows are worked out again from its payload (`_stored_indexes`), so the index tables need
    no index by statement. A target that arrives later is not propagated back (docs/xapi.md).
    Data 2.3.2: a voiding statement that targets a voiding statement is invalid: refused.
    """
    targets = {i.ref_id for i in indexes.values() if i.ref_id}
    if not targets:
        return
    known = dict(_stored_indexes(targets - indexes.keys()))
    for position, statement_id in enumerate(fresh):
        index = indexes[statement_id]
        if not index.ref_id:
            continue
        # A target earlier in the batch already holds its own target's rows.
        target = indexes.get(index.ref_id) or known.get(index.ref_id)
        if target is None:
            continue
        if index.is_voiding and target.is_voiding:
            raise XapiError(
                400,
                "A voiding statement cannot target another voiding statement (Data 2.3.2).",
                f"statements[{position}].object.id" if len(fresh) > 1 else "object.id",
            )
        _copy_rows(target, index)


def _copy_rows(source: StatementIndex, into: StatementIndex) -> None:
    """Let `into` match the agents and activities `source` matches, as related (2.1.3)."""
    for ifi, related in source.agents.items():
        into.agents[ifi] = into.agents.get(ifi, True) and related
    for iri, related in source.activities.items():
        into.activities[iri] = into.activities.get(iri, True) and related


_MAX_REFERENCE_DEPTH = 10


def _stored_indexes(ids: set[str]) -> dict[str, StatementIndex]:
    """Return the index of each stored statement among `ids`, with its targets' rows.

    The same rows the store wrote for it, from its payload: its own, then (for a
    StatementRef) those of its target, recursively, to _MAX_REFERENCE_DEPTH levels; a chain
    that comes back on itself stops there.
    """
    found: dict[str, StatementIndex] = {}
    wanted = set(ids)
    for _level in range(_MAX_REFERENCE_DEPTH):
        if not wanted:
            break
        payloads = _stored_payloads([uuid.UUID(i) for i in wanted])
        fresh = {str(ident): index_statement(payload) for ident, payload in payloads.items()}
        found.update(fresh)
        wanted = {i.ref_id for i in fresh.values() if i.ref_id} - found.keys()
    done: set[str] = set()

    def complete(sid: str, path: frozenset[str]) -> None:
        index = found[sid]
        if sid in done or not index.ref_id or index.ref_id in path or index.ref_id not in found:
            done.add(sid)
            return
        complete(index.ref_id, path | {sid})
        _copy_rows(found[index.ref_id], index)
        done.add(sid)

    for sid in list(found):
        complete(sid, frozenset())
    return {sid: found[sid] for sid in ids if sid in found}


def _apply_voiding(rows: list[_Row]) -> None:
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
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ref_id, id FROM {table} WHERE {_uuid_list_sql('ref_id')} AND is_voiding",  # noqa: S608 - identifiers only
            [_uuid_list_param(by_id)],
        )
        late = [(_from_db_uuid(target), _from_db_uuid(voider)) for target, voider in cursor]
    for late_target, late_voider in late:
        row = by_id.get(late_target)
        if row is not None and not row.is_voiding:
            row.voided = True
            row.voided_by = late_voider


class _KnownDefinitions(threading.local):
    """This thread's copy of canonical Activity definitions, valid for one version.

    Checking a batch's definitions against the stored ones was a query (and the decoding of
    every definition it returned) under the lock for each batch, though a course's definition
    almost never changes. Every change of a canonical definition, in any process, stores a
    new random version in the `activities` counter row (in the same transaction, so a
    rollback restores the old one); this copy is used only while the stored version is the
    one it was filled at, and emptied otherwise. Read and filled in the write; one copy per
    thread, since PostgreSQL writes of one process may run side by side (a Lifelong
    service's next to a group's).
    """

    def __init__(self) -> None:
        self.version: int | None = None
        self.definitions: dict[str, dict[str, Any]] = {}  # iri_hash -> canonical definition

    def current(self) -> None:
        """Empty this copy unless it belongs to the stored version (one single-row query)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT value FROM lrs_sequencecounter WHERE name = %s", [ACTIVITIES_VERSION]
            )
            row = cursor.fetchone()
        if row is None:
            # A store without the row yet (new, or from before it): give it a version.
            self.definitions = {}
            self.changed()
        elif int(row[0]) != self.version:
            self.definitions = {}
            self.version = int(row[0])

    def lock(self) -> None:
        """Lock the version row to commit (PostgreSQL): definitions change one write at a time.

        Empties this copy if another write changed them meanwhile.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT value FROM lrs_sequencecounter WHERE name = %s FOR UPDATE",
                [ACTIVITIES_VERSION],
            )
            row = cursor.fetchone()
        if row is not None and int(row[0]) != self.version:
            self.definitions = {}
            self.version = int(row[0])

    def changed(self) -> None:
        """Record that this transaction changes canonical definitions: a new version."""
        version = secrets.randbits(62)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE lrs_sequencecounter SET value = %s WHERE name = %s",
                [version, ACTIVITIES_VERSION],
            )
            if cursor.rowcount == 0:
                # The first change in this store (or one emptied by hand). Two first writers
                # on PostgreSQL: the second waits for the first's row, then sets its own.
                cursor.execute(
                    "INSERT INTO lrs_sequencecounter (name, value) VALUES (%s, %s) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    [ACTIVITIES_VERSION, version],
                )
        self.version = version


_known = _KnownDefinitions()


def _update_activities(definitions: list[tuple[str, dict[str, Any]]]) -> None:
    """Merge new statements' Activity definitions into the canonical ones (2.4.4.1).

    `definitions`: (IRI, definition) pairs in statement order (`PreparedStatement`).
    """
    received: dict[str, dict[str, Any]] = {}
    for iri, definition in definitions:
        merged = received.get(iri)
        # Merging a definition into an equal one changes nothing.
        if merged != definition:
            received[iri] = merge_definition(merged or {}, definition)
    if not received:
        return
    _known.current()
    hashes: dict[str, str] = {}
    for iri, definition in received.items():
        digest = iri_hash(iri)
        cached = _known.definitions.get(digest)
        if cached is None or merge_definition(cached, definition) != cached:
            hashes[digest] = iri  # unknown here, or it changes the canonical definition
    if not hashes:
        return
    if connection.vendor == "postgresql":
        # Writers run side by side there: the lookup below and the writes after it must not
        # interleave with another write's.
        _known.lock()
    known = {
        digest: (pk, definition)
        for pk, digest, definition in Activity.objects.filter(
            iri_hash__in=list(hashes)
        ).values_list("pk", "iri_hash", "definition")
    }
    changed: list[Activity] = []
    created: list[Activity] = []
    canonical: dict[str, dict[str, Any]] = {}
    for digest, iri in hashes.items():
        found = known.get(digest)
        if found is None:
            created.append(Activity(iri=iri, iri_hash=digest, definition=received[iri]))
            canonical[digest] = received[iri]
            continue
        pk, definition = found
        merged = merge_definition(definition, received[iri])
        canonical[digest] = merged
        if merged != definition:
            # Only `definition` is written (bulk_update below), as before.
            changed.append(Activity(pk=pk, iri=iri, iri_hash=digest, definition=merged))
    if created:
        # Writers of definitions are serialised (the SQLite write, the version row's lock on
        # PostgreSQL): the lookup above is exact, and no conflict is expected here.
        Activity.objects.bulk_create(created, ignore_conflicts=True)
    if changed:
        Activity.objects.bulk_update(changed, ["definition"])
    if created or changed:
        _known.changed()
    _known.definitions.update(canonical)


def canonical_definitions(iris: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return the canonical definitions of the given Activity ids (those the store knows)."""
    hashes = {iri_hash(iri): iri for iri in iris}
    return {
        hashes[digest]: definition
        for digest, definition in Activity.objects.filter(iri_hash__in=list(hashes)).values_list(
            "iri_hash", "definition"
        )
    }
