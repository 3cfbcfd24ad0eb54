from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    """Initiatives and their evaluation and recognition, replication, and good models."""

    name = "lifelong.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")
