"""Writes of evaluations: open one, score it, record the vote and the decision, propose on.

- The secretariat (MANAGE_INITIATIVES over the initiative's unit) proposes a recognised
  initiative to the next level's council; a skipped level or the wrong council is refused.
- Each member of the evaluating council scores the initiative once against the policy's
  criteria (Decree 13/2012 Art. 3), and may change the score while the evaluation is open.
- The chair or the secretary records the council's vote, then the decision: recognition (the
  tally must have no reason against it, with the decision's number, date and authority),
  refusal (with reasons; a refusal at a higher level keeps the lower recognition), or return
  for changes (with a reason). The authors are notified of each decision.
- Anyone else acting gets the same NotFound as for an evaluation that does not exist.

Every function takes keyword-only arguments with `acting_user`, runs in one transaction and
records one audit event.
"""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.notify import notify
from lifelong.core.text import nfc
from lifelong.core.validation import full_clean_or_refuse
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
    Recognition,
)
from lifelong.initiatives.queries.councils import council_for
from lifelong.initiatives.queries.evaluation import membership, policy_rule, tally_of
from lifelong.initiatives.services.common import refuse, refuse_one
from lifelong.org import access
from lifelong.org.access import Capability

__all__ = [
    "open_evaluation",
    "policy_in_force",
    "propose_next_level",
    "recognise_initiative",
    "record_vote",
    "refuse_initiative",
    "return_initiative",
    "score_evaluation",
]


def policy_in_force(on: datetime.date) -> EvaluationPolicy:
    """Return the evaluation policy in force on `on`; refuse when none is configured."""
    policy = (
        EvaluationPolicy.objects.filter(effective_from__lte=on)
        .exclude(effective_to__lt=on)
        .order_by("-effective_from")
        .first()
    )
    if policy is None:
        raise ValidationFailed(
            _("No evaluation policy is in force on that date; the secretariat must set one up.")
        )
    return policy


@transaction.atomic
def open_evaluation(
    *,
    acting_user: User | None,
    initiative: Initiative,
    level: str,
    council: Council | None = None,
) -> Evaluation:
    """Open the evaluation of `initiative` at `level` by `council` (default: the one in office).

    Refuses a skipped or repeated level, a council of the wrong level, one that does not cover
    the initiative's unit or is not in office, and a level no council covers.
    """
    today = timezone.localdate()
    problem = rules.check_target_level(initiative.level or None, level)
    if problem is not None:
        raise refuse_one(problem, "level")
    if council is None:
        council = council_for(initiative.unit, level, today)
        if council is None:
            raise ValidationFailed(
                _(
                    "No initiative council in office covers this unit at this level; ask the "
                    "emulation secretariat to set one up."
                )
            )
    problem = rules.check_council(
        council_level=council.level,
        council_unit_path=council.unit.path,
        established_on=council.established_on,
        dissolved_on=council.dissolved_on,
        initiative_unit_path=initiative.unit.path,
        target_level=level,
        on=today,
    )
    if problem is not None:
        raise refuse_one(problem, "council")
    if Evaluation.objects.filter(initiative=initiative, status="open").exists():
        raise ValidationFailed(_("This initiative is already being evaluated."))
    evaluation = Evaluation.objects.create(
        initiative=initiative,
        council=council,
        level=level,
        policy=policy_in_force(today),
        opened_by=acting_user,
    )
    record_event(
        "evaluation.opened",
        actor=acting_user,
        target=evaluation,
        data={"initiative": initiative.pk, "level": level, "council": council.pk},
    )
    return evaluation


#
# Helpers
#


def _locked(evaluation: Evaluation) -> Evaluation:
    # Re-read under a lock: two officers deciding at once (or a score landing during the
    # decision) must not both go through.
    Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
    return Evaluation.objects.select_related(
        "initiative", "initiative__unit", "council", "council__unit", "policy"
    ).get(pk=evaluation.pk)


def _refuse_closed(evaluation: Evaluation) -> None:
    if evaluation.status != EvaluationStatus.OPEN:
        raise ValidationFailed(_("This evaluation is closed: nothing can be changed in it."))


def _seat_of(acting_user: User, evaluation: Evaluation) -> CouncilMember:
    """Return the acting user's seat on the evaluating council; NotFound for anyone else."""
    seat = membership(acting_user, evaluation.council)
    if seat is None:
        raise NotFound(_("Not found."))
    return seat


def _officer_of(acting_user: User, evaluation: Evaluation) -> CouncilMember:
    """Return the chair's or secretary's seat; NotFound for anyone else."""
    seat = _seat_of(acting_user, evaluation)
    if seat.role not in {MemberRole.CHAIR, MemberRole.SECRETARY}:
        raise NotFound(_("Not found."))
    return seat


def _step(initiative: Initiative, action: rules.Action) -> rules.Status:
    step = rules.transition(initiative.status, action)
    if step is None:
        raise refuse_one(rules.Problem.NOT_ALLOWED)
    return step


def _close(evaluation: Evaluation, status: str, acting_user: User, reasons: str = "") -> None:
    evaluation.status = status
    evaluation.reasons = reasons
    evaluation.closed_at = timezone.now()
    evaluation.closed_by = acting_user
    evaluation.save(update_fields=["status", "reasons", "closed_at", "closed_by"])


def _tell_authors(initiative: Initiative, kind: str, message: str) -> None:
    """Notify every author with an account, and whoever wrote the initiative, once each."""
    users = {
        author.person.user
        for author in InitiativeAuthor.objects.filter(
            initiative=initiative, person__user__isnull=False
        ).select_related("person__user")
        if author.person.user is not None
    }
    if initiative.created_by is not None:
        users.add(initiative.created_by)
    link = reverse("initiatives:detail", args=[initiative.pk])
    for user in sorted(users, key=lambda u: u.pk):
        if user.is_active:
            notify(user=user, kind=kind, message=message, link=link)


def _required(text: str, field: str) -> str:
    text = nfc(text.strip())
    if not text:
        raise refuse_one(rules.Problem.REASON_REQUIRED, field)
    return text


#
# Members: scores
#


@transaction.atomic
def score_evaluation(
    *,
    acting_user: User,
    evaluation: Evaluation,
    novelty: int,
    application: int,
    benefit: int,
    excluded: bool = False,
    comment: str = "",
) -> EvaluationScore:
    """Record, or change while the evaluation is open, the acting member's score.

    Each criterion's points lie between 0 and the policy's maximum; a member who is one of
    the initiative's authors does not score it.
    """
    evaluation = _locked(evaluation)
    seat = _seat_of(acting_user, evaluation)
    _refuse_closed(evaluation)
    if InitiativeAuthor.objects.filter(
        initiative=evaluation.initiative, person_id=seat.person_id
    ).exists():
        raise ValidationFailed(_("You are an author of this initiative: you do not score it."))
    criteria = policy_rule(evaluation.policy).criteria
    problems = rules.check_score(
        criteria, rules.MemberScore(novelty, application, benefit, excluded)
    )
    if problems:
        raise refuse(problems)
    score = EvaluationScore.objects.filter(evaluation=evaluation, member=seat).first()
    before = None
    if score is None:
        score = EvaluationScore(evaluation=evaluation, member=seat)
    else:
        before = {
            "novelty": score.novelty,
            "application": score.application,
            "benefit": score.benefit,
            "excluded": score.excluded,
        }
    score.novelty, score.application, score.benefit = novelty, application, benefit
    score.excluded = excluded
    score.comment = nfc(comment.strip())
    score.save()
    record_event(
        "evaluation.scored",
        actor=acting_user,
        target=evaluation,
        before=before,
        after={
            "novelty": novelty,
            "application": application,
            "benefit": benefit,
            "excluded": excluded,
        },
        data={"member": seat.pk},
    )
    return score


#
# The chair and the secretary: the vote and the decision
#


@transaction.atomic
def record_vote(
    *,
    acting_user: User,
    evaluation: Evaluation,
    in_favour: int,
    against: int,
    abstain: int,
    voted_on: datetime.date | None = None,
) -> Evaluation:
    """Record (or correct, while open) the council's vote; no more votes than members."""
    evaluation = _locked(evaluation)
    _officer_of(acting_user, evaluation)
    _refuse_closed(evaluation)
    voted_on = voted_on or timezone.localdate()
    if voted_on > timezone.localdate():
        message = _("The date cannot be in the future.")
        raise ValidationFailed(message, fields={"voted_on": [message]})
    members = CouncilMember.objects.filter(council_id=evaluation.council_id).count()
    problem = rules.check_votes(rules.Votes(in_favour, against, abstain), members)
    if problem is not None:
        raise refuse_one(problem)
    before = {
        "for": evaluation.votes_for,
        "against": evaluation.votes_against,
        "abstain": evaluation.votes_abstain,
    }
    evaluation.votes_for, evaluation.votes_against = in_favour, against
    evaluation.votes_abstain, evaluation.voted_on = abstain, voted_on
    evaluation.save(update_fields=["votes_for", "votes_against", "votes_abstain", "voted_on"])
    record_event(
        "evaluation.voted",
        actor=acting_user,
        target=evaluation,
        before=before if before["for"] is not None else None,
        after={"for": in_favour, "against": against, "abstain": abstain},
        data={"members": members, "voted_on": voted_on},
    )
    return evaluation


@transaction.atomic
def recognise_initiative(
    *,
    acting_user: User,
    evaluation: Evaluation,
    decision_number: str,
    decision_date: datetime.date | None,
    authority: str,
) -> Recognition:
    """Record the decision recognising the initiative at the evaluation's level.

    Refused while the tally has a reason against it (quorum, exclusion, pass score, vote),
    without a decision number, date and authority, or with a decision dated in the future.
    The initiative takes the level and the decision's date; the evaluation closes.
    """
    evaluation = _locked(evaluation)
    _officer_of(acting_user, evaluation)
    _refuse_closed(evaluation)
    initiative = Initiative.objects.select_for_update().get(pk=evaluation.initiative_id)
    problems = rules.check_decision(
        number=decision_number, date=decision_date, today=timezone.localdate()
    )
    if not authority.strip():
        problems.append(("authority", rules.Problem.DECISION_REQUIRED))
    if problems:
        raise refuse(problems)
    assert decision_date is not None  # checked by rules.check_decision
    reasons = tally_of(evaluation).reasons
    if reasons:
        raise refuse([("", reason) for reason in reasons])
    problem = rules.check_target_level(initiative.level or None, evaluation.level)
    if problem is not None:
        raise refuse_one(problem)
    status = _step(initiative, rules.Action.RECOGNISE)
    recognition = Recognition(
        initiative=initiative,
        level=evaluation.level,
        decision_number=nfc(decision_number.strip()),
        decision_date=decision_date,
        authority=nfc(authority.strip()),
        evaluation=evaluation,
        recorded_by=acting_user,
    )
    full_clean_or_refuse(recognition, exclude=["initiative", "evaluation", "recorded_by"])
    recognition.save()
    before = {"status": initiative.status, "level": initiative.level}
    initiative.status = status
    initiative.level = evaluation.level
    initiative.recognised_on = decision_date
    initiative.return_reason = ""
    initiative.save(
        update_fields=["status", "level", "recognised_on", "return_reason", "updated_at"]
    )
    _close(evaluation, EvaluationStatus.RECOGNISED, acting_user)
    record_event(
        "initiative.recognised",
        actor=acting_user,
        target=initiative,
        before=before,
        after={"status": initiative.status, "level": initiative.level},
        data={
            "evaluation": evaluation.pk,
            "recognition": recognition.pk,
            "decision_number": recognition.decision_number,
            "decision_date": decision_date,
        },
    )
    _tell_authors(
        initiative,
        "initiatives.recognised",
        _("Your initiative “{title}” is recognised: {level}.").format(
            title=initiative.title, level=initiative.get_level_display()
        ),
    )
    return recognition


@transaction.atomic
def refuse_initiative(*, acting_user: User, evaluation: Evaluation, reasons: str) -> Evaluation:
    """Record the decision not to recognise the initiative at the evaluation's level.

    Reasons are required. A refusal at a higher level leaves the initiative recognised at the
    level it holds.
    """
    reasons = _required(reasons, "reasons")
    evaluation = _locked(evaluation)
    _officer_of(acting_user, evaluation)
    _refuse_closed(evaluation)
    initiative = Initiative.objects.select_for_update().get(pk=evaluation.initiative_id)
    status = _step(initiative, rules.Action.REFUSE)
    before = initiative.status
    initiative.status = status
    initiative.save(update_fields=["status", "updated_at"])
    _close(evaluation, EvaluationStatus.REFUSED, acting_user, reasons[:5000])
    record_event(
        "initiative.refused",
        actor=acting_user,
        target=initiative,
        before={"status": before},
        after={"status": status},
        data={"evaluation": evaluation.pk, "level": evaluation.level, "reasons": reasons},
    )
    _tell_authors(
        initiative,
        "initiatives.refused",
        _("Your initiative “{title}” is not recognised at this level: {level}.").format(
            title=initiative.title, level=evaluation.get_level_display()
        ),
    )
    return evaluation


@transaction.atomic
def return_initiative(*, acting_user: User, evaluation: Evaluation, reason: str) -> Evaluation:
    """Send the initiative back to its authors for changes, with the reason (required)."""
    reason = _required(reason, "reason")
    evaluation = _locked(evaluation)
    _officer_of(acting_user, evaluation)
    _refuse_closed(evaluation)
    initiative = Initiative.objects.select_for_update().get(pk=evaluation.initiative_id)
    status = _step(initiative, rules.Action.RETURN)
    before = initiative.status
    initiative.status = status
    initiative.return_reason = reason[:5000]
    initiative.save(update_fields=["status", "return_reason", "updated_at"])
    _close(evaluation, EvaluationStatus.RETURNED, acting_user, reason[:5000])
    record_event(
        "initiative.returned",
        actor=acting_user,
        target=initiative,
        before={"status": before},
        after={"status": status},
        data={"evaluation": evaluation.pk, "reason": reason},
    )
    _tell_authors(
        initiative,
        "initiatives.returned",
        _("Your initiative “{title}” is returned for changes.").format(title=initiative.title),
    )
    return evaluation


#
# The secretariat: proposals to the next level
#


def propose_next_level(
    *,
    acting_user: User,
    initiative: Initiative,
    council: Council,
    level: str | None = None,
) -> Evaluation:
    """Propose a recognised initiative to `council` at the next level (or at `level`).

    The acting user holds MANAGE_INITIATIVES over the initiative's unit (else NotFound). A
    level that is skipped or already held, and a council of the wrong level, outside the
    initiative's unit or not in office, are refused with the rules' messages.
    """
    with transaction.atomic():
        if not access.in_scope(acting_user, Capability.MANAGE_INITIATIVES, initiative.unit):
            raise NotFound(_("Not found."))
        initiative = (
            Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
        )
        target = level or rules.next_level(initiative.level or None)
        if target is None:
            raise refuse_one(rules.Problem.LEVEL_TOP, "level")
        if target not in rules.LEVELS:
            raise refuse_one(rules.Problem.LEVEL_SKIPPED, "level")
        _step(initiative, rules.Action.PROPOSE)
        return open_evaluation(
            acting_user=acting_user, initiative=initiative, level=target, council=council
        )
