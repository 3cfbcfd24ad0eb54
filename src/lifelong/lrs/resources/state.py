"""The State resource, /xapi/activities/state (xAPI 1.0.3 Communication 2.3).

A scratch area per activity, agent and (optionally) registration. Without `stateId`, GET
lists the ids and DELETE deletes the whole context. Concurrency headers are honoured when
present but not required (Communication 3.1.s3).
"""

from django.http import HttpResponse

from lifelong.lrs.documents import DocumentResource, handle_document_request
from lifelong.lrs.http import XRequest, xapi_view
from lifelong.lrs.models import DocumentKind, Scope

__all__ = ["STATE", "state"]

STATE = DocumentResource(
    kind=DocumentKind.STATE,
    id_param="stateId",
    activity=True,
    agent=True,
    registration=True,
    scopes=(Scope.STATE,),
    require_precondition=False,
    multi_delete=True,
)


@xapi_view(methods=["GET", "PUT", "POST", "DELETE"])
def state(xreq: XRequest) -> HttpResponse:
    """Answer GET/HEAD, PUT, POST and DELETE on State documents."""
    return handle_document_request(xreq, STATE)
