"""Pages of the learning app: classes (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
