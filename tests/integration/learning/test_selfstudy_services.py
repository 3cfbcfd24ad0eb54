"""Self-study declarations: approval writes the statement, the ledger follows, scope holds."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.models import AuditEvent
from lifelong.learning.models import LearningRecord, LedgerYear, SelfStudy, SelfStudyEvidence
from lifelong.learning.services import selfstudy as services
from tests.factories.learning_selfstudy import PNG, data, declare, officer, pdf
from tests.factories.org import account, small_org

pytestmark = pytest.mark.django_db(transaction=True)


def _ledger(person_id: int, year: int = 2025) -> Decimal:
    row = LedgerYear.objects.filter(person_id=person_id, year=year).first()
    return row.hours_total if row else Decimal(0)


@pytest.fixture
def world():
    org = small_org()
    me, me_user = officer(org.team_1, "lan", "Phạm", "Thị", "Lan")
    _head_person, head = officer(org.region_1, "head1", "Trần", "Văn", "Bình", role="unit_head")
    head2 = account("head2", ("unit_head", org.region_2))
    return org, me, me_user, head, head2


def test_approval_writes_one_statement_and_the_hours_count_in_the_ledger(world):
    # given
    _org, me, me_user, head, _head2 = world
    declaration = declare(me_user, hours=Decimal("3.5"))
    assert _ledger(me.pk) == 0
    # when
    approved = services.approve_declaration(acting_user=head, declaration=declaration)
    # then
    assert approved.status == "approved" and approved.statement_id is not None
    record = LearningRecord.objects.get(statement_id=approved.statement_id)
    assert (record.verb, record.hours, record.category) == (
        "completed",
        Decimal("3.50"),
        "job_skills",
    )
    assert record.contents == "law_policy"
    ledger = LedgerYear.objects.get(person=me, year=2025)
    assert ledger.hours_total == Decimal("3.50")
    assert ledger.by_content == {"law_policy": 3.5}
    assert AuditEvent.objects.filter(action="selfstudy.approved").count() == 1


def test_return_needs_a_reason_and_the_returned_declaration_can_be_resubmitted(world):
    # given
    _org, me, me_user, head, _head2 = world
    declaration = declare(me_user)
    # when / then: no reason
    with pytest.raises(ValidationFailed):
        services.return_declaration(acting_user=head, declaration=declaration, reason="  ")
    # when
    returned = services.return_declaration(
        acting_user=head, declaration=declaration, reason="Thiếu minh chứng"
    )
    # then
    assert (returned.status, returned.return_reason) == ("returned", "Thiếu minh chứng")
    assert _ledger(me.pk) == 0
    # when: the officer edits and resubmits
    again = services.save_declaration(
        acting_user=me_user, data=data(hours=Decimal(2)), submit=True, declaration=returned
    )
    # then
    assert (again.status, again.return_reason, again.hours) == ("submitted", "", Decimal(2))


def test_officer_edit_of_an_approved_declaration_voids_it_until_approved_again(world):
    # given
    _org, me, me_user, head, _head2 = world
    approved = services.approve_declaration(acting_user=head, declaration=declare(me_user))
    first = approved.statement_id
    assert _ledger(me.pk) == Decimal(3)
    # when
    edited = services.save_declaration(
        acting_user=me_user, data=data(hours=Decimal(5)), submit=True, declaration=approved
    )
    # then: the old statement no longer counts, and the declaration is back in the queue
    assert (edited.status, edited.statement_id) == ("submitted", None)
    assert LearningRecord.objects.get(statement_id=first).voided
    assert _ledger(me.pk) == 0
    # when
    reapproved = services.approve_declaration(acting_user=head, declaration=edited)
    # then: the new hours count, once
    assert reapproved.statement_id != first
    assert _ledger(me.pk) == Decimal(5)


def test_approver_correction_replaces_the_hours_at_once_without_doubling(world):
    # given
    _org, me, me_user, head, _head2 = world
    approved = services.approve_declaration(acting_user=head, declaration=declare(me_user))
    old = approved.statement_id
    # when
    corrected = services.correct_declaration(
        acting_user=head, declaration=approved, data=data(hours=Decimal("2.5"))
    )
    # then
    assert corrected.status == "approved" and corrected.statement_id != old
    assert LearningRecord.objects.get(statement_id=old).voided
    assert _ledger(me.pk) == Decimal("2.50")


def test_a_head_of_another_region_cannot_see_or_approve(world):
    # given
    _org, _me, me_user, _head, head2 = world
    declaration = declare(me_user)
    client = Client()
    client.force_login(head2)
    # when / then: service
    with pytest.raises(NotFound):
        services.approve_declaration(acting_user=head2, declaration=declaration)
    # when / then: pages
    assert (
        client.get(reverse("learning:selfstudy_detail", args=[declaration.pk])).status_code == 404
    )
    response = client.post(reverse("learning:selfstudy_approve", args=[declaration.pk]))
    assert response.status_code == 404
    assert declaration.pk not in [
        d.pk for d in client.get(reverse("learning:approvals")).context["page"]
    ]
    assert SelfStudy.objects.get(pk=declaration.pk).status == "submitted"


def test_a_unit_head_never_approves_their_own_declaration(world):
    # given: the head of region 1 declares (their own unit is in their scope)
    _org, _me, _me_user, head, _head2 = world
    own = declare(head)
    # when / then
    with pytest.raises(NotFound):
        services.approve_declaration(acting_user=head, declaration=own)


def test_evidence_downloads_for_owner_and_scope_only_and_each_read_is_audited(world):
    # given
    org, _me, me_user, head, head2 = world
    declaration = declare(me_user, uploads=(pdf(),))
    evidence = SelfStudyEvidence.objects.get(declaration=declaration)
    url = reverse("learning:selfstudy_evidence", args=[declaration.pk, evidence.pk])
    training = account("train", ("training_office", org.region_1))
    owner, inside, office, outside = Client(), Client(), Client(), Client()
    owner.force_login(me_user)
    inside.force_login(head)
    office.force_login(training)
    outside.force_login(head2)
    # when / then
    for client in (owner, inside, office):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert outside.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="file.read").count() == 3
    assert AuditEvent.objects.filter(action="access.denied", actor=head2).exists()


def test_bad_values_are_refused_with_clear_messages_and_nothing_saved(world):
    # given
    _org, _me, me_user, _head, _head2 = world
    declare(me_user, hours=Decimal(20))
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    cases = [
        ({"hours": Decimal(0)}, "hours"),
        ({"hours": Decimal(-1)}, "hours"),
        ({"hours": Decimal(25)}, "hours"),
        ({"hours": Decimal(5)}, "hours"),  # 20 + 5 on the same day
        ({"learned_on": tomorrow}, "learned_on"),
        ({"learned_on": datetime.date(1999, 12, 31)}, "learned_on"),
    ]
    for overrides, field in cases:
        # when / then
        with pytest.raises(ValidationFailed) as refused:
            services.save_declaration(acting_user=me_user, data=data(**overrides), submit=True)
        assert field in refused.value.details["fields"]
    assert SelfStudy.objects.count() == 1


def test_a_wrong_type_of_evidence_is_refused_and_nothing_is_saved(world):
    # given
    from django.core.files.uploadedfile import SimpleUploadedFile

    _org, _me, me_user, _head, _head2 = world
    fake = SimpleUploadedFile(
        "chung-nhan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        declare(me_user, uploads=(fake,))
    assert "evidence" in refused.value.details["fields"]
    assert SelfStudy.objects.count() == 0
    # when / then: a PNG is fine
    png = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    assert declare(me_user, uploads=(png,)).evidence.count() == 1


def test_evidence_is_removable_before_approval_and_a_bad_correction_is_refused(world):
    # given
    _org, _me, me_user, head, _head2 = world
    declaration = declare(me_user, submit=False, uploads=(pdf("a.pdf"), pdf("b.pdf")))
    first = declaration.evidence.order_by("pk").first()
    assert first is not None
    # when
    services.save_declaration(
        acting_user=me_user,
        data=data(),
        submit=True,
        declaration=declaration,
        remove_evidence=[first.pk],
    )
    # then
    assert declaration.evidence.count() == 1
    approved = services.approve_declaration(acting_user=head, declaration=declaration)
    with pytest.raises(ValidationFailed):
        services.correct_declaration(
            acting_user=head, declaration=approved, data=data(hours=Decimal(-2))
        )
