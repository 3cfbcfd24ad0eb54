"""REST endpoints of councils and evaluations: councils and members, scores, votes, decisions.

Thin: each endpoint parses its input, calls one query or service of the evaluation area, and
lets the schema render. A council or evaluation out of the caller's sight answers 404 exactly
as a missing one; so does an action the caller may not take (scoring on a council one does
not sit on, a decision by a plain member). Scores are shown to the council's members and
the secretariat only.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.pages import acting_user
from lifelong.initiatives.choices import CouncilLevel, EvaluationStatus, Level, MemberRole
from lifelong.initiatives.models import Council, CouncilMember, Evaluation
from lifelong.initiatives.queries import evaluation as queries
from lifelong.initiatives.queries.scope import get_initiative
from lifelong.initiatives.services import councils as council_services
from lifelong.initiatives.services import evaluation as services
from lifelong.initiatives.services.common import PROBLEM_MESSAGES
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Person, Unit

router = Router(tags=["councils"])

#
# Schemas: councils
#


class CouncilFilter(Page):
    """Filters of the council list."""

    level: CouncilLevel | None = Field(None, description="Only councils of this level.")
    include_dissolved: bool = Field(
        False, description="Dissolved councils too (else only those in office today)."
    )


class MemberIn(Schema):
    """An officer to seat on a council, by officer code."""

    officer_code: str = Field(min_length=1, max_length=32)
    role: MemberRole = MemberRole.MEMBER


class CouncilIn(Schema):
    """A new council: the unit it sits at, its level, and its first members."""

    name: str = Field(min_length=1, max_length=300)
    level: CouncilLevel = Field(
        description="`co_so`: a unit's council (grassroots level); `bo`: the ministry's "
        "(ministry and national level), at the top or where the caller runs the secretariat."
    )
    unit_id: int = Field(description="The unit whose subtree the council serves.")
    established_on: datetime.date
    decision_number: str = Field("", max_length=64, description="The decision setting it up.")
    members: list[MemberIn] = Field(
        default_factory=list,
        description="Serving officers, each once; at most one chair and one secretary.",
    )


class MemberOut(Schema):
    """A member of a council."""

    id: int
    officer_code: str
    full_name: str
    unit_id: int
    role: MemberRole

    @staticmethod
    def resolve_officer_code(obj: CouncilMember) -> str:
        """Return the member's officer code."""
        return obj.person.officer_code

    @staticmethod
    def resolve_full_name(obj: CouncilMember) -> str:
        """Return the member's full name."""
        return obj.person.full_name

    @staticmethod
    def resolve_unit_id(obj: CouncilMember) -> int:
        """Return the member's unit."""
        return obj.person.unit_id


class CouncilOut(Schema):
    """An initiative council."""

    id: int
    name: str
    level: CouncilLevel
    unit_id: int
    unit_name: str
    established_on: datetime.date
    dissolved_on: datetime.date | None
    decision_number: str
    member_count: int

    @staticmethod
    def resolve_unit_name(obj: Council) -> str:
        """Return the name of the council's unit."""
        return obj.unit.name

    @staticmethod
    def resolve_member_count(obj: Council) -> int:
        """Return how many members sit on it."""
        count = getattr(obj, "n_members", None)
        return int(count) if count is not None else obj.members.count()


class CouncilDetailOut(CouncilOut):
    """An initiative council and its members: the chair, the secretary, then by name."""

    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj: Council) -> list[CouncilMember]:
        """Return the members in their order."""
        return list(queries.members_of(obj))


class CouncilList(Schema):
    """A page of councils, by level, unit and name."""

    items: list[CouncilOut]
    count: int


#
# Schemas: evaluations
#


class ScoreIn(Schema):
    """A member's points on each criterion (0 to the policy's maximum) and comments."""

    novelty: int = Field(description="Novelty within the unit.")
    application: int = Field(description="Applied or trialled.")
    benefit: int = Field(description="Practical benefit.")
    excluded: bool = Field(
        False,
        description="Contrary to public order or morality, or already protected as "
        "intellectual property.",
    )
    comment: str = Field("", max_length=5000)


class VoteIn(Schema):
    """The council's vote; no more votes than members."""

    in_favour: int = Field(ge=0)
    against: int = Field(0, ge=0)
    abstain: int = Field(0, ge=0)
    voted_on: datetime.date | None = Field(None, description="Default: today.")


class RecogniseIn(Schema):
    """The decision recognising the initiative."""

    decision_number: str = Field(max_length=64)
    decision_date: datetime.date = Field(description="Not in the future.")
    authority: str = Field(max_length=300, description="Who signed the decision.")


class RefuseIn(Schema):
    """Why the council does not recognise the initiative."""

    reasons: str = Field(max_length=5000)


class ReturnIn(Schema):
    """What the authors must change."""

    reason: str = Field(max_length=5000)


class ProposeIn(Schema):
    """The council to evaluate a recognised initiative at the next level."""

    council_id: int
    level: Level | None = Field(
        None, description="Default: the level after the one it holds; no level is skipped."
    )


class ScoreOut(Schema):
    """One member's score."""

    member_id: int
    officer_code: str
    full_name: str
    role: MemberRole
    novelty: int
    application: int
    benefit: int
    total: int
    excluded: bool
    comment: str


class TallyOut(Schema):
    """What the scores and the vote add up to under the evaluation's policy."""

    members: int
    scored: int
    average_novelty: float
    average_application: float
    average_benefit: float
    average_total: float
    excluded_by: int
    recognisable: bool = Field(description="Whether the council may recognise it now.")
    reasons: list[str] = Field(description="Codes of what stops recognition.")
    messages: list[str] = Field(description="The same, in words.")


class RecognitionOut(Schema):
    """The decision that recognised the initiative at the evaluation's level."""

    decision_number: str
    decision_date: datetime.date
    authority: str


class EvaluationOut(Schema):
    """One council's evaluation of an initiative at one level."""

    id: int
    initiative_id: int
    initiative_title: str
    level: Level
    council_id: int
    council_name: str
    status: EvaluationStatus
    opened_at: datetime.datetime
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    voted_on: datetime.date | None
    reasons: str = Field(description="Why it was refused or returned.")
    closed_at: datetime.datetime | None
    recognition: RecognitionOut | None
    scores: list[ScoreOut] | None = Field(
        description="Every member's score: null unless the caller sits on the council or "
        "is the secretariat over the initiative's unit."
    )
    tally: TallyOut | None = Field(description="Null when `scores` is.")


class EvaluationList(Schema):
    """An initiative's evaluations, newest first."""

    items: list[EvaluationOut]
    count: int


class QueueItemOut(Schema):
    """An open evaluation in the caller's queue."""

    id: int
    initiative_id: int
    initiative_title: str
    unit_id: int
    level: Level
    council_id: int
    council_name: str
    opened_at: datetime.datetime
    scores: int = Field(description="How many members scored it.")
    scored_by_me: bool

    @staticmethod
    def resolve_initiative_title(obj: Evaluation) -> str:
        """Return the initiative's title."""
        return obj.initiative.title

    @staticmethod
    def resolve_unit_id(obj: Evaluation) -> int:
        """Return the initiative's unit."""
        return obj.initiative.unit_id

    @staticmethod
    def resolve_council_name(obj: Evaluation) -> str:
        """Return the council's name."""
        return obj.council.name

    @staticmethod
    def resolve_scores(obj: Evaluation) -> int:
        """Return how many members scored it."""
        return int(getattr(obj, "n_scores", 0))


class QueueList(Schema):
    """The open evaluations of the caller's councils, oldest first."""

    items: list[QueueItemOut]
    count: int


class QueueFilter(Page):
    """Filters of the queue."""

    council_id: int | None = Field(None, description="Only this council's.")
    q: str = Field("", max_length=200, description="Words of the title; no diacritics needed.")


#
# Rendering an evaluation
#


def _evaluation_out(user: AnyUser, evaluation: Evaluation) -> dict[str, Any]:
    recognition = getattr(evaluation, "recognition", None)
    body: dict[str, Any] = {
        "id": evaluation.pk,
        "initiative_id": evaluation.initiative_id,
        "initiative_title": evaluation.initiative.title,
        "level": evaluation.level,
        "council_id": evaluation.council_id,
        "council_name": evaluation.council.name,
        "status": evaluation.status,
        "opened_at": evaluation.opened_at,
        "votes_for": evaluation.votes_for,
        "votes_against": evaluation.votes_against,
        "votes_abstain": evaluation.votes_abstain,
        "voted_on": evaluation.voted_on,
        "reasons": evaluation.reasons,
        "closed_at": evaluation.closed_at,
        "recognition": (
            {
                "decision_number": recognition.decision_number,
                "decision_date": recognition.decision_date,
                "authority": recognition.authority,
            }
            if recognition is not None
            else None
        ),
        "scores": None,
        "tally": None,
    }
    if not queries.sees_scores(user, evaluation):
        return body
    sheet = queries.evaluation_sheet(user, evaluation)
    tally = sheet.tally
    body["scores"] = [
        {
            "member_id": s.member_id,
            "officer_code": s.member.person.officer_code,
            "full_name": s.member.person.full_name,
            "role": s.member.role,
            "novelty": s.novelty,
            "application": s.application,
            "benefit": s.benefit,
            "total": s.novelty + s.application + s.benefit,
            "excluded": s.excluded,
            "comment": s.comment,
        }
        for s in sheet.scores
    ]
    body["tally"] = {
        "members": tally.members,
        "scored": tally.scored,
        "average_novelty": tally.average_novelty,
        "average_application": tally.average_application,
        "average_benefit": tally.average_benefit,
        "average_total": tally.average_total,
        "excluded_by": tally.excluded_by,
        "recognisable": tally.recognisable,
        "reasons": [str(r) for r in tally.reasons],
        "messages": [str(PROBLEM_MESSAGES[r]) for r in tally.reasons],
    }
    return body


def _fresh(user: AnyUser, pk: int) -> dict[str, Any]:
    return _evaluation_out(user, queries.get_evaluation(user, pk))


def _council_out(user: AnyUser, pk: int) -> Council:
    return queries.get_council(user, pk)


def _managed(user: AnyUser, pk: int) -> Council:
    """Return the council if the user may change it; else the same 404 as a missing one."""
    council = queries.get_council(user, pk)
    if not queries.may_manage(user, council):
        raise NotFound(_("Not found."))
    return council


def _person(user: AnyUser, code: str, field: str) -> Person:
    person = access.people_visible_to(user).filter(officer_code=code.strip()).first()
    if person is None:
        message = _("No officer of your units has this code.")
        raise ValidationFailed(message, fields={field: [message]})
    return person


#
# Endpoints: councils
#


@router.get(
    "/initiative-councils",
    response=responses(CouncilList, 401, 422),
    summary="List initiative councils",
)
def list_councils(request: HttpRequest, filters: Query[CouncilFilter]) -> Listing[Council]:
    """List the councils the caller may see, by default only those in office today.

    The secretariat sees the councils of its units and those above them (the ministry's); a
    member sees the councils they sit on.
    """
    on = None if filters.include_dissolved else timezone.localdate()
    rows: QuerySet[Council] = queries.councils_visible_to(
        request.user, level=filters.level.value if filters.level else "", active_on=on
    )
    return paginate(rows, filters)


@router.get(
    "/initiative-councils/{council_id}",
    response=responses(CouncilDetailOut, 401, 404),
    summary="Get an initiative council with its members",
)
def get_council(request: HttpRequest, council_id: int) -> Council:
    """Return one council and its members; 404 if missing or out of the caller's sight."""
    return _council_out(request.user, council_id)


@router.post(
    "/initiative-councils",
    response=responses(CouncilDetailOut, 400, 401, 404, 422),
    summary="Set up an initiative council",
)
def create_council(request: HttpRequest, payload: CouncilIn) -> Council:
    """Set up a council with its first members (the secretariat over the unit, else 404).

    400 with per-field `details.fields` for an officer code naming nobody in the caller's
    units (`members.N`), an officer who has left the service, one named twice, two chairs or
    two secretaries, or a ministry council below the top of the organisation.
    """
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None or not access.in_scope(request.user, Capability.MANAGE_INITIATIVES, unit):
        raise NotFound(_("Not found."))
    members = [
        (_person(request.user, m.officer_code, f"members.{i}"), m.role.value)
        for i, m in enumerate(payload.members)
    ]
    people = [p.pk for p, _role in members]
    if len(set(people)) != len(people):
        message = _("An officer is named twice.")
        raise ValidationFailed(message, fields={"members": [message]})
    council = council_services.create_council(
        acting_user=acting_user(request),
        name=payload.name,
        level=payload.level.value,
        unit=unit,
        established_on=payload.established_on,
        decision_number=payload.decision_number,
        members=members,
    )
    return _council_out(request.user, council.pk)


@router.post(
    "/initiative-councils/{council_id}/members",
    response=responses(CouncilDetailOut, 400, 401, 404, 422),
    summary="Seat an officer on a council",
)
def add_member(request: HttpRequest, council_id: int, payload: MemberIn) -> Council:
    """Seat a serving officer on the council (the secretariat over its unit, else 404)."""
    council = _managed(request.user, council_id)
    person = _person(request.user, payload.officer_code, "officer_code")
    council_services.add_member(
        acting_user=acting_user(request),
        council=council,
        person=person,
        role=payload.role.value,
    )
    return _council_out(request.user, council_id)


@router.delete(
    "/initiative-councils/{council_id}/members/{member_id}",
    response=responses(CouncilDetailOut, 400, 401, 404),
    summary="Take a member off a council",
)
def remove_member(request: HttpRequest, council_id: int, member_id: int) -> Council:
    """Take a member off the council; 400 for one who has scored (the scores stay on record)."""
    council = _managed(request.user, council_id)
    member = CouncilMember.objects.filter(council=council, pk=member_id).first()
    if member is None:
        raise NotFound(_("Not found."))
    council_services.remove_member(
        acting_user=acting_user(request),
        council=council,
        member=member,
    )
    return _council_out(request.user, council_id)


#
# Endpoints: evaluations
#


@router.get(
    "/initiatives/{initiative_id}/evaluations",
    response=responses(EvaluationList, 401, 404),
    summary="List an initiative's evaluations",
)
def list_evaluations(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    """List the evaluations of an initiative the caller sees, newest first.

    Everyone who sees the initiative sees each evaluation's level, council, outcome and
    reasons; `scores` and `tally` only the council's members and the secretariat.
    """
    initiative = get_initiative(request.user, initiative_id)
    items = [_evaluation_out(request.user, e) for e in queries.evaluations_of(initiative)]
    return {"items": items, "count": len(items)}


@router.get(
    "/evaluations",
    response=responses(QueueList, 401, 422),
    summary="List the evaluations awaiting the caller's councils",
)
def list_queue(request: HttpRequest, filters: Query[QueueFilter]) -> Listing[Evaluation]:
    """List the open evaluations of the councils the caller sits on, oldest first."""
    rows = queries.queue(request.user, query=filters.q, council_id=filters.council_id)
    return paginate(rows, filters)


@router.get(
    "/evaluations/{evaluation_id}",
    response=responses(EvaluationOut, 401, 404),
    summary="Get an evaluation",
)
def get_evaluation(request: HttpRequest, evaluation_id: int) -> dict[str, Any]:
    """Return one evaluation with its scores and tally (council members and secretariat)."""
    return _fresh(request.user, evaluation_id)


@router.put(
    "/evaluations/{evaluation_id}/score",
    response=responses(EvaluationOut, 400, 401, 404, 422),
    summary="Score an evaluation",
)
def score(request: HttpRequest, evaluation_id: int, payload: ScoreIn) -> dict[str, Any]:
    """Record or change the caller's score while the evaluation is open (a council member).

    404 for anyone who does not sit on the evaluating council; 400 with per-field
    `details.fields` for points outside 0 to the criterion's maximum, and for a closed
    evaluation or an author scoring their own initiative.
    """
    evaluation = queries.get_evaluation(request.user, evaluation_id)
    services.score_evaluation(
        acting_user=acting_user(request),
        evaluation=evaluation,
        novelty=payload.novelty,
        application=payload.application,
        benefit=payload.benefit,
        excluded=payload.excluded,
        comment=payload.comment,
    )
    return _fresh(request.user, evaluation_id)


@router.post(
    "/evaluations/{evaluation_id}/vote",
    response=responses(EvaluationOut, 400, 401, 404, 422),
    summary="Record the council's vote",
)
def vote(request: HttpRequest, evaluation_id: int, payload: VoteIn) -> dict[str, Any]:
    """Record the council's vote (its chair or secretary, else 404).

    400 for more votes than members, a date in the future or a closed evaluation.
    """
    evaluation = queries.get_evaluation(request.user, evaluation_id)
    services.record_vote(
        acting_user=acting_user(request),
        evaluation=evaluation,
        in_favour=payload.in_favour,
        against=payload.against,
        abstain=payload.abstain,
        voted_on=payload.voted_on,
    )
    return _fresh(request.user, evaluation_id)


@router.post(
    "/evaluations/{evaluation_id}/recognise",
    response=responses(EvaluationOut, 400, 401, 404, 422),
    summary="Recognise the initiative",
)
def recognise(request: HttpRequest, evaluation_id: int, payload: RecogniseIn) -> dict[str, Any]:
    """Recognise the initiative at the evaluation's level (the chair or secretary, else 404).

    400 while the tally has a reason against it (too few members scored, a member found it
    excluded, the average below the pass score, the vote missing or short of the threshold),
    and for a missing decision number or authority or a decision dated in the future.
    """
    evaluation = queries.get_evaluation(request.user, evaluation_id)
    services.recognise_initiative(
        acting_user=acting_user(request),
        evaluation=evaluation,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        authority=payload.authority,
    )
    return _fresh(request.user, evaluation_id)


@router.post(
    "/evaluations/{evaluation_id}/refuse",
    response=responses(EvaluationOut, 400, 401, 404, 422),
    summary="Do not recognise the initiative",
)
def refuse(request: HttpRequest, evaluation_id: int, payload: RefuseIn) -> dict[str, Any]:
    """Record the decision not to recognise it, with reasons (the chair or the secretary).

    A refusal at a higher level leaves the initiative recognised at the level it holds.
    """
    evaluation = queries.get_evaluation(request.user, evaluation_id)
    services.refuse_initiative(
        acting_user=acting_user(request), evaluation=evaluation, reasons=payload.reasons
    )
    return _fresh(request.user, evaluation_id)


@router.post(
    "/evaluations/{evaluation_id}/return",
    response=responses(EvaluationOut, 400, 401, 404, 422),
    summary="Return the initiative for changes",
)
def return_for_changes(
    request: HttpRequest, evaluation_id: int, payload: ReturnIn
) -> dict[str, Any]:
    """Return a submitted initiative to its authors with the reason (the chair or secretary)."""
    evaluation = queries.get_evaluation(request.user, evaluation_id)
    services.return_initiative(
        acting_user=acting_user(request), evaluation=evaluation, reason=payload.reason
    )
    return _fresh(request.user, evaluation_id)


@router.post(
    "/initiatives/{initiative_id}/propose",
    response=responses(EvaluationOut, 400, 401, 404, 422),
    summary="Propose an initiative to the next level",
)
def propose(request: HttpRequest, initiative_id: int, payload: ProposeIn) -> dict[str, Any]:
    """Open a recognised initiative's evaluation by `council_id` at the next level.

    Only the secretariat over the initiative's unit (else 404). 400 for a skipped level or
    one already held, a council of the wrong level, one that does not cover the initiative's
    unit or is not in office, or an initiative that is not recognised or is already under
    evaluation.
    """
    initiative = get_initiative(request.user, initiative_id)
    council = Council.objects.select_related("unit").filter(pk=payload.council_id).first()
    if council is None:
        raise NotFound(_("Not found."))
    opened = services.propose_next_level(
        acting_user=acting_user(request),
        initiative=initiative,
        council=council,
        level=payload.level.value if payload.level else None,
    )
    return _fresh(request.user, opened.pk)
