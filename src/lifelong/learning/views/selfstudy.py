"""Pages of self-study: my declarations, the form, a declaration, the approvals queue.

Thin: each view parses the request, calls one query or service, and renders. The queue's
approve and return buttons are htmx posts answered with the row's partial.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.files import open_file
from lifelong.core.pages import (
    PAGE_SIZE,
    form_page,
    is_htmx,
    page_of,
    put_refusal_on_form,
    render_page,
    run_action,
)
from lifelong.learning.choices import DeclarationStatus
from lifelong.learning.forms.selfstudy import DeclarationForm, ReturnForm
from lifelong.learning.models import SelfStudy
from lifelong.learning.queries import plans as plan_queries
from lifelong.learning.queries import selfstudy as queries
from lifelong.learning.services import selfstudy as services
from lifelong.org import access
from lifelong.org.rules import Capability


def _sees_others(request: HttpRequest) -> bool:
    return access.has_capability(request.user, Capability.SEE_LEARNING) or access.has_capability(
        request.user, Capability.APPROVE_LEARNING
    )


def _export(filename: str, title: str, rows: QuerySet[SelfStudy]) -> HttpResponse:
    headers = [
        _("Officer code"),
        _("Name"),
        _("Unit"),
        _("Date"),
        _("Topic"),
        _("Method"),
        _("Clock hours"),
        _("Training category"),
        _("Movement content"),
        _("Status"),
        _("Reason for return"),
    ]
    return xlsx_response(
        filename,
        title,
        headers,
        (
            [
                d.person.officer_code,
                d.person.full_name,
                d.person.unit.name,
                d.learned_on,
                d.topic,
                d.get_method_display(),
                d.hours,
                d.get_category_display(),
                d.get_content_display(),
                d.get_status_display(),
                d.return_reason,
            ]
            for d in rows.iterator(chunk_size=500)
        ),
    )


#
# Lists
#


@login_required
def selfstudy_list(request: HttpRequest) -> HttpResponse:
    """List my declarations; with `scope=units`, those of the officers of my units too."""
    status = request.GET.get("status", "")
    if status not in DeclarationStatus.values:
        status = ""
    query = request.GET.get("q", "")[:200]
    units = request.GET.get("scope") == "units" and _sees_others(request)
    if units:
        rows = queries.declarations_visible_to(request.user, status=status, query=query)
    else:
        rows = queries.my_declarations(request.user, status=status)
    if request.GET.get("format") == "xlsx":
        return _export("self-study", _("Self-study"), rows)
    page = page_of(request, rows)
    context = {
        "page": page,
        "status": status,
        "statuses": DeclarationStatus.choices,
        "q": query,
        "units": units,
        "sees_others": _sees_others(request),
        "has_person": queries.person_of(request.user) is not None,
    }
    return render_page(request, "learning/selfstudy/list.html", context, partial="rows")


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """The unit head's queue: declarations awaiting approval and plans awaiting agreement."""
    access.require(request.user, Capability.APPROVE_LEARNING)
    query = request.GET.get("q", "")[:200]
    rows = queries.approval_queue(request.user, query=query)
    if request.GET.get("format") == "xlsx":
        return _export("approvals", _("Awaiting approval"), rows)
    page = page_of(request, rows)
    context = {
        "page": page,
        "q": query,
        "return_form": ReturnForm(),
        "plans": plan_queries.plans_to_agree(request.user)[:PAGE_SIZE],
    }
    return render(request, "learning/selfstudy/approvals.html", context)


#
# One declaration
#


def _evidence_choices(declaration: SelfStudy | None) -> list[tuple[int, str]]:
    if declaration is None or declaration.status == DeclarationStatus.APPROVED:
        return []
    return [(e.pk, e.file.name) for e in queries.evidence_of(declaration)]


def _initial(declaration: SelfStudy) -> dict[str, Any]:
    return {
        "topic": declaration.topic,
        "method": declaration.method,
        "learned_on": declaration.learned_on,
        "hours": declaration.hours,
        "category": declaration.category,
        "content": declaration.content,
        "learned": declaration.learned,
    }


def _declaration_form(request: HttpRequest, declaration: SelfStudy | None) -> HttpResponse:
    """Show and handle the declaration form: a new one, the officer's edit or a correction."""
    correcting = declaration is not None and declaration.person.user_id != request.user.pk
    choices = [] if correcting else _evidence_choices(declaration)
    if request.method == "POST":
        form = DeclarationForm(request.POST, request.FILES, evidence_choices=choices)
    else:
        initial = _initial(declaration) if declaration is not None else {}
        form = DeclarationForm(initial=initial, evidence_choices=choices)

    def save() -> HttpResponse:
        data = services.declaration_input(**form.cleaned_data)
        if correcting:
            assert declaration is not None
            saved = services.correct_declaration(
                acting_user=request.user, declaration=declaration, data=data
            )
            messages.success(request, _("The correction counts now."))
        else:
            submit = request.POST.get("action") == "submit"
            saved = services.save_declaration(
                acting_user=request.user,
                data=data,
                submit=submit,
                declaration=declaration,
                uploads=form.cleaned_data.get("evidence") or [],
                remove_evidence=form.cleaned_data.get("remove_evidence") or [],
            )
            messages.success(
                request,
                _("Sent for approval.") if submit else _("Saved as a draft."),
            )
        return redirect("learning:selfstudy_detail", pk=saved.pk)

    context = {
        "declaration": declaration,
        "correcting": correcting,
        "was_approved": declaration is not None and declaration.status == "approved",
    }
    return form_page(
        request,
        form,
        "learning/selfstudy/form.html",
        context,
        save,
        refusals=ValidationFailed,
        on_refusal=put_refusal_on_form,
    )


@login_required
def selfstudy_new(request: HttpRequest) -> HttpResponse:
    """Declare self-study (officers with a personal record only)."""
    if queries.person_of(request.user) is None:
        raise NotFound(_("Not found."))
    return _declaration_form(request, None)


@login_required
def selfstudy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit my declaration, or correct an approved one as its unit head."""
    declaration = queries.access_declaration(request.user, pk)
    if declaration.person.user_id != request.user.pk and not (
        declaration.status == DeclarationStatus.APPROVED
        and queries.may_review(request.user, declaration)
    ):
        raise NotFound(_("Not found."))
    return _declaration_form(request, declaration)


@login_required
def selfstudy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a declaration, its evidence and review, with the actions the user may take."""
    declaration = queries.access_declaration(request.user, pk)
    mine = declaration.person.user_id == request.user.pk
    reviewer = queries.may_review(request.user, declaration)
    context = {
        "d": declaration,
        "evidence": queries.evidence_of(declaration),
        "mine": mine,
        "reviewer": reviewer,
        "return_form": ReturnForm(),
    }
    return render(request, "learning/selfstudy/detail.html", context)


@login_required
@require_POST
def selfstudy_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit my draft or returned declaration for approval."""
    declaration = queries.access_own_declaration(request.user, pk)
    run_action(
        request,
        lambda: services.submit_declaration(acting_user=request.user, declaration=declaration),
        _("Sent for approval."),
        refusals=ValidationFailed,
    )
    return redirect("learning:selfstudy_detail", pk=pk)


@login_required
@require_POST
def selfstudy_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete my draft or returned declaration."""
    declaration = queries.access_own_declaration(request.user, pk)
    if run_action(
        request,
        lambda: services.delete_declaration(acting_user=request.user, declaration=declaration),
        _("The declaration is deleted."),
        refusals=ValidationFailed,
    ):
        return redirect("learning:selfstudy_list")
    return redirect("learning:selfstudy_detail", pk=pk)


@login_required
def selfstudy_evidence(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    """Download an evidence file: the owner and the officer's unit heads and training office."""
    stored = queries.access_evidence(request.user, pk, evidence_id)
    return FileResponse(
        open_file(stored),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )


#
# Review (htmx from the queue, plain POST from the detail page)
#


def _after_review(
    request: HttpRequest, declaration: SelfStudy, *, error: str = "", form: ReturnForm | None = None
) -> HttpResponse:
    if is_htmx(request):
        context = {"d": declaration, "row_error": error, "return_form": form or ReturnForm()}
        return render(request, "learning/selfstudy/approvals.html#queue-row", context)
    if error:
        messages.error(request, error)
    return redirect("learning:selfstudy_detail", pk=declaration.pk)


@login_required
@require_POST
def selfstudy_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a submitted declaration (its unit head)."""
    declaration = queries.access_reviewable(request.user, pk)
    try:
        declaration = services.approve_declaration(
            acting_user=request.user, declaration=declaration
        )
    except ValidationFailed as error:
        return _after_review(request, declaration, error=error.message)
    if not is_htmx(request):
        messages.success(request, _("Approved: the hours count in the ledger."))
    return _after_review(request, declaration)


@login_required
@require_POST
def selfstudy_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a submitted declaration to the officer with a reason (its unit head)."""
    declaration = queries.access_reviewable(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        message = "; ".join(str(e) for e in form.errors.get("reason", []))
        return _after_review(request, declaration, error=message, form=form)
    try:
        declaration = services.return_declaration(
            acting_user=request.user, declaration=declaration, reason=form.cleaned_data["reason"]
        )
    except ValidationFailed as error:
        return _after_review(request, declaration, error=error.message, form=form)
    if not is_htmx(request):
        messages.success(request, _("Returned to the officer."))
    return _after_review(request, declaration)


urlpatterns: list[URLPattern] = [
    path("self-study/", selfstudy_list, name="selfstudy_list"),
    path("self-study/new/", selfstudy_new, name="selfstudy_new"),
    path("self-study/<int:pk>/", selfstudy_detail, name="selfstudy_detail"),
    path("self-study/<int:pk>/edit/", selfstudy_edit, name="selfstudy_edit"),
    path("self-study/<int:pk>/submit/", selfstudy_submit, name="selfstudy_submit"),
    path("self-study/<int:pk>/delete/", selfstudy_delete, name="selfstudy_delete"),
    path("self-study/<int:pk>/approve/", selfstudy_approve, name="selfstudy_approve"),
    path("self-study/<int:pk>/return/", selfstudy_return, name="selfstudy_return"),
    path(
        "self-study/<int:pk>/evidence/<int:evidence_id>/",
        selfstudy_evidence,
        name="selfstudy_evidence",
    ),
    path("approvals/", approvals, name="approvals"),
]
