"""Interim and final reviews (sơ kết, tổng kết): frozen snapshots that nothing later changes.

Freezing computes the scores afresh from the data of that moment (`scoring.compute_phase`) and
stores everything the review shows in its snapshot: the criteria definitions, every unit's and
officer's scores with the inputs behind them, ranks, and the proposed exemplary collectives
and individuals. Data that arrives later, even dated inside the phase, changes the live
scores, never the snapshot. Only the secretariat reopens a review, with a reason: the old
version is kept (marked superseded) and a new version is frozen from the data of that moment.

- An interim review covers one phase with the criteria in force in it.
- The final review covers the whole campaign (its first day to its last) with the criteria in
  force in its last phase and that phase's self-assessments.
- Proposals: the first `PROPOSED_UNITS` of each cluster and the first `PROPOSED_PEOPLE`
  officers of each cluster, among those with an approved registration for a year of the
  period and more than 0 points, with the reasons (rank, of how many, total, best content).
  These are agency practice [P]: the commendation step decides.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import Conflict, NotFound, ValidationFailed
from lifelong.emulation.choices import CampaignStatus, RegistrationStatus, ReviewKind
from lifelong.emulation.models import Campaign, Content, Phase, Registration, Review
from lifelong.emulation.queries.scope import may_manage
from lifelong.emulation.services.scoring import PhaseScores, compute_phase, criteria_in_force

__all__ = ["PROPOSED_PEOPLE", "PROPOSED_UNITS", "freeze", "reopen", "snapshot_of"]

PROPOSED_UNITS = 1
PROPOSED_PEOPLE = 3


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _criteria(scores: PhaseScores) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "name": c.name,
            "content_id": c.content_id,
            "subject": c.subject,
            "metric": c.metric,
            "kpi_id": c.kpi_id,
            "kind": str(c.rule.kind),
            "weight": float(c.weight),
            "target": _number(c.rule.target),
            "cap": float(c.rule.cap),
            "steps": [[float(s.bound), float(s.points)] for s in c.rule.steps],
            "lower_is_better": c.rule.lower_is_better,
            "normalisation": str(c.rule.normalisation),
        }
        for c in scores.criteria
    ]


def _registered(campaign: Campaign, start: datetime.date, end: datetime.date) -> set[Any]:
    """Return ("unit", id) and ("person", id) of approved registrations for the period's years."""
    rows = Registration.objects.filter(
        campaign=campaign,
        year__gte=start.year,
        year__lte=end.year,
        status=RegistrationStatus.APPROVED,
    ).values_list("unit_id", "person_id")
    return {("unit", u) if u else ("person", p) for u, p in rows}


def _best_content(by_content: dict[str, float], names: dict[str, str]) -> dict[str, Any] | None:
    if not by_content:
        return None
    key = max(by_content, key=lambda k: by_content[k])
    return {"id": int(key), "name": names.get(key, ""), "score": by_content[key]}


def snapshot_of(
    scores: PhaseScores, campaign: Campaign, *, frozen_at: datetime.datetime
) -> dict[str, Any]:
    """Return everything a review shows, as JSON data, from freshly computed scores."""
    from lifelong.emulation.services.scoring import detail_of

    contents = list(Content.objects.filter(campaign=campaign).order_by("position", "pk"))
    names = {str(c.pk): c.name for c in contents}
    where, measured = scores.where, scores.measured
    units = []
    for unit_id, standing in scores.units.items():
        competitor = where.competitors[unit_id]
        units.append(
            {
                "unit_id": unit_id,
                "unit_code": competitor.code,
                "unit_name": competitor.name,
                "sort_key": competitor.sort_key,
                "cluster_id": competitor.cluster_id,
                "cluster": competitor.cluster_name,
                "headcount": measured.headcounts.get(unit_id, 0),
                "total": float(standing.total),
                "rank": standing.rank,
                "of": standing.of,
                "by_content": {str(k): float(v) for k, v in standing.by_content.items()},
                "detail": {
                    code: detail_of(score, measured.inputs[unit_id].get(code))
                    for code, score in standing.scores.items()
                },
            }
        )
    units.sort(key=lambda u: (u["cluster"], u["rank"], u["sort_key"]))
    people = []
    for person_id, standing in scores.people.items():
        entrant = where.entrants[person_id]
        people.append(
            {
                "person_id": person_id,
                "officer_code": entrant.officer_code,
                "name": entrant.name,
                "sort_key": entrant.sort_key,
                "unit_id": entrant.unit_id,
                "own_unit_id": entrant.own_unit_id,
                "cluster_id": entrant.cluster_id,
                "cluster": where.competitors[entrant.unit_id].cluster_name,
                "total": float(standing.total),
                "rank": standing.rank,
                "of": standing.of,
                "by_content": {str(k): float(v) for k, v in standing.by_content.items()},
                "detail": {code: detail_of(score) for code, score in standing.scores.items()},
            }
        )
    people.sort(key=lambda p: (p["cluster"], p["rank"], p["sort_key"]))
    registered = _registered(campaign, scores.phase.starts_on, scores.phase.ends_on)

    def proposed(rows: list[dict[str, Any]], kind: str, key: str, top: int) -> list[dict[str, Any]]:
        chosen = []
        for row in rows:
            if row["rank"] <= top and row["total"] > 0 and (kind, row[key]) in registered:
                chosen.append(
                    {
                        key: row[key],
                        "name": row["unit_name"] if kind == "unit" else row["name"],
                        "officer_code": row.get("officer_code"),
                        "cluster": row["cluster"],
                        "reasons": {
                            "rank": row["rank"],
                            "of": row["of"],
                            "total": row["total"],
                            "best_content": _best_content(row["by_content"], names),
                        },
                    }
                )
        return chosen

    return {
        "frozen_at": frozen_at.isoformat(),
        "period": {
            "starts_on": scores.phase.starts_on.isoformat(),
            "ends_on": scores.phase.ends_on.isoformat(),
            "reference": where.reference.isoformat(),
        },
        "contents": [{"id": c.pk, "name": c.name, "weight": float(c.weight)} for c in contents],
        "criteria": _criteria(scores),
        "units": units,
        "people": people,
        "proposals": {
            "units": proposed(units, "unit", "unit_id", PROPOSED_UNITS),
            "people": proposed(people, "person", "person_id", PROPOSED_PEOPLE),
        },
    }


def _period(campaign: Campaign, kind: str, phase: Phase | None) -> Phase:
    """Return the phase an interim review scores, or the whole campaign for the final one."""
    if kind == ReviewKind.INTERIM:
        if phase is None or phase.campaign_id != campaign.pk:
            raise ValidationFailed(_("Choose a phase of this campaign."), phase=[_("Required.")])
        return phase
    last = Phase.objects.filter(campaign=campaign).order_by("-starts_on").first()
    if last is None:
        raise ValidationFailed(_("The campaign has no phase to review."))
    # The whole campaign, with the last phase's criteria and self-assessments.
    return Phase(
        pk=last.pk,
        campaign=campaign,
        name=campaign.name,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
    )


def _make(
    campaign: Campaign,
    kind: str,
    phase: Phase | None,
    version: int,
    acting_user: User,
    today: datetime.date | None,
) -> Review:
    period = _period(campaign, kind, phase)
    version_row, criteria = criteria_in_force(period)
    if version_row is None or not criteria:
        raise ValidationFailed(_("The phase has no criteria yet: define them before reviewing."))
    frozen_at = timezone.now()
    scores = compute_phase(period, criteria, today=today)
    snapshot = snapshot_of(scores, campaign, frozen_at=frozen_at)
    snapshot["criteria_version"] = version_row.number
    try:
        with transaction.atomic():
            return Review.objects.create(
                campaign=campaign,
                kind=kind,
                phase=phase if kind == ReviewKind.INTERIM else None,
                version=version,
                frozen_at=frozen_at,
                frozen_by=acting_user,
                snapshot=snapshot,
            )
    except IntegrityError:
        raise Conflict(_("This review was frozen meanwhile: reload the page.")) from None


def _current(campaign: Campaign, kind: str, phase: Phase | None) -> Review | None:
    return (
        Review.objects.filter(
            campaign=campaign,
            kind=kind,
            phase=phase if kind == ReviewKind.INTERIM else None,
            superseded_at__isnull=True,
        )
        .order_by("-version")
        .first()
    )


def _require_manager(acting_user: User, campaign: Campaign) -> None:
    if not may_manage(acting_user, campaign):
        raise NotFound(_("Not found."))


@transaction.atomic
def freeze(
    *,
    acting_user: User,
    campaign: Campaign,
    kind: str,
    phase: Phase | None = None,
    today: datetime.date | None = None,
) -> Review:
    """Freeze the interim review of `phase` (or the final review) from the data of now."""
    _require_manager(acting_user, campaign)
    if kind not in ReviewKind.values:
        raise ValidationFailed(_("A review is interim or final."), kind=[_("Not a choice.")])
    if campaign.status == CampaignStatus.DRAFT:
        raise ValidationFailed(_("A campaign in draft has nothing to review yet."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if _current(campaign, kind, phase) is not None:
        raise Conflict(
            _("This review is already frozen. Only the secretariat can reopen it, with a reason.")
        )
    review = _make(campaign, kind, phase, 1, acting_user, today)
    record_event(
        "emulation.review_frozen",
        actor=acting_user,
        target=review,
        data={"kind": kind, "phase": review.phase_id, "version": review.version},
    )
    return review


@transaction.atomic
def reopen(
    *, acting_user: User, review: Review, reason: str, today: datetime.date | None = None
) -> Review:
    """Supersede `review` and freeze its next version from the data of now; keep the old."""
    campaign = review.campaign
    _require_manager(acting_user, campaign)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the review is reopened."), reason=[_("A reason is required.")]
        )
    old = Review.objects.select_for_update().get(pk=review.pk)
    if old.superseded_at is not None:
        raise Conflict(_("This version was already reopened: open the newest version."))
    old.superseded_at = timezone.now()
    old.reopen_reason = reason
    old.reopened_by = acting_user
    old.save(update_fields=["superseded_at", "reopen_reason", "reopened_by"])
    new = _make(campaign, old.kind, old.phase, old.version + 1, acting_user, today)
    record_event(
        "emulation.review_reopened",
        actor=acting_user,
        target=new,
        data={"reason": reason, "previous": old.pk, "version": new.version},
    )
    return new
