"""The Agents resource, /xapi/agents (xAPI 1.0.3 Communication 2.4).

Returns a Person object for one Agent. The store is spec-exact: it joins no identifiers of
its own (joining an officer's account and e-mail is the learning projection's job, issue 3),
so the Person holds the requested agent's identifier and the names the store knows for it:
the one in the request and the one in the newest statement whose actor it is (2.4.s3.b3).
"""

from typing import Any

from django.http import HttpResponse

from lifelong.lrs.documents import parse_agent
from lifelong.lrs.http import XapiError, XRequest, json_response, xapi_view
from lifelong.lrs.models import Statement
from lifelong.lrs.resources.activities import check_params, check_read_scope

__all__ = ["agents", "person_object"]


def _known_name(ifi: str) -> str | None:
    payload = (
        Statement.objects.filter(actor_ifi=ifi).order_by("-seq").values_list("payload", flat=True)
    ).first()
    actor = payload.get("actor") if isinstance(payload, dict) else None
    name = actor.get("name") if isinstance(actor, dict) else None
    return name if isinstance(name, str) else None


def person_object(agent: dict[str, Any], ifi: str) -> dict[str, Any]:
    """Return the Person object of an Agent (2.4.s5): every property an array, no others."""
    person: dict[str, Any] = {"objectType": "Person"}
    names = [agent["name"]] if isinstance(agent.get("name"), str) else []
    known = _known_name(ifi)
    if known is not None and known not in names:
        names.append(known)
    if names:
        person["name"] = names
    for key in ("mbox", "mbox_sha1sum", "openid"):
        if key in agent:
            person[key] = [agent[key]]
    if "account" in agent:
        person["account"] = [
            {"homePage": agent["account"]["homePage"], "name": agent["account"]["name"]}
        ]
    return person


@xapi_view(methods=["GET"])
def agents(xreq: XRequest) -> HttpResponse:
    """Answer GET/HEAD with the Person object of `agent`."""
    check_read_scope(xreq)
    agent, ifi = parse_agent(check_params(xreq, "agent"))
    if agent.get("objectType", "Agent") != "Agent":
        # 2.4.s2: the parameter "is not a Person Object, nor is it a Group".
        raise XapiError(
            400, "The agent parameter must be an Agent, not a Group.", "agent.objectType"
        )
    return json_response(person_object(agent, ifi))
