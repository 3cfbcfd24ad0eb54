"""The self-study and plan API: declare, approve, scope, documented in the OpenAPI."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from lifelong.learning.models import LedgerYear
from lifelong.learning.rules.plans import ItemFacts
from lifelong.learning.services import plans as plan_services
from tests.factories.learning_selfstudy import declare, officer
from tests.factories.org import account, small_org

pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/v1"


@pytest.fixture
def world():
    org = small_org()
    me, me_user = officer(org.team_1, "lan", "Phạm", "Thị", "Lan")
    _p, head = officer(org.region_1, "head1", "Trần", "Văn", "Bình", role="unit_head")
    head2 = account("head2", ("unit_head", org.region_2))
    clients = {}
    for name, user in {"me": me_user, "head": head, "head2": head2}.items():
        clients[name] = Client()
        clients[name].force_login(user)
    return me, clients


def _body(**overrides):
    body = {
        "topic": "Khóa học trực tuyến về xuất xứ hàng hóa",
        "method": "online_course",
        "learned_on": "2025-05-20",
        "hours": 4,
        "category": "job_skills",
        "learned": "Quy tắc xuất xứ ưu đãi.",
        "submit": True,
    }
    body.update(overrides)
    return body


def test_officer_declares_and_the_head_approves_through_the_api(world):
    # given
    me, clients = world
    # when
    created = clients["me"].post(f"{API}/self-study", _body(), content_type="application/json")
    # then
    assert created.status_code == 200, created.content
    declaration = created.json()
    assert (declaration["status"], declaration["hours"], declaration["officer_code"]) == (
        "submitted",
        4.0,
        me.officer_code,
    )
    queue = clients["head"].get(f"{API}/self-study", {"to_approve": True}).json()
    assert [d["id"] for d in queue["items"]] == [declaration["id"]]
    # when
    approved = clients["head"].post(f"{API}/self-study/{declaration['id']}/approve")
    # then
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved" and approved.json()["statement_id"]
    assert LedgerYear.objects.get(person=me, year=2025).hours_total == Decimal(4)


def test_bad_hours_and_dates_answer_400_with_field_messages(world):
    # given
    _me, clients = world
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    # when
    response = clients["me"].post(
        f"{API}/self-study", _body(hours=0, learned_on=future), content_type="application/json"
    )
    # then
    assert response.status_code == 400
    assert set(response.json()["details"]["fields"]) == {"hours", "learned_on"}


def test_another_regions_head_gets_404_and_sees_nothing(world):
    # given
    _me, clients = world
    declaration_id = (
        clients["me"]
        .post(f"{API}/self-study", _body(), content_type="application/json")
        .json()["id"]
    )
    # when / then
    assert clients["head2"].get(f"{API}/self-study/{declaration_id}").status_code == 404
    assert clients["head2"].post(f"{API}/self-study/{declaration_id}/approve").status_code == 404
    assert clients["head2"].get(f"{API}/self-study").json() == {"items": [], "count": 0}
    assert clients["head"].get(f"{API}/self-study").json()["count"] == 1


def test_return_needs_a_reason(world):
    # given
    _me, clients = world
    declaration_id = (
        clients["me"]
        .post(f"{API}/self-study", _body(), content_type="application/json")
        .json()["id"]
    )
    url = f"{API}/self-study/{declaration_id}/return"
    # when / then
    assert (
        clients["head"].post(url, {"reason": ""}, content_type="application/json").status_code
        == 422
    )
    returned = clients["head"].post(
        url, {"reason": "Thiếu minh chứng"}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned"


def test_a_plan_with_progress_is_read_by_its_officer_and_agreed_by_the_head(world):
    # given
    me, clients = world
    user = me.user
    plan = plan_services.save_plan(
        acting_user=user,
        year=2025,
        target_hours=Decimal(30),
        items=[ItemFacts(None, "Tự học tiếng Anh chuyên ngành", Decimal(10), 2)],
        submit=True,
    )
    declare(user, hours=Decimal(6))
    # when
    mine = clients["me"].get(f"{API}/plans/mine", {"year": 2025})
    # then
    assert mine.status_code == 200
    assert mine.json()["progress"]["hours_done"] == 0
    assert clients["head2"].get(f"{API}/plans/{plan.pk}").status_code == 404
    assert clients["me"].post(f"{API}/plans/{plan.pk}/agree").status_code == 404
    # when
    agreed = clients["head"].post(f"{API}/plans/{plan.pk}/agree")
    # then
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"


def test_the_endpoints_are_documented(world):
    # given
    _me, clients = world
    # when
    paths = clients["me"].get(f"{API}/openapi.json").json()["paths"]
    # then
    for path in (
        "/api/v1/self-study",
        "/api/v1/self-study/{declaration_id}/approve",
        "/api/v1/plans/mine",
    ):
        assert path in paths
    assert paths["/api/v1/self-study"]["post"]["summary"] == "Declare self-study"
