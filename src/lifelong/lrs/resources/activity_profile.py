"""The Activity Profile resource, /xapi/activities/profile (Communication 2.7).

Documents about an activity. A PUT must carry If-Match or If-None-Match (Communication 3.1).
"""

from django.http import HttpResponse

from lifelong.lrs.documents import DocumentResource, handle_document_request
from lifelong.lrs.http import XRequest, xapi_view
from lifelong.lrs.models import DocumentKind, Scope

__all__ = ["ACTIVITY_PROFILE", "activity_profile"]

ACTIVITY_PROFILE = DocumentResource(
    kind=DocumentKind.ACTIVITY_PROFILE,
    id_param="profileId",
    activity=True,
    agent=False,
    registration=False,
    scopes=(Scope.PROFILE,),
    require_precondition=True,
    multi_delete=False,
)


@xapi_view(methods=["GET", "PUT", "POST", "DELETE"])
def activity_profile(xreq: XRequest) -> HttpResponse:
    """Answer GET/HEAD, PUT, POST and DELETE on Activity Profile documents."""
    return handle_document_request(xreq, ACTIVITY_PROFILE)
