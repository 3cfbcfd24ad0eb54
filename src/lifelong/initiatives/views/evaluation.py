"""Pages of the councils' work: councils and members, the queue, the evaluation, proposals.

Thin: each view parses the request, calls one query or service, and renders. A refused form
is shown again, as typed, with the service's message (400). `panel_context` is what an
initiative's page shows of its evaluations.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.pages import acting_user, form_page, page_of, put_refusal_on_form, render_page
from lifelong.initiatives import rules
from lifelong.initiatives.choices import (
    CouncilLevel,
    EvaluationStatus,
    InitiativeStatus,
    Level,
    MemberRole,
)
from lifelong.initiatives.forms.evaluation import (
    CouncilEditForm,
    CouncilForm,
    DissolveForm,
    MemberForm,
    MemberRoleForm,
    ProposeForm,
    RecogniseForm,
    RefuseForm,
    ReturnForm,
    ScoreForm,
    VoteForm,
)
from lifelong.initiatives.models import Council, Evaluation, Initiative
from lifelong.initiatives.queries import evaluation as queries
from lifelong.initiatives.queries.scope import get_initiative
from lifelong.initiatives.services import councils as council_services
from lifelong.initiatives.services import evaluation as services
from lifelong.initiatives.services.common import PROBLEM_MESSAGES
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Unit

#
# Councils
#


def _posted(request: HttpRequest) -> Any:
    """Return the posted data for a bound form, or None to show an unbound one."""
    return request.POST if request.method == "POST" else None


def _manages(request: HttpRequest) -> bool:
    return access.has_capability(request.user, Capability.MANAGE_INITIATIVES)


def _export_councils(rows: QuerySet[Council]) -> HttpResponse:
    headers = [
        _("Council name"),
        _("Council level"),
        _("Unit"),
        _("Established on"),
        _("Decision number"),
        _("Dissolved on"),
        _("Members"),
    ]
    return xlsx_response(
        "initiative-councils",
        _("Initiative councils"),
        headers,
        (
            [
                c.name,
                c.get_level_display(),
                c.unit.name,
                c.established_on,
                c.decision_number,
                c.dissolved_on,
                getattr(c, "n_members", 0),
            ]
            for c in rows
        ),
    )


@login_required
def councils(request: HttpRequest) -> HttpResponse:
    """List the councils the user manages or sits on; by level, in office or all."""
    level = request.GET.get("level", "")
    if level not in CouncilLevel.values:
        level = ""
    everything = request.GET.get("all") == "1"
    on = None if everything else timezone.localdate()
    rows = queries.councils_visible_to(request.user, level=level, active_on=on)
    if request.GET.get("format") == "xlsx":
        return _export_councils(rows)
    context = {
        "page": page_of(request, rows),
        "level": level,
        "levels": CouncilLevel.choices,
        "everything": everything,
        "manages": _manages(request),
    }
    return render_page(request, "initiatives/evaluation/councils.html", context, partial="rows")


def _managed_units(request: HttpRequest) -> QuerySet[Unit]:
    roots = access.scope_of(request.user, Capability.MANAGE_INITIATIVES)
    return Unit.objects.filter(access.scope_filter(roots)).order_by("path")


@login_required
def council_create(request: HttpRequest) -> HttpResponse:
    """Set up a council (the emulation secretariat)."""
    access.require(request.user, Capability.MANAGE_INITIATIVES)
    units = _managed_units(request)
    form = CouncilForm(_posted(request), units=units)

    def save() -> HttpResponse:
        data = form.cleaned_data
        council = council_services.create_council(
            acting_user=acting_user(request),
            name=data["name"],
            level=data["level"],
            unit=data["unit"],
            established_on=data["established_on"],
            decision_number=data["decision_number"],
        )
        messages.success(request, _("The council is set up: now seat its members."))
        return redirect("initiatives:council", pk=council.pk)

    return form_page(
        request,
        form,
        "initiatives/evaluation/council_form.html",
        {"council": None},
        save,
        refusals=ValidationFailed,
        on_refusal=put_refusal_on_form,
    )


def _managed_council(request: HttpRequest, pk: int) -> Council:
    council = queries.get_council(request.user, pk)
    if not queries.may_manage(request.user, council):
        raise NotFound(_("Not found."))
    return council


@login_required
def council_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a council's name, establishment date or decision (the secretariat)."""
    council = _managed_council(request, pk)
    initial = {
        "name": council.name,
        "established_on": council.established_on,
        "decision_number": council.decision_number,
    }
    form = CouncilEditForm(_posted(request), initial=initial)

    def save() -> HttpResponse:
        data = form.cleaned_data
        council_services.update_council(
            acting_user=acting_user(request),
            council=council,
            name=data["name"],
            established_on=data["established_on"],
            decision_number=data["decision_number"],
        )
        messages.success(request, _("Saved."))
        return redirect("initiatives:council", pk=council.pk)

    return form_page(
        request,
        form,
        "initiatives/evaluation/council_form.html",
        {"council": council},
        save,
        refusals=ValidationFailed,
        on_refusal=put_refusal_on_form,
    )


def _council_page(
    request: HttpRequest,
    council: Council,
    *,
    bound: Mapping[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    manages = queries.may_manage(request.user, council)
    forms_ = {"member_form": MemberForm(), "dissolve_form": DissolveForm(), **(bound or {})}
    context = {
        "council": council,
        "members": queries.members_of(council),
        "evaluations": queries.council_evaluations(request.user, council)[:100],
        "manages": manages and council.dissolved_on is None,
        "roles": MemberRole.choices,
        **forms_,
    }
    return render(request, "initiatives/evaluation/council.html", context, status=status)


@login_required
def council(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a council: its members, and the evaluations the user may see."""
    return _council_page(request, queries.get_council(request.user, pk))


def _council_action(
    request: HttpRequest,
    council: Council,
    name: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Validate `form`, call the service; redirect with `success`, or show the refusal (400)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationFailed as refusal:
            put_refusal_on_form(form, refusal)
        else:
            messages.success(request, success)
            return redirect("initiatives:council", pk=council.pk)
    return _council_page(request, council, bound={name: form}, status=400)


@login_required
@require_POST
def council_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Seat an officer on the council, by officer code (the secretariat)."""
    council = _managed_council(request, pk)
    form = MemberForm(request.POST)

    def call(data: dict[str, Any]) -> object:
        person = (
            access.people_visible_to(request.user)
            .filter(officer_code=data["officer_code"].strip())
            .first()
        )
        if person is None:
            message = _("No officer of your units has this code.")
            raise ValidationFailed(message, fields={"officer_code": [message]})
        return council_services.add_member(
            acting_user=acting_user(request), council=council, person=person, role=data["role"]
        )

    return _council_action(
        request, council, "member_form", form, call, _("The officer sits on the council.")
    )


@login_required
@require_POST
def council_member_role(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    """Give a member another role (the secretariat)."""
    council = _managed_council(request, pk)
    member = queries.members_of(council).filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("Not found."))
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the member's role."))
        return redirect("initiatives:council", pk=council.pk)
    try:
        council_services.change_member_role(
            acting_user=acting_user(request),
            council=council,
            member=member,
            role=form.cleaned_data["role"],
        )
    except ValidationFailed as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("initiatives:council", pk=council.pk)


@login_required
@require_POST
def council_member_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    """Take a member off the council (the secretariat)."""
    council = _managed_council(request, pk)
    member = queries.members_of(council).filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("Not found."))
    try:
        council_services.remove_member(
            acting_user=acting_user(request), council=council, member=member
        )
    except ValidationFailed as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The member is off the council."))
    return redirect("initiatives:council", pk=council.pk)


@login_required
@require_POST
def council_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Dissolve the council on a date (the secretariat)."""
    council = _managed_council(request, pk)
    form = DissolveForm(request.POST)
    return _council_action(
        request,
        council,
        "dissolve_form",
        form,
        lambda data: council_services.dissolve_council(
            acting_user=acting_user(request), council=council, dissolved_on=data["dissolved_on"]
        ),
        _("The council is dissolved."),
    )


#
# The queue
#


def _export_queue(rows: QuerySet[Evaluation]) -> HttpResponse:
    headers = [
        _("Initiative"),
        _("Unit"),
        _("Recognition level"),
        _("Council"),
        _("Opened on"),
        _("Members who scored"),
        _("My score"),
    ]
    yes, no = _("Scored"), _("Not scored")
    return xlsx_response(
        "initiative-queue",
        _("Initiatives to evaluate"),
        headers,
        (
            [
                e.initiative.title,
                e.initiative.unit.name,
                e.get_level_display(),
                e.council.name,
                timezone.localdate(e.opened_at),
                getattr(e, "n_scores", 0),
                yes if getattr(e, "scored_by_me", False) else no,
            ]
            for e in rows
        ),
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The council member's queue: open evaluations of their councils (the secretariat: units)."""
    query = request.GET.get("q", "")[:200]
    units = request.GET.get("scope") == "units" and _manages(request)
    if units:
        rows = queries.unit_queue(request.user, query=query)
    else:
        rows = queries.queue(request.user, query=query)
    if request.GET.get("format") == "xlsx":
        return _export_queue(rows)
    context = {
        "page": page_of(request, rows),
        "q": query,
        "units": units,
        "manages": _manages(request),
    }
    return render_page(request, "initiatives/evaluation/queue.html", context, partial="rows")


#
# One evaluation
#


def _reasons(tally: rules.Tally) -> list[str]:
    return [str(PROBLEM_MESSAGES[r]) for r in tally.reasons]


def _score_form(sheet: queries.EvaluationSheet, data: Any = None) -> ScoreForm:
    mine = sheet.my_score
    initial = (
        {
            "novelty": mine.novelty,
            "application": mine.application,
            "benefit": mine.benefit,
            "excluded": mine.excluded,
            "comment": mine.comment,
        }
        if mine is not None
        else {}
    )
    return ScoreForm(data, criteria=sheet.criteria, initial=initial)


def _evaluation_page(
    request: HttpRequest,
    evaluation: Evaluation,
    *,
    bound: Mapping[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    sheet = queries.evaluation_sheet(request.user, evaluation)
    initiative = evaluation.initiative
    authors = list(queries.authors_of(initiative))
    is_author = sheet.seat is not None and any(a.person_id == sheet.seat.person_id for a in authors)
    is_open = evaluation.status == EvaluationStatus.OPEN
    vote_initial = (
        {
            "in_favour": evaluation.votes_for,
            "against": evaluation.votes_against,
            "abstain": evaluation.votes_abstain,
            "voted_on": evaluation.voted_on,
        }
        if evaluation.votes_for is not None
        else None
    )
    forms_: dict[str, forms.Form] = {
        "score_form": _score_form(sheet),
        "vote_form": VoteForm(initial=vote_initial) if vote_initial else VoteForm(),
        "recognise_form": RecogniseForm(),
        "refuse_form": RefuseForm(),
        "return_form": ReturnForm(),
        **(bound or {}),
    }
    recognition = getattr(evaluation, "recognition", None) if not is_open else None
    context = {
        "e": evaluation,
        "initiative": initiative,
        "authors": authors,
        "sheet": sheet,
        "reasons": _reasons(sheet.tally),
        "is_open": is_open,
        "may_score": is_open and sheet.seat is not None and not is_author,
        "is_author": is_author,
        "decides": is_open and sheet.officer,
        "may_return": is_open and sheet.officer and initiative.status == InitiativeStatus.SUBMITTED,
        "recognition": recognition,
        **forms_,
    }
    return render(request, "initiatives/evaluation/evaluation.html", context, status=status)


@login_required
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an evaluation to its council and the secretariat: the case, scores, tally, forms."""
    return _evaluation_page(request, queries.get_evaluation(request.user, pk))


def _evaluation_action(
    request: HttpRequest,
    evaluation: Evaluation,
    name: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Validate `form`, call the service; redirect with `success`, or show the refusal (400)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationFailed as refusal:
            put_refusal_on_form(form, refusal)
        else:
            messages.success(request, success)
            return redirect("initiatives:evaluation", pk=evaluation.pk)
    return _evaluation_page(request, evaluation, bound={name: form}, status=400)


@login_required
@require_POST
def evaluation_score(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or change the acting member's score."""
    evaluation = queries.get_evaluation(request.user, pk)
    criteria = queries.policy_rule(evaluation.policy).criteria
    form = ScoreForm(request.POST, criteria=criteria)
    return _evaluation_action(
        request,
        evaluation,
        "score_form",
        form,
        lambda d: services.score_evaluation(
            acting_user=acting_user(request),
            evaluation=evaluation,
            novelty=d["novelty"],
            application=d["application"],
            benefit=d["benefit"],
            excluded=d["excluded"],
            comment=d["comment"],
        ),
        _("Your score is saved."),
    )


@login_required
@require_POST
def evaluation_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the council's vote (the chair or the secretary)."""
    evaluation = queries.get_evaluation(request.user, pk)
    return _evaluation_action(
        request,
        evaluation,
        "vote_form",
        VoteForm(request.POST),
        lambda d: services.record_vote(
            acting_user=acting_user(request),
            evaluation=evaluation,
            in_favour=d["in_favour"],
            against=d["against"],
            abstain=d["abstain"],
            voted_on=d["voted_on"],
        ),
        _("The vote is recorded."),
    )


@login_required
@require_POST
def evaluation_recognise(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the decision recognising the initiative (the chair or the secretary)."""
    evaluation = queries.get_evaluation(request.user, pk)
    return _evaluation_action(
        request,
        evaluation,
        "recognise_form",
        RecogniseForm(request.POST),
        lambda d: services.recognise_initiative(
            acting_user=acting_user(request),
            evaluation=evaluation,
            decision_number=d["decision_number"],
            decision_date=d["decision_date"],
            authority=d["authority"],
        ),
        _("The initiative is recognised."),
    )


@login_required
@require_POST
def evaluation_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the decision not to recognise the initiative (the chair or the secretary)."""
    evaluation = queries.get_evaluation(request.user, pk)
    return _evaluation_action(
        request,
        evaluation,
        "refuse_form",
        RefuseForm(request.POST),
        lambda d: services.refuse_initiative(
            acting_user=acting_user(request), evaluation=evaluation, reasons=d["reasons"]
        ),
        _("The decision not to recognise it is recorded."),
    )


@login_required
@require_POST
def evaluation_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the initiative to its authors for changes (the chair or the secretary)."""
    evaluation = queries.get_evaluation(request.user, pk)
    return _evaluation_action(
        request,
        evaluation,
        "return_form",
        ReturnForm(request.POST),
        lambda d: services.return_initiative(
            acting_user=acting_user(request), evaluation=evaluation, reason=d["reason"]
        ),
        _("Returned to the authors."),
    )


#
# Proposals to the next level
#


def _may_propose(request: HttpRequest, initiative: Initiative) -> bool:
    return (
        initiative.status == InitiativeStatus.RECOGNISED
        and rules.next_level(initiative.level or None) is not None
        and access.in_scope(request.user, Capability.MANAGE_INITIATIVES, initiative.unit)
    )


@login_required
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose a recognised initiative to the next level's council (the secretariat)."""
    initiative = get_initiative(request.user, pk)
    if not access.in_scope(request.user, Capability.MANAGE_INITIATIVES, initiative.unit):
        raise NotFound(_("Not found."))
    target = rules.next_level(initiative.level or None) or ""
    councils_ = queries.proposal_councils(initiative, target, timezone.localdate())
    form = ProposeForm(_posted(request), councils=councils_)

    def save() -> HttpResponse:
        opened = services.propose_next_level(
            acting_user=acting_user(request),
            initiative=initiative,
            council=form.cleaned_data["council"],
        )
        messages.success(request, _("Proposed to the council."))
        return redirect("initiatives:evaluation", pk=opened.pk)

    context = {
        "initiative": initiative,
        "target": Level(target).label if target else "",
        "may_propose": _may_propose(request, initiative),
    }
    return form_page(
        request,
        form,
        "initiatives/evaluation/propose.html",
        context,
        save,
        refusals=ValidationFailed,
        on_refusal=put_refusal_on_form,
    )


#
# The panel on an initiative's page
#


def panel_context(request: HttpRequest, initiative: Initiative) -> dict[str, object]:
    """Return what the initiative's page shows of its evaluations (the page checked access).

    Each evaluation's level, council, status, outcome and reasons; the members' scores and the
    tally only to the council's members and the secretariat; a "score it" link for members of
    the open evaluation's council, and "propose to the next level" for the secretariat.
    """
    manages = access.in_scope(request.user, Capability.MANAGE_INITIATIVES, initiative.unit)
    rows: list[dict[str, Any]] = []
    open_now: Evaluation | None = None
    for e in queries.evaluations_of(initiative):
        if e.status == EvaluationStatus.OPEN:
            open_now = e
        seat = queries.membership(request.user, e.council)
        sees = manages or seat is not None
        sheet = queries.evaluation_sheet(request.user, e) if sees else None
        rows.append(
            {
                "e": e,
                "sheet": sheet,
                "reasons": _reasons(sheet.tally) if sheet is not None else [],
                "member": seat is not None,
                "link": sees,
                "recognition": getattr(e, "recognition", None),
            }
        )
    target = rules.next_level(initiative.level or None)
    return {
        "evaluation_panel": {
            "rows": rows,
            "current": open_now,
            "may_propose": open_now is None and _may_propose(request, initiative),
            "next_level": Level(target).label if target else "",
            "propose_url": reverse("initiatives:propose", args=[initiative.pk]),
        }
    }


urlpatterns: list[URLPattern] = [
    path("councils/", councils, name="councils"),
    path("councils/new/", council_create, name="council_create"),
    path("councils/<int:pk>/", council, name="council"),
    path("councils/<int:pk>/edit/", council_edit, name="council_edit"),
    path("councils/<int:pk>/members/", council_member_add, name="council_member_add"),
    path(
        "councils/<int:pk>/members/<int:member_id>/role/",
        council_member_role,
        name="council_member_role",
    ),
    path(
        "councils/<int:pk>/members/<int:member_id>/remove/",
        council_member_remove,
        name="council_member_remove",
    ),
    path("councils/<int:pk>/dissolve/", council_dissolve, name="council_dissolve"),
    path("queue/", queue, name="queue"),
    path("evaluations/<int:pk>/", evaluation, name="evaluation"),
    path("evaluations/<int:pk>/score/", evaluation_score, name="evaluation_score"),
    path("evaluations/<int:pk>/vote/", evaluation_vote, name="evaluation_vote"),
    path("evaluations/<int:pk>/recognise/", evaluation_recognise, name="evaluation_recognise"),
    path("evaluations/<int:pk>/refuse/", evaluation_refuse, name="evaluation_refuse"),
    path("evaluations/<int:pk>/return/", evaluation_return, name="evaluation_return"),
    path("<int:pk>/propose/", propose, name="propose"),
]
