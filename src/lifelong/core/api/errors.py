"""Domain errors and validation errors as JSON with a message: the API's one error mapping."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lifelong.core.exceptions import DomainError


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
        return api.create_response(
            request,
            {"message": _("The request is not valid."), "errors": exc.errors},
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"message": _("Authentication required: send a valid bearer token.")},
            status=401,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"message": str(exc)}, status=exc.status_code)
