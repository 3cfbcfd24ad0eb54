"""`lifelong lrs client create|list|revoke`: the LRS client life cycle, through the command."""

import base64
import hashlib
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from lifelong.core.models import AuditEvent
from lifelong.lrs.http import XapiError, authenticate
from lifelong.lrs.models import Client

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    """Run `lifelong lrs ARGS…` as the CLI does; return its stdout and stderr."""
    out, err = StringIO(), StringIO()
    # English, so the assertions read the untranslated messages.
    with translation.override("en"):
        call_command("lrs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_json(*args: str) -> Any:
    out, _err = run(*args, "--json")
    return json.loads(out)


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


#
# create
#


def test_create_prints_key_and_secret_once_and_stores_only_the_digest() -> None:
    # when
    created = run_json("client", "create", "Moodle HQ", "--scopes", "statements/write,state")
    # then: the JSON shape
    key, secret = created["key"], created["secret"]
    assert len(key) == 32 and len(secret) >= 43  # 256 bits in URL-safe base64
    assert created["name"] == "Moodle HQ"
    assert created["scopes"] == ["state", "statements/write"]
    assert created["active"] is True
    # and: only the SHA-256 digest is kept, never the secret
    row = Client.objects.get(key=key)
    assert row.secret_digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(
        list(Client.objects.values_list("name", "key", "secret_digest", "scopes", "authority"))
    )
    # and: the credentials authenticate, with the authority naming the client
    assert authenticate(basic(key, secret)) == row
    assert row.authority["account"]["name"] == f"lrs-client:{key}"
    assert AuditEvent.objects.filter(action="lrs_client.created").count() == 1


def test_create_accepts_scopes_separated_by_spaces_commas_or_both() -> None:
    # when
    spaced = run_json("client", "create", "a", "--scopes", "statements/read", "define")
    quoted = run_json("client", "create", "b", "--scopes", "all/read profile")
    mixed = run_json("client", "create", "c", "--scopes", "all, state", "state")
    # then
    assert spaced["scopes"] == ["define", "statements/read"]
    assert quoted["scopes"] == ["all/read", "profile"]
    assert mixed["scopes"] == ["all", "state"]


def test_create_prints_key_and_secret_as_text_without_json() -> None:
    # when
    out, err = run("client", "create", "Moodle", "--scopes", "all")
    # then
    lines = dict(line.split(":", 1) for line in out.strip().splitlines())
    row = Client.objects.get()
    assert lines["key"].strip() == row.key
    assert row.secret_digest == hashlib.sha256(lines["secret"].strip().encode()).hexdigest()
    assert "Moodle" in err


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        (["statements/write,stuff"], "Unknown scopes: stuff"),
        (["ALL"], "Unknown scopes: ALL"),
        ([","], "at least one scope"),
    ],
)
def test_create_refuses_bad_scopes_when_a_name_is_unknown_or_none_is_given(
    scopes: list[str], message: str
) -> None:
    # when / then
    with pytest.raises(CommandError, match=message):
        run("client", "create", "LMS", "--scopes", *scopes)
    assert not Client.objects.exists()


def test_create_refuses_a_duplicate_name_when_the_name_is_taken() -> None:
    # given
    run("client", "create", "LMS", "--scopes", "all")
    # when / then
    with pytest.raises(CommandError, match="A client named LMS exists already"):
        run("client", "create", " LMS ", "--scopes", "state")
    assert Client.objects.count() == 1


def test_create_refuses_an_empty_name() -> None:
    with pytest.raises(CommandError, match="needs a name"):
        run("client", "create", "  ", "--scopes", "all")


def test_create_needs_scopes_when_none_is_given() -> None:
    # argparse's own refusal: a usage error, exit status 2 on the command line.
    with pytest.raises(CommandError, match="--scopes"):
        run("client", "create", "LMS")


#
# list
#


def test_list_shows_clients_active_first_and_never_a_secret() -> None:
    # given
    first = run_json("client", "create", "b-lms", "--scopes", "all")
    second = run_json("client", "create", "a-lms", "--scopes", "statements/read/mine")
    run("client", "revoke", "a-lms")
    # when
    listed = run_json("client", "list")
    text, _err = run("client", "list")
    active, _err = run("client", "list", "--active", "--json")
    # then
    assert listed["count"] == 2
    assert [c["name"] for c in listed["items"]] == ["b-lms", "a-lms"]
    assert [c["active"] for c in listed["items"]] == [True, False]
    assert "secret" not in listed["items"][0]
    for secret in (first["secret"], second["secret"]):
        assert secret not in text and secret not in json.dumps(listed)
    assert first["key"] in text and second["key"] in text
    assert [c["name"] for c in json.loads(active)["items"]] == ["b-lms"]


def test_list_says_so_when_there_is_no_client() -> None:
    out, _err = run("client", "list")
    assert out.strip()
    assert run_json("client", "list") == {"items": [], "count": 0}


#
# revoke
#


def test_revoke_by_key_or_name_stops_the_credentials_at_once() -> None:
    # given
    by_key = run_json("client", "create", "one", "--scopes", "all")
    by_name = run_json("client", "create", "two", "--scopes", "all")
    # when
    revoked = run_json("client", "revoke", by_key["key"])
    run("client", "revoke", "two")
    again = run_json("client", "revoke", "two")
    # then
    assert revoked["active"] is False and revoked["changed"] is True
    assert again["changed"] is False
    for created in (by_key, by_name):
        with pytest.raises(XapiError) as refused:
            authenticate(basic(created["key"], created["secret"]))
        assert refused.value.status == 401
    assert AuditEvent.objects.filter(action="lrs_client.revoked").count() == 2


def test_revoke_refuses_when_no_client_has_that_key_or_name() -> None:
    with pytest.raises(CommandError, match="No LRS client has the key or name nobody"):
        run("client", "revoke", "nobody")


def test_a_secret_never_starts_with_a_dash(monkeypatch):
    # given: the random source first yields a value starting with "-" (a command line such as
    # the conformance suite's `-p SECRET` would read it as an option)
    from lifelong.core.api import auth

    draws = iter(["-looks-like-an-option", "a-usable-secret"])
    monkeypatch.setattr(auth.secrets, "token_urlsafe", lambda _n: next(draws))
    # when
    created = run_json("client", "create", "LMS", "--scopes", "all")
    # then
    assert created["secret"] == "a-usable-secret"
    assert authenticate(basic(created["key"], created["secret"])).name == "LMS"
