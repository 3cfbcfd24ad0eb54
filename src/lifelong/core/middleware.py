"""Middleware that makes the request's origin known to the audit log."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import get_resolver
from django.utils import translation
from django.utils.translation import gettext as _

from lifelong.core.audit import RequestInfo, using_request_info
from lifelong.core.exceptions import DomainError, NotFound


class RequestContextMiddleware:
    """Attach the client address, user agent and path to audit events of this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Run the request with its origin attached."""
        info = RequestInfo(
            ip=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            path=request.get_full_path()[:512],
            channel="api" if request.path.startswith("/api/") else "web",
        )
        with using_request_info(info):
            return self.get_response(request)


class DomainErrorMiddleware:
    """Turn a domain error escaping a page view into the project's error page.

    `NotFound` becomes the 404 page (missing and forbidden look the same); any other
    `DomainError` becomes a 400 page with its message. API views map errors themselves.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Pass the request on; errors are handled in `process_exception`."""
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Render the error page for a domain error; leave other exceptions alone."""
        if not isinstance(exception, DomainError):
            return None
        resolver = get_resolver()
        if isinstance(exception, NotFound):
            handler: Any = resolver.resolve_error_handler(404)
            response: HttpResponse = handler(request, exception)
            return response
        response = render(
            request,
            "web/error.html",
            {"title": _("The request was refused"), "message": exception.message},
        )
        response.status_code = exception.status
        return response


API_PREFIXES = ("/api/", "/xapi/")


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Speak Vietnamese unless the user chose English; ignore the browser's Accept-Language.

    The agency's UI language is Vietnamese whatever language a workstation's browser is set
    to; the language switch in the page header sets the cookie that changes it. The REST and
    xAPI interfaces honour Accept-Language, as their clients are programs.
    """

    def process_request(self, request: HttpRequest) -> None:
        """Activate the chosen language (cookie), or the default one."""
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not chosen and request.path.startswith(API_PREFIXES):
            # Programs say what they read through Accept-Language; pages never do.
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
