"""Writes of campaign setup: campaigns, phases, contents, clusters, criteria versions, lifecycle.

Campaigns, phases, contents and clusters are added and changed at any time (the checks hold
after every change: phases inside the campaign's dates without overlap, competing units in the
scope and in one cluster only); phases, contents and clusters are removed only while the
campaign is a draft. Launching checks the whole setup (`queries.setup.launch_problems`).

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
from lifelong.emulation.queries.setup import launch_problems, plain
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
    "remove_cluster",
    "remove_content",
    "remove_phase",
    "save_criteria",
    "update_campaign",
    "update_cluster",
    "update_content",
    "update_phase",
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


def _dates(starts_on: datetime.date, ends_on: datetime.date, what: str) -> None:
    if ends_on < starts_on:
        raise ValidationFailed(
            _("A campaign cannot end before it starts.")
            if what == "campaign"
            else _("A phase cannot end before it starts."),
            ends_on=[_("Before the start.")],
        )


def _name(name: str, message: str) -> str:
    name = nfc(name).strip()
    if not name:
        raise ValidationFailed(message, name=[_("Required.")])
    return name


def _under(unit: Unit, roots: Sequence[str]) -> bool:
    return any(unit.path.startswith(root) for root in roots)


def _check_scope(launching_unit: Unit, scope_units: Sequence[Unit]) -> None:
    if not scope_units:
        raise ValidationFailed(
            _("Choose the units in the campaign's scope."), scope_units=[_("Required.")]
        )
    outside = sorted(
        (u for u in scope_units if not _under(u, [launching_unit.path])), key=lambda u: u.sort_key
    )
    if outside:
        raise ValidationFailed(
            _("Units in scope lie under the launching unit; not: {units}.").format(
                units=", ".join(u.name for u in outside)
            ),
            scope_units=[_("Outside the launching unit.")],
        )


@transaction.atomic
def create_campaign(
    *,
    acting_user: User,
    name: str,
    description: str,
    launching_unit: Unit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    scope_units: Sequence[Unit] = (),
) -> Campaign:
    """Create a campaign in draft, launched by `launching_unit` (its whole subtree by default)."""
    if not access.in_scope(acting_user, Capability.MANAGE_EMULATION, launching_unit):
        raise NotFound(_("Not found."))
    name = _name(name, _("Give the campaign a name."))
    _dates(starts_on, ends_on, "campaign")
    scope = list(scope_units) or [launching_unit]
    _check_scope(launching_unit, scope)
    campaign = Campaign.objects.create(
        name=name,
        description=nfc(description).strip(),
        launching_unit=launching_unit,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=acting_user,
        sort_key=sort_key(name),
    )
    campaign.scope_units.set(scope)
    record_event(
        "emulation.campaign_created",
        actor=acting_user,
        target=campaign,
        data={"scope_units": [u.code for u in scope]},
    )
    return campaign


def _snapshot(campaign: Campaign) -> dict[str, object]:
    return {
        "name": campaign.name,
        "description": campaign.description,
        "launching_unit": campaign.launching_unit.code,
        "scope_units": sorted(campaign.scope_units.values_list("code", flat=True)),
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
    }


@transaction.atomic
def update_campaign(
    *,
    acting_user: User,
    campaign: Campaign,
    name: str,
    description: str,
    launching_unit: Unit,
    scope_units: Sequence[Unit],
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Campaign:
    """Change the campaign's name, description, launching unit, units in scope and dates.

    The phases must stay inside the new dates and the competing units inside the new scope.
    """
    _manager(acting_user, campaign)
    if not access.in_scope(acting_user, Capability.MANAGE_EMULATION, launching_unit):
        raise ValidationFailed(
            _("Launch the campaign from a unit you manage."),
            launching_unit=[_("Not a unit you manage.")],
        )
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = _snapshot(campaign)
    name = _name(name, _("Give the campaign a name."))
    _dates(starts_on, ends_on, "campaign")
    _check_scope(launching_unit, scope_units)
    outside_phases = Phase.objects.filter(campaign=campaign).exclude(
        starts_on__gte=starts_on, ends_on__lte=ends_on
    )
    if outside_phases.exists():
        raise ValidationFailed(
            _("These phases would lie outside the campaign's dates: {phases}.").format(
                phases=", ".join(p.name for p in outside_phases.order_by("starts_on"))
            ),
            starts_on=[_("A phase lies outside these dates.")],
        )
    roots = [u.path for u in scope_units]
    left_out = sorted(
        (
            m.unit
            for m in ClusterUnit.objects.filter(campaign=campaign).select_related("unit")
            if not _under(m.unit, roots)
        ),
        key=lambda u: u.sort_key,
    )
    if left_out:
        raise ValidationFailed(
            _("These competing units would fall outside the scope: {units}.").format(
                units=", ".join(u.name for u in left_out)
            ),
            scope_units=[_("Competing units lie outside it.")],
        )
    campaign.name = name
    campaign.sort_key = sort_key(name)
    campaign.description = nfc(description).strip()
    campaign.launching_unit = launching_unit
    campaign.starts_on = starts_on
    campaign.ends_on = ends_on
    campaign.save()
    campaign.scope_units.set(scope_units)
    record_event(
        "emulation.campaign_changed",
        actor=acting_user,
        target=campaign,
        before=before,
        after=_snapshot(campaign),
    )
    return campaign


def _check_phase_dates(
    campaign: Campaign,
    starts_on: datetime.date,
    ends_on: datetime.date,
    exclude: int | None = None,
) -> None:
    _dates(starts_on, ends_on, "phase")
    if starts_on < campaign.starts_on or ends_on > campaign.ends_on:
        raise ValidationFailed(
            _("A phase lies inside the campaign's dates."), starts_on=[_("Outside the campaign.")]
        )
    others = Phase.objects.filter(campaign=campaign, starts_on__lte=ends_on, ends_on__gte=starts_on)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    overlaps = others.order_by("starts_on").first()
    if overlaps is not None:
        raise ValidationFailed(
            _("The phase overlaps {name}.").format(name=overlaps.name),
            starts_on=[_("Overlaps another phase.")],
        )


def _draft_only(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationFailed(_("Only a campaign in draft loses a phase, content or cluster."))


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
    name = _name(name, _("Give the phase a name."))
    _check_phase_dates(campaign, starts_on, ends_on)
    phase = Phase.objects.create(campaign=campaign, name=name, starts_on=starts_on, ends_on=ends_on)
    _touch(campaign)
    record_event("emulation.phase_added", actor=acting_user, target=phase)
    return phase


@transaction.atomic
def update_phase(
    *,
    acting_user: User,
    phase: Phase,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Phase:
    """Rename or re-date a phase; it stays inside the campaign and overlaps no other phase."""
    campaign = phase.campaign
    _manager(acting_user, campaign)
    name = _name(name, _("Give the phase a name."))
    _check_phase_dates(campaign, starts_on, ends_on, exclude=phase.pk)
    before = {
        "name": phase.name,
        "starts_on": phase.starts_on.isoformat(),
        "ends_on": phase.ends_on.isoformat(),
    }
    phase.name, phase.starts_on, phase.ends_on = name, starts_on, ends_on
    phase.save()
    _touch(campaign)
    record_event(
        "emulation.phase_changed",
        actor=acting_user,
        target=phase,
        before=before,
        after={"name": name, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )
    return phase


@transaction.atomic
def remove_phase(*, acting_user: User, phase: Phase) -> None:
    """Remove a phase (and its criteria versions) from a campaign still in draft."""
    campaign = phase.campaign
    _manager(acting_user, campaign)
    _draft_only(campaign)
    record_event(
        "emulation.phase_removed",
        actor=acting_user,
        target=phase,
        data={"name": phase.name, "campaign": campaign.pk},
    )
    phase.delete()
    _touch(campaign)


def _check_content(movement_content: str, weight: Decimal) -> None:
    if movement_content and movement_content not in MovementContent.values:
        raise ValidationFailed(
            _("Not a content of the movement."), movement_content=[_("Not a choice.")]
        )
    if not Decimal(0) < weight <= Decimal(100):
        raise ValidationFailed(
            _("A weight is more than 0 and at most 100."), weight=[_("Out of range.")]
        )


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
    name = _name(name, _("Give the content a name."))
    _check_content(movement_content, weight)
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
def update_content(
    *,
    acting_user: User,
    content: Content,
    name: str,
    movement_content: str,
    weight: Decimal,
) -> Content:
    """Rename a content, or change its movement content or its weight."""
    campaign = content.campaign
    _manager(acting_user, campaign)
    name = _name(name, _("Give the content a name."))
    _check_content(movement_content, weight)
    before = {
        "name": content.name,
        "movement_content": content.movement_content,
        "weight": str(content.weight),
    }
    content.name, content.movement_content, content.weight = name, movement_content, weight
    content.save()
    _touch(campaign)
    record_event(
        "emulation.content_changed",
        actor=acting_user,
        target=content,
        before=before,
        after={"name": name, "movement_content": movement_content, "weight": str(weight)},
    )
    return content


@transaction.atomic
def remove_content(*, acting_user: User, content: Content) -> None:
    """Remove a content no criterion uses from a campaign still in draft."""
    campaign = content.campaign
    _manager(acting_user, campaign)
    _draft_only(campaign)
    used = (
        Phase.objects.filter(criteria_versions__criteria__content=content)
        .distinct()
        .order_by("starts_on")
    )
    if used.exists():
        raise ValidationFailed(
            _("Criteria of {phases} use this content: change them first.").format(
                phases=", ".join(p.name for p in used)
            )
        )
    record_event(
        "emulation.content_removed",
        actor=acting_user,
        target=content,
        data={"name": content.name, "campaign": campaign.pk},
    )
    content.delete()
    _touch(campaign)


def _check_cluster(
    campaign: Campaign, kind: str, units: Sequence[Unit], cluster: Cluster | None = None
) -> None:
    if kind not in ClusterKind.values:
        raise ValidationFailed(_("A cluster or a block."), kind=[_("Not a choice.")])
    if not units:
        raise ValidationFailed(_("Choose the units that compete in it."), units=[_("Required.")])
    roots = list(campaign.scope_units.values_list("path", flat=True))
    outside = sorted((u for u in units if not _under(u, roots)), key=lambda u: u.sort_key)
    if outside:
        raise ValidationFailed(
            _("Outside the campaign's scope: {units}.").format(
                units=", ".join(u.name for u in outside)
            ),
            units=[_("Outside the scope.")],
        )
    taken = (
        ClusterUnit.objects.filter(campaign=campaign, unit__in=units)
        .exclude(cluster=cluster)
        .select_related("unit")
        .order_by("unit__sort_key")
    )
    if taken:
        raise ValidationFailed(
            _("Already in another cluster: {units}.").format(
                units=", ".join(t.unit.name for t in taken)
            ),
            units=[_("A unit competes in one cluster only.")],
        )


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
    name = _name(name, _("Give the cluster a name."))
    _check_cluster(campaign, kind, units)
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


@transaction.atomic
def update_cluster(
    *,
    acting_user: User,
    cluster: Cluster,
    name: str,
    kind: str,
    units: Sequence[Unit],
) -> Cluster:
    """Rename a cluster, change its kind, or change the units competing in it."""
    campaign = cluster.campaign
    _manager(acting_user, campaign)
    name = _name(name, _("Give the cluster a name."))
    _check_cluster(campaign, kind, units, cluster=cluster)
    before = {
        "name": cluster.name,
        "kind": cluster.kind,
        "units": sorted(
            ClusterUnit.objects.filter(cluster=cluster).values_list("unit__code", flat=True)
        ),
    }
    cluster.name, cluster.kind = name, kind
    cluster.save()
    wanted = {u.pk: u for u in units}
    ClusterUnit.objects.filter(cluster=cluster).exclude(unit_id__in=wanted).delete()
    present = set(ClusterUnit.objects.filter(cluster=cluster).values_list("unit_id", flat=True))
    ClusterUnit.objects.bulk_create(
        ClusterUnit(cluster=cluster, unit=u, campaign=campaign)
        for pk, u in wanted.items()
        if pk not in present
    )
    _touch(campaign)
    record_event(
        "emulation.cluster_changed",
        actor=acting_user,
        target=cluster,
        before=before,
        after={"name": name, "kind": kind, "units": sorted(u.code for u in units)},
    )
    return cluster


@transaction.atomic
def remove_cluster(*, acting_user: User, cluster: Cluster) -> None:
    """Remove a cluster or block (its units no longer compete) from a campaign in draft."""
    campaign = cluster.campaign
    _manager(acting_user, campaign)
    _draft_only(campaign)
    record_event(
        "emulation.cluster_removed",
        actor=acting_user,
        target=cluster,
        data={
            "name": cluster.name,
            "units": sorted(
                ClusterUnit.objects.filter(cluster=cluster).values_list("unit__code", flat=True)
            ),
        },
    )
    cluster.delete()
    _touch(campaign)


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
    if status == CampaignStatus.LAUNCHED and (problems := launch_problems(campaign)):
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
                    content=content.name, total=plain(sum(weights, Decimal(0)))
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
