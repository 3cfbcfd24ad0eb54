"""Writes of participation: registrations (đăng ký thi đua) and self-assessments on evidence.

Every function takes keyword-only arguments with `acting_user`, runs in one transaction and
records one audit event; a refusal raises ValidationFailed (nothing saved) or NotFound when the
user may not act on that unit or officer (the same answer as a missing one).

- A unit registers for a campaign year (a holder of TAKE_PART_EMULATION over it), an officer
  for themselves; a registration is a draft until submitted; the level above approves it or
  returns it with a reason (`scope.may_review_unit` / `may_review_person`). Only a running or
  launched campaign takes registrations, for a year inside it.
- Closing registration for a year (the secretariat) records every competing unit and every
  officer in scope that did not register as `not_registered`: it matters later for titles.
- A unit assesses itself on each evidence criterion of a phase (0-100, an explanation, a link
  and/or files: PDF, DOCX, XLSX, PNG or JPEG, at most 10 MB each and 5 in all), saves a draft
  and submits. The level above accepts the score or adjusts it with a reason; the audit event
  keeps both scores. A reviewed assessment is final.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.files import store_file
from lifelong.core.text import nfc
from lifelong.emulation.choices import (
    AssessmentStatus,
    CampaignStatus,
    Metric,
    RegistrationStatus,
)
from lifelong.emulation.models import Assessment, Campaign, Criterion, Phase, Registration
from lifelong.emulation.queries.inputs import field_of
from lifelong.emulation.queries.scope import (
    may_manage,
    may_review_person,
    may_review_unit,
    may_take_part,
    own_person,
)
from lifelong.emulation.services.scoring import criteria_in_force
from lifelong.org.models import Person, Unit

__all__ = [
    "EVIDENCE_KINDS",
    "EVIDENCE_MAX_BYTES",
    "EVIDENCE_MAX_FILES",
    "approve",
    "close_registration",
    "evidence_criteria",
    "register",
    "return_registration",
    "review_assessment",
    "save_assessment",
]

EVIDENCE_KINDS = frozenset({"pdf", "docx", "xlsx", "png", "jpeg"})
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 5
OPEN = (CampaignStatus.LAUNCHED, CampaignStatus.RUNNING, CampaignStatus.INTERIM_REVIEW)


def _not_found() -> NotFound:
    return NotFound(_("Not found."))


#
# Registration
#


def _check_year(campaign: Campaign, year: int) -> None:
    if campaign.status not in OPEN:
        raise ValidationFailed(_("This campaign does not take registrations now."))
    if not campaign.starts_on.year <= year <= campaign.ends_on.year:
        raise ValidationFailed(
            _("Register for a year of the campaign ({first}-{last}).").format(
                first=campaign.starts_on.year, last=campaign.ends_on.year
            ),
            year=[_("Outside the campaign.")],
        )


def _targets(campaign: Campaign, year: int, targets: Mapping[str, Decimal]) -> dict[str, float]:
    """Keep the targets of criteria in force in the phase covering `year`; refuse others."""
    phase = Phase.objects.filter(
        campaign=campaign, starts_on__year__lte=year, ends_on__year__gte=year
    ).first()
    codes = {c.code for c in criteria_in_force(phase)[1]} if phase is not None else set()
    unknown = sorted(set(targets) - codes)
    if unknown:
        raise ValidationFailed(
            _("No criterion of that year has the code {codes}.").format(codes=", ".join(unknown)),
            targets=[_("Unknown criterion.")],
        )
    return {code: float(value) for code, value in targets.items()}


@transaction.atomic
def register(
    *,
    acting_user: User,
    campaign: Campaign,
    year: int,
    commitments: str,
    targets: Mapping[str, Decimal] | None = None,
    unit: Unit | None = None,
    submit: bool = False,
) -> Registration:
    """Save (and, with `submit`, send for approval) the unit's or the user's own registration."""
    person: Person | None = None
    if unit is not None:
        if not may_take_part(acting_user, unit):
            raise _not_found()
    else:
        person = own_person(acting_user)
        if person is None:
            raise ValidationFailed(_("Only an officer registers for themselves."))
    _check_year(campaign, year)
    clean_targets = _targets(campaign, year, targets or {})
    commitments = nfc(commitments).strip()
    if submit and not commitments:
        raise ValidationFailed(
            _("Write the commitments before submitting."), commitments=[_("Required.")]
        )
    row = (
        Registration.objects.select_for_update()
        .filter(campaign=campaign, year=year, unit=unit, person=person)
        .first()
    )
    if row is not None and row.status not in (
        RegistrationStatus.DRAFT,
        RegistrationStatus.RETURNED,
    ):
        raise ValidationFailed(
            _("This registration is {status}: it can no longer be changed.").format(
                status=row.get_status_display().lower()
            )
        )
    if row is None:
        row = Registration(campaign=campaign, year=year, unit=unit, person=person)
        row.created_by = acting_user
    row.commitments = commitments
    row.targets = clean_targets
    if submit:
        row.status = RegistrationStatus.SUBMITTED
        row.submitted_at = timezone.now()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationFailed(_("This year is already registered: reload the page.")) from None
    record_event(
        "emulation.registration_submitted" if submit else "emulation.registration_saved",
        actor=acting_user,
        target=row,
        data={"year": year, "unit": unit.code if unit else None},
    )
    return row


def _may_decide(acting_user: User, row: Registration) -> bool:
    if row.unit is not None:
        return may_review_unit(acting_user, row.unit)
    return row.person is not None and may_review_person(acting_user, row.person)


def _decide(
    acting_user: User, registration: Registration, status: str, reason: str
) -> Registration:
    row = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("unit", "person__unit")
        .get(pk=registration.pk)
    )
    if not _may_decide(acting_user, row):
        raise _not_found()
    if row.status != RegistrationStatus.SUBMITTED:
        raise ValidationFailed(_("Only a submitted registration is approved or returned."))
    row.status = status
    row.return_reason = reason
    row.decided_by = acting_user
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
    record_event(
        f"emulation.registration_{status}",
        actor=acting_user,
        target=row,
        data={"reason": reason} if reason else None,
    )
    return row


@transaction.atomic
def approve(*, acting_user: User, registration: Registration) -> Registration:
    """Approve a submitted registration (the level above)."""
    return _decide(acting_user, registration, RegistrationStatus.APPROVED, "")


@transaction.atomic
def return_registration(
    *, acting_user: User, registration: Registration, reason: str
) -> Registration:
    """Return a submitted registration to be changed, with the reason."""
    reason = nfc(reason).strip()
    if not reason:
        raise ValidationFailed(_("Say what to change."), reason=[_("A reason is required.")])
    return _decide(acting_user, registration, RegistrationStatus.RETURNED, reason)


@transaction.atomic
def close_registration(*, acting_user: User, campaign: Campaign, year: int) -> int:
    """Record every competing unit and officer in scope without a registration as not registered."""
    if not may_manage(acting_user, campaign):
        raise _not_found()
    if not campaign.starts_on.year <= year <= campaign.ends_on.year:
        raise ValidationFailed(
            _("Choose a year of the campaign."), year=[_("Outside the campaign.")]
        )
    phase = Phase.objects.filter(
        campaign=campaign, starts_on__year__lte=year, ends_on__year__gte=year
    ).first()
    if phase is None:
        raise ValidationFailed(_("No phase covers that year."))
    where = field_of(campaign, phase)
    done = Registration.objects.filter(campaign=campaign, year=year)
    units = set(done.filter(unit__isnull=False).values_list("unit_id", flat=True))
    people = set(done.filter(person__isnull=False).values_list("person_id", flat=True))
    now = timezone.now()
    rows = [
        Registration(
            campaign=campaign,
            year=year,
            unit_id=unit_id,
            status=RegistrationStatus.NOT_REGISTERED,
            decided_by=acting_user,
            decided_at=now,
        )
        for unit_id in where.competitors
        if unit_id not in units
    ] + [
        Registration(
            campaign=campaign,
            year=year,
            person_id=person_id,
            status=RegistrationStatus.NOT_REGISTERED,
            decided_by=acting_user,
            decided_at=now,
        )
        for person_id in where.entrants
        if person_id not in people
    ]
    Registration.objects.bulk_create(rows, batch_size=1000)
    record_event(
        "emulation.registration_closed",
        actor=acting_user,
        target=campaign,
        data={"year": year, "not_registered": len(rows)},
    )
    return len(rows)


#
# Self-assessment
#


def evidence_criteria(phase: Phase) -> list[Criterion]:
    """Return the phase's criteria in force that are assessed from evidence."""
    version, _defs = criteria_in_force(phase)
    if version is None:
        return []
    return list(
        Criterion.objects.filter(version=version, metric=Metric.EVIDENCE).order_by("position")
    )


def _points(value: Decimal, field: str) -> Decimal:
    if not Decimal(0) <= value <= Decimal(100):
        raise ValidationFailed(_("Points lie between 0 and 100."), **{field: [_("Out of range.")]})
    return value


@transaction.atomic
def save_assessment(
    *,
    acting_user: User,
    phase: Phase,
    unit: Unit,
    criterion_code: str,
    self_points: Decimal,
    explanation: str,
    link: str = "",
    files: Sequence[UploadedFile] = (),
    submit: bool = False,
) -> Assessment:
    """Save the unit's self-assessment on an evidence criterion, with files; maybe submit it."""
    if not may_take_part(acting_user, unit):
        raise _not_found()
    if phase.campaign.status not in OPEN:
        raise ValidationFailed(_("This campaign does not take self-assessments now."))
    if criterion_code not in {c.code for c in evidence_criteria(phase)}:
        raise ValidationFailed(_("This phase has no evidence criterion with that code."))
    _points(self_points, "self_points")
    row = (
        Assessment.objects.select_for_update()
        .filter(phase=phase, criterion_code=criterion_code, unit=unit)
        .first()
    )
    if row is not None and row.status != AssessmentStatus.DRAFT:
        raise ValidationFailed(
            _("This self-assessment was submitted: it can no longer be changed.")
        )
    already = row.files.count() if row is not None else 0
    if already + len(files) > EVIDENCE_MAX_FILES:
        raise ValidationFailed(
            _("At most {n} files of evidence.").format(n=EVIDENCE_MAX_FILES),
            files=[_("Too many files.")],
        )
    explanation = nfc(explanation).strip()
    if submit and not (explanation and (link or already or files)):
        raise ValidationFailed(
            _("Explain the score and give the evidence (a link or a file) before submitting."),
            explanation=[_("Required.")],
        )
    stored = [
        store_file(f, acting_user=acting_user, allowed=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
        for f in files
    ]
    if row is None:
        row = Assessment(phase=phase, criterion_code=criterion_code, unit=unit)
    row.self_points = self_points
    row.explanation = explanation
    row.link = link.strip()
    row.submitted_by = acting_user
    if submit:
        row.status = AssessmentStatus.SUBMITTED
    row.save()
    row.files.add(*stored)
    record_event(
        "emulation.assessment_submitted" if submit else "emulation.assessment_saved",
        actor=acting_user,
        target=row,
        data={"criterion": criterion_code, "points": float(self_points), "files": len(stored)},
    )
    return row


@transaction.atomic
def review_assessment(
    *, acting_user: User, assessment: Assessment, points: Decimal, reason: str = ""
) -> Assessment:
    """Accept the unit's score (same points) or adjust it with a reason (the level above)."""
    row = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=assessment.pk)
    )
    if not may_review_unit(acting_user, row.unit):
        raise _not_found()
    if row.status != AssessmentStatus.SUBMITTED:
        raise ValidationFailed(_("Only a submitted self-assessment is reviewed."))
    _points(points, "points")
    reason = nfc(reason).strip()
    adjusted = points != row.self_points
    if adjusted and not reason:
        raise ValidationFailed(
            _("Say why the score is adjusted."), reason=[_("A reason is required.")]
        )
    row.reviewed_points = points
    row.review_reason = reason
    row.status = AssessmentStatus.ADJUSTED if adjusted else AssessmentStatus.ACCEPTED
    row.reviewed_by = acting_user
    row.reviewed_at = timezone.now()
    row.save()
    record_event(
        "emulation.assessment_reviewed",
        actor=acting_user,
        target=row,
        before={"points": float(row.self_points)},
        after={"points": float(points), "status": row.status},
        data={"reason": reason} if reason else None,
    )
    return row
