from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The synthetic organisation behind `lifelong demo`."""

    name = "lifelong.demo"
    label = "demo"
    verbose_name = _("Demo")
