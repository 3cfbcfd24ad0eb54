"""Template context shared by every page: the navigation for the user's roles."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lifelong.core.notify import unread_count
from lifelong.emulation.queries.scope import EMULATION_CAPABILITIES, visible_campaigns
from lifelong.initiatives.queries.scope import councils_of
from lifelong.org import access
from lifelong.org.rules import Capability


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return the menu entries the current user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(reverse("web:home"), _("Home"))]
    if access.has_capability(user, Capability.SEE_UNITS):
        items.append((reverse("org:unit_index"), _("Units")))
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is not None:
        items.append((reverse("org:person_detail", args=[person.officer_code]), _("My record")))
        items.append((reverse("learning:my_learning"), _("My learning")))
    items.append((reverse("learning:catalogue"), _("Catalogue")))
    items.append((reverse("learning:classes"), _("Classes")))
    if access.has_capability(user, Capability.APPROVE_LEARNING):
        items.append((reverse("learning:approvals"), _("Approvals")))
    if access.has_capability(user, Capability.SEE_LEARNING):
        items.append((reverse("learning:compliance_index"), _("Learning compliance")))
    if person is not None:
        items.append((reverse("initiatives:mine"), _("My initiatives")))
    items.append((reverse("initiatives:recognised"), _("Initiatives")))
    items.append((reverse("initiatives:good_models"), _("Good models")))
    if councils_of(user).exists():
        items.append((reverse("initiatives:queue"), _("Council queue")))
    if access.has_capability(user, Capability.MANAGE_INITIATIVES):
        items.append((reverse("initiatives:councils"), _("Initiative councils")))
    # Emulation campaigns: for holders of an emulation capability, and for the officers a
    # launched campaign covers.
    if any(access.has_capability(user, c) for c in EMULATION_CAPABILITIES) or (
        visible_campaigns(user).exists()
    ):
        items.append((reverse("emulation:campaigns"), _("Emulation campaigns")))
    if any(
        access.has_capability(user, c)
        for c in (Capability.SEE_EMULATION, Capability.TAKE_PART_EMULATION)
    ):
        items.append((reverse("emulation:kpis"), _("Unit KPIs")))
    if access.has_capability(user, Capability.ADMINISTER):
        items.append((reverse("web:admin_home"), _("Administration")))
    return {
        "nav_items": items,
        "user_roles": sorted(access.roles_of(user)),
        "unread_notifications": unread_count(user),
    }
