"""Build organisation state through the real services, as a test's given step."""

import datetime
import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser

from lifelong.org import services
from lifelong.org.models import Person, Unit

_codes = itertools.count(1)


def unit(name: str, *, parent: Unit | None = None, kind: str = "team", code: str = "") -> Unit:
    """Create a unit under `parent`."""
    return services.create_unit(
        acting_user=None, code=code or f"U{next(_codes):04d}", name=name, kind=kind, parent=parent
    )


def person(
    unit: Unit,
    family: str = "Nguyễn",
    middle: str = "Văn",
    given: str = "An",
    *,
    code: str = "",
    email: str = "",
    hire_date: datetime.date | None = datetime.date(2015, 3, 1),
) -> Person:
    """Create a person in `unit`."""
    n = next(_codes)
    return services.create_person(
        acting_user=None,
        officer_code=code or f"HQ{n:06d}",
        family_name=family,
        middle_name=middle,
        given_name=given,
        gender="male",
        unit=unit,
        work_email=email or f"officer{n}@example.test",
        hire_date=hire_date,
    )


def account(
    username: str,
    *roles: tuple[str, Unit],
    person: Person | None = None,
    password: str = "pw-for-tests-only",
) -> AbstractBaseUser:
    """Create a login with `roles` (role code, unit) granted through the services."""
    user = services.create_account(
        acting_user=None, username=username, password=password, person=person
    )
    for role, scope in roles:
        services.grant_role(acting_user=None, user=user, role=role, unit=scope)
    return get_user_model().objects.get(pk=user.pk)


@dataclass
class Org:
    """A small administration: a root, two regions with a team each, one HQ department."""

    root: Unit
    region_1: Unit
    team_1: Unit
    region_2: Unit
    team_2: Unit
    hq_dept: Unit


def small_org() -> Org:
    """Create the small administration used across integration tests."""
    root = unit("Cục Hải quan", kind="administration", code="CHQ")
    region_1 = unit("Chi cục Hải quan khu vực I", parent=root, kind="regional", code="KV01")
    team_1 = unit("Hải quan cửa khẩu sân bay Nội Bài", parent=region_1, code="KV01-01")
    region_2 = unit("Chi cục Hải quan khu vực II", parent=root, kind="regional", code="KV02")
    team_2 = unit("Hải quan cảng Sài Gòn khu vực 1", parent=region_2, code="KV02-01")
    hq_dept = unit("Ban Quản lý rủi ro", parent=root, kind="hq_department", code="QLRR")
    return Org(root, region_1, team_1, region_2, team_2, hq_dept)
