"""Pages of certificates: mine, in scope, expiring, one certificate, its PDF, the public check.

Thin: each view parses its input, calls one query or service, and renders. The public
verification pages need no login and show only what verifies a certificate.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.audit import Action, record_event
from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.files import open_file
from lifelong.core.pages import (
    page_of,
    put_refusal_on_form,
    render_page,
)
from lifelong.learning.forms.certificates import (
    ExternalCertificateForm,
    RevokeForm,
    VerifyForm,
)
from lifelong.learning.models import Certificate
from lifelong.learning.queries import certificates as queries
from lifelong.learning.rules.certificates import EXPIRING_DAYS
from lifelong.learning.services import certificates as services
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.queries import access_person, access_unit, today


def _xlsx(filename: str, title: str, certificates: Iterable[Certificate]) -> HttpResponse:
    headers = [
        _("Number"),
        _("Officer"),
        _("Officer code"),
        _("Unit"),
        _("Kind"),
        _("Field"),
        _("Certificate"),
        _("Issued by"),
        _("Level"),
        _("Issued on"),
        _("Expires on"),
        _("Status"),
    ]
    on = today()
    rows = (
        [
            c.number or "",
            c.person.full_name,
            c.person.officer_code,
            c.person.unit.name,
            c.get_kind_display(),
            c.get_field_display(),
            c.title,
            c.issuer,
            c.level,
            c.issued_on,
            c.expires_on,
            _status_label(queries.certificate_status(c, on)),
        ]
        for c in certificates
    )
    return xlsx_response(filename, title, headers, rows)


def _status_label(status: str) -> str:
    labels = {"valid": _("Valid"), "expired": _("Expired"), "revoked": _("Revoked")}
    return labels[status]


def _decorate(certificates: Iterable[Certificate]) -> list[Certificate]:
    on = today()
    result = list(certificates)
    for c in result:
        status = queries.certificate_status(c, on)
        c.status = status  # type: ignore[attr-defined]  # annotation for display
        c.status_label = _status_label(status)  # type: ignore[attr-defined]  # for display
    return result


#
# An officer's own certificates
#


@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    """List my certificates, with those expiring within 90 days first; XLSX on request."""
    mine = queries.list_my_certificates(request.user)
    if request.GET.get("format") == "xlsx":
        return _xlsx("my-certificates", _("My certificates"), mine)
    certificates = _decorate(mine)
    on = today()
    expiring = [
        c
        for c in certificates
        if c.status == "valid"  # type: ignore[attr-defined]  # set by _decorate
        and c.expires_on is not None
        and (c.expires_on - on).days <= EXPIRING_DAYS
    ]
    return render(
        request,
        "learning/certificates/mine.html",
        {
            "certificates": certificates,
            "expiring": expiring,
            "expiring_days": EXPIRING_DAYS,
            "has_person": queries.person_of(request.user) is not None,
        },
    )


@login_required
def certificate_add(request: HttpRequest) -> HttpResponse:
    """Record an external certificate: one's own, or (training office) an officer's."""
    may_choose = access.has_capability(request.user, Capability.MANAGE_TRAINING)
    form = ExternalCertificateForm(
        request.POST or None, request.FILES or None, may_choose_officer=may_choose
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = (data.get("officer_code") or "").strip()
        person = access_person(request.user, code) if code else queries.person_of(request.user)
        if person is None:
            form.add_error(None, _("Your account is not linked to an officer record."))
        else:
            try:
                certificate = services.record_external(
                    acting_user=request.user,  # type: ignore[arg-type]  # login_required
                    person=person,
                    field=data["field"],
                    title=data["title"],
                    issuer=data["issuer"],
                    level=data.get("level") or "",
                    issued_on=data["issued_on"],
                    expires_on=data.get("expires_on"),
                    evidence=data.get("evidence"),
                )
            except ValidationFailed as exc:
                put_refusal_on_form(form, exc)
            except NotFound:
                form.add_error("officer_code" if may_choose else None, _("Not found."))
            else:
                messages.success(request, _("The certificate was recorded."))
                return redirect("learning:certificate_detail", pk=certificate.pk)
    return render(request, "learning/certificates/add.html", {"form": form})


#
# Certificates in scope (unit head, training office, secretariat)
#


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    """List the certificates of officers in scope, searchable; XLSX on request."""
    access.require(request.user, Capability.SEE_LEARNING)
    query = request.GET.get("q", "")[:200]
    unit = access_unit(request.user, request.GET["unit"]) if request.GET.get("unit") else None
    certificates = queries.list_certificates(request.user, unit=unit, query=query)
    if request.GET.get("format") == "xlsx":
        return _xlsx("certificates", _("Certificates"), certificates)
    page = page_of(request, certificates)
    page.object_list = _decorate(page.object_list)
    context: dict[str, Any] = {"page": page, "q": query, "unit": unit}
    return render_page(request, "learning/certificates/list.html", context, partial="rows")


@login_required
def expiring_certificates(request: HttpRequest) -> HttpResponse:
    """List the certificates in scope that expire within 90 days, soonest first; XLSX."""
    access.require(request.user, Capability.SEE_LEARNING)
    certificates = queries.list_certificates(request.user, expiring_within=EXPIRING_DAYS)
    if request.GET.get("format") == "xlsx":
        return _xlsx("expiring-certificates", _("Expiring certificates"), certificates)
    page = page_of(request, certificates)
    page.object_list = _decorate(page.object_list)
    return render(
        request,
        "learning/certificates/expiring.html",
        {"page": page, "expiring_days": EXPIRING_DAYS},
    )


#
# One certificate
#


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one certificate; the training office in scope may revoke a Lifelong one."""
    certificate = queries.access_certificate(request.user, pk)
    may_revoke = (
        certificate.kind == "issued"
        and certificate.revoked_at is None
        and queries.may_manage(request.user, certificate)
    )
    return render(
        request,
        "learning/certificates/detail.html",
        {
            "certificate": _decorate([certificate])[0],
            "may_revoke": may_revoke,
            "revoke_form": RevokeForm(),
            "verify_url": queries.verification_url(certificate.number)
            if certificate.number
            else "",
        },
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a Lifelong certificate with a reason (training office in scope)."""
    certificate = queries.access_certificate(request.user, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the revocation."))
        return redirect("learning:certificate_detail", pk=certificate.pk)
    services.revoke_certificate(
        acting_user=request.user,  # type: ignore[arg-type]  # login_required
        certificate=certificate,
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("The certificate was revoked."))
    return redirect("learning:certificate_detail", pk=certificate.pk)


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the PDF of a Lifelong certificate (its holder and SEE_LEARNING in scope)."""
    certificate = queries.access_certificate(request.user, pk)
    if not certificate.number:
        raise NotFound(_("Not found."))
    content = queries.certificate_pdf(certificate)
    record_event("certificate.downloaded", actor=request.user, target=certificate)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


@login_required
def certificate_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Download the evidence file of an external certificate (same access as the page)."""
    certificate = queries.access_certificate(request.user, pk)
    if certificate.evidence is None:
        raise NotFound(_("Not found."))
    stored = certificate.evidence
    record_event(Action.FILE_READ, actor=request.user, target=stored, data={"certificate": pk})
    return FileResponse(
        open_file(stored),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )


#
# Public verification (no login)
#


def verify(request: HttpRequest) -> HttpResponse:
    """Ask for a certificate number; a submitted number opens its verification page."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        number = "".join(form.cleaned_data["number"].split()).upper()
        return redirect("learning:verify_number", number=number)
    return render(request, "learning/certificates/verify.html", {"form": form, "asked": False})


def verify_number(request: HttpRequest, number: str) -> HttpResponse:
    """Show whether certificate `number` is valid, expired or revoked; or that it is unknown.

    Only the holder's name, the title, the dates and the status; an unknown number gets the
    same page shape with "not found", and a 200 either way so nothing is learnt from codes.
    """
    verification = queries.verify(number[:60])
    form = VerifyForm(initial={"number": number[:60]})
    response = render(
        request,
        "learning/certificates/verify.html",
        {"form": form, "asked": True, "number": number[:60], "verification": verification},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [
    path("certificates/", certificate_list, name="certificate_list"),
    path("certificates/mine/", my_certificates, name="my_certificates"),
    path("certificates/new/", certificate_add, name="certificate_add"),
    path("certificates/expiring/", expiring_certificates, name="expiring_certificates"),
    path("certificates/<int:pk>/", certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/evidence/", certificate_evidence, name="certificate_evidence"),
    path("certificates/<int:pk>/revoke/", certificate_revoke, name="certificate_revoke"),
    path("verify/", verify, name="verify"),
    path("verify/<str:number>/", verify_number, name="verify_number"),
]
