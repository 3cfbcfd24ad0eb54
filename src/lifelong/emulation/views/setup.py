"""Pages of the emulation app's setup area (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
