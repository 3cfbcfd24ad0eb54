"""Pages of the hours ledger: my learning, ledgers, compliance, targets, unknown actors.

Thin: each view checks access through `learning.queries.ledger`, calls one query or service,
and renders; every list offers its rows as XLSX (`?export=xlsx`, or `?export=<list>`).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.pages import (
    form_page,
    is_htmx,
    page_of,
    put_refusal_on_form,
)
from lifelong.learning.forms.ledger import MatchActorForm, TargetForm, YearForm
from lifelong.learning.queries import ledger as queries
from lifelong.learning.services import ledger as services
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Person, Unit

BEHIND_PAGE_SIZE = 25
ACTORS_PAGE_SIZE = 25


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data["year"]:
        return int(form.cleaned_data["year"])
    return queries.today().year


#
# An officer's ledger
#


def _ledger_page(request: HttpRequest, person: Person, *, own: bool) -> HttpResponse:
    year = _year(request)
    book = queries.get_person_ledger(person, year)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"ledger-{person.officer_code}-{year}",
            _("Learning {year}").format(year=year),
            [
                _("Date"),
                _("Activity"),
                _("Verb"),
                _("Clock hours"),
                _("Source of hours"),
                _("Counts"),
                _("Voided"),
            ],
            (
                [
                    queries.local_date(r.occurred_at),
                    r.activity_name or r.activity_iri,
                    r.verb,
                    r.hours,
                    r.get_hours_source_display(),
                    _("yes") if r.counts else _("no"),  # type: ignore[attr-defined]  # set by the query
                    _("yes") if r.voided else _("no"),
                ]
                for r in book.records
            ),
        )
    context: dict[str, Any] = {
        "book": book,
        "person": person,
        "own": own,
        "years": queries.ledger_years_of(person),
    }
    return render(request, "learning/ledger/person_ledger.html", context)


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    """Show the signed-in officer's own ledger for a chosen year."""
    person = queries.own_person(request.user)
    if person is None:
        return render(request, "learning/ledger/no_person.html")
    return _ledger_page(request, person, own=True)


@login_required
def person_ledger(request: HttpRequest, officer_code: str) -> HttpResponse:
    """Show an officer's ledger to someone who may see their learning (or to themselves)."""
    person = queries.access_ledger_person(request.user, officer_code)
    own = person.user_id is not None and person.user_id == request.user.pk
    return _ledger_page(request, person, own=own)


#
# Unit compliance
#


@login_required
def compliance_index(request: HttpRequest) -> HttpResponse:
    """Open the compliance of the user's top unit, or list them when the user has several."""
    roots = access.granted_roots(request.user, Capability.SEE_LEARNING)
    units = list(Unit.objects.filter(path__in=roots).order_by("sort_key")) if roots else []
    if len(units) == 1:
        return redirect("learning:unit_compliance", unit_id=units[0].pk)
    if not units:
        raise NotFound(_("Not found."))
    return render(request, "learning/ledger/compliance_index.html", {"units": units})


@login_required
def unit_compliance(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Show a unit's compliance: figures, sub-units with drill-down, the officers behind.

    An htmx request for the officers behind gets only that partial.
    """
    unit = queries.access_compliance_unit(request.user, unit_id)
    year = _year(request)
    query = request.GET.get("q", "")[:200]
    export = request.GET.get("export")
    if export == "behind":
        behind = queries.behind_officers(unit, year, query=query)
        return xlsx_response(
            f"behind-{unit.code}-{year}",
            _("Behind {year}").format(year=year),
            [
                _("Officer code"),
                _("Name"),
                _("Unit"),
                _("Clock hours"),
                _("Due by now"),
                _("Target"),
            ],
            (
                [
                    b.officer_code,
                    b.full_name,
                    b.unit_name,
                    b.hours,
                    b.expected_hours,
                    b.target_hours,
                ]
                for b in behind
            ),
        )
    result = None if is_htmx(request) else queries.unit_compliance(unit, year)
    # The full page knows how many are behind from the figures: no second COUNT.
    known = result.figures.headcount - result.figures.on_track if result else None
    behind = queries.behind_officers(unit, year, query=query, known_count=known)
    behind_page = page_of(request, behind, BEHIND_PAGE_SIZE)
    context: dict[str, Any] = {"unit": unit, "year": year, "q": query, "page": behind_page}
    if result is None:
        return render(request, "learning/ledger/unit_compliance.html#behind", context)
    if export == "xlsx":
        return xlsx_response(
            f"compliance-{unit.code}-{year}",
            _("Compliance {year}").format(year=year),
            [
                _("Unit"),
                _("Officers"),
                _("On track"),
                _("Compliant"),
                _("Share on track"),
                _("Share compliant"),
                _("Hours per head"),
            ],
            (
                [
                    row.unit.name if row.unit else _("Directly in {unit}").format(unit=unit.name),
                    row.figures.headcount,
                    row.figures.on_track,
                    row.figures.compliant,
                    row.figures.on_track_share,
                    row.figures.compliant_share,
                    row.figures.hours_per_head,
                ]
                for row in [*result.sub_units]
            ),
        )
    context.update(
        {
            "result": result,
            "ancestors": queries.visible_ancestors(request.user, unit),
            "years": queries.compliance_years(),
        }
    )
    return render(request, "learning/ledger/unit_compliance.html", context)


#
# Annual targets (training office)
#


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """List the annual targets and add a row (the training office)."""
    access.require(request.user, Capability.MANAGE_TRAINING)
    rows = queries.list_targets()
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "annual-targets",
            _("Annual targets"),
            [
                _("Job-position group"),
                _("From year"),
                _("Until year"),
                _("Clock hours"),
                _("Source"),
            ],
            (
                [
                    r.get_position_group_display() or _("All groups"),
                    r.from_year,
                    r.until_year,
                    r.hours,
                    r.source,
                ]
                for r in rows
            ),
        )
    form = TargetForm(request.POST or None)

    def save() -> HttpResponse:
        data = form.cleaned_data
        services.add_annual_target(
            acting_user=request.user,
            position_group=data["position_group"] or "",
            from_year=data["from_year"],
            until_year=data["until_year"],
            hours=data["hours"],
            source=data["source"] or "",
        )
        messages.success(request, _("The target was added."))
        return redirect("learning:targets")

    # A refused target shows the form again with 200, as it always has.
    return form_page(
        request,
        form,
        "learning/ledger/targets.html",
        {"rows": rows, "default_hours": queries.default_target_hours()},
        save,
        refusals=ValidationFailed,
        on_refusal=put_refusal_on_form,
        invalid_status=200,
    )


#
# Unknown xAPI actors (administrators)
#


@login_required
def unknown_actors(request: HttpRequest) -> HttpResponse:
    """List the xAPI actors that matched no officer, each with a form to match it."""
    access.require(request.user, Capability.ADMINISTER)
    query = request.GET.get("q", "")[:200]
    matched = request.GET.get("matched") == "1"
    actors = queries.list_unknown_actors(matched=matched, query=query)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "unknown-actors",
            _("Unknown actors"),
            [_("Name sent"), _("Identifier"), _("First seen"), _("Statements"), _("Officer")],
            (
                [
                    a.name,
                    a.ifi,
                    a.first_seen,
                    a.statement_count,
                    a.person.officer_code if a.person else "",
                ]
                for a in actors
            ),
        )
    page = page_of(request, actors, ACTORS_PAGE_SIZE)
    return render(
        request,
        "learning/ledger/unknown_actors.html",
        {"page": page, "q": query, "matched": matched, "form": MatchActorForm()},
    )


@login_required
@require_POST
def match_actor(request: HttpRequest, pk: int) -> HttpResponse:
    """Match one unknown actor to an officer by officer code; its statements then count."""
    access.require(request.user, Capability.ADMINISTER)
    form = MatchActorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the officer code."))
        return redirect("learning:unknown_actors")
    try:
        unknown = services.match_unknown_actor(
            acting_user=request.user, unknown_id=pk, officer_code=form.cleaned_data["officer_code"]
        )
    except ValidationFailed as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("{actor} now counts for {person}.").format(
                actor=unknown.name or unknown.ifi, person=unknown.person
            ),
        )
    return redirect("learning:unknown_actors")


urlpatterns: list[URLPattern] = [
    path("my/", my_learning, name="my_learning"),
    path("people/<str:officer_code>/ledger/", person_ledger, name="person_ledger"),
    path("compliance/", compliance_index, name="compliance_index"),
    path("units/<int:unit_id>/compliance/", unit_compliance, name="unit_compliance"),
    path("targets/", targets, name="targets"),
    path("unknown-actors/", unknown_actors, name="unknown_actors"),
    path("unknown-actors/<int:pk>/match/", match_actor, name="match_actor"),
]
