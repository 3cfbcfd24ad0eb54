"""The Agent Profile resource, /xapi/agents/profile (Communication 2.6).

Documents about an agent, keyed by its identifier exactly as given (an identified Group's
identifier inside an Agent object is accepted, 2.6.s3 note). A PUT must carry If-Match or
If-None-Match (Communication 3.1).
"""

from django.http import HttpResponse

from lifelong.lrs.documents import DocumentResource, handle_document_request
from lifelong.lrs.http import XRequest, xapi_view
from lifelong.lrs.models import DocumentKind, Scope

__all__ = ["AGENT_PROFILE", "agent_profile"]

AGENT_PROFILE = DocumentResource(
    kind=DocumentKind.AGENT_PROFILE,
    id_param="profileId",
    activity=False,
    agent=True,
    registration=False,
    scopes=(Scope.PROFILE,),
    require_precondition=True,
    multi_delete=False,
)


@xapi_view(methods=["GET", "PUT", "POST", "DELETE"])
def agent_profile(xreq: XRequest) -> HttpResponse:
    """Answer GET/HEAD, PUT, POST and DELETE on Agent Profile documents."""
    return handle_document_request(xreq, AGENT_PROFILE)
