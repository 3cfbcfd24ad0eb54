"""Councils evaluate initiatives: score, vote, recognise, refuse, return, propose; who may act."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.models import AuditEvent, Notification
from lifelong.initiatives.models import (
    Council,
    CouncilMember,
    Evaluation,
    EvaluationScore,
    Initiative,
    InitiativeAuthor,
    Recognition,
)
from lifelong.initiatives.queries import evaluation as queries
from lifelong.initiatives.services import councils as council_services
from lifelong.initiatives.services import evaluation as services
from lifelong.initiatives.services.evaluation import open_evaluation
from lifelong.org.models import Person
from tests.factories.initiatives import council as make_council
from tests.factories.initiatives import recognised_initiative
from tests.factories.org import Org, account, person

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """A unit council of region 1 (chair, secretary, member), the ministry council, people."""

    org: Org
    author: Person
    author_user: Any
    chair: Any
    secretary: Any
    member: Any
    outsider: Any
    ministry_member: Any
    secretariat: Any
    head: Any
    unit_council: Council
    ministry_council: Council


def _officer(unit, username, given, *roles):
    someone = person(unit, "Trần", "Văn", given)
    return someone, account(username, ("officer", unit), *roles, person=someone)


@pytest.fixture
def world(org):
    """The world every test here starts from."""
    return build_world(org)


def build_world(org: Org) -> World:
    """Build the councils and the people of `World` in `org`."""
    author, author_user = _officer(org.team_1, "author", "Tác")
    chair_p, chair = _officer(org.region_1, "chair", "Chủ")
    secretary_p, secretary = _officer(org.region_1, "secretary", "Thư")
    member_p, member = _officer(org.region_1, "member", "Viên")
    _o, outsider = _officer(org.team_1, "outsider", "Ngoài")
    m1, ministry_member = _officer(org.hq_dept, "ministry1", "Bộ")
    m2, _u2 = _officer(org.hq_dept, "ministry2", "Hai")
    m3, _u3 = _officer(org.hq_dept, "ministry3", "Ba")
    secretariat = account("sec", ("secretariat", org.root))
    head = account("head1", ("unit_head", org.region_1))
    unit_council = make_council(
        org.region_1,
        "co_so",
        [(chair_p, "chair"), (secretary_p, "secretary"), (member_p, "member")],
    )
    ministry_council = make_council(
        org.root, "bo", [(m1, "chair"), (m2, "secretary"), (m3, "member")]
    )
    return World(
        org,
        author,
        author_user,
        chair,
        secretary,
        member,
        outsider,
        ministry_member,
        secretariat,
        head,
        unit_council,
        ministry_council,
    )


def submitted(world: World, title: str = "Tự động đối chiếu bản lược khai điện tử") -> Evaluation:
    """Given an initiative of team 1 submitted by its author, under evaluation at cơ sở."""
    initiative = Initiative.objects.create(
        title=title,
        unit=world.org.team_1,
        field="digital",
        problem="Đối chiếu thủ công mất nhiều giờ.",
        solution="Phần mềm so khớp tự động.",
        novelty="Lần đầu áp dụng tại đơn vị.",
        applied_from=datetime.date(2024, 1, 15),
        status="submitted",
        created_by=world.author_user,
        search_text="tu dong doi chieu ban luoc khai dien tu",
    )
    InitiativeAuthor.objects.create(initiative=initiative, person=world.author, share=100)
    return open_evaluation(acting_user=world.author_user, initiative=initiative, level="co_so")


def score(user, evaluation, points=(20, 20, 30), **extra):
    novelty, application, benefit = points
    return services.score_evaluation(
        acting_user=user,
        evaluation=evaluation,
        novelty=novelty,
        application=application,
        benefit=benefit,
        **extra,
    )


def vote(world, evaluation, in_favour=3, against=0, abstain=0, user=None):
    return services.record_vote(
        acting_user=user or world.chair,
        evaluation=evaluation,
        in_favour=in_favour,
        against=against,
        abstain=abstain,
    )


def recognise(world, evaluation, user=None, number="15/QĐ-HQKV1"):
    return services.recognise_initiative(
        acting_user=user or world.secretary,
        evaluation=evaluation,
        decision_number=number,
        decision_date=timezone.localdate(),
        authority="Chi cục trưởng Chi cục Hải quan khu vực I",
    )


def scored_and_voted(world, evaluation):
    for user in (world.chair, world.secretary, world.member):
        score(user, evaluation)
    vote(world, evaluation)


def actions(target) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(target.pk), target_type=target._meta.label_lower)
        .order_by("pk")
        .values_list("action", flat=True)
    )


#
# Scoring
#


def test_members_score_and_the_tally_adds_them_up(world):
    # given
    evaluation = submitted(world)
    # when
    score(world.chair, evaluation, (25, 20, 30), comment="Có tính mới rõ rệt.")
    score(world.member, evaluation, (15, 20, 20))
    # then
    tally = queries.tally_of(evaluation)
    assert (tally.scored, tally.members, tally.average_total) == (2, 3, Decimal("65.00"))
    assert tally.reasons == ["vote_missing"]
    assert actions(evaluation) == ["evaluation.opened", "evaluation.scored", "evaluation.scored"]


def test_a_member_changes_their_score_while_open_and_keeps_one_row(world):
    # given
    evaluation = submitted(world)
    score(world.member, evaluation, (10, 10, 10))
    # when
    score(world.member, evaluation, (20, 25, 35), excluded=False, comment="Đã xem lại.")
    # then
    rows = EvaluationScore.objects.filter(evaluation=evaluation)
    assert [(r.novelty, r.application, r.benefit, r.comment) for r in rows] == [
        (20, 25, 35, "Đã xem lại.")
    ]
    event = AuditEvent.objects.filter(action="evaluation.scored").order_by("pk").last()
    assert event.before == {"novelty": 10, "application": 10, "benefit": 10, "excluded": False}


def test_points_above_a_criterions_maximum_are_refused_by_field(world):
    # given
    evaluation = submitted(world)
    # when
    with pytest.raises(ValidationFailed) as refused:
        score(world.member, evaluation, (31, 20, 41))
    # then
    assert set(refused.value.details["fields"]) == {"novelty", "benefit"}
    assert not EvaluationScore.objects.exists()


def test_someone_off_the_council_cannot_score(world):
    # given
    evaluation = submitted(world)
    # when / then: the same answer as for an evaluation that does not exist
    for user in (world.outsider, world.ministry_member, world.secretariat, world.head):
        with pytest.raises(NotFound):
            score(user, evaluation)
    assert not EvaluationScore.objects.exists()


def test_an_author_sitting_on_the_council_does_not_score_their_own_initiative(world):
    # given
    CouncilMember.objects.create(council=world.unit_council, person=world.author, role="member")
    evaluation = submitted(world)
    # when / then
    with pytest.raises(ValidationFailed, match="tác giả"):
        score(world.author_user, evaluation)


def test_a_closed_evaluation_takes_no_more_scores(world):
    # given
    evaluation = submitted(world)
    scored_and_voted(world, evaluation)
    recognise(world, evaluation)
    # when / then
    with pytest.raises(ValidationFailed):
        score(world.member, evaluation, (0, 0, 0))
    assert EvaluationScore.objects.get(member__person__user=world.member).novelty == 20


#
# Vote and recognition at cơ sở level
#


def test_the_council_recognises_at_grassroots_level_and_the_authors_hear_of_it(world):
    # given
    evaluation = submitted(world)
    scored_and_voted(world, evaluation)
    # when
    recognition = recognise(world, evaluation)
    # then
    initiative = Initiative.objects.get(pk=evaluation.initiative_id)
    assert (initiative.status, initiative.level, initiative.recognised_on) == (
        "recognised",
        "co_so",
        timezone.localdate(),
    )
    assert (recognition.level, recognition.decision_number) == ("co_so", "15/QĐ-HQKV1")
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.closed_by) == ("recognised", world.secretary)
    assert evaluation.closed_at is not None
    note = Notification.objects.get(user=world.author_user)
    assert note.kind == "initiatives.recognised"
    assert note.link == f"/initiatives/{initiative.pk}/"
    assert actions(evaluation)[-1] == "evaluation.voted"
    assert actions(initiative) == ["initiative.recognised"]


def test_recognition_is_refused_with_the_tallys_reasons_and_nothing_changes(world):
    # given: only one member scored, and nobody voted
    evaluation = submitted(world)
    score(world.member, evaluation)
    # when
    with pytest.raises(ValidationFailed) as refused:
        recognise(world, evaluation)
    # then
    assert refused.value.details["fields"]["__all__"] == [
        "Chưa đủ số thành viên chấm điểm sáng kiến.",
        "Chưa ghi kết quả biểu quyết của hội đồng.",
    ]
    assert not Recognition.objects.exists()
    assert Evaluation.objects.get(pk=evaluation.pk).status == "open"
    assert Initiative.objects.get(pk=evaluation.initiative_id).status == "submitted"


def test_a_vote_short_of_the_threshold_stops_recognition(world):
    # given: 3 members, only 1 in favour (the threshold wants more than 50%)
    evaluation = submitted(world)
    for user in (world.chair, world.secretary, world.member):
        score(user, evaluation)
    vote(world, evaluation, in_favour=1, against=2)
    # when / then
    with pytest.raises(ValidationFailed, match="tán thành"):
        recognise(world, evaluation)


def test_a_decision_needs_its_number_and_may_not_be_dated_in_the_future(world):
    # given
    evaluation = submitted(world)
    scored_and_voted(world, evaluation)
    # when
    with pytest.raises(ValidationFailed) as refused:
        services.recognise_initiative(
            acting_user=world.chair,
            evaluation=evaluation,
            decision_number=" ",
            decision_date=timezone.localdate() + datetime.timedelta(days=1),
            authority="",
        )
    # then
    assert set(refused.value.details["fields"]) == {
        "decision_number",
        "decision_date",
        "authority",
    }
    assert not Recognition.objects.exists()


def test_more_votes_than_members_are_refused(world):
    # given
    evaluation = submitted(world)
    # when / then
    with pytest.raises(ValidationFailed, match="nhiều hơn"):
        vote(world, evaluation, in_favour=3, against=1)
    assert Evaluation.objects.get(pk=evaluation.pk).votes_for is None


def test_a_plain_member_neither_records_the_vote_nor_decides(world):
    # given
    evaluation = submitted(world)
    scored_and_voted(world, evaluation)
    # when / then
    with pytest.raises(NotFound):
        vote(world, evaluation, user=world.member)
    with pytest.raises(NotFound):
        recognise(world, evaluation, user=world.member)
    with pytest.raises(NotFound):
        services.refuse_initiative(acting_user=world.member, evaluation=evaluation, reasons="x")
    with pytest.raises(NotFound):
        recognise(world, evaluation, user=world.secretariat)
    assert not Recognition.objects.exists()


#
# Refusal and return
#


def test_the_council_refuses_with_reasons(world):
    # given
    evaluation = submitted(world)
    # when
    services.refuse_initiative(
        acting_user=world.chair,
        evaluation=evaluation,
        reasons="Giải pháp đã được áp dụng rộng rãi trước đây.",
    )
    # then
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.reasons) == (
        "refused",
        "Giải pháp đã được áp dụng rộng rãi trước đây.",
    )
    initiative = evaluation.initiative
    initiative.refresh_from_db()
    assert (initiative.status, initiative.level) == ("refused", "")
    assert Notification.objects.get(user=world.author_user).kind == "initiatives.refused"
    assert actions(initiative) == ["initiative.refused"]


def test_refusing_without_reasons_is_refused(world):
    # given
    evaluation = submitted(world)
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        services.refuse_initiative(acting_user=world.chair, evaluation=evaluation, reasons="  ")
    assert "reasons" in refused.value.details["fields"]
    assert Evaluation.objects.get(pk=evaluation.pk).status == "open"


def test_the_council_returns_it_for_changes_with_a_reason(world):
    # given
    evaluation = submitted(world)
    # when
    services.return_initiative(
        acting_user=world.secretary,
        evaluation=evaluation,
        reason="Bổ sung số liệu hiệu quả sau 6 tháng áp dụng.",
    )
    # then
    initiative = Initiative.objects.get(pk=evaluation.initiative_id)
    assert (initiative.status, initiative.return_reason) == (
        "returned",
        "Bổ sung số liệu hiệu quả sau 6 tháng áp dụng.",
    )
    assert Evaluation.objects.get(pk=evaluation.pk).status == "returned"
    assert Notification.objects.get(user=world.author_user).kind == "initiatives.returned"
    assert actions(initiative) == ["initiative.returned"]


def test_returning_without_a_reason_is_refused(world):
    # given
    evaluation = submitted(world)
    # when / then
    with pytest.raises(ValidationFailed, match="lý do"):
        services.return_initiative(acting_user=world.chair, evaluation=evaluation, reason="")


#
# Proposals to the ministry level
#


def _recognised_at_co_so(world):
    evaluation = submitted(world)
    scored_and_voted(world, evaluation)
    recognise(world, evaluation)
    return Initiative.objects.get(pk=evaluation.initiative_id)


def test_the_secretariat_proposes_to_the_ministry_council(world):
    # given
    initiative = _recognised_at_co_so(world)
    # when
    opened = services.propose_next_level(
        acting_user=world.secretariat, initiative=initiative, council=world.ministry_council
    )
    # then
    assert (opened.level, opened.council, opened.status) == ("bo", world.ministry_council, "open")
    assert actions(opened) == ["evaluation.opened"]
    # and the ministry council's members now have it in their queue
    assert list(queries.queue(world.ministry_member)) == [opened]


def test_proposing_to_a_unit_council_is_refused_with_the_rules_message(world):
    # given
    initiative = _recognised_at_co_so(world)
    # when / then
    with pytest.raises(ValidationFailed, match="không công nhận sáng kiến ở cấp đó"):
        services.propose_next_level(
            acting_user=world.secretariat, initiative=initiative, council=world.unit_council
        )
    assert Evaluation.objects.filter(initiative=initiative).count() == 1


def test_skipping_the_ministry_level_is_refused(world):
    # given
    initiative = _recognised_at_co_so(world)
    # when / then
    with pytest.raises(ValidationFailed, match="bỏ qua"):
        services.propose_next_level(
            acting_user=world.secretariat,
            initiative=initiative,
            council=world.ministry_council,
            level="toan_quoc",
        )


def test_only_a_recognised_initiative_is_proposed(world):
    # given
    evaluation = submitted(world)
    # when / then
    with pytest.raises(ValidationFailed):
        services.propose_next_level(
            acting_user=world.secretariat,
            initiative=evaluation.initiative,
            council=world.ministry_council,
        )


def test_a_unit_head_cannot_propose(world):
    # given
    initiative = _recognised_at_co_so(world)
    # when / then
    with pytest.raises(NotFound):
        services.propose_next_level(
            acting_user=world.head, initiative=initiative, council=world.ministry_council
        )


def test_a_refusal_at_ministry_level_keeps_the_grassroots_recognition(world):
    # given
    initiative = _recognised_at_co_so(world)
    opened = services.propose_next_level(
        acting_user=world.secretariat, initiative=initiative, council=world.ministry_council
    )
    # when
    services.refuse_initiative(
        acting_user=world.ministry_member, evaluation=opened, reasons="Chưa có khả năng nhân rộng."
    )
    # then
    initiative.refresh_from_db()
    assert (initiative.status, initiative.level) == ("recognised", "co_so")
    assert list(Recognition.objects.filter(initiative=initiative).values_list("level", flat=True))
    assert Recognition.objects.get(initiative=initiative).level == "co_so"


def test_recognition_at_ministry_level_adds_to_the_history(world):
    # given
    initiative = recognised_initiative(world.org.team_1, [(world.author, 100)])
    opened = services.propose_next_level(
        acting_user=world.secretariat, initiative=initiative, council=world.ministry_council
    )
    members = list(CouncilMember.objects.filter(council=world.ministry_council))
    for member in members:
        score(member.person.user, opened, (25, 25, 35))
    vote(world, opened, user=world.ministry_member)
    # when
    recognise(world, opened, user=world.ministry_member, number="120/QĐ-BTC")
    # then
    initiative.refresh_from_db()
    assert initiative.level == "bo"
    assert list(
        Recognition.objects.filter(initiative=initiative)
        .order_by("decision_date", "pk")
        .values_list("level", flat=True)
    ) == ["co_so", "bo"]


#
# What each user sees
#


def test_the_queue_shows_only_the_members_councils(world):
    # given
    evaluation = submitted(world)
    other = submitted(world, "Tra cứu mã HS bằng hình ảnh")
    score(world.member, evaluation)
    # when
    mine = list(queries.queue(world.member))
    # then
    assert mine == [evaluation, other]
    assert [(e.n_scores, e.scored_by_me) for e in mine] == [(1, True), (0, False)]
    assert list(queries.queue(world.ministry_member)) == []
    assert list(queries.queue(world.outsider)) == []
    assert list(queries.queue(world.secretariat)) == []
    assert list(queries.unit_queue(world.secretariat)) == [evaluation, other]


def test_scores_are_seen_by_the_council_and_the_secretariat_only(world):
    # given
    evaluation = submitted(world)
    # when / then
    assert queries.sees_scores(world.member, evaluation)
    assert queries.sees_scores(world.secretariat, evaluation)
    assert not queries.sees_scores(world.author_user, evaluation)
    assert not queries.sees_scores(world.head, evaluation)
    assert queries.get_evaluation(world.member, evaluation.pk) == evaluation
    with pytest.raises(NotFound):
        queries.get_evaluation(world.outsider, evaluation.pk)
    assert AuditEvent.objects.filter(action="access.denied", target_type="evaluation").exists()


def test_councils_are_visible_to_the_secretariat_and_their_members(world):
    # given
    regional = account("sec1", ("secretariat", world.org.region_1))
    # when / then
    assert set(queries.councils_visible_to(world.secretariat)) == {
        world.unit_council,
        world.ministry_council,
    }
    # a regional secretariat sees its region's council and, read-only, the ministry's
    assert set(queries.councils_visible_to(regional)) == {
        world.unit_council,
        world.ministry_council,
    }
    assert not queries.may_manage(regional, world.ministry_council)
    assert list(queries.councils_visible_to(world.member)) == [world.unit_council]
    assert list(queries.councils_visible_to(world.outsider)) == []


#
# Councils and members
#


def test_the_secretariat_sets_up_a_unit_council_with_members(world):
    # given
    chair = person(world.org.region_2, "Lê", "Thị", "Hoa")
    # when
    made = council_services.create_council(
        acting_user=world.secretariat,
        name="Hội đồng sáng kiến Chi cục Hải quan khu vực II",
        level="co_so",
        unit=world.org.region_2,
        established_on=datetime.date(2025, 1, 2),
        decision_number="01/QĐ-HQKV2",
        members=[(chair, "chair")],
    )
    # then
    assert [(m.person, m.role) for m in queries.members_of(made)] == [(chair, "chair")]
    assert actions(made) == ["council.created"]


def test_a_ministry_council_sits_at_the_top(world):
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        council_services.create_council(
            acting_user=world.secretariat,
            name="Hội đồng cấp bộ",
            level="bo",
            unit=world.org.region_2,
            established_on=datetime.date(2025, 1, 2),
        )
    assert "unit" in refused.value.details["fields"]


def test_a_secretariat_sets_up_no_council_outside_its_units(world):
    # given
    regional = account("sec1", ("secretariat", world.org.region_1))
    # when / then
    with pytest.raises(NotFound):
        council_services.create_council(
            acting_user=regional,
            name="Hội đồng khu vực II",
            level="co_so",
            unit=world.org.region_2,
            established_on=datetime.date(2025, 1, 2),
        )
    with pytest.raises(NotFound):
        council_services.create_council(
            acting_user=world.head,
            name="Hội đồng khu vực I",
            level="co_so",
            unit=world.org.region_1,
            established_on=datetime.date(2025, 1, 2),
        )
    assert Council.objects.count() == 2


def test_only_serving_officers_sit_once_with_one_chair(world):
    # given
    retired = person(world.org.region_1, "Đỗ", "Văn", "Hưu")
    Person.objects.filter(pk=retired.pk).update(status="retired")
    retired.refresh_from_db()
    newcomer = person(world.org.region_1, "Vũ", "Thị", "Mới")
    existing = CouncilMember.objects.get(council=world.unit_council, role="member").person
    # when / then
    with pytest.raises(ValidationFailed, match="đang công tác"):
        council_services.add_member(
            acting_user=world.secretariat, council=world.unit_council, person=retired
        )
    with pytest.raises(ValidationFailed, match="đã là thành viên"):
        council_services.add_member(
            acting_user=world.secretariat, council=world.unit_council, person=existing
        )
    with pytest.raises(ValidationFailed, match="chủ tịch"):
        council_services.add_member(
            acting_user=world.secretariat,
            council=world.unit_council,
            person=newcomer,
            role="chair",
        )
    added = council_services.add_member(
        acting_user=world.secretariat, council=world.unit_council, person=newcomer
    )
    assert added.role == "member"
    assert CouncilMember.objects.filter(council=world.unit_council).count() == 4


def test_a_member_who_scored_stays_and_one_who_did_not_can_go(world):
    # given
    evaluation = submitted(world)
    score(world.member, evaluation)
    scored = CouncilMember.objects.get(council=world.unit_council, role="member")
    idle = CouncilMember.objects.get(council=world.unit_council, role="secretary")
    # when / then
    with pytest.raises(ValidationFailed):
        council_services.remove_member(
            acting_user=world.secretariat, council=world.unit_council, member=scored
        )
    council_services.remove_member(
        acting_user=world.secretariat, council=world.unit_council, member=idle
    )
    assert set(
        CouncilMember.objects.filter(council=world.unit_council).values_list("role", flat=True)
    ) == {"chair", "member"}


def test_a_council_with_open_evaluations_is_not_dissolved(world):
    # given
    evaluation = submitted(world)
    # when / then
    with pytest.raises(ValidationFailed):
        council_services.dissolve_council(
            acting_user=world.secretariat,
            council=world.unit_council,
            dissolved_on=timezone.localdate(),
        )
    services.return_initiative(acting_user=world.chair, evaluation=evaluation, reason="Bổ sung.")
    dissolved = council_services.dissolve_council(
        acting_user=world.secretariat, council=world.unit_council, dissolved_on=timezone.localdate()
    )
    assert dissolved.dissolved_on == timezone.localdate()
    with pytest.raises(ValidationFailed, match="giải thể"):
        council_services.add_member(
            acting_user=world.secretariat,
            council=world.unit_council,
            person=person(world.org.region_1, "Hồ", "Văn", "Sau"),
        )
