"""Pages of classes: list, class, enrolment, sessions, attendance, results, ratings.

A class page shows the roster to those who run it (and to unit heads, their officers) and
an officer their own status; the attendance grid is the training office's.

Thin: forms parse, `learning.services.classes` writes (and checks who may), and
`learning.queries.classes` reads, scoped to the user.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lifelong.core.exceptions import DomainError, NotFound
from lifelong.core.exports import xlsx_response
from lifelong.core.pages import (
    acting_user,
    form_page,
    page_of,
    put_refusal_on_whole_form,
)
from lifelong.learning.choices import EnrolmentSource, EnrolmentStatus
from lifelong.learning.forms.classes import (
    ClassForm,
    ClassSearchForm,
    EnrolForm,
    RatingForm,
    ResultForm,
    SessionForm,
)
from lifelong.learning.models import CourseClass
from lifelong.learning.queries import catalogue as catalogue_queries
from lifelong.learning.queries import classes as queries
from lifelong.learning.services import classes as services
from lifelong.org import access
from lifelong.org.access import Capability
from lifelong.org.models import Unit


def _organisers(request: HttpRequest) -> Any:
    roots = access.scope_of(request.user, Capability.MANAGE_TRAINING)
    return Unit.objects.filter(access.scope_filter(roots)).order_by("path")


def _managed_class(request: HttpRequest, code: str) -> CourseClass:
    """Return the class `code` if the user runs it; otherwise the same 404 as a missing one."""
    course_class = queries.access_class(request.user, code)
    if not queries.may_manage(request.user, course_class):
        raise NotFound(_("Not found."))
    return course_class


def _refusal(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


#
# The list
#


@login_required
def class_list(request: HttpRequest) -> HttpResponse:
    """List classes with filters (course, dates, status, search); XLSX on request."""
    form = ClassSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = queries.list_classes(
        request.user,
        queries.ClassFilters(
            course=request.GET.get("course", "")[:32],
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            status=data.get("status", ""),
            query=data.get("q", ""),
        ),
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "classes",
            _("Classes"),
            [
                _("Class"),
                _("Course"),
                _("Start date"),
                _("End date"),
                _("Organising unit"),
                _("Capacity"),
                _("Enrolled"),
                _("Waiting"),
                _("Status"),
            ],
            (
                [
                    k.code,
                    k.course.title,
                    k.start_date,
                    k.end_date,
                    k.organiser.name,
                    k.capacity,
                    k.seated,  # type: ignore[attr-defined]  # annotated
                    k.waiting,  # type: ignore[attr-defined]  # annotated
                    k.get_status_display(),
                ]
                for k in found
            ),
        )
    page = page_of(request, found)
    return render(
        request,
        "learning/classes/class_list.html",
        {
            "form": form,
            "page": page,
            "query_string": request.GET.urlencode(),
            "may_create": access.has_capability(request.user, Capability.MANAGE_TRAINING),
        },
    )


#
# Creating and editing
#


@login_required
@require_http_methods(["GET", "POST"])
def class_create(request: HttpRequest) -> HttpResponse:
    """Create a class of a course (training office, for a unit in its scope)."""
    access.require(request.user, Capability.MANAGE_TRAINING)
    course = catalogue_queries.access_course(
        request.user, (request.POST.get("course") or request.GET.get("course", ""))[:32]
    )
    form = ClassForm(request.POST or None, organisers=_organisers(request))

    def save() -> HttpResponse:
        created = services.create_class(
            acting_user=acting_user(request),
            course=course,
            code=form.cleaned_data["code"],
            data=form.to_input(),
        )
        return redirect("learning:class", code=created.code)

    return form_page(
        request,
        form,
        "learning/classes/class_form.html",
        {"course": course, "course_class": None},
        save,
        on_refusal=put_refusal_on_whole_form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit a class (its organiser's training office)."""
    course_class = _managed_class(request, code)
    form = ClassForm(
        request.POST or None, organisers=_organisers(request), course_class=course_class
    )

    def save() -> HttpResponse:
        services.update_class(
            acting_user=acting_user(request), course_class=course_class, data=form.to_input()
        )
        return redirect("learning:class", code=course_class.code)

    return form_page(
        request,
        form,
        "learning/classes/class_form.html",
        {"course": course_class.course, "course_class": course_class},
        save,
        on_refusal=put_refusal_on_whole_form,
    )


#
# A class
#


def _class_context(request: HttpRequest, course_class: CourseClass) -> dict[str, Any]:
    manager = queries.may_manage(request.user, course_class)
    mine = queries.my_enrolment(request.user, course_class)
    may_enrol_others = manager or access.has_capability(request.user, Capability.APPROVE_LEARNING)
    context: dict[str, Any] = {
        "course_class": course_class,
        "course": course_class.course,
        "sessions": queries.sessions_of(course_class),
        "may_manage": manager,
        "mine": mine,
        "roster": queries.roster(request.user, course_class),
        "may_enrol_others": may_enrol_others,
        "enrol_form": EnrolForm(),
        "session_form": SessionForm() if manager else None,
        "may_self_enrol": getattr(request.user, "person", None) is not None
        and (mine is None or mine.status == EnrolmentStatus.WITHDRAWN),
    }
    if mine is not None and mine.status == EnrolmentStatus.COMPLETED:
        context["rateable"] = queries.rateable_instructors(mine)
        context["rating_form"] = RatingForm()
    return context


@login_required
def class_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show a class: facts, sessions, the roster (managers, unit heads) or one's own status."""
    course_class = queries.access_class(request.user, code)
    context = _class_context(request, course_class)
    if request.GET.get("format") == "xlsx" and (context["roster"]):
        return xlsx_response(
            f"class-{course_class.code}",
            course_class.code,
            [
                _("Officer code"),
                _("Name"),
                _("Unit"),
                _("Status"),
                _("Waiting position"),
                _("Score"),
                _("Passed"),
            ],
            (
                [
                    e.person.officer_code,
                    e.person.full_name,
                    e.person.unit.name,
                    e.get_status_display(),
                    e.waitlist_position,
                    e.score,
                    "" if e.passed is None else (_("yes") if e.passed else _("no")),
                ]
                for e in context["roster"]
            ),
        )
    return render(request, "learning/classes/class_detail.html", context)


@login_required
@require_POST
def class_enrol(request: HttpRequest, code: str) -> HttpResponse:
    """Enrol oneself, or (unit head, training office) an officer given by code."""
    course_class = queries.access_class(request.user, code)
    if request.POST.get("officer_code"):
        form = EnrolForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("officer_code", []):
                messages.error(request, str(error))
            return redirect("learning:class", code=course_class.code)
        person = form.cleaned_data["officer_code"]
        source = (
            EnrolmentSource.TRAINING_OFFICE
            if services.may_enrol_as(
                acting_user(request), course_class, person, EnrolmentSource.TRAINING_OFFICE
            )
            else EnrolmentSource.UNIT_HEAD
        )
    else:
        person = getattr(request.user, "person", None)
        if person is None:
            raise NotFound(_("Not found."))
        source = EnrolmentSource.SELF
    try:
        enrolment = services.enrol(
            acting_user=acting_user(request),
            course_class=course_class,
            person=person,
            source=source,
        )
    except NotFound:
        messages.error(request, _("You may not enrol this officer in the class."))
    except DomainError as exc:
        _refusal(request, exc)
    else:
        if enrolment.status == EnrolmentStatus.WAITLISTED:
            messages.success(
                request,
                _("{name} is on the waiting list, position {n}.").format(
                    name=person.full_name, n=enrolment.waitlist_position
                ),
            )
        else:
            messages.success(request, _("{name} is enrolled.").format(name=person.full_name))
    return redirect("learning:class", code=course_class.code)


@login_required
@require_POST
def class_withdraw(request: HttpRequest, code: str, enrolment_id: int) -> HttpResponse:
    """Withdraw an enrolment (the officer, their unit head, the training office)."""
    course_class = queries.access_class(request.user, code)
    enrolment = queries.access_enrolment(request.user, course_class, enrolment_id)
    try:
        services.withdraw(acting_user=acting_user(request), enrolment=enrolment)
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The enrolment is withdrawn."))
    return redirect("learning:class", code=course_class.code)


@login_required
@require_POST
def session_add(request: HttpRequest, code: str) -> HttpResponse:
    """Add a session to a class (its training office)."""
    course_class = _managed_class(request, code)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.add_session(
                acting_user=acting_user(request), course_class=course_class, **form.cleaned_data
            )
        except DomainError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("The session is added."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect("learning:class", code=course_class.code)


#
# Attendance, results, completion
#


def _present_pairs(request: HttpRequest) -> set[tuple[int, int]]:
    pairs = set()
    for key in request.POST:
        if not key.startswith("a-"):
            continue
        try:
            _prefix, enrolment_id, session_id = key.split("-")
            pairs.add((int(enrolment_id), int(session_id)))
        except ValueError:
            continue
    return pairs


@login_required
@require_http_methods(["GET", "POST"])
def class_attendance(request: HttpRequest, code: str) -> HttpResponse:
    """Take attendance on a grid (officers × sessions), and record results and completion."""
    course_class = _managed_class(request, code)
    if request.method == "POST":
        try:
            counts = services.take_attendance(
                acting_user=acting_user(request),
                course_class=course_class,
                present=_present_pairs(request),
            )
        except DomainError as exc:
            _refusal(request, exc)
        else:
            messages.success(
                request,
                _("Attendance saved: {n} officers changed.").format(n=counts["officers"]),
            )
        return redirect("learning:class_attendance", code=course_class.code)
    grid = queries.attendance_grid(course_class)
    return render(
        request,
        "learning/classes/attendance.html",
        {"course_class": course_class, "grid": grid},
    )


@login_required
@require_POST
def class_result(request: HttpRequest, code: str, enrolment_id: int) -> HttpResponse:
    """Record one officer's score, pass and completion (the class's training office)."""
    course_class = _managed_class(request, code)
    enrolment = queries.access_enrolment(request.user, course_class, enrolment_id)
    form = ResultForm(request.POST)
    outcome = request.POST.get("outcome", "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("learning:class_attendance", code=course_class.code)
    score: Decimal | None = form.cleaned_data["score"]
    passed: bool | None = form.cleaned_data["passed"]
    try:
        if (score, passed) != (enrolment.score, enrolment.passed):
            services.record_result(
                acting_user=acting_user(request), enrolment=enrolment, score=score, passed=passed
            )
        if outcome in {EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED}:
            services.record_completion(
                acting_user=acting_user(request),
                enrolment=enrolment,
                completed=outcome == EnrolmentStatus.COMPLETED,
            )
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(
            request, _("The result of {name} is saved.").format(name=enrolment.person.full_name)
        )
    return redirect("learning:class_attendance", code=course_class.code)


@login_required
@require_POST
def class_rate(request: HttpRequest, code: str, instructor_id: int) -> HttpResponse:
    """Rate an instructor of a class one completed (1-5, once)."""
    course_class = queries.access_class(request.user, code)
    mine = queries.my_enrolment(request.user, course_class)
    if mine is None:
        raise NotFound(_("Not found."))
    instructor = catalogue_queries.access_instructor(request.user, instructor_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return redirect("learning:class", code=course_class.code)
    try:
        services.rate_instructor(
            acting_user=acting_user(request),
            enrolment=mine,
            instructor=instructor,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Thank you: your rating is saved."))
    return redirect("learning:class", code=course_class.code)


urlpatterns: list[URLPattern] = [
    path("classes/", class_list, name="classes"),
    path("classes/new/", class_create, name="class_create"),
    path("classes/<str:code>/", class_detail, name="class"),
    path("classes/<str:code>/edit/", class_edit, name="class_edit"),
    path("classes/<str:code>/enrol/", class_enrol, name="class_enrol"),
    path(
        "classes/<str:code>/enrolments/<int:enrolment_id>/withdraw/",
        class_withdraw,
        name="class_withdraw",
    ),
    path(
        "classes/<str:code>/enrolments/<int:enrolment_id>/result/",
        class_result,
        name="class_result",
    ),
    path("classes/<str:code>/sessions/", session_add, name="session_add"),
    path("classes/<str:code>/attendance/", class_attendance, name="class_attendance"),
    path(
        "classes/<str:code>/instructors/<int:instructor_id>/rate/",
        class_rate,
        name="class_rate",
    ),
]
