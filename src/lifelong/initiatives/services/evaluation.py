"""Writes of evaluations: open one at a level with a council (more to come from the council's work).

Every function takes keyword-only arguments with `acting_user`, runs in one transaction and
records one audit event.
"""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import ValidationFailed
from lifelong.initiatives import rules
from lifelong.initiatives.models import Council, Evaluation, EvaluationPolicy, Initiative
from lifelong.initiatives.queries.councils import council_for
from lifelong.initiatives.services.common import refuse_one

__all__ = ["open_evaluation", "policy_in_force"]


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
