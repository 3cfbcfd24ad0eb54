"""Statement comparison, as xAPI 1.0.3 Data 2.3.1 "Statement Comparison Requirements" says.

Two statements under one id are the same statement when they differ only by what Data 2.3.1
lists as exceptions to immutability:

- properties the LRS may assign: id, authority, stored, timestamp, version (2.3.1.b1);
  a timestamp present in both is still compared as a point in time (2.3.1.b4);
- Activity definitions and the Verb's display (2.3.1.b2, b3);
- the order of a Group's members (2.3.1.b5);
- case-insensitive parts: the domain of an mbox e-mail address (2.3.1.b7), the hex digits of
  UUIDs and SHA-1 sums.

Everything else, the Result Duration string included (2.3.1.b8), must be equal. Pure functions,
standard library only.
"""

import json
from typing import Any

from lifelong.lrs.validation import parse_timestamp

__all__ = ["comparable", "equivalent"]

_LRS_ASSIGNED = ("id", "authority", "stored", "version")


def _mbox(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local}@{domain.lower()}"


def _actor(actor: Any) -> Any:
    if not isinstance(actor, dict):
        return actor
    out = dict(actor)
    if isinstance(out.get("mbox"), str):
        out["mbox"] = _mbox(out["mbox"])
    if isinstance(out.get("mbox_sha1sum"), str):
        out["mbox_sha1sum"] = out["mbox_sha1sum"].lower()
    if out.get("objectType", "Agent") == "Agent":
        out["objectType"] = "Agent"
    if isinstance(out.get("member"), list):
        members = [_actor(m) for m in out["member"]]
        out["member"] = sorted(members, key=lambda m: json.dumps(m, sort_keys=True))
    return out


def _activity(activity: Any) -> Any:
    if not isinstance(activity, dict):
        return activity
    return {"objectType": "Activity", "id": activity.get("id")}


def _object(obj: Any) -> Any:
    if not isinstance(obj, dict):
        return obj
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return _activity(obj)
    if kind in {"Agent", "Group"}:
        return _actor(obj)
    if kind == "StatementRef":
        return {"objectType": "StatementRef", "id": str(obj.get("id", "")).lower()}
    if kind == "SubStatement":
        return _body(obj, substatement=True)
    return obj


def _context(context: Any) -> Any:
    if not isinstance(context, dict):
        return context
    out = dict(context)
    if isinstance(out.get("registration"), str):
        out["registration"] = out["registration"].lower()
    for key in ("instructor", "team"):
        if key in out:
            out[key] = _actor(out[key])
    if isinstance(out.get("contextActivities"), dict):
        out["contextActivities"] = {
            key: [_activity(a) for a in (value if isinstance(value, list) else [value])]
            for key, value in out["contextActivities"].items()
        }
    if isinstance(out.get("statement"), dict):
        out["statement"] = _object(out["statement"])
    return out


def _body(statement: dict[str, Any], *, substatement: bool) -> dict[str, Any]:
    out = {k: v for k, v in statement.items() if substatement or k not in _LRS_ASSIGNED}
    # A timestamp the client did not send may have been set by the LRS (Data 2.4.7): it is
    # compared only by the caller, when both sides carry one.
    out.pop("timestamp", None)
    if "actor" in out:
        out["actor"] = _actor(out["actor"])
    if isinstance(out.get("verb"), dict):
        out["verb"] = {"id": out["verb"].get("id")}
    if "object" in out:
        out["object"] = _object(out["object"])
    if "context" in out:
        out["context"] = _context(out["context"])
    if substatement and "timestamp" in statement:
        moment = parse_timestamp(statement["timestamp"])
        out["timestamp"] = moment.isoformat() if moment else statement["timestamp"]
    return out


def comparable(statement: dict[str, Any]) -> dict[str, Any]:
    """Return the part of a statement that Data 2.3.1 says must not change."""
    return _body(statement, substatement=False)


def equivalent(stored: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """Return whether `incoming` is the same statement as `stored` (Data 2.3.1.s9).

    `stored` is the statement as the LRS keeps it (with id, stored, authority and a
    timestamp it may have set); `incoming` is what a client sends again.
    """
    if comparable(stored) != comparable(incoming):
        return False
    if "timestamp" in stored and "timestamp" in incoming:
        return parse_timestamp(stored["timestamp"]) == parse_timestamp(incoming["timestamp"])
    return True
