"""Pages of the learning app: certificates (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
