from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """Catalogue, classes, self-study, certificates and the hours ledger (a projection of lrs)."""

    name = "lifelong.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        """Register the projection of the xAPI store (records, claims, yearly ledger)."""
        from lifelong.learning import projection
        from lifelong.lrs import hooks

        hooks.register(projection.CONSUMER, projection.project)
