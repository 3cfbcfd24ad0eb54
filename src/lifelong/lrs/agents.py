"""Agents and their Inverse Functional Identifiers (xAPI 1.0.3 Data 2.4.2.3).

Pure functions over JSON values. An IFI is kept as one string so that it can be indexed and
compared: `mbox:mailto:a@b`, `mbox_sha1sum:<hex>`, `openid:<uri>`, `account:<homePage> <name>`.
"""

import json
from typing import Any

from lifelong.lrs.http import XapiError

__all__ = ["IFI_KEYS", "agent_ifi", "group_member_ifis", "parse_agent_param"]

IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")


def agent_ifi(agent: Any, path: str = "agent") -> str | None:
    """Return the IFI string of an Agent or identified Group; None for an anonymous Group.

    Raises 400 when the object is not a JSON object, or carries no IFI (an Agent), or more
    than one (Data 2.4.2.1: "exactly one of the IFIs").
    """
    if not isinstance(agent, dict):
        raise XapiError(400, "An Agent must be a JSON object.", path)
    present = [key for key in IFI_KEYS if key in agent]
    if len(present) > 1:
        raise XapiError(
            400, f"An Agent or Group has exactly one identifier; found {', '.join(present)}.", path
        )
    if not present:
        if agent.get("objectType") == "Group":
            return None
        raise XapiError(400, "An Agent needs one of mbox, mbox_sha1sum, openid or account.", path)
    key = present[0]
    value = agent[key]
    if key == "account":
        if (
            not isinstance(value, dict)
            or not isinstance(value.get("homePage"), str)
            or not isinstance(value.get("name"), str)
        ):
            raise XapiError(400, "An account needs a homePage IRL and a name.", f"{path}.account")
        return f"account:{value['homePage']} {value['name']}"
    if not isinstance(value, str):
        raise XapiError(400, f"{key} must be a string.", f"{path}.{key}")
    return f"{key}:{value}"


def group_member_ifis(group: Any) -> list[str]:
    """Return the IFIs of a Group's identified members."""
    members = group.get("member") if isinstance(group, dict) else None
    result = []
    for member in members if isinstance(members, list) else []:
        ifi = agent_ifi(member, "member") if isinstance(member, dict) else None
        if ifi:
            result.append(ifi)
    return result


def parse_agent_param(raw: str, name: str = "agent") -> tuple[dict[str, Any], str]:
    """Parse the JSON `agent` parameter of a request; return it and its IFI (400 if bad)."""
    try:
        agent = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise XapiError(400, f"The {name} parameter is not valid JSON.", name) from exc
    ifi = agent_ifi(agent, name)
    if ifi is None:
        raise XapiError(400, f"The {name} parameter must identify one Agent.", name)
    return agent, ifi
