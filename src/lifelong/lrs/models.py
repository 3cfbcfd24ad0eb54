"""The xAPI store's tables: clients, statements and their index rows, attachments, documents.

Statements are append-only: a correction is a voiding statement plus a new one, never an
edit. Only two columns of a stored statement ever change after insert, both derived from a
later voiding statement: `voided` and `voided_by`.
"""

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from lifelong.lrs.indexkey import index_key

#
# Clients
#


class Scope(models.TextChoices):
    """OAuth scope names of xAPI 1.0.3 (Communication 4.1), used for Basic clients too."""

    STATEMENTS_WRITE = "statements/write", "statements/write"
    STATEMENTS_READ = "statements/read", "statements/read"
    STATEMENTS_READ_MINE = "statements/read/mine", "statements/read/mine"
    STATE = "state", "state"
    DEFINE = "define", "define"
    PROFILE = "profile", "profile"
    ALL_READ = "all/read", "all/read"
    ALL = "all", "all"


class Client(models.Model):
    """An e-learning system allowed to talk to the store, with its own key and secret.

    The secret is a random 256-bit value shown once; only its SHA-256 digest is kept, so a
    check costs microseconds (no slow password hash on every xAPI request).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    key = models.CharField(_("key"), max_length=64, unique=True)
    secret_digest = models.CharField(_("secret digest"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    # The Agent (or Group) set as `authority` on every statement this client stores.
    authority = models.JSONField(_("authority"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("LRS client")
        verbose_name_plural = _("LRS clients")

    def __str__(self) -> str:
        return self.name


#
# Statements
#


class Statement(models.Model):
    """One stored xAPI statement, with indexed columns for every query parameter.

    `seq` is the store's durable, monotonic sequence (`lrs.sequence`: in commit order on
    SQLite, read only up to a high-water mark on PostgreSQL): it keeps `more` paging stable
    while statements arrive and drives the `statements_stored` hook's cursors.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    seq = models.BigIntegerField(unique=True)
    payload = models.JSONField()
    # Not indexed: the agent filter and the Agents resource read the agent index rows
    # (StatementAgent); an index here cost every insert a random B-tree leaf.
    actor_ifi = models.CharField(max_length=512)
    verb_iri = models.CharField(max_length=2048)
    activity_iri = models.CharField(max_length=2048, blank=True)
    registration = models.UUIDField(null=True, blank=True)
    # The statement a StatementRef object points to (voiding and statement references).
    ref_id = models.UUIDField(null=True, blank=True, db_index=True)
    is_voiding = models.BooleanField(default=False)
    voided = models.BooleanField(default=False)
    voided_by = models.UUIDField(null=True, blank=True)
    # Not indexed: no query filters or sorts by it (since/until are on `stored`).
    timestamp = models.DateTimeField()
    stored = models.DateTimeField()
    # Indexed with seq (lrs_stmt_client_seq), which also serves the foreign key.
    client = models.ForeignKey(
        Client,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        db_index=False,
    )
    has_attachments = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["-stored", "-seq"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes: ClassVar = [
            models.Index(fields=["verb_iri", "seq"], name="lrs_stmt_verb_seq"),
            models.Index(fields=["registration", "seq"], name="lrs_stmt_registration_seq"),
            models.Index(fields=["stored", "seq"], name="lrs_stmt_stored_seq"),
            models.Index(fields=["client", "seq"], name="lrs_stmt_client_seq"),
        ]

    def __str__(self) -> str:
        return str(self.id)


class StatementAgent(models.Model):
    """An agent a statement mentions, for `agent` and `related_agents` queries."""

    # No index by statement (every insert would pay for it; nothing queries by it: a
    # StatementRef target's rows are worked out from its payload, store._stored_indexes).
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="agents", db_index=False
    )
    seq = models.BigIntegerField()
    ifi = models.CharField(max_length=512)
    # `lrs.indexkey.index_key(ifi)`: what the index holds instead of the IFI's text.
    ifi_key = models.BigIntegerField()
    # False: the statement's actor or its Agent object (what a plain `agent` query matches);
    # True: anywhere else (authority, context instructor/team, sub-statements, group members).
    related_only = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["seq"]
        # One index serves `agent` (key, related_only false) and `related_agents` (its key
        # prefix): the query sorts the matching statements by seq either way.
        indexes: ClassVar = [
            models.Index(fields=["ifi_key", "related_only", "seq"], name="lrs_agent_key_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.ifi} ({self.statement_id})"

    @classmethod
    def matching(cls, ifi: str) -> "models.QuerySet[StatementAgent]":
        """The rows of `ifi`: by its key (what the index holds), then by its text."""
        return cls.objects.filter(ifi_key=index_key(ifi), ifi=ifi)


class StatementActivity(models.Model):
    """An activity a statement mentions, for `activity` and `related_activities` queries."""

    # No index by statement, as for StatementAgent.
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="activities", db_index=False
    )
    seq = models.BigIntegerField()
    iri = models.CharField(max_length=2048)
    # `lrs.indexkey.index_key(iri)`, as for StatementAgent.
    iri_key = models.BigIntegerField()
    # False: the statement's object; True: context activities or sub-statement activities.
    related_only = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["seq"]
        indexes: ClassVar = [
            models.Index(fields=["iri_key", "related_only", "seq"], name="lrs_activity_key_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.iri} ({self.statement_id})"

    @classmethod
    def matching(cls, iri: str) -> "models.QuerySet[StatementActivity]":
        """The rows of `iri`: by its key (what the index holds), then by its text."""
        return cls.objects.filter(iri_key=index_key(iri), iri=iri)


class Attachment(models.Model):
    """An attachment's raw content, stored once by its SHA-2 hash."""

    sha2 = models.CharField(max_length=128, primary_key=True)
    content_type = models.CharField(max_length=255)
    length = models.PositiveBigIntegerField()
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["sha2"]

    def __str__(self) -> str:
        return self.sha2


class SequenceCounter(models.Model):
    """Named counters: `statements` numbers SQLite's inserts (`lrs.sequence`), and more."""

    name = models.CharField(max_length=32, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class HookCursor(models.Model):
    """How far one `statements_stored` consumer has processed the sequence."""

    consumer = models.CharField(max_length=100, primary_key=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["consumer"]

    #
    # Activities, agents and documents
    #

    def __str__(self) -> str:
        return f"{self.consumer}@{self.position}"


class Activity(models.Model):
    """The canonical definition of an activity, merged from statements (Data 2.4.4.1)."""

    iri = models.CharField(max_length=2048)
    iri_hash = models.CharField(max_length=64, unique=True)
    definition = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["iri_hash"]
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.iri


class DocumentKind(models.TextChoices):
    """The three document resources."""

    STATE = "state", "state"
    ACTIVITY_PROFILE = "activity_profile", "activity profile"
    AGENT_PROFILE = "agent_profile", "agent profile"


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document (Communication 2.2–2.7).

    Empty strings stand for "absent" in the key columns, so one unique constraint covers all
    three kinds on both databases (NULLs are never equal in a unique index). The IRIs and ids
    are unbounded text; only their hashes are indexed, which keeps every index row short on
    PostgreSQL whatever the IRIs' length (`lrs.documents` computes both hashes).
    """

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    activity_iri = models.TextField(blank=True)
    agent_ifi = models.TextField(blank=True)
    registration = models.CharField(max_length=36, blank=True)
    doc_id = models.TextField()
    # sha256 of (kind, activity, agent): what a multiple-document GET or DELETE selects.
    context_hash = models.CharField(max_length=64)
    # sha256 of (kind, activity, agent, registration, id): one document.
    key_hash = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    # SHA-1 hex of the content (Communication 3.1), kept unquoted.
    etag = models.CharField(max_length=40)
    updated = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["context_hash", "updated"]
        indexes: ClassVar = [
            models.Index(fields=["context_hash", "updated"], name="lrs_document_context"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.doc_id}"


def new_uuid() -> uuid.UUID:
    """Return a fresh statement id (UUID version 4)."""
    return uuid.uuid4()
