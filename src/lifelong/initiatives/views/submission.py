"""Pages of the submission area: my initiatives, the form, an initiative's page, its files.

Thin: each view parses the request, calls one query or service, and renders. The form keeps
what was typed when the service refuses it, with each message on the field it concerns
(an author's row for an unknown officer code).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.files import open_file
from lifelong.core.pages import acting_user, page_of, render_page, run_action
from lifelong.initiatives import rules
from lifelong.initiatives.choices import InitiativeStatus
from lifelong.initiatives.forms.submission import MAX_AUTHORS, AuthorFormSet, InitiativeForm
from lifelong.initiatives.models import Initiative
from lifelong.initiatives.queries import submission as queries
from lifelong.initiatives.services import submission as services
from lifelong.initiatives.views import evaluation as evaluation_views
from lifelong.initiatives.views import library as library_views
from lifelong.org.models import Person

__all__ = ["urlpatterns"]

AUTHORS_PREFIX = "authors"


#
# My initiatives
#


def _authors_text(initiative: Initiative) -> str:
    return "; ".join(
        f"{a.person.full_name} ({a.person.officer_code}) {a.share.normalize():f}%"
        for a in initiative.authors.all()
    )


def _export(rows: QuerySet[Initiative]) -> HttpResponse:
    headers = [
        _("Title"),
        _("Unit"),
        _("Field"),
        _("Authors"),
        _("Status"),
        _("Recognition level"),
        _("Recognised on"),
        _("Submitted at"),
        _("Last changed"),
    ]
    return xlsx_response(
        "my-initiatives",
        _("My initiatives"),
        headers,
        (
            [
                i.title,
                i.unit.name,
                i.get_field_display(),
                _authors_text(i),
                i.get_status_display(),
                i.get_level_display() if i.level else "",
                i.recognised_on,
                i.submitted_at,
                i.updated_at,
            ]
            for i in rows.iterator(chunk_size=500)
        ),
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """List the initiatives I wrote or co-authored, drafts included; XLSX on request."""
    status = request.GET.get("status", "")
    if status not in InitiativeStatus.values:
        status = ""
    query = request.GET.get("q", "")[:200]
    rows = queries.my_initiatives(request.user, status=status, query=query)
    if request.GET.get("format") == "xlsx":
        return _export(rows)
    context = {
        "page": page_of(request, rows),
        "status": status,
        "statuses": InitiativeStatus.choices,
        "q": query,
        "has_person": queries.writer_of(request.user) is not None,
    }
    return render_page(request, "initiatives/submission/mine.html", context, partial="rows")


#
# The form
#


def _initial(initiative: Initiative) -> dict[str, Any]:
    return {
        "title": initiative.title,
        "unit_id": initiative.unit_id,
        "field": initiative.field,
        "content": initiative.content,
        "problem": initiative.problem,
        "solution": initiative.solution,
        "novelty": initiative.novelty,
        "application_kind": initiative.application_kind,
        "applied_from": initiative.applied_from,
        "effect": initiative.effect,
        "figures": initiative.figures,
        "scope": initiative.scope,
    }


def _initial_authors(writer: Person, initiative: Initiative | None) -> list[dict[str, Any]]:
    if initiative is None:
        return [{"officer_code": writer.officer_code, "share": 100, "name": writer.full_name}]
    return [
        {"officer_code": a.person.officer_code, "share": a.share, "name": a.person.full_name}
        for a in initiative.authors.select_related("person").order_by("position", "pk")
    ]


def _posted_values(data: QueryDict) -> dict[str, Any]:
    """Return the posted values of the initiative form, as initial values (files excepted)."""
    return {
        name: data.getlist(name) if name == "remove_attachments" else data.get(name, "")
        for name in InitiativeForm.base_fields
        if name != "attachments"
    }


def _posted_rows(data: QueryDict) -> list[dict[str, str]]:
    """Return the posted author rows, as initial values (the formset adds an empty row)."""
    try:
        total = int(data.get(f"{AUTHORS_PREFIX}-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0
    total = max(0, min(total, MAX_AUTHORS - 1))
    return [
        {
            "officer_code": data.get(f"{AUTHORS_PREFIX}-{i}-officer_code", ""),
            "share": data.get(f"{AUTHORS_PREFIX}-{i}-share", ""),
        }
        for i in range(total)
    ]


def _place(
    refusal: ValidationFailed, form: InitiativeForm, rows: list[Any], author_errors: list[str]
) -> None:
    """Put each message of a refusal on the field, author row or list it concerns."""
    fields: dict[str, list[str]] = refusal.details.get("fields") or {}
    for key, errors in fields.items():
        for message in errors:
            if key.startswith("authors."):
                index = int(key.split(".", 1)[1])
                if index < len(rows):
                    rows[index].add_error(None, message)
                else:
                    author_errors.append(message)
            elif key == "authors":
                author_errors.append(message)
            elif key in form.fields:
                form.add_error(key, message)
            else:
                form.add_error(None, message)
    if not fields:
        form.add_error(None, refusal.message)


def _form_page(request: HttpRequest, initiative: Initiative | None) -> HttpResponse:
    """Show and handle the initiative form: save a draft, submit, or add an author row."""
    writer = queries.writer_of(request.user)
    if writer is None:
        raise NotFound(_("Not found."))
    options: dict[str, Any] = {
        "unit_choices": [(u.pk, u.name) for u in queries.units_for(writer, initiative)],
        "attachment_choices": [
            (a.pk, a.file.name)
            for a in (initiative.attachments.select_related("file") if initiative else [])
        ],
    }
    action = request.POST.get("action", "")
    author_errors: list[str] = []
    status = 200
    if request.method == "POST" and action == "add_author":
        # One more author row: the typed values come back, unchecked, with an empty row.
        form = InitiativeForm(initial=_posted_values(request.POST), **options)
        formset = AuthorFormSet(initial=_posted_rows(request.POST), prefix=AUTHORS_PREFIX)
        return _render_form(request, initiative, form, formset, author_errors, adding=True)
    if request.method == "POST":
        form = InitiativeForm(request.POST, request.FILES, **options)
        formset = AuthorFormSet(request.POST, prefix=AUTHORS_PREFIX)
        if form.is_valid() and formset.is_valid():
            rows = [f for f in formset.forms if not f.is_blank()]
            values = dict(form.cleaned_data)
            values["authors"] = [
                (f.cleaned_data["officer_code"], f.cleaned_data["share"]) for f in rows
            ]
            data_in = services.initiative_input(**values)
            submit = action == "submit"
            try:
                saved = _save(request, initiative, data_in, submit, form.cleaned_data)
            except ValidationFailed as refusal:
                _place(refusal, form, rows, author_errors)
            else:
                messages.success(
                    request,
                    _("Submitted: the council will evaluate it.")
                    if submit
                    else _("Saved as a draft."),
                )
                return redirect("initiatives:detail", pk=saved.pk)
        status = 400
    else:
        initial = _initial(initiative) if initiative else {"unit_id": writer.unit_id}
        form = InitiativeForm(initial=initial, **options)
        formset = AuthorFormSet(initial=_initial_authors(writer, initiative), prefix=AUTHORS_PREFIX)
    return _render_form(request, initiative, form, formset, author_errors, status=status)


def _save(
    request: HttpRequest,
    initiative: Initiative | None,
    data: services.InitiativeInput,
    submit: bool,
    cleaned: dict[str, Any],
) -> Initiative:
    uploads = cleaned.get("attachments") or []
    if initiative is None:
        return services.create_initiative(
            acting_user=acting_user(request), data=data, submit=submit, uploads=uploads
        )
    return services.update_initiative(
        acting_user=acting_user(request),
        initiative=initiative,
        data=data,
        submit=submit,
        uploads=uploads,
        remove_attachments=cleaned.get("remove_attachments") or [],
    )


def _render_form(
    request: HttpRequest,
    initiative: Initiative | None,
    form: InitiativeForm,
    formset: Any,
    author_errors: list[str],
    *,
    adding: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {
        "initiative": initiative,
        "form": form,
        "formset": formset,
        "author_errors": author_errors,
        "adding": adding,
    }
    return render(request, "initiatives/submission/form.html", context, status=status)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Write a new initiative (officers with a personal record only)."""
    return _form_page(request, None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit my draft or returned initiative; anything else says why it cannot change."""
    initiative = queries.access_own_initiative(request.user, pk)
    if rules.transition(initiative.status, rules.Action.EDIT) is None:
        messages.error(request, services.edit_refusal(initiative.status).message)
        return redirect("initiatives:detail", pk=pk)
    return _form_page(request, initiative)


#
# One initiative
#


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an initiative: texts, authors, files, status, recognitions and the panels."""
    page = queries.initiative_page(request.user, pk)
    context: dict[str, Any] = {
        **evaluation_views.panel_context(request, page.initiative),
        **library_views.panel_context(request, page.initiative),
    }
    context.update(
        {
            "initiative": page.initiative,
            "initiative_page": page,
            "author_rows": page.authors,
            "attachment_rows": page.attachments,
            "recognition_rows": page.recognitions,
        }
    )
    return render(request, "initiatives/submission/detail.html", context)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit my draft or returned initiative as it stands."""
    initiative = queries.access_own_initiative(request.user, pk)
    run_action(
        request,
        lambda: services.submit_initiative(acting_user=acting_user(request), initiative=initiative),
        _("Submitted: the council will evaluate it."),
        refusals=ValidationFailed,
    )
    return redirect("initiatives:detail", pk=pk)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete my draft."""
    initiative = queries.access_own_initiative(request.user, pk)
    deleted = run_action(
        request,
        lambda: services.delete_initiative(acting_user=acting_user(request), initiative=initiative),
        _("The draft was deleted."),
        refusals=ValidationFailed,
    )
    return redirect("initiatives:mine") if deleted else redirect("initiatives:detail", pk=pk)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """Download an attachment: whoever may see the initiative; each read is audited."""
    stored = queries.access_attachment(request.user, pk, attachment_id)
    return FileResponse(
        open_file(stored),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )


urlpatterns: list[URLPattern] = [
    path("mine/", mine, name="mine"),
    path("new/", create, name="create"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/edit/", edit, name="edit"),
    path("<int:pk>/submit/", submit, name="submit"),
    path("<int:pk>/delete/", delete, name="delete"),
    path("<int:pk>/attachments/<int:attachment_id>/", attachment, name="attachment"),
]
