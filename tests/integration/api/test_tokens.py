"""`lifelong api token create|list|revoke`: the token life cycle, through the command."""

import hashlib
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from lifelong.core.models import ApiToken, AuditEvent
from tests.factories.org import account

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    """Run `lifelong api ARGS…` as the CLI does; return its stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("api", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_json(*args: str) -> Any:
    out, _err = run(*args, "--json")
    return json.loads(out)


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


#
# create
#


def test_create_prints_the_token_once_and_stores_only_its_digest(org):
    # given
    user = account("admin", ("administrator", org.root))
    # when
    created = run_json("token", "create", "admin", "--name", "nightly export")
    # then: the JSON shape
    token = created["token"]
    assert isinstance(token, str) and len(token) >= 43  # 256 bits in URL-safe base64
    assert isinstance(created["id"], int)
    assert created["prefix"] == token[:8]
    assert created["username"] == "admin"
    assert created["name"] == "nightly export"
    assert created["active"] is True
    # then: the row holds the digest, never the token
    row = ApiToken.objects.get(pk=created["id"])
    assert row.user_id == user.pk
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=row.pk).values().get().values()]
    assert all(token not in value for value in stored)
    # then: the creation is audited, without the token
    event = AuditEvent.objects.get(action="token.created", target_id=str(row.pk))
    assert token not in json.dumps(event.data)
    # then: the token works
    assert bearer(token).get("/api/v1/units").status_code == 200


def test_create_without_json_prints_the_token_alone_on_stdout(org):
    # given
    account("head", ("unit_head", org.region_1))
    # when
    out, err = run("token", "create", "head")
    # then
    token = out.strip()
    assert "\n" not in token and len(token) >= 43
    assert token[:8] in err
    assert ApiToken.objects.filter(prefix=token[:8]).exists()


def test_two_tokens_of_one_account_differ(org):
    # given
    account("head", ("unit_head", org.region_1))
    # when
    first = run_json("token", "create", "head")["token"]
    second = run_json("token", "create", "head")["token"]
    # then
    assert first != second


def test_create_fails_with_a_clear_message_when_the_username_is_unknown(db):
    # when / then
    with pytest.raises(CommandError, match="ghost"):
        run("token", "create", "ghost", "--json")
    assert not ApiToken.objects.exists()


def test_create_fails_when_the_account_is_inactive(org):
    # given
    user = account("gone", ("unit_head", org.region_1))
    user.is_active = False
    user.save()
    # when / then
    with pytest.raises(CommandError):
        run("token", "create", "gone")
    assert not ApiToken.objects.exists()


def test_create_fails_when_the_name_is_too_long(org):
    # given
    account("head", ("unit_head", org.region_1))
    # when / then
    with pytest.raises(CommandError):
        run("token", "create", "head", "--name", "x" * 101)


def test_command_without_a_verb_fails(db):
    # when / then
    with pytest.raises(CommandError):
        run("token")


#
# list
#


def test_list_shows_every_token_without_revealing_any(org):
    # given
    account("head", ("unit_head", org.region_1))
    account("admin", ("administrator", org.root))
    head_token = run_json("token", "create", "head", "--name", "reports")["token"]
    admin_token = run_json("token", "create", "admin")["token"]
    # when
    listed = run_json("token", "list")
    # then
    assert listed["count"] == 2 == len(listed["items"])
    assert {item["prefix"] for item in listed["items"]} == {head_token[:8], admin_token[:8]}
    for item in listed["items"]:
        assert set(item) == {
            "id",
            "prefix",
            "username",
            "name",
            "created_at",
            "last_used_at",
            "revoked_at",
            "active",
        }
    dumped = json.dumps(listed)
    assert head_token not in dumped and admin_token not in dumped


def test_list_filters_by_username(org):
    # given
    account("head", ("unit_head", org.region_1))
    account("admin", ("administrator", org.root))
    run("token", "create", "head")
    run("token", "create", "admin")
    # when
    listed = run_json("token", "list", "head")
    # then
    assert listed["count"] == 1
    assert listed["items"][0]["username"] == "head"


def test_list_as_a_table_names_tokens_by_prefix(org):
    # given
    account("head", ("unit_head", org.region_1))
    token = run_json("token", "create", "head", "--name", "reports")["token"]
    # when
    out, _err = run("token", "list")
    # then
    assert token[:8] in out and "reports" in out and token not in out


def test_list_fails_when_the_username_is_unknown(db):
    # when / then
    with pytest.raises(CommandError, match="ghost"):
        run("token", "list", "ghost")


#
# revoke
#


def test_revoked_token_answers_401_at_once(org):
    # given
    account("head", ("unit_head", org.region_1))
    token = run_json("token", "create", "head")["token"]
    client = bearer(token)
    assert client.get("/api/v1/units").status_code == 200
    # when
    revoked = run_json("token", "revoke", token[:8])
    # then
    assert revoked["active"] is False and revoked["changed"] is True
    response = client.get("/api/v1/units")
    assert response.status_code == 401
    assert response.json()["message"]
    assert AuditEvent.objects.filter(action="token.revoked", target_id=str(revoked["id"])).exists()
    assert run_json("token", "list")["items"][0]["revoked_at"] is not None


def test_revoke_accepts_the_id(org):
    # given
    account("head", ("unit_head", org.region_1))
    created = run_json("token", "create", "head")
    # when
    out, _err = run("token", "revoke", str(created["id"]))
    # then
    assert created["prefix"] in out
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is not None


def test_revoking_twice_changes_nothing_the_second_time(org):
    # given
    account("head", ("unit_head", org.region_1))
    created = run_json("token", "create", "head")
    run("token", "revoke", created["prefix"])
    first = ApiToken.objects.get(pk=created["id"]).revoked_at
    # when
    again = run_json("token", "revoke", created["prefix"])
    # then
    assert again["changed"] is False
    assert ApiToken.objects.get(pk=created["id"]).revoked_at == first
    assert AuditEvent.objects.filter(action="token.revoked").count() == 1


def test_revoke_fails_when_no_token_matches(org):
    # given
    account("head", ("unit_head", org.region_1))
    run("token", "create", "head")
    # when / then
    with pytest.raises(CommandError, match="nosuchpx"):
        run("token", "revoke", "nosuchpx")
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_revoke_refuses_a_key_that_names_two_tokens(org):
    # given: an all-digit prefix that is also another token's id
    user = account("head", ("unit_head", org.region_1))
    first = ApiToken.objects.create(user=user, digest="a" * 64, prefix="x")
    ApiToken.objects.create(user=user, digest="b" * 64, prefix=str(first.pk))
    # when / then
    with pytest.raises(CommandError):
        run("token", "revoke", str(first.pk))
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
