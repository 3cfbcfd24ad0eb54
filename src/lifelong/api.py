"""The REST API under /api/v1/: one NinjaAPI, one router per app, OpenAPI at openapi.json.

Authentication is a bearer token (`lifelong api token create USERNAME`) or, for pages of
this site calling the API, the browser session; django-ninja checks the CSRF token of a
session call with an unsafe method. Either way the caller acts with its own roles.
"""

from typing import NoReturn

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.operation import Operation
from ninja.security import SessionAuth

from lifelong import __version__
from lifelong.core.api import exceptions
from lifelong.core.api.auth import BearerToken
from lifelong.core.exceptions import NotFound
from lifelong.emulation.api import campaigns, kpis, participation, standings
from lifelong.initiatives.api import councils, good_models, initiatives
from lifelong.learning.api import (
    assignments,
    catalogue,
    certificates,
    classes,
    ledger,
    plans,
    selfstudy,
)
from lifelong.org.api import router as org_router


class LifelongAPI(NinjaAPI):
    """The project's NinjaAPI: operation ids read `<app>_<function>`, e.g. `org_list_units`."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        """Return the OpenAPI operation id of `operation`, stable for client generators."""
        module = operation.view_func.__module__.split(".")
        app = module[1] if len(module) > 2 and module[0] == "lifelong" else module[-1]
        return f"{app}_{operation.view_func.__name__}"


api = LifelongAPI(
    title="Lifelong API",
    version=__version__,
    description=(
        "Scoped REST API of Lifelong. Authenticate with "
        "`Authorization: Bearer <token>` (an operator runs `lifelong api token create "
        "USERNAME`); the token acts as its user, with that user's roles. Lists answer "
        '`{"items": [...], "count": N}` and take `limit` (at most 500) and `offset`; errors '
        'answer `{"message": ...}`. Something outside the caller\'s scope answers 404, '
        "exactly as something missing does."
    ),
    # Session calls must carry the CSRF token for unsafe methods (SessionAuth's default).
    auth=[BearerToken(), SessionAuth(csrf=True)],
    urls_namespace="api",
    docs_url="/docs",
)
exceptions.install(api)

api.add_router("/", org_router)
for learning_area in (ledger, catalogue, classes, selfstudy, certificates, assignments, plans):
    api.add_router("/", learning_area.router)
for initiatives_area in (initiatives, councils, good_models):
    api.add_router("/", initiatives_area.router)
for emulation_area in (campaigns, standings, participation, kpis):
    api.add_router("/", emulation_area.router)

# Keep last: the index and, for an unknown path under /api/v1/, a JSON 404 (not the HTML page).
fallback = Router()


@fallback.get("", auth=None, include_in_schema=False)
def index(request: HttpRequest) -> dict[str, str]:
    """Point a caller at the OpenAPI document and the interactive docs."""
    return {
        "title": api.title,
        "version": api.version,
        "openapi": reverse("api:openapi-json"),
        "docs": reverse("api:openapi-view"),
    }


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"],
    "/{path:rest}",
    auth=None,
    include_in_schema=False,
)
def unknown_endpoint(request: HttpRequest, rest: str) -> NoReturn:
    """Answer 404 for a path that is no endpoint."""
    raise NotFound(_("No such API endpoint."))


api.add_router("/", fallback)
