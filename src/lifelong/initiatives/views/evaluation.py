"""Pages of initiatives: evaluation (being written)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []


def panel_context(request: object, initiative: object) -> dict[str, object]:
    """Context of the evaluation panel on an initiative's page (written by the evaluation area)."""
    return {}
