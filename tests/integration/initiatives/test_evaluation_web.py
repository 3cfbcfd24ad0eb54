"""The councils' pages and API: queue, evaluation page, councils, proposals, the panel."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from lifelong.initiatives.models import (
    Council,
    CouncilMember,
    Evaluation,
    EvaluationScore,
    Initiative,
)
from tests.factories.org import account, person
from tests.integration.initiatives.test_evaluation import (
    World,
    build_world,
    recognise,
    score,
    scored_and_voted,
    submitted,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def world(org) -> World:
    """Councils of region 1 and of the ministry, their members, an author, the secretariat."""
    return build_world(org)


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _recognised(world):
    evaluation = submitted(world)
    scored_and_voted(world, evaluation)
    recognise(world, evaluation)
    return Initiative.objects.get(pk=evaluation.initiative_id)


#
# The queue and the evaluation page
#


def test_the_queue_lists_the_members_council_work_and_exports_it(world):
    # given
    evaluation = submitted(world)
    submitted_elsewhere = submitted(world, "Kiểm tra chéo tờ khai")
    Evaluation.objects.filter(pk=submitted_elsewhere.pk).update(council=world.ministry_council)
    # when
    page = client(world.member).get("/initiatives/queue/")
    export = client(world.member).get("/initiatives/queue/", {"format": "xlsx"})
    # then
    assert page.status_code == 200
    assert list(page.context["page"]) == [evaluation]
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "Tự động đối chiếu bản lược khai điện tử"
    assert rows[1][6] == "Chưa chấm"


def test_a_member_sees_the_case_the_criteria_and_the_score_form(world):
    # given
    evaluation = submitted(world)
    score(world.chair, evaluation, comment="Giải pháp rõ ràng, dễ nhân rộng.")
    # when
    response = client(world.member).get(f"/initiatives/evaluations/{evaluation.pk}/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đối chiếu thủ công mất nhiều giờ." in html
    assert 'id="score-form"' in html
    assert 'max="40"' in html
    assert "Giải pháp rõ ràng, dễ nhân rộng." in html
    assert 'id="vote-form"' not in html  # a plain member does not record the vote
    assert "Chưa đủ số thành viên chấm điểm sáng kiến." in html


def test_the_evaluation_page_is_not_found_for_the_author_or_an_outsider(world):
    # given
    evaluation = submitted(world)
    # when / then
    for user in (world.author_user, world.outsider, world.head, world.ministry_member):
        assert client(user).get(f"/initiatives/evaluations/{evaluation.pk}/").status_code == 404


def test_a_refused_score_is_shown_again_as_typed(world):
    # given
    evaluation = submitted(world)
    # when
    response = client(world.member).post(
        f"/initiatives/evaluations/{evaluation.pk}/score/",
        {"novelty": 45, "application": 20, "benefit": 30, "comment": "Nhận xét của tôi"},
    )
    # then
    assert response.status_code == 400
    assert response.context["score_form"].errors["novelty"]
    assert "Nhận xét của tôi" in response.content.decode()
    assert not EvaluationScore.objects.exists()


def test_the_council_scores_votes_and_recognises_through_the_pages(world):
    # given
    evaluation = submitted(world)
    url = f"/initiatives/evaluations/{evaluation.pk}"
    # when
    for user in (world.chair, world.secretary, world.member):
        response = client(user).post(
            f"{url}/score/", {"novelty": 20, "application": 25, "benefit": 30}
        )
        assert response.status_code == 302
    voted = client(world.chair).post(
        f"{url}/vote/",
        {
            "in_favour": 3,
            "against": 0,
            "abstain": 0,
            "voted_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    decided = client(world.secretary).post(
        f"{url}/recognise/",
        {
            "decision_number": "21/QĐ-HQKV1",
            "decision_date": timezone.localdate().strftime("%d/%m/%Y"),
            "authority": "Chi cục trưởng",
        },
    )
    # then
    assert (voted.status_code, decided.status_code) == (302, 302)
    initiative = Initiative.objects.get(pk=evaluation.initiative_id)
    assert (initiative.status, initiative.level) == ("recognised", "co_so")


def test_recognising_before_the_vote_shows_the_reasons_on_the_form(world):
    # given
    evaluation = submitted(world)
    # when
    response = client(world.secretary).post(
        f"/initiatives/evaluations/{evaluation.pk}/recognise/",
        {
            "decision_number": "21/QĐ-HQKV1",
            "decision_date": timezone.localdate().strftime("%d/%m/%Y"),
            "authority": "Chi cục trưởng",
        },
    )
    # then
    assert response.status_code == 400
    errors = response.context["recognise_form"].non_field_errors()
    assert "Chưa ghi kết quả biểu quyết của hội đồng." in errors
    assert response.context["recognise_form"]["decision_number"].value() == "21/QĐ-HQKV1"


def test_a_plain_member_posting_a_decision_gets_not_found(world):
    # given
    evaluation = submitted(world)
    # when
    response = client(world.member).post(
        f"/initiatives/evaluations/{evaluation.pk}/return/", {"reason": "Bổ sung số liệu."}
    )
    # then
    assert response.status_code == 404
    assert Initiative.objects.get(pk=evaluation.initiative_id).status == "submitted"


#
# The panel on the initiative's page
#


def test_the_panel_shows_the_outcome_to_the_author_and_the_scores_to_the_council(world):
    # given
    evaluation = submitted(world)
    score(world.chair, evaluation, comment="Nhận xét nội bộ của hội đồng")
    page = f"/initiatives/{evaluation.initiative_id}/"
    # when
    as_author = client(world.author_user).get(page).content.decode()
    as_member = client(world.member).get(page).content.decode()
    # then
    assert 'data-testid="evaluation-current"' in as_author
    assert "Nhận xét nội bộ của hội đồng" not in as_author
    assert 'data-testid="score-it"' not in as_author
    assert "Nhận xét nội bộ của hội đồng" in as_member
    assert 'data-testid="score-it"' in as_member


def test_the_panel_offers_the_secretariat_a_proposal_once_recognised(world):
    # given
    initiative = _recognised(world)
    page = f"/initiatives/{initiative.pk}/"
    # when
    as_secretariat = client(world.secretariat).get(page).content.decode()
    as_head = client(world.head).get(page).content.decode()
    # then
    assert 'data-testid="propose-next"' in as_secretariat
    assert 'data-testid="propose-next"' not in as_head
    assert "15/QĐ-HQKV1" in as_head


#
# Proposals
#


def test_the_secretariat_proposes_through_the_page(world):
    # given
    initiative = _recognised(world)
    url = f"/initiatives/{initiative.pk}/propose/"
    # when
    form = client(world.secretariat).get(url)
    done = client(world.secretariat).post(url, {"council": world.ministry_council.pk})
    # then
    assert list(form.context["form"].fields["council"].queryset) == [world.ministry_council]
    opened = Evaluation.objects.get(initiative=initiative, level="bo")
    assert done.status_code == 302
    assert done["Location"] == f"/initiatives/evaluations/{opened.pk}/"
    assert client(world.head).get(url).status_code == 404


#
# Councils
#


def test_the_secretariat_sets_up_a_council_and_seats_members_by_code(world):
    # given
    officer = person(world.org.region_2, "Lê", "Thị", "Hoa")
    sec = client(world.secretariat)
    # when
    created = sec.post(
        "/initiatives/councils/new/",
        {
            "name": "Hội đồng sáng kiến Chi cục Hải quan khu vực II",
            "level": "co_so",
            "unit": world.org.region_2.pk,
            "established_on": "02/01/2025",
            "decision_number": "01/QĐ-HQKV2",
        },
    )
    made = Council.objects.get(unit=world.org.region_2)
    seated = sec.post(
        f"/initiatives/councils/{made.pk}/members/",
        {"officer_code": officer.officer_code, "role": "chair"},
    )
    unknown = sec.post(
        f"/initiatives/councils/{made.pk}/members/", {"officer_code": "KHONGCO", "role": "member"}
    )
    # then
    assert created.status_code == 302
    assert seated.status_code == 302
    assert unknown.status_code == 400
    assert unknown.context["member_form"].errors["officer_code"]
    assert [(m.person, m.role) for m in CouncilMember.objects.filter(council=made)] == [
        (officer, "chair")
    ]


def test_a_ministry_council_below_the_top_is_refused_on_the_form(world):
    # when
    response = client(world.secretariat).post(
        "/initiatives/councils/new/",
        {
            "name": "Hội đồng cấp bộ",
            "level": "bo",
            "unit": world.org.region_2.pk,
            "established_on": "02/01/2025",
        },
    )
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["unit"]
    assert response.context["form"]["name"].value() == "Hội đồng cấp bộ"


def test_council_pages_are_the_secretariats_and_the_members(world):
    # when / then
    assert client(world.head).get("/initiatives/councils/new/").status_code == 404
    listing = client(world.secretariat).get("/initiatives/councils/")
    assert list(listing.context["page"]) == [world.ministry_council, world.unit_council]
    assert (
        client(world.member).get(f"/initiatives/councils/{world.unit_council.pk}/").status_code
        == 200
    )
    assert (
        client(world.member).get(f"/initiatives/councils/{world.ministry_council.pk}/").status_code
        == 404
    )
    assert (
        client(world.member)
        .post(
            f"/initiatives/councils/{world.unit_council.pk}/dissolve/",
            {"dissolved_on": "01/01/2025"},
        )
        .status_code
        == 404
    )
    export = client(world.secretariat).get("/initiatives/councils/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [world.ministry_council.name, world.unit_council.name]


#
# The API
#


def test_api_council_lifecycle_and_members(world, django_assert_max_num_queries):
    # given
    officer = person(world.org.region_2, "Lê", "Thị", "Hoa")
    sec = client(world.secretariat)
    # when
    created = sec.post(
        f"{API}/initiative-councils",
        {
            "name": "Hội đồng sáng kiến khu vực II",
            "level": "co_so",
            "unit_id": world.org.region_2.pk,
            "established_on": "2025-01-02",
            "members": [{"officer_code": officer.officer_code, "role": "chair"}],
        },
        content_type="application/json",
    )
    # then
    assert created.status_code == 200, created.content
    body = created.json()
    assert body["members"] == [
        {
            "id": body["members"][0]["id"],
            "officer_code": officer.officer_code,
            "full_name": "Lê Thị Hoa",
            "unit_id": world.org.region_2.pk,
            "role": "chair",
        }
    ]
    with django_assert_max_num_queries(8):
        listing = sec.get(f"{API}/initiative-councils").json()
    assert listing["count"] == 3
    # the ministry's first, then the units' in the order of the tree
    assert [c["member_count"] for c in listing["items"]] == [3, 3, 1]
    assert client(world.outsider).get(f"{API}/initiative-councils/{body['id']}").status_code == 404


def test_api_refuses_a_council_with_an_unknown_member_or_by_a_unit_head(world):
    # given
    body = {
        "name": "Hội đồng",
        "level": "co_so",
        "unit_id": world.org.region_1.pk,
        "established_on": "2025-01-02",
        "members": [{"officer_code": "KHONGCO"}],
    }
    # when
    unknown = client(world.secretariat).post(
        f"{API}/initiative-councils", body, content_type="application/json"
    )
    body["members"] = []
    forbidden = client(world.head).post(
        f"{API}/initiative-councils", body, content_type="application/json"
    )
    # then
    assert unknown.status_code == 400
    assert "members.0" in unknown.json()["details"]["fields"]
    assert forbidden.status_code == 404
    assert Council.objects.count() == 2


def test_api_score_vote_recognise_and_the_scores_only_for_the_council(world):
    # given
    evaluation = submitted(world)
    url = f"{API}/evaluations/{evaluation.pk}"
    # when
    for user in (world.chair, world.secretary, world.member):
        scored = client(user).put(
            f"{url}/score",
            {"novelty": 20, "application": 25, "benefit": 30, "comment": "Tốt"},
            content_type="application/json",
        )
        assert scored.status_code == 200, scored.content
    voted = client(world.chair).post(
        f"{url}/vote", {"in_favour": 3}, content_type="application/json"
    )
    decided = client(world.secretary).post(
        f"{url}/recognise",
        {
            "decision_number": "30/QĐ-HQKV1",
            "decision_date": timezone.localdate().isoformat(),
            "authority": "Chi cục trưởng",
        },
        content_type="application/json",
    )
    # then
    assert voted.json()["tally"]["reasons"] == []
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert (body["status"], body["recognition"]["decision_number"]) == ("recognised", "30/QĐ-HQKV1")
    assert body["tally"]["average_total"] == 75.0
    history = client(world.author_user).get(
        f"{API}/initiatives/{evaluation.initiative_id}/evaluations"
    )
    assert history.json()["count"] == 1
    item = history.json()["items"][0]
    assert (item["status"], item["scores"], item["tally"]) == ("recognised", None, None)


def test_api_a_non_member_cannot_score_and_bad_points_answer_400(world):
    # given
    evaluation = submitted(world)
    url = f"{API}/evaluations/{evaluation.pk}/score"
    body = {"novelty": 20, "application": 25, "benefit": 30}
    # when
    outsider = client(world.outsider).put(url, body, content_type="application/json")
    secretariat = client(world.secretariat).put(url, body, content_type="application/json")
    bad = client(world.member).put(url, {**body, "benefit": 41}, content_type="application/json")
    # then
    assert (outsider.status_code, secretariat.status_code, bad.status_code) == (404, 404, 400)
    assert list(bad.json()["details"]["fields"]) == ["benefit"]
    assert not EvaluationScore.objects.exists()


def test_api_refuse_and_return_need_their_reasons(world):
    # given
    evaluation = submitted(world)
    url = f"{API}/evaluations/{evaluation.pk}"
    # when
    empty = client(world.chair).post(
        f"{url}/refuse", {"reasons": " "}, content_type="application/json"
    )
    returned = client(world.chair).post(
        f"{url}/return", {"reason": "Bổ sung số liệu."}, content_type="application/json"
    )
    # then
    assert empty.status_code == 400
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert Initiative.objects.get(pk=evaluation.initiative_id).return_reason == "Bổ sung số liệu."


def test_api_propose_refuses_the_wrong_council_and_a_skipped_level(world):
    # given
    initiative = _recognised(world)
    url = f"{API}/initiatives/{initiative.pk}/propose"
    sec = client(world.secretariat)
    # when
    wrong = sec.post(url, {"council_id": world.unit_council.pk}, content_type="application/json")
    skipped = sec.post(
        url,
        {"council_id": world.ministry_council.pk, "level": "toan_quoc"},
        content_type="application/json",
    )
    by_head = client(world.head).post(
        url, {"council_id": world.ministry_council.pk}, content_type="application/json"
    )
    done = sec.post(url, {"council_id": world.ministry_council.pk}, content_type="application/json")
    # then
    assert wrong.status_code == 400
    assert wrong.json()["message"].startswith("Hội đồng này không công nhận sáng kiến ở cấp đó")
    assert skipped.status_code == 400
    assert skipped.json()["message"].startswith("Không được bỏ qua cấp")
    assert by_head.status_code == 404
    assert done.status_code == 200
    assert (done.json()["level"], done.json()["council_id"]) == ("bo", world.ministry_council.pk)
    queue = client(world.ministry_member).get(f"{API}/evaluations").json()
    assert [e["id"] for e in queue["items"]] == [done.json()["id"]]


def test_api_queue_stays_within_its_query_budget(world, django_assert_max_num_queries):
    # given
    for n in range(5):
        submitted(world, f"Sáng kiến số {n}")
    member = client(world.member)
    # when
    with django_assert_max_num_queries(6):
        queue = member.get(f"{API}/evaluations").json()
    # then
    assert queue["count"] == 5
    assert {e["scored_by_me"] for e in queue["items"]} == {False}


def test_api_a_new_secretariat_account_sees_no_council_outside_its_units(world):
    # given
    regional = account("sec2", ("secretariat", world.org.region_2))
    # when
    listing = client(regional).get(f"{API}/initiative-councils").json()
    # then: only the ministry council above its region
    assert [c["id"] for c in listing["items"]] == [world.ministry_council.pk]


def test_the_secretariat_edits_rearranges_and_dissolves_a_council_through_the_pages(world):
    # given
    sec = client(world.secretariat)
    url = f"/initiatives/councils/{world.unit_council.pk}"
    secretary = CouncilMember.objects.get(council=world.unit_council, role="secretary")
    member = CouncilMember.objects.get(council=world.unit_council, role="member")
    # when
    edited = sec.post(
        f"{url}/edit/",
        {"name": "Hội đồng sáng kiến khu vực I", "established_on": "01/01/2020"},
    )
    second_chair = sec.post(f"{url}/members/{member.pk}/role/", {"role": "chair"})
    removed = sec.post(f"{url}/members/{secretary.pk}/remove/")
    future = sec.post(f"{url}/dissolve/", {"dissolved_on": "01/01/2999"})
    dissolved = sec.post(
        f"{url}/dissolve/", {"dissolved_on": timezone.localdate().strftime("%d/%m/%Y")}
    )
    # then
    assert (edited.status_code, second_chair.status_code, removed.status_code) == (302, 302, 302)
    assert future.status_code == 400
    assert future.context["dissolve_form"].errors["dissolved_on"]
    assert dissolved.status_code == 302
    world.unit_council.refresh_from_db()
    assert world.unit_council.name == "Hội đồng sáng kiến khu vực I"
    assert world.unit_council.dissolved_on == timezone.localdate()
    assert CouncilMember.objects.get(pk=member.pk).role == "member"  # one chair only
    assert not CouncilMember.objects.filter(pk=secretary.pk).exists()
    page = client(world.secretariat).get(f"{url}/").content.decode()
    assert 'id="member-add"' not in page  # a dissolved council is only read


def test_api_seats_and_unseats_members(world):
    # given
    newcomer = person(world.org.region_1, "Vũ", "Thị", "Mới")
    sec = client(world.secretariat)
    url = f"{API}/initiative-councils/{world.unit_council.pk}/members"
    # when
    added = sec.post(url, {"officer_code": newcomer.officer_code}, content_type="application/json")
    twice = sec.post(url, {"officer_code": newcomer.officer_code}, content_type="application/json")
    seat = CouncilMember.objects.get(council=world.unit_council, person=newcomer)
    removed = sec.delete(f"{url}/{seat.pk}")
    by_member = client(world.member).post(
        url, {"officer_code": newcomer.officer_code}, content_type="application/json"
    )
    # then
    assert added.status_code == 200
    assert len(added.json()["members"]) == 4
    assert twice.status_code == 400
    assert removed.status_code == 200
    assert len(removed.json()["members"]) == 3
    assert by_member.status_code == 404
