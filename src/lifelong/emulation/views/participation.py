"""Pages of the emulation app's participation area (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
