"""Pages of assignments: mine, overdue in scope, the training office's rules; notifications.

Thin: each view parses its input, calls one query or service, and renders.
"""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core import notify
from lifelong.core.exceptions import ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.pages import (
    acting_user,
    form_page,
    page_of,
    put_refusal_on_form,
)
from lifelong.learning.forms.assignments import AssignmentRuleForm
from lifelong.learning.models import Assignment
from lifelong.learning.queries import assignments as queries
from lifelong.learning.services import assignments as services
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Unit
from lifelong.org.queries import today


def _xlsx(filename: str, title: str, assignments: Iterable[Assignment]) -> HttpResponse:
    headers = [
        _("Officer"),
        _("Officer code"),
        _("Unit"),
        _("Course"),
        _("Assigned on"),
        _("Due date"),
        _("Status"),
        _("Escalated"),
    ]
    rows = (
        [
            a.person.full_name,
            a.person.officer_code,
            a.person.unit.name,
            a.course.title,
            a.assigned_at,
            a.due_date,
            _status_label(a),
            a.escalated_at,
        ]
        for a in assignments
    )
    return xlsx_response(filename, title, headers, rows)


def _status_label(assignment: Assignment) -> str:
    if getattr(assignment, "is_done", False):
        return _("Done")
    if assignment.due_date < today():
        return _("Overdue")
    return str(assignment.get_status_display())


#
# The officer's assignments
#


@login_required
def my_assignments(request: HttpRequest) -> HttpResponse:
    """List my mandatory learning: open first, by due date; XLSX on request."""
    assignments = queries.list_my_assignments(request.user).select_related("person", "person__unit")
    if request.GET.get("format") == "xlsx":
        return _xlsx("my-assignments", _("My assignments"), assignments)
    rows = list(assignments)
    for a in rows:
        a.status_label = _status_label(a)  # type: ignore[attr-defined]  # for display
    return render(request, "learning/assignments/mine.html", {"assignments": rows})


#
# Overdue assignments in scope (the unit head's view of escalations)
#


@login_required
def overdue_assignments(request: HttpRequest) -> HttpResponse:
    """List the overdue assignments of officers in scope, by due date; XLSX on request."""
    access.require(request.user, Capability.SEE_LEARNING)
    overdue = queries.list_overdue(request.user)
    if request.GET.get("format") == "xlsx":
        return _xlsx("overdue-assignments", _("Overdue assignments"), overdue)
    page = page_of(request, overdue)
    return render(request, "learning/assignments/overdue.html", {"page": page})


#
# The training office's rules
#


@login_required
def assignment_rules(request: HttpRequest) -> HttpResponse:
    """List the rules in scope and define a new one (applied at once); XLSX on request."""
    access.require(request.user, Capability.MANAGE_TRAINING)
    rules = queries.list_rules(request.user)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "assignment-rules",
            _("Assignment rules"),
            [
                _("Name"),
                _("Course"),
                _("Unit"),
                _("Job position"),
                _("Civil-service rank"),
                _("Hired within (days)"),
                _("Due within (days)"),
                _("Due date"),
                _("Active"),
            ],
            (
                [
                    r.name,
                    r.course.title,
                    r.unit.name if r.unit else "",
                    r.job_position.name if r.job_position else "",
                    r.rank.name if r.rank else "",
                    r.new_hires_days,
                    r.due_days,
                    r.due_date,
                    _("yes") if r.is_active else _("no"),
                ]
                for r in rules
            ),
        )
    units = Unit.objects.filter(
        access.scope_filter(access.scope_of(request.user, Capability.MANAGE_TRAINING))
    )
    form = AssignmentRuleForm(request.POST or None, units=units)

    def save() -> HttpResponse:
        data = form.cleaned_data
        rule, made = services.create_rule(
            acting_user=acting_user(request),
            name=data["name"],
            course=data["course"],
            unit=data.get("unit"),
            job_position=data.get("job_position"),
            rank=data.get("rank"),
            new_hires_days=data.get("new_hires_days"),
            due_days=data.get("due_days"),
            due_date=data.get("due_date"),
        )
        messages.success(
            request,
            _("The rule {name} was saved and assigned the course to {n} officers.").format(
                name=rule.name, n=len(made)
            ),
        )
        return redirect("learning:assignment_rules")

    # A refused rule shows the form again with 200, as it always has.
    return form_page(
        request,
        form,
        "learning/assignments/rules.html",
        {"rules": rules},
        save,
        refusals=ValidationFailed,
        on_refusal=put_refusal_on_form,
        invalid_status=200,
    )


@login_required
@require_POST
def assignment_rule_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a rule again: assign its course to the officers who match it now."""
    rule = queries.access_rule(request.user, pk)
    made = services.apply_rule(acting_user=request.user, rule=rule)  # type: ignore[arg-type]
    messages.success(
        request,
        _("The rule {name} assigned the course to {n} more officers.").format(
            name=rule.name, n=len(made)
        ),
    )
    return redirect("learning:assignment_rules")


@login_required
@require_POST
def assignment_rule_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate a rule (it assigns nobody more) or activate it again."""
    rule = queries.access_rule(request.user, pk)
    active = request.POST.get("active") == "1"
    services.set_rule_active(acting_user=request.user, rule=rule, active=active)  # type: ignore[arg-type]
    if active:
        messages.success(request, _("The rule {name} is active again.").format(name=rule.name))
    else:
        messages.success(
            request,
            _("The rule {name} no longer assigns its course; what it assigned stays.").format(
                name=rule.name
            ),
        )
    return redirect("learning:assignment_rules")


#
# Notifications
#


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """List my notifications, newest first, unread ones marked."""
    page = page_of(request, notify.list_notifications(request.user))
    return render(
        request,
        "learning/assignments/notifications.html",
        {"page": page, "unread": notify.unread_count(request.user)},
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read, then follow its link (or go back to the list)."""
    notification = notify.mark_read(acting_user=request.user, notification_id=pk)  # type: ignore[arg-type]
    target = notification.link
    if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, None):
        return redirect(target)
    return redirect("learning:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notification of mine read."""
    notify.mark_all_read(acting_user=request.user)  # type: ignore[arg-type]  # login_required
    return redirect("learning:notifications")


urlpatterns = [
    path("assignments/mine/", my_assignments, name="my_assignments"),
    path("assignments/overdue/", overdue_assignments, name="overdue_assignments"),
    path("assignments/rules/", assignment_rules, name="assignment_rules"),
    path("assignments/rules/<int:pk>/apply/", assignment_rule_apply, name="assignment_rule_apply"),
    path(
        "assignments/rules/<int:pk>/active/", assignment_rule_active, name="assignment_rule_active"
    ),
    path("notifications/", notifications, name="notifications"),
    path("notifications/<int:pk>/read/", notification_read, name="notification_read"),
    path("notifications/read-all/", notifications_read_all, name="notifications_read_all"),
]
