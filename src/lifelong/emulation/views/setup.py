"""Pages of campaign setup: the campaigns, a new campaign, its setup, clusters, criteria editor.

Thin: each view parses the request, calls a query or one service of `services.setup`, and
renders. Only the secretariat over the launching unit sees the setup pages (others get 404);
the list shows the campaigns the user sees and answers `?format=xlsx`.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.exceptions import DomainError, NotFound, ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.lookups import get_visible, refuse
from lifelong.core.pages import acting_user, form_page, put_refusal_on_form, run_action
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
    Phase,
)
from lifelong.emulation.queries import setup as queries
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
    listed = list(rows)
    context = {
        "campaigns": listed,
        "managed": {c.pk for c in listed if may_manage(request.user, c)},
        "may_create": access.has_capability(request.user, Capability.MANAGE_EMULATION),
    }
    return render(request, "emulation/setup/campaigns.html", context)


def _managed_units(request: HttpRequest) -> QuerySet[Unit]:
    roots = access.scope_of(request.user, Capability.MANAGE_EMULATION)
    return Unit.objects.filter(path__in=roots).order_by("sort_key", "code")


def _scope_choices(request: HttpRequest) -> QuerySet[Unit]:
    roots = access.scope_of(request.user, Capability.MANAGE_EMULATION)
    if not roots:
        return Unit.objects.none()
    top = min(Unit.objects.filter(path__in=roots).values_list("depth", flat=True))
    return Unit.objects.filter(
        access.scope_filter(roots), depth__lte=top + 2, valid_to__isnull=True
    ).order_by("path")


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    """Create a campaign in draft (the secretariat)."""
    units = _managed_units(request)
    if not units.exists():
        raise refuse(request.user, "campaign", "new")
    form = CampaignForm(request.POST or None, units=units, scope_choices=_scope_choices(request))

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


def _campaign_form(request: HttpRequest, found: Campaign, data: Any = None) -> CampaignForm:
    return CampaignForm(
        data,
        prefix="campaign",
        units=_managed_units(request),
        scope_choices=_scope_choices(request),
        require_scope=True,
        initial={
            "name": found.name,
            "description": found.description,
            "launching_unit": found.launching_unit_id,
            "scope_units": list(found.scope_units.values_list("pk", flat=True)),
            "starts_on": found.starts_on,
            "ends_on": found.ends_on,
        },
    )


def _phase_form(phase: Phase, data: Any = None) -> PhaseForm:
    return PhaseForm(
        data,
        prefix=f"phase-{phase.pk}",
        initial={"name": phase.name, "starts_on": phase.starts_on, "ends_on": phase.ends_on},
    )


def _content_form(content: Content, data: Any = None) -> ContentForm:
    return ContentForm(
        data,
        prefix=f"content-{content.pk}",
        initial={
            "name": content.name,
            "movement_content": content.movement_content,
            "weight": content.weight,
        },
    )


def _bound_setup_form(
    request: HttpRequest, found: Campaign, part: str
) -> tuple[forms.Form, Callable[[dict[str, Any]], object]] | None:
    """Return the posted form of `part` and the service call that saves it, if it is one."""
    user = acting_user(request)
    data = request.POST
    if part == "campaign":
        return _campaign_form(request, found, data), lambda d: services.update_campaign(
            acting_user=user, campaign=found, **d
        )
    if part == "phase":
        return PhaseForm(data, prefix="phase"), lambda d: services.add_phase(
            acting_user=user, campaign=found, **d
        )
    if part == "content":
        return ContentForm(data, prefix="content"), lambda d: services.add_content(
            acting_user=user, campaign=found, **d
        )
    kind, _sep, key = part.partition("-")
    if kind == "phase" and key.isdigit():
        phase = get_visible(request.user, Phase.objects.filter(campaign=found), "phase", key)
        return _phase_form(phase, data), lambda d: services.update_phase(
            acting_user=user, phase=phase, **d
        )
    if kind == "content" and key.isdigit():
        content = get_visible(request.user, Content.objects.filter(campaign=found), "content", key)
        return _content_form(content, data), lambda d: services.update_content(
            acting_user=user, content=content, **d
        )
    return None


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's setup: its details, phases, contents, clusters and its lifecycle."""
    found = _managed(request, pk)
    posted: tuple[str, forms.Form] | None = None
    status = 200
    if request.method == "POST":
        part = request.POST.get("part", "")
        bound = _bound_setup_form(request, found, part)
        if bound is None:
            raise refuse(request.user, "campaign_part", part)
        form, save = bound
        if form.is_valid():
            try:
                save(form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("emulation:campaign_edit", pk=found.pk)
            except ValidationFailed as refusal:
                put_refusal_on_form(form, refusal)
        posted = (part, form)
        status = 400

    def form_of(part: str, default: forms.Form) -> forms.Form:
        return posted[1] if posted is not None and posted[0] == part else default

    contents = list(Content.objects.filter(campaign=found).order_by("position", "pk"))
    context = {
        "campaign": found,
        "scope_units": found.scope_units.order_by("sort_key", "code"),
        "campaign_form": form_of("campaign", _campaign_form(request, found)),
        "phases": [
            (p, v, form_of(f"phase-{p.pk}", _phase_form(p)))
            for p, v in queries.phases_with_versions(found)
        ],
        "contents": [(c, form_of(f"content-{c.pk}", _content_form(c))) for c in contents],
        "contents_total": sum((c.weight for c in contents), Decimal(0)),
        "clusters": queries.clusters_of(found),
        "phase_form": form_of("phase", PhaseForm(prefix="phase")),
        "content_form": form_of("content", ContentForm(prefix="content")),
        "posted_part": posted[0] if posted is not None else "",
        "is_draft": found.status == CampaignStatus.DRAFT,
        "launch_problems": (
            queries.launch_problems(found) if found.status == CampaignStatus.DRAFT else []
        ),
        "next_statuses": [
            (s, s.label) for s in map(CampaignStatus, services.TRANSITIONS[found.status])
        ],
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


@login_required
@require_POST
def phase_remove(request: HttpRequest, pk: int, phase_pk: int) -> HttpResponse:
    """Remove a phase of a campaign in draft."""
    found = _managed(request, pk)
    phase = get_visible(request.user, Phase.objects.filter(campaign=found), "phase", phase_pk)
    run_action(
        request,
        lambda: services.remove_phase(acting_user=acting_user(request), phase=phase),
        _("The phase is removed."),
    )
    return redirect("emulation:campaign_edit", pk=found.pk)


@login_required
@require_POST
def content_remove(request: HttpRequest, pk: int, content_pk: int) -> HttpResponse:
    """Remove a content of a campaign in draft."""
    found = _managed(request, pk)
    content = get_visible(
        request.user, Content.objects.filter(campaign=found), "content", content_pk
    )
    run_action(
        request,
        lambda: services.remove_content(acting_user=acting_user(request), content=content),
        _("The content is removed."),
    )
    return redirect("emulation:campaign_edit", pk=found.pk)


def _cluster_form(found: Campaign, cluster: Cluster, data: Any = None) -> ClusterForm:
    return ClusterForm(
        data,
        prefix=f"cluster-{cluster.pk}",
        units=queries.scope_units(found),
        initial={
            "name": cluster.name,
            "kind": cluster.kind,
            "units": list(
                ClusterUnit.objects.filter(cluster=cluster).values_list("unit_id", flat=True)
            ),
        },
    )


@login_required
def clusters(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's clusters and blocks: add, change, remove; `?format=xlsx` exports them."""
    found = _managed(request, pk)
    rows = queries.clusters_of(found)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "cum-khoi-thi-dua",
            _("Clusters and blocks"),
            [_("Cluster"), _("Kind"), _("Unit code"), _("Unit")],
            (
                [r.cluster.name, r.cluster.get_kind_display(), u.code, u.name]
                for r in rows
                for u in r.units
            ),
        )
    user = acting_user(request)
    posted: tuple[str, forms.Form] | None = None
    status = 200
    if request.method == "POST":
        part = request.POST.get("part", "")
        form: ClusterForm
        save: Callable[[dict[str, Any]], object]
        if part == "cluster":
            form = ClusterForm(request.POST, prefix="cluster", units=queries.scope_units(found))

            def save(d: dict[str, Any]) -> object:
                return services.add_cluster(acting_user=user, campaign=found, **d)

        else:
            kind, _sep, key = part.partition("-")
            if kind != "cluster" or not key.isdigit():
                raise refuse(request.user, "cluster", part)
            cluster = get_visible(
                request.user, Cluster.objects.filter(campaign=found), "cluster", key
            )
            form = _cluster_form(found, cluster, request.POST)

            def save(d: dict[str, Any]) -> object:
                return services.update_cluster(acting_user=user, cluster=cluster, **d)

        if form.is_valid():
            try:
                save(form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("emulation:clusters", pk=found.pk)
            except ValidationFailed as refusal:
                put_refusal_on_form(form, refusal)
        posted = (part, form)
        status = 400

    def form_of(part: str, default: forms.Form) -> forms.Form:
        return posted[1] if posted is not None and posted[0] == part else default

    context = {
        "campaign": found,
        "clusters": [
            (r, form_of(f"cluster-{r.cluster.pk}", _cluster_form(found, r.cluster))) for r in rows
        ],
        "cluster_form": form_of(
            "cluster", ClusterForm(prefix="cluster", units=queries.scope_units(found))
        ),
        "posted_part": posted[0] if posted is not None else "",
        "is_draft": found.status == CampaignStatus.DRAFT,
        "unplaced": queries.scope_units(found).exclude(
            pk__in=ClusterUnit.objects.filter(campaign=found).values("unit_id")
        ),
    }
    return render(request, "emulation/setup/clusters.html", context, status=status)


@login_required
@require_POST
def cluster_remove(request: HttpRequest, pk: int, cluster_pk: int) -> HttpResponse:
    """Remove a cluster or block of a campaign in draft."""
    found = _managed(request, pk)
    cluster = get_visible(
        request.user, Cluster.objects.filter(campaign=found), "cluster", cluster_pk
    )
    run_action(
        request,
        lambda: services.remove_cluster(acting_user=acting_user(request), cluster=cluster),
        _("The cluster is removed."),
    )
    return redirect("emulation:clusters", pk=found.pk)


# The preview shows the units ranked this high or better in each cluster.
PREVIEW_TOP = 10


def _preview_rows(scores: PhaseScores) -> list[dict[str, Any]]:
    rows = []
    for unit_id, standing in scores.units.items():
        if standing.rank > PREVIEW_TOP:
            continue
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
            initial=queries.criteria_rows(phase), form_kwargs={"contents": contents}, prefix="c"
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
                filled = formset.filled()
                row_problems = {filled[i]: p for i, p in refusal.details.get("rows", {}).items()}
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
        "rows": [(form, row_problems.get(i, [])) for i, form in enumerate(formset.forms)],
        "preview_top": PREVIEW_TOP,
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
    path("<int:pk>/setup/phases/<int:phase_pk>/remove/", phase_remove, name="phase_remove"),
    path(
        "<int:pk>/setup/contents/<int:content_pk>/remove/",
        content_remove,
        name="content_remove",
    ),
    path("<int:pk>/setup/clusters/", clusters, name="clusters"),
    path(
        "<int:pk>/setup/clusters/<int:cluster_pk>/remove/",
        cluster_remove,
        name="cluster_remove",
    ),
    path("<int:pk>/setup/phases/<int:phase_pk>/criteria/", criteria, name="criteria"),
]
