from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every domain uses and that knows no domain: audit, text, files, API plumbing."""

    name = "lifelong.core"
    label = "core"
    verbose_name = _("Core")
