"""Writes of campaign setup: campaigns, phases, contents, clusters, criteria versions, lifecycle.

Every function takes keyword-only arguments with `acting_user`, runs in one transaction and
records one audit event; only the secretariat over the launching unit (`scope.may_manage`)
configures a campaign, anyone else gets NotFound. A refusal raises ValidationFailed naming what
is wrong, and nothing is saved then.

Criteria are saved a whole phase at a time as a new version (earlier versions stay): each
criterion must be able to score (`rules.check_criterion`), measure something that exists, and
the weights must sum to 100 within each content. `preview_criteria` runs the same checks and
computes the scores the criteria would give, writing nothing. Any change touches the
campaign's `updated_at`, so the background recompute notices it; saving criteria of a
campaign that is not a draft also recomputes at once, after the commit.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.text import nfc, sort_key
from lifelong.emulation import rules
from lifelong.emulation.choices import (
    CampaignStatus,
    ClusterKind,
    CriterionKind,
    Metric,
    Normalisation,
    Subject,
)
from lifelong.emulation.models import (
    Campaign,
    Cluster,
    ClusterUnit,
    Content,
    CriteriaVersion,
    Criterion,
    KpiIndicator,
    Phase,
)
from lifelong.emulation.queries.inputs import COUNT_METRICS, PEOPLE_METRICS, CriterionDef
from lifelong.emulation.queries.scope import may_manage
from lifelong.emulation.services.scoring import PhaseScores, compute_phase, recompute
from lifelong.learning.choices import MovementContent
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Unit

__all__ = [
    "TRANSITIONS",
    "CriterionInput",
    "add_cluster",
    "add_content",
    "add_phase",
    "change_status",
    "check_criteria",
    "create_campaign",
    "parse_steps",
    "preview_criteria",
    "save_criteria",
]

# The lifecycle (Law 06/2022 Art. 17): each status and where it may go next.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CampaignStatus.DRAFT: (CampaignStatus.LAUNCHED,),
    CampaignStatus.LAUNCHED: (CampaignStatus.RUNNING,),
    CampaignStatus.RUNNING: (CampaignStatus.INTERIM_REVIEW, CampaignStatus.FINAL_REVIEW),
    CampaignStatus.INTERIM_REVIEW: (CampaignStatus.RUNNING, CampaignStatus.FINAL_REVIEW),
    CampaignStatus.FINAL_REVIEW: (CampaignStatus.CLOSED,),
    CampaignStatus.CLOSED: (),
}

PROBLEMS = {
    rules.Problem.TARGET_NOT_POSITIVE: gettext_lazy("The target must be more than 0."),
    rules.Problem.CAP_BELOW_100: gettext_lazy("The cap must be at least 100 points."),
    rules.Problem.NO_STEPS: gettext_lazy("Give the thresholds as bound:points pairs."),
    rules.Problem.STEP_POINTS_OUT_OF_RANGE: gettext_lazy(
        "Threshold points must lie between 0 and the cap."
    ),
    rules.Problem.STEPS_NOT_ORDERED: gettext_lazy(
        "Thresholds must go from the lowest bound to the highest."
    ),
}


def _problem(problem: rules.Problem) -> str:
    return str(PROBLEMS.get(problem, problem))


def _manager(acting_user: User, campaign: Campaign) -> None:
    if not may_manage(acting_user, campaign):
        raise NotFound(_("Not found."))


def _touch(campaign: Campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now())


#
# Campaigns, phases, contents, clusters
#


@transaction.atomic
def create_campaign(
    *,
    acting_user: User,
    name: str,
    description: str,
    launching_unit: Unit,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Campaign:
    """Create a campaign in draft, launched by `launching_unit` for its whole subtree."""
    if not access.in_scope(acting_user, Capability.MANAGE_EMULATION, launching_unit):
        raise NotFound(_("Not found."))
    name = nfc(name).strip()
    if not name:
        raise ValidationFailed(_("Give the campaign a name."), name=[_("Required.")])
    if ends_on < starts_on:
        raise ValidationFailed(
            _("A campaign cannot end before it starts."), ends_on=[_("Before the start.")]
        )
    campaign = Campaign.objects.create(
        name=name,
        description=nfc(description).strip(),
        launching_unit=launching_unit,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=acting_user,
        sort_key=sort_key(name),
    )
    campaign.scope_units.set([launching_unit])
    record_event("emulation.campaign_created", actor=acting_user, target=campaign)
    return campaign


@transaction.atomic
def add_phase(
    *,
    acting_user: User,
    campaign: Campaign,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Phase:
    """Add a dated phase inside the campaign's dates, overlapping no other phase."""
    _manager(acting_user, campaign)
    name = nfc(name).strip()
    if not name:
        raise ValidationFailed(_("Give the phase a name."), name=[_("Required.")])
    if ends_on < starts_on:
        raise ValidationFailed(
            _("A phase cannot end before it starts."), ends_on=[_("Before the start.")]
        )
    if starts_on < campaign.starts_on or ends_on > campaign.ends_on:
        raise ValidationFailed(
            _("A phase lies inside the campaign's dates."), starts_on=[_("Outside the campaign.")]
        )
    overlaps = Phase.objects.filter(
        campaign=campaign, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if overlaps is not None:
        raise ValidationFailed(
            _("The phase overlaps {name}.").format(name=overlaps.name),
            starts_on=[_("Overlaps another phase.")],
        )
    phase = Phase.objects.create(campaign=campaign, name=name, starts_on=starts_on, ends_on=ends_on)
    _touch(campaign)
    record_event("emulation.phase_added", actor=acting_user, target=phase)
    return phase


@transaction.atomic
def add_content(
    *,
    acting_user: User,
    campaign: Campaign,
    name: str,
    movement_content: str,
    weight: Decimal,
) -> Content:
    """Add a weighted content; the weights are checked to sum to 100 at launch."""
    _manager(acting_user, campaign)
    name = nfc(name).strip()
    if not name:
        raise ValidationFailed(_("Give the content a name."), name=[_("Required.")])
    if movement_content and movement_content not in MovementContent.values:
        raise ValidationFailed(
            _("Not a content of the movement."), movement_content=[_("Not a choice.")]
        )
    if not Decimal(0) < weight <= Decimal(100):
        raise ValidationFailed(
            _("A weight is more than 0 and at most 100."), weight=[_("Out of range.")]
        )
    position = Content.objects.filter(campaign=campaign).count()
    content = Content.objects.create(
        campaign=campaign,
        name=name,
        movement_content=movement_content,
        weight=weight,
        position=position,
    )
    _touch(campaign)
    record_event("emulation.content_added", actor=acting_user, target=content)
    return content


@transaction.atomic
def add_cluster(
    *,
    acting_user: User,
    campaign: Campaign,
    name: str,
    kind: str,
    units: Sequence[Unit],
) -> Cluster:
    """Add a cluster or block of units in the campaign's scope; a unit is in one cluster only."""
    _manager(acting_user, campaign)
    name = nfc(name).strip()
    if not name:
        raise ValidationFailed(_("Give the cluster a name."), name=[_("Required.")])
    if kind not in ClusterKind.values:
        raise ValidationFailed(_("A cluster or a block."), kind=[_("Not a choice.")])
    if not units:
        raise ValidationFailed(_("Choose the units that compete in it."), units=[_("Required.")])
    roots = list(campaign.scope_units.values_list("path", flat=True))
    outside = [u.name for u in units if not any(u.path.startswith(r) for r in roots)]
    if outside:
        raise ValidationFailed(
            _("Outside the campaign's scope: {units}.").format(units=", ".join(outside)),
            units=[_("Outside the scope.")],
        )
    taken = ClusterUnit.objects.filter(campaign=campaign, unit__in=units).select_related("unit")
    if taken:
        raise ValidationFailed(
            _("Already in another cluster: {units}.").format(
                units=", ".join(t.unit.name for t in taken)
            ),
            units=[_("A unit competes in one cluster only.")],
        )
    cluster = Cluster.objects.create(campaign=campaign, name=name, kind=kind)
    ClusterUnit.objects.bulk_create(
        ClusterUnit(cluster=cluster, unit=u, campaign=campaign) for u in units
    )
    _touch(campaign)
    record_event(
        "emulation.cluster_added",
        actor=acting_user,
        target=cluster,
        data={"units": [u.code for u in units]},
    )
    return cluster


def _launch_problems(campaign: Campaign) -> list[str]:
    problems: list[str] = []
    phases = list(Phase.objects.filter(campaign=campaign))
    contents = list(Content.objects.filter(campaign=campaign))
    if not phases:
        problems.append(_("Add at least one phase."))
    if not contents or rules.check_weights([c.weight for c in contents]):
        problems.append(_("The contents' weights must add up to exactly 100."))
    if not ClusterUnit.objects.filter(campaign=campaign).exists():
        problems.append(_("Put the competing units in clusters or blocks."))
    for phase in phases:
        if not CriteriaVersion.objects.filter(phase=phase).exists():
            problems.append(_("Define the criteria of {phase}.").format(phase=phase.name))
    return problems


@transaction.atomic
def change_status(*, acting_user: User, campaign: Campaign, status: str) -> Campaign:
    """Move the campaign along its lifecycle; launching needs a complete setup."""
    _manager(acting_user, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if status not in TRANSITIONS.get(campaign.status, ()):
        raise ValidationFailed(
            _("A campaign that is {now} cannot become {then}.").format(
                now=campaign.get_status_display(), then=CampaignStatus(status).label
            )
            if status in CampaignStatus.values
            else _("Not a status of a campaign.")
        )
    if status == CampaignStatus.LAUNCHED and (problems := _launch_problems(campaign)):
        raise ValidationFailed(" ".join(problems))
    before = campaign.status
    campaign.status = status
    campaign.save(update_fields=["status", "updated_at"])
    record_event(
        "emulation.campaign_status_changed",
        actor=acting_user,
        target=campaign,
        before={"status": before},
        after={"status": status},
    )
    return campaign


#
# Criteria
#


@dataclass(frozen=True)
class CriterionInput:
    """A criterion as typed in the editor (numbers parsed, steps as "bound:points; …")."""

    content_id: int
    code: str
    name: str
    subject: str
    metric: str
    kind: str
    weight: Decimal
    target: Decimal | None = None
    cap: Decimal = Decimal(100)
    steps: str = ""
    lower_is_better: bool = False
    normalisation: str = Normalisation.NONE
    kpi_id: int | None = None


def parse_steps(text: str) -> tuple[rules.Step, ...]:
    """Parse "10:50; 25:80; 40:100" into thresholds; raise ValueError on bad text."""
    steps = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        bound, _sep, points = part.partition(":")
        try:
            steps.append(
                rules.Step(Decimal(bound.strip().replace(",", ".")), Decimal(points.strip()))
            )
        except InvalidOperation:
            raise ValueError(part) from None
    return tuple(steps)


def check_criteria(campaign: Campaign, rows: Sequence[CriterionInput]) -> list[CriterionDef]:
    """Return the rows as scorable criteria, or raise ValidationFailed listing every problem.

    `details["rows"]` maps a row's index to its messages; the message names each content
    whose weights do not add up to 100.
    """
    contents = {c.pk: c for c in Content.objects.filter(campaign=campaign)}
    kpis = set(KpiIndicator.objects.values_list("pk", flat=True))
    by_row: dict[int, list[str]] = {}
    general: list[str] = []
    defs: list[CriterionDef] = []
    seen: set[str] = set()
    if not rows:
        raise ValidationFailed(_("Give at least one criterion."))
    for index, row in enumerate(rows):
        problems: list[str] = []
        code = row.code.strip()
        if not code or not row.name.strip():
            problems.append(_("A criterion needs a code and a name."))
        if code in seen:
            problems.append(_("The code {code} is used twice.").format(code=code))
        seen.add(code)
        if row.content_id not in contents:
            problems.append(_("Choose a content of this campaign."))
        if row.metric not in Metric.values:
            problems.append(_("The measure {metric} does not exist.").format(metric=row.metric))
        if row.kind not in CriterionKind.values:
            problems.append(_("Choose how the criterion scores."))
        if row.subject not in Subject.values:
            problems.append(_("Choose whom the criterion scores."))
        if row.normalisation not in Normalisation.values:
            problems.append(_("Choose a normalisation."))
        if row.metric == Metric.KPI and row.kpi_id not in kpis:
            problems.append(_("A KPI criterion names an existing KPI."))
        if (row.metric == Metric.EVIDENCE) != (row.kind == CriterionKind.ASSESSED):
            problems.append(
                _("A criterion assessed from evidence scores the reviewed points, and only it.")
            )
        if row.normalisation != Normalisation.NONE and row.metric not in COUNT_METRICS:
            problems.append(
                _("Only counts are normalised by unit size; this measure is already a share.")
            )
        if row.subject != Subject.UNITS and (
            row.metric not in PEOPLE_METRICS or row.normalisation != Normalisation.NONE
        ):
            problems.append(_("Individuals cannot be scored on this measure: score units only."))
        if not Decimal(0) < row.weight <= Decimal(100):
            problems.append(_("A weight is more than 0 and at most 100."))
        try:
            steps = parse_steps(row.steps) if row.kind == CriterionKind.THRESHOLDS else ()
        except ValueError:
            steps = ()
            problems.append(_("Write thresholds as bound:points pairs, e.g. 10:50; 25:80."))
        rule = None
        if not problems:
            rule = rules.Criterion(
                kind=rules.Kind(row.kind),
                target=row.target if row.kind == CriterionKind.LINEAR else None,
                cap=row.cap,
                steps=steps,
                lower_is_better=row.lower_is_better,
                normalisation=rules.Normalisation(row.normalisation),
            )
            problems.extend(_problem(p) for p in rules.check_criterion(rule))
        if problems:
            by_row[index] = problems
        elif rule is not None:
            defs.append(
                CriterionDef(
                    code=code,
                    name=nfc(row.name).strip(),
                    content_id=row.content_id,
                    weight=row.weight,
                    metric=row.metric,
                    subject=row.subject,
                    rule=rule,
                    kpi_id=row.kpi_id if row.metric == Metric.KPI else None,
                )
            )
    for content in contents.values():
        weights = [r.weight for r in rows if r.content_id == content.pk]
        if weights and rules.check_weights(weights):
            general.append(
                _("The weights of the criteria of {content} add up to {total}, not 100.").format(
                    content=content.name, total=f"{sum(weights, Decimal(0)):g}"
                )
            )
    if by_row or general:
        rows_text = [
            _("Row {n}: {problems}").format(n=i + 1, problems=" ".join(p))
            for i, p in sorted(by_row.items())
        ]
        raise ValidationFailed(" ".join(general + rows_text), rows=by_row)
    return defs


def preview_criteria(
    *, acting_user: User, phase: Phase, rows: Sequence[CriterionInput]
) -> PhaseScores:
    """Check the rows and compute the scores they would give in `phase`; write nothing."""
    _manager(acting_user, phase.campaign)
    return compute_phase(phase, check_criteria(phase.campaign, rows))


@transaction.atomic
def save_criteria(
    *, acting_user: User, phase: Phase, rows: Sequence[CriterionInput], note: str = ""
) -> CriteriaVersion:
    """Save the rows as the phase's next criteria version; recompute after the commit."""
    campaign = phase.campaign
    _manager(acting_user, campaign)
    defs = check_criteria(campaign, rows)
    number = (
        CriteriaVersion.objects.filter(phase=phase)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    try:
        with transaction.atomic():
            version = CriteriaVersion.objects.create(
                phase=phase, number=number, note=nfc(note).strip()[:300], created_by=acting_user
            )
    except IntegrityError:
        raise ValidationFailed(
            _("Someone saved these criteria meanwhile: reload the page.")
        ) from None
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            content_id=d.content_id,
            code=d.code,
            name=d.name,
            subject=d.subject,
            metric=d.metric,
            kpi_id=d.kpi_id,
            kind=str(d.rule.kind),
            weight=d.weight,
            target=d.rule.target,
            cap=d.rule.cap,
            steps=[[float(s.bound), float(s.points)] for s in d.rule.steps],
            lower_is_better=d.rule.lower_is_better,
            normalisation=str(d.rule.normalisation),
            position=position,
        )
        for position, d in enumerate(defs)
    )
    _touch(campaign)
    record_event(
        "emulation.criteria_saved",
        actor=acting_user,
        target=version,
        data={"phase": phase.pk, "version": number, "criteria": [d.code for d in defs]},
    )
    if campaign.status != CampaignStatus.DRAFT:
        transaction.on_commit(lambda: recompute(campaign=campaign))
    return version
