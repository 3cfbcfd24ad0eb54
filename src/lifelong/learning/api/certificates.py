"""REST endpoints of certificates: mine, in scope, by number, and the public verification.

Thin: each endpoint calls one query of `learning.queries.certificates`, which scopes by the
caller's roles. A certificate outside the caller's scope answers 404 as a missing one does.
"""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page, paginate
from lifelong.learning.choices import CertificateField, CertificateKind
from lifelong.learning.models import Certificate
from lifelong.learning.queries import certificates as queries
from lifelong.learning.rules.certificates import Status
from lifelong.org.queries import access_unit

router = Router(tags=["certificates"])


class CertificateOut(Schema):
    """A certificate as its holder and the roles in scope see it."""

    id: int
    number: str | None = Field(
        description="Lifelong's number, e.g. HQ-2026-000123-7K3P; none for an external one."
    )
    kind: CertificateKind
    field: CertificateField
    title: str
    issuer: str
    level: str = Field(
        description="The CEFR level of a language certificate (A1-C2), or its own level."
    )
    issued_on: datetime.date
    expires_on: datetime.date | None
    status: Status = Field(description="valid, expired or revoked, today.")
    officer_code: str
    holder: str = Field(description="The holder's full name.")
    course_code: str | None

    @staticmethod
    def resolve_status(obj: Certificate) -> str:
        """Compute today's status."""
        return queries.certificate_status(obj)

    @staticmethod
    def resolve_officer_code(obj: Certificate) -> str:
        """Return the holder's officer code."""
        return obj.person.officer_code

    @staticmethod
    def resolve_holder(obj: Certificate) -> str:
        """Return the holder's full name."""
        return obj.person.full_name

    @staticmethod
    def resolve_course_code(obj: Certificate) -> str | None:
        """Return the code of the course that issued it."""
        return obj.course.code if obj.course else None


class CertificateList(Schema):
    """A page of certificates."""

    items: list[CertificateOut]
    count: int = Field(description="How many certificates match, over all pages.")


class CertificateFilter(Page):
    """Filters of the in-scope certificate list."""

    unit_id: int | None = Field(
        None, description="Only officers of this unit's subtree (404 if not visible)."
    )
    q: str = Field(
        "",
        max_length=200,
        description="Words that must all appear in the holder's name or officer code, or in "
        "the number; diacritics and case are ignored.",
    )
    expiring_within_days: int | None = Field(
        None,
        ge=0,
        le=3650,
        description="Only unrevoked certificates expiring from today to this many days on "
        "(90 is what the pages list), soonest first.",
    )


class VerificationOut(Schema):
    """What the public verification tells: nothing more than verifies the certificate."""

    number: str
    found: bool = Field(description="False when no Lifelong certificate has this number.")
    holder: str | None = None
    title: str | None = None
    issued_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    status: Status | None = Field(
        default=None, description="valid, expired or revoked; none if not found."
    )


@router.get(
    "/certificates/mine",
    response=responses(CertificateList, 401, 422),
    summary="List my certificates",
)
def list_my_certificates(request: HttpRequest, page: Query[Page]) -> Listing[Certificate]:
    """List the caller's own certificates (issued and external), newest first."""
    return paginate(queries.list_my_certificates(request.user), page)


@router.get(
    "/certificates",
    response=responses(CertificateList, 401, 404, 422),
    summary="List certificates in scope",
)
def list_certificates(
    request: HttpRequest, filters: Query[CertificateFilter]
) -> Listing[Certificate]:
    """List the certificates of officers in the caller's learning scope.

    The learning scope is the unit head's, training office's or secretariat's; without a
    learning role the list is empty. `expiring_within_days=90` gives the
    certificates to renew soon.
    """
    unit = access_unit(request.user, filters.unit_id) if filters.unit_id is not None else None
    certificates = queries.list_certificates(
        request.user, unit=unit, query=filters.q, expiring_within=filters.expiring_within_days
    )
    return paginate(certificates, filters)


@router.get(
    "/certificates/verify/{number}",
    auth=None,
    response=responses(VerificationOut, 422),
    summary="Verify a certificate (public)",
)
def verify_certificate(request: HttpRequest, number: str) -> VerificationOut:
    """Verify a Lifelong certificate by its number, without authentication.

    Always 200 with the same shape: `found` false for an unknown number, otherwise only the
    holder's name, the title, the dates and the status.
    """
    verification = queries.verify(number[:60])
    if verification is None:
        return VerificationOut(number=number[:60], found=False)
    return VerificationOut(
        number=verification.number,
        found=True,
        holder=verification.holder,
        title=verification.title,
        issued_on=verification.issued_on,
        expires_on=verification.expires_on,
        status=verification.status,
    )


@router.get(
    "/certificates/{number}",
    response=responses(CertificateOut, 401, 404),
    summary="Get a certificate by number",
)
def get_certificate(request: HttpRequest, number: str) -> Certificate:
    """Return one Lifelong certificate by its number; 404 if missing or out of scope."""
    return queries.certificate_by_number(request.user, number[:60])
