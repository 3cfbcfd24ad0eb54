"""The HTTP layer every xAPI resource shares (xAPI 1.0.3 Communication part).

`xapi_view` wraps a resource handler so that it receives one normalised `XRequest`,
whatever the form of the request:

- CORS preflight and headers (Communication 1.5 "Cross Origin Requests");
- the alternate request syntax: a POST with `?method=` and a form body that carries the
  headers, parameters and content (Communication 1.3);
- the version header, required on every request but to About (Communication 3.3);
- HTTP Basic authentication of an LRS client, and its scopes (Communication 4);
- errors: an `XapiError` becomes its status with a JSON body naming what is wrong.
"""

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from lifelong.lrs.models import Client, Scope

__all__ = [
    "SUPPORTED_VERSIONS",
    "VERSION",
    "XRequest",
    "XapiError",
    "error_response",
    "json_response",
    "xapi_view",
]

VERSION = "1.0.3"
# Communication 3.3: an LRS accepts every 1.0.x version it knows; 1.0.0 to 1.0.3 here.
SUPPORTED_VERSIONS = frozenset({"1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3"})
ALTERNATE_METHODS = frozenset({"GET", "HEAD", "PUT", "POST", "DELETE"})
# Headers a client may send inside an alternate-syntax form body (Communication 1.3).
FORM_HEADERS = {
    "authorization": "Authorization",
    "x-experience-api-version": "X-Experience-API-Version",
    "content-type": "Content-Type",
    "content-length": "Content-Length",
    "if-match": "If-Match",
    "if-none-match": "If-None-Match",
}
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "HEAD, GET, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": (
        "Content-Type, Content-Length, Authorization, X-Experience-API-Version, If-Match, "
        "If-None-Match, X-Requested-With"
    ),
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Content-Type, X-Experience-API-Version, "
        "X-Experience-API-Consistent-Through"
    ),
    "Access-Control-Max-Age": "86400",
}


class XapiError(Exception):
    """A refused xAPI request: its status, what is wrong, and where (a field path)."""

    def __init__(self, status: int, message: str, path: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.path = path


@dataclass
class XRequest:
    """One xAPI request after CORS, alternate syntax, version and authentication."""

    method: str
    params: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    content_type: str  # the media type, without parameters, lower-case
    content_type_header: str  # as sent, with parameters (multipart boundary)
    client: Client | None
    version: str
    raw: HttpRequest = field(repr=False)

    def header(self, name: str, default: str = "") -> str:
        """Return a request header by case-insensitive name."""
        return self.headers.get(name.lower(), default)

    def has_scope(self, *wanted: str) -> bool:
        """Return whether the client holds one of `wanted` (or `all`)."""
        if self.client is None:
            return False
        scopes = set(self.client.scopes)
        return Scope.ALL in scopes or bool(scopes.intersection(wanted))

    def json(self, path: str = "") -> Any:
        """Parse the body as JSON, refusing malformed JSON with 400."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise XapiError(400, f"The request body is not valid JSON: {exc}", path) from exc


def json_response(data: Any, status: int = 200, **headers: str) -> HttpResponse:
    """Return `data` as an application/json response."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type="application/json",
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error_response(exc: XapiError) -> HttpResponse:
    """Return the JSON body of a refused request."""
    body: dict[str, Any] = {"error": {"status": exc.status, "message": exc.message}}
    if exc.path:
        body["error"]["path"] = exc.path
    response = json_response(body, status=exc.status)
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
    return response


def _finish(response: HttpResponse) -> HttpResponse:
    response["X-Experience-API-Version"] = VERSION
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


#
# Normalising the request
#


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _headers_of(request: HttpRequest) -> dict[str, str]:
    return {name.lower(): value for name, value in request.headers.items()}


def _alternate(
    request: HttpRequest, headers: dict[str, str]
) -> tuple[str, dict[str, str], dict[str, str], bytes]:
    """Unpack an alternate-syntax request into method, parameters, headers and body."""
    method = request.GET.get("method", "").upper()
    if method not in ALTERNATE_METHODS:
        raise XapiError(
            400, f"Unsupported method in the alternate request syntax: {method!r}.", "method"
        )
    if set(request.GET) != {"method"}:
        # Communication 1.3: every other parameter travels in the form body.
        raise XapiError(
            400,
            "With the alternate request syntax, only 'method' may be in the query string.",
            "method",
        )
    if _media_type(headers.get("content-type", "")) != "application/x-www-form-urlencoded":
        raise XapiError(
            400,
            "The alternate request syntax needs a form body (application/x-www-form-urlencoded).",
            "Content-Type",
        )
    form = dict(parse_qsl(request.body.decode("utf-8", errors="replace"), keep_blank_values=True))
    new_headers = {k: v for k, v in headers.items() if k not in {"content-type", "content-length"}}
    params: dict[str, str] = {}
    body = b""
    for key, value in form.items():
        lower = key.lower()
        if lower in FORM_HEADERS:
            new_headers[lower] = value
        elif key == "content":
            body = value.encode("utf-8")
        else:
            params[key] = value
    if body and "content-type" not in new_headers:
        new_headers["content-type"] = "application/json"
    return method, params, new_headers, body


def _params_of(query: QueryDict) -> dict[str, str]:
    params: dict[str, str] = {}
    for key in query:
        values = query.getlist(key)
        if len(values) > 1:
            raise XapiError(400, f"The parameter {key!r} is given more than once.", key)
        params[key] = values[0]
    return params


#
# Authentication
#


def secret_digest(secret: str) -> str:
    """Return the SHA-256 hex digest under which a client secret is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def authenticate(authorization: str) -> Client:
    """Return the active client of a Basic `Authorization` header, or raise 401."""
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise XapiError(
            401,
            "Authentication required: HTTP Basic with an LRS client's key and secret.",
            "Authorization",
        )
    try:
        key, _, secret = base64.b64decode(encoded.strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise XapiError(
            401, "The Authorization header is not valid Basic credentials.", "Authorization"
        ) from exc
    client = Client.objects.filter(key=key, revoked_at__isnull=True).first()
    # Compare digests in constant time; an unknown key costs the same as a wrong secret.
    expected = client.secret_digest if client is not None else "0" * 64
    if not hmac.compare_digest(expected, secret_digest(secret)) or client is None:
        raise XapiError(401, "Unknown key or wrong secret.", "Authorization")
    return client


#
# The decorator
#

Handler = Callable[[XRequest], HttpResponse]


def xapi_view(
    *,
    methods: Iterable[str],
    version_required: bool = True,
    auth_required: bool = True,
) -> Callable[[Handler], Callable[[HttpRequest], HttpResponse]]:
    """Wrap an xAPI resource handler: CORS, alternate syntax, version, auth and errors.

    `methods` are the HTTP methods the resource answers; HEAD is answered as GET without a
    body wherever GET is allowed (Communication 1.2).
    """
    allowed = {m.upper() for m in methods}
    if "GET" in allowed:
        allowed.add("HEAD")

    def decorate(handler: Handler) -> Callable[[HttpRequest], HttpResponse]:
        @csrf_exempt
        @wraps(handler)
        def view(request: HttpRequest) -> HttpResponse:
            if request.method == "OPTIONS":
                return _finish(HttpResponse(status=200))
            try:
                response = _dispatch(request, handler, allowed, version_required, auth_required)
            except XapiError as exc:
                response = error_response(exc)
            except RequestDataTooBig:
                # Communication 3.2.s3.b11: a body over the limit (DATA_UPLOAD_MAX_MEMORY_SIZE)
                # is 413, not Django's HTML 400.
                response = error_response(
                    XapiError(413, "The request body is larger than this LRS accepts.", "content")
                )
            return _finish(response)

        return view

    return decorate


def _dispatch(
    request: HttpRequest,
    handler: Handler,
    allowed: set[str],
    version_required: bool,
    auth_required: bool,
) -> HttpResponse:
    headers = _headers_of(request)
    method = (request.method or "GET").upper()
    if method == "POST" and "method" in request.GET:
        method, params, headers, body = _alternate(request, headers)
    else:
        params = _params_of(request.GET)
        body = request.body
    if method not in allowed:
        raise XapiError(405, f"Method {method} is not allowed on this resource.")
    version = headers.get("x-experience-api-version", "").strip()
    if version_required:
        if not version:
            raise XapiError(
                400, "The X-Experience-API-Version header is required.", "X-Experience-API-Version"
            )
        if version not in SUPPORTED_VERSIONS:
            raise XapiError(
                400,
                f"Unsupported xAPI version {version!r}; this LRS speaks 1.0.0 to 1.0.3.",
                "X-Experience-API-Version",
            )
    client = None
    if auth_required:
        client = authenticate(headers.get("authorization", ""))
    content_type_header = headers.get("content-type", "")
    xreq = XRequest(
        method=method,
        params=params,
        headers=headers,
        body=body,
        content_type=_media_type(content_type_header),
        content_type_header=content_type_header,
        client=client,
        version=version or VERSION,
        raw=request,
    )
    response = handler(xreq)
    if method == "HEAD":
        response.content = b""
    return response
