"""Pages of the emulation app's kpis area (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
