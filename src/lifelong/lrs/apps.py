from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LrsConfig(AppConfig):
    """The xAPI 1.0.3 Learning Record Store: the event log of every learning activity."""

    name = "lifelong.lrs"
    label = "lrs"
    verbose_name = _("Learning Record Store")
