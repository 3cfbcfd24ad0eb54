"""Document storage behind the State, Activity Profile and Agent Profile resources.

xAPI 1.0.3 Communication 2.2 (documents and the JSON merge of POST), 2.3/2.6/2.7 (the three
resources) and 3.1 (concurrency with ETags). The pure parts (key hashing, ETags, precondition
checks, the merge, parameter checks) come first; the reads and writes of the `Document` table
follow. Each write is one transaction that locks the document's row before it checks the
preconditions, so two writers holding the same ETag cannot both win (PostgreSQL: `SELECT ...
FOR UPDATE`; SQLite: `BEGIN IMMEDIATE` serialises writers, settings.py). A concurrent first
insert of the same key loses on the unique `key_hash` and is retried, now seeing the row.
Last comes the HTTP handling the three resources share (`handle_document_request`).
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date

from lifelong.lrs.agents import parse_agent_param
from lifelong.lrs.http import XapiError, XRequest
from lifelong.lrs.models import Document, Scope
from lifelong.lrs.validation import is_iri, parse_timestamp

__all__ = [
    "DEFAULT_CONTENT_TYPE",
    "DocumentKey",
    "DocumentResource",
    "check_preconditions",
    "compute_etag",
    "delete_document",
    "delete_documents",
    "get_document",
    "handle_document_request",
    "is_json_media_type",
    "key_digest",
    "list_document_ids",
    "merge_json",
    "parse_activity_id",
    "parse_agent",
    "parse_etags",
    "parse_registration",
    "parse_since",
    "post_document",
    "put_document",
    "quote_etag",
]

# Communication 1.5: documents may have any content type; one sent without gets this one.
DEFAULT_CONTENT_TYPE = "application/octet-stream"
JSON_MEDIA_TYPE = "application/json"
MAX_CONTENT_TYPE_LENGTH = 255
# How often a write is retried after losing a first-insert race on the same key.
WRITE_ATTEMPTS = 3

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")

#
# Keys
#


def key_digest(*parts: str) -> str:
    """Return the SHA-256 hex digest of a tuple of strings, unambiguous whatever they hold.

    The parts are JSON-encoded as a list first, so no separator inside an IRI can make two
    different tuples collide.
    """
    encoded = json.dumps(list(parts), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DocumentKey:
    """What names one document: its kind, context (activity, agent, registration) and id.

    Absent parts are empty strings: a State has all four, an Activity Profile only the
    activity and id, an Agent Profile only the agent and id.
    """

    kind: str
    activity_iri: str = ""
    agent_ifi: str = ""
    registration: str = ""
    doc_id: str = ""

    @property
    def context_hash(self) -> str:
        """Return the hash of the context a multiple-document GET or DELETE selects."""
        return key_digest(self.kind, self.activity_iri, self.agent_ifi)

    @property
    def key_hash(self) -> str:
        """Return the hash that identifies this one document (unique in the table)."""
        return key_digest(
            self.kind, self.activity_iri, self.agent_ifi, self.registration, self.doc_id
        )


#
# ETags and preconditions (Communication 3.1, RFC 2616 14.24 and 14.26)
#


def compute_etag(content: bytes) -> str:
    """Return the ETag of a document: the lower-case SHA-1 hex digest of its content."""
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def quote_etag(etag: str) -> str:
    """Return an ETag as an HTTP header value (Communication 3.1.s4.b4: in quotes)."""
    return f'"{etag}"'


def parse_etags(header: str) -> list[str]:
    """Return the entity tags of an If-Match / If-None-Match header, unquoted; `*` kept.

    Weak tags (`W/"..."`) compare by their opaque value: a document has one representation,
    so weak and strong comparison agree.
    """
    tags = []
    for raw in header.split(","):
        tag = raw.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if len(tag) >= 2 and tag[0] == tag[-1] == '"':
            tag = tag[1:-1]
        if tag:
            tags.append(tag.lower() if tag != "*" else tag)
    return tags


def check_preconditions(current_etag: str | None, if_match: str, if_none_match: str) -> None:
    """Refuse with 412 a write whose If-Match / If-None-Match does not hold.

    `current_etag` is None when no document exists. If-Match holds when it is `*` and the
    document exists, or names its ETag; If-None-Match fails when it is `*` and the document
    exists, or names its ETag (RFC 2616 14.24 and 14.26; Communication 3.1.s4.b5 to b12).
    """
    if if_match.strip():
        tags = parse_etags(if_match)
        if current_etag is None:
            raise XapiError(
                412,
                "If-Match was given but no document exists; use If-None-Match: * to create it.",
                "If-Match",
            )
        if "*" not in tags and current_etag not in tags:
            raise XapiError(
                412,
                "If-Match does not match the document's current ETag "
                f"{quote_etag(current_etag)}: it changed since you read it.",
                "If-Match",
            )
    if if_none_match.strip() and current_etag is not None:
        tags = parse_etags(if_none_match)
        if "*" in tags or current_etag in tags:
            raise XapiError(412, "If-None-Match: the document exists already.", "If-None-Match")


#
# Content (Communication 2.2 "JSON Procedure with Requirements")
#


def is_json_media_type(content_type: str) -> bool:
    """Return whether a Content-Type header names application/json (parameters ignored)."""
    return content_type.split(";", 1)[0].strip().lower() == JSON_MEDIA_TYPE


def _json_value(content: bytes, path: str) -> Any:
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise XapiError(
            400, f"The document's Content-Type is application/json but it is not JSON: {exc}", path
        ) from exc


def check_json_content(content: bytes, content_type: str) -> None:
    """Refuse with 400 content labelled application/json that does not parse as JSON."""
    if is_json_media_type(content_type):
        _json_value(content, "content")


def merge_json(existing: bytes, existing_type: str, posted: bytes, posted_type: str) -> bytes:
    """Return the merge of a POSTed JSON object into the stored one (Communication 2.2.s7).

    Only top-level properties merge: each property of the posted object replaces the stored
    one whole. Refused with 400 unless both documents are application/json JSON objects
    (2.2.s8.b1); the caller then stores nothing.
    """
    if not is_json_media_type(posted_type):
        raise XapiError(
            400,
            "A POST to an existing document merges JSON objects: the posted document must be "
            f"application/json, not {posted_type or 'without a Content-Type'}.",
            "Content-Type",
        )
    if not is_json_media_type(existing_type):
        raise XapiError(
            400,
            "A POST to an existing document merges JSON objects, but the stored document is "
            f"{existing_type}; replace it with PUT instead.",
            "content",
        )
    new = _json_value(posted, "content")
    if not isinstance(new, dict):
        raise XapiError(400, "The posted document is not a JSON object.", "content")
    old = _json_value(existing, "content")
    if not isinstance(old, dict):
        raise XapiError(
            400, "The stored document is not a JSON object; replace it with PUT.", "content"
        )
    old.update(new)
    return json.dumps(old, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


#
# Parameters
#


def parse_registration(value: str, name: str = "registration") -> str:
    """Return a registration UUID in its canonical lower-case form, or refuse with 400."""
    if not _UUID.match(value):
        raise XapiError(400, f"{name} must be a UUID, got {value!r}.", name)
    return value.lower()


def parse_since(value: str, name: str = "since") -> datetime:
    """Return the aware datetime of an ISO 8601 timestamp parameter, or refuse with 400.

    The same parser as statement timestamps (Data 4.5): no offset means UTC.
    """
    parsed = parse_timestamp(value)
    if parsed is None:
        raise XapiError(400, f"{name} must be an ISO 8601 timestamp, got {value!r}.", name)
    return parsed


def parse_activity_id(value: str, name: str = "activityId") -> str:
    """Return an activityId parameter, or refuse with 400 when it is not an IRI."""
    if not is_iri(value):
        raise XapiError(400, f"{name} must be an IRI (with a scheme), got {value!r}.", name)
    return value


def parse_agent(raw: str, name: str = "agent") -> tuple[dict[str, Any], str]:
    """Parse an `agent` parameter: an Agent (or an identified Group's identifier) as JSON.

    Returns the object and its IFI string; 400 with the field path when the JSON is broken,
    the objectType is neither Agent nor Group, or the one identifier is malformed (Data
    2.4.2.3: mbox a mailto: IRI, mbox_sha1sum 40 hex digits, openid and homePage IRIs).
    """
    agent, ifi = parse_agent_param(raw, name)
    object_type = agent.get("objectType", "Agent")
    if object_type not in {"Agent", "Group"}:
        raise XapiError(400, "objectType must be 'Agent'.", f"{name}.objectType")
    if "name" in agent and not isinstance(agent["name"], str):
        raise XapiError(400, "name must be a string.", f"{name}.name")
    if "mbox" in agent and not _MAILTO.match(agent["mbox"]):
        raise XapiError(400, "mbox must be a mailto: IRI with an e-mail address.", f"{name}.mbox")
    if "mbox_sha1sum" in agent and not _SHA1.match(agent["mbox_sha1sum"]):
        raise XapiError(400, "mbox_sha1sum must be 40 hexadecimal digits.", f"{name}.mbox_sha1sum")
    if "openid" in agent and not is_iri(agent["openid"]):
        raise XapiError(400, "openid must be an IRI.", f"{name}.openid")
    if "account" in agent and not is_iri(agent["account"]["homePage"]):
        raise XapiError(400, "homePage must be an IRL.", f"{name}.account.homePage")
    return agent, ifi


#
# Reads
#


def get_document(key: DocumentKey) -> Document | None:
    """Return the document named by `key`, or None."""
    return Document.objects.filter(key_hash=key.key_hash).first()


def _context(
    kind: str, activity_iri: str, agent_ifi: str, registration: str | None
) -> QuerySet[Document]:
    rows = Document.objects.filter(
        context_hash=DocumentKey(kind, activity_iri, agent_ifi).context_hash
    )
    if registration is not None:
        rows = rows.filter(registration=registration)
    return rows


def list_document_ids(
    kind: str,
    *,
    activity_iri: str = "",
    agent_ifi: str = "",
    registration: str | None = None,
    since: datetime | None = None,
) -> tuple[list[str], datetime | None]:
    """Return the ids of a context's documents, and when the newest one was updated.

    `registration=None` selects every registration of a State context (Communication 2.3.s4:
    "+ registration if specified"); `since` is exclusive.
    """
    rows = _context(kind, activity_iri, agent_ifi, registration)
    if since is not None:
        rows = rows.filter(updated__gt=since)
    # One State id may exist under several registrations: list it once.
    ids: dict[str, None] = {}
    newest: datetime | None = None
    for doc_id, updated in rows.order_by("updated", "pk").values_list("doc_id", "updated"):
        ids[doc_id] = None
        newest = updated
    return list(ids), newest


#
# Writes
#


def _write(
    key: DocumentKey,
    build: Callable[[Document | None], tuple[bytes, str]],
    *,
    if_match: str,
    if_none_match: str,
    require_precondition: bool,
) -> Document:
    """Lock the document, check the preconditions, then store what `build` returns."""
    for _attempt in range(WRITE_ATTEMPTS):
        try:
            with transaction.atomic():
                current = Document.objects.select_for_update().filter(key_hash=key.key_hash).first()
                check_preconditions(current.etag if current else None, if_match, if_none_match)
                if require_precondition and not (if_match.strip() or if_none_match.strip()):
                    _refuse_unconditional_put(current)
                content, content_type = build(current)
                now = timezone.now()
                if current is None:
                    return Document.objects.create(
                        kind=key.kind,
                        activity_iri=key.activity_iri,
                        agent_ifi=key.agent_ifi,
                        registration=key.registration,
                        doc_id=key.doc_id,
                        context_hash=key.context_hash,
                        key_hash=key.key_hash,
                        content=content,
                        content_type=content_type,
                        etag=compute_etag(content),
                        updated=now,
                    )
                current.content = content
                current.content_type = content_type
                current.etag = compute_etag(content)
                current.updated = max(now, current.updated)
                current.save(update_fields=["content", "content_type", "etag", "updated"])
                return current
        except IntegrityError:
            # A concurrent request inserted the same key after our read: run again, this
            # time finding (and locking) its row, so the preconditions judge against it.
            continue
    raise XapiError(
        409, "The document is being written concurrently; fetch it and try again.", "content"
    )


def _refuse_unconditional_put(current: Document | None) -> None:
    # Communication 3.1.s3.b1: a PUT to a profile resource MUST carry If-Match or
    # If-None-Match. On an existing document the LRS MUST answer 409 explaining what to do
    # (3.1.s4.b13/b14); on a new one the conformance suite expects 400.
    if current is not None:
        raise XapiError(
            409,
            "The document exists already and this PUT has neither If-Match nor "
            "If-None-Match. Fetch the document to check its current state, then send "
            f"If-Match: {quote_etag(current.etag)} to replace it.",
            "If-Match",
        )
    raise XapiError(
        400,
        "A PUT to a profile document needs If-Match (to replace it) or If-None-Match: * "
        "(to create it).",
        "If-None-Match",
    )


def _content_type(content_type: str) -> str:
    value = content_type.strip() or DEFAULT_CONTENT_TYPE
    if len(value) > MAX_CONTENT_TYPE_LENGTH:
        raise XapiError(400, "The Content-Type header is too long.", "Content-Type")
    return value


def put_document(
    key: DocumentKey,
    content: bytes,
    content_type: str,
    *,
    if_match: str = "",
    if_none_match: str = "",
    require_precondition: bool = False,
) -> Document:
    """Store a document whole, replacing any previous one (PUT).

    `require_precondition` (the profile resources) refuses a PUT without If-Match or
    If-None-Match: 409 if the document exists, 400 if not. Content labelled
    application/json must parse as JSON (400), so a later POST can merge into it.
    """
    content_type = _content_type(content_type)
    check_json_content(content, content_type)
    return _write(
        key,
        lambda _current: (content, content_type),
        if_match=if_match,
        if_none_match=if_none_match,
        require_precondition=require_precondition,
    )


def post_document(
    key: DocumentKey,
    content: bytes,
    content_type: str,
    *,
    if_match: str = "",
    if_none_match: str = "",
) -> Document:
    """Store a new document, or merge a JSON object into the stored one (POST).

    Communication 2.2.s7: a POST to a missing document is a PUT; to an existing one, both
    must be application/json objects and the posted top-level properties replace the stored
    ones; otherwise 400 and nothing changes.
    """
    content_type = _content_type(content_type)
    check_json_content(content, content_type)

    def build(current: Document | None) -> tuple[bytes, str]:
        if current is None:
            return content, content_type
        merged = merge_json(bytes(current.content), current.content_type, content, content_type)
        return merged, current.content_type

    return _write(
        key, build, if_match=if_match, if_none_match=if_none_match, require_precondition=False
    )


def delete_document(key: DocumentKey, *, if_match: str = "", if_none_match: str = "") -> bool:
    """Delete one document; return whether it existed. Deleting a missing one is no error."""
    with transaction.atomic():
        current = Document.objects.select_for_update().filter(key_hash=key.key_hash).first()
        check_preconditions(current.etag if current else None, if_match, if_none_match)
        if current is None:
            return False
        current.delete()
        return True


def delete_documents(
    kind: str,
    *,
    activity_iri: str = "",
    agent_ifi: str = "",
    registration: str | None = None,
) -> int:
    """Delete every document of a context (State's multiple-document DELETE, 2.3.s5)."""
    with transaction.atomic():
        deleted, _by_model = _context(kind, activity_iri, agent_ifi, registration).delete()
    return deleted


#
# The HTTP handling the three document resources share
#


@dataclass(frozen=True)
class DocumentResource:
    """What tells the State, Activity Profile and Agent Profile resources apart.

    `scopes` may read and write (Communication 4.2: `state`, `profile`; `all` always may);
    `all/read` may read. `require_precondition` is Communication 3.1.s3: PUTs to the profile
    resources must carry If-Match or If-None-Match. `multi_delete`: a DELETE without the id
    deletes the whole context (State only, 2.3.s5).
    """

    kind: str
    id_param: str
    activity: bool
    agent: bool
    registration: bool
    scopes: tuple[str, ...]
    require_precondition: bool
    multi_delete: bool


def _check_params(xreq: XRequest, resource: DocumentResource) -> None:
    allowed = {resource.id_param}
    if resource.activity:
        allowed.add("activityId")
    if resource.agent:
        allowed.add("agent")
    if resource.registration:
        allowed.add("registration")
    if xreq.method in {"GET", "HEAD"}:
        allowed.add("since")
    for name in xreq.params:
        if name not in allowed:
            # Communication 3.2.s3.b7/b8: unknown parameters, and known ones in the wrong
            # case, are refused.
            raise XapiError(
                400,
                f"Unknown parameter {name!r} for {xreq.method} on this resource; expected "
                f"{', '.join(sorted(allowed))}.",
                name,
            )
    required = ["activityId"] if resource.activity else []
    required += ["agent"] if resource.agent else []
    if xreq.method in {"PUT", "POST"} or (xreq.method == "DELETE" and not resource.multi_delete):
        required.append(resource.id_param)
    for name in required:
        if name not in xreq.params:
            raise XapiError(400, f"The {name} parameter is required.", name)


def _check_scope(xreq: XRequest, resource: DocumentResource) -> None:
    reading = xreq.method in {"GET", "HEAD"}
    wanted = (*resource.scopes, Scope.ALL_READ) if reading else resource.scopes
    if not xreq.has_scope(*wanted):
        raise XapiError(
            403,
            f"This client may not {'read' if reading else 'write'} these documents; it needs "
            f"one of the scopes {', '.join([*wanted, Scope.ALL])}.",
            "Authorization",
        )


def _document_response(document: Document) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["ETag"] = quote_etag(document.etag)
    response["Last-Modified"] = http_date(document.updated.timestamp())
    return response


def _no_content(document: Document | None = None) -> HttpResponse:
    response = HttpResponse(status=204)
    if document is not None:
        response["ETag"] = quote_etag(document.etag)
        response["Last-Modified"] = http_date(document.updated.timestamp())
    return response


def handle_document_request(xreq: XRequest, resource: DocumentResource) -> HttpResponse:
    """Answer one request to a document resource: GET, PUT, POST or DELETE.

    Parameters are checked first (400 naming the parameter), then the client's scope (403),
    then the preconditions and content inside the write's transaction (409/412/400).
    """
    _check_scope(xreq, resource)
    _check_params(xreq, resource)
    params = xreq.params
    activity_iri = parse_activity_id(params["activityId"]) if resource.activity else ""
    agent_ifi = parse_agent(params["agent"])[1] if resource.agent else ""
    registration = parse_registration(params["registration"]) if "registration" in params else None
    since = parse_since(params["since"]) if "since" in params else None
    doc_id = params.get(resource.id_param)
    if_match = xreq.header("If-Match")
    if_none_match = xreq.header("If-None-Match")

    if doc_id is None:
        if xreq.method == "DELETE":
            delete_documents(
                resource.kind,
                activity_iri=activity_iri,
                agent_ifi=agent_ifi,
                registration=registration,
            )
            return _no_content()
        ids, newest = list_document_ids(
            resource.kind,
            activity_iri=activity_iri,
            agent_ifi=agent_ifi,
            registration=registration,
            since=since,
        )
        body = json.dumps(ids, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        response = HttpResponse(body, content_type=JSON_MEDIA_TYPE)
        # Communication 3.1.s4.b1: every GET carries an ETag; 2.2.s6.b2: Last-Modified is
        # that of the most recently modified document.
        response["ETag"] = quote_etag(compute_etag(body))
        if newest is not None:
            response["Last-Modified"] = http_date(newest.timestamp())
        return response

    key = DocumentKey(resource.kind, activity_iri, agent_ifi, registration or "", doc_id)
    if xreq.method in {"GET", "HEAD"}:
        document = get_document(key)
        if document is None:
            raise XapiError(
                404, f"No document with {resource.id_param} {doc_id!r} here.", resource.id_param
            )
        return _document_response(document)
    if xreq.method == "DELETE":
        delete_document(key, if_match=if_match, if_none_match=if_none_match)
        return _no_content()
    if xreq.method == "PUT":
        document = put_document(
            key,
            xreq.body,
            xreq.content_type_header,
            if_match=if_match,
            if_none_match=if_none_match,
            require_precondition=resource.require_precondition,
        )
    else:
        document = post_document(
            key,
            xreq.body,
            xreq.content_type_header,
            if_match=if_match,
            if_none_match=if_none_match,
        )
    return _no_content(document)
