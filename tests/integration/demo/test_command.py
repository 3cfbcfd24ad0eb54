"""`lifelong demo --no-serve --json`: one JSON object on stdout, a reused build on restart."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lifelong.demo import plan
from lifelong.demo.models import DemoBuild

pytestmark = pytest.mark.django_db


def _run(*args: str, **options: object) -> dict[str, Any]:
    out, err = StringIO(), StringIO()
    call_command("demo", "--no-serve", "--json", *args, stdout=out, stderr=err, **options)
    assert err.getvalue() == ""  # quiet under --json
    payload: dict[str, Any] = json.loads(out.getvalue())  # one JSON object, nothing else
    return payload


def test_demo_prints_url_and_accounts_when_json() -> None:
    # when
    payload = _run("--port", "8123", officers=300)
    # then
    assert set(payload) == {"url", "accounts"}
    assert payload["url"] == "http://127.0.0.1:8123/"
    accounts = payload["accounts"]
    assert [a["username"] for a in accounts] == [s.username for s in plan.DEMO_ACCOUNTS]
    for account, spec in zip(accounts, plan.DEMO_ACCOUNTS, strict=True):
        assert account == {
            "username": spec.username,
            "password": spec.password,
            "roles": [spec.role],
            "unit": spec.unit,
        }


def test_demo_reuses_the_build_when_started_again() -> None:
    # given
    first = _run(officers=300, seed=3)
    # when started again, even with other options
    again = _run(officers=400, seed=4)
    # then nothing is built twice
    assert again == first
    assert DemoBuild.objects.count() == 1
    assert DemoBuild.objects.get().officers == 300


def test_demo_refuses_when_too_few_officers() -> None:
    with pytest.raises(CommandError):
        call_command("demo", "--no-serve", "--json", officers=10, stdout=StringIO())


def test_demo_refuses_when_the_database_holds_another_organisation(org: Any) -> None:
    # given an organisation the demo did not build (the `org` fixture)
    # when / then
    with pytest.raises(CommandError):
        call_command("demo", "--no-serve", "--json", officers=300, stdout=StringIO())
    assert not DemoBuild.objects.exists()
