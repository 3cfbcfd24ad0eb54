"""Pages of the learning app: ledger (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
