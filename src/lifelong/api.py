"""The REST API under /api/v1/: one NinjaAPI, one router per app, OpenAPI at openapi.json."""

from ninja import NinjaAPI
from ninja.security import django_auth

from lifelong import __version__
from lifelong.core.api import errors
from lifelong.core.api.auth import BearerToken
from lifelong.org.api import router as org_router

api = NinjaAPI(
    title="Lifelong API",
    version=__version__,
    description="Scoped REST API of Lifelong. Authenticate with `Authorization: Bearer <token>` "
    "(`lifelong api token create USERNAME`). Lists answer {items, count}.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
)
errors.install(api)
api.add_router("/", org_router)
