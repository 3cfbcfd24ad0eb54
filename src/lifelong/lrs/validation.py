"""Validation of xAPI 1.0.3 statements, exactly as the Data part describes them.

Pure functions over parsed JSON, standard library only. Each refusal raises `InvalidStatement`
with a dotted field path (`statements[2].context.instructor.mbox`), which the HTTP layer
turns into a 400 answer. Section numbers in comments are those of xAPI 1.0.3 Data.
"""

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

__all__ = [
    "INTERACTION_TYPES",
    "InvalidStatement",
    "is_iri",
    "is_uuid",
    "parse_timestamp",
    "validate_statement",
    "validate_statements",
]


class InvalidStatement(ValueError):
    """A statement that breaks a rule of the Data part; `path` names the offending field."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.message = message
        self.path = path


#
# Scalar types (Data 4)
#

# RFC 3986/3987 scheme: a letter, then letters, digits, "+", "-" or "." (Data 2.2.s4.b1.b8:
# an IRI without a scheme is refused). No whitespace anywhere in an IRI.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")
# RFC 4122 string form; version digit 1-8 and the RFC 4122 variant (Data 4.3? "UUIDs" in 2.4.1).
_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
# ISO 8601 combined date and time, extended format (Data 4.5).
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)
# ISO 8601 durations (Data 4.6): PnYnMnDTnHnMnS with optional decimals, or PnW.
_DURATION = re.compile(
    r"^P(?!$)(\d+(?:[.,]\d+)?Y)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?D)?"
    r"(T(?=\d)(\d+(?:[.,]\d+)?H)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?S)?)?$|^P\d+(?:[.,]\d+)?W$"
)
# RFC 5646 language tags (Data 4.2 language maps, context.language).
_LANGTAG = re.compile(
    r"^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+"
    r"|[Ii]-[A-Za-z]{2,8}|[Ee][Nn]-[Gg][Bb]-[Oo][Ee][Dd]|[Ss][Gg][Nn]-[A-Za-z]{2}-[A-Za-z]{2})$"
)

INTERACTION_TYPES = frozenset(
    {
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    }
)
# Data 2.4.4.1, table "Interaction Components": which list each interaction type may carry.
_COMPONENT_LISTS = {
    "choice": {"choices"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "matching": {"source", "target"},
    "performance": {"steps"},
}
_ALL_COMPONENT_LISTS = frozenset({"choices", "scale", "source", "target", "steps"})


def is_iri(value: Any) -> bool:
    """Return whether `value` is an absolute IRI string (it has a scheme)."""
    return isinstance(value, str) and bool(_IRI.match(value))


def is_uuid(value: Any) -> bool:
    """Return whether `value` is a UUID in RFC 4122 string form."""
    return isinstance(value, str) and bool(_UUID.match(value))


def parse_timestamp(value: Any) -> datetime | None:
    """Return the aware UTC datetime of an ISO 8601 timestamp, or None when it is not one.

    Data 4.5: a "-00:00" offset (unknown local offset, RFC 3339) is refused, as are the
    "-00" and "-0000" spellings; a timestamp without an offset is taken as UTC.
    """
    if not isinstance(value, str):
        return None
    return _parse_timestamp(value)


# The store parses each statement's timestamp twice (validation, then the indexed column),
# and a batch often repeats a moment: the results (immutable datetimes) are remembered.
@lru_cache(maxsize=8192)
def _parse_timestamp(value: str) -> datetime | None:
    match = _TIMESTAMP.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            micro,
            tzinfo=UTC,
        )
    except ValueError:
        return None
    if offset and offset not in {"Z", "z"}:
        digits = offset[1:].replace(":", "")
        if digits.strip("0") == "" and offset[0] == "-":
            return None
        hours = int(digits[:2])
        minutes = int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        moment = moment - delta if offset[0] == "+" else moment + delta
    return moment


#
# The walker
#


def _fail(message: str, path: str) -> InvalidStatement:
    return InvalidStatement(message, path)


def _object(value: Any, path: str, allowed: frozenset[str] | set[str]) -> dict[str, Any]:
    """Check that `value` is a JSON object whose keys are all in `allowed`."""
    if not isinstance(value, dict):
        raise _fail("must be a JSON object.", path)
    prefix = f"{path}." if path else ""
    unknown = [key for key in value if key not in allowed]
    if unknown:
        raise _fail(
            f"unknown property {unknown[0]!r} (properties are case-sensitive).",
            f"{prefix}{unknown[0]}",
        )
    for key, item in value.items():
        if item is None:
            raise _fail("must not be null.", f"{prefix}{key}")
    return value


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _fail("must be a string.", path)
    return value


def _iri(value: Any, path: str) -> str:
    if not is_iri(value):
        raise _fail("must be an absolute IRI (with a scheme).", path)
    return str(value)


def _uuid(value: Any, path: str) -> str:
    if not is_uuid(value):
        raise _fail("must be a UUID in RFC 4122 string form.", path)
    return str(value)


def _boolean(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise _fail("must be true or false.", path)


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail("must be a number.", path)
    return float(value)


def _language_map(value: Any, path: str) -> None:
    """Data 4.2: keys are RFC 5646 language tags, values strings."""
    if not isinstance(value, dict):
        raise _fail("must be a language map (a JSON object).", path)
    for tag, text in value.items():
        if not _LANGTAG.match(tag):
            raise _fail(f"{tag!r} is not an RFC 5646 language tag.", f"{path}.{tag}")
        if not isinstance(text, str):
            raise _fail("must be a string.", f"{path}.{tag}")


def _extensions(value: Any, path: str) -> None:
    """Data 4.1: an extensions object's keys are IRIs; values may be any JSON, null too."""
    if not isinstance(value, dict):
        raise _fail("must be a JSON object.", path)
    for key in value:
        if not is_iri(key):
            raise _fail(f"extension key {key!r} is not an IRI.", f"{path}.{key}")


#
# Actors (Data 2.4.2)
#

_AGENT_KEYS = frozenset({"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
_GROUP_KEYS = _AGENT_KEYS | {"member"}
_IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")


def _ifi(actor: dict[str, Any], path: str) -> str | None:
    """Check the Inverse Functional Identifiers of an Agent or Group (Data 2.4.2.3)."""
    present = [key for key in _IFI_KEYS if key in actor]
    if len(present) > 1:
        raise _fail(f"has more than one identifier ({', '.join(present)}).", path)
    if not present:
        return None
    key = present[0]
    value = actor[key]
    if key == "mbox":
        if not isinstance(value, str) or not _MAILTO.match(value):
            raise _fail("must be a mailto: IRI with an e-mail address.", f"{path}.mbox")
    elif key == "mbox_sha1sum":
        if not isinstance(value, str) or not _SHA1.match(value):
            raise _fail("must be the hex SHA-1 of a mailto: IRI.", f"{path}.mbox_sha1sum")
    elif key == "openid":
        _iri(value, f"{path}.openid")
    else:
        account = _object(value, f"{path}.account", {"homePage", "name"})
        if "homePage" not in account:
            raise _fail("is required.", f"{path}.account.homePage")
        _iri(account["homePage"], f"{path}.account.homePage")
        if "name" not in account:
            raise _fail("is required.", f"{path}.account.name")
        _string(account["name"], f"{path}.account.name")
    return key


def _agent(value: Any, path: str) -> None:
    agent = _object(value, path, _AGENT_KEYS)
    if agent.get("objectType", "Agent") != "Agent":
        raise _fail("must be 'Agent'.", f"{path}.objectType")
    if "name" in agent:
        _string(agent["name"], f"{path}.name")
    if _ifi(agent, path) is None:
        raise _fail("an Agent needs exactly one of mbox, mbox_sha1sum, openid, account.", path)


def _group(value: Any, path: str) -> None:
    group = _object(value, path, _GROUP_KEYS)
    if group.get("objectType") != "Group":
        raise _fail("must be 'Group'.", f"{path}.objectType")
    if "name" in group:
        _string(group["name"], f"{path}.name")
    identified = _ifi(group, path) is not None
    if "member" in group:
        members = group["member"]
        if not isinstance(members, list):
            raise _fail("must be an array of Agents.", f"{path}.member")
        for index, member in enumerate(members):
            # Data 2.4.2.2: a Group's members are Agents, never Groups.
            _agent(member, f"{path}.member[{index}]")
    elif not identified:
        raise _fail("an anonymous Group needs a member array.", f"{path}.member")


def _actor(value: Any, path: str) -> None:
    """An Agent or a Group, told apart by objectType (Data 2.4.2)."""
    if not isinstance(value, dict):
        raise _fail("must be an Agent or Group object.", path)
    kind = value.get("objectType", "Agent")
    if kind == "Group":
        _group(value, path)
    elif kind == "Agent":
        _agent(value, path)
    else:
        raise _fail("must be 'Agent' or 'Group'.", f"{path}.objectType")


def _authority(value: Any, path: str) -> None:
    """Data 2.4.9: an Agent, or an anonymous Group of exactly two Agents (OAuth 3-legged)."""
    _actor(value, path)
    if value.get("objectType") == "Group":
        if _ifi(value, path) is not None:
            raise _fail("an authority Group must be anonymous.", path)
        if len(value.get("member", [])) != 2:
            raise _fail("an authority Group has exactly two members.", f"{path}.member")


#
# Verb, object (Data 2.4.3, 2.4.4)
#


def _verb(value: Any, path: str) -> None:
    verb = _object(value, path, {"id", "display"})
    if "id" not in verb:
        raise _fail("is required.", f"{path}.id")
    _iri(verb["id"], f"{path}.id")
    if "display" in verb:
        _language_map(verb["display"], f"{path}.display")


_DEFINITION_KEYS = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        *_ALL_COMPONENT_LISTS,
    }
)


def _definition(value: Any, path: str) -> None:
    definition = _object(value, path, _DEFINITION_KEYS)
    for key in ("name", "description"):
        if key in definition:
            _language_map(definition[key], f"{path}.{key}")
    for key in ("type", "moreInfo"):
        if key in definition:
            _iri(definition[key], f"{path}.{key}")
    if "extensions" in definition:
        _extensions(definition["extensions"], f"{path}.extensions")
    interaction = definition.get("interactionType")
    if "interactionType" in definition and (
        not isinstance(interaction, str) or interaction not in INTERACTION_TYPES
    ):
        raise _fail(
            f"must be one of {', '.join(sorted(INTERACTION_TYPES))} (case-sensitive).",
            f"{path}.interactionType",
        )
    if "correctResponsesPattern" in definition:
        pattern = definition["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
            raise _fail("must be an array of strings.", f"{path}.correctResponsesPattern")
    lists = _ALL_COMPONENT_LISTS.intersection(definition)
    if (lists or "correctResponsesPattern" in definition) and interaction is None:
        # Data 2.4.4.1.s8: interaction properties are used only with an interactionType.
        raise _fail("interaction properties need an interactionType.", f"{path}.interactionType")
    allowed_lists = _COMPONENT_LISTS.get(str(interaction), set())
    for key in sorted(lists):
        if key not in allowed_lists:
            raise _fail(f"is not allowed with interactionType {interaction!r}.", f"{path}.{key}")
        components = definition[key]
        if not isinstance(components, list):
            raise _fail("must be an array of interaction components.", f"{path}.{key}")
        seen: set[str] = set()
        for index, component in enumerate(components):
            where = f"{path}.{key}[{index}]"
            item = _object(component, where, {"id", "description"})
            if "id" not in item:
                raise _fail("is required.", f"{where}.id")
            ident = _string(item["id"], f"{where}.id")
            if ident in seen:
                raise _fail("interaction component ids are unique within a list.", f"{where}.id")
            seen.add(ident)
            if "description" in item:
                _language_map(item["description"], f"{where}.description")


def _activity(value: Any, path: str) -> None:
    activity = _object(value, path, {"objectType", "id", "definition"})
    if activity.get("objectType", "Activity") != "Activity":
        raise _fail("must be 'Activity'.", f"{path}.objectType")
    if "id" not in activity:
        raise _fail("is required.", f"{path}.id")
    _iri(activity["id"], f"{path}.id")
    if "definition" in activity:
        _definition(activity["definition"], f"{path}.definition")


def _statement_ref(value: Any, path: str) -> None:
    ref = _object(value, path, {"objectType", "id"})
    if ref.get("objectType") != "StatementRef":
        raise _fail("must be 'StatementRef'.", f"{path}.objectType")
    if "id" not in ref:
        raise _fail("is required.", f"{path}.id")
    _uuid(ref["id"], f"{path}.id")


def _object_of(value: Any, path: str, *, in_substatement: bool) -> str:
    """Check a statement's object; return its objectType (Data 2.4.4)."""
    if not isinstance(value, dict):
        raise _fail("must be a JSON object.", path)
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        _activity(value, path)
    elif kind == "Agent":
        _agent(value, path)
    elif kind == "Group":
        _group(value, path)
    elif kind == "StatementRef":
        _statement_ref(value, path)
    elif kind == "SubStatement":
        if in_substatement:
            # Data 2.4.4.3: a SubStatement MUST NOT contain a SubStatement.
            raise _fail("a SubStatement cannot contain another SubStatement.", path)
        _statement_body(value, path, substatement=True)
    else:
        raise _fail(
            "must be Activity, Agent, Group, StatementRef or SubStatement.", f"{path}.objectType"
        )
    return str(kind)


#
# Result, context, attachments (Data 2.4.5, 2.4.6, 2.4.11)
#


def _result(value: Any, path: str) -> None:
    result = _object(
        value, path, {"score", "success", "completion", "response", "duration", "extensions"}
    )
    if "score" in result:
        where = f"{path}.score"
        score = _object(result["score"], where, {"scaled", "raw", "min", "max"})
        numbers = {key: _number(score[key], f"{where}.{key}") for key in score}
        if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
            raise _fail("must be between -1 and 1.", f"{where}.scaled")
        low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
        if low is not None and high is not None and low >= high:
            raise _fail("must be less than max.", f"{where}.min")
        if raw is not None and low is not None and raw < low:
            raise _fail("must not be less than min.", f"{where}.raw")
        if raw is not None and high is not None and raw > high:
            raise _fail("must not be more than max.", f"{where}.raw")
    for key in ("success", "completion"):
        if key in result:
            _boolean(result[key], f"{path}.{key}")
    if "response" in result:
        _string(result["response"], f"{path}.response")
    if "duration" in result and not (
        isinstance(result["duration"], str) and _DURATION.match(result["duration"])
    ):
        raise _fail("must be an ISO 8601 duration.", f"{path}.duration")
    if "extensions" in result:
        _extensions(result["extensions"], f"{path}.extensions")


_CONTEXT_KEYS = frozenset(
    {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)


def _context(value: Any, path: str, object_type: str) -> None:
    context = _object(value, path, _CONTEXT_KEYS)
    if "registration" in context:
        _uuid(context["registration"], f"{path}.registration")
    if "instructor" in context:
        _actor(context["instructor"], f"{path}.instructor")
    if "team" in context:
        _group(context["team"], f"{path}.team")
    if "contextActivities" in context:
        where = f"{path}.contextActivities"
        activities = _object(
            context["contextActivities"], where, {"parent", "grouping", "category", "other"}
        )
        for key, item in activities.items():
            # Data 2.4.6.2: a single Activity is allowed and means an array of one.
            items = item if isinstance(item, list) else [item]
            for index, activity in enumerate(items):
                _activity(activity, f"{where}.{key}[{index}]")
    for key in ("revision", "platform"):
        if key in context:
            _string(context[key], f"{path}.{key}")
            # Data 2.4.6 table: revision and platform only when the object is an Activity.
            if object_type != "Activity":
                raise _fail("is only allowed when the object is an Activity.", f"{path}.{key}")
    if "language" in context and not (
        isinstance(context["language"], str) and _LANGTAG.match(context["language"])
    ):
        raise _fail("must be an RFC 5646 language tag.", f"{path}.language")
    if "statement" in context:
        _statement_ref(context["statement"], f"{path}.statement")
    if "extensions" in context:
        _extensions(context["extensions"], f"{path}.extensions")


_ATTACHMENT_KEYS = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)


def _attachments(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise _fail("must be an array.", path)
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        attachment = _object(item, where, _ATTACHMENT_KEYS)
        for key in ("usageType", "display", "contentType", "length", "sha2"):
            if key not in attachment:
                raise _fail("is required.", f"{where}.{key}")
        _iri(attachment["usageType"], f"{where}.usageType")
        _language_map(attachment["display"], f"{where}.display")
        if "description" in attachment:
            _language_map(attachment["description"], f"{where}.description")
        _string(attachment["contentType"], f"{where}.contentType")
        length = attachment["length"]
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise _fail("must be a non-negative integer.", f"{where}.length")
        sha2 = _string(attachment["sha2"], f"{where}.sha2")
        if not re.fullmatch(
            r"[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128}", sha2
        ):
            raise _fail("must be the hex SHA-2 of the attachment.", f"{where}.sha2")
        if "fileUrl" in attachment:
            _iri(attachment["fileUrl"], f"{where}.fileUrl")


#
# Statements (Data 2.4)
#

_STATEMENT_KEYS = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)
# Data 2.4.4.3: a SubStatement has no id, stored, version or authority.
_SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"


def _statement_body(value: Any, path: str, *, substatement: bool) -> None:
    allowed = _SUBSTATEMENT_KEYS if substatement else _STATEMENT_KEYS
    statement = _object(value, path, allowed)
    prefix = f"{path}." if path else ""
    for key in ("actor", "verb", "object"):
        if key not in statement:
            raise _fail("is required.", f"{prefix}{key}")
    if not substatement and "id" in statement:
        _uuid(statement["id"], f"{prefix}id")
    _actor(statement["actor"], f"{prefix}actor")
    _verb(statement["verb"], f"{prefix}verb")
    object_type = _object_of(statement["object"], f"{prefix}object", in_substatement=substatement)
    if statement["verb"]["id"] == VOIDED_VERB and object_type != "StatementRef":
        # Data 2.3.2: a voiding statement's object is a StatementRef.
        raise _fail("a voiding statement's object must be a StatementRef.", f"{prefix}object")
    if "result" in statement:
        _result(statement["result"], f"{prefix}result")
    if "context" in statement:
        _context(statement["context"], f"{prefix}context", object_type)
    for key in ("timestamp", "stored"):
        if key in statement and parse_timestamp(statement[key]) is None:
            raise _fail("must be an ISO 8601 timestamp with a valid offset.", f"{prefix}{key}")
    if "authority" in statement:
        _authority(statement["authority"], f"{prefix}authority")
    if "version" in statement:
        version = statement["version"]
        # Data 2.4.10: the version of 1.0.x statements starts with "1.0".
        if not isinstance(version, str) or not re.fullmatch(r"1\.0(\.\d+)?", version):
            raise _fail("must be a 1.0.x version.", f"{prefix}version")
    if "attachments" in statement:
        _attachments(statement["attachments"], f"{prefix}attachments")


def validate_statement(statement: Any, path: str = "") -> None:
    """Check one statement against the Data part; raise InvalidStatement naming the field."""
    _statement_body(statement, path, substatement=False)


def validate_statements(statements: list[Any]) -> None:
    """Check a batch: every statement, and that no id appears twice (Communication 2.1.2)."""
    seen: set[str] = set()
    for index, statement in enumerate(statements):
        where = f"statements[{index}]"
        validate_statement(statement, where)
        ident = statement.get("id")
        if ident is not None:
            key = ident.lower()
            if key in seen:
                raise InvalidStatement(
                    "the same statement id appears twice in one batch.", f"{where}.id"
                )
            seen.add(key)
