"""Home pages by role, the administrators' area, the audit log and the error pages."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from lifelong.core.audit import Action
from lifelong.core.exceptions import NotFound
from lifelong.core.models import AuditEvent
from lifelong.org import access
from lifelong.org.models import Person, Unit
from lifelong.org.rules import Capability


def _administrator_or_404(request: HttpRequest) -> None:
    if not access.has_capability(request.user, Capability.ADMINISTER):
        raise NotFound(_("Not found."))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show each role what it works on: the units in scope, one's own record."""
    user = request.user
    person = (
        Person.objects.filter(user_id=user.pk).select_related("unit", "job_position").first()
        if user.pk is not None
        else None
    )
    roots = access.granted_roots(user, Capability.SEE_UNITS)
    scope_units = list(
        Unit.objects.filter(path__in=roots).order_by("sort_key") if roots else Unit.objects.none()
    )
    people_count = (
        access.people_visible_to(user).count()
        if access.has_capability(user, Capability.SEE_PEOPLE)
        else None
    )
    return render(
        request,
        "web/home.html",
        {
            "person": person,
            "scope_units": scope_units,
            "people_count": people_count,
            "roles": sorted(access.roles_of(user)),
            "is_admin": access.has_capability(user, Capability.ADMINISTER),
            "may_see_learning": access.has_capability(user, Capability.SEE_LEARNING),
            "may_approve": access.has_capability(user, Capability.APPROVE_LEARNING),
            "may_manage_training": access.has_capability(user, Capability.MANAGE_TRAINING),
        },
    )


@login_required
def admin_home(request: HttpRequest) -> HttpResponse:
    """The administrators' area: audit log, imports, the operators' admin."""
    _administrator_or_404(request)
    return render(request, "web/admin_home.html", {})


AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """List audit events with filters: who, what action, which target, when."""
    _administrator_or_404(request)
    events = AuditEvent.objects.select_related("actor")
    filters: dict[str, Any] = {
        "actor": request.GET.get("actor", "").strip(),
        "action": request.GET.get("action", "").strip(),
        "target": request.GET.get("target", "").strip(),
        "since": request.GET.get("since", "").strip(),
        "until": request.GET.get("until", "").strip(),
    }
    errors: list[str] = []
    if filters["actor"]:
        events = events.filter(actor_name__icontains=filters["actor"])
    if filters["action"]:
        events = events.filter(action=filters["action"])
    if filters["target"]:
        events = events.filter(target_label__icontains=filters["target"]) | events.filter(
            target_id=filters["target"]
        )
    for key, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        if filters[key]:
            value = _parse_ui_date(filters[key])
            if value is None:
                errors.append(_("Dates are written dd/mm/yyyy."))
            else:
                events = events.filter(**{lookup: value})
    page = Paginator(events.order_by("-at", "-id"), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "web/audit_log.html",
        {
            "page": page,
            "filters": filters,
            "errors": errors,
            "actions": sorted(
                {*Action.values, *AuditEvent.objects.values_list("action", flat=True).distinct()}
            ),
        },
    )


def _parse_ui_date(text: str) -> Any:
    parts = text.split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        text = f"{parts[2]}-{parts[1].zfill(2)}-{parts[0].zfill(2)}"
    try:
        return parse_date(text)
    except ValueError:
        return None


#
# Error pages: a clear message in the user's language, never a stack trace
#


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    response = render(request, "web/error.html", {"title": title, "message": message})
    response.status_code = status
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: the request could not be understood."""
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: used for CSRF failures; scope refusals answer 404."""
    return _error(
        request,
        403,
        _("Not allowed"),
        _("This action is not allowed. If you submitted a form, reload the page and try again."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: missing, or not visible to this account (never told apart)."""
    return _error(
        request,
        404,
        _("Page not found"),
        _("This page does not exist, or your account may not see it."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the request context, which may be what failed."""
    return _error(
        request, 500, _("Server error"), _("Something went wrong; nothing you saved was lost.")
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form whose CSRF token is missing or stale."""
    return permission_denied(request)
