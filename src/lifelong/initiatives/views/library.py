"""Pages of initiatives: library (being written)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
