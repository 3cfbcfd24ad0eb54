"""Core tables: the audit log, stored files and API tokens."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an append-only row."""


class AuditEvent(models.Model):
    """One entry of the audit log: a write, a sensitive read, or a refused access.

    Append-only: a saved event is never updated or deleted (the model refuses both, and the
    admin shows the log read-only).
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the log still says who acted after an account is deleted.
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True, db_index=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    path = models.CharField(_("path"), max_length=512, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering: ClassVar = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes: ClassVar = [
            models.Index(fields=["actor", "at"], name="core_audit_actor_at"),
            models.Index(fields=["target_type", "target_id"], name="core_audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an existing event is never rewritten."""
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: audit events are never deleted."""
        raise AppendOnlyError("audit events are append-only")


class StoredFile(models.Model):
    """An uploaded file kept under the data directory, served only through checked views."""

    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    path = models.CharField(_("storage path"), max_length=255, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token that acts as its user, with that user's roles.

    Only the SHA-256 digest of the random 256-bit token is kept, so a check is one indexed
    lookup and a stolen database does not reveal usable tokens.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class Notification(models.Model):
    """An in-app notification for one user (assignments, approvals, reminders).

    `kind` is a dotted code chosen by the app that sends it (`learning.assigned`); `link` a
    path of this site. Sent through `core.notify`, which also sends the e-mail.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=64)
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes: ClassVar = [
            models.Index(
                fields=["user", "read_at", "-created_at"], name="core_notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.message


class ScheduledRun(models.Model):
    """When a periodic task (`core.schedule`) was last queued."""

    name = models.CharField(max_length=100, unique=True)
    last_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return self.name
