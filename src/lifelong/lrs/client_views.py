"""The administrators' page for LRS clients: list, create (the secret shown once), revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lifelong.core.exceptions import DomainError, NotFound
from lifelong.lrs import services
from lifelong.lrs.models import Client, Scope
from lifelong.org import access
from lifelong.org.access import Capability

SCOPE_HELP = {
    Scope.STATEMENTS_WRITE: gettext_lazy("send statements"),
    Scope.STATEMENTS_READ: gettext_lazy("read every statement"),
    Scope.STATEMENTS_READ_MINE: gettext_lazy("read the statements it sent"),
    Scope.STATE: gettext_lazy("read and write State documents"),
    Scope.DEFINE: gettext_lazy("define activities"),
    Scope.PROFILE: gettext_lazy("read and write profiles"),
    Scope.ALL_READ: gettext_lazy("read everything"),
    Scope.ALL: gettext_lazy("everything"),
}


class ClientForm(forms.Form):
    """A new client: its name and its xAPI scopes."""

    name = forms.CharField(
        label=pgettext_lazy("LRS client", "Name"), max_length=services.NAME_MAX_LENGTH
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=[(s.value, f"{s.value} ({SCOPE_HELP[s]})") for s in Scope],
        widget=forms.CheckboxSelectMultiple,
    )


def _administrator_or_404(request: HttpRequest) -> None:
    if not access.has_capability(request.user, Capability.ADMINISTER):
        raise NotFound(_("Not found."))


def _render(
    request: HttpRequest,
    form: ClientForm,
    *,
    created: Client | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    response = render(
        request,
        "lrs/clients.html",
        {
            "form": form,
            "clients": services.list_clients(),
            "created": created,
            "secret": secret,
        },
        status=status,
    )
    if secret:
        # The secret is on this page only: no cache may keep it.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def client_index(request: HttpRequest) -> HttpResponse:
    """List the clients; a POST creates one and shows its key and secret once."""
    _administrator_or_404(request)
    if request.method != "POST":
        return _render(request, ClientForm())
    form = ClientForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        client, secret = services.create_client(
            acting_user=request.user,  # type: ignore[arg-type]  # login_required: a real user
            name=form.cleaned_data["name"],
            scopes=list(form.cleaned_data["scopes"]),
        )
    except DomainError as exc:
        form.add_error("name", exc.message)
        return _render(request, form, status=400)
    # Rendered, not redirected: the secret is never stored, so no later page could show it.
    return _render(request, ClientForm(), created=client, secret=secret)


@login_required
@require_POST
def client_revoke(request: HttpRequest, key: str) -> HttpResponse:
    """Revoke a client: its key stops working at once."""
    _administrator_or_404(request)
    client = Client.objects.filter(key=key).first()
    if client is None:
        raise NotFound(_("Not found."))
    was_active = client.revoked_at is None
    services.revoke_client(
        acting_user=request.user,  # type: ignore[arg-type]  # login_required: a real user
        client=client,
    )
    if was_active:
        messages.success(
            request,
            _("The client {name} is revoked; its key no longer works.").format(name=client.name),
        )
    return redirect("lrs:client_index")
