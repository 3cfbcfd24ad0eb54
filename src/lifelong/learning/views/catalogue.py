"""Pages of the learning app: catalogue (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
