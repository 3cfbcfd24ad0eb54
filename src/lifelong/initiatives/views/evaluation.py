"""Pages of initiatives: evaluation (being written)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
