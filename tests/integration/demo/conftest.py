"""One demo build shared by a module's tests, rolled back at the end of the module."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from lifelong.demo import builder

OFFICERS = 300
SEED = 11


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """Build the demo once; each test's own transaction nests inside this one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield builder.build_demo(seed=SEED, officers=OFFICERS)
        transaction.set_rollback(True)
