"""The administrators' import page: upload, preview (a dry run), then apply."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifelong.core.exceptions import NotFound, ValidationFailed
from lifelong.core.files import open_file, store_file
from lifelong.core.models import StoredFile
from lifelong.org import access, importer
from lifelong.org.rules import Capability

# The error table shows this many rows; the count above it tells the whole number.
MAX_ERRORS_SHOWN = 500

ENCODING_CHOICES = [("utf-8", "UTF-8"), ("cp1258", gettext_lazy("Windows-1258 (Vietnamese)"))]
KIND_CHOICES = [
    ("", gettext_lazy("Told by the header")),
    ("units", gettext_lazy("Units")),
    ("positions", gettext_lazy("Job positions")),
    ("ranks", gettext_lazy("Civil-service ranks")),
    ("people", gettext_lazy("People")),
]


class ImportOptionsForm(forms.Form):
    """How to read a CSV file: its encoding and what it lists (a workbook needs neither)."""

    encoding = forms.ChoiceField(
        label=gettext_lazy("Encoding of a CSV file"), choices=ENCODING_CHOICES, initial="utf-8"
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("A CSV file lists"), choices=KIND_CHOICES, required=False
    )


class ImportUploadForm(ImportOptionsForm):
    """The upload step: the file and how to read it."""

    file = forms.FileField(label=gettext_lazy("File (XLSX or CSV)"))


class ImportApplyForm(ImportOptionsForm):
    """The apply step: the stored file previewed a moment ago, read the same way."""

    file_id = forms.IntegerField(widget=forms.HiddenInput)


def _administrator_or_404(request: HttpRequest) -> None:
    if not access.has_capability(request.user, Capability.ADMINISTER):
        raise NotFound(_("Not found."))


def _own_file(request: HttpRequest, file_id: int) -> StoredFile:
    # Only the uploader may apply a stored file: another administrator's upload is not found.
    stored = StoredFile.objects.filter(pk=file_id, uploaded_by=request.user.pk).first()
    if stored is None:
        raise NotFound(_("Not found."))
    return stored


def _read(stored: StoredFile) -> bytes:
    handle = open_file(stored)
    try:
        return handle.read()
    finally:
        handle.close()


def _options(cleaned: dict[str, Any]) -> tuple[str | None, str | None]:
    """Return the encoding and kind to read the file with (None: the importer's default)."""
    # UTF-8 is the importer's default; naming no encoding keeps its advice about cp1258.
    encoding = cleaned["encoding"]
    return (None if encoding == "utf-8" else encoding), (cleaned["kind"] or None)


def _render(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    errors = context.get("errors") or ()
    context.setdefault("upload_form", ImportUploadForm())
    context.update(
        {
            "errors_shown": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_cut": len(errors) > MAX_ERRORS_SHOWN,
        }
    )
    return render(request, "org/import.html", context, status=status)


@login_required
def import_org(request: HttpRequest) -> HttpResponse:
    """Upload a file and preview its import; a second POST applies it (administrators only).

    The preview is a dry run against the current database. Applying validates the stored
    file again, in the same transaction as the writes, so nothing half-done can be left.
    """
    _administrator_or_404(request)
    if request.method != "POST":
        return _render(request, {})
    if request.POST.get("action") == "apply":
        return _apply(request)
    return _preview(request)


def _preview(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, {"upload_form": form}, status=400)
    try:
        stored = store_file(
            form.cleaned_data["file"],
            acting_user=request.user,  # type: ignore[arg-type]  # login_required: a real user
            allowed={"xlsx", "csv"},
            max_bytes=settings.LIFELONG_MAX_UPLOAD_BYTES,
        )
    except ValidationFailed as exc:
        form.add_error("file", exc.message)
        return _render(request, {"upload_form": form}, status=400)
    encoding, kind = _options(form.cleaned_data)
    plan = importer.check_file(_read(stored), name=stored.name, encoding=encoding, kind=kind)
    apply_form = ImportApplyForm(
        initial={
            "file_id": stored.pk,
            "encoding": form.cleaned_data["encoding"],
            "kind": form.cleaned_data["kind"],
        },
        auto_id=False,  # hidden inputs beside the upload form: no duplicate ids on the page
    )
    return _render(
        request,
        {
            "stored": stored,
            "errors": plan.errors,
            "counts": None if plan.errors else plan.counts,
            "apply_form": apply_form,
        },
    )


def _apply(request: HttpRequest) -> HttpResponse:
    form = ImportApplyForm(request.POST)
    if not form.is_valid():
        return _render(request, {}, status=400)
    stored = _own_file(request, form.cleaned_data["file_id"])
    encoding, kind = _options(form.cleaned_data)
    result = importer.import_file(
        _read(stored),
        acting_user=request.user,  # type: ignore[arg-type]  # login_required: a real user
        name=stored.name,
        encoding=encoding,
        kind=kind,
        stored_file_id=stored.pk,
    )
    if not result.ok:
        return _render(request, {"stored": stored, "errors": result.errors, "applied": True})
    counts = result.created
    messages.success(
        request,
        _(
            "Imported from {file}: {units} units, {positions} job positions, {ranks} ranks "
            "and {people} people."
        ).format(
            file=stored.name,
            units=counts["units"],
            positions=counts["positions"],
            ranks=counts["ranks"],
            people=counts["people"],
        ),
    )
    return redirect("org:import")
