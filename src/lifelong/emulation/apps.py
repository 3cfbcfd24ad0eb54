from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    """Campaigns, phases, contents, criteria, registrations, scoring, reviews and unit KPIs."""

    name = "lifelong.emulation"
    label = "emulation"
    verbose_name = _("Emulation")
