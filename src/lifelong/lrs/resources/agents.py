"""The Agents resource, /xapi/agents (xAPI 1.0.3 Communication 2.4).

Returns a Person object for one Agent. The store is spec-exact: it joins no identifiers of
its own (joining an officer's account and e-mail is the learning projection's job, issue 3),
so the Person holds the requested agent's identifier and the names the store knows for it:
the one in the request and the one in the newest statement whose actor it is (2.4.s3.b3).
"""

from typing import Any

from django.http import HttpResponse

from lifelong.lrs.agents import agent_ifi
from lifelong.lrs.documents import parse_agent
from lifelong.lrs.http import XapiError, XRequest, json_response, xapi_view
from lifelong.lrs.models import Statement, StatementAgent
from lifelong.lrs.resources.activities import check_params, check_read_scope

__all__ = ["agents", "person_object"]


# How many of the agent's newest statements `_known_name` reads at most.
_NAME_CANDIDATES = 200


def _known_name(ifi: str) -> str | None:
    """Return the name of the agent in the newest statement whose actor it is, if any.

    Read through the agent index rows (IFI key, related_only, seq): the statements where the
    agent is the actor or the object, newest first, up to _NAME_CANDIDATES of them. The
    statements table keeps no index by actor, which every insert would pay for.
    """
    rows = StatementAgent.matching(ifi[:512]).filter(related_only=False).order_by("-seq")
    seqs = list(rows.values_list("seq", flat=True)[:_NAME_CANDIDATES])
    payloads = (
        Statement.objects.filter(seq__in=seqs).order_by("-seq").values_list("payload", flat=True)
    )
    for payload in payloads:
        actor = payload.get("actor") if isinstance(payload, dict) else None
        if isinstance(actor, dict) and agent_ifi(actor) == ifi:
            name = actor.get("name")
            return name if isinstance(name, str) else None
    return None


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
