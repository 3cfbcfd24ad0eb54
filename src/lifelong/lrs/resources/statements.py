"""The Statement resource, /xapi/statements (xAPI 1.0.3 Communication 2.1).

Thin: parses the request (JSON or multipart/mixed with attachments, Communication 1.5.2),
checks the client's scopes (Communication 4.2), calls `store.store_statements` or the
query functions, and renders the answer with its headers (X-Experience-API-Consistent-
Through on every GET and HEAD; Last-Modified on a single statement).
"""

import json
import uuid
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date

from lifelong.lrs import query as q
from lifelong.lrs import sequence
from lifelong.lrs.http import XapiError, XRequest, error_response, json_response, xapi_view
from lifelong.lrs.models import Attachment, Scope, Statement
from lifelong.lrs.multipart import (
    MultipartError,
    attachment_parts,
    build_multipart,
    parse_multipart,
)
from lifelong.lrs.signatures import SignatureError, check_signatures
from lifelong.lrs.store import canonical_definitions, format_stored, store_statements
from lifelong.lrs.validation import is_uuid

__all__ = ["MAX_BODY_BYTES", "statements"]

# The largest request body accepted (docs/xapi.md); larger ones answer 413.
MAX_BODY_BYTES = 32 * 1024 * 1024
WRITE_SCOPES = (Scope.STATEMENTS_WRITE,)
READ_SCOPES = (Scope.STATEMENTS_READ, Scope.STATEMENTS_READ_MINE, Scope.ALL_READ)
CONSISTENT_THROUGH = "X-Experience-API-Consistent-Through"


@xapi_view(methods=["GET", "PUT", "POST"])
def statements(xreq: XRequest) -> HttpResponse:
    """Answer PUT, POST, GET and HEAD on the Statement resource."""
    try:
        if xreq.method in {"GET", "HEAD"}:
            response = _get(xreq)
        elif xreq.method == "PUT":
            response = _put(xreq)
        else:
            response = _post(xreq)
    except XapiError as exc:
        response = error_response(exc)
    # Communication 2.1.3.s2.b5: on every response to a GET, whatever its status (HEAD is a
    # GET without the body). Statements are visible as soon as their transaction commits, so
    # "now" is consistent, unless a write is still in flight (PostgreSQL): then when the
    # oldest such began. Writes do not pay for working that out.
    if xreq.method in {"GET", "HEAD"}:
        response[CONSISTENT_THROUGH] = format_stored(sequence.consistent_through(timezone.now()))
    return response


#
# Writing
#


def _check_write(xreq: XRequest) -> None:
    if not xreq.has_scope(*WRITE_SCOPES):
        raise XapiError(
            403, "This client may not write statements (scope statements/write).", "Authorization"
        )


def _parse_body(xreq: XRequest) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    """Return the statement JSON of a request and its attachment parts by SHA-2."""
    if len(xreq.body) > MAX_BODY_BYTES:
        raise XapiError(413, f"The request body exceeds {MAX_BODY_BYTES} bytes.", "body")
    if xreq.content_type == "multipart/mixed":
        try:
            parts = parse_multipart(xreq.body, xreq.content_type_header)
            if parts[0].content_type != "application/json":
                raise MultipartError(
                    "The first part must be the application/json statements.",
                    "part[0].Content-Type",
                )
            found = attachment_parts(parts)
            data = json.loads(parts[0].content.decode("utf-8"))
        except MultipartError as exc:
            raise XapiError(400, exc.message, exc.path) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise XapiError(400, f"The statement part is not valid JSON: {exc}", "part[0]") from exc
        return data, found
    if xreq.content_type not in {"application/json", ""}:
        raise XapiError(
            400, "Statements are sent as application/json or multipart/mixed.", "Content-Type"
        )
    if not xreq.body.strip():
        raise XapiError(400, "The request has no statement.", "body")
    return xreq.json(), {}


def _check_signatures(batch: list[Any], parts: dict[str, tuple[str, bytes]]) -> None:
    try:
        check_signatures(batch, parts)
    except SignatureError as exc:
        path = exc.path.removeprefix("statements[0].") if len(batch) == 1 else exc.path
        raise XapiError(400, exc.message, path) from exc


def _put(xreq: XRequest) -> HttpResponse:
    _check_write(xreq)
    unknown = sorted(set(xreq.params) - {"statementId"})
    if unknown:
        raise XapiError(400, f"Unknown parameter {unknown[0]!r}.", unknown[0])
    statement_id = xreq.params.get("statementId")
    if statement_id is None:
        raise XapiError(400, "PUT needs the statementId parameter.", "statementId")
    if not is_uuid(statement_id):
        raise XapiError(400, "statementId must be a UUID.", "statementId")
    data, parts = _parse_body(xreq)
    if not isinstance(data, dict):
        raise XapiError(400, "PUT stores one statement (a JSON object).", "body")
    if "id" in data and str(data["id"]).lower() != statement_id.lower():
        # Communication 2.1.1.s3.b3: the id, where given, matches statementId.
        raise XapiError(400, "The statement id does not match statementId.", "id")
    data = {**data, "id": statement_id.lower()}
    _check_signatures([data], parts)
    store_statements([data], client=xreq.client, attachments=parts, background=True)
    return HttpResponse(status=204)


def _post(xreq: XRequest) -> HttpResponse:
    _check_write(xreq)
    if xreq.params:
        name = sorted(xreq.params)[0]
        raise XapiError(400, f"POST to statements takes no parameter {name!r}.", name)
    data, parts = _parse_body(xreq)
    batch = data if isinstance(data, list) else [data]
    if not batch:
        raise XapiError(400, "The batch holds no statement.", "statements")
    _check_signatures(batch, parts)
    # The consumers (the learning projection) run on the background thread: the answer
    # does not wait for them (lrs.hooks).
    ids = store_statements(batch, client=xreq.client, attachments=parts, background=True)
    return json_response(ids)


#
# Reading
#


def _get(xreq: XRequest) -> HttpResponse:
    if not xreq.has_scope(*READ_SCOPES):
        raise XapiError(
            403, "This client may not read statements (scope statements/read).", "Authorization"
        )
    mine_only = not xreq.has_scope(Scope.STATEMENTS_READ, Scope.ALL_READ)
    params = xreq.params
    single = set(q.SINGLE_PARAMS.intersection(params))
    if single:
        return _get_one(xreq, params, single, mine_only)
    if "more" in params:
        if set(params) - {"more"}:
            raise XapiError(400, "A more link takes no other parameter.", "more")
        query = q.query_from_more(params["more"])
    else:
        query = q.parse_query(params)
    found, next_query = q.find_statements(query, client=xreq.client, mine_only=mine_only)
    languages = q.parse_accept_language(xreq.header("accept-language"))
    canonical = (
        canonical_definitions(q.activity_ids(found)) if query.format == "canonical" else None
    )
    result: dict[str, Any] = {
        "statements": [
            q.format_statement(s, query.format, canonical=canonical, languages=languages)
            for s in found
        ],
        "more": "",
    }
    if next_query is not None:
        result["more"] = f"{xreq.raw.path}?more={q.more_token(next_query)}"
    return _render(result, found, query.attachments)


def _get_one(
    xreq: XRequest, params: dict[str, str], single: set[str], mine_only: bool
) -> HttpResponse:
    if len(single) > 1:
        raise XapiError(
            400, "Give statementId or voidedStatementId, not both.", "voidedStatementId"
        )
    name = single.pop()
    others = sorted(set(params) - {name} - q.COMMON_PARAMS)
    if others:
        # Communication 2.1.3.s2.b2.
        raise XapiError(400, f"{name} allows only format and attachments besides it.", others[0])
    fmt, attachments = q.parse_common(params)
    if not is_uuid(params[name]):
        raise XapiError(400, f"{name} must be a UUID.", name)
    rows = Statement.objects.filter(
        id=uuid.UUID(params[name]), voided=(name == "voidedStatementId")
    )
    if mine_only:
        rows = rows.filter(client=xreq.client)
    row = rows.only("payload", "stored").first()
    if row is None:
        # Communication 2.1.4: a voided statement is found only by voidedStatementId.
        raise XapiError(404, "No such statement.", name)
    languages = q.parse_accept_language(xreq.header("accept-language"))
    canonical = canonical_definitions(q.activity_ids([row.payload])) if fmt == "canonical" else None
    body = q.format_statement(row.payload, fmt, canonical=canonical, languages=languages)
    response = _render(body, [row.payload], attachments)
    # Communication 2.1.3.s2.b8.
    response["Last-Modified"] = http_date(row.stored.timestamp())
    return response


def _render(body: Any, payloads: list[dict[str, Any]], attachments: bool) -> HttpResponse:
    if not attachments:
        return json_response(body)
    wanted = {
        a["sha2"].lower()
        for p in payloads
        for a in p.get("attachments") or []
        if isinstance(a, dict) and "sha2" in a
    }
    stored = Attachment.objects.filter(sha2__in=sorted(wanted)).values_list(
        "sha2", "content_type", "content"
    )
    content, content_type = build_multipart(
        q.dumps(body).encode("utf-8"),
        [(sha2, ctype, bytes(data)) for sha2, ctype, data in stored],
    )
    return HttpResponse(content, content_type=content_type)
