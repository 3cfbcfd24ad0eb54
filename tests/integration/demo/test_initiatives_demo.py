"""The demo's initiatives as written: consistent rows, and the demo accounts meet them."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model

from lifelong.core.models import AuditEvent
from lifelong.core.text import fold, sort_key
from lifelong.demo import builder, initiatives_builder
from lifelong.demo.initiatives_plan import PLAN_UNTIL
from lifelong.initiatives import rules
from lifelong.initiatives.models import (
    Adoption,
    Council,
    CouncilMember,
    Evaluation,
    EvaluationScore,
    GoodModel,
    GoodModelContent,
    Initiative,
    InitiativeAuthor,
    Recognition,
)
from lifelong.initiatives.queries.scope import councils_of, is_council_officer, visible_initiatives
from lifelong.initiatives.services.evaluation import open_evaluation
from lifelong.org import access
from lifelong.org.access import Capability
from tests.integration.demo.conftest import SEED

pytestmark = pytest.mark.django_db

User = get_user_model()


def _user(username: str) -> Any:
    return User.objects.get(username=username)


def _policy(evaluation: Evaluation) -> rules.Policy:
    p = evaluation.policy
    return rules.Policy(
        rules.Criteria(p.novelty_max, p.application_max, p.benefit_max),
        p.pass_score,
        p.quorum_pct,
        p.vote_threshold_pct,
    )


def test_each_initiative_holds_its_highest_recognition_in_order(demo):
    # given
    seen: set[str] = set()
    for initiative in Initiative.objects.prefetch_related("recognitions"):
        # when
        recognitions = sorted(
            initiative.recognitions.all(), key=lambda r: rules.LEVELS.index(r.level)
        )
        levels = [r.level for r in recognitions]
        seen.update(levels)
        # then
        assert levels == list(rules.LEVELS[: len(levels)])
        if recognitions:
            assert initiative.status == "recognised"
            assert initiative.level == levels[-1]
            assert initiative.recognised_on == recognitions[-1].decision_date
            dates = [r.decision_date for r in recognitions]
            assert dates == sorted(dates) and dates[-1] < PLAN_UNTIL
        else:
            assert initiative.status != "recognised"
            assert initiative.level == "" and initiative.recognised_on is None
    assert seen == set(rules.LEVELS)


def test_each_evaluation_agrees_with_the_tally_of_its_scores_and_vote(demo):
    # given
    statuses: set[str] = set()
    evaluations = Evaluation.objects.select_related(
        "policy", "council__unit", "initiative__unit"
    ).prefetch_related("scores__member", "council__members")
    for evaluation in evaluations:
        policy = _policy(evaluation)
        members = len(evaluation.council.members.all())
        scores = [
            rules.MemberScore(s.novelty, s.application, s.benefit, s.excluded)
            for s in evaluation.scores.all()
        ]
        votes = (
            rules.Votes(evaluation.votes_for, evaluation.votes_against, evaluation.votes_abstain)
            if evaluation.votes_for is not None
            else None
        )
        # when
        tally = rules.tally(policy, scores, votes, members)
        # then
        statuses.add(evaluation.status)
        assert all(rules.check_score(policy.criteria, s) == [] for s in scores)
        assert all(s.member.council_id == evaluation.council_id for s in evaluation.scores.all())
        assert (
            rules.check_council(
                council_level=evaluation.council.level,
                council_unit_path=evaluation.council.unit.path,
                established_on=evaluation.council.established_on,
                dissolved_on=evaluation.council.dissolved_on,
                initiative_unit_path=evaluation.initiative.unit.path,
                target_level=evaluation.level,
                on=evaluation.opened_at.date(),
            )
            is None
        )
        recognition = Recognition.objects.filter(evaluation=evaluation).first()
        if evaluation.status == "recognised":
            assert tally.reasons == []
            assert recognition is not None and recognition.level == evaluation.level
            assert evaluation.closed_at is not None
        elif evaluation.status == "refused":
            assert tally.reasons and evaluation.reasons
            assert recognition is None
        else:
            assert recognition is None and evaluation.votes_for is None
    assert statuses == {"open", "returned", "recognised", "refused"}


def test_every_row_is_valid_and_carries_search_fields_and_the_story_dates(demo):
    # given
    models: list[type[Model]] = [
        Council,
        CouncilMember,
        Initiative,
        InitiativeAuthor,
        Evaluation,
        EvaluationScore,
        Recognition,
        GoodModel,
        GoodModelContent,
        Adoption,
    ]
    # then: choices, lengths and required fields hold (SQLite checks no length)
    for model in models:
        rows = list(model.objects.all())  # type: ignore[attr-defined]
        assert rows, model
        # Who did it may be unknown (null) for the history before Lifelong.
        nullable = [f.name for f in model._meta.fields if f.null]
        for row in rows:
            row.full_clean(exclude=nullable, validate_unique=False, validate_constraints=False)
    for initiative in Initiative.objects.prefetch_related("authors__person"):
        texts = [
            initiative.problem,
            initiative.solution,
            initiative.novelty,
            initiative.effect,
            initiative.figures,
            initiative.scope,
        ]
        people = [a.person for a in initiative.authors.all()]
        texts += [p.full_name for p in people] + [p.officer_code for p in people]
        assert initiative.sort_key == sort_key(initiative.title)[:1024]
        assert initiative.search_text == fold(" ".join([initiative.title, *texts]))
        assert initiative.created_at.date() <= initiative.updated_at.date() < PLAN_UNTIL
        assert 2021 <= initiative.created_at.year <= 2026
    for model in GoodModel.objects.prefetch_related("units"):
        units = [u.name for u in model.units.all()]
        assert model.search_text == fold(
            " ".join([model.title, model.summary, model.description, *units])
        )
    # the timestamps tell the story, not the build's clock
    years = set(Evaluation.objects.values_list("opened_at__year", flat=True))
    assert min(years) == 2021 and max(years) == 2026
    for score in EvaluationScore.objects.select_related("evaluation"):
        assert score.evaluation.opened_at.date() <= score.scored_at.date() < PLAN_UNTIL


def test_authors_share_100_percent(demo):
    for initiative in Initiative.objects.prefetch_related("authors__person"):
        authors = [(a.person.officer_code, a.share) for a in initiative.authors.all()]
        assert 1 <= len(authors) <= 4
        assert rules.check_shares(authors) == []


def test_the_demo_officer_sees_their_draft_and_nobody_else_does(demo):
    # given
    officer, head1, secretariat = _user("officer"), _user("head1"), _user("secretariat")
    # when
    mine = visible_initiatives(officer).filter(authors__person__user=officer)
    # then: one draft and one recognised initiative of their own
    assert sorted(mine.values_list("status", flat=True)) == ["draft", "recognised"]
    draft = mine.get(status="draft")
    assert draft.created_by == officer
    assert not visible_initiatives(head1).filter(pk=draft.pk).exists()
    assert not visible_initiatives(secretariat).filter(pk=draft.pk).exists()


def test_head1_chairs_the_region_council_with_an_evaluation_to_score(demo):
    # given
    head1 = _user("head1")
    council = Council.objects.get(unit__code="KV01", level="co_so")
    # when
    queue = Evaluation.objects.filter(council__in=councils_of(head1), status="open").exclude(
        scores__member__person__user=head1
    )
    # then
    assert is_council_officer(head1, council)
    assert queue.exists()
    assert visible_initiatives(head1).filter(evaluations__in=queue).exists()


def test_the_secretariat_can_propose_a_grassroots_initiative_to_the_ministry(demo):
    # given: a recognised cơ sở initiative not yet before the ministry
    secretariat = _user("secretariat")
    candidate = (
        visible_initiatives(secretariat)
        .filter(level="co_so", status="recognised", recognised_on__year=2026)
        .exclude(evaluations__status="open")
        .order_by("-recognised_on", "pk")
        .first()
    )
    assert candidate is not None
    assert access.in_scope(secretariat, Capability.MANAGE_INITIATIVES, candidate.unit)
    # when
    evaluation = open_evaluation(acting_user=secretariat, initiative=candidate, level="bo")
    # then
    assert evaluation.council.level == "bo"
    assert evaluation.status == "open"


def test_recognised_initiatives_and_good_models_are_adopted_by_other_units(demo):
    # when
    adoptions = Adoption.objects.select_related("initiative", "good_model")
    # then
    assert adoptions.filter(initiative__isnull=False).exists()
    assert adoptions.filter(good_model__isnull=False).exists()
    for adoption in adoptions:
        if adoption.initiative is not None:
            assert adoption.initiative.level
            assert adoption.unit_id != adoption.initiative.unit_id
            first = adoption.initiative.recognitions.order_by("decision_date").first()
            assert first is not None and adoption.started_on > first.decision_date
        else:
            assert adoption.good_model is not None
            assert adoption.unit_id not in adoption.good_model.units.values_list("pk", flat=True)
    for model in GoodModel.objects.prefetch_related("contents", "units", "initiatives"):
        assert model.contents.exists() and model.units.exists()
        assert all(i.level for i in model.initiatives.all())


def test_the_build_records_what_it_wrote(demo):
    # when
    data = AuditEvent.objects.get(action=builder.DEMO_BUILT).data["initiatives"]
    # then
    assert data["initiatives"] == Initiative.objects.count()
    assert data["councils"] == Council.objects.count()
    assert data["evaluations"] == Evaluation.objects.count()
    assert data["scores"] == EvaluationScore.objects.count()
    assert data["good_models"] == GoodModel.objects.count()
    assert data["adoptions"] == Adoption.objects.count()
    assert sum(data["recognitions"].values()) == Recognition.objects.count()


def _snapshot() -> dict[str, Any]:
    # Codes and texts, not ids: PostgreSQL's sequences do not roll back.
    return {
        "councils": sorted(
            Council.objects.values_list("name", "level", "unit__code", "decision_number")
        ),
        "members": sorted(
            CouncilMember.objects.values_list("council__name", "person__officer_code", "role")
        ),
        "initiatives": sorted(
            Initiative.objects.values_list(
                "title", "unit__code", "status", "level", "recognised_on", "effect"
            )
        ),
        "authors": sorted(
            InitiativeAuthor.objects.values_list(
                "initiative__title", "person__officer_code", "share"
            )
        ),
        "evaluations": sorted(
            Evaluation.objects.values_list(
                "initiative__title", "council__name", "level", "status", "opened_at", "votes_for"
            )
        ),
        "scores": sorted(
            EvaluationScore.objects.values_list(
                "evaluation__initiative__title",
                "evaluation__level",
                "member__person__officer_code",
                "novelty",
                "application",
                "benefit",
            )
        ),
        "recognitions": sorted(
            Recognition.objects.values_list("initiative__title", "decision_number", "decision_date")
        ),
        "models": sorted(GoodModel.objects.values_list("title", "summary", "created_at")),
        "adoptions": sorted(
            Adoption.objects.values_list(
                "unit__code", "initiative__title", "good_model__title", "started_on", "results"
            ),
            key=str,
        ),
    }


def test_the_same_seed_writes_the_same_initiatives_again(demo):
    # given
    first = _snapshot()
    for model in (
        Adoption,
        GoodModel,
        Recognition,
        EvaluationScore,
        Evaluation,
        InitiativeAuthor,
        Initiative,
        CouncilMember,
        Council,
    ):
        model.objects.all().delete()  # type: ignore[attr-defined]
    # when
    initiatives_builder.build_initiatives(seed=SEED)
    # then
    assert _snapshot() == first
