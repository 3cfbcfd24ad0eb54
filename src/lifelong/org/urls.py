from django.urls import path

from lifelong.org import import_views, views

app_name = "org"

urlpatterns = [
    path("units/", views.unit_index, name="unit_index"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("people/<str:officer_code>/", views.person_detail, name="person_detail"),
    path("import/", import_views.import_org, name="import"),
]
