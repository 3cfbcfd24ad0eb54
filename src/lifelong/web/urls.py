from django.urls import path

from lifelong.web import auth_views, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", views.admin_home, name="admin_home"),
    path("admin/audit/", views.audit_log, name="audit_log"),
]
