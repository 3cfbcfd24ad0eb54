"""Writes of certificates: external ones recorded, Lifelong's own issued and revoked.

Every function takes the acting user by keyword, runs in one transaction and writes one
audit event. Access is checked here too, so the API and the pages cannot differ.
"""

import datetime

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lifelong.core.audit import record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.files import store_file
from lifelong.core.notify import notify
from lifelong.core.validation import full_clean_or_refuse
from lifelong.learning.choices import CefrLevel, CertificateField, CertificateKind
from lifelong.learning.models import Certificate, Enrolment
from lifelong.learning.rules import certificates as rules
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Person
from lifelong.org.queries import today

__all__ = [
    "EVIDENCE_KINDS",
    "EVIDENCE_MAX_BYTES",
    "issue_on_completion",
    "record_external",
    "revoke_certificate",
]

EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg"})
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
REASON_MAX_LENGTH = 2000


#
# External certificates
#


@transaction.atomic
def record_external(
    *,
    acting_user: User,
    person: Person,
    field: str,
    title: str,
    issuer: str,
    level: str = "",
    issued_on: datetime.date,
    expires_on: datetime.date | None = None,
    evidence: File | None = None,
) -> Certificate:
    """Record an external certificate of `person`, with its evidence file if given.

    The officer records their own; the training office those of officers in its scope. A
    language certificate needs its CEFR level (A1-C2); the issue date cannot be in the
    future, and the expiry cannot come before it. Evidence is a PDF, PNG or JPEG of at most
    10 MB, checked by content.
    """
    own = person.user_id is not None and person.user_id == acting_user.pk
    if not own and not access.in_scope(acting_user, Capability.MANAGE_TRAINING, person.unit):
        raise NotFound(_("Not found."))
    if field not in CertificateField.values:
        raise ValidationFailed(_("Choose the field of the certificate."))
    level = level.strip()
    if field == CertificateField.LANGUAGE:
        level = level.upper()
        if level not in CefrLevel.values:
            raise ValidationFailed(
                _("A language certificate needs its CEFR level: A1, A2, B1, B2, C1 or C2."),
                fields={"level": [_("Choose A1, A2, B1, B2, C1 or C2.")]},
            )
    if issued_on > today():
        raise ValidationFailed(
            _("The issue date cannot be in the future."),
            fields={"issued_on": [_("The issue date cannot be in the future.")]},
        )
    stored = None
    if evidence is not None:
        stored = store_file(
            evidence, acting_user=acting_user, allowed=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES
        )
    certificate = Certificate(
        person=person,
        kind=CertificateKind.EXTERNAL,
        field=field,
        title=title.strip(),
        issuer=issuer.strip(),
        level=level,
        issued_on=issued_on,
        expires_on=expires_on,
        evidence=stored,
    )
    full_clean_or_refuse(certificate)
    certificate.save()
    record_event(
        "certificate.recorded",
        actor=acting_user,
        target=certificate,
        after={
            "person": person.officer_code,
            "field": field,
            "title": certificate.title,
            "level": level,
            "issued_on": issued_on,
            "expires_on": expires_on,
            "evidence": stored.pk if stored else None,
        },
    )
    return certificate


#
# Lifelong's own certificates
#


@transaction.atomic
def issue_on_completion(*, acting_user: User | None, enrolment: Enrolment) -> Certificate:
    """Issue the certificate of a completed enrolment; return the one already issued if any.

    Idempotent per enrolment (the enrolment row is locked, and a certificate belongs to one
    enrolment). The issue date is the completion date (Asia/Ho_Chi_Minh); the expiry is
    `course.certificate_months` later when the course sets it. The number is
    `HQ-<year>-<sequence>-<random check>` (rules.certificates), the sequence being the row's
    own id, so it is unique without a counter table. The holder is notified.
    """
    locked = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course_class__course", "course_class__organiser", "person__user")
        .filter(pk=enrolment.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("Not found."))
    existing = Certificate.objects.filter(enrolment=locked).first()
    if existing is not None:
        return existing
    course = locked.course_class.course
    if not course.issues_certificate:
        raise ValidationFailed(_("This course issues no certificate."))
    if locked.completed_at is None:
        raise ValidationFailed(_("A certificate is issued only when the course is completed."))
    issued_on = timezone.localdate(locked.completed_at)
    certificate = Certificate(
        person=locked.person,
        kind=CertificateKind.ISSUED,
        field=CertificateField.PROFESSIONAL,
        title=course.title,
        issuer=locked.course_class.organiser.name,
        issued_on=issued_on,
        expires_on=rules.expiry_date(issued_on, course.certificate_months),
        course=course,
        enrolment=locked,
    )
    full_clean_or_refuse(certificate, exclude=["number"])
    certificate.save()
    certificate.number = rules.format_number(issued_on.year, certificate.pk, rules.new_check())
    certificate.save(update_fields=["number"])
    record_event(
        "certificate.issued",
        actor=acting_user,
        target=certificate,
        after={
            "number": certificate.number,
            "person": locked.person.officer_code,
            "course": course.code,
            "enrolment": locked.pk,
            "issued_on": issued_on,
            "expires_on": certificate.expires_on,
        },
    )
    holder = locked.person.user
    if holder is not None:
        notify(
            user=holder,
            kind="learning.certificate_issued",
            message=_("Your certificate {number} for {title} has been issued.").format(
                number=certificate.number, title=course.title
            ),
            link=reverse("learning:certificate_detail", args=[certificate.pk]),
        )
    return certificate


@transaction.atomic
def revoke_certificate(*, acting_user: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a Lifelong certificate with a reason; the public page then says "revoked".

    Only the training office with the holder in its scope may; the reason is required.
    Revoking twice is refused.
    """
    locked = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("person", "person__unit", "person__user")
        .filter(pk=certificate.pk)
        .first()
    )
    if locked is None or not access.in_scope(
        acting_user, Capability.MANAGE_TRAINING, locked.person.unit
    ):
        raise NotFound(_("Not found."))
    if locked.kind != CertificateKind.ISSUED:
        raise ValidationFailed(_("Only certificates issued by Lifelong can be revoked."))
    if locked.revoked_at is not None:
        raise ValidationFailed(_("This certificate is already revoked."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            _("Give the reason for the revocation."),
            fields={"reason": [_("Give the reason for the revocation.")]},
        )
    locked.revoked_at = timezone.now()
    locked.revoked_reason = reason[:REASON_MAX_LENGTH]
    locked.revoked_by = acting_user
    locked.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    record_event(
        "certificate.revoked",
        actor=acting_user,
        target=locked,
        after={"revoked_at": locked.revoked_at, "reason": locked.revoked_reason},
    )
    if locked.person.user is not None:
        notify(
            user=locked.person.user,
            kind="learning.certificate_revoked",
            message=_("Your certificate {number} has been revoked.").format(number=locked.number),
            link=reverse("learning:certificate_detail", args=[locked.pk]),
        )
    return locked
