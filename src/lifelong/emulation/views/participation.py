"""Pages of participation: registrations and their approval, self-assessments and their review.

Thin: each view parses the request, calls a query or one service of `services.participation`,
and renders. Who may act is decided by `queries.scope` (through the services); rows are those
of the units the user sees (SEE_EMULATION), the user's own, and those awaiting the user's
decision. Lists answer `?format=xlsx`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.audit import record_event
from lifelong.core.exceptions import DomainError
from lifelong.core.exports import xlsx_response
from lifelong.core.files import open_file
from lifelong.core.lookups import get_visible, refuse
from lifelong.core.pages import acting_user, form_page, run_action
from lifelong.emulation.choices import AssessmentStatus, RegistrationStatus
from lifelong.emulation.forms.participation import AssessmentForm, RegistrationForm, ReviewForm
from lifelong.emulation.models import Assessment, Campaign, ClusterUnit, Phase, Registration
from lifelong.emulation.queries.participation import participation_roots, visible_registrations
from lifelong.emulation.queries.scope import (
    get_campaign,
    may_manage,
    may_review_person,
    may_review_unit,
    may_see_unit,
    may_take_part,
    own_person,
)
from lifelong.emulation.services import participation as services
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Unit

#
# Registrations
#


def _may_decide(user: AnyUser, row: Registration) -> bool:
    if row.status != RegistrationStatus.SUBMITTED:
        return False
    if row.unit is not None:
        return may_review_unit(user, row.unit)
    return row.person is not None and may_review_person(user, row.person)


def _competing_units_of(user: AnyUser, campaign: Campaign) -> list[Unit]:
    members = ClusterUnit.objects.filter(campaign=campaign).select_related("unit")
    return [m.unit for m in members.order_by("unit__path") if may_take_part(user, m.unit)]


@login_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's registrations the user sees; approve or return those awaiting them."""
    campaign = get_campaign(request.user, pk)
    rows = visible_registrations(request.user, campaign)
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    status = request.GET.get("status", "")
    if status in RegistrationStatus.values:
        rows = rows.filter(status=status)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"dang-ky-thi-dua-{campaign.pk}",
            _("Registrations"),
            [_("Year"), _("Unit or officer"), _("Status"), _("Commitments")],
            (
                [
                    r.year,
                    r.unit.name
                    if r.unit
                    else f"{r.person.full_name} ({r.person.officer_code})"
                    if r.person
                    else "",
                    r.get_status_display(),
                    r.commitments,
                ]
                for r in rows
            ),
        )
    listed = list(rows[:500])
    context = {
        "campaign": campaign,
        "rows": [(r, _may_decide(request.user, r)) for r in listed],
        "year": year,
        "status": status,
        "statuses": RegistrationStatus.choices,
        "my_units": _competing_units_of(request.user, campaign),
        "is_officer": own_person(request.user) is not None,
        "may_manage": may_manage(request.user, campaign),
        "years": list(range(campaign.starts_on.year, campaign.ends_on.year + 1)),
    }
    return render(request, "emulation/participation/registrations.html", context)


def _registration_page(request: HttpRequest, campaign: Campaign, unit: Unit | None) -> HttpResponse:
    form = RegistrationForm(request.POST or None)

    def save() -> HttpResponse:
        data = form.cleaned_data
        services.register(
            acting_user=acting_user(request),
            campaign=campaign,
            year=data["year"],
            commitments=data["commitments"],
            targets=data["targets"],
            unit=unit,
            submit="submit" in request.POST,
        )
        messages.success(
            request,
            _("The registration is submitted for approval.")
            if "submit" in request.POST
            else _("The registration is saved as a draft."),
        )
        return redirect("emulation:registrations", pk=campaign.pk)

    context = {"campaign": campaign, "unit": unit}
    return form_page(request, form, "emulation/participation/register.html", context, save)


@login_required
def register_unit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """A unit's registration for a campaign year (its head)."""
    campaign = get_campaign(request.user, pk)
    units = Unit.objects.filter(
        access.scope_filter(access.scope_of(request.user, Capability.TAKE_PART_EMULATION))
    )
    unit = get_visible(request.user, units, "unit", unit_pk)
    return _registration_page(request, campaign, unit)


@login_required
def register_me(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in officer's own registration."""
    campaign = get_campaign(request.user, pk)
    if own_person(request.user) is None:
        raise refuse(request.user, "registration", "me")
    return _registration_page(request, campaign, None)


@login_required
@require_POST
def registration_decide(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    """Approve or return a submitted registration (the level above)."""
    campaign = get_campaign(request.user, pk)
    row = get_visible(
        request.user,
        visible_registrations(request.user, campaign),
        "registration",
        registration_pk,
    )
    if request.POST.get("decision") == "approve":
        run_action(
            request,
            lambda: services.approve(acting_user=acting_user(request), registration=row),
            _("The registration is approved."),
        )
    else:
        run_action(
            request,
            lambda: services.return_registration(
                acting_user=acting_user(request),
                registration=row,
                reason=request.POST.get("reason", ""),
            ),
            _("The registration is returned with the reason."),
        )
    return redirect("emulation:registrations", pk=campaign.pk)


@login_required
@require_POST
def registration_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the units and officers that did not register for a year (the secretariat)."""
    campaign = get_campaign(request.user, pk)
    year = request.POST.get("year", "")
    counted: list[int] = []
    run_action(
        request,
        lambda: counted.append(
            services.close_registration(
                acting_user=acting_user(request),
                campaign=campaign,
                year=int(year) if year.isdigit() else 0,
            )
        ),
        _("Registration is closed for the year; those who did not register are recorded."),
    )
    return redirect("emulation:registrations", pk=campaign.pk)


#
# Self-assessment
#


def _phase(request: HttpRequest, campaign: Campaign, phase_pk: int) -> Phase:
    return get_visible(request.user, Phase.objects.filter(campaign=campaign), "phase", phase_pk)


def _unit_for_assessment(request: HttpRequest, unit_pk: int) -> Unit:
    roots = participation_roots(request.user)
    return get_visible(
        request.user, Unit.objects.filter(access.scope_filter(roots)), "unit", unit_pk
    )


@login_required
def assessment(request: HttpRequest, pk: int, phase_pk: int, unit_pk: int) -> HttpResponse:
    """A unit's self-assessment on the phase's evidence criteria, and its review."""
    campaign = get_campaign(request.user, pk)
    phase = _phase(request, campaign, phase_pk)
    unit = _unit_for_assessment(request, unit_pk)
    criteria = services.evidence_criteria(phase)
    existing = {
        a.criterion_code: a
        for a in Assessment.objects.filter(phase=phase, unit=unit).prefetch_related("files")
    }
    takes_part = may_take_part(request.user, unit)
    reviews = may_review_unit(request.user, unit)
    status = 200
    posted = request.POST.get("criterion", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {}
    for criterion in criteria:
        found = existing.get(criterion.code)
        initial = (
            {"self_points": found.self_points, "explanation": found.explanation, "link": found.link}
            if found
            else {}
        )
        if posted == criterion.code and request.POST.get("action") != "review":
            form = AssessmentForm(request.POST, request.FILES, prefix=criterion.code)
            if form.is_valid() and takes_part:
                try:
                    services.save_assessment(
                        acting_user=acting_user(request),
                        phase=phase,
                        unit=unit,
                        criterion_code=criterion.code,
                        self_points=form.cleaned_data["self_points"],
                        explanation=form.cleaned_data["explanation"],
                        link=form.cleaned_data["link"],
                        files=form.cleaned_data["evidence"],
                        submit="submit" in request.POST,
                    )
                    messages.success(request, _("The self-assessment is saved."))
                    return redirect(
                        "emulation:assessment", pk=campaign.pk, phase_pk=phase.pk, unit_pk=unit.pk
                    )
                except DomainError as refusal:
                    form.add_error(None, refusal.message)
            status = 400
        else:
            form = AssessmentForm(initial=initial, prefix=criterion.code)
        review_form = ReviewForm(
            request.POST
            if posted == criterion.code and request.POST.get("action") == "review"
            else None,
            initial={"points": found.self_points} if found else {},
            prefix=f"r-{criterion.code}",
        )
        if (
            posted == criterion.code
            and request.POST.get("action") == "review"
            and found is not None
        ):
            if review_form.is_valid():
                try:
                    services.review_assessment(
                        acting_user=acting_user(request),
                        assessment=found,
                        points=review_form.cleaned_data["points"],
                        reason=review_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("The review is recorded."))
                    return redirect(
                        "emulation:assessment", pk=campaign.pk, phase_pk=phase.pk, unit_pk=unit.pk
                    )
                except DomainError as refusal:
                    review_form.add_error(None, refusal.message)
            status = 400
        forms[criterion.code] = {
            "criterion": criterion,
            "assessment": found,
            "form": form,
            "review_form": review_form,
            "editable": takes_part and (found is None or found.status == AssessmentStatus.DRAFT),
            "reviewable": reviews
            and found is not None
            and found.status == AssessmentStatus.SUBMITTED,
        }
    context = {"campaign": campaign, "phase": phase, "unit": unit, "rows": list(forms.values())}
    return render(request, "emulation/participation/assessment.html", context, status=status)


@login_required
def assessment_file(
    request: HttpRequest, pk: int, assessment_pk: int, file_pk: int
) -> FileResponse:
    """Download a file of evidence: whoever may see, assess or review the unit; audited."""
    campaign = get_campaign(request.user, pk)
    found = get_visible(
        request.user,
        Assessment.objects.filter(phase__campaign=campaign).select_related("unit"),
        "assessment",
        assessment_pk,
    )
    unit = found.unit
    if not (
        may_see_unit(request.user, unit)
        or may_take_part(request.user, unit)
        or may_review_unit(request.user, unit)
    ):
        raise refuse(request.user, "assessment", assessment_pk)
    stored = get_visible(request.user, found.files.all(), "file", file_pk)
    record_event(
        "emulation.evidence_read", actor=request.user, target=found, data={"file": stored.pk}
    )
    return FileResponse(
        open_file(stored),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )


@login_required
def assessment_queue(request: HttpRequest, pk: int) -> HttpResponse:
    """Submitted self-assessments of the units below the user, awaiting review."""
    campaign = get_campaign(request.user, pk)
    rows = [
        a
        for a in Assessment.objects.filter(
            phase__campaign=campaign, status=AssessmentStatus.SUBMITTED
        )
        .select_related("unit", "unit__parent", "phase")
        .order_by("phase__starts_on", "unit__path", "criterion_code")
        if may_review_unit(request.user, a.unit)
    ]
    return render(
        request,
        "emulation/participation/queue.html",
        {"campaign": campaign, "rows": rows},
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/registrations/", registrations, name="registrations"),
    path("<int:pk>/registrations/units/<int:unit_pk>/", register_unit, name="register_unit"),
    path("<int:pk>/registrations/me/", register_me, name="register_me"),
    path("<int:pk>/registrations/close/", registration_close, name="registration_close"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/decide/",
        registration_decide,
        name="registration_decide",
    ),
    path(
        "<int:pk>/phases/<int:phase_pk>/units/<int:unit_pk>/assessment/",
        assessment,
        name="assessment",
    ),
    path(
        "<int:pk>/assessments/<int:assessment_pk>/files/<int:file_pk>/",
        assessment_file,
        name="assessment_file",
    ),
    path("<int:pk>/assessments/queue/", assessment_queue, name="assessment_queue"),
]
