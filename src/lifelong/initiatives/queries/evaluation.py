"""Reads of councils and evaluations, every one scoped to the acting user.

- A council member sees the evaluations of the councils they sit on, with every member's
  scores and comments; the emulation secretariat (MANAGE_INITIATIVES) sees those of the
  initiatives of its units. Nobody else sees scores.
- A member's queue is the open evaluations of their councils.
- Councils are visible to the secretariat over their unit (and, read-only, the councils above
  it, such as the ministry's), and to their members.

Missing and forbidden are the same NotFound, and a refused attempt is audited.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from lifelong.core.lookups import get_visible
from lifelong.core.text import search_terms
from lifelong.initiatives import rules
from lifelong.initiatives.choices import EvaluationStatus, MemberRole
from lifelong.initiatives.models import (
    Council,
    CouncilMember,
    Evaluation,
    EvaluationPolicy,
    EvaluationScore,
    Initiative,
    InitiativeAuthor,
)
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import PATH_DIGITS

__all__ = [
    "EvaluationSheet",
    "authors_of",
    "council_evaluations",
    "councils_visible_to",
    "evaluation_sheet",
    "evaluations_of",
    "get_council",
    "get_evaluation",
    "is_member",
    "may_manage",
    "members_of",
    "membership",
    "policy_rule",
    "proposal_councils",
    "queue",
    "scores_of",
    "sees_scores",
    "tally_of",
    "unit_queue",
    "visible_evaluations",
]


def _role_order(field: str = "role") -> Case:
    """Order the chair first, then the secretary, then the members (each group by name)."""
    return Case(
        When(**{field: MemberRole.CHAIR}, then=Value(0)),
        When(**{field: MemberRole.SECRETARY}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


#
# The decision: policy, scores and vote as the rules see them
#


def policy_rule(policy: EvaluationPolicy) -> rules.Policy:
    """Return the evaluation policy as the rules' plain data."""
    return rules.Policy(
        criteria=rules.Criteria(
            novelty=policy.novelty_max,
            application=policy.application_max,
            benefit=policy.benefit_max,
        ),
        pass_score=policy.pass_score,
        quorum_pct=policy.quorum_pct,
        vote_threshold_pct=policy.vote_threshold_pct,
    )


def _votes(evaluation: Evaluation) -> rules.Votes | None:
    if evaluation.votes_for is None:
        return None
    return rules.Votes(
        in_favour=evaluation.votes_for,
        against=evaluation.votes_against or 0,
        abstain=evaluation.votes_abstain or 0,
    )


def tally_of(evaluation: Evaluation) -> rules.Tally:
    """Add up the evaluation's scores and vote under its policy (`rules.tally`).

    The quorum and the vote threshold count the council's members as it sits now.
    """
    scores = [
        rules.MemberScore(novelty=n, application=a, benefit=b, excluded=x)
        for n, a, b, x in EvaluationScore.objects.filter(evaluation=evaluation).values_list(
            "novelty", "application", "benefit", "excluded"
        )
    ]
    members = CouncilMember.objects.filter(council_id=evaluation.council_id).count()
    return rules.tally(policy_rule(evaluation.policy), scores, _votes(evaluation), members)


#
# Evaluations
#


def _base() -> QuerySet[Evaluation]:
    return Evaluation.objects.select_related(
        "initiative", "initiative__unit", "council", "council__unit", "policy"
    )


def visible_evaluations(user: AnyUser) -> QuerySet[Evaluation]:
    """Return the evaluations the user may see: their councils', and their units' (secretariat)."""
    if not user.is_authenticated:
        return Evaluation.objects.none()
    sits = CouncilMember.objects.filter(council=OuterRef("council"), person__user_id=user.pk)
    manages = access.scope_filter(
        access.scope_of(user, Capability.MANAGE_INITIATIVES), "initiative__unit__path"
    )
    return _base().filter(Q(Exists(sits)) | manages)


def get_evaluation(user: AnyUser, pk: object) -> Evaluation:
    """Return the evaluation `pk` if the user may see it; else NotFound (audited)."""
    return get_visible(user, visible_evaluations(user), "evaluation", pk)


def _queue_rows(rows: QuerySet[Evaluation], user_id: int, query: str) -> QuerySet[Evaluation]:
    mine = EvaluationScore.objects.filter(
        evaluation=OuterRef("pk"), member__person__user_id=user_id
    )
    rows = rows.filter(status=EvaluationStatus.OPEN)
    for term in search_terms(query)[:8]:
        rows = rows.filter(initiative__search_text__contains=term)
    return rows.annotate(n_scores=Count("scores"), scored_by_me=Exists(mine)).order_by(
        "opened_at", "pk"
    )


def queue(user: AnyUser, *, query: str = "", council_id: int | None = None) -> QuerySet[Evaluation]:
    """Return the open evaluations of the councils the user sits on, oldest first.

    Each row carries `n_scores` (members who scored) and `scored_by_me`. `query` matches the
    initiative's title and texts without diacritics.
    """
    if not user.is_authenticated:
        return Evaluation.objects.none()
    sits = CouncilMember.objects.filter(council=OuterRef("council"), person__user_id=user.pk)
    rows = _base().filter(Exists(sits))
    if council_id is not None:
        rows = rows.filter(council_id=council_id)
    return _queue_rows(rows, user.pk, query)


def unit_queue(user: AnyUser, *, query: str = "") -> QuerySet[Evaluation]:
    """Return the open evaluations of the initiatives of the secretariat's units."""
    if not user.is_authenticated:
        return Evaluation.objects.none()
    roots = access.scope_of(user, Capability.MANAGE_INITIATIVES)
    rows = _base().filter(access.scope_filter(roots, "initiative__unit__path"))
    return _queue_rows(rows, user.pk, query)


def evaluations_of(initiative: Initiative) -> QuerySet[Evaluation]:
    """Return an initiative's evaluations, newest first, with their councils and decisions.

    Callers have already checked that the user sees the initiative.
    """
    return (
        Evaluation.objects.filter(initiative=initiative)
        .select_related("council", "council__unit", "policy", "recognition")
        .order_by("-opened_at", "-pk")
    )


def council_evaluations(user: AnyUser, council: Council) -> QuerySet[Evaluation]:
    """Return the council's evaluations the user may see, open ones first, then newest."""
    return (
        visible_evaluations(user)
        .filter(council=council)
        .annotate(n_scores=Count("scores"))
        .order_by(
            Case(
                When(status=EvaluationStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "-opened_at",
            "-pk",
        )
    )


def authors_of(initiative: Initiative) -> QuerySet[InitiativeAuthor]:
    """Return the initiative's authors in their order, with their units."""
    return (
        InitiativeAuthor.objects.filter(initiative=initiative)
        .select_related("person", "person__unit")
        .order_by("position", "pk")
    )


def membership(user: AnyUser, council: Council) -> CouncilMember | None:
    """Return the user's seat on the council, if they have one."""
    if not user.is_authenticated:
        return None
    return (
        CouncilMember.objects.filter(council=council, person__user_id=user.pk)
        .select_related("person")
        .first()
    )


def is_member(user: AnyUser, council: Council) -> bool:
    """Return whether the user sits on the council."""
    return membership(user, council) is not None


def sees_scores(user: AnyUser, evaluation: Evaluation) -> bool:
    """Return whether the user may see the members' scores: a member, or the secretariat."""
    return is_member(user, evaluation.council) or access.in_scope(
        user, Capability.MANAGE_INITIATIVES, evaluation.initiative.unit
    )


def scores_of(evaluation: Evaluation) -> QuerySet[EvaluationScore]:
    """Return every member's score of the evaluation: chair, secretary, then by name."""
    return (
        EvaluationScore.objects.filter(evaluation=evaluation)
        .select_related("member", "member__person")
        .annotate(role_order=_role_order("member__role"))
        .order_by("role_order", "member__person__sort_key", "pk")
    )


@dataclass(frozen=True)
class EvaluationSheet:
    """What the evaluation page shows the user: the scores, the tally and their own seat."""

    evaluation: Evaluation
    criteria: rules.Criteria
    scores: list[EvaluationScore]
    tally: rules.Tally
    seat: CouncilMember | None
    my_score: EvaluationScore | None
    officer: bool
    manages: bool


def evaluation_sheet(user: AnyUser, evaluation: Evaluation) -> EvaluationSheet:
    """Return the evaluation's scores, tally and the user's seat (the user sees it already)."""
    seat = membership(user, evaluation.council)
    scores = list(scores_of(evaluation))
    my_score = next((s for s in scores if seat is not None and s.member_id == seat.pk), None)
    return EvaluationSheet(
        evaluation=evaluation,
        criteria=policy_rule(evaluation.policy).criteria,
        scores=scores,
        tally=tally_of(evaluation),
        seat=seat,
        my_score=my_score,
        officer=seat is not None and seat.role in {MemberRole.CHAIR, MemberRole.SECRETARY},
        manages=access.in_scope(user, Capability.MANAGE_INITIATIVES, evaluation.initiative.unit),
    )


#
# Councils
#


def _ancestor_paths(path: str) -> list[str]:
    return [path[:end] for end in range(PATH_DIGITS, len(path) + 1, PATH_DIGITS)]


def councils_visible_to(
    user: AnyUser, *, level: str = "", active_on: datetime.date | None = None
) -> QuerySet[Council]:
    """Return the councils the user may see, by level, then unit, then name.

    The secretariat sees the councils of its units and those above them (the ministry's);
    a member sees the councils they sit on. `active_on` keeps the councils in office that day.
    """
    if not user.is_authenticated:
        return Council.objects.none()
    roots = access.scope_of(user, Capability.MANAGE_INITIATIVES)
    above = sorted({p for root in roots for p in _ancestor_paths(root)})
    sits = CouncilMember.objects.filter(council=OuterRef("pk"), person__user_id=user.pk)
    rows = Council.objects.filter(
        access.scope_filter(roots, "unit__path") | Q(unit__path__in=above) | Q(Exists(sits))
    )
    if level:
        rows = rows.filter(level=level)
    if active_on is not None:
        rows = rows.filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=active_on),
            established_on__lte=active_on,
        )
    return (
        rows.select_related("unit")
        .annotate(n_members=Count("members", distinct=True))
        .order_by("level", "unit__path", "name", "pk")
    )


def get_council(user: AnyUser, pk: object) -> Council:
    """Return the council `pk` if the user may see it; else NotFound (audited)."""
    return get_visible(user, councils_visible_to(user), "council", pk)


def may_manage(user: AnyUser, council: Council) -> bool:
    """Return whether the user may change the council (MANAGE_INITIATIVES over its unit)."""
    return access.in_scope(user, Capability.MANAGE_INITIATIVES, council.unit)


def members_of(council: Council) -> QuerySet[CouncilMember]:
    """Return the council's members: the chair, the secretary, then the members by name."""
    return (
        CouncilMember.objects.filter(council=council)
        .select_related("person", "person__unit")
        .annotate(role_order=_role_order())
        .order_by("role_order", "person__sort_key", "pk")
    )


def proposal_councils(initiative: Initiative, level: str, on: datetime.date) -> QuerySet[Council]:
    """Return the councils in office on `on` that may evaluate `initiative` at `level`.

    Those of a level that recognises at `level`, sitting at the initiative's unit or above it.
    """
    council_levels = [c for c, levels in rules.COUNCIL_LEVELS.items() if level in levels]
    return (
        Council.objects.filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=on),
            level__in=council_levels,
            unit__path__in=_ancestor_paths(initiative.unit.path),
            established_on__lte=on,
        )
        .select_related("unit")
        .order_by("unit__path", "name", "pk")
    )
