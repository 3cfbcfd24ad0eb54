"""The API's one error mapping: every error answers JSON with a `message`.

Domain errors keep their status (`NotFound` 404, `ValidationFailed` 400, `Conflict` 409);
malformed parameters answer 422 with the failing fields; a missing, invalid or revoked token
answers 401; anything unexpected answers 500 and is logged, never an HTML page.
"""

import logging
from typing import Any

from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from lifelong.core.exceptions import DomainError

__all__ = ["ErrorOut", "ValidationErrorOut", "ValidationIssue", "install", "responses"]

logger = logging.getLogger(__name__)


#
# Schemas: what an error answer looks like, for the OpenAPI document
#


class ErrorOut(Schema):
    """An error: a message for people and, for some errors, details for programs."""

    message: str = Field(description="What went wrong, in the caller's language.")
    details: dict[str, Any] | None = Field(
        None, description="Machine-readable context, e.g. per-field messages of a refusal."
    )


class ValidationIssue(Schema):
    """One malformed parameter."""

    loc: list[str | int] = Field(description='Where: e.g. ["query", "limit"].')
    msg: str = Field(description="Why the value was refused.")
    type: str = Field(description="A stable code of the failure, e.g. `int_parsing`.")


class ValidationErrorOut(Schema):
    """422: one or more parameters are malformed or out of range."""

    message: str
    errors: list[ValidationIssue]


# The schema of each error status an endpoint may declare.
ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def responses(ok: Any, *codes: int) -> dict[int, Any]:
    """Return an endpoint's response map: `ok` for 200 and the error schema of each code.

    Every endpoint declares exactly the statuses it can answer, so the OpenAPI document is
    the contract (401 for every authenticated endpoint, 404 where a key is looked up, 422
    where a parameter can be malformed).
    """
    return {200: ok, **{code: ERROR_SCHEMAS[code] for code in codes}}


#
# Handlers
#


def _issue(error: dict[str, Any]) -> dict[str, Any]:
    # Only the stable keys: pydantic's `ctx` may hold exception objects and `input` echoes
    # whatever the caller sent.
    return {
        "loc": list(error.get("loc", ())),
        "msg": str(error.get("msg", "")),
        "type": str(error.get("type", "")),
    }


def install(api: NinjaAPI) -> None:
    """Register the project's error handlers on `api`."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        body: dict[str, Any] = {"message": exc.message}
        if exc.details:
            body["details"] = exc.details
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = {
            "message": _("The request is not valid."),
            "errors": [_issue(e) for e in exc.errors],
        }
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request,
            {"message": _("Authentication required: send a valid bearer token.")},
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="lifelong"'  # RFC 6750 §3
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"message": _("Not found.")}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # django-ninja raises HttpError(403) itself when a session call misses its CSRF token.
        return api.create_response(request, {"message": str(exc)}, status=exc.status_code)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with its traceback, and signalled as Django does for a page, so error
        # reporters see it and the test client re-raises it instead of hiding a bug.
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        got_request_exception.send(sender=None, request=request)
        return api.create_response(
            request, {"message": _("Something went wrong on the server.")}, status=500
        )
