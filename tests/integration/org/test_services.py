"""Organisation services and queries against the database."""

import datetime

import pytest
from django.test import Client

from lifelong.core.exceptions import Conflict, NotFound, ValidationFailed
from lifelong.core.models import AppendOnlyError, AuditEvent
from lifelong.org import access, queries, services
from lifelong.org.models import Person, Unit
from lifelong.org.rules import Capability
from tests.factories.org import account, person, unit

pytestmark = pytest.mark.django_db

REORG = datetime.date(2025, 3, 1)


def test_subtree_query_finds_descendants_only(org):
    # given
    deep = unit("Tổ A", parent=org.team_1)
    # when
    low, high = Unit.subtree_range(org.region_1.path)
    found = set(Unit.objects.filter(path__gte=low, path__lt=high).values_list("pk", flat=True))
    # then
    assert found == {org.region_1.pk, org.team_1.pk, deep.pk}


def test_moving_a_unit_moves_its_subtree(org):
    # given
    deep = unit("Tổ A", parent=org.team_1)
    # when
    services.update_unit(acting_user=None, unit=org.team_1, parent=org.region_2)
    # then
    deep.refresh_from_db()
    assert deep.path.startswith(org.region_2.path)
    assert deep.depth == 3


def test_moving_a_unit_under_its_own_sub_unit_is_refused_and_changes_nothing(org):
    # given
    before = org.region_1.path
    # when / then
    with pytest.raises(Conflict):
        services.update_unit(acting_user=None, unit=org.region_1, parent=org.team_1)
    org.region_1.refresh_from_db()
    assert org.region_1.path == before
    assert org.region_1.parent_id == org.root.pk


def test_merge_closes_the_former_unit_and_history_rolls_up_to_the_successor(org):
    # given: a former provincial department with a person whose history is there
    former = unit("Cục Hải quan tỉnh Vĩnh Phúc", parent=org.root, kind="provincial_department")
    p = person(former, given="Hạnh", hire_date=datetime.date(2010, 1, 1))
    # when
    services.record_succession(
        acting_user=None,
        predecessor=former,
        successor=org.region_1,
        kind="merge",
        effective_on=REORG,
    )
    services.move_person(
        acting_user=None, person=p, unit=org.team_1, job_position=None, starts_on=REORG
    )
    # then: the former unit ended the day before, the history keeps both assignments
    former.refresh_from_db()
    assert former.valid_to == datetime.date(2025, 2, 28)
    history = queries.position_history(p)
    assert [(a.unit_id, a.ends_on) for a in history] == [
        (org.team_1.pk, None),
        (former.pk, datetime.date(2025, 2, 28)),
    ]
    # and the successor's head sees the former unit (its history rolls up), region 2 does not
    head_1 = account("head-1", ("unit_head", org.region_1))
    head_2 = account("head-2", ("unit_head", org.region_2))
    assert access.in_scope(head_1, Capability.SEE_UNITS, former)
    assert not access.in_scope(head_2, Capability.SEE_UNITS, former)


def test_succession_that_would_form_a_cycle_is_refused(org):
    # given
    services.record_succession(
        acting_user=None,
        predecessor=org.team_1,
        successor=org.team_2,
        kind="merge",
        effective_on=REORG,
        close_predecessor=False,
    )
    # when / then
    with pytest.raises(Conflict):
        services.record_succession(
            acting_user=None,
            predecessor=org.team_2,
            successor=org.team_1,
            kind="merge",
            effective_on=REORG,
        )
    org.team_2.refresh_from_db()
    assert org.team_2.valid_to is None


def test_duplicate_officer_code_is_refused(org):
    # given
    person(org.team_1, code="HQ000001")
    # when / then
    with pytest.raises(Conflict):
        person(org.team_2, code="HQ000001")
    assert Person.objects.filter(officer_code="HQ000001").count() == 1


def test_bad_email_is_refused_with_a_field_message(org):
    with pytest.raises(ValidationFailed) as caught:
        person(org.team_1, email="not-an-email")
    assert "work_email" in caught.value.details["fields"]


def test_names_are_stored_nfc(org):
    # given: decomposed input
    import unicodedata

    p = person(
        org.team_1,
        unicodedata.normalize("NFD", "Nguyễn"),
        "Thị",
        unicodedata.normalize("NFD", "Ánh"),
    )
    # then
    p.refresh_from_db()
    assert p.family_name == "Nguyễn"
    assert p.given_name == unicodedata.normalize("NFC", "Ánh")


def test_people_are_listed_in_vietnamese_order(org):
    # given
    for family, middle, given in [
        ("Trần", "Văn", "Bình"),
        ("Nguyễn", "Thị", "Ánh"),
        ("Lê", "Văn", "An"),
        ("Đỗ", "Văn", "Anh"),
    ]:
        person(org.team_1, family, middle, given)
    head = account("head", ("unit_head", org.region_1))
    # when
    names = [p.full_name for p in queries.list_people(head, unit=org.region_1)]
    # then
    assert names == ["Lê Văn An", "Đỗ Văn Anh", "Nguyễn Thị Ánh", "Trần Văn Bình"]


def test_sensitive_reads_are_need_to_know_and_audited(org):
    # given
    p = person(org.team_1)
    services.set_party_membership(
        acting_user=None, person=p, status="full", admitted_on=datetime.date(2012, 5, 19)
    )
    committee = account("committee", ("pipeline_committee", org.region_1))
    admin = account("admin", ("administrator", org.root))
    # when
    membership = queries.read_party_membership(committee, p)
    # then
    assert membership is not None and membership.status == "full"
    assert (
        AuditEvent.objects.filter(
            action="sensitive.read", actor=committee, target_id=str(p.pk)
        ).count()
        == 1
    )
    with pytest.raises(NotFound):
        queries.read_party_membership(admin, p)
    assert AuditEvent.objects.filter(action="access.denied", actor=admin).exists()


def test_sensitive_section_on_person_page_is_shown_only_to_its_readers(org):
    # given
    p = person(org.team_1)
    services.add_discipline_record(
        acting_user=None,
        person=p,
        form="reprimand",
        decided_on=datetime.date(2024, 6, 1),
        decision_number="12/QĐ",
    )
    head = Client()
    head.force_login(account("head", ("unit_head", org.region_1)))
    trainer = Client()
    trainer.force_login(account("trainer", ("training_office", org.root)))
    # when
    shown = head.get(f"/org/people/{p.officer_code}/", {"show": "discipline"}).content.decode()
    hidden = trainer.get(f"/org/people/{p.officer_code}/", {"show": "discipline"}).content.decode()
    # then
    assert "12/QĐ" in shown
    assert "12/QĐ" not in hidden


def test_audit_events_cannot_be_changed_or_deleted(org):
    # given
    event = AuditEvent.objects.first()
    assert event is not None
    # when / then
    event.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_writes_record_before_and_after(org):
    # given
    p = person(org.team_1, given="Cường")
    # when
    services.update_person(acting_user=None, person=p, given_name="Cương")
    # then
    event = AuditEvent.objects.filter(action="person.updated").first()
    assert event.before["given_name"] == "Cường"
    assert event.after["given_name"] == "Cương"
