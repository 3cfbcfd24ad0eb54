"""Pages of the learning app: assignments (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
