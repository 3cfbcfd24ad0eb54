"""Pages of the learning app: plans (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
