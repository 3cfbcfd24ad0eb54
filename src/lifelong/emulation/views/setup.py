"""Pages of campaign setup: the campaigns, a new campaign, its setup page, the criteria editor.

Thin: each view parses the request, calls a query or one service of `services.setup`, and
renders. Only the secretariat over the launching unit sees the setup pages (others get 404);
the list shows the campaigns the user sees and answers `?format=xlsx`.
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.exceptions import DomainError, NotFound, ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.lookups import get_visible, refuse
from lifelong.core.pages import acting_user, form_page, run_action
from lifelong.emulation.choices import CampaignStatus
from lifelong.emulation.forms.setup import (
    BaseCriteriaFormSet,
    CampaignForm,
    ClusterForm,
    ContentForm,
    CriteriaFormSet,
    PhaseForm,
    VersionNoteForm,
)
from lifelong.emulation.models import (
    Campaign,
    Cluster,
    ClusterUnit,
    Content,
    CriteriaVersion,
    Criterion,
    Phase,
)
from lifelong.emulation.queries.scope import get_campaign, may_manage, visible_campaigns
from lifelong.emulation.services import setup as services
from lifelong.emulation.services.scoring import PhaseScores
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Unit


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    """List the campaigns the user sees, newest first."""
    rows = visible_campaigns(request.user).order_by("-starts_on", "sort_key")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "phong-trao-thi-dua",
            _("Emulation campaigns"),
            [_("Campaign"), _("Launching unit"), _("Status"), _("Starts on"), _("Ends on")],
            (
                [
                    c.name,
                    c.launching_unit.name,
                    c.get_status_display(),
                    c.starts_on.strftime("%d/%m/%Y"),
                    c.ends_on.strftime("%d/%m/%Y"),
                ]
                for c in rows
            ),
        )
    context = {
        "campaigns": rows,
        "may_create": access.has_capability(request.user, Capability.MANAGE_EMULATION),
    }
    return render(request, "emulation/setup/campaigns.html", context)


def _managed_units(request: HttpRequest) -> Any:
    roots = access.scope_of(request.user, Capability.MANAGE_EMULATION)
    return Unit.objects.filter(path__in=roots).order_by("path")


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    """Create a campaign in draft (the secretariat)."""
    units = _managed_units(request)
    if not units.exists():
        raise refuse(request.user, "campaign", "new")
    form = CampaignForm(request.POST or None, units=units)

    def save() -> HttpResponse:
        data = form.cleaned_data
        made = services.create_campaign(acting_user=acting_user(request), **data)
        messages.success(request, _("The campaign is created in draft."))
        return redirect("emulation:campaign_edit", pk=made.pk)

    return form_page(request, form, "emulation/setup/campaign_new.html", {}, save)


def _managed(request: HttpRequest, pk: int) -> Campaign:
    found = get_campaign(request.user, pk)
    if not may_manage(request.user, found):
        raise refuse(request.user, "campaign", pk)
    return found


def _scope_units(campaign: Campaign) -> Any:
    roots = list(campaign.scope_units.values_list("path", flat=True))
    return Unit.objects.filter(access.scope_filter(roots), depth__lte=2, valid_to__isnull=True)


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's setup: phases, contents, clusters, criteria and its lifecycle."""
    found = _managed(request, pk)
    forms = {
        "phase": PhaseForm(prefix="phase"),
        "content": ContentForm(prefix="content"),
        "cluster": ClusterForm(prefix="cluster", units=_scope_units(found)),
    }
    status = 200
    if request.method == "POST":
        part = request.POST.get("part", "")
        if part in forms:
            bound = (
                ClusterForm(request.POST, prefix="cluster", units=_scope_units(found))
                if part == "cluster"
                else {"phase": PhaseForm, "content": ContentForm}[part](request.POST, prefix=part)
            )
            forms[part] = bound
            if bound.is_valid():
                try:
                    adders: dict[str, Any] = {
                        "phase": services.add_phase,
                        "content": services.add_content,
                        "cluster": services.add_cluster,
                    }
                    adders[part](
                        acting_user=acting_user(request), campaign=found, **bound.cleaned_data
                    )
                    messages.success(request, _("Saved."))
                    return redirect("emulation:campaign_edit", pk=found.pk)
                except ValidationFailed as refusal:
                    bound.add_error(None, refusal.message)
            status = 400
    phases = list(Phase.objects.filter(campaign=found).order_by("starts_on"))
    versions = {
        v.phase_id: v for v in CriteriaVersion.objects.filter(phase__in=phases).order_by("number")
    }
    clusters = [
        (c, [m.unit for m in ClusterUnit.objects.filter(cluster=c).select_related("unit")])
        for c in Cluster.objects.filter(campaign=found).order_by("name")
    ]
    context = {
        "campaign": found,
        "phases": [(p, versions.get(p.pk)) for p in phases],
        "contents": Content.objects.filter(campaign=found).order_by("position"),
        "clusters": clusters,
        "next_statuses": [
            (s, s.label) for s in map(CampaignStatus, services.TRANSITIONS[found.status])
        ],
        **{f"{k}_form": v for k, v in forms.items()},
    }
    return render(request, "emulation/setup/campaign_edit.html", context, status=status)


@login_required
@require_POST
def campaign_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the campaign to the next status of its lifecycle."""
    found = _managed(request, pk)
    status = request.POST.get("status", "")
    run_action(
        request,
        lambda: services.change_status(
            acting_user=acting_user(request), campaign=found, status=status
        ),
        _("The campaign's status is changed."),
    )
    return redirect("emulation:campaign_edit", pk=found.pk)


def _initial_rows(phase: Phase) -> list[dict[str, Any]]:
    version = CriteriaVersion.objects.filter(phase=phase).order_by("-number").first()
    if version is None:
        return []
    return [
        {
            "content": c.content_id,
            "code": c.code,
            "name": c.name,
            "subject": c.subject,
            "metric": c.metric,
            "kpi": c.kpi_id,
            "kind": c.kind,
            "weight": c.weight,
            "target": c.target,
            "cap": c.cap,
            "steps": "; ".join(f"{b:g}:{p:g}" for b, p in c.steps or ()),
            "lower_is_better": c.lower_is_better,
            "normalisation": c.normalisation,
        }
        for c in Criterion.objects.filter(version=version).order_by("position")
    ]


def _preview_rows(scores: PhaseScores) -> list[dict[str, Any]]:
    rows = []
    for unit_id, standing in scores.units.items():
        competitor = scores.where.competitors[unit_id]
        rows.append(
            {
                "cluster": competitor.cluster_name,
                "unit": competitor.name,
                "code": competitor.code,
                "rank": standing.rank,
                "of": standing.of,
                "total": standing.total,
                "points": [
                    standing.scores[c.code].points if c.code in standing.scores else None
                    for c in scores.criteria
                ],
            }
        )
    rows.sort(key=lambda r: (r["cluster"], r["rank"], r["unit"]))
    return rows


@login_required
def criteria(request: HttpRequest, pk: int, phase_pk: int) -> HttpResponse:
    """Edit a phase's criteria: preview the scores they give, or save them as a new version."""
    found = _managed(request, pk)
    phase = get_visible(request.user, Phase.objects.filter(campaign=found), "phase", phase_pk)
    contents = Content.objects.filter(campaign=found).order_by("position")
    formset = cast(
        BaseCriteriaFormSet,
        CriteriaFormSet(request.POST, form_kwargs={"contents": contents}, prefix="c")
        if request.method == "POST"
        else CriteriaFormSet(
            initial=_initial_rows(phase), form_kwargs={"contents": contents}, prefix="c"
        ),
    )
    note = VersionNoteForm(request.POST or None)
    preview: PhaseScores | None = None
    problem = ""
    row_problems: dict[int, list[str]] = {}
    status = 200
    if request.method == "POST":
        if formset.is_valid() and note.is_valid():
            try:
                if "save" in request.POST:
                    version = services.save_criteria(
                        acting_user=acting_user(request),
                        phase=phase,
                        rows=formset.inputs(),
                        note=note.cleaned_data["note"],
                    )
                    messages.success(
                        request,
                        _("Criteria version {n} saved.").format(n=version.number),
                    )
                    return redirect("emulation:criteria", pk=found.pk, phase_pk=phase.pk)
                preview = services.preview_criteria(
                    acting_user=acting_user(request), phase=phase, rows=formset.inputs()
                )
            except NotFound:
                raise
            except DomainError as refusal:
                problem = refusal.message
                row_problems = refusal.details.get("rows", {})
                status = 400
        else:
            problem = _("Correct the rows marked below.")
            status = 400
    context = {
        "campaign": found,
        "phase": phase,
        "formset": formset,
        "note_form": note,
        "problem": problem,
        "row_problems": [(i + 1, p) for i, p in sorted(row_problems.items())],
        "preview": _preview_rows(preview) if preview is not None else None,
        "preview_criteria": preview.criteria if preview is not None else [],
        "versions": CriteriaVersion.objects.filter(phase=phase).order_by("-number"),
    }
    return render(request, "emulation/setup/criteria.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("", campaigns, name="campaigns"),
    path("new/", campaign_new, name="campaign_new"),
    path("<int:pk>/setup/", campaign_edit, name="campaign_edit"),
    path("<int:pk>/setup/status/", campaign_status, name="campaign_status"),
    path("<int:pk>/setup/phases/<int:phase_pk>/criteria/", criteria, name="criteria"),
]
