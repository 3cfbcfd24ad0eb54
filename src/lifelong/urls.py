"""The project's URLs: pages, the REST API under /api/v1/, the operators' admin."""

from django.contrib import admin
from django.urls import include, path

from lifelong.api import api

handler400 = "lifelong.web.views.bad_request"
handler403 = "lifelong.web.views.permission_denied"
handler404 = "lifelong.web.views.page_not_found"
handler500 = "lifelong.web.views.server_error"

urlpatterns = [
    path("", include("lifelong.web.urls")),
    path("org/", include("lifelong.org.urls")),
    path("lrs/", include("lifelong.lrs.client_urls")),
    path("learning/", include("lifelong.learning.urls")),
    path("initiatives/", include("lifelong.initiatives.urls")),
    path("emulation/", include("lifelong.emulation.urls")),
    path("api/v1/", api.urls),
    path("xapi/", include("lifelong.lrs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
