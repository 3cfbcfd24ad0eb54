"""Pages of the library: recognised initiatives, good models, adoptions and a unit's page.

Thin: each view parses the request, calls one query or service, and renders. Every list
answers `?format=xlsx` with the same rows (the unit's page: `?export=initiatives` or
`?export=adoptions`). The initiative's page (the submission area's) shows the adoptions panel
with `panel_context`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.pages import (
    PAGE_SIZE,
    acting_user,
    form_page,
    page_of,
    put_refusal_on_form,
    render_page,
    run_action,
)
from lifelong.initiatives import rules_library
from lifelong.initiatives.choices import Level
from lifelong.initiatives.forms.library import AdoptionForm, GoodModelForm
from lifelong.initiatives.models import Adoption, GoodModel, Initiative, Recognition
from lifelong.initiatives.queries import library as queries
from lifelong.initiatives.queries.scope import get_initiative
from lifelong.initiatives.services import library as services
from lifelong.learning.choices import MovementContent
from lifelong.org import access
from lifelong.org.access import Capability

#
# Exports
#


def _authors(initiative: Initiative) -> str:
    return "; ".join(
        f"{a.person.full_name} ({float(a.share):g}%)" for a in initiative.authors.all()
    )


def _export_recognised(rows: QuerySet[Recognition]) -> HttpResponse:
    headers = [
        _("Initiative"),
        _("Unit"),
        _("Recognition level"),
        _("Decision number"),
        _("Decision date"),
        _("Recognised by"),
        _("Field"),
        _("Authors"),
    ]
    return xlsx_response(
        "recognised-initiatives",
        _("Recognised initiatives"),
        headers,
        (
            [
                r.initiative.title,
                r.initiative.unit.name,
                r.get_level_display(),
                r.decision_number,
                r.decision_date,
                r.authority,
                r.initiative.get_field_display(),
                _authors(r.initiative),
            ]
            for r in rows.iterator(chunk_size=500)
        ),
    )


def _contents_text(good_model: GoodModel) -> str:
    return "; ".join(str(c.get_content_display()) for c in good_model.contents.all())


def _export_good_models(rows: QuerySet[GoodModel]) -> HttpResponse:
    headers = [
        _("Good model"),
        _("Summary"),
        _("Contents of the movement"),
        _("Units behind it"),
        _("Results achieved"),
        _("Units adopting it"),
    ]
    return xlsx_response(
        "good-models",
        _("Good models"),
        headers,
        (
            [
                g.title,
                g.summary,
                _contents_text(g),
                "; ".join(u.name for u in g.units.all()),
                g.results,
                g.n_adoptions,  # type: ignore[attr-defined]  # annotated by the query
            ]
            for g in rows.iterator(chunk_size=500)
        ),
    )


def _export_initiatives(unit_name: str, rows: QuerySet[Initiative]) -> HttpResponse:
    headers = [
        _("Initiative"),
        _("Unit"),
        _("Field"),
        _("Status"),
        _("Recognition level"),
        _("Recognised on"),
        _("Applied or trialled since"),
    ]
    return xlsx_response(
        "unit-initiatives",
        unit_name,
        headers,
        (
            [
                i.title,
                i.unit.name,
                i.get_field_display(),
                i.get_status_display(),
                i.get_level_display() if i.level else "",
                i.recognised_on,
                i.applied_from,
            ]
            for i in rows.iterator(chunk_size=500)
        ),
    )


def _adopted_title(adoption: Adoption) -> str:
    if adoption.initiative is not None:
        return adoption.initiative.title
    assert adoption.good_model is not None
    return adoption.good_model.title


def _export_adoptions(filename: str, title: str, rows: QuerySet[Adoption]) -> HttpResponse:
    headers = [
        _("Unit"),
        _("Applies"),
        _("Kind"),
        _("Applied since"),
        _("Results reported"),
        _("Results in figures"),
    ]
    return xlsx_response(
        filename,
        title,
        headers,
        (
            [
                a.unit.name,
                _adopted_title(a),
                _("Initiative") if a.initiative_id else _("Good model"),
                a.started_on,
                a.results,
                a.figures,
            ]
            for a in rows.iterator(chunk_size=500)
        ),
    )


#
# Recognised initiatives
#


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@login_required
def recognised(request: HttpRequest) -> HttpResponse:
    """List the recognised initiatives by level, year of decision and unit (with its subtree)."""
    level = request.GET.get("level", "")
    if level not in Level.values:
        level = ""
    years = queries.recognition_years(request.user)
    year = _int(request.GET.get("year"))
    if year not in years:
        year = None
    units = queries.filter_units()
    unit_pk = _int(request.GET.get("unit"))
    unit = units.filter(pk=unit_pk).first() if unit_pk is not None else None
    rows = queries.recognised_initiatives(request.user, level=level, year=year, unit=unit)
    if request.GET.get("format") == "xlsx":
        return _export_recognised(rows)
    context = {
        "page": page_of(request, rows),
        "level": level,
        "levels": Level.choices,
        "year": year,
        "years": years,
        "unit": unit,
        "units": units,
    }
    return render_page(request, "initiatives/library/recognised.html", context, partial="rows")


#
# Good models
#


@login_required
def good_models(request: HttpRequest) -> HttpResponse:
    """The good-model library: search without diacritics and filter by content."""
    query = request.GET.get("q", "")[:200]
    content = request.GET.get("content", "")
    if content not in MovementContent.values:
        content = ""
    rows = queries.good_models_visible_to(request.user, query=query, content=content)
    if request.GET.get("format") == "xlsx":
        return _export_good_models(rows)
    context = {
        "page": page_of(request, rows),
        "q": query,
        "content": content,
        "contents": MovementContent.choices,
        "may_create": queries.may_curate_anything(request.user),
    }
    return render_page(request, "initiatives/library/good_models.html", context, partial="rows")


@login_required
def good_model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a good model: its contents, the units and initiatives behind it, its adopters."""
    good_model = queries.get_good_model(request.user, pk)
    adoptions = list(queries.adoptions_of_good_model(request.user, good_model))
    context = {
        "g": good_model,
        "units": queries.good_model_units(good_model),
        "initiatives": queries.good_model_initiatives(request.user, good_model),
        "adoptions": adoptions,
        "editable": {a.pk for a in adoptions if queries.may_share(request.user, a.unit)},
        "may_adopt": queries.may_share_anywhere(request.user),
        "may_edit": queries.may_curate(request.user, good_model),
    }
    return render(request, "initiatives/library/good_model.html", context)


def _good_model_form(request: HttpRequest, good_model: GoodModel | None) -> HttpResponse:
    units = queries.curatable_units(request.user)
    initiatives = queries.linkable_initiatives(request.user)
    if request.method == "POST":
        form = GoodModelForm(
            request.POST, units=units, initiatives=initiatives, good_model=good_model
        )
    else:
        form = GoodModelForm(units=units, initiatives=initiatives, good_model=good_model)

    def save() -> HttpResponse:
        data = form.good_model_input()
        if good_model is None:
            saved = services.create_good_model(acting_user=acting_user(request), data=data)
            messages.success(request, _("The good model is in the library."))
        else:
            saved = services.update_good_model(
                acting_user=acting_user(request), good_model=good_model, data=data
            )
            messages.success(request, _("The good model is saved."))
        return redirect("initiatives:good_model", pk=saved.pk)

    return form_page(
        request,
        form,
        "initiatives/library/good_model_form.html",
        {"good_model": good_model},
        save,
        refusals=ValidationFailed,
        on_refusal=put_refusal_on_form,
    )


@login_required
def good_model_create(request: HttpRequest) -> HttpResponse:
    """Add a good model (the secretariat, or a unit head for the units they lead)."""
    if not queries.may_curate_anything(request.user):
        raise NotFound(_("Not found."))
    return _good_model_form(request, None)


@login_required
def good_model_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a good model: only who may write for every unit behind it."""
    good_model = queries.get_good_model(request.user, pk)
    if not queries.may_curate(request.user, good_model):
        raise NotFound(_("Not found."))
    return _good_model_form(request, good_model)


#
# Adoptions
#


def _adoption_form(
    request: HttpRequest,
    *,
    back: str,
    subject: str,
    initiative: Initiative | None = None,
    good_model: GoodModel | None = None,
    adoption: Adoption | None = None,
) -> HttpResponse:
    units = None if adoption is not None else queries.adoption_units(request.user)
    if request.method == "POST":
        form = AdoptionForm(request.POST, units=units, adoption=adoption)
    else:
        form = AdoptionForm(units=units, adoption=adoption)

    def save() -> HttpResponse:
        data = form.adoption_input()
        if adoption is None:
            services.register_adoption(
                acting_user=request.user,
                unit=form.cleaned_data["unit"],
                data=data,
                initiative=initiative,
                good_model=good_model,
            )
            messages.success(request, _("The adoption is registered."))
        else:
            services.update_adoption(acting_user=request.user, adoption=adoption, data=data)
            messages.success(request, _("The adoption is saved."))
        return redirect(back)

    context = {"back": back, "subject": subject, "adoption": adoption}
    return form_page(
        request,
        form,
        "initiatives/library/adoption_form.html",
        context,
        save,
        refusals=ValidationFailed,
        on_refusal=put_refusal_on_form,
    )


@login_required
def adopt_initiative(request: HttpRequest, pk: int) -> HttpResponse:
    """Register that one of the user's units applies a recognised initiative."""
    access.require(request.user, Capability.SHARE_PRACTICES)
    initiative = get_initiative(request.user, pk)
    back = reverse("initiatives:detail", args=[initiative.pk])
    if not initiative.level:
        messages.error(
            request, str(services.PROBLEM_MESSAGES[rules_library.Problem.NOT_RECOGNISED])
        )
        return redirect(back)
    return _adoption_form(request, back=back, subject=initiative.title, initiative=initiative)


@login_required
def adopt_good_model(request: HttpRequest, pk: int) -> HttpResponse:
    """Register that one of the user's units adopts a good model."""
    access.require(request.user, Capability.SHARE_PRACTICES)
    good_model = queries.get_good_model(request.user, pk)
    back = reverse("initiatives:good_model", args=[good_model.pk])
    return _adoption_form(request, back=back, subject=good_model.title, good_model=good_model)


def _back_of(adoption: Adoption) -> str:
    if adoption.initiative_id is not None:
        return reverse("initiatives:detail", args=[adoption.initiative_id])
    return reverse("initiatives:good_model", args=[adoption.good_model_id])


@login_required
def adoption_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the start date and results of an adoption of one of the user's units."""
    adoption = queries.access_shared_adoption(request.user, pk)
    return _adoption_form(
        request, back=_back_of(adoption), subject=_adopted_title(adoption), adoption=adoption
    )


@login_required
@require_POST
def adoption_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an adoption registered in error."""
    adoption = queries.access_shared_adoption(request.user, pk)
    back = _back_of(adoption)
    run_action(
        request,
        lambda: services.withdraw_adoption(acting_user=request.user, adoption=adoption),
        _("The adoption is withdrawn."),
        refusals=ValidationFailed,
    )
    return redirect(back)


def panel_context(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """Context of the adoptions panel on an initiative's page: where it is used, and results.

    Keys start with `library_` so they never clash with the page's own.
    """
    adoptions = list(queries.adoptions_of_initiative(request.user, initiative))
    return {
        "library_initiative": initiative,
        "library_adoptions": adoptions,
        "library_editable": {a.pk for a in adoptions if queries.may_share(request.user, a.unit)},
        "library_good_models": list(initiative.good_models.order_by("sort_key", "pk")),
        "library_may_adopt": bool(initiative.level) and queries.may_share_anywhere(request.user),
    }


#
# A unit's initiatives and adoptions
#


@login_required
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's initiatives (its subtree's, as far as the user may see) and adoptions."""
    unit = queries.access_unit(request.user, pk)
    initiatives = queries.unit_initiatives(request.user, unit)
    adoptions = queries.unit_adoptions(request.user, unit)
    export = request.GET.get("export")
    if export == "initiatives":
        return _export_initiatives(unit.name, initiatives)
    if export == "adoptions":
        return _export_adoptions("unit-adoptions", unit.name, adoptions)
    context = {
        "unit": unit,
        "page": page_of(request, initiatives),
        "adoptions": Paginator(adoptions, PAGE_SIZE).get_page(request.GET.get("apage")),
    }
    return render(request, "initiatives/library/unit.html", context)


urlpatterns: list[URLPattern] = [
    path("recognised/", recognised, name="recognised"),
    path("good-models/", good_models, name="good_models"),
    path("good-models/new/", good_model_create, name="good_model_create"),
    path("good-models/<int:pk>/", good_model_detail, name="good_model"),
    path("good-models/<int:pk>/edit/", good_model_edit, name="good_model_edit"),
    path("good-models/<int:pk>/adopt/", adopt_good_model, name="good_model_adopt"),
    path("<int:pk>/adopt/", adopt_initiative, name="adopt"),
    path("adoptions/<int:pk>/edit/", adoption_edit, name="adoption_edit"),
    path("adoptions/<int:pk>/withdraw/", adoption_withdraw, name="adoption_withdraw"),
    path("units/<int:pk>/", unit_page, name="unit"),
]
