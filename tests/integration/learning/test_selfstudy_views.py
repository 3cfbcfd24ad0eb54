"""Self-study pages: the form keeps what was typed, lists export, the queue answers htmx."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from lifelong.learning.models import SelfStudy
from tests.factories.learning_selfstudy import declare, officer, pdf
from tests.factories.org import small_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    org = small_org()
    _me, me_user = officer(org.team_1, "lan", "Phạm", "Thị", "Lan")
    _p, head = officer(org.region_1, "head1", "Trần", "Văn", "Bình", role="unit_head")
    me, boss = Client(), Client()
    me.force_login(me_user)
    boss.force_login(head)
    return me_user, me, boss


def test_a_refused_declaration_re_renders_with_the_values_typed(world):
    # given
    _u, me, _boss = world
    future = (datetime.date.today() + datetime.timedelta(days=4)).strftime("%d/%m/%Y")
    # when
    response = me.post(
        reverse("learning:selfstudy_new"),
        {
            "topic": "Tìm hiểu Hiệp định CPTPP",
            "method": "seminar",
            "learned_on": future,
            "hours": "30",
            "category": "other",
            "content": "international",
            "learned": "Cam kết thuế quan.",
            "action": "submit",
            "evidence": pdf(),
        },
    )
    # then
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tìm hiểu Hiệp định CPTPP" in body and "Cam kết thuế quan." in body
    assert set(response.context["form"].errors) == {"hours", "learned_on"}
    assert not SelfStudy.objects.exists()


def test_a_declaration_with_evidence_is_saved_from_the_form(world):
    # given
    _u, me, _boss = world
    # when
    response = me.post(
        reverse("learning:selfstudy_new"),
        {
            "topic": "Tìm hiểu Hiệp định CPTPP",
            "method": "seminar",
            "learned_on": "02/06/2025",
            "hours": "2.5",
            "category": "other",
            "content": "international",
            "learned": "Cam kết thuế quan.",
            "action": "save",
            "evidence": [pdf("a.pdf"), pdf("b.pdf")],
        },
    )
    # then
    declaration = SelfStudy.objects.get()
    assert response.status_code == 302
    assert (declaration.status, declaration.evidence.count()) == ("draft", 2)


def test_lists_and_queue_render_and_export_xlsx(world):
    # given
    me_user, me, boss = world
    declaration = declare(me_user)
    # when / then
    assert me.get(reverse("learning:selfstudy_list")).status_code == 200
    for client, url in ((me, "learning:selfstudy_list"), (boss, "learning:approvals")):
        export = client.get(reverse(url), {"format": "xlsx"})
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    queue = boss.get(reverse("learning:approvals"))
    assert declaration.topic in queue.content.decode()
    assert boss.get(reverse("learning:selfstudy_list"), {"scope": "units"}).status_code == 200
    # an officer has no approvals queue
    assert me.get(reverse("learning:approvals")).status_code == 404


def test_the_queue_returns_a_declaration_through_htmx_with_its_row(world):
    # given
    me_user, _me, boss = world
    declaration = declare(me_user)
    url = reverse("learning:selfstudy_return", args=[declaration.pk])
    # when: no reason
    refused = boss.post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
    # then
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    # when
    returned = boss.post(url, {"reason": "Thiếu minh chứng"}, HTTP_HX_REQUEST="true")
    # then
    assert 'data-status="returned"' in returned.content.decode()
    assert SelfStudy.objects.get().status == "returned"


def test_an_officer_deletes_a_draft_but_not_a_submitted_declaration(world):
    # given
    me_user, me, boss = world
    draft = declare(me_user, submit=False)
    sent = declare(me_user, topic="Đọc Nghị định 167/2025")
    # when
    deleted = me.post(reverse("learning:selfstudy_delete", args=[draft.pk]))
    kept = me.post(reverse("learning:selfstudy_delete", args=[sent.pk]))
    by_head = boss.post(reverse("learning:selfstudy_delete", args=[sent.pk]))
    # then: the draft is gone; the submitted one stays, and the head may not delete it
    assert deleted.status_code == 302
    assert not SelfStudy.objects.filter(pk=draft.pk).exists()
    assert kept.status_code == 302
    assert SelfStudy.objects.filter(pk=sent.pk).exists()
    assert by_head.status_code == 404
    page = me.get(reverse("learning:selfstudy_detail", args=[sent.pk])).content.decode()
    assert "Xóa bản khai này" not in page
