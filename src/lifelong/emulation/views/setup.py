"""Pages of campaign setup: the list of campaigns the user sees.

Thin: the view reads the scoped campaigns (`queries.scope.visible_campaigns`) and renders;
`?format=xlsx` answers the same rows.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from lifelong.core.exports import xlsx_response
from lifelong.emulation.queries.scope import visible_campaigns


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
    return render(request, "emulation/setup/campaigns.html", {"campaigns": rows})


urlpatterns: list[URLPattern] = [
    path("", campaigns, name="campaigns"),
]
