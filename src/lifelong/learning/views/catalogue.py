"""Pages of the catalogue: courses, programmes and the instructor registry.

Everyone logged in reads them; the training office (MANAGE_TRAINING) creates and edits.
Thin: forms parse, `learning.services.catalogue` writes, `learning.queries.catalogue` reads.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lifelong.core.exceptions import NotFound
from lifelong.core.exports import xlsx_response
from lifelong.core.pages import acting_user, form_page, page_of, render_page
from lifelong.learning.forms.catalogue import (
    AccreditationForm,
    CatalogueSearchForm,
    CourseForm,
    InstructorForm,
    InstructorSearchForm,
    ProgrammeForm,
)
from lifelong.learning.models import WcoAccreditation
from lifelong.learning.queries import catalogue as queries
from lifelong.learning.queries.classes import may_manage
from lifelong.learning.services import catalogue as services


def _require_manager(request: HttpRequest) -> None:
    if not queries.may_manage_catalogue(request.user):
        raise NotFound(_("Not found."))


#
# Courses
#


def _course_filters(request: HttpRequest) -> tuple[CatalogueSearchForm, queries.CourseFilters]:
    form = CatalogueSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = queries.CourseFilters(
        query=data.get("q", ""),
        content=data.get("content", ""),
        category=data.get("category", ""),
        mode=data.get("mode", ""),
        provider=data.get("provider", ""),
        level=data.get("level", ""),
        include_inactive=True,
    )
    return form, filters


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """List the catalogue with a diacritic-insensitive search and filters; XLSX on request."""
    form, filters = _course_filters(request)
    courses = queries.list_courses(request.user, filters)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "catalogue",
            _("Catalogue"),
            [
                _("Code"),
                _("Title"),
                _("English title"),
                _("Periods"),
                _("Clock hours"),
                _("Level"),
                _("Provider"),
                _("Delivery mode"),
                _("Training category"),
                _("Movement contents"),
            ],
            (
                [
                    c.code,
                    c.title,
                    c.title_en,
                    c.periods,
                    c.hours,
                    c.get_level_display(),
                    c.provider_name or c.get_provider_display(),
                    c.get_delivery_mode_display(),
                    c.get_category_display(),
                    ", ".join(str(x.get_content_display()) for x in c.contents.all()),
                ]
                for c in courses.iterator(chunk_size=500)
            ),
        )
    page = page_of(request, courses)
    context = {
        "form": form,
        "page": page,
        "may_manage": queries.may_manage_catalogue(request.user),
        "query_string": request.GET.urlencode(),
    }
    return render_page(request, "learning/catalogue/catalogue.html", context, partial="results")


@login_required
def course(request: HttpRequest, code: str) -> HttpResponse:
    """Show a course: its facts, its classes and the programmes it is part of."""
    found = queries.access_course(request.user, code)
    return render(
        request,
        "learning/catalogue/course.html",
        {
            "course": found,
            "classes": queries.course_classes(found),
            "programmes": queries.course_programmes(found),
            "may_manage": queries.may_manage_catalogue(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    """Create a course (training office)."""
    _require_manager(request)
    form = CourseForm(request.POST or None)

    def save() -> HttpResponse:
        created = services.create_course(
            acting_user=acting_user(request), code=form.cleaned_data["code"], data=form.to_input()
        )
        messages.success(
            request, _("The course {code} is in the catalogue.").format(code=created.code)
        )
        return redirect("learning:course", code=created.code)

    return form_page(request, form, "learning/catalogue/course_form.html", {"course": None}, save)


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit a course (training office); its code stays."""
    _require_manager(request)
    found = queries.access_course(request.user, code)
    form = CourseForm(request.POST or None, course=found)

    def save() -> HttpResponse:
        services.update_course(acting_user=acting_user(request), course=found, data=form.to_input())
        messages.success(request, _("The course is saved."))
        return redirect("learning:course", code=found.code)

    return form_page(request, form, "learning/catalogue/course_form.html", {"course": found}, save)


#
# Programmes
#


@login_required
def programmes(request: HttpRequest) -> HttpResponse:
    """List the programmes (learning paths); XLSX on request."""
    query = request.GET.get("q", "")[:200]
    found = queries.list_programmes(request.user, query)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "programmes",
            _("Programmes"),
            [_("Code"), _("Title"), _("English title"), _("Courses")],
            ([p.code, p.title, p.title_en, p.course_count] for p in found),  # type: ignore[attr-defined]  # annotated
        )
    page = page_of(request, found)
    return render(
        request,
        "learning/catalogue/programmes.html",
        {"page": page, "q": query, "may_manage": queries.may_manage_catalogue(request.user)},
    )


@login_required
def programme(request: HttpRequest, code: str) -> HttpResponse:
    """Show a programme and its courses in order."""
    found = queries.access_programme(request.user, code)
    return render(
        request,
        "learning/catalogue/programme.html",
        {"programme": found, "may_manage": queries.may_manage_catalogue(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    """Create a programme (training office)."""
    _require_manager(request)
    form = ProgrammeForm(request.POST or None)

    def save() -> HttpResponse:
        created = services.create_programme(
            acting_user=acting_user(request),
            code=form.cleaned_data["code"],
            data=form.to_input(),
        )
        return redirect("learning:programme", code=created.code)

    return form_page(
        request, form, "learning/catalogue/programme_form.html", {"programme": None}, save
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit a programme and the order of its courses (training office)."""
    _require_manager(request)
    found = queries.access_programme(request.user, code)
    initial = {
        "code": found.code,
        "title": found.title,
        "title_en": found.title_en,
        "description": found.description,
        "courses": "\n".join(step.course.code for step in found.steps.all()),
        "is_active": found.is_active,
    }
    form = ProgrammeForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True

    def save() -> HttpResponse:
        services.update_programme(
            acting_user=acting_user(request), programme=found, data=form.to_input()
        )
        return redirect("learning:programme", code=found.code)

    return form_page(
        request, form, "learning/catalogue/programme_form.html", {"programme": found}, save
    )


#
# Instructors
#


@login_required
def instructors(request: HttpRequest) -> HttpResponse:
    """List the instructor registry with search and filters; XLSX on request."""
    form = InstructorSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = queries.list_instructors(
        request.user,
        queries.InstructorFilters(
            query=data.get("q", ""),
            kind=data.get("kind", ""),
            wco_area=data.get("wco_area", ""),
            wco_status=data.get("wco_status", ""),
        ),
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "instructors",
            _("Instructors"),
            [_("Name"), _("Kind"), _("Organisation"), _("Subjects"), _("WCO accreditations")],
            (
                [
                    i.full_name,
                    i.get_kind_display(),
                    i.organisation or (i.person.unit.name if i.person else ""),
                    ", ".join([*(t.name for t in i.topics.all()), i.subjects]).strip(", "),
                    "; ".join(
                        f"{a.get_area_display()} ({a.get_status_display()})"
                        for a in i.accreditations.all()
                    ),
                ]
                for i in found
            ),
        )
    page = page_of(request, found)
    context = {
        "form": form,
        "page": page,
        "may_manage": queries.may_manage_catalogue(request.user),
        "query_string": request.GET.urlencode(),
    }
    return render_page(request, "learning/catalogue/instructors.html", context, partial="results")


@login_required
def instructor(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an instructor: classes taught, teaching hours, ratings, WCO accreditations."""
    found = queries.access_instructor(request.user, pk)
    stats = queries.instructor_stats(found)
    return render(
        request,
        "learning/catalogue/instructor.html",
        {
            "instructor": found,
            "stats": stats,
            "may_manage": queries.may_manage_catalogue(request.user),
            "managed_classes": {c.pk for c in stats.classes if may_manage(request.user, c)},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def instructor_create(request: HttpRequest) -> HttpResponse:
    """Add an instructor to the registry (training office)."""
    _require_manager(request)
    form = InstructorForm(request.POST or None)

    def save() -> HttpResponse:
        created = services.create_instructor(acting_user=acting_user(request), data=form.to_input())
        return redirect("learning:instructor", pk=created.pk)

    return form_page(
        request, form, "learning/catalogue/instructor_form.html", {"instructor": None}, save
    )


@login_required
@require_http_methods(["GET", "POST"])
def instructor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an instructor (training office)."""
    _require_manager(request)
    found = queries.access_instructor(request.user, pk)
    form = InstructorForm(request.POST or None, instructor=found)

    def save() -> HttpResponse:
        services.update_instructor(
            acting_user=acting_user(request), instructor=found, data=form.to_input()
        )
        return redirect("learning:instructor", pk=found.pk)

    return form_page(
        request, form, "learning/catalogue/instructor_form.html", {"instructor": found}, save
    )


@login_required
@require_http_methods(["GET", "POST"])
def accreditation_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a WCO accreditation to an instructor (training office)."""
    _require_manager(request)
    found = queries.access_instructor(request.user, pk)
    form = AccreditationForm(request.POST or None)

    def save() -> HttpResponse:
        services.add_accreditation(
            acting_user=acting_user(request), instructor=found, **form.cleaned_data
        )
        return redirect("learning:instructor", pk=found.pk)

    return form_page(
        request,
        form,
        "learning/catalogue/accreditation_form.html",
        {"instructor": found, "accreditation": None},
        save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def accreditation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a WCO accreditation (training office)."""
    _require_manager(request)
    accreditation = WcoAccreditation.objects.filter(pk=pk).select_related("instructor").first()
    if accreditation is None:
        raise NotFound(_("Not found."))
    initial = {
        "area": accreditation.area,
        "status": accreditation.status,
        "valid_from": accreditation.valid_from,
        "valid_until": accreditation.valid_until,
    }
    form = AccreditationForm(request.POST or None, initial=initial)

    def save() -> HttpResponse:
        services.update_accreditation(
            acting_user=acting_user(request), accreditation=accreditation, **form.cleaned_data
        )
        return redirect("learning:instructor", pk=accreditation.instructor_id)

    return form_page(
        request,
        form,
        "learning/catalogue/accreditation_form.html",
        {"instructor": accreditation.instructor, "accreditation": accreditation},
        save,
    )


urlpatterns: list[URLPattern] = [
    path("catalogue/", catalogue, name="catalogue"),
    path("courses/new/", course_create, name="course_create"),
    path("courses/<str:code>/", course, name="course"),
    path("courses/<str:code>/edit/", course_edit, name="course_edit"),
    path("programmes/", programmes, name="programmes"),
    path("programmes/new/", programme_create, name="programme_create"),
    path("programmes/<str:code>/", programme, name="programme"),
    path("programmes/<str:code>/edit/", programme_edit, name="programme_edit"),
    path("instructors/", instructors, name="instructors"),
    path("instructors/new/", instructor_create, name="instructor_create"),
    path("instructors/<int:pk>/", instructor, name="instructor"),
    path("instructors/<int:pk>/edit/", instructor_edit, name="instructor_edit"),
    path("instructors/<int:pk>/accreditations/new/", accreditation_add, name="accreditation_add"),
    path("accreditations/<int:pk>/edit/", accreditation_edit, name="accreditation_edit"),
]
