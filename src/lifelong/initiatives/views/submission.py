"""Pages of initiatives: submission (being written)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
