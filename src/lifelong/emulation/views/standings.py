"""Pages of the emulation app's standings area (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
