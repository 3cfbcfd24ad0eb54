"""The demo organisation: deterministic, shaped like domain-vn.md §9, with working accounts."""

import datetime
import unicodedata
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, get_hasher
from django.db import transaction
from django.test import Client, override_settings

from lifelong.core.models import AuditEvent
from lifelong.demo import builder, names, plan
from lifelong.org import access
from lifelong.org.models import (
    DisciplineRecord,
    PartyMembership,
    Person,
    PositionAssignment,
    Unit,
    UnitSuccession,
)
from tests.integration.demo.conftest import OFFICERS, SEED

pytestmark = pytest.mark.django_db

REORGANISED = datetime.date(2025, 3, 1)


def _snapshot() -> dict[str, Any]:
    return {
        # Codes, not ids: PostgreSQL's sequences do not roll back.
        "units": list(
            Unit.objects.order_by("code").values_list("code", "name", "kind", "parent__code")
        ),
        "successions": sorted(
            UnitSuccession.objects.values_list("predecessor__code", "successor__code", "kind")
        ),
        "people": list(
            Person.objects.order_by("officer_code").values_list(
                "officer_code",
                "family_name",
                "middle_name",
                "given_name",
                "work_email",
                "unit__code",
                "job_position__code",
                "rank__code",
                "birth_date",
                "hire_date",
            )
        ),
        "history": sorted(
            PositionAssignment.objects.values_list(
                "person__officer_code", "unit__code", "starts_on", "ends_on"
            )
        ),
        "party": sorted(PartyMembership.objects.values_list("person__officer_code", "status")),
        "discipline": sorted(DisciplineRecord.objects.values_list("person__officer_code", "form")),
    }


def _build_and_roll_back(seed: int) -> dict[str, Any]:
    with transaction.atomic():
        builder.build_demo(seed=seed, officers=OFFICERS)
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


def test_build_is_deterministic_when_the_seed_is_the_same() -> None:
    # given a build with seed 7, rolled back
    first = _build_and_roll_back(7)
    # when the same seed is built again
    again = _build_and_roll_back(7)
    # then the same units, people, codes and names come out (another seed: test_plan.py)
    assert again == first
    assert len(first["people"]) == OFFICERS


def test_build_has_the_2025_structure_when_built(demo: Any) -> None:
    root = Unit.objects.get(code="CHQ")
    assert (root.name, root.kind, root.parent_id) == ("Cục Hải quan", "administration", None)
    assert Unit.objects.filter(parent=root, kind="hq_department").count() == 12
    assert Unit.objects.get(name="Trường Hải quan Việt Nam").kind == "training"
    assert Unit.objects.get(name="Ban Công nghệ thông tin và Thống kê hải quan").parent == root

    regions = list(Unit.objects.filter(kind="regional").order_by("code"))
    assert [r.name for r in regions] == [f"Chi cục Hải quan khu vực {n}" for n in names.ROMAN]
    for region in regions:
        assert region.valid_from == REORGANISED
        assert 5 <= region.children.filter(kind="team").count() <= 8

    former = Unit.objects.filter(kind="provincial_department")
    assert former.count() == 35
    assert {u.valid_to for u in former} == {REORGANISED - datetime.timedelta(days=1)}
    assert all(u.children.count() >= 2 for u in former)
    merges = UnitSuccession.objects.filter(predecessor__kind="provincial_department")
    assert merges.count() == 35
    assert {(s.kind, s.effective_on, s.successor.kind) for s in merges} == {
        ("merge", REORGANISED, "regional")
    }
    # every region takes over at least one former department, some several
    receiving = [merges.filter(successor=r).count() for r in regions]
    assert min(receiving) >= 1
    assert max(receiving) > 1


def test_people_are_plausible_when_built(demo: Any) -> None:
    people: list[Any] = list(Person.objects.select_related("unit", "job_position", "rank"))
    assert len(people) == OFFICERS
    for p in people:
        for text in (p.family_name, p.middle_name, p.given_name):
            assert unicodedata.is_normalized("NFC", text)
        assert p.full_name != "Nguyễn Văn Thọ"
        assert p.work_email.isascii()
        assert p.work_email.endswith("@demo.lifelong.test")
        assert p.officer_code.startswith("HQ")
        assert p.unit.valid_to is None  # people work in today's units
        assert (p.hire_date - p.birth_date).days / 365.25 > 22
        if p.job_position.group == "leadership":
            assert p.rank.code in {"08.049", "08.050", "08.051"}
    assert Person.objects.filter(job_position__code="LD-CT").count() == 1
    assert Person.objects.filter(unit__kind__in=["regional", "team"]).count() > OFFICERS // 2


def test_history_crosses_the_reorganisation_when_hired_before_2025(demo: Any) -> None:
    person = (
        Person.objects.filter(unit__kind="team", hire_date__lt=REORGANISED)
        .order_by("officer_code")
        .first()
    )
    assert person is not None
    history = list(person.assignments.select_related("unit").order_by("starts_on"))
    before, after = history[-2], history[-1]
    assert before.ends_on == REORGANISED - datetime.timedelta(days=1)
    assert before.unit.valid_to == before.ends_on
    assert (after.unit, after.starts_on, after.ends_on) == (person.unit, REORGANISED, None)
    # the former unit's history passed, directly or through its department, to today's
    successors = set(
        UnitSuccession.objects.filter(
            predecessor_id__in=[before.unit_id, before.unit.parent_id]
        ).values_list("successor_id", flat=True)
    )
    assert successors & {person.unit_id, person.unit.parent_id}


def test_sensitive_records_exist_when_built(demo: Any) -> None:
    assert PartyMembership.objects.exists()
    assert PartyMembership.objects.count() < OFFICERS // 10


def test_build_is_audited_once_when_built(demo: Any) -> None:
    assert AuditEvent.objects.filter(action=builder.DEMO_BUILT).count() == 1
    assert not AuditEvent.objects.filter(action="person.created").exists()
    assert builder.current_build() == demo
    assert (demo.seed, demo.officers) == (SEED, OFFICERS)


def test_every_demo_account_logs_in_with_its_role_when_built(demo: Any) -> None:
    for spec in plan.DEMO_ACCOUNTS:
        assert Client().login(username=spec.username, password=spec.password), spec.username
        user = get_user_model().objects.get(username=spec.username)
        assert access.roles_of(user) == {spec.role}
        assert list(user.role_grants.values_list("unit__code", flat=True)) == [spec.unit]
        assert user.person.unit.code == spec.person_unit
    holders = Person.objects.filter(user__isnull=False).count()
    assert holders == len(plan.DEMO_ACCOUNTS)
    head = Person.objects.select_related("job_position").get(user__username="head1")
    assert head.job_position is not None
    assert head.job_position.code == "LD-CCT"


def test_unit_head_sees_own_region_only_when_logged_in(demo: Any) -> None:
    client = Client()
    assert client.login(username="head1", password="demo-head1-2025")
    region_1 = Unit.objects.get(code="KV01")
    region_2 = Unit.objects.get(code="KV02")
    succession = UnitSuccession.objects.filter(successor=region_1).first()
    assert succession is not None
    former = succession.predecessor
    assert client.get(f"/org/units/{region_1.pk}/").status_code == 200
    assert client.get(f"/org/units/{former.pk}/").status_code == 200
    assert client.get(f"/org/units/{region_2.pk}/").status_code == 404


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"])
def test_demo_password_hash_is_upgraded_when_first_used() -> None:
    # given a demo password stored with the light work factor
    encoded = builder.demo_password_hash("demo-head1-2025")
    # then it checks, and Django will re-hash it at full strength on the first login
    assert check_password("demo-head1-2025", encoded)
    assert get_hasher().must_update(encoded)
    # (a wrong password is not tried here: Django then hardens the runtime to full strength)
