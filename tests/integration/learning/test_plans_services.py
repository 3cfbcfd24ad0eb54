"""Learning plans: default target by group, submit, agree or return, progress from the ledger."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.learning.models import AnnualTarget, Course, LearningPlan
from lifelong.learning.queries import plans as queries
from lifelong.learning.rules.plans import ItemFacts
from lifelong.learning.services import plans as services
from lifelong.learning.services import selfstudy as selfstudy_services
from lifelong.org.models import JobPosition
from tests.factories.learning_selfstudy import declare, officer
from tests.factories.org import account, small_org

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    org = small_org()
    me, me_user = officer(org.team_1, "lan", "Phạm", "Thị", "Lan")
    _p, head = officer(org.region_1, "head1", "Trần", "Văn", "Bình", role="unit_head")
    head2 = account("head2", ("unit_head", org.region_2))
    return org, me, me_user, head, head2


def _course(code: str = "HQ-HS-01") -> Course:
    return Course.objects.create(
        code=code,
        title="Phân loại hàng hóa",
        periods=Decimal(16),
        hours=Decimal(12),
        level="basic",
        provider="customs_school",
        delivery_mode="classroom",
        category="job_skills",
    )


def test_the_default_target_is_the_annual_target_of_the_officers_group(world):
    # given
    _org, me, _u, _h, _h2 = world
    AnnualTarget.objects.create(position_group="", from_year=2020, hours=Decimal(30))
    AnnualTarget.objects.create(position_group="leadership", from_year=2024, hours=Decimal(40))
    # when / then: no job position: the all-groups row
    assert queries.default_target(me, 2025) == Decimal(30)
    # when / then: a leader
    me.job_position = JobPosition.objects.create(code="TP", name="Trưởng phòng", group="leadership")
    me.save()
    assert queries.default_target(me, 2025) == Decimal(40)


def test_submit_agree_and_progress_counts_ledger_hours_and_planned_courses(world):
    # given
    _org, _me, me_user, head, _h2 = world
    course = _course()
    plan = services.save_plan(
        acting_user=me_user,
        year=2025,
        target_hours=Decimal(30),
        items=[
            ItemFacts(course.pk, "", Decimal(12), 2),
            ItemFacts(None, "Tự học dữ liệu", Decimal(10), None),
        ],
        submit=True,
    )
    # when
    agreed = services.agree_plan(acting_user=head, plan=plan)
    selfstudy_services.approve_declaration(
        acting_user=head, declaration=declare(me_user, hours=Decimal(6))
    )
    # then
    assert agreed.status == "agreed" and agreed.agreed_by_id == head.pk
    progress = queries.plan_progress(LearningPlan.objects.get(pk=plan.pk))
    assert (progress.hours_done, progress.share, progress.courses_done) == (
        Decimal(6),
        Decimal("0.20"),
        0,
    )


def test_return_needs_a_reason_and_an_edit_needs_agreement_again(world):
    # given
    _org, _me, me_user, head, _h2 = world
    items = [ItemFacts(None, "Đọc sách chuyên ngành", Decimal(8), 1)]
    plan = services.save_plan(
        acting_user=me_user, year=2025, target_hours=Decimal(30), items=items, submit=True
    )
    # when / then
    with pytest.raises(ValidationFailed):
        services.return_plan(acting_user=head, plan=plan, reason="")
    returned = services.return_plan(acting_user=head, plan=plan, reason="Thêm khóa học bắt buộc")
    assert returned.status == "returned"
    with pytest.raises(ValidationFailed):
        services.agree_plan(acting_user=head, plan=returned)
    # when: the officer changes and resubmits
    again = services.save_plan(
        acting_user=me_user, year=2025, target_hours=Decimal(35), items=items, submit=True
    )
    # then
    assert (again.status, again.return_reason, again.target_hours) == ("submitted", "", Decimal(35))


def test_bad_plans_are_refused_with_messages(world):
    # given
    _org, _me, me_user, _h, _h2 = world
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        services.save_plan(
            acting_user=me_user,
            year=2025,
            target_hours=Decimal(0),
            items=[ItemFacts(None, "", Decimal(-1), 7)],
        )
    assert {"target_hours", "items.0"} <= set(refused.value.details["fields"])
    with pytest.raises(ValidationFailed):
        services.save_plan(
            acting_user=me_user, year=2025, target_hours=Decimal(30), items=[], submit=True
        )
    assert not LearningPlan.objects.exists()


def test_another_regions_head_cannot_see_or_agree(world):
    # given
    _org, _me, me_user, _head, head2 = world
    plan = services.save_plan(
        acting_user=me_user,
        year=2025,
        target_hours=Decimal(30),
        items=[ItemFacts(None, "Đọc sách", Decimal(8), 1)],
        submit=True,
    )
    client = Client()
    client.force_login(head2)
    # when / then
    with pytest.raises(NotFound):
        services.agree_plan(acting_user=head2, plan=plan)
    assert client.get(reverse("learning:plan_detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("learning:plan_agree", args=[plan.pk])).status_code == 404
    assert list(queries.plans_to_agree(head2)) == []


def test_my_plan_pages_render_and_the_form_saves_a_plan(world):
    # given
    _org, _me, me_user, head, _h2 = world
    client = Client()
    client.force_login(me_user)
    # when
    empty = client.get(reverse("learning:my_plan"), {"year": 2025})
    form = client.get(reverse("learning:plan_edit", args=[2025]))
    saved = client.post(
        reverse("learning:plan_edit", args=[2025]),
        {
            "target_hours": "30",
            "note": "",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-description": "Tự học Excel nâng cao",
            "items-0-planned_hours": "8",
            "items-0-quarter": "3",
            "items-1-description": "",
            "action": "submit",
        },
    )
    # then
    assert (empty.status_code, form.status_code, saved.status_code) == (200, 200, 302)
    plan = LearningPlan.objects.get()
    assert (plan.status, plan.items.count()) == ("submitted", 1)
    page = client.get(reverse("learning:my_plan"), {"year": 2025})
    assert "Tự học Excel nâng cao" in page.content.decode()
    export = client.get(reverse("learning:my_plan"), {"year": 2025, "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    reviewer = Client()
    reviewer.force_login(head)
    assert reviewer.get(reverse("learning:approvals")).context["plans"][0] == plan
    assert reviewer.get(reverse("learning:plan_approvals"), {"year": 2025}).status_code == 200
