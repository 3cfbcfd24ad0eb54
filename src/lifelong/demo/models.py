"""The demo's own record: that this database holds the synthetic organisation, and how built."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoBuild(models.Model):
    """A build of the synthetic customs administration into this database.

    Its presence tells `lifelong demo` to reuse the database instead of building again, and
    tells `--rebuild` on PostgreSQL that the database holds only demo data.
    """

    seed = models.BigIntegerField(_("seed"))
    officers = models.PositiveIntegerField(_("officers"))
    version = models.PositiveSmallIntegerField(_("builder version"))
    seconds = models.FloatField(_("build time (s)"))
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-built_at", "-id"]
        verbose_name = _("demo build")
        verbose_name_plural = _("demo builds")

    def __str__(self) -> str:
        return f"seed {self.seed}, {self.officers} officers ({self.built_at:%Y-%m-%d %H:%M})"
