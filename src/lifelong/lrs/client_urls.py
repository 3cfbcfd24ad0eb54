"""Pages of the xAPI store for administrators (the xAPI itself lives under /xapi/)."""

from django.urls import path

from lifelong.lrs import client_views

app_name = "lrs"

urlpatterns = [
    path("clients/", client_views.client_index, name="client_index"),
    path("clients/<str:key>/revoke/", client_views.client_revoke, name="client_revoke"),
]
