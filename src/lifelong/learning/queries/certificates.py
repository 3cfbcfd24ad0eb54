"""Reads of certificates, every one scoped to the acting user; the PDF; public verification.

An officer always sees their own certificates; SEE_LEARNING roles (unit head, training
office, secretariat) see those of officers in their unit subtrees. Missing and forbidden
answer the same `NotFound`, and a refused attempt is audited (org.queries).

The public verification (`verify`) needs no login and tells only what verifies a
certificate: the holder's name, the title, the dates and the status.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from lifelong.core.exceptions import DomainError
from lifelong.core.lookups import get_visible, refuse
from lifelong.core.text import search_terms
from lifelong.learning.choices import CertificateKind
from lifelong.learning.models import Certificate
from lifelong.learning.rules import certificates as rules
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Person, Unit
from lifelong.org.queries import today

__all__ = [
    "Verification",
    "access_certificate",
    "certificate_by_number",
    "certificate_pdf",
    "certificate_status",
    "certificates_visible_to",
    "list_certificates",
    "list_my_certificates",
    "may_manage",
    "person_of",
    "verification_url",
    "verify",
]


def person_of(user: AnyUser) -> Person | None:
    """Return the officer record of the user's account, if any."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).select_related("unit").first()


#
# Scoped reads
#


def certificates_visible_to(user: AnyUser) -> QuerySet[Certificate]:
    """Return the certificates the user may see: their own, and those of people in scope."""
    condition = access.scope_filter(
        access.scope_of(user, Capability.SEE_LEARNING), "person__unit__path"
    )
    if user.is_authenticated:
        condition |= Q(person__user_id=user.pk)
    return Certificate.objects.filter(condition).select_related("person", "person__unit", "course")


def list_my_certificates(user: AnyUser) -> QuerySet[Certificate]:
    """Return the user's own certificates, newest first (none without an officer record)."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(person__user_id=user.pk)
        .select_related("person", "course")
        .order_by("-issued_on", "-pk")
    )


def list_certificates(
    user: AnyUser,
    *,
    unit: Unit | None = None,
    query: str = "",
    expiring_within: int | None = None,
    on: datetime.date | None = None,
) -> QuerySet[Certificate]:
    """Return the certificates of people in the user's SEE_LEARNING scope (not their own).

    `unit` keeps its subtree; `query` matches the holder's name or officer code without
    diacritics, or the number; `expiring_within` keeps unrevoked certificates that expire
    from `on` (default today) to that many days later, soonest first.
    """
    roots = access.scope_of(user, Capability.SEE_LEARNING)
    certificates = Certificate.objects.filter(
        access.scope_filter(roots, "person__unit__path")
    ).select_related("person", "person__unit", "course")
    if unit is not None:
        low, high = Unit.subtree_range(unit.path)
        certificates = certificates.filter(person__unit__path__gte=low, person__unit__path__lt=high)
    for term in search_terms(query)[:8]:
        certificates = certificates.filter(
            Q(person__search_text__contains=term) | Q(number__icontains=term)
        )
    if expiring_within is not None:
        start = on or today()
        certificates = certificates.filter(
            revoked_at__isnull=True,
            expires_on__gte=start,
            expires_on__lte=start + datetime.timedelta(days=expiring_within),
        ).order_by("expires_on", "person__sort_key", "pk")
    else:
        certificates = certificates.order_by("person__sort_key", "-issued_on", "pk")
    return certificates


def access_certificate(user: AnyUser, pk: object) -> Certificate:
    """Return certificate `pk` if the user may see it; otherwise raise NotFound (audited)."""
    return get_visible(user, certificates_visible_to(user), "learning.certificate", pk)


def certificate_by_number(user: AnyUser, number: str) -> Certificate:
    """Return the certificate numbered `number` if the user may see it; else NotFound."""
    normalised = rules.normalise_number(number)
    certificate = (
        certificates_visible_to(user).filter(number=normalised).first() if normalised else None
    )
    if certificate is None:
        raise refuse(user, "learning.certificate", number[:64])
    return certificate


def may_manage(user: AnyUser, certificate: Certificate) -> bool:
    """Return whether the user may revoke the certificate or record for its holder."""
    return access.in_scope(user, Capability.MANAGE_TRAINING, certificate.person.unit)


def certificate_status(certificate: Certificate, on: datetime.date | None = None) -> rules.Status:
    """Return the certificate's status (valid, expired, revoked) on `on` (default today)."""
    return rules.status(
        expires_on=certificate.expires_on,
        revoked=certificate.revoked_at is not None,
        today=on or today(),
    )


#
# Public verification
#


@dataclass(frozen=True)
class Verification:
    """What the public page shows of a certificate: nothing more than verifies it."""

    number: str
    holder: str
    title: str
    issued_on: datetime.date
    expires_on: datetime.date | None
    status: rules.Status


def verify(number: str, *, on: datetime.date | None = None) -> Verification | None:
    """Return what verifies the Lifelong certificate numbered `number`, or None if unknown.

    External certificates have no Lifelong number and are never found here. A malformed
    number is unknown too, without asking the database.
    """
    normalised = rules.normalise_number(number)
    if normalised is None:
        return None
    certificate = (
        Certificate.objects.filter(number=normalised, kind=CertificateKind.ISSUED)
        .select_related("person")
        .first()
    )
    if certificate is None:
        return None
    return Verification(
        number=normalised,
        holder=certificate.person.full_name,
        title=certificate.title,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        status=certificate_status(certificate, on),
    )


def verification_url(number: str) -> str:
    """Return the absolute address of the public page that verifies `number` (its QR code)."""
    return f"{settings.SITE_URL}{reverse('learning:verify_number', args=[number])}"


#
# PDF
#

# Fonts with every Vietnamese glyph, in order of preference: Liberation Serif (Times New
# Roman metrics, Debian's fonts-liberation2, installed by scripts/provision-system.sh), then
# DejaVu (fonts-dejavu-core, on every Debian). fonts-liberation 1.x lacks ơ ư ạ ậ …
# (toolchain.md §5), so only the liberation2 folder is tried.
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)


def _font_files() -> tuple[str, str]:
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            return regular, bold
    raise DomainError(
        _(
            "No font with Vietnamese letters is installed on the server "
            "(install fonts-liberation2 or fonts-dejavu-core)."
        )
    )


def _hours(value: Decimal) -> str:
    return formats.number_format(value.normalize(), use_l10n=True)


def _date(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def certificate_pdf(certificate: Certificate) -> bytes:
    """Return the PDF of a Lifelong certificate, in Vietnamese, with its verification QR code.

    The holder's full name, the course title and hours, the dates and the number; a QR code
    of the public verification address. A revoked certificate says so on the page.
    """
    # Imported here: only this download needs them, not every page that imports queries.
    import segno
    from fpdf import FPDF
    from fpdf.enums import Align, XPos, YPos

    regular, bold = _font_files()
    number = certificate.number or ""
    course = certificate.course
    with translation.override("vi"):
        pdf = FPDF(orientation="landscape", format="A4", unit="mm")
        pdf.set_title(_("Certificate {number}").format(number=number))
        pdf.set_author(certificate.issuer)
        pdf.set_creator("Lifelong")
        pdf.add_font("body", "", regular)
        pdf.add_font("body", "B", bold)
        pdf.set_auto_page_break(auto=False)
        pdf.add_page()
        pdf.set_draw_color(30, 70, 130)
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, 277, 190)
        pdf.set_line_width(0.3)
        pdf.rect(13, 13, 271, 184)

        def line(text: str, size: float, style: str = "", height: float = 10) -> None:
            pdf.set_font("body", style, size)
            pdf.set_x(20)
            pdf.multi_cell(257, height, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

        pdf.set_y(22)
        line(certificate.issuer.upper(), 13, "B", 7)
        pdf.ln(8)
        line(_("CERTIFICATE"), 34, "B", 16)
        pdf.ln(4)
        line(_("This certifies that"), 15)
        line(certificate.person.full_name, 26, "B", 14)
        line(_("has completed the course"), 15)
        line(certificate.title, 19, "B", 10)
        if course is not None:
            line(
                _("Duration: {hours} clock hours ({periods} periods)").format(
                    hours=_hours(course.hours), periods=_hours(course.periods)
                ),
                13,
            )
        pdf.ln(4)
        expiry = (
            _("valid until {date}").format(date=_date(certificate.expires_on))
            if certificate.expires_on
            else _("no expiry date")
        )
        line(
            _("Issued on {date}, {expiry}").format(
                date=_date(certificate.issued_on), expiry=expiry
            ),
            13,
        )
        line(_("Number: {number}").format(number=number), 13, "B")
        if certificate.revoked_at is not None:
            pdf.set_text_color(170, 20, 20)
            line(_("REVOKED on {date}").format(date=_date(certificate.revoked_at.date())), 16, "B")
            pdf.set_text_color(0, 0, 0)

        url = verification_url(number)
        qr = io.BytesIO()
        segno.make(url, error="m").save(qr, kind="png", scale=6, border=2)
        qr.seek(0)
        pdf.image(qr, x=237, y=150, w=38, h=38)
        pdf.set_font("body", "", 9)
        pdf.set_xy(20, 182)
        pdf.cell(210, 6, _("Verify this certificate: {url}").format(url=url))
        return bytes(pdf.output())
