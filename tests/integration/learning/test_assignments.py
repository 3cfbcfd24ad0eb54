"""Assignments: rules apply and notify, learning closes them, overdue ones escalate once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.models import AuditEvent, Notification
from lifelong.learning.choices import AssignmentStatus
from lifelong.learning.models import Assignment
from lifelong.learning.queries import assignments as queries
from lifelong.learning.services import assignments as services
from lifelong.org.choices import PersonStatus
from tests.factories.learning_certificates import course, learn
from tests.factories.org import account, person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(org):
    office = account("office", ("training_office", org.root))
    head1 = account("head1", ("unit_head", org.region_1))
    a = person(org.team_1, "Nguyễn", "Văn", "An")
    a_user = account("an", ("officer", org.team_1), person=a)
    b = person(org.team_1, "Trần", "Thị", "Bình")
    c = person(org.team_2, "Lê", "Văn", "Cường")
    gone = person(org.team_1, "Phạm", "Văn", "Hết")
    gone.status = PersonStatus.RETIRED
    gone.save()
    return {"office": office, "head1": head1, "a": a, "a_user": a_user, "b": b, "c": c}


def test_a_rule_assigns_matching_active_officers_and_notifies_them(org, setup):
    # given
    hs = course("Nghiệp vụ kiểm tra sau thông quan")
    # when
    rule, made = services.create_rule(
        acting_user=setup["office"],
        name="Bắt buộc KTSTQ",
        course=hs,
        unit=org.region_1,
        due_days=30,
    )
    # then: the two active officers of region 1, not region 2, not the retired one
    assert {m.person_id for m in made} == {setup["a"].pk, setup["b"].pk}
    assert Notification.objects.filter(user=setup["a_user"], kind="learning.assigned").count() == 1
    assert [m.to for m in mail.outbox] == [[setup["a"].work_email]]
    assert "Nghiệp vụ kiểm tra sau thông quan" in mail.outbox[0].body
    # when: applied again
    again = services.apply_rule(acting_user=setup["office"], rule=rule)
    # then: idempotent
    assert again == []
    assert Assignment.objects.count() == 2
    assert AuditEvent.objects.filter(action="assignment_rule.applied").count() == 2


def test_a_training_office_cannot_define_rules_outside_its_scope(org, setup):
    # given
    office2 = account("office2", ("training_office", org.region_2))
    # when / then
    with pytest.raises(ValidationFailed):
        services.create_rule(
            acting_user=office2, name="x", course=course(), unit=org.region_1, due_days=10
        )
    with pytest.raises(ValidationFailed):
        services.create_rule(acting_user=office2, name="x", course=course(), due_days=10)
    with pytest.raises(NotFound):
        services.create_rule(acting_user=setup["head1"], name="x", course=course(), due_days=10)
    assert not Assignment.objects.exists()


def test_learning_the_course_after_assignment_marks_it_done(org, setup):
    # given
    hs = course()
    services.create_rule(
        acting_user=setup["office"], name="r", course=hs, unit=org.team_1, due_days=5
    )
    # when: the officer completes the course (a statement, projected after commit)
    learn(setup["a"], hs, at=timezone.now() + datetime.timedelta(seconds=1))
    # then: done on read at once, and marked done by the check
    mine = list(queries.list_my_assignments(setup["a_user"]))
    assert [m.is_done for m in mine] == [True]
    result = services.check_assignments()
    assert result.done == 1
    assert Assignment.objects.get(person=setup["a"]).status == AssignmentStatus.DONE
    assert Assignment.objects.get(person=setup["b"]).status == AssignmentStatus.OPEN


def test_overdue_assignments_escalate_to_the_unit_head_once(org, setup):
    # given: assigned, then the due date passes
    hs = course("Quản lý rủi ro")
    services.create_rule(
        acting_user=setup["office"], name="r", course=hs, unit=org.region_1, due_days=5
    )
    mail.outbox.clear()
    later = timezone.localdate() + datetime.timedelta(days=10)
    # when
    first = services.check_assignments(on=later)
    second = services.check_assignments(on=later)
    # then: each overdue assignment told the region's head once
    assert first.escalated == 2 and first.heads_notified == 2
    assert second.escalated == 0 and second.heads_notified == 0
    assert (
        Notification.objects.filter(user=setup["head1"], kind="learning.assignment_overdue").count()
        == 2
    )
    assert Assignment.objects.filter(escalated_at__isnull=False).count() == 2
    assert len(mail.outbox) == 0  # the head's account has no e-mail address


def test_overdue_list_is_scoped_and_the_cli_reports(org, setup, client, capsys):
    # given
    services.create_rule(
        acting_user=setup["office"], name="r", course=course(), unit=org.root, due_days=1
    )
    Assignment.objects.update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    # when / then: the head of region 1 sees An and Bình, not Cường
    client.force_login(setup["head1"])
    page = client.get(reverse("learning:overdue_assignments")).content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page and "Lê Văn Cường" not in page
    api = client.get("/api/v1/assignments/overdue").json()
    assert api["count"] == 2
    # when / then: an officer has no such page
    client.force_login(setup["a_user"])
    assert client.get(reverse("learning:overdue_assignments")).status_code == 404
    assert client.get("/api/v1/assignments/mine").json()["count"] == 1
    assert client.get("/api/v1/assignments/overdue").json()["count"] == 0
    # when: the operator runs the check
    call_command("learning", "assignments", "check", "--json")
    # then
    out = capsys.readouterr().out
    assert '"escalated": 3' in out


def test_rule_page_creates_and_applies_a_rule(org, setup, client):
    # given
    hs = course()
    client.force_login(setup["office"])
    url = reverse("learning:assignment_rules")
    # when: neither a due date nor days
    response = client.post(url, {"name": "r", "course": hs.pk, "unit": org.region_1.pk})
    # then
    assert response.status_code == 200 and not Assignment.objects.exists()
    # when
    response = client.post(
        url, {"name": "r", "course": hs.pk, "unit": org.region_1.pk, "due_days": "15"}
    )
    # then
    assert response.status_code == 302
    assert Assignment.objects.count() == 2
    # when: an officer opens the rules page
    client.force_login(setup["a_user"])
    assert client.get(url).status_code == 404
    page = client.get(reverse("learning:my_assignments")).content.decode()
    assert hs.title in page


def test_a_deactivated_rule_assigns_nobody_until_activated_again(org, setup, client):
    # given: a rule applied once
    rule, made = services.create_rule(
        acting_user=setup["office"],
        name="Bắt buộc KTSTQ",
        course=course("Nghiệp vụ kiểm tra sau thông quan"),
        unit=org.region_1,
        due_days=30,
    )
    client.force_login(setup["office"])
    # when: the training office deactivates it from the rules page
    response = client.post(
        reverse("learning:assignment_rule_active", args=[rule.pk]), {"active": "0"}
    )
    # then: it stays, with what it assigned, but applies no more
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.is_active is False
    assert Assignment.objects.count() == len(made) == 2
    with pytest.raises(ValidationFailed):
        services.apply_rule(acting_user=setup["office"], rule=rule)
    page = client.get(reverse("learning:assignment_rules"))
    assert "Kích hoạt lại" in page.content.decode()
    assert AuditEvent.objects.filter(action="assignment_rule.deactivated").count() == 1
    # when: activated again and a new officer arrives
    client.post(reverse("learning:assignment_rule_active", args=[rule.pk]), {"active": "1"})
    person(org.team_1, "Đỗ", "Thị", "Dung")
    # then
    assert len(services.apply_rule(acting_user=setup["office"], rule=rule)) == 1


def test_a_unit_head_cannot_deactivate_a_rule(org, setup, client):
    # given
    rule, _made = services.create_rule(
        acting_user=setup["office"],
        name="Bắt buộc KTSTQ",
        course=course("Nghiệp vụ kiểm tra sau thông quan"),
        unit=org.region_1,
        due_days=30,
    )
    client.force_login(setup["head1"])
    # when
    response = client.post(
        reverse("learning:assignment_rule_active", args=[rule.pk]), {"active": "0"}
    )
    # then
    assert response.status_code == 404
    rule.refresh_from_db()
    assert rule.is_active is True
