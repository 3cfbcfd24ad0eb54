from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    """Campaigns, phases, contents, criteria, registrations, scoring, reviews and unit KPIs."""

    name = "lifelong.emulation"
    label = "emulation"
    verbose_name = _("Emulation")

    def ready(self) -> None:
        """Keep the live scores following new data: recompute changed campaigns often."""
        from lifelong.core import schedule
        from lifelong.emulation.services import scoring

        schedule.register(
            "emulation.recompute", scoring.recompute_changed_task, scoring.RECOMPUTE_EVERY
        )
