"""Pages of the learning app: selfstudy (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
