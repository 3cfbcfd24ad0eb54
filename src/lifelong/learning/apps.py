import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """Catalogue, classes, self-study, certificates and the hours ledger (a projection of lrs)."""

    name = "lifelong.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        """Register the projection of the xAPI store and the daily check of assignments."""
        from lifelong.core import schedule
        from lifelong.learning import projection
        from lifelong.learning.services.assignments import check_assignments_task
        from lifelong.lrs import hooks

        # It writes only to this database: a page may be projected in the very transaction
        # that stores it (hooks.deliver_in_write), so the ledger is current on commit.
        hooks.register(projection.CONSUMER, projection.project, in_write=True)
        # Close learned assignments and escalate overdue ones once a day.
        schedule.register(
            "learning.assignments_check", check_assignments_task, datetime.timedelta(days=1)
        )
