"""Pages of scores: the campaign dashboard, rankings, a unit's page, reviews.

Thin: each view parses the request, calls the scoped queries (`queries.standings`) or a
service (`services.reviews`), and renders. Rankings read the scores computed in the background,
never recomputing on a page view. The dashboard and the rankings answer `?format=xlsx` with the
same rows; a review's page with its frozen rows.
"""

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lifelong.core.exports import xlsx_response
from lifelong.core.lookups import get_visible
from lifelong.core.pages import acting_user, page_of, run_action
from lifelong.emulation.choices import AssessmentStatus, ReviewKind
from lifelong.emulation.forms.standings import PeopleFilterForm
from lifelong.emulation.models import (
    Assessment,
    Campaign,
    Content,
    Phase,
    Registration,
    Review,
)
from lifelong.emulation.queries import standings as queries
from lifelong.emulation.queries.scope import get_campaign, may_manage
from lifelong.emulation.services import reviews
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Unit

#
# Shared pieces
#


def _contents(campaign: Campaign) -> list[Content]:
    return list(Content.objects.filter(campaign=campaign).order_by("position", "pk"))


def _with_contents(rows: list[dict[str, Any]], contents: list[Content]) -> list[dict[str, Any]]:
    """Add each row's content scores as a list in the contents' order (for the tables)."""
    for row in rows:
        row["contents"] = [row["by_content"].get(str(c.pk)) for c in contents]
    return rows


def _clusters(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Group rows by cluster name, keeping their order."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["cluster"], []).append(row)
    return list(grouped.items())


def _export_units(
    filename: str, title: str, rows: list[dict[str, Any]], contents: list[Content]
) -> HttpResponse:
    headers = [_("Cluster"), _("Rank"), _("Unit"), _("Total"), *[c.name for c in contents]]
    return xlsx_response(
        filename,
        title,
        headers,
        ([r["cluster"], r["rank"], r["unit_name"], r["total"], *r["contents"]] for r in rows),
    )


def _current_review(campaign: Campaign, phase: Phase) -> Review | None:
    return (
        Review.objects.filter(campaign=campaign, phase=phase, superseded_at__isnull=True)
        .defer("snapshot")
        .order_by("-version")
        .first()
    )


# The plain numbers behind a score, in words (lists of records are shown as tables).
INPUT_LABELS = {
    "hours": gettext_lazy("Hours counted"),
    "headcount": gettext_lazy("Officers"),
    "officer_years": gettext_lazy("Officer-years"),
    "officer_years_meeting_target": gettext_lazy("Officer-years meeting the annual target"),
    "with_language_or_data": gettext_lazy("Officers with B1+ language or data skills"),
    "certificates": gettext_lazy("Certificates earned"),
    "wco_instructors": gettext_lazy("WCO-accredited instructors"),
}
PROBLEMS = {
    "no_data": gettext_lazy("No data for this period: 0 points."),
    "no_staff": gettext_lazy("The unit has no officers: 0 points."),
}


def _date(iso: str) -> datetime.date:
    """Return a date kept in a score's inputs (ISO text) as a date, for dd/mm/yyyy display."""
    return datetime.date.fromisoformat(iso)


def _facts(inputs: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(str(label), inputs[key]) for key, label in INPUT_LABELS.items() if key in inputs]


#
# Dashboard and rankings
#


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign dashboard: progress by content, ranking by cluster, trend over phases."""
    found = get_campaign(request.user, pk)
    phases = list(Phase.objects.filter(campaign=found).order_by("starts_on"))
    if not phases and may_manage(request.user, found):
        return redirect("emulation:campaign_edit", pk=found.pk)
    phase = queries.get_phase(request.user, found, request.GET.get("phase"))
    contents = _contents(found)
    rows = _with_contents(
        queries.unit_rows(queries.visible_units(request.user, found, phase)), contents
    )
    if request.GET.get("format") == "xlsx":
        return _export_units(f"xep-hang-{phase.pk}", phase.name, rows, contents)
    progress = []
    for index, content in enumerate(contents):
        scores = [r["contents"][index] for r in rows if r["contents"][index] is not None]
        mean = sum(scores) / len(scores) if scores else None
        progress.append({"content": content, "mean": mean})
    trend = queries.trend(request.user, found)
    names = {r["unit_id"]: r["unit_name"] for r in rows}
    trend_rows = [
        {"unit_id": unit_id, "unit_name": names[unit_id], "totals": [by.get(p.pk) for p in phases]}
        for unit_id, by in trend.items()
        if unit_id in names
    ]
    trend_rows.sort(key=lambda r: r["unit_name"])
    context = {
        "campaign": found,
        "phase": phase,
        "phases": phases,
        "contents": contents,
        "clusters": _clusters(rows),
        "progress": progress,
        "trend": trend_rows,
        "review": _current_review(found, phase),
        "computed_at": getattr(
            queries.visible_units(request.user, found, phase).first(), "computed_at", None
        ),
        "may_manage": may_manage(request.user, found),
        "sees_units": bool(access.scope_of(request.user, Capability.SEE_EMULATION)),
    }
    return render(request, "emulation/standings/campaign.html", context)


@login_required
def people_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The officers' ranking by cluster, optionally in one unit's subtree; paginated."""
    found = get_campaign(request.user, pk)
    phase = queries.get_phase(request.user, found, request.GET.get("phase"))
    units = Unit.objects.filter(
        access.scope_filter(access.scope_of(request.user, Capability.SEE_EMULATION))
    )
    unit = None
    if request.GET.get("unit"):
        unit = get_visible(request.user, units, "unit", request.GET["unit"])
    rows = queries.people_standings(request.user, found, phase, unit=unit)
    contents = _contents(found)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"xep-hang-ca-nhan-{phase.pk}",
            phase.name,
            [_("Cluster"), _("Rank"), _("Officer code"), _("Name"), _("Total")]
            + [c.name for c in contents],
            (
                [
                    s.cluster.name if s.cluster else "",
                    s.rank,
                    s.person.officer_code if s.person else "",
                    s.person.full_name if s.person else "",
                    float(s.total),
                    *[s.by_content.get(str(c.pk)) for c in contents],
                ]
                for s in rows.iterator()
            ),
        )
    page = page_of(request, rows)
    form = PeopleFilterForm(initial={"unit": unit}, units=units)
    for standing in page:
        standing.contents = [standing.by_content.get(str(c.pk)) for c in contents]  # type: ignore[attr-defined]
    context = {
        "campaign": found,
        "phase": phase,
        "phases": list(Phase.objects.filter(campaign=found).order_by("starts_on")),
        "contents": contents,
        "page": page,
        "unit": unit,
        "form": form,
    }
    return render(request, "emulation/standings/people.html", context)


@login_required
def unit_page(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """A unit's scores in a phase, criterion by criterion with the numbers behind them."""
    found = get_campaign(request.user, pk)
    phase = queries.get_phase(request.user, found, request.GET.get("phase"))
    scores = queries.unit_scores(request.user, found, phase, unit_pk)
    detail = scores.standing.detail if scores.standing is not None else {}
    criteria = []
    for c in scores.criteria:
        if c.code not in detail:
            continue
        inputs = detail[c.code].get("inputs") or {}
        assessed = inputs.get("status")
        criteria.append(
            {
                "criterion": c,
                "score": detail[c.code],
                "facts": _facts(inputs),
                "initiatives": [
                    i | {"decision_date": _date(i["decision_date"])}
                    for i in inputs.get("initiatives", [])
                ],
                "kpi_values": [
                    v
                    | {
                        "period_start": _date(v["period_start"]),
                        "period_end": _date(v["period_end"]),
                    }
                    for v in inputs.get("values", [])
                ],
                "assessment": inputs if inputs.get("assessment") else None,
                "assessment_status": AssessmentStatus(assessed).label if assessed else "",
                "problem": PROBLEMS.get(detail[c.code].get("problem", "")),
            }
        )
    registrations = Registration.objects.filter(campaign=found, unit=scores.unit).order_by("year")
    names = {c.code: c.name for c in scores.criteria}
    evidence = [
        {"assessment": a, "criterion": names.get(a.criterion_code, a.criterion_code)}
        for a in Assessment.objects.filter(phase=phase, unit=scores.unit).order_by("criterion_code")
    ]
    context = {
        "campaign": found,
        "phase": phase,
        "phases": list(Phase.objects.filter(campaign=found).order_by("starts_on")),
        "unit": scores.unit,
        "standing": scores.standing,
        "contents": [
            {
                "content": c,
                "score": (scores.standing.by_content.get(str(c.pk)) if scores.standing else None),
            }
            for c in scores.contents
        ],
        "criteria": criteria,
        "registrations": registrations,
        "evidence": evidence,
        "show_officers": request.GET.get("officers") == "1",
        "officers": (
            queries.unit_officers(found, phase, scores.unit)
            if request.GET.get("officers") == "1" and scores.standing is not None
            else []
        ),
    }
    return render(request, "emulation/standings/unit.html", context)


#
# Reviews
#


@login_required
def reviews_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's reviews, every version; the secretariat freezes and reopens here."""
    found = get_campaign(request.user, pk)
    listed = list(queries.reviews_of(request.user, found))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"so-ket-tong-ket-{found.pk}",
            _("Reviews"),
            [_("Review"), _("Phase"), _("Version"), _("Frozen at"), _("Reopened at"), _("Reason")],
            (
                [
                    r.get_kind_display(),
                    r.phase.name if r.phase else "",
                    r.version,
                    r.frozen_at,
                    r.superseded_at,
                    r.reopen_reason,
                ]
                for r in listed
            ),
        )
    context = {
        "campaign": found,
        "reviews": listed,
        "phases": list(Phase.objects.filter(campaign=found).order_by("starts_on")),
        "may_manage": may_manage(request.user, found),
    }
    return render(request, "emulation/standings/reviews.html", context)


@login_required
@require_POST
def review_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the interim review of the chosen phase, or the final review."""
    found = get_campaign(request.user, pk)
    kind = request.POST.get("kind", "")
    phase = None
    if kind == ReviewKind.INTERIM:
        phase = Phase.objects.filter(campaign=found, pk=request.POST.get("phase") or 0).first()
    made: list[Review] = []

    def freeze() -> None:
        made.append(
            reviews.freeze(acting_user=acting_user(request), campaign=found, kind=kind, phase=phase)
        )

    if run_action(request, freeze, _("The review is frozen.")):
        return redirect("emulation:review", pk=found.pk, review_pk=made[0].pk)
    return redirect("emulation:reviews", pk=found.pk)


@login_required
@require_POST
def review_reopen(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    """Reopen a review with a reason: its next version is frozen, the old one kept."""
    found = get_campaign(request.user, pk)
    review = queries.get_review(request.user, found, review_pk)
    made: list[Review] = []

    def reopen() -> None:
        made.append(
            reviews.reopen(
                acting_user=acting_user(request),
                review=review,
                reason=request.POST.get("reason", ""),
            )
        )

    if run_action(request, reopen, _("The review is reopened: a new version is frozen.")):
        return redirect("emulation:review", pk=found.pk, review_pk=made[0].pk)
    return redirect("emulation:review", pk=found.pk, review_pk=review.pk)


@login_required
def review_page(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    """A frozen review: ranking by cluster, people, proposals and the criteria as they were."""
    found = get_campaign(request.user, pk)
    review = queries.get_review(request.user, found, review_pk)
    snapshot = review.snapshot
    contents = [
        {"id": c["id"], "name": c["name"], "weight": c["weight"]}
        for c in snapshot.get("contents", [])
    ]
    units = queries.review_units(request.user, review)
    for row in units:
        row["contents"] = [row["by_content"].get(str(c["id"])) for c in contents]
    people = queries.review_people(request.user, review)
    if request.GET.get("format") == "xlsx" and request.GET.get("rows") == "people":
        return xlsx_response(
            f"so-ket-{review.pk}-v{review.version}-ca-nhan",
            _("Individuals"),
            [_("Cluster"), _("Rank"), _("Officer code"), _("Name"), _("Total")]
            + [c["name"] for c in contents],
            (
                [
                    p["cluster"],
                    p["rank"],
                    p["officer_code"],
                    p["name"],
                    p["total"],
                    *[p["by_content"].get(str(c["id"])) for c in contents],
                ]
                for p in people
            ),
        )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"so-ket-{review.pk}-v{review.version}",
            _("Review"),
            [_("Cluster"), _("Rank"), _("Unit"), _("Total"), *[c["name"] for c in contents]],
            ([r["cluster"], r["rank"], r["unit_name"], r["total"], *r["contents"]] for r in units),
        )
    versions = list(
        Review.objects.filter(campaign=found, kind=review.kind, phase=review.phase)
        .defer("snapshot")
        .order_by("version")
    )
    context = {
        "campaign": found,
        "review": review,
        "contents": contents,
        "clusters": _clusters(units),
        "people": people[:200],
        "people_count": len(people),
        "proposals": snapshot.get("proposals", {}),
        "criteria": snapshot.get("criteria", []),
        "content_names": {c["id"]: c["name"] for c in contents},
        "versions": versions,
        "may_manage": may_manage(request.user, found),
    }
    return render(request, "emulation/standings/review.html", context)


urlpatterns: list[URLPattern] = [
    path("<int:pk>/", campaign, name="campaign"),
    path("<int:pk>/people/", people_ranking, name="people_ranking"),
    path("<int:pk>/units/<int:unit_pk>/", unit_page, name="unit"),
    path("<int:pk>/reviews/", reviews_page, name="reviews"),
    path("<int:pk>/reviews/freeze/", review_freeze, name="review_freeze"),
    path("<int:pk>/reviews/<int:review_pk>/", review_page, name="review"),
    path("<int:pk>/reviews/<int:review_pk>/reopen/", review_reopen, name="review_reopen"),
]
