"""Helpers of the API tests: a client that sends a bearer token for a given account."""

from collections.abc import Callable

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client

from lifelong.core.api.auth import create_token

ApiClient = Callable[[AbstractBaseUser], Client]


@pytest.fixture
def api_client(db: None) -> ApiClient:
    """Return a factory: account → test client authenticated with a fresh token of it."""

    def make(user: AbstractBaseUser) -> Client:
        _row, token = create_token(acting_user=None, user=user)
        # English messages, so assertions on text do not depend on the default language.
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")

    return make
