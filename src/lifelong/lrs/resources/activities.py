"""The Activities resource, /xapi/activities (xAPI 1.0.3 Communication 2.5).

Returns the canonical Activity object the store merged from statements
(`lrs.queries.get_activity`). An activity the store has never seen still gets an Activity
object with just its id (2.5.s2.b1).
"""

from django.http import HttpResponse

from lifelong.lrs.documents import parse_activity_id
from lifelong.lrs.http import XapiError, XRequest, json_response, xapi_view
from lifelong.lrs.models import Scope
from lifelong.lrs.queries import get_activity

__all__ = ["READ_SCOPES", "activities", "check_params", "check_read_scope"]

# Communication 4.2 names no scope for reading Activities or Agents; any client allowed to
# read something may read them. A client that may only write statements may not.
READ_SCOPES = (
    Scope.ALL_READ,
    Scope.STATEMENTS_READ,
    Scope.STATE,
    Scope.PROFILE,
    Scope.DEFINE,
)


def check_read_scope(xreq: XRequest) -> None:
    """Refuse with 403 a client that may read nothing."""
    if not xreq.has_scope(*READ_SCOPES):
        raise XapiError(
            403,
            "This client may not read activities or agents; it needs one of the scopes "
            f"{', '.join([*READ_SCOPES, Scope.ALL])}.",
            "Authorization",
        )


def check_params(xreq: XRequest, allowed: str) -> str:
    """Return the one parameter this resource takes; 400 if missing, or if others are sent."""
    for name in xreq.params:
        if name != allowed:
            raise XapiError(
                400, f"Unknown parameter {name!r}; this resource takes only {allowed}.", name
            )
    if allowed not in xreq.params:
        raise XapiError(400, f"The {allowed} parameter is required.", allowed)
    return xreq.params[allowed]


@xapi_view(methods=["GET"])
def activities(xreq: XRequest) -> HttpResponse:
    """Answer GET/HEAD with the full Activity object of `activityId`."""
    check_read_scope(xreq)
    iri = parse_activity_id(check_params(xreq, "activityId"))
    return json_response(get_activity(iri))
