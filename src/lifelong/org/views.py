"""Pages of the organisation: the unit tree, a unit with its people, a person."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.middleware import HtmxDetails

from lifelong.org import access, queries
from lifelong.org.choices import PersonStatus, PositionGroup
from lifelong.org.models import Unit
from lifelong.org.rules import Capability

PEOPLE_PAGE_SIZE = 25


@login_required
def unit_index(request: HttpRequest) -> HttpResponse:
    """Open the user's top unit, or list them when the user has several."""
    roots = access.granted_roots(request.user, Capability.SEE_UNITS)
    units = list(Unit.objects.filter(path__in=roots).order_by("sort_key")) if roots else []
    if len(units) == 1:
        return redirect("org:unit_detail", unit_id=units[0].pk)
    return render(request, "org/unit_index.html", {"units": units})


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Show a unit: where it sits, its sub-units, its lineage and (if allowed) its people.

    An htmx request for the people list gets only the `people` partial.
    """
    unit = queries.access_unit(request.user, unit_id)
    may_see_people = access.in_scope(request.user, Capability.SEE_PEOPLE, unit)
    context: dict[str, object] = {"unit": unit, "may_see_people": may_see_people}
    if may_see_people:
        context.update(_people_context(request, unit))
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    if htmx and may_see_people:
        return render(request, "org/unit_detail.html#people", context)
    context.update(
        {
            "ancestors": queries.ancestors(unit),
            "children": queries.list_children(request.user, unit),
            "lineage": queries.get_lineage(unit),
        }
    )
    return render(request, "org/unit_detail.html", context)


def _people_context(request: HttpRequest, unit: Unit) -> dict[str, object]:
    query = request.GET.get("q", "")[:200]
    status = request.GET.get("status", "")
    group = request.GET.get("group", "")
    if status not in PersonStatus.values:
        status = ""
    if group not in PositionGroup.values:
        group = ""
    people = queries.list_people(request.user, unit=unit, query=query, status=status, group=group)
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "q": query,
        "status": status,
        "group": group,
        "statuses": PersonStatus.choices,
        "groups": PositionGroup.choices,
    }


@login_required
def person_detail(request: HttpRequest, officer_code: str) -> HttpResponse:
    """Show a person's record and position history; sensitive sections only to their readers."""
    person = queries.view_person(request.user, officer_code[:32])
    context: dict[str, object] = {
        "person": person,
        "history": queries.position_history(person),
        "may_read_party": queries.may_read_party(request.user, person),
        "may_read_discipline": queries.may_read_discipline(request.user, person),
    }
    # Sensitive data is shown on request only, so every read is a deliberate, audited one.
    show = request.GET.get("show")
    if show == "party" and context["may_read_party"]:
        context["party"] = queries.read_party_membership(request.user, person)
        context["party_shown"] = True
    if show == "discipline" and context["may_read_discipline"]:
        context["discipline"] = queries.read_discipline(request.user, person)
        context["discipline_shown"] = True
    return render(request, "org/person_detail.html", context)
