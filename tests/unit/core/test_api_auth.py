"""Token helpers and the bearer check's early refusals: pure, no database."""

import hashlib
import re

import pytest
from django.test import RequestFactory
from ninja.errors import AuthenticationError

from lifelong.core.api import auth
from lifelong.core.api.auth import (
    MAX_TOKEN_LENGTH,
    BearerToken,
    digest,
    new_token,
    token_prefix,
)
from lifelong.core.api.exceptions import ErrorOut, ValidationErrorOut, responses


def test_new_token_carries_256_random_bits_in_url_safe_text():
    # when
    tokens = {new_token() for _ in range(200)}
    # then
    assert len(tokens) == 200
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 32 bytes, base64url, no padding


def test_digest_is_the_sha256_hex_of_the_token():
    # given
    token = "abc"
    # when
    value = digest(token)
    # then
    assert value == hashlib.sha256(b"abc").hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", value)
    assert digest(token) == value
    assert digest("abd") != value


def test_digest_of_a_token_never_contains_the_token():
    # given
    token = new_token()
    # when / then
    assert token not in digest(token)


def test_prefix_is_the_first_eight_characters():
    # given
    token = new_token()
    # when / then
    assert token_prefix(token) == token[:8]
    assert len(token_prefix(token)) == 8


@pytest.mark.parametrize("token", ["", "   ", "x" * (MAX_TOKEN_LENGTH + 1)])
def test_bearer_check_refuses_an_empty_or_oversized_token_before_any_lookup(token):
    # given: no database here, so a lookup would fail the test
    request = RequestFactory().get("/api/v1/units")
    # when / then
    with pytest.raises(AuthenticationError):
        BearerToken().authenticate(request, token)


def test_responses_declare_ok_and_each_error_schema():
    # when
    declared = responses(dict, 401, 404, 422)
    # then
    assert declared == {200: dict, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def test_a_new_token_never_starts_with_a_dash(monkeypatch):
    # given: the random source first yields a token that starts with "-" (its prefix would read
    # as an option on the command line: `lifelong api token revoke -abc`)
    draws = iter(["-starts-with-a-dash", "fine-token"])
    monkeypatch.setattr(auth.secrets, "token_urlsafe", lambda _n: next(draws))
    # when / then
    assert auth.new_token() == "fine-token"
