"""Login and logout pages that write their audit events."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse

from lifelong.core.audit import Action, record_event


class LoginView(auth_views.LoginView):
    """Đăng nhập: Django's login, audited on success and on failure."""

    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Log the user in and record it."""
        response = super().form_valid(form)
        record_event(Action.LOGGED_IN, actor=form.get_user(), target=form.get_user())
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        """Record the failed attempt (the user name tried, never the password)."""
        record_event(
            Action.LOGIN_FAILED,
            actor=None,
            target_type="auth.user",
            target_label=str(form.data.get("username", ""))[:150],
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Đăng xuất (POST only, as Django requires), audited."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Record the logout, then log out."""
        if request.user.is_authenticated:
            record_event(Action.LOGGED_OUT, actor=request.user, target=request.user)
        return super().post(request, *args, **kwargs)
