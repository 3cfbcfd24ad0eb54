"""Forms of classes: a class, a session, enrolment by officer code, results, a rating."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lifelong.learning.choices import ClassStatus
from lifelong.learning.forms.catalogue import DATE_FORMATS
from lifelong.learning.models import CourseClass, Instructor
from lifelong.learning.services.classes import ClassInput
from lifelong.org.models import Person, Unit

__all__ = ["ClassForm", "ClassSearchForm", "EnrolForm", "RatingForm", "ResultForm", "SessionForm"]


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ClassSearchForm(forms.Form):
    """The class list's filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    date_from = _date(_("From"), required=False)
    date_to = _date(_("Until"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any")), *ClassStatus.choices]
    )


class ClassForm(forms.Form):
    """A class of a course: organiser (within the user's scope), dates, place, capacity."""

    code = forms.CharField(label=_("Class code"), max_length=40)
    organiser = forms.ModelChoiceField(label=_("Organising unit"), queryset=Unit.objects.none())
    start_date = _date(_("Start date"))
    end_date = _date(_("End date"))
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online meeting link"), required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)
    instructors = forms.ModelMultipleChoiceField(
        label=_("Instructors"),
        required=False,
        queryset=Instructor.objects.filter(is_active=True).order_by("sort_key"),
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(label=_("Status"), choices=ClassStatus.choices)

    def __init__(
        self,
        *args: Any,
        organisers: QuerySet[Unit],
        course_class: CourseClass | None = None,
        **kwargs: Any,
    ) -> None:
        """Offer the units where the user manages training; fill from `course_class`."""
        if course_class is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": course_class.code,
                "organiser": course_class.organiser_id,
                "start_date": course_class.start_date,
                "end_date": course_class.end_date,
                "venue": course_class.venue,
                "online_url": course_class.online_url,
                "capacity": course_class.capacity,
                "instructors": list(course_class.instructors.all()),
                "status": course_class.status,
            }
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers  # type: ignore[attr-defined]  # a ModelChoiceField
        if course_class is not None:
            self.fields["code"].disabled = True

    def clean(self) -> dict[str, Any]:
        """Refuse a class that ends before it starts or has neither venue nor link."""
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The class ends before it starts."))
        if not data.get("venue") and not data.get("online_url") and "online_url" not in self.errors:
            self.add_error("venue", _("Give the venue or the online meeting link."))
        return data

    def to_input(self) -> ClassInput:
        """Return the cleaned data as the service's input."""
        data = self.cleaned_data
        return ClassInput(
            organiser=data["organiser"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            capacity=data["capacity"],
            venue=data["venue"],
            online_url=data["online_url"],
            instructors=data["instructors"],
            status=data["status"],
        )


class SessionForm(forms.Form):
    """A session of a class."""

    date = _date(_("Date"))
    starts_at = forms.TimeField(
        label=_("Starts at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    hours = forms.DecimalField(
        label=_("Clock hours"), min_value=0.25, max_value=24, max_digits=5, decimal_places=2
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    instructor = forms.ModelChoiceField(
        label=_("Instructor"),
        required=False,
        queryset=Instructor.objects.filter(is_active=True).order_by("sort_key"),
    )


class EnrolForm(forms.Form):
    """Enrol an officer by their code (unit head, training office)."""

    officer_code = forms.CharField(label=_("Officer code"), max_length=32)

    def clean_officer_code(self) -> Person:
        """Return the officer with this code."""
        person = Person.objects.filter(officer_code=self.cleaned_data["officer_code"].strip())
        found = person.select_related("unit").first()
        if found is None:
            raise forms.ValidationError(_("No officer has this code."))
        return found


class ResultForm(forms.Form):
    """An officer's result in a class."""

    score = forms.DecimalField(
        label=_("Score"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    passed = forms.NullBooleanField(
        label=_("Passed"),
        required=False,
        widget=forms.Select(choices=[("", "—"), ("true", _("Passed")), ("false", _("Not passed"))]),
    )


class RatingForm(forms.Form):
    """A learner's rating of one instructor."""

    score = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)
