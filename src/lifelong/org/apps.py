from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    """Units, job positions, people, position history, roles and who may see what."""

    name = "lifelong.org"
    label = "org"
    verbose_name = _("Organisation")
