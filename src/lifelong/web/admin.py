"""The operators' Django admin, opened to holders of the administrator role only.

Sensitive tables (Party membership, discipline) are deliberately not registered: an
administrator runs the system but has no need to know them (domain-vn.md §6).
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import User
from django.http import HttpRequest

from lifelong.core.audit import record_event
from lifelong.core.models import ApiToken, AuditEvent
from lifelong.org import access, services
from lifelong.org.models import (
    CivilServiceRank,
    JobPosition,
    Person,
    PositionAssignment,
    RoleGrant,
    Unit,
    UnitSuccession,
)
from lifelong.org.rules import Capability


def _is_administrator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and access.has_capability(user, Capability.ADMINISTER))


def _acting(request: HttpRequest) -> User | None:
    """Return the administrator acting in the admin (always logged in there)."""
    return request.user if isinstance(request.user, User) else None


def _site_permission(request: HttpRequest) -> bool:
    return _is_administrator(request)


admin.site.has_permission = _site_permission  # type: ignore[method-assign]  # role, not is_staff
admin.site.site_header = "Lifelong"


class AdministratorOnly(admin.ModelAdmin):
    """Every permission comes from the administrator role, not Django's per-model flags."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        """Show the app to administrators."""
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Let administrators look."""
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        """Let administrators add."""
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Let administrators change."""
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Let administrators delete."""
        return _is_administrator(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Save and write the change to the audit log."""
        super().save_model(request, obj, form, change)
        record_event(
            "admin.changed" if change else "admin.added",
            actor=request.user,
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        """Write the deletion to the audit log, then delete."""
        record_event("admin.deleted", actor=request.user, target=obj)
        super().delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(AdministratorOnly):
    """The audit log, read-only: append-only rows are never edited here."""

    list_display = ("at", "actor_name", "action", "target_type", "target_label", "ip")
    list_filter = ("action", "target_type")
    search_fields = ("actor_name", "target_label", "target_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        """Never add by hand."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Never change."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Never delete."""
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(AdministratorOnly):
    """API tokens: digests only; create them with `lifelong api token create`."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        """Tokens are shown once, so they are made by the command, not a form."""
        return False


@admin.register(RoleGrant)
class RoleGrantAdmin(AdministratorOnly):
    """Who holds which role over which unit."""

    list_display = ("user", "role", "unit", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name", "unit__code")
    autocomplete_fields = ("unit",)


@admin.register(Unit)
class UnitAdmin(AdministratorOnly):
    """Units; tree moves go through the service, which refuses cycles."""

    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "search_text")
    readonly_fields = ("path", "depth")
    autocomplete_fields = ("parent",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Go through the services, which place the unit in the tree and refuse cycles."""
        fields = {f: form.cleaned_data[f] for f in services.UNIT_FIELDS if f in form.cleaned_data}
        if change:
            services.update_unit(acting_user=_acting(request), unit=obj, **fields)
        else:
            created = services.create_unit(acting_user=_acting(request), **fields)
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(AdministratorOnly):
    """Merges, splits and reorganisations."""

    list_display = ("predecessor", "successor", "kind", "effective_on", "decision")
    autocomplete_fields = ("predecessor", "successor")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Record new successions through the service, which refuses cycles."""
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.record_succession(
            acting_user=_acting(request),
            predecessor=obj.predecessor,
            successor=obj.successor,
            kind=obj.kind,
            effective_on=obj.effective_on,
            decision=obj.decision,
        )
        obj.pk = created.pk


@admin.register(JobPosition)
class JobPositionAdmin(AdministratorOnly):
    """Job positions (vị trí việc làm)."""

    list_display = ("code", "name", "group", "rank")
    list_filter = ("group",)
    search_fields = ("code", "name")


@admin.register(CivilServiceRank)
class CivilServiceRankAdmin(AdministratorOnly):
    """Civil-service ranks."""

    list_display = ("code", "name", "level")


@admin.register(Person)
class PersonAdmin(AdministratorOnly):
    """People's basic records (no sensitive data)."""

    list_display = ("officer_code", "full_name", "unit", "job_position", "status")
    list_filter = ("status", "gender")
    search_fields = ("officer_code", "search_text", "work_email")
    autocomplete_fields = ("unit", "user")
    list_select_related = ("unit", "job_position")


@admin.register(PositionAssignment)
class PositionAssignmentAdmin(AdministratorOnly):
    """Position history."""

    list_display = ("person", "unit", "job_position", "starts_on", "ends_on")
    autocomplete_fields = ("person", "unit")
