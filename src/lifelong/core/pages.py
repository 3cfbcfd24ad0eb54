"""What the pages of every app share: htmx checks, paging and the form-then-service flow.

Every page that takes a form does the same thing: validate the form, call one
service, and on a refusal show the service's message on the form again (400) instead of
saving; on success, redirect with a message. `form_page` is that flow written once.
"""

from collections.abc import Callable, Mapping
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lifelong.core.exceptions import DomainError

PAGE_SIZE = 25


def acting_user(request: HttpRequest) -> User:
    """Return the signed-in user as the acting user of a service call.

    Only for views behind `login_required`, which guarantees a real user.
    """
    return cast(User, request.user)


def is_htmx(request: HttpRequest) -> bool:
    """Tell whether the request comes from htmx (and wants a partial)."""
    return bool(getattr(request, "htmx", False))


def page_of(request: HttpRequest, rows: Any, size: int = PAGE_SIZE) -> Page[Any]:
    """Return the page of `rows` that the `page` query parameter asks for."""
    return Paginator(rows, size).get_page(request.GET.get("page"))


def put_refusal_on_form(form: forms.BaseForm, refusal: DomainError) -> None:
    """Show a service's refusal on the form: per field where it names one, else on the form.

    A message for a field the form does not have goes on the form as a whole; a refusal
    naming no field shows its message.
    """
    fields: Mapping[str, Any] = refusal.details.get("fields") or {}
    for name, errors in fields.items():
        for error in [errors] if isinstance(errors, str) else errors:
            form.add_error(name if name in form.fields else None, error)
    if not fields:
        form.add_error(None, refusal.message)


def put_refusal_on_known_fields(form: forms.BaseForm, refusal: DomainError) -> None:
    """Show a service's refusal on the fields of the form it names, else its message."""
    fields: Mapping[str, Any] = refusal.details.get("fields") or {}
    placed = False
    for name, errors in fields.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)
            placed = True
    if not placed:
        form.add_error(None, refusal.message)


def put_refusal_on_whole_form(form: forms.BaseForm, refusal: DomainError) -> None:
    """Show a service's refusal as one message on the form as a whole."""
    form.add_error(None, refusal.message)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    template: str,
    context: Mapping[str, Any],
    save: Callable[[], HttpResponse],
    *,
    refusals: type[DomainError] = DomainError,
    on_refusal: Callable[[forms.BaseForm, DomainError], None] = put_refusal_on_known_fields,
    invalid_status: int = 400,
) -> HttpResponse:
    """Handle a form page: on a valid POST call `save`; otherwise show the form.

    `save` calls the service and answers (usually a redirect with a success message). A
    refusal of type `refusals` that it raises is put on the form by `on_refusal`, and the
    form is shown again with `invalid_status`; a GET shows it with 200. The template gets
    `form` and `context`.
    """
    if request.method == "POST" and form.is_valid():
        try:
            return save()
        except refusals as refusal:
            on_refusal(form, refusal)
    status = invalid_status if request.method == "POST" else 200
    return render(request, template, {"form": form, **context}, status=status)


def run_action(
    request: HttpRequest,
    action: Callable[[], object],
    success: str,
    *,
    refusals: type[DomainError] = DomainError,
) -> bool:
    """Call the service behind a button; say `success`, or show its refusal as an error.

    Returns whether the action went through; the view then redirects either way.
    """
    try:
        action()
    except refusals as refusal:
        messages.error(request, refusal.message)
        return False
    messages.success(request, success)
    return True


def render_page(
    request: HttpRequest, template: str, context: Mapping[str, Any], *, partial: str
) -> HttpResponse:
    """Render `template`, or only its `{% partialdef %}` `partial` for an htmx request."""
    name = f"{template}#{partial}" if is_htmx(request) else template
    return render(request, name, context)
