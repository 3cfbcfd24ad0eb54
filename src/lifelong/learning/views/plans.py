"""Pages of learning plans: my plan with its progress, the form, and the unit head's review."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.pages import page_of, run_action
from lifelong.learning.choices import PlanStatus
from lifelong.learning.forms.plans import PlanForm, PlanItemFormSet
from lifelong.learning.forms.selfstudy import ReturnForm
from lifelong.learning.models import LearningPlan
from lifelong.learning.queries import plans as queries
from lifelong.learning.queries.selfstudy import person_of
from lifelong.learning.rules.plans import ItemFacts
from lifelong.learning.services import plans as services
from lifelong.org import access
from lifelong.org.rules import Capability


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def _plan_context(plan: LearningPlan) -> dict[str, Any]:
    items = queries.items_of(plan)
    progress = queries.plan_progress(plan, items)
    return {
        "plan": plan,
        "items": items,
        "progress": progress,
        "percent": int(progress.share * 100),
    }


def _plan_export(plan: LearningPlan) -> HttpResponse:
    context = _plan_context(plan)
    done = context["progress"].done_course_ids
    headers = [
        _("Quarter"),
        _("Course"),
        _("Self-study planned"),
        _("Planned clock hours"),
        _("Done"),
    ]
    rows = [
        [
            i.quarter or "",
            f"{i.course.code} {i.course.title}" if i.course else "",
            i.description,
            i.planned_hours,
            (_("yes") if i.course_id in done else _("no")) if i.course_id else "",
        ]
        for i in context["items"]
    ]
    filename = f"plan-{plan.person.officer_code}-{plan.year}"
    return xlsx_response(filename, _("Learning plan"), headers, rows)


@login_required
def my_plan(request: HttpRequest) -> HttpResponse:
    """Show my learning plan of a year (default this year) and my progress against it."""
    person = person_of(request.user)
    if person is None:
        raise NotFound(_("Not found."))
    year = _year(request)
    plan = queries.my_plan(request.user, year)
    if plan is not None and request.GET.get("format") == "xlsx":
        return _plan_export(plan)
    context: dict[str, Any] = {
        "year": year,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1),
        "default_target": queries.default_target(person, year),
    }
    if plan is not None:
        context.update(_plan_context(plan))
    return render(request, "learning/plans/my_plan.html", context)


def _items(formset: Any) -> list[ItemFacts]:
    items = []
    for form in formset.forms:
        if form.is_blank():
            continue
        data = form.cleaned_data
        course = data.get("course")
        items.append(
            ItemFacts(
                course_id=course.pk if course else None,
                description=data.get("description") or "",
                planned_hours=data["planned_hours"],
                quarter=data.get("quarter"),
            )
        )
    return items


@login_required
def plan_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Write or change my plan for `year`; save it as a draft or submit it."""
    person = person_of(request.user)
    this_year = timezone.localdate().year
    if person is None or not 2000 <= year <= this_year + 1:
        raise NotFound(_("Not found."))
    plan = queries.my_plan(request.user, year)
    if request.method == "POST":
        form = PlanForm(request.POST)
        formset = PlanItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            try:
                saved = services.save_plan(
                    acting_user=request.user,
                    year=year,
                    target_hours=form.cleaned_data["target_hours"],
                    note=form.cleaned_data.get("note") or "",
                    items=_items(formset),
                    submit=request.POST.get("action") == "submit",
                )
                messages.success(
                    request,
                    _("Sent to your unit head.")
                    if saved.status == PlanStatus.SUBMITTED
                    else _("Saved as a draft."),
                )
                return redirect(f"{reverse('learning:my_plan')}?year={year}")
            except ValidationFailed as error:
                fields = error.details.get("fields") or {}
                kept = [f for f in formset.forms if not f.is_blank()]
                for key, errors in fields.items():
                    for message in errors:
                        if key.startswith("items."):
                            index = int(key.split(".")[1])
                            kept[index].add_error(None, message)
                        elif key in form.fields:
                            form.add_error(key, message)
                        else:
                            form.add_error(None, message)
                if not fields:
                    form.add_error(None, error.message)
        status = 400
    else:
        if plan is not None:
            initial = {"target_hours": plan.target_hours, "note": plan.note}
            items = [
                {
                    "course": i.course_id,
                    "description": i.description,
                    "planned_hours": i.planned_hours,
                    "quarter": i.quarter,
                }
                for i in queries.items_of(plan)
            ]
        else:
            initial = {"target_hours": queries.default_target(person, year)}
            items = []
        form = PlanForm(initial=initial)
        formset = PlanItemFormSet(initial=items, prefix="items")
        status = 200
    context = {"form": form, "formset": formset, "year": year, "plan": plan}
    return render(request, "learning/plans/form.html", context, status=status)


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit my plan to my unit head as it stands."""
    plan = queries.access_plan(request.user, pk)
    if plan.person.user_id != request.user.pk:
        raise NotFound(_("Not found."))
    run_action(
        request,
        lambda: services.submit_plan(acting_user=request.user, plan=plan),
        _("Sent to your unit head."),
        refusals=ValidationFailed,
    )
    return redirect(f"{reverse('learning:my_plan')}?year={plan.year}")


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an officer's plan and progress; its unit head agrees or returns it here."""
    plan = queries.access_plan(request.user, pk)
    if request.GET.get("format") == "xlsx":
        return _plan_export(plan)
    context = _plan_context(plan)
    context.update(
        {"reviewer": queries.may_review(request.user, plan), "return_form": ReturnForm()}
    )
    return render(request, "learning/plans/detail.html", context)


@login_required
@require_POST
def plan_agree(request: HttpRequest, pk: int) -> HttpResponse:
    """Agree to a submitted plan (the officer's unit head)."""
    plan = queries.access_plan(request.user, pk)
    run_action(
        request,
        lambda: services.agree_plan(acting_user=request.user, plan=plan),
        _("Plan agreed."),
        refusals=ValidationFailed,
    )
    return redirect("learning:plan_detail", pk=pk)


@login_required
@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a submitted plan with a reason (the officer's unit head)."""
    plan = queries.access_plan(request.user, pk)
    run_action(
        request,
        lambda: services.return_plan(
            acting_user=request.user, plan=plan, reason=request.POST.get("reason", "")
        ),
        _("Returned to the officer."),
        refusals=ValidationFailed,
    )
    return redirect("learning:plan_detail", pk=pk)


@login_required
def plan_approvals(request: HttpRequest) -> HttpResponse:
    """List the plans of the officers of my units, by year and status (XLSX too)."""
    if not (
        access.has_capability(request.user, Capability.APPROVE_LEARNING)
        or access.has_capability(request.user, Capability.SEE_LEARNING)
    ):
        raise NotFound(_("Not found."))
    year = _year(request)
    status = request.GET.get("status", "")
    if status not in PlanStatus.values:
        status = ""
    query = request.GET.get("q", "")[:200]
    rows = queries.plans_visible_to(request.user, year=year, status=status, query=query).exclude(
        person__user_id=request.user.pk or 0
    )
    if request.GET.get("format") == "xlsx":
        headers = [
            _("Officer code"),
            _("Name"),
            _("Unit"),
            _("Year"),
            _("Target (clock hours)"),
            _("Status"),
        ]
        return xlsx_response(
            f"plans-{year}",
            _("Learning plans"),
            headers,
            (
                [
                    p.person.officer_code,
                    p.person.full_name,
                    p.person.unit.name,
                    p.year,
                    p.target_hours,
                    p.get_status_display(),
                ]
                for p in rows.iterator(chunk_size=500)
            ),
        )
    page = page_of(request, rows)
    context = {
        "page": page,
        "year": year,
        "status": status,
        "statuses": PlanStatus.choices,
        "q": query,
    }
    return render(request, "learning/plans/review.html", context)


urlpatterns: list[URLPattern] = [
    path("plans/", my_plan, name="my_plan"),
    path("plans/review/", plan_approvals, name="plan_approvals"),
    path("plans/<int:year>/edit/", plan_edit, name="plan_edit"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/submit/", plan_submit, name="plan_submit"),
    path("plans/<int:pk>/agree/", plan_agree, name="plan_agree"),
    path("plans/<int:pk>/return/", plan_return, name="plan_return"),
]
