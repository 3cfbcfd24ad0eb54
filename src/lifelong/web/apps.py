from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Base templates, navigation, home pages, the administrators' area and static assets."""

    name = "lifelong.web"
    label = "web"
    verbose_name = _("Web")
